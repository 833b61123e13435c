/* The audit log: who changed what, when. Entries name records by id and
 * changed fields by name, never by value, so the log holds no personal
 * data and survives the erasure of a pupil. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "internal.h"

static int last_seq(struct fc_txn *t, uint64_t *seq, struct fc_err *err)
{
    MDB_cursor *cur;
    MDB_val key, val;
    int rc = mdb_cursor_open(t->txn, fcs_dbi(t, FCS_DB_AUDIT), &cur);
    if (rc)
        return fcs_mdb_fail(t, rc, "audit", err);
    rc = mdb_cursor_get(cur, &key, &val, MDB_LAST);
    mdb_cursor_close(cur);
    *seq = 0;
    if (rc == MDB_NOTFOUND)
        return FC_OK;
    if (rc)
        return fcs_mdb_fail(t, rc, "audit", err);
    if (key.mv_size != 8)
        return fcs_corrupt(err, "audit", &key);
    *seq = fcs_get_u64(key.mv_data);
    return FC_OK;
}

int fc_audit_add(struct fc_txn *txn, const char *action, const char *entity,
                 fc_id entity_id, const char *detail, struct fc_err *err)
{
    struct fc_audit a = { .when = txn->now, .entity_id = entity_id };
    struct fcs_key k;
    int rc = fcs_need_write(txn, err);
    if (rc == FC_OK)
        rc = last_seq(txn, &a.seq, err);
    if (rc)
        return rc;
    a.seq++;
    snprintf(a.who, sizeof a.who, "%s", txn->who);
    snprintf(a.action, sizeof a.action, "%s", action ? action : "");
    snprintf(a.entity, sizeof a.entity, "%s", entity ? entity : "");
    snprintf(a.detail, sizeof a.detail, "%s", detail ? detail : "");
    fcs_key(&k, "Q", a.seq);
    return fcs_put_rec(txn, FCS_DB_AUDIT, &k, &fcs_audit_layout, &a, err);
}

/* A lead reads what their team did and what was done to the cases,
 * pupils, meetings and ratings they may see; not other teams' work (which
 * case numbers exist there, who opened what). The access rules of the
 * gets below decide what is in reach. */
static bool lead_may_read(struct fc_txn *txn, const struct fc_staff *lead,
                          const struct fc_audit *a)
{
    struct fc_staff who;
    if (fc_staff_by_login(txn, a->who, &who, NULL) == FC_OK && who.team_id == lead->team_id)
        return true;
    if (strcmp(a->entity, "case") == 0) {
        struct fc_case c;
        return fc_case_get(txn, a->entity_id, &c, NULL) == FC_OK;
    }
    if (strcmp(a->entity, "pupil") == 0) {
        struct fc_pupil p;
        return fc_pupil_get(txn, a->entity_id, &p, NULL) == FC_OK;
    }
    if (strcmp(a->entity, "meeting") == 0) {
        struct fc_meeting m;
        return fc_meeting_get(txn, a->entity_id, &m, NULL) == FC_OK;
    }
    if (strcmp(a->entity, "rating") == 0) {
        struct fc_rating r;
        return fc_rating_get(txn, a->entity_id, &r, NULL) == FC_OK;
    }
    return false;
}

int fc_audit_each(struct fc_txn *txn, uint64_t from, fc_each_audit_fn fn, void *ctx)
{
    MDB_cursor *cur;
    MDB_val key, val;
    struct fcs_key k;
    struct fc_audit a;
    int ret = 0;
    /* The log names ids, not content, but only leads and admins read it. */
    if (fcs_checks_on(txn) && txn->st->actor.s.role == FC_ROLE_CASEWORKER)
        return 0;
    const struct fc_staff *lead = fcs_checks_on(txn) && txn->st->actor.s.role == FC_ROLE_LEAD
                                      ? &txn->st->actor.s : NULL;
    if (mdb_cursor_open(txn->txn, fcs_dbi(txn, FCS_DB_AUDIT), &cur))
        return -FC_ESTORE;
    fcs_key(&k, "Q", from);
    key = fcs_kval(&k);
    int rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
    for (; rc == 0 && ret == 0; rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        if (key.mv_size != 8 ||
            !fcs_decode(&fcs_audit_layout, val.mv_data, val.mv_size, &a)) {
            ret = -FC_ECORRUPT;
            break;
        }
        a.seq = fcs_get_u64(key.mv_data);
        if (lead && !lead_may_read(txn, lead, &a))
            continue;
        ret = fn(&a, ctx);
    }
    if (ret == 0 && rc && rc != MDB_NOTFOUND)
        ret = -FC_ESTORE;
    mdb_cursor_close(cur);
    return ret;
}
