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
        ret = fn(&a, ctx);
    }
    if (ret == 0 && rc && rc != MDB_NOTFOUND)
        ret = -FC_ESTORE;
    mdb_cursor_close(cur);
    return ret;
}
