/* Cases with their phase events, meetings and ratings, and the erasure of
 * a pupil with everything about them. Each writer moves the index entries
 * its change affects, in the same transaction as the record. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/score.h"
#include "internal.h"

/* ---- case index keys ----------------------------------------------------- */

struct case_keys {
    struct fcs_key pupil, coord, school, phase;
};

static int case_keys(struct fc_txn *t, const struct fc_case *c, struct case_keys *k,
                     struct fc_err *err)
{
    fc_id school;
    int rc = fcs_pupil_school(t, c->pupil_id, &school, err);
    if (rc)
        return rc;
    fcs_key(&k->pupil, "II", c->pupil_id, c->id);
    k->coord.len = k->school.len = 0;
    if (c->coordinator)
        fcs_key(&k->coord, "II", c->coordinator, c->id);
    if (school)
        fcs_key(&k->school, "II", school, c->id);
    fcs_key_case_phase(&k->phase, c->model_id, c->phase, c->id);
    return FC_OK;
}

static int case_keys_move(struct fc_txn *t, const struct case_keys *o,
                          const struct case_keys *n, struct fc_err *err)
{
    int rc = fcs_idx_move(t, FCS_DB_CASE_PUPIL, &o->pupil, &n->pupil, err);
    if (rc == FC_OK)
        rc = fcs_idx_move(t, FCS_DB_CASE_COORD, &o->coord, &n->coord, err);
    if (rc == FC_OK)
        rc = fcs_idx_move(t, FCS_DB_CASE_SCHOOL, &o->school, &n->school, err);
    if (rc == FC_OK)
        rc = fcs_idx_move(t, FCS_DB_CASE_PHASE, &o->phase, &n->phase, err);
    return rc;
}

/* ---- phase events ---------------------------------------------------------- */

static int next_event_seq(struct fc_txn *t, fc_id case_id, uint32_t *seq, struct fc_err *err)
{
    MDB_cursor *cur;
    struct fcs_key k, prefix;
    fcs_key(&k, "II", case_id, UINT32_MAX);
    fcs_key(&prefix, "I", case_id);
    MDB_val key = fcs_kval(&k), val;
    int rc = mdb_cursor_open(t->txn, fcs_dbi(t, FCS_DB_EVENTS), &cur);
    if (rc)
        return fcs_mdb_fail(t, rc, "events", err);
    rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
    rc = mdb_cursor_get(cur, &key, &val, rc == MDB_NOTFOUND ? MDB_LAST : MDB_PREV);
    *seq = 1;
    if (rc == 0 && fcs_has_prefix(&key, &prefix) && key.mv_size == 8)
        *seq = fcs_get_u32((const uint8_t *)key.mv_data + 4) + 1;
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND)
        return fcs_mdb_fail(t, rc, "events", err);
    return FC_OK;
}

static int add_event(struct fc_txn *t, fc_id case_id, int from, int to, const char *note,
                     struct fc_err *err)
{
    struct fc_phase_event e = { .case_id = case_id, .from_phase = (uint8_t)from,
                                .to_phase = (uint8_t)to, .when = t->now };
    struct fcs_key k;
    snprintf(e.who, sizeof e.who, "%s", t->who);
    snprintf(e.note, sizeof e.note, "%s", note ? note : "");
    int rc = next_event_seq(t, case_id, &e.seq, err);
    if (rc)
        return rc;
    fcs_key(&k, "II", case_id, e.seq);
    return fcs_put_rec(t, FCS_DB_EVENTS, &k, &fcs_event_layout, &e, err);
}

/* ---- cases ------------------------------------------------------------------ */

static int case_validate(struct fc_txn *t, const struct fc_case *c, struct fc_err *err)
{
    struct fc_pupil p;
    struct fc_staff s;
    struct fc_phase_model m;
    char whose[32];
    snprintf(whose, sizeof whose, c->id ? _("case %u") : _("new case"), c->id);
    int rc = fcs_rec_get(t, &fcs_pupil_ent, c->pupil_id, &p, NULL);
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_EINVAL, _("%s: pupil %u does not exist"), whose, c->pupil_id);
    if (rc)
        return fcs_rec_get(t, &fcs_pupil_ent, c->pupil_id, &p, err);
    rc = fc_model_get(t, c->model_id, &m, err);
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_EINVAL, _("%s: there is no phase model called %s"), whose,
                        c->model_id);
    if (rc)
        return rc;
    if (c->phase >= m.nphases)
        return fcs_fail(err, FC_EINVAL, _("%s: the model %s has %u phases; phase %u is not one"),
                        whose, m.id, m.nphases, c->phase + 1u);
    if (c->status > FC_CASE_CLOSED)
        return fcs_fail(err, FC_EINVAL, _("%s: unknown status %u"), whose, c->status);
    fc_id staff[2] = { c->coordinator, c->secondary };
    for (int i = 0; i < 2; i++) {
        if (!staff[i])
            continue;
        rc = fcs_rec_get(t, &fcs_staff_ent, staff[i], &s, NULL);
        if (rc == FC_ENOTFOUND)
            return fcs_fail(err, FC_EINVAL, _("%s: staff %u does not exist"), whose, staff[i]);
        if (rc)
            return fcs_rec_get(t, &fcs_staff_ent, staff[i], &s, err);
    }
    return FC_OK;
}

/* The one writer of cases: a phase that changes also gets its event. */
static int case_put(struct fc_txn *t, struct fc_case *c, const char *note, bool set_phase,
                    struct fc_err *err)
{
    struct fc_case *old = malloc(sizeof *old);
    struct case_keys ok = { 0 }, nk;
    bool is_new = false;
    fc_id id0 = c->id;
    uint32_t v0 = c->version;
    if (!old)
        return fcs_fail(err, FC_ESTORE, _("out of memory"));
    int rc = case_validate(t, c, err);
    if (rc == FC_OK)
        rc = fcs_rec_check(t, &fcs_case_ent, c, old, &is_new, err);
    if (rc == FC_OK && !is_new)
        rc = case_keys(t, old, &ok, err);
    if (rc == FC_OK)
        rc = fcs_rec_write(t, &fcs_case_ent, c, is_new, err);
    if (rc == FC_OK)
        rc = case_keys(t, c, &nk, err);
    if (rc == FC_OK)
        rc = case_keys_move(t, &ok, &nk, err);
    if (rc == FC_OK && !is_new && old->phase != c->phase)
        rc = add_event(t, c->id, old->phase, c->phase, note, err);
    if (rc == FC_OK && set_phase) {
        char detail[64];
        snprintf(detail, sizeof detail, "phase %u -> %u", old->phase + 1u, c->phase + 1u);
        rc = fc_audit_add(t, "case.phase", "case", c->id, detail, err);
    } else if (rc == FC_OK) {
        rc = fcs_rec_audit(t, &fcs_case_ent, c, old, is_new, err);
    }
    free(old);
    if (rc) {
        c->id = id0;
        c->version = v0;
    }
    return rc;
}

/* A case may only be written by someone who sees it before and after. */
static int case_write_reach(struct fc_txn *t, const struct fc_case *c, struct fc_err *err)
{
    int rc = c->id ? fcs_case_reach(t, c->id, err) : FC_OK;
    if (rc == FC_OK && !fcs_sees_case(t, c))
        rc = fcs_fail(err, FC_EDENIED,
                      _("%s may only save cases of their own team or cases they work on"),
                      t->st->actor.s.login);
    return rc;
}

int fc_case_put(struct fc_txn *txn, struct fc_case *c, struct fc_err *err)
{
    int rc = case_write_reach(txn, c, err);
    return rc ? rc : case_put(txn, c, NULL, false, err);
}

int fc_case_get(struct fc_txn *txn, fc_id id, struct fc_case *c, struct fc_err *err)
{
    int rc = fcs_rec_get(txn, &fcs_case_ent, id, c, err);
    if (rc == FC_OK && !fcs_sees_case(txn, c))
        return fcs_case_reach(txn, id, err);
    return rc;
}

int fc_case_reassign(struct fc_txn *txn, fc_id case_id, fc_id to_staff, struct fc_err *err)
{
    struct fc_case *c = malloc(sizeof *c);
    struct fc_staff to;
    const struct fcs_actor *a = &txn->st->actor;
    if (!c)
        return fcs_fail(err, FC_ESTORE, _("out of memory"));
    int rc = fcs_rec_get(txn, &fcs_case_ent, case_id, c, err);
    /* An admin hands cases over without seeing them; a lead within the
     * team; a caseworker only the cases they coordinate. */
    if (rc == FC_OK && fcs_checks_on(txn) && a->s.role != FC_ROLE_ADMIN &&
        !(a->s.role == FC_ROLE_LEAD && fcs_sees_case(txn, c)) &&
        c->coordinator != a->s.id)
        rc = fcs_fail(err, FC_EDENIED, _("%s may not hand over case %u"), a->s.login, case_id);
    if (rc == FC_OK) {
        rc = fcs_rec_get(txn, &fcs_staff_ent, to_staff, &to, err);
        if (rc == FC_ENOTFOUND)
            rc = fcs_fail(err, FC_EINVAL, _("staff %u does not exist"), to_staff);
    }
    if (rc == FC_OK && !to.active)
        rc = fcs_fail(err, FC_EINVAL, _("%s is deactivated and cannot take cases"), to.login);
    if (rc == FC_OK && c->team_id && to.team_id != c->team_id)
        rc = fcs_fail(err, FC_EINVAL,
                      _("%s is not in the team of case %u; move them to that team first"),
                      to.login, case_id);
    if (rc == FC_OK) {
        c->coordinator = to.id;
        if (c->secondary == to.id)
            c->secondary = 0;
        rc = case_put(txn, c, NULL, false, err);
    }
    free(c);
    return rc;
}

int fc_case_set_phase(struct fc_txn *txn, struct fc_case *c, int to, const char *note,
                      struct fc_err *err)
{
    if (!c->id)
        return fcs_fail(err, FC_EINVAL, _("save the case before moving it to another phase"));
    if (to == c->phase)
        return fcs_fail(err, FC_EINVAL, _("case %u is already in phase %d"), c->id, to + 1);
    if (to < 0 || to >= FC_PHASES_MAX)
        return fcs_fail(err, FC_EINVAL, _("case %u: phase %d is not a phase of its model"),
                        c->id, to + 1);
    int rc = fcs_case_reach(txn, c->id, err);
    if (rc)
        return rc;
    struct fc_case *copy = malloc(sizeof *copy);
    if (!copy)
        return fcs_fail(err, FC_ESTORE, _("out of memory"));
    *copy = *c;
    copy->phase = (uint8_t)to;
    rc = case_put(txn, copy, note, true, err);
    if (rc == FC_OK)
        *c = *copy;
    free(copy);
    return rc;
}

static int coordinated(struct fc_txn *t, fc_id staff, fc_id **ids, size_t *n,
                       struct fc_err *err)
{
    struct fcs_key prefix;
    fcs_key(&prefix, "I", staff);
    return fcs_collect_ids(t, FCS_DB_CASE_COORD, &prefix, 4, ids, n, err);
}

static bool case_is_open(struct fc_txn *t, fc_id id)
{
    struct fc_case *c = malloc(sizeof *c);
    bool open = c && fcs_rec_get(t, &fcs_case_ent, id, c, NULL) == FC_OK &&
                c->status == FC_CASE_OPEN;
    free(c);
    return open;
}

int fc_staff_open_cases(struct fc_txn *txn, fc_id staff, size_t *n, struct fc_err *err)
{
    fc_id *ids;
    size_t all;
    *n = 0;
    int rc = coordinated(txn, staff, &ids, &all, err);
    for (size_t i = 0; rc == FC_OK && i < all; i++)
        *n += case_is_open(txn, ids[i]);
    if (rc == FC_OK)
        free(ids);
    return rc;
}

int fc_cases_reassign_all(struct fc_txn *txn, fc_id from, fc_id to, size_t *n,
                          struct fc_err *err)
{
    fc_id *ids;
    size_t all;
    *n = 0;
    int rc = fcs_need_lead(txn, _("who coordinates cases"), err);
    if (rc == FC_OK)
        rc = coordinated(txn, from, &ids, &all, err);
    if (rc)
        return rc;
    for (size_t i = 0; rc == FC_OK && i < all; i++) {
        if (!case_is_open(txn, ids[i]))
            continue;
        rc = fc_case_reassign(txn, ids[i], to, err);
        *n += rc == FC_OK;
    }
    free(ids);
    return rc;
}

int fc_pupil_erasable(struct fc_txn *txn, fc_id pupil, fc_date today, fc_date *from,
                      struct fc_err *err)
{
    struct fc_settings s;
    struct fcs_key prefix;
    fc_id *ids;
    size_t n;
    fc_date last = FC_DATE_NONE;
    *from = FC_DATE_NONE;
    int rc = fc_settings_load(txn, &s, err);
    fcs_key(&prefix, "I", pupil);
    if (rc == FC_OK)
        rc = fcs_collect_ids(txn, FCS_DB_CASE_PUPIL, &prefix, 4, &ids, &n, err);
    if (rc)
        return rc;
    struct fc_case *c = malloc(sizeof *c);
    for (size_t i = 0; c && rc == FC_OK && i < n; i++) {
        rc = fcs_rec_get(txn, &fcs_case_ent, ids[i], c, err);
        if (rc == FC_OK && (c->status != FC_CASE_CLOSED || c->closed_date == FC_DATE_NONE))
            rc = fcs_fail(err, FC_EDENIED,
                          _("pupil %u has an open case (case %u); close it and wait the "
                            "retention period before erasing"), pupil, c->id);
        else if (rc == FC_OK && (last == FC_DATE_NONE || c->closed_date > last))
            last = c->closed_date;
    }
    free(c);
    free(ids);
    if (rc)
        return rc;
    if (last == FC_DATE_NONE)
        return FC_OK;
    *from = last + s.retention_days;
    if (today >= *from)
        return FC_OK;
    char d[11], w[11];
    fc_date_format(*from, d);
    fc_date_format(last, w);
    return fcs_fail(err, FC_EDENIED,
                    _("pupil %u may be erased from %s on (%d days after the last case "
                      "closed on %s)"), pupil, d, s.retention_days, w);
}

/* ---- ratings ---------------------------------------------------------------- */

static void rating_keys(const struct fc_rating *r, struct fcs_key *by_case,
                        struct fcs_key *by_meeting)
{
    fcs_key(by_case, "IDII", r->case_id, r->date, r->meeting_id, r->id);
    fcs_key(by_meeting, "II", r->meeting_id, r->id);
}

static void rater_label(const struct fc_rating *r, char *out, size_t cap)
{
    if (r->rater_name[0])
        snprintf(out, cap, "%s (%s)", fc_rater_code(r->rater), r->rater_name);
    else
        snprintf(out, cap, "%s", fc_rater_code(r->rater));
}

/* One rating per rater (and name) and scale in a meeting. */
static int rating_unique(struct fc_txn *t, const struct fc_rating *r, struct fc_err *err)
{
    struct fcs_key prefix;
    fc_id *ids;
    size_t n;
    fcs_key(&prefix, "I", r->meeting_id);
    int rc = fcs_collect_ids(t, FCS_DB_RATING_MEETING, &prefix, 4, &ids, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        struct fc_rating o;
        if (ids[i] == r->id)
            continue;
        rc = fcs_rec_get(t, &fcs_rating_ent, ids[i], &o, err);
        if (rc == FC_OK && o.scale == r->scale && o.rater == r->rater &&
            strcmp(o.rater_name, r->rater_name) == 0) {
            char who[FC_NAME_MAX + 32];
            rater_label(r, who, sizeof who);
            rc = fcs_fail(err, FC_EEXIST,
                          _("%s has already given a %s rating in this meeting (rating %u)"),
                          who, fc_scale_code(r->scale), o.id);
        }
    }
    free(ids);
    return rc;
}

int fc_rating_put(struct fc_txn *txn, struct fc_rating *r, struct fc_err *err)
{
    struct fc_rating old;
    struct fc_meeting *m = malloc(sizeof *m);
    struct fcs_key oc = { 0 }, om = { 0 }, nc, nm;
    bool is_new = false;
    fc_id id0 = r->id;
    uint32_t v0 = r->version;
    int rc = m ? FC_OK : fcs_fail(err, FC_ESTORE, _("out of memory"));
    if (rc == FC_OK)
        rc = fcs_case_reach(txn, r->case_id, err);
    if (rc == FC_OK && (r->scale >= FC_SCALE_COUNT || r->rater >= FC_RATER_COUNT))
        rc = fcs_fail(err, FC_EINVAL, _("unknown scale or rater in a rating"));
    if (rc == FC_OK)
        rc = fc_rating_normalize(r, err);
    if (rc == FC_OK) {
        rc = fcs_rec_get(txn, &fcs_meeting_ent, r->meeting_id, m, err);
        if (rc == FC_ENOTFOUND)
            rc = fcs_fail(err, FC_EINVAL, _("rating: meeting %u does not exist"),
                          r->meeting_id);
    }
    if (rc == FC_OK && m->case_id != r->case_id)
        rc = fcs_fail(err, FC_EINVAL, _("rating: meeting %u belongs to case %u, not case %u"),
                      r->meeting_id, m->case_id, r->case_id);
    if (rc == FC_OK) {
        r->date = m->date;
        rc = fcs_rec_check(txn, &fcs_rating_ent, r, &old, &is_new, err);
    }
    if (rc == FC_OK)
        rc = rating_unique(txn, r, err);
    if (rc == FC_OK && !is_new)
        rating_keys(&old, &oc, &om);
    if (rc == FC_OK)
        rc = fcs_rec_write(txn, &fcs_rating_ent, r, is_new, err);
    if (rc == FC_OK) {
        rating_keys(r, &nc, &nm);
        rc = fcs_idx_move(txn, FCS_DB_RATING_CASE, &oc, &nc, err);
    }
    if (rc == FC_OK)
        rc = fcs_idx_move(txn, FCS_DB_RATING_MEETING, &om, &nm, err);
    if (rc == FC_OK)
        rc = fcs_rec_audit(txn, &fcs_rating_ent, r, &old, is_new, err);
    free(m);
    if (rc) {
        r->id = id0;
        r->version = v0;
    }
    return rc;
}

int fc_rating_get(struct fc_txn *txn, fc_id id, struct fc_rating *r, struct fc_err *err)
{
    int rc = fcs_rec_get(txn, &fcs_rating_ent, id, r, err);
    return rc ? rc : fcs_case_reach(txn, r->case_id, err);
}

static int rating_delete(struct fc_txn *t, fc_id id, bool audit, struct fc_err *err)
{
    struct fc_rating r;
    struct fcs_key rk, by_case, by_meeting;
    int rc = fcs_need_write(t, err);
    if (rc == FC_OK)
        rc = fcs_rec_get(t, &fcs_rating_ent, id, &r, err);
    if (rc)
        return rc;
    rating_keys(&r, &by_case, &by_meeting);
    fcs_key(&rk, "I", id);
    struct fcs_key none = { 0 };
    rc = fcs_del(t, FCS_DB_RATINGS, &rk, err);
    if (rc == FC_OK)
        rc = fcs_idx_move(t, FCS_DB_RATING_CASE, &by_case, &none, err);
    if (rc == FC_OK)
        rc = fcs_idx_move(t, FCS_DB_RATING_MEETING, &by_meeting, &none, err);
    if (rc == FC_OK && audit) {
        char detail[64];
        snprintf(detail, sizeof detail, "meeting %u, case %u", r.meeting_id, r.case_id);
        rc = fc_audit_add(t, "rating.delete", "rating", id, detail, err);
    }
    return rc;
}

int fc_rating_delete(struct fc_txn *txn, fc_id id, struct fc_err *err)
{
    struct fc_rating r;
    int rc = fc_rating_get(txn, id, &r, err);
    if (rc)
        return rc;
    return rating_delete(txn, id, true, err);
}

/* ---- meetings ---------------------------------------------------------------- */

/* Ratings carry their meeting's date (it orders rating_case); a meeting
 * moved to another day takes its ratings along. */
static int move_rating_dates(struct fc_txn *t, const struct fc_meeting *m,
                             struct fc_err *err)
{
    struct fcs_key prefix;
    fc_id *ids;
    size_t n;
    fcs_key(&prefix, "I", m->id);
    int rc = fcs_collect_ids(t, FCS_DB_RATING_MEETING, &prefix, 4, &ids, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        struct fc_rating r;
        struct fcs_key oc, om, nc, nm, rk;
        if ((rc = fcs_rec_get(t, &fcs_rating_ent, ids[i], &r, err)) != FC_OK)
            break;
        rating_keys(&r, &oc, &om);
        r.date = m->date;
        rating_keys(&r, &nc, &nm);
        fcs_key(&rk, "I", r.id);
        rc = fcs_put_rec(t, FCS_DB_RATINGS, &rk, &fcs_rating_layout, &r, err);
        if (rc == FC_OK)
            rc = fcs_idx_move(t, FCS_DB_RATING_CASE, &oc, &nc, err);
    }
    free(ids);
    return rc;
}

int fc_meeting_put(struct fc_txn *txn, struct fc_meeting *m, struct fc_err *err)
{
    struct fc_meeting *old = malloc(sizeof *old);
    struct fc_case *c = malloc(sizeof *c);
    struct fcs_key ok = { 0 }, nk;
    bool is_new = false;
    fc_id id0 = m->id;
    uint32_t v0 = m->version;
    int rc = old && c ? FC_OK : fcs_fail(err, FC_ESTORE, _("out of memory"));
    if (rc == FC_OK && m->kind >= FC_MEET_KIND_COUNT)
        rc = fcs_fail(err, FC_EINVAL, _("unknown kind of meeting %u"), m->kind);
    if (rc == FC_OK && m->date == FC_DATE_NONE)
        rc = fcs_fail(err, FC_EINVAL, _("a meeting needs a date"));
    if (rc == FC_OK) {
        rc = fcs_rec_get(txn, &fcs_case_ent, m->case_id, c, err);
        if (rc == FC_ENOTFOUND)
            rc = fcs_fail(err, FC_EINVAL, _("meeting: case %u does not exist"), m->case_id);
    }
    if (rc == FC_OK)
        rc = fcs_case_reach(txn, m->case_id, err);
    if (rc == FC_OK)
        rc = fcs_rec_check(txn, &fcs_meeting_ent, m, old, &is_new, err);
    if (rc == FC_OK && !is_new && old->case_id != m->case_id)
        rc = fcs_fail(err, FC_EINVAL,
                      _("meeting %u belongs to case %u and cannot move to another case"),
                      m->id, old->case_id);
    if (rc == FC_OK && !is_new)
        fcs_key(&ok, "IDI", old->case_id, old->date, old->id);
    if (rc == FC_OK)
        rc = fcs_rec_write(txn, &fcs_meeting_ent, m, is_new, err);
    if (rc == FC_OK) {
        fcs_key(&nk, "IDI", m->case_id, m->date, m->id);
        rc = fcs_idx_move(txn, FCS_DB_MEETING_CASE, &ok, &nk, err);
    }
    if (rc == FC_OK && !is_new && old->date != m->date)
        rc = move_rating_dates(txn, m, err);
    if (rc == FC_OK)
        rc = fcs_rec_audit(txn, &fcs_meeting_ent, m, old, is_new, err);
    free(old);
    free(c);
    if (rc) {
        m->id = id0;
        m->version = v0;
    }
    return rc;
}

int fc_meeting_get(struct fc_txn *txn, fc_id id, struct fc_meeting *m, struct fc_err *err)
{
    int rc = fcs_rec_get(txn, &fcs_meeting_ent, id, m, err);
    return rc ? rc : fcs_case_reach(txn, m->case_id, err);
}

static int meeting_delete(struct fc_txn *t, fc_id id, size_t *nratings, bool audit,
                          struct fc_err *err)
{
    struct fc_meeting *m = malloc(sizeof *m);
    struct fcs_key prefix, mk, ck, none = { 0 };
    fc_id *ids = NULL;
    size_t n = 0;
    int rc = m ? fcs_need_write(t, err) : fcs_fail(err, FC_ESTORE, _("out of memory"));
    if (rc == FC_OK)
        rc = fcs_rec_get(t, &fcs_meeting_ent, id, m, err);
    fcs_key(&prefix, "I", id);
    if (rc == FC_OK)
        rc = fcs_collect_ids(t, FCS_DB_RATING_MEETING, &prefix, 4, &ids, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++)
        rc = rating_delete(t, ids[i], false, err);
    if (rc == FC_OK) {
        fcs_key(&mk, "I", id);
        fcs_key(&ck, "IDI", m->case_id, m->date, id);
        rc = fcs_del(t, FCS_DB_MEETINGS, &mk, err);
    }
    if (rc == FC_OK)
        rc = fcs_idx_move(t, FCS_DB_MEETING_CASE, &ck, &none, err);
    if (rc == FC_OK && audit) {
        char detail[64];
        snprintf(detail, sizeof detail, "case %u, %zu rating(s)", m->case_id, n);
        rc = fc_audit_add(t, "meeting.delete", "meeting", id, detail, err);
    }
    if (nratings)
        *nratings += n;
    free(ids);
    free(m);
    return rc;
}

int fc_meeting_delete(struct fc_txn *txn, fc_id id, struct fc_err *err)
{
    struct fc_meeting *m = malloc(sizeof *m);
    int rc = m ? fc_meeting_get(txn, id, m, err) : fcs_fail(err, FC_ESTORE, _("out of memory"));
    free(m);
    if (rc)
        return rc;
    return meeting_delete(txn, id, NULL, true, err);
}

/* ---- erasure -------------------------------------------------------------- */

static int delete_prefix(struct fc_txn *t, enum fcs_db db, const struct fcs_key *prefix,
                         size_t *count, struct fc_err *err)
{
    MDB_cursor *cur;
    MDB_val key, val;
    int rc = mdb_cursor_open(t->txn, fcs_dbi(t, db), &cur);
    if (rc)
        return fcs_mdb_fail(t, rc, fcs_db_names[db], err);
    /* Seek afresh after each delete rather than trust the cursor's place. */
    for (;;) {
        key = fcs_kval(prefix);
        rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
        if (rc || !fcs_has_prefix(&key, prefix))
            break;
        if ((rc = mdb_cursor_del(cur, 0)) != 0)
            break;
        if (count)
            ++*count;
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND)
        return fcs_mdb_fail(t, rc, fcs_db_names[db], err);
    return FC_OK;
}

int fcs_case_delete(struct fc_txn *t, fc_id id, size_t *nmeetings, size_t *nratings,
                    struct fc_err *err)
{
    struct fc_case *c = malloc(sizeof *c);
    struct case_keys k, none = { 0 };
    struct fcs_key prefix, ck;
    fc_id *ids = NULL;
    size_t n = 0;
    int rc = c ? fcs_rec_get(t, &fcs_case_ent, id, c, err)
               : fcs_fail(err, FC_ESTORE, _("out of memory"));
    fcs_key(&prefix, "I", id);
    if (rc == FC_OK)
        rc = fcs_collect_ids(t, FCS_DB_MEETING_CASE, &prefix, 8, &ids, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++)
        rc = meeting_delete(t, ids[i], nratings, false, err);
    if (nmeetings)
        *nmeetings += n;
    if (rc == FC_OK)
        rc = delete_prefix(t, FCS_DB_EVENTS, &prefix, NULL, err);
    if (rc == FC_OK)
        rc = case_keys(t, c, &k, err);
    if (rc == FC_OK)
        rc = case_keys_move(t, &k, &none, err);
    if (rc == FC_OK) {
        fcs_key(&ck, "I", id);
        rc = fcs_del(t, FCS_DB_CASES, &ck, err);
    }
    free(ids);
    free(c);
    return rc;
}

int fc_pupil_erase(struct fc_txn *txn, fc_id id, struct fc_err *err)
{
    struct fc_pupil *p = malloc(sizeof *p);
    struct fcs_key prefix, pk, nk, none = { 0 };
    fc_id *cases = NULL;
    size_t ncases = 0, nmeetings = 0, nratings = 0, ndays = 0;
    int rc = p ? fcs_need_write(txn, err) : fcs_fail(err, FC_ESTORE, _("out of memory"));
    if (rc == FC_OK)
        rc = fcs_need_lead(txn, _("whether a pupil is erased"), err);
    if (rc == FC_OK)
        rc = fcs_rec_get(txn, &fcs_pupil_ent, id, p, err);
    if (rc == FC_OK && txn->st->actor.s.role != FC_ROLE_ADMIN)
        rc = fcs_pupil_reach(txn, id, err);
    fcs_key(&prefix, "I", id);
    if (rc == FC_OK)
        rc = fcs_collect_ids(txn, FCS_DB_CASE_PUPIL, &prefix, 4, &cases, &ncases, err);
    for (size_t i = 0; rc == FC_OK && i < ncases; i++)
        rc = fcs_case_delete(txn, cases[i], &nmeetings, &nratings, err);
    if (rc == FC_OK)
        rc = delete_prefix(txn, FCS_DB_ABSENCE, &prefix, &ndays, err);
    if (rc == FC_OK) {
        fcs_key_pupil_name(&nk, p->name, id);
        rc = fcs_idx_move(txn, FCS_DB_PUPIL_NAME, &nk, &none, err);
    }
    if (rc == FC_OK) {
        fcs_key(&pk, "I", id);
        rc = fcs_del(txn, FCS_DB_PUPILS, &pk, err);
    }
    if (rc == FC_OK) {
        char detail[128];
        snprintf(detail, sizeof detail,
                 "erased with %zu case(s), %zu meeting(s), %zu rating(s), %zu absence day(s)",
                 ncases, nmeetings, nratings, ndays);
        rc = fc_audit_add(txn, "pupil.erase", "pupil", id, detail, err);
    }
    free(cases);
    free(p);
    return rc;
}
