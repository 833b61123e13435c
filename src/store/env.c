/* The environment: opening (every database once, in one transaction),
 * read transactions with renewal, the write loop that grows the map and
 * runs the action again, error translation, meta counters and the
 * generation counter the TUI polls. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "fitcase/i18n.h"
#include "fitcase/store_bulk.h"
#include "internal.h"

#define FCS_DB_NAME(id, name) name,
const char *const fcs_db_names[FCS_DB_COUNT] = { FCS_DB_LIST(FCS_DB_NAME) };
#undef FCS_DB_NAME

enum {
    FCS_MAX_READERS = 126,
    FCS_MAX_DBS = FCS_DB_COUNT + 8,   /* room for later schema versions */
};
#define FCS_DEFAULT_MAP ((size_t)64 << 20)

/* ---- errors -------------------------------------------------------------- */

static bool disk_full(int rc)
{
    return rc == ENOSPC || rc == EDQUOT || rc == EFBIG;
}

/* LMDB reports a short write (the disk filled up halfway) as EIO; a
 * nearly full file system tells that case from a failing disk. */
static bool nearly_full(const char *path)
{
    struct statvfs vfs;
    if (!path[0] || statvfs(path, &vfs) != 0)
        return false;
    unsigned long long avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
    unsigned long long size = (unsigned long long)vfs.f_blocks * vfs.f_frsize;
    return avail < ((unsigned long long)8 << 20) || avail < size / 100;
}

int fcs_mdb_fail(struct fc_txn *t, int rc, const char *what, struct fc_err *err)
{
    const char *path = t ? t->st->path : "";
    if (rc == EIO && nearly_full(path))
        rc = ENOSPC;
    if (rc == MDB_MAP_FULL || (rc == MDB_BAD_TXN && t && t->map_full)) {
        if (t)
            t->map_full = true;
        return fcs_fail(err, FC_EFULL, _("the store in %s is full"), path);
    }
    if (rc == MDB_TXN_FULL)
        return fcs_fail(err, FC_EFULL,
                        _("this action changes too much at once for the store; "
                          "split it into smaller parts"));
    if (disk_full(rc))
        return fcs_fail(err, FC_EFULL,
                        _("the disk holding the store in %s is full: nothing of this "
                          "action was saved; free some space and try again"), path);
    if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND)
        return fcs_fail(err, FC_ECORRUPT, _("the store in %s is damaged (%s: %s)"), path,
                        what, mdb_strerror(rc));
    return fcs_fail(err, FC_ESTORE, _("store error in %s (%s): %s"), path, what,
                    mdb_strerror(rc));
}

int fcs_corrupt(struct fc_err *err, const char *db, const MDB_val *key)
{
    char hex[2 * 24 + 1] = "";
    const uint8_t *b = key->mv_data;
    for (size_t i = 0; i < key->mv_size && i < 24; i++)
        snprintf(hex + 2 * i, 3, "%02x", b[i]);
    return fcs_fail(err, FC_ECORRUPT,
                    _("a record in %s (key %s) cannot be read; run fitcase verify"), db, hex);
}

int fcs_need_write(const struct fc_txn *t, struct fc_err *err)
{
    if (t->write)
        return FC_OK;
    return fcs_fail(err, FC_EINVAL, _("internal error: a change was tried in a read transaction"));
}

/* ---- low-level access ------------------------------------------------------ */

int fcs_get(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k, MDB_val *val,
            struct fc_err *err)
{
    MDB_val key = fcs_kval(k);
    int rc = mdb_get(t->txn, fcs_dbi(t, db), &key, val);
    if (rc == MDB_NOTFOUND)
        return FC_ENOTFOUND;
    return rc ? fcs_mdb_fail(t, rc, fcs_db_names[db], err) : FC_OK;
}

int fcs_put_raw(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
                const void *data, size_t len, unsigned flags, struct fc_err *err)
{
    int wrc = fcs_need_write(t, err);
    if (wrc)
        return wrc;
    MDB_val key = fcs_kval(k), val = { .mv_size = len, .mv_data = (void *)data };
    int rc = mdb_put(t->txn, fcs_dbi(t, db), &key, &val, flags);
    if (rc == MDB_KEYEXIST)
        return FC_EEXIST;
    return rc ? fcs_mdb_fail(t, rc, fcs_db_names[db], err) : FC_OK;
}

int fcs_del(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k, struct fc_err *err)
{
    int wrc = fcs_need_write(t, err);
    if (wrc)
        return wrc;
    MDB_val key = fcs_kval(k);
    int rc = mdb_del(t->txn, fcs_dbi(t, db), &key, NULL);
    if (rc == MDB_NOTFOUND)
        return FC_ENOTFOUND;
    return rc ? fcs_mdb_fail(t, rc, fcs_db_names[db], err) : FC_OK;
}

int fcs_put_rec(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
                const struct fcs_layout *l, const void *rec, struct fc_err *err)
{
    int wrc = fcs_need_write(t, err);
    if (wrc)
        return wrc;
    MDB_val key = fcs_kval(k), val = { .mv_size = fcs_encoded_size(l, rec) };
    int rc = mdb_put(t->txn, fcs_dbi(t, db), &key, &val, MDB_RESERVE);
    if (rc)
        return fcs_mdb_fail(t, rc, fcs_db_names[db], err);
    fcs_encode(l, rec, val.mv_data);
    return FC_OK;
}

int fcs_get_rec(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
                const struct fcs_layout *l, void *rec, struct fc_err *err)
{
    MDB_val val;
    int rc = fcs_get(t, db, k, &val, err);
    if (rc)
        return rc;
    if (!fcs_decode(l, val.mv_data, val.mv_size, rec)) {
        MDB_val key = fcs_kval(k);
        return fcs_corrupt(err, fcs_db_names[db], &key);
    }
    return FC_OK;
}

int fcs_idx_move(struct fc_txn *t, enum fcs_db db, const struct fcs_key *old,
                 const struct fcs_key *new_key, struct fc_err *err)
{
    if (old->len == new_key->len && memcmp(old->b, new_key->b, old->len) == 0)
        return FC_OK;
    if (old->len) {
        int rc = fcs_del(t, db, old, err);
        if (rc != FC_OK && rc != FC_ENOTFOUND)
            return rc;
    }
    if (new_key->len) {
        int rc = fcs_put_raw(t, db, new_key, "", 0, 0, err);
        if (rc != FC_OK)
            return rc;
    }
    return FC_OK;
}

int fcs_collect_ids(struct fc_txn *t, enum fcs_db db, const struct fcs_key *prefix,
                    size_t id_off, fc_id **ids, size_t *n, struct fc_err *err)
{
    MDB_cursor *cur;
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    int rc = mdb_cursor_open(t->txn, fcs_dbi(t, db), &cur);
    if (rc)
        return fcs_mdb_fail(t, rc, fcs_db_names[db], err);
    MDB_val key = fcs_kval(prefix), val;
    for (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
         rc == 0 && fcs_has_prefix(&key, prefix);
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        if (key.mv_size < id_off + 4)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            fc_id *more = realloc(*ids, cap * sizeof *more);
            if (!more) {
                mdb_cursor_close(cur);
                free(*ids);
                *ids = NULL;
                return fcs_fail(err, FC_ESTORE, _("out of memory"));
            }
            *ids = more;
        }
        (*ids)[(*n)++] = fcs_get_u32((const uint8_t *)key.mv_data + id_off);
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND) {
        free(*ids);
        *ids = NULL;
        return fcs_mdb_fail(t, rc, fcs_db_names[db], err);
    }
    return FC_OK;
}

/* ---- meta ------------------------------------------------------------------ */

int fcs_meta_get_u32(struct fc_txn *t, const char *name, uint32_t *v, struct fc_err *err)
{
    struct fcs_key k;
    MDB_val val;
    fcs_key(&k, "S", name);
    int rc = fcs_get(t, FCS_DB_META, &k, &val, err);
    if (rc == FC_ENOTFOUND) {
        *v = 0;
        return FC_OK;
    }
    if (rc)
        return rc;
    if (val.mv_size != 4) {
        MDB_val key = fcs_kval(&k);
        return fcs_corrupt(err, "meta", &key);
    }
    *v = fcs_get_u32(val.mv_data);
    return FC_OK;
}

int fcs_meta_put_u32(struct fc_txn *t, const char *name, uint32_t v, struct fc_err *err)
{
    struct fcs_key k;
    uint8_t b[4];
    fcs_key(&k, "S", name);
    fcs_put_u32(b, v);
    return fcs_put_raw(t, FCS_DB_META, &k, b, 4, 0, err);
}

int fcs_next_id(struct fc_txn *t, const char *entity, fc_id *id, struct fc_err *err)
{
    char name[64];
    uint32_t last;
    snprintf(name, sizeof name, "last_id.%s", entity);
    int rc = fcs_meta_get_u32(t, name, &last, err);
    if (rc)
        return rc;
    if (last == UINT32_MAX)
        return fcs_fail(err, FC_EFULL, _("no more %s ids are left in this store"), entity);
    *id = last + 1;
    return fcs_meta_put_u32(t, name, *id, err);
}

static int read_generation(struct fc_txn *t, uint64_t *gen, struct fc_err *err)
{
    struct fcs_key k;
    MDB_val val;
    fcs_key(&k, "S", FCS_META_GENERATION);
    int rc = fcs_get(t, FCS_DB_META, &k, &val, err);
    *gen = 0;
    if (rc == FC_ENOTFOUND)
        return FC_OK;
    if (rc)
        return rc;
    if (val.mv_size != 8) {
        MDB_val key = fcs_kval(&k);
        return fcs_corrupt(err, "meta", &key);
    }
    *gen = fcs_get_u64(val.mv_data);
    return FC_OK;
}

static int bump_generation(struct fc_txn *t, struct fc_err *err)
{
    uint64_t gen;
    uint8_t b[8];
    struct fcs_key k;
    int rc = read_generation(t, &gen, err);
    if (rc)
        return rc;
    fcs_put_u64(b, gen + 1);
    fcs_key(&k, "S", FCS_META_GENERATION);
    return fcs_put_raw(t, FCS_DB_META, &k, b, 8, 0, err);
}

int fc_schema_version(struct fc_txn *txn, uint32_t *version, struct fc_err *err)
{
    return fcs_meta_get_u32(txn, FCS_META_SCHEMA, version, err);
}

/* ---- transactions -------------------------------------------------------- */

static int64_t txn_now(void)
{
    /* secure_getenv: a setgid fitcase must not let a user backdate the
     * audit log. */
    const char *pin = secure_getenv("FITCASE_NOW");
    if (pin && *pin) {
        char *end;
        errno = 0;
        long long v = strtoll(pin, &end, 10);
        if (errno == 0 && *end == '\0')
            return v;
    }
    return (int64_t)time(NULL);
}

static void drop_pool(struct fc_store *st)
{
    if (st->pool) {
        mdb_txn_abort(st->pool);
        st->pool = NULL;
    }
}

/* Begins a transaction; when another process grew the map past ours,
 * adopts its size first (allowed only while we hold no transaction). */
static int txn_begin(struct fc_store *st, unsigned flags, MDB_txn **out,
                     struct fc_err *err)
{
    for (int tries = 0;; tries++) {
        int rc = mdb_txn_begin(st->env, NULL, flags, out);
        if (rc == MDB_MAP_RESIZED && tries < 3 && st->readers == 0 && !st->in_write) {
            drop_pool(st);
            rc = mdb_env_set_mapsize(st->env, 0);
            if (rc == 0)
                continue;
        }
        if (rc == MDB_MAP_RESIZED)
            return fcs_fail(err, FC_ESTORE,
                            _("the store in %s was enlarged by another user while a view "
                              "was open here; close the view and try again"), st->path);
        if (rc == MDB_READERS_FULL)
            return fcs_fail(err, FC_ESTORE,
                            _("too many programs are reading the store in %s at once; "
                              "try again in a moment"), st->path);
        if (rc) {
            struct fc_txn t = { .st = st };
            return fcs_mdb_fail(&t, rc, "begin", err);
        }
        return FC_OK;
    }
}

int fcs_read_begin(struct fc_store *st, struct fc_txn *t, struct fc_err *err)
{
    *t = (struct fc_txn){ .st = st, .now = txn_now() };
    if (st->pool) {
        MDB_txn *txn = st->pool;
        st->pool = NULL;
        if (mdb_txn_renew(txn) == 0) {
            t->txn = txn;
            st->readers++;
            return FC_OK;
        }
        mdb_txn_abort(txn);
    }
    int rc = txn_begin(st, MDB_RDONLY, &t->txn, err);
    if (rc)
        return rc;
    st->readers++;
    return FC_OK;
}

void fcs_read_end(struct fc_txn *t)
{
    struct fc_store *st = t->st;
    if (!t->txn)
        return;
    st->readers--;
    if (!st->pool) {
        mdb_txn_reset(t->txn);
        st->pool = t->txn;
    } else {
        mdb_txn_abort(t->txn);
    }
    t->txn = NULL;
}

int fc_read_begin(struct fc_store *st, struct fc_txn **out, struct fc_err *err)
{
    struct fc_txn *t = malloc(sizeof *t);
    *out = NULL;
    if (!t)
        return fcs_fail(err, FC_ESTORE, _("out of memory"));
    int rc = fcs_read_begin(st, t, err);
    if (rc) {
        free(t);
        return rc;
    }
    *out = t;
    return FC_OK;
}

void fc_read_end(struct fc_txn *txn)
{
    if (!txn)
        return;
    fcs_read_end(txn);
    free(txn);
}

const char *fc_txn_who(const struct fc_txn *txn)
{
    return txn->who;
}

int64_t fc_txn_now(const struct fc_txn *txn)
{
    return txn->now;
}

/* Doubles the map. Needs no transaction of ours open: remapping moves
 * the memory a live reader would still point into. */
static int grow(struct fc_store *st, struct fc_err *err)
{
    MDB_envinfo info;
    mdb_env_info(st->env, &info);
    size_t cur = info.me_mapsize;
    if (cur >= st->map_max)
        return fcs_fail(err, FC_EFULL,
                        _("the store in %s has reached its size limit (%zu MiB); nothing "
                          "of this action was saved"), st->path, st->map_max >> 20);
    if (st->readers > 0)
        return fcs_fail(err, FC_ESTORE,
                        _("the store in %s must grow, but a read transaction is still "
                          "open in this program; nothing of this action was saved"),
                        st->path);
    drop_pool(st);
    size_t next = cur > st->map_max / 2 ? st->map_max : cur * 2;
    int rc = mdb_env_set_mapsize(st->env, next);
    if (rc)
        return fcs_fail(err, FC_EFULL,
                        _("the store in %s cannot grow to %zu MiB (%s); nothing of this "
                          "action was saved"), st->path, next >> 20, mdb_strerror(rc));
    return FC_OK;
}

/* Grows ahead of need when the map is over half used, so that an action
 * rarely has to be rerun (a rerun fn sees its structs' ids and versions as
 * the aborted attempt left them unless it starts from a fresh copy). */
static int grow_early(struct fc_store *st, struct fc_err *err)
{
    MDB_envinfo info;
    MDB_stat stat;
    if (st->readers > 0 || mdb_env_info(st->env, &info) || mdb_env_stat(st->env, &stat))
        return FC_OK;
    if ((info.me_last_pgno + 1) * (size_t)stat.ms_psize <= info.me_mapsize / 2)
        return FC_OK;
    /* At the limit the action may still fit: let it try, and the write
     * loop report FC_EFULL if it does not (a full store must still open). */
    (void)err;
    grow(st, NULL);
    return FC_OK;
}

static int open_fn(struct fc_txn *t, void *ctx, struct fc_err *err);

/* A store opened at our schema stays at it, unless a newer fitcase
 * upgraded it while we had it open (a newer one waits until no session
 * holds a reader slot, but a session does not hold one at every moment):
 * then we must write nothing more in our format, which the newer one
 * would read as damage. */
static int same_schema(struct fc_txn *t, struct fc_err *err)
{
    uint32_t v;
    int rc = fc_schema_version(t, &v, err);
    if (rc == FC_OK && v != FC_SCHEMA_VERSION)
        rc = fcs_fail(err, FC_ESTORE,
                      _("the store in %s now has schema version %u, but this fitcase "
                        "writes version %u: another fitcase upgraded it while this one had "
                        "it open; nothing was saved, quit and start fitcase again"),
                      t->st->path, v, FC_SCHEMA_VERSION);
    return rc;
}

static int write_loop(struct fc_store *st, const char *who, fc_write_fn fn, void *ctx,
                      bool bump, struct fc_err *err)
{
    if (st->read_only)
        return fcs_fail(err, FC_EDENIED, _("the store in %s is open read-only"), st->path);
    if (st->in_write)
        return fcs_fail(err, FC_ESTORE,
                        _("internal error: a write transaction inside another one"));
    int rc = grow_early(st, err);
    if (rc)
        return rc;
    for (;;) {
        struct fc_txn t = { .st = st, .write = true, .now = txn_now() };
        snprintf(t.who, sizeof t.who, "%s", who ? who : "");
        rc = txn_begin(st, 0, &t.txn, err);
        if (rc)
            return rc;
        st->in_write = true;
        if (err)
            *err = (struct fc_err){ 0 };
        rc = fn == open_fn ? FC_OK : same_schema(&t, err);
        if (rc == FC_OK)
            rc = fn(&t, ctx, err);
        if (rc == FC_OK && !t.map_full && bump)
            rc = bump_generation(&t, err);
        if (t.map_full || rc != FC_OK) {
            mdb_txn_abort(t.txn);
            st->in_write = false;
            if (!t.map_full) {
                if (err && err->code == FC_OK)
                    fcs_fail(err, rc, _("the action failed; nothing was saved"));
                return rc;
            }
            if ((rc = grow(st, err)) != FC_OK)
                return rc;
            continue;
        }
        rc = mdb_txn_commit(t.txn);
        st->in_write = false;
        if (rc == MDB_MAP_FULL) {
            if ((rc = grow(st, err)) != FC_OK)
                return rc;
            continue;
        }
        if (rc)
            return fcs_mdb_fail(&t, rc, "commit", err);
        return FC_OK;
    }
}

int fc_store_write(struct fc_store *st, const char *who, fc_write_fn fn, void *ctx,
                   struct fc_err *err)
{
    return write_loop(st, who, fn, ctx, true, err);
}

int fcs_store_write_quiet(struct fc_store *st, const char *who, fc_write_fn fn, void *ctx,
                          struct fc_err *err)
{
    return write_loop(st, who, fn, ctx, false, err);
}

int fc_store_generation(struct fc_store *st, uint64_t *gen, struct fc_err *err)
{
    struct fc_txn t;
    int rc = fcs_read_begin(st, &t, err);
    if (rc)
        return rc;
    rc = read_generation(&t, gen, err);
    fcs_read_end(&t);
    return rc;
}

/* ---- open and close -------------------------------------------------------- */

struct count_sessions {
    pid_t self;
    int n;
    pid_t pids[512];
};

/* One line of mdb_reader_list: "  PID  THREAD  TXNID"; the header and
 * "(no active readers)" start otherwise. One process may hold several
 * slots (a pooled and a running read): counted once. */
static int count_session(const char *msg, void *ctx)
{
    struct count_sessions *s = ctx;
    char *end;
    long pid = strtol(msg, &end, 10);
    if (end == msg || pid <= 0 || (pid_t)pid == s->self)
        return 0;
    int have = s->n < 512 ? s->n : 512;
    for (int i = 0; i < have; i++)
        if (s->pids[i] == (pid_t)pid)
            return 0;
    if (s->n < 512)
        s->pids[s->n] = (pid_t)pid;
    s->n++;
    return 0;
}

int fcs_env_sessions(MDB_env *env)
{
    struct count_sessions s = { .self = getpid() };
    int dead;
    mdb_reader_check(env, &dead);
    if (mdb_reader_list(env, count_session, &s) < 0)
        return -1;
    return s.n;
}

static int check_schema(struct fc_txn *t, bool may_migrate, bool keep, struct fc_err *err)
{
    uint32_t v;
    int rc = fc_schema_version(t, &v, err);
    if (rc)
        return rc;
    if (v > FC_SCHEMA_VERSION)
        return fcs_fail(err, FC_ESTORE,
                        _("the store in %s has schema version %u, but this fitcase knows "
                          "only up to %u; use a newer fitcase"), t->st->path, v,
                        FC_SCHEMA_VERSION);
    if (v == FC_SCHEMA_VERSION)
        return FC_OK;
    if (!may_migrate)
        return fcs_fail(err, FC_ESTORE,
                        _("the store in %s has schema version %u and must be upgraded "
                          "to %u; open it once without read-only"), t->st->path, v,
                        FC_SCHEMA_VERSION);
    /* Version 0 is a store being made: nothing in it to read another way. */
    if (v > 0 && keep)
        return fcs_fail(err, FC_ESTORE,
                        _("the store in %s has schema version %u and must be upgraded to %u "
                          "by the account that owns it (fitcase --db %s verify); nothing "
                          "was changed"), t->st->path, v, FC_SCHEMA_VERSION, t->st->path);
    /* An older fitcase with the store open would go on writing the old
     * way into the upgraded store. We hold the write lock: whoever opens
     * it from now on waits for us and sees the new version. */
    int others = v > 0 ? fcs_env_sessions(t->st->env) : 0;
    if (others < 0)
        return fcs_fail(err, FC_ESTORE,
                        _("the store in %s must be upgraded from schema version %u to %u, "
                          "but whether other fitcase sessions have it open cannot be told; "
                          "nothing was changed"), t->st->path, v, FC_SCHEMA_VERSION);
    if (others > 0)
        return fcs_fail(err, FC_ESTORE,
                        ngettext("the store in %s must be upgraded from schema version %u to "
                                 "%u, but %d other fitcase session has it open; the upgrade "
                                 "waits until it quits, nothing was changed",
                                 "the store in %s must be upgraded from schema version %u to "
                                 "%u, but %d other fitcase sessions have it open; the upgrade "
                                 "waits until they quit, nothing was changed",
                                 (unsigned long)others),
                        t->st->path, v, FC_SCHEMA_VERSION, others);
    rc = fcs_migrate(t, v, err);
    return rc ? rc : bump_generation(t, err);
}

static int open_fn(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    const struct fc_store_opts *opts = ctx;
    for (int i = 0; i < FCS_DB_COUNT; i++) {
        int rc = mdb_dbi_open(t->txn, fcs_db_names[i], MDB_CREATE, &t->st->dbi[i]);
        if (rc)
            return fcs_mdb_fail(t, rc, fcs_db_names[i], err);
    }
    return check_schema(t, true, opts->keep_schema, err);
}

static int open_read_only(struct fc_store *st, struct fc_err *err)
{
    struct fc_txn t;
    int rc = fcs_read_begin(st, &t, err);
    if (rc)
        return rc;
    for (int i = 0; i < FCS_DB_COUNT && rc == FC_OK; i++) {
        int mrc = mdb_dbi_open(t.txn, fcs_db_names[i], 0, &st->dbi[i]);
        if (mrc == MDB_NOTFOUND)
            rc = fcs_fail(err, FC_ESTORE,
                          _("the store in %s lacks the %s database; open it once "
                            "without read-only to upgrade it"), st->path, fcs_db_names[i]);
        else if (mrc)
            rc = fcs_mdb_fail(&t, mrc, fcs_db_names[i], err);
    }
    if (rc == FC_OK)
        rc = check_schema(&t, false, false, err);
    /* Committing, not aborting, keeps the database handles open. */
    st->readers--;
    int mrc = mdb_txn_commit(t.txn);
    if (rc == FC_OK && mrc)
        rc = fcs_mdb_fail(&t, mrc, "open", err);
    return rc;
}

static int env_fail(struct fc_store *st, int rc, struct fc_err *err)
{
    if (rc == EACCES || rc == EPERM)
        return fcs_fail(err, FC_EDENIED,
                        _("no permission to open the store in %s; the files must be "
                          "readable and writable by your group"), st->path);
    if (rc == MDB_VERSION_MISMATCH || rc == MDB_INVALID)
        return fcs_fail(err, FC_ECORRUPT, _("%s does not hold a fitcase store (%s)"),
                        st->path, mdb_strerror(rc));
    return fcs_fail(err, FC_ESTORE, _("cannot open the store in %s: %s"), st->path,
                    mdb_strerror(rc));
}

static int env_open(struct fc_store *st, const struct fc_store_opts *opts, bool exists,
                    struct fc_err *err)
{
    size_t want = opts->initial_map ? opts->initial_map : FCS_DEFAULT_MAP;
    if (want > st->map_max)
        want = st->map_max;
    int rc = mdb_env_create(&st->env);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(st->env, FCS_MAX_DBS);
    if (rc == 0)
        rc = mdb_env_set_maxreaders(st->env, FCS_MAX_READERS);
    if (rc == 0 && !exists)
        rc = mdb_env_set_mapsize(st->env, want);
    /* MDB_NOTLS: reader slots belong to transactions, not threads, so read
     * transactions can be reset, renewed and nested freely. */
    if (rc == 0)
        rc = mdb_env_open(st->env, st->path,
                          MDB_NOTLS | (opts->read_only ? MDB_RDONLY : 0), 0660);
    if (rc)
        return env_fail(st, rc, err);
    int dead = 0;
    mdb_reader_check(st->env, &dead);
    MDB_envinfo info;
    mdb_env_info(st->env, &info);
    if (exists && !opts->read_only && info.me_mapsize < want) {
        rc = mdb_env_set_mapsize(st->env, want);
        if (rc)
            return env_fail(st, rc, err);
    }
    return FC_OK;
}

/* Growth stops at 1 TiB (1 GiB on 32-bit), or at FITCASE_MAP_MAX bytes
 * (tests of the full map; ignored by a setgid fitcase). */
static size_t map_limit(void)
{
    size_t max = SIZE_MAX > UINT32_MAX ? (size_t)1 << 40 : (size_t)1 << 30;
    const char *env = secure_getenv("FITCASE_MAP_MAX");
    if (env && *env) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(env, &end, 10);
        if (errno == 0 && *end == '\0' && v >= ((size_t)1 << 16) && v < max)
            max = (size_t)v;
    }
    return max;
}

int fc_store_open(const char *dir, const struct fc_store_opts *opts, struct fc_store **out,
                  struct fc_err *err)
{
    static const struct fc_store_opts defaults = { 0 };
    char data[4200];
    struct stat sb;
    if (!opts)
        opts = &defaults;
    *out = NULL;
    struct fc_store *st = calloc(1, sizeof *st);
    if (!st)
        return fcs_fail(err, FC_ESTORE, _("out of memory"));
    if (snprintf(st->path, sizeof st->path, "%s", dir) >= (int)sizeof st->path - 16) {
        free(st);
        return fcs_fail(err, FC_EINVAL, _("the store path is too long"));
    }
    st->read_only = opts->read_only;
    st->map_max = map_limit();
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    bool exists = stat(data, &sb) == 0;
    int stat_errno = exists ? 0 : errno;
    int rc = FC_OK;
    /* Not "no store" when the directory cannot be searched: the store may
     * well be there (a fitcase installed without its setgid bit). */
    if (stat_errno == EACCES || stat_errno == EPERM)
        rc = fcs_fail(err, FC_EDENIED, _("the store files in %s cannot be read: %s"), dir,
                      strerror(stat_errno));
    else if (!exists && (!opts->create || opts->read_only))
        rc = fcs_fail(err, FC_ENOTFOUND, _("no store in %s (fitcase init creates one)"), dir);
    else if (!exists && mkdir(dir, 0770) != 0 && errno != EEXIST)
        rc = fcs_fail(err, FC_ESTORE, _("cannot create the directory %s: %s"), dir,
                      strerror(errno));
    if (rc == FC_OK)
        rc = env_open(st, opts, exists, err);
    if (rc == FC_OK)
        rc = opts->read_only ? open_read_only(st, err)
                             : write_loop(st, "fitcase", open_fn, (void *)opts, false, err);
    if (rc) {
        fc_store_close(st);
        return rc;
    }
    /* An import that died half way is taken out (store_bulk.h); if that
     * fails the store still opens, and the next open or import tries again. */
    if (!opts->read_only)
        fc_bulk_recover(st, NULL, NULL);
    *out = st;
    return FC_OK;
}

int fc_store_schema_at(const char *dir, uint32_t *version, struct fc_err *err)
{
    char data[4200];
    struct stat sb;
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    MDB_dbi meta;
    MDB_val key = { strlen(FCS_META_SCHEMA), (void *)FCS_META_SCHEMA }, val;
    *version = 0;
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    if (stat(data, &sb) != 0)
        return errno == ENOENT
                   ? fcs_fail(err, FC_ENOTFOUND, _("no store in %s (fitcase init creates one)"),
                              dir)
                   : fcs_fail(err, FC_EDENIED, _("the store files in %s cannot be read: %s"),
                              dir, strerror(errno));
    int rc = mdb_env_create(&env);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(env, FCS_MAX_DBS);
    if (rc == 0)
        rc = mdb_env_open(env, dir, MDB_RDONLY | MDB_NOTLS, 0660);
    if (rc == 0)
        rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "meta", 0, &meta);
    if (rc == 0)
        rc = mdb_get(txn, meta, &key, &val);
    if (rc == 0 && val.mv_size != 4)
        rc = MDB_CORRUPTED;
    if (rc == 0)
        *version = fcs_get_u32(val.mv_data);
    if (rc == MDB_NOTFOUND)
        rc = 0;   /* no meta or no version: a store just made, version 0 */
    if (txn)
        mdb_txn_abort(txn);
    struct fc_store st = { .env = env };
    snprintf(st.path, sizeof st.path, "%s", dir);
    int out = rc ? env_fail(&st, rc, err) : FC_OK;
    if (env)
        mdb_env_close(env);
    return out;
}

void fc_store_close(struct fc_store *st)
{
    if (!st)
        return;
    if (st->env) {
        drop_pool(st);
        mdb_env_close(st->env);
    }
    free(st);
}

const char *fc_store_path(const struct fc_store *st)
{
    return st->path;
}

size_t fc_store_map_size(const struct fc_store *st)
{
    MDB_envinfo info;
    mdb_env_info(st->env, &info);
    return info.me_mapsize;
}
