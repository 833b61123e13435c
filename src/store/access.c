/* Access: who acts on the store, and the checks every read and write of
 * case content passes (docs/store.md, "Access"). Kept in the store so the
 * command line, the TUI and the imports obey the same rules. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/i18n.h"
#include "internal.h"

int fc_store_set_actor(struct fc_store *st, const char *login, struct fc_err *err)
{
    struct fc_txn t;
    struct fc_staff s;
    st->actor = (struct fcs_actor){ 0 };
    if (!login)
        return FC_OK;
    int rc = fcs_read_begin(st, &t, err);
    if (rc)
        return rc;
    rc = fc_staff_by_login(&t, login, &s, NULL);
    fcs_read_end(&t);
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_EDENIED,
                        _("%s is not on the staff of the store in %s; an administrator "
                          "adds you with: fitcase staff add %s \"Your Name\" --team TEAM"),
                        login, st->path, login);
    if (rc)
        return fcs_fail(err, rc, _("cannot look up the login %s in the store in %s"), login,
                        st->path);
    if (!s.active)
        return fcs_fail(err, FC_EDENIED,
                        _("the login %s has been deactivated in the store in %s; ask an "
                          "administrator"), login, st->path);
    st->actor = (struct fcs_actor){ .set = true, .s = s };
    return FC_OK;
}

void fc_store_set_bulk(struct fc_store *st, bool bulk)
{
    st->actor.bulk = bulk && st->actor.set && st->actor.s.role == FC_ROLE_ADMIN;
}

const struct fc_staff *fc_store_actor(const struct fc_store *st)
{
    return st->actor.set ? &st->actor.s : NULL;
}

const struct fc_staff *fc_txn_actor(const struct fc_txn *txn)
{
    return fc_store_actor(txn->st);
}

bool fcs_checks_on(const struct fc_txn *t)
{
    return t->st->actor.set && !t->st->actor.bulk;
}

bool fcs_sees_case(const struct fc_txn *t, const struct fc_case *c)
{
    if (!fcs_checks_on(t))
        return true;
    const struct fc_staff *me = &t->st->actor.s;
    return (me->team_id && c->team_id == me->team_id) || c->coordinator == me->id ||
           (c->secondary && c->secondary == me->id);
}

bool fc_case_visible(struct fc_txn *txn, const struct fc_case *c)
{
    return fcs_sees_case(txn, c);
}

int fcs_case_reach(struct fc_txn *t, fc_id case_id, struct fc_err *err)
{
    if (!fcs_checks_on(t))
        return FC_OK;
    struct fc_case *c = malloc(sizeof *c);
    if (!c)
        return fcs_fail(err, FC_ESTORE, _("out of memory"));
    int rc = fcs_rec_get(t, &fcs_case_ent, case_id, c, NULL);
    bool ok = rc != FC_OK || fcs_sees_case(t, c);
    free(c);
    if (rc != FC_OK && rc != FC_ENOTFOUND)
        return fcs_rec_get(t, &fcs_case_ent, case_id, &(struct fc_case){ 0 }, err);
    if (ok)
        return FC_OK;
    return fcs_fail(err, FC_EDENIED,
                    _("case %u belongs to another team; %s has no access to it"), case_id,
                    t->st->actor.s.login);
}

struct pupil_look {
    struct fc_txn *t;
    bool any, seen;
};

/* A pupil is in reach through any case in reach, or when no case names
 * them (a pupil on an absence list before a case opens). */
bool fcs_sees_pupil(struct fc_txn *t, fc_id pupil)
{
    if (!fcs_checks_on(t))
        return true;
    struct fcs_key prefix;
    fc_id *cases;
    size_t n;
    fcs_key(&prefix, "I", pupil);
    if (fcs_collect_ids(t, FCS_DB_CASE_PUPIL, &prefix, 4, &cases, &n, NULL) != FC_OK)
        return false;
    bool seen = n == 0;
    struct fc_case *c = malloc(sizeof *c);
    for (size_t i = 0; c && !seen && i < n; i++)
        seen = fcs_rec_get(t, &fcs_case_ent, cases[i], c, NULL) == FC_OK &&
               fcs_sees_case(t, c);
    free(c);
    free(cases);
    return seen;
}

int fcs_pupil_reach(struct fc_txn *t, fc_id pupil, struct fc_err *err)
{
    if (fcs_sees_pupil(t, pupil))
        return FC_OK;
    return fcs_fail(err, FC_EDENIED,
                    _("pupil %u is a pupil of another team's cases; %s has no access"),
                    pupil, t->st->actor.s.login);
}

int fcs_need_admin(const struct fc_txn *t, const char *what, struct fc_err *err)
{
    const struct fcs_actor *a = &t->st->actor;
    if (!a->set || a->s.role == FC_ROLE_ADMIN)
        return FC_OK;
    return fcs_fail(err, FC_EDENIED, _("only an administrator may change %s (%s is not one)"),
                    what, a->s.login);
}

int fcs_need_lead(const struct fc_txn *t, const char *what, struct fc_err *err)
{
    const struct fcs_actor *a = &t->st->actor;
    if (!a->set || a->s.role == FC_ROLE_ADMIN || a->s.role == FC_ROLE_LEAD)
        return FC_OK;
    return fcs_fail(err, FC_EDENIED,
                    _("only a team lead or an administrator may change %s (%s is a "
                      "caseworker)"), what, a->s.login);
}

/* ---- the opening of a case ------------------------------------------------ */

static int open_fn(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    fc_id id = *(const fc_id *)ctx;
    struct fc_case *c = malloc(sizeof *c);
    if (!c)
        return fcs_fail(err, FC_ESTORE, _("out of memory"));
    int rc = fc_case_get(t, id, c, err);
    free(c);
    return rc ? rc : fc_audit_add(t, "case.open", "case", id, "", err);
}

int fc_case_open_audit(struct fc_store *st, fc_id case_id, struct fc_err *err)
{
    const char *who = st->actor.set ? st->actor.s.login : "fitcase";
    return fcs_store_write_quiet(st, who, open_fn, &case_id, err);
}
