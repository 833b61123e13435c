/* The bulk write path of imports (store_bulk.h): a cursor per database,
 * appending where the keys come after every key already there; existence
 * and access checked once per pupil or case and transaction; ids from
 * counters read once per transaction; one audit entry per pupil or case
 * and transaction naming the records added. A journaled import records in
 * the meta database, with each transaction's rows, what that transaction
 * added, so that an import whose process died can be taken out again by
 * the next one to open the store. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/score.h"
#include "fitcase/store_bulk.h"
#include "internal.h"

enum {
    WHAT_MAX = 256,
    LIST_MAX = FC_TEXT_MAX - 48,      /* the list of days or ids in one audit entry */
    RUN_RATINGS_MAX = 2048,           /* ratings remembered per run of a case */
    PEND_POINTS_MAX = 4096,           /* series points held before they are written */
    PEND_SERIES_MAX = 256,            /* series held before they are written */
    JOURNAL_VERSION = 1,
};

/* The databases the writer touches, each through one cursor. */
enum bdb { B_ABSENCE, B_MEETINGS, B_MEETING_CASE, B_RATINGS, B_RATING_CASE,
           B_RATING_MEETING, B_AUDIT, B_COUNT };

static const enum fcs_db bdb_db[B_COUNT] = {
    FCS_DB_ABSENCE, FCS_DB_MEETINGS, FCS_DB_MEETING_CASE, FCS_DB_RATINGS,
    FCS_DB_RATING_CASE, FCS_DB_RATING_MEETING, FCS_DB_AUDIT,
};

struct bcur {
    MDB_cursor *c;          /* NULL until first used in the transaction */
    size_t len;             /* the database's last key (len 0: empty) */
    uint8_t last[FCS_KEY_MAX];
};

struct run_meeting {
    fc_id id;
    fc_date date;
};

struct seen_rating {
    fc_id id, meeting;
    uint8_t scale, rater;
    uint64_t name;          /* hash of rater_name */
};

/* A series of the case whose series points are held (pend_point.series
 * indexes these); n: its points, while they are held. */
struct pend_series {
    uint8_t scale, rater;
    uint64_t name;          /* hash of rater_name */
    uint32_t n;
    char rater_name[FC_NAME_MAX];
};

struct pend_point {
    uint32_t series;
    struct fcs_point p;
};

/* A record added, for the audit: its pupil or case, its id or date. */
struct added {
    uint32_t owner, what;
};

/* The pupils and cases checked in this transaction (open addressing;
 * key 0 is empty): a case's team and pupil, for the series index. */
struct checked {
    uint32_t key, team, pupil;
};

/* Who runs a journaled import, so that others can tell it has died. */
struct jhead {
    uint32_t pid;
    uint64_t start;         /* the process's start time (clock ticks after boot) */
    uint8_t boot[16];       /* the kernel's boot id */
    uint8_t flags;          /* JH_ABANDONED: its own process gave up on it */
    char who[FC_LOGIN_MAX];
    char what[WHAT_MAX];
};
enum { JH_ABANDONED = 1 };

struct fc_bulk {
    struct fc_store *st;
    char what[WHAT_MAX];
    bool journal;
    uint32_t import_id;     /* the journal's id once its header committed */
    uint32_t pending_id;    /* the id given in the running transaction */
    uint32_t chunks;        /* transactions committed */

    /* ---- one transaction ---- */
    struct fc_txn *t;
    struct bcur cur[B_COUNT];
    bool counters;          /* rating0/meeting0 read */
    uint32_t meeting0, rating0, next_meeting, next_rating;
    /* what was added, for the audit and the journal */
    struct added *days, *meetings, *ratings;
    size_t ndays, capdays, nmeetings, capmeetings, nratings, capratings;
    struct checked *seen;   /* pupils and cases checked */
    size_t seen_mask, nseen;

    /* the run of one case's meetings and ratings (the one-per-rater rule) */
    fc_id c_case;
    fc_id c_team, c_pupil;
    struct fc_case *kase;
    struct run_meeting *rm;
    size_t nrm, caprm;
    struct seen_rating *sr;
    size_t nsr, capsr;

    /* the outcome series points of one case's new ratings, written to the
     * series index a series at a time (series_flush) */
    fc_id p_case, p_team, p_pupil;
    struct pend_series *ps;
    size_t nps, capps;
    struct pend_point *pp;
    size_t npp, cappp;
    struct fcs_point *pts;  /* the points by series, while they are written */
    size_t cappts;
};

/* ---- small helpers ----------------------------------------------------------- */

static int oom(struct fc_err *err)
{
    return fcs_fail(err, FC_ESTORE, _("out of memory"));
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static inline uint64_t be64(const uint8_t *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
           (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
           (uint64_t)p[6] << 8 | p[7];
}

/* memcmp's order, inline: the keys are short, and a call per put was 3% of
 * an import. */
static inline int keycmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = be64(a + i), y = be64(b + i);
        if (x != y)
            return x < y ? -1 : 1;
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return alen < blen ? -1 : alen > blen;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

/* Keys of the hot paths, built without fcs_key's format string: the same
 * bytes ('I' a big-endian u32, 'D' a date with its sign bit flipped). */
static inline void kput(struct fcs_key *k, uint32_t v)
{
    uint8_t *b = k->b + k->len;
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
    k->len += 4;
}

static inline void key2(struct fcs_key *k, uint32_t a, uint32_t b)
{
    k->len = 0;
    kput(k, a);
    kput(k, b);
}

static inline uint32_t kdate(fc_date d)
{
    return (uint32_t)d ^ 0x80000000u;
}

/* ---- cursors that append ---------------------------------------------------- */

static int cur_open(struct fc_bulk *b, enum bdb d, struct fc_err *err)
{
    struct bcur *c = &b->cur[d];
    if (c->c)
        return FC_OK;
    int rc = mdb_cursor_open(b->t->txn, fcs_dbi(b->t, bdb_db[d]), &c->c);
    if (rc)
        return fcs_mdb_fail(b->t, rc, fcs_db_names[bdb_db[d]], err);
    MDB_val key, val;
    rc = mdb_cursor_get(c->c, &key, &val, MDB_LAST);
    c->len = 0;
    if (rc == 0 && key.mv_size <= FCS_KEY_MAX) {
        memcpy(c->last, key.mv_data, key.mv_size);
        c->len = key.mv_size;
    } else if (rc && rc != MDB_NOTFOUND) {
        return fcs_mdb_fail(b->t, rc, fcs_db_names[bdb_db[d]], err);
    }
    return FC_OK;
}

/* Puts through the database's cursor: appended (no search from the root)
 * when the key sorts after every key of the database, else an ordinary
 * put. FC_EEXIST when MDB_NOOVERWRITE finds the key. */
static int bput(struct fc_bulk *b, enum bdb d, const struct fcs_key *k, MDB_val *val,
                unsigned flags, struct fc_err *err)
{
    struct bcur *c = &b->cur[d];
    int rc = cur_open(b, d, err);
    if (rc)
        return rc;
    MDB_val key = fcs_kval(k);
    bool append = keycmp(k->b, k->len, c->last, c->len) > 0;
    rc = mdb_cursor_put(c->c, &key, val, flags | (append ? MDB_APPEND : 0));
    if (rc == MDB_KEYEXIST && append) {
        /* Someone else in this transaction wrote past our last key. */
        rc = mdb_cursor_get(c->c, &key, &(MDB_val){ 0 }, MDB_LAST);
        if (rc == 0 && key.mv_size <= FCS_KEY_MAX) {
            memcpy(c->last, key.mv_data, key.mv_size);
            c->len = key.mv_size;
        }
        key = fcs_kval(k);
        append = false;
        rc = mdb_cursor_put(c->c, &key, val, flags);
    }
    if (rc == MDB_KEYEXIST)
        return FC_EEXIST;
    if (rc)
        return fcs_mdb_fail(b->t, rc, fcs_db_names[bdb_db[d]], err);
    if (append) {
        memcpy(c->last, k->b, k->len);
        c->len = k->len;
    }
    return FC_OK;
}

static int bput_rec(struct fc_bulk *b, enum bdb d, const struct fcs_key *k,
                    const struct fcs_layout *l, const void *rec, struct fc_err *err)
{
    MDB_val val = { .mv_size = fcs_encoded_size(l, rec) };
    int rc = bput(b, d, k, &val, MDB_RESERVE | MDB_NOOVERWRITE, err);
    if (rc == FC_EEXIST)
        return fcs_fail(err, FC_ESTORE, _("store error in %s (%s): %s"), b->st->path,
                        fcs_db_names[bdb_db[d]], mdb_strerror(MDB_KEYEXIST));
    if (rc == FC_OK)
        fcs_encode(l, rec, val.mv_data);
    return rc;
}

static int bput_idx(struct fc_bulk *b, enum bdb d, const struct fcs_key *k,
                    struct fc_err *err)
{
    MDB_val val = { 0, (void *)"" };
    return bput(b, d, k, &val, 0, err);
}

/* ---- the audit log ------------------------------------------------------------ */

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Appends an entry after the log's real last one (others in this
 * transaction may have added entries through fc_audit_add). */
static int baudit(struct fc_bulk *b, const char *action, const char *entity, fc_id id,
                  const char *detail, struct fc_err *err)
{
    struct fc_audit *a = malloc(sizeof *a);
    if (!a)
        return oom(err);
    int rc = cur_open(b, B_AUDIT, err);
    MDB_val key, val;
    uint64_t seq = 0;
    if (rc == FC_OK) {
        int mrc = mdb_cursor_get(b->cur[B_AUDIT].c, &key, &val, MDB_LAST);
        if (mrc == 0 && key.mv_size == 8)
            seq = fcs_get_u64(key.mv_data);
        else if (mrc == 0)
            rc = fcs_corrupt(err, "audit", &key);
        else if (mrc != MDB_NOTFOUND)
            rc = fcs_mdb_fail(b->t, mrc, "audit", err);
    }
    if (rc == FC_OK) {
        memset(a, 0, offsetof(struct fc_audit, detail));
        a->seq = seq + 1;
        a->when = b->t->now;
        a->entity_id = id;
        copy_str(a->who, sizeof a->who, b->t->who);
        copy_str(a->action, sizeof a->action, action);
        copy_str(a->entity, sizeof a->entity, entity);
        copy_str(a->detail, sizeof a->detail, detail);
        struct fcs_key k;
        fcs_key(&k, "Q", a->seq);
        rc = bput_rec(b, B_AUDIT, &k, &fcs_audit_layout, a, err);
    }
    free(a);
    return rc;
}

/* ---- what was added: the audit entries -------------------------------------- */

static int note(struct added **list, size_t *n, size_t *cap, uint32_t owner, uint32_t what,
                struct fc_err *err)
{
    if (!grow((void **)list, cap, *n + 1, sizeof **list))
        return oom(err);
    (*list)[(*n)++] = (struct added){ owner, what };
    return FC_OK;
}

static int added_cmp(const void *a, const void *b)
{
    const struct added *x = a, *y = b;
    if (x->owner != y->owner)
        return x->owner < y->owner ? -1 : 1;
    return x->what < y->what ? -1 : x->what > y->what;
}

static void sort_added(struct added *list, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (added_cmp(&list[i - 1], &list[i]) > 0) {
            qsort(list, n, sizeof *list, added_cmp);
            return;
        }
}

static size_t put_date(char *out, fc_date d)
{
    int y, m, day;
    fc_date_to_ymd(d, &y, &m, &day);
    if (y < 0 || y > 9999)
        return (size_t)snprintf(out, 16, "%d-%02d-%02d", y, m, day);
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + day / 10);
    out[9] = (char)('0' + day % 10);
    return 10;
}

/* One item of a list: "2024-08-12..2024-08-16" (dates) or "5-9" (ids). */
static size_t put_item(char *o, uint32_t from, uint32_t to, bool dates)
{
    size_t n;
    if (dates) {
        n = put_date(o, (fc_date)(from ^ 0x80000000u));
        if (to != from) {
            o[n++] = '.';
            o[n++] = '.';
            n += put_date(o + n, (fc_date)(to ^ 0x80000000u));
        }
        return n;
    }
    return (size_t)(to == from ? sprintf(o, "%u", from) : sprintf(o, "%u-%u", from, to));
}

/* An entry per owner (pupil or case) of the sorted list: "4 days:
 * 2024-09-02..2024-09-04, 2024-09-09" or "3 ratings added: ids 7-9"; a list
 * too long for one entry goes on in the next. dates: `what` holds a date
 * with its sign bit flipped (so that it sorts). */
static int audit_added(struct fc_bulk *b, const struct added *list, size_t n, bool dates,
                       const char *action, const char *entity, const char *noun,
                       struct fc_err *err)
{
    char text[LIST_MAX], detail[FC_TEXT_MAX];
    for (size_t i = 0; i < n;) {
        uint32_t owner = list[i].owner;
        size_t count = 0, len = 0;
        /* An item takes at most 2 + 22 bytes (two dates, or two ids). */
        while (i < n && list[i].owner == owner && len + 2 + 24 < LIST_MAX) {
            uint32_t from = list[i].what, to = from;
            size_t j = i + 1;
            while (j < n && list[j].owner == owner && list[j].what == to + 1)
                to = list[j++].what;
            if (len) {
                text[len++] = ',';
                text[len++] = ' ';
            }
            len += put_item(text + len, from, to, dates);
            count += j - i;
            i = j;
        }
        /* LIST_MAX and a head of at most 48 bytes fit in an entry. */
        if (dates)
            snprintf(detail, sizeof detail, "%zu %s%s: %.*s", count, noun,
                     count == 1 ? "" : "s", (int)len, text);
        else
            snprintf(detail, sizeof detail, "%zu %s%s added: id%s %.*s", count, noun,
                     count == 1 ? "" : "s", count == 1 ? "" : "s", (int)len, text);
        int rc = baudit(b, action, entity, owner, detail, err);
        if (rc)
            return rc;
    }
    return FC_OK;
}

/* ---- pupils and cases checked once per transaction ----------------------------- */

static struct checked *checked_find(struct fc_bulk *b, uint32_t key)
{
    if (!b->seen)
        return NULL;
    for (size_t i = (key * 2654435761u) & b->seen_mask;; i = (i + 1) & b->seen_mask) {
        if (b->seen[i].key == key)
            return &b->seen[i];
        if (b->seen[i].key == 0)
            return NULL;
    }
}

static void checked_put(struct checked *table, size_t mask, struct checked c)
{
    size_t i = (c.key * 2654435761u) & mask;
    while (table[i].key)
        i = (i + 1) & mask;
    table[i] = c;
}

static int checked_add(struct fc_bulk *b, uint32_t key, uint32_t team, uint32_t pupil,
                       struct fc_err *err)
{
    if (!b->seen || (b->nseen + 1) * 2 > b->seen_mask + 1) {
        size_t oldcap = b->seen ? b->seen_mask + 1 : 0, cap = oldcap ? oldcap * 2 : 256;
        struct checked *n = calloc(cap, sizeof *n);
        if (!n)
            return oom(err);
        for (size_t i = 0; i < oldcap; i++)
            if (b->seen[i].key)
                checked_put(n, cap - 1, b->seen[i]);
        free(b->seen);
        b->seen = n;
        b->seen_mask = cap - 1;
    }
    checked_put(b->seen, b->seen_mask, (struct checked){ key, team, pupil });
    b->nseen++;
    return FC_OK;
}

/* Pupils and cases share the table: cases with the top bit set. */
#define CASE_KEY(id) ((id) | 0x80000000u)

static int pupil_check(struct fc_bulk *b, fc_id pupil, struct fc_err *err)
{
    if (pupil && pupil < 0x80000000u && checked_find(b, pupil))
        return FC_OK;
    struct fcs_key k;
    MDB_val val;
    k.len = 0;
    kput(&k, pupil);
    int rc = pupil ? fcs_get(b->t, FCS_DB_PUPILS, &k, &val, err) : FC_ENOTFOUND;
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_EINVAL, _("%s: %s %u does not exist"), _("absence"),
                        _("pupil"), pupil);
    if (rc == FC_OK)
        rc = fcs_pupil_reach(b->t, pupil, err);
    if (rc == FC_OK && pupil < 0x80000000u)
        rc = checked_add(b, pupil, 0, 0, err);
    return rc;
}

int fc_bulk_absence(struct fc_bulk *b, const struct fc_absence *a, struct fc_err *err)
{
    if (a->kind >= FC_ABS_KIND_COUNT)
        return fcs_fail(err, FC_EINVAL, _("unknown kind of absence %u"), a->kind);
    if (a->date == FC_DATE_NONE)
        return fcs_fail(err, FC_EINVAL, _("an absence day needs a date"));
    int rc = pupil_check(b, a->pupil_id, err);
    if (rc)
        return rc;
    struct fcs_key k;
    MDB_val val = { 1, (void *)&a->kind };
    key2(&k, a->pupil_id, kdate(a->date));
    rc = bput(b, B_ABSENCE, &k, &val, MDB_NOOVERWRITE, err);
    if (rc)
        return rc;
    return note(&b->days, &b->ndays, &b->capdays, a->pupil_id, kdate(a->date), err);
}

/* ---- the case run: meetings and ratings ------------------------------------- */

/* Forgets the run's meetings and ratings (the one-per-rater rule). */
static void case_forget(struct fc_bulk *b)
{
    b->c_case = 0;
    b->nrm = b->nsr = 0;
}

/* whose: N_("meeting") or N_("rating"), for the message. */
static int case_run(struct fc_bulk *b, fc_id case_id, const char *whose, struct fc_err *err)
{
    if (case_id && case_id == b->c_case)
        return FC_OK;
    case_forget(b);
    struct checked *c = case_id < 0x80000000u ? checked_find(b, CASE_KEY(case_id)) : NULL;
    if (c) {
        b->c_team = c->team;
        b->c_pupil = c->pupil;
        b->c_case = case_id;
        return FC_OK;
    }
    if (!b->kase && !(b->kase = malloc(sizeof *b->kase)))
        return oom(err);
    int rc = case_id ? fcs_case_head_get(b->t, case_id, b->kase, NULL) : FC_ENOTFOUND;
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_EINVAL, _("%s: %s %u does not exist"), _(whose), _("case"),
                        case_id);
    if (rc)
        return fcs_case_head_get(b->t, case_id, b->kase, err);
    rc = fcs_case_reach(b->t, case_id, err);
    if (rc == FC_OK && case_id < 0x80000000u)
        rc = checked_add(b, CASE_KEY(case_id), b->kase->team_id, b->kase->pupil_id, err);
    if (rc == FC_OK) {
        b->c_team = b->kase->team_id;
        b->c_pupil = b->kase->pupil_id;
        b->c_case = case_id;
    }
    return rc;
}

static int counters(struct fc_bulk *b, struct fc_err *err)
{
    if (b->counters)
        return FC_OK;
    int rc = fcs_meta_get_u32(b->t, "last_id.meeting", &b->meeting0, err);
    if (rc == FC_OK)
        rc = fcs_meta_get_u32(b->t, "last_id.rating", &b->rating0, err);
    b->next_meeting = b->meeting0;
    b->next_rating = b->rating0;
    b->counters = rc == FC_OK;
    return rc;
}

static int new_id(uint32_t *next, const char *entity, fc_id *id, struct fc_err *err)
{
    if (*next == UINT32_MAX)
        return fcs_fail(err, FC_EFULL, _("no more %s ids are left in this store"), entity);
    *id = ++*next;
    return FC_OK;
}

static int remember_meeting(struct fc_bulk *b, fc_id id, fc_date date, struct fc_err *err)
{
    if (!grow((void **)&b->rm, &b->caprm, b->nrm + 1, sizeof *b->rm))
        return oom(err);
    b->rm[b->nrm++] = (struct run_meeting){ id, date };
    return FC_OK;
}

int fc_bulk_meeting(struct fc_bulk *b, struct fc_meeting *m, struct fc_err *err)
{
    if (m->id)
        return fcs_fail(err, FC_EINVAL, _("internal error: a bulk write of a stored record"));
    if (m->kind >= FC_MEET_KIND_COUNT)
        return fcs_fail(err, FC_EINVAL, _("unknown kind of meeting %u"), m->kind);
    if (m->date == FC_DATE_NONE)
        return fcs_fail(err, FC_EINVAL, _("a meeting needs a date"));
    const char *list = fcs_bad_list(&fcs_meeting_layout, m);
    if (list)
        return fcs_fail(err, FC_EINVAL, _("%s: too many entries in %s (at most %d)"),
                        _("meeting"), list, FC_LIST_MAX);
    fc_id id = 0;
    int rc = case_run(b, m->case_id, N_("meeting"), err);
    if (rc == FC_OK)
        rc = counters(b, err);
    if (rc == FC_OK)
        rc = new_id(&b->next_meeting, "meeting", &id, err);
    if (rc)
        return rc;
    m->id = id;
    m->version = 1;
    struct fcs_key k;
    k.len = 0;
    kput(&k, id);
    rc = bput_rec(b, B_MEETINGS, &k, &fcs_meeting_layout, m, err);
    if (rc == FC_OK) {
        key2(&k, m->case_id, kdate(m->date));
        kput(&k, id);
        rc = bput_idx(b, B_MEETING_CASE, &k, err);
    }
    if (rc == FC_OK)
        rc = remember_meeting(b, id, m->date, err);
    if (rc == FC_OK)
        rc = note(&b->meetings, &b->nmeetings, &b->capmeetings, m->case_id, id, err);
    if (rc) {
        m->id = 0;
        m->version = 0;
    }
    return rc;
}

static int remember_rating(struct fc_bulk *b, const struct fc_rating *r, struct fc_err *err)
{
    if (!grow((void **)&b->sr, &b->capsr, b->nsr + 1, sizeof *b->sr))
        return oom(err);
    b->sr[b->nsr++] = (struct seen_rating){ r->id, r->meeting_id, r->scale, r->rater,
                                            hash_str(r->rater_name) };
    return FC_OK;
}

/* The meeting of a rating, checked once per run: it exists, belongs to the
 * case; its ratings are remembered for the one-per-rater rule. */
static int run_meeting(struct fc_bulk *b, const struct fc_rating *r, fc_date *date,
                       struct fc_err *err)
{
    for (size_t i = b->nrm; i-- > 0;)
        if (b->rm[i].id == r->meeting_id) {
            *date = b->rm[i].date;
            return FC_OK;
        }
    struct fc_meeting *m = malloc(sizeof *m);
    struct fcs_key prefix;
    fc_id *ids = NULL;
    size_t n = 0;
    if (!m)
        return oom(err);
    int rc = fcs_rec_get(b->t, &fcs_meeting_ent, r->meeting_id, m, err);
    if (rc == FC_ENOTFOUND)
        rc = fcs_fail(err, FC_EINVAL, _("rating: meeting %u does not exist"), r->meeting_id);
    if (rc == FC_OK && m->case_id != r->case_id)
        rc = fcs_fail(err, FC_EINVAL, _("rating: meeting %u belongs to case %u, not case %u"),
                      r->meeting_id, m->case_id, r->case_id);
    fcs_key(&prefix, "I", r->meeting_id);
    if (rc == FC_OK)
        rc = fcs_collect_ids(b->t, FCS_DB_RATING_MEETING, &prefix, 4, &ids, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        struct fc_rating o;
        rc = fcs_rec_get(b->t, &fcs_rating_ent, ids[i], &o, err);
        if (rc == FC_OK)
            rc = remember_rating(b, &o, err);
    }
    if (rc == FC_OK) {
        *date = m->date;
        rc = remember_meeting(b, r->meeting_id, m->date, err);
    }
    free(ids);
    free(m);
    return rc;
}

/* ---- the series index, a series at a time ------------------------------------
 * A rating's point goes into its series in the index (fcs_series_add), but
 * the case's ratings come together: their points are held until the case
 * is done (or the transaction ends), then each series is read and written
 * once with all of its new points (fcs_series_add_many), which leaves it
 * as adding them one by one would. */

static void series_forget(struct fc_bulk *b)
{
    b->p_case = 0;
    b->nps = b->npp = 0;
}

/* Writes the held points, a series at a time. */
static int series_flush(struct fc_bulk *b, struct fc_err *err)
{
    if (!b->npp) {
        series_forget(b);
        return FC_OK;
    }
    if (!grow((void **)&b->pts, &b->cappts, b->npp, sizeof *b->pts))
        return oom(err);
    /* The points by series, each series' in the order they came. */
    uint32_t at = 0;
    for (size_t i = 0; i < b->nps; i++) {
        uint32_t n = b->ps[i].n;
        b->ps[i].n = at;
        at += n;
    }
    for (size_t i = 0; i < b->npp; i++)
        b->pts[b->ps[b->pp[i].series].n++] = b->pp[i].p;
    struct fc_rating like = { .case_id = b->p_case };
    int rc = FC_OK;
    for (size_t i = 0, from = 0; rc == FC_OK && i < b->nps; from = b->ps[i++].n) {
        like.scale = b->ps[i].scale;
        like.rater = b->ps[i].rater;
        memcpy(like.rater_name, b->ps[i].rater_name, sizeof like.rater_name);
        rc = fcs_series_add_many(b->t, &like, b->pts + from, b->ps[i].n - from, b->p_team,
                                 b->p_pupil, err);
    }
    series_forget(b);
    return rc;
}

/* Holds a new rating's point for its series (outcome scales only). */
static int series_note(struct fc_bulk *b, const struct fc_rating *r, uint64_t name,
                       struct fc_err *err)
{
    if (!fc_scale_is_outcome((enum fc_scale)r->scale))
        return FC_OK;
    int rc = FC_OK;
    if (b->npp && (b->p_case != r->case_id || b->npp >= PEND_POINTS_MAX ||
                   b->nps >= PEND_SERIES_MAX))
        rc = series_flush(b, err);
    if (rc)
        return rc;
    if (!b->npp) {
        b->p_case = r->case_id;
        b->p_team = b->c_team;
        b->p_pupil = b->c_pupil;
        b->nps = 0;
    }
    size_t i = b->nps;
    while (i-- > 0) {
        const struct pend_series *s = &b->ps[i];
        if (s->scale == r->scale && s->rater == r->rater && s->name == name &&
            strcmp(s->rater_name, r->rater_name) == 0)
            break;
    }
    if (i == SIZE_MAX) {
        if (!grow((void **)&b->ps, &b->capps, b->nps + 1, sizeof *b->ps))
            return oom(err);
        struct pend_series *s = &b->ps[b->nps];
        s->scale = r->scale;
        s->rater = r->rater;
        s->name = name;
        s->n = 0;
        memcpy(s->rater_name, r->rater_name, sizeof s->rater_name);
        i = b->nps++;
    }
    if (!grow((void **)&b->pp, &b->cappp, b->npp + 1, sizeof *b->pp))
        return oom(err);
    b->pp[b->npp++] = (struct pend_point){ (uint32_t)i, { r->date, r->id, r->total } };
    b->ps[i].n++;
    return FC_OK;
}

static int rating_unique(struct fc_bulk *b, const struct fc_rating *r, struct fc_err *err)
{
    uint64_t name = hash_str(r->rater_name);
    for (size_t i = 0; i < b->nsr; i++) {
        const struct seen_rating *s = &b->sr[i];
        if (s->meeting == r->meeting_id && s->scale == r->scale && s->rater == r->rater &&
            s->name == name) {
            char who[FC_NAME_MAX + 32];
            if (r->rater_name[0])
                snprintf(who, sizeof who, "%s (%s)", fc_rater_code(r->rater), r->rater_name);
            else
                snprintf(who, sizeof who, "%s", fc_rater_code(r->rater));
            return fcs_fail(err, FC_EEXIST,
                            _("%s has already given a %s rating in this meeting (rating %u)"),
                            who, fc_scale_code(r->scale), s->id);
        }
    }
    return FC_OK;
}

int fc_bulk_rating(struct fc_bulk *b, struct fc_rating *r, struct fc_err *err)
{
    if (r->id)
        return fcs_fail(err, FC_EINVAL, _("internal error: a bulk write of a stored record"));
    if (r->scale >= FC_SCALE_COUNT || r->rater >= FC_RATER_COUNT)
        return fcs_fail(err, FC_EINVAL, _("unknown scale or rater in a rating"));
    int rc = fc_rating_normalize(r, err);
    if (rc)
        return rc;
    /* A long run forgets what it remembered. */
    if (b->nsr >= RUN_RATINGS_MAX)
        case_forget(b);
    fc_date date = FC_DATE_NONE;
    fc_id id = 0;
    rc = case_run(b, r->case_id, N_("rating"), err);
    if (rc == FC_OK)
        rc = run_meeting(b, r, &date, err);
    if (rc == FC_OK) {
        r->date = date;
        rc = rating_unique(b, r, err);
    }
    if (rc == FC_OK)
        rc = counters(b, err);
    if (rc == FC_OK)
        rc = new_id(&b->next_rating, "rating", &id, err);
    if (rc)
        return rc;
    r->id = id;
    r->version = 1;
    struct fcs_key k;
    k.len = 0;
    kput(&k, id);
    rc = bput_rec(b, B_RATINGS, &k, &fcs_rating_layout, r, err);
    if (rc == FC_OK) {
        key2(&k, r->case_id, kdate(r->date));
        kput(&k, r->meeting_id);
        kput(&k, id);
        rc = bput_idx(b, B_RATING_CASE, &k, err);
    }
    if (rc == FC_OK) {
        key2(&k, r->meeting_id, id);
        rc = bput_idx(b, B_RATING_MEETING, &k, err);
    }
    if (rc == FC_OK)
        rc = series_note(b, r, hash_str(r->rater_name), err);
    if (rc == FC_OK)
        rc = remember_rating(b, r, err);
    if (rc == FC_OK)
        rc = note(&b->ratings, &b->nratings, &b->capratings, r->case_id, id, err);
    if (rc) {
        r->id = 0;
        r->version = 0;
    }
    return rc;
}

/* ---- the journal -------------------------------------------------------------
 * In the meta database: "import/IIIIIIII" (hex id) holds the header, and
 * "import/IIIIIIII/CCCCCCCC" what transaction C added: u8 version, the
 * ranges of rating and meeting ids (u32 first, last; 0 0 for none), then
 * the 8-byte keys of the absence days. */

static void journal_key(struct fcs_key *k, uint32_t id, uint32_t chunk, bool with_chunk)
{
    char s[32];
    if (with_chunk)
        snprintf(s, sizeof s, "import/%08x/%08x", id, chunk);
    else
        snprintf(s, sizeof s, "import/%08x", id);
    fcs_key(k, "S", s);
}

static bool read_line(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(buf, (int)cap, f) != NULL;
    fclose(f);
    return ok;
}

static bool boot_id(uint8_t out[16])
{
    char s[64];
    size_t n = 0;
    if (!read_line("/proc/sys/kernel/random/boot_id", s, sizeof s))
        return false;
    memset(out, 0, 16);
    for (const char *p = s; *p && n < 32; p++) {
        int v = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
        if (v < 0)
            continue;
        out[n / 2] = (uint8_t)(out[n / 2] << 4 | v);
        n++;
    }
    return n == 32;
}

/* The start time (field 22 of /proc/PID/stat) and whether it is a zombie;
 * false when there is no such process or it cannot be read. */
static bool proc_start(uint32_t pid, uint64_t *start, bool *zombie, bool *gone)
{
    char path[64], s[1024];
    snprintf(path, sizeof path, "/proc/%u/stat", pid);
    *gone = false;
    if (!read_line(path, s, sizeof s)) {
        *gone = errno == ENOENT;
        return false;
    }
    const char *p = strrchr(s, ')');
    if (!p || p[1] != ' ')
        return false;
    p += 2;
    *zombie = *p == 'Z' || *p == 'X';
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (!p)
            return false;
        p++;
    }
    *start = strtoull(p, NULL, 10);
    return true;
}

static void my_head(struct jhead *h, const char *who, const char *what)
{
    bool zombie, gone;
    memset(h, 0, sizeof *h);
    h->pid = (uint32_t)getpid();
    if (!proc_start(h->pid, &h->start, &zombie, &gone))
        h->start = 0;
    boot_id(h->boot);
    copy_str(h->who, sizeof h->who, who);
    copy_str(h->what, sizeof h->what, what);
}

static bool owner_alive(const struct jhead *h)
{
    uint8_t boot[16];
    uint64_t start;
    bool zombie = false, gone = false;
    if (h->flags & JH_ABANDONED)
        return false;
    if (boot_id(boot) && memcmp(boot, h->boot, 16) != 0)
        return false;                     /* the machine restarted since */
    if (proc_start(h->pid, &start, &zombie, &gone))
        return !zombie && start == h->start;
    if (gone)
        return false;
    /* No /proc to ask: a process with that id may still be it. */
    return kill((pid_t)h->pid, 0) == 0 || errno == EPERM;
}

static size_t head_encode(const struct jhead *h, uint8_t *out)
{
    uint8_t *o = out;
    *o++ = JOURNAL_VERSION;
    fcs_put_u32(o, h->pid);
    fcs_put_u64(o + 4, h->start);
    memcpy(o + 12, h->boot, 16);
    o[28] = h->flags;
    o += 29;
    const char *s[2] = { h->who, h->what };
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(s[i]);
        *o++ = (uint8_t)n;
        memcpy(o, s[i], n);
        o += n;
    }
    return (size_t)(o - out);
}

static bool head_decode(const MDB_val *v, struct jhead *h)
{
    const uint8_t *p = v->mv_data, *end = p + v->mv_size;
    memset(h, 0, sizeof *h);
    if (v->mv_size < 31 || p[0] != JOURNAL_VERSION)
        return false;
    h->pid = fcs_get_u32(p + 1);
    h->start = fcs_get_u64(p + 5);
    memcpy(h->boot, p + 13, 16);
    h->flags = p[29];
    p += 30;
    char *s[2] = { h->who, h->what };
    size_t cap[2] = { sizeof h->who, sizeof h->what };
    for (int i = 0; i < 2; i++) {
        if (p >= end || (size_t)(end - p - 1) < *p || *p >= cap[i])
            return false;
        memcpy(s[i], p + 1, *p);
        s[i][*p] = '\0';
        p += 1 + *p;
    }
    return true;
}

static int put_head(struct fc_txn *t, uint32_t id, const struct jhead *h, struct fc_err *err)
{
    uint8_t buf[64 + FC_LOGIN_MAX + WHAT_MAX];
    struct fcs_key k;
    journal_key(&k, id, 0, false);
    return fcs_put_raw(t, FCS_DB_META, &k, buf, head_encode(h, buf), 0, err);
}

static int journal_chunk(struct fc_bulk *b, struct fc_err *err)
{
    size_t len = 17 + b->ndays * 8;
    struct fcs_key k;
    journal_key(&k, b->pending_id, b->chunks + 1, true);
    MDB_val key = fcs_kval(&k), val = { .mv_size = len };
    int rc = mdb_put(b->t->txn, fcs_dbi(b->t, FCS_DB_META), &key, &val, MDB_RESERVE);
    if (rc)
        return fcs_mdb_fail(b->t, rc, "meta", err);
    uint8_t *o = val.mv_data;
    bool r = b->counters && b->next_rating > b->rating0;
    bool m = b->counters && b->next_meeting > b->meeting0;
    o[0] = JOURNAL_VERSION;
    fcs_put_u32(o + 1, r ? b->rating0 + 1 : 0);
    fcs_put_u32(o + 5, r ? b->next_rating : 0);
    fcs_put_u32(o + 9, m ? b->meeting0 + 1 : 0);
    fcs_put_u32(o + 13, m ? b->next_meeting : 0);
    for (size_t i = 0; i < b->ndays; i++) {
        fcs_put_u32(o + 17 + 8 * i, b->days[i].owner);
        fcs_put_u32(o + 21 + 8 * i, b->days[i].what);
    }
    return FC_OK;
}

static int drop_journal(struct fc_txn *t, uint32_t id, struct fc_err *err)
{
    struct fcs_key k;
    journal_key(&k, id, 0, false);
    return fcs_delete_prefix(t, FCS_DB_META, &k, NULL, err);   /* the header and every chunk */
}

/* ---- the writer --------------------------------------------------------------- */

int fc_bulk_new(struct fc_store *st, const char *what, bool journal, struct fc_bulk **out,
                struct fc_err *err)
{
    struct fc_bulk *b = calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return oom(err);
    b->st = st;
    b->journal = journal;
    copy_str(b->what, sizeof b->what, what ? what : "");
    *out = b;
    return FC_OK;
}

void fc_bulk_free(struct fc_bulk *b)
{
    if (!b)
        return;
    free(b->days);
    free(b->meetings);
    free(b->ratings);
    free(b->seen);
    free(b->kase);
    free(b->rm);
    free(b->sr);
    free(b->ps);
    free(b->pp);
    free(b->pts);
    free(b);
}

int fc_bulk_begin(struct fc_bulk *b, struct fc_txn *txn, struct fc_err *err)
{
    int rc = fcs_need_write(txn, err);
    if (rc)
        return rc;
    b->t = txn;
    /* LMDB closes a write transaction's cursors when it ends. */
    for (int i = 0; i < B_COUNT; i++)
        b->cur[i].c = NULL;
    b->counters = false;
    b->ndays = b->nmeetings = b->nratings = 0;
    if (b->seen)
        memset(b->seen, 0, (b->seen_mask + 1) * sizeof *b->seen);
    b->nseen = 0;
    case_forget(b);
    series_forget(b);
    b->pending_id = b->import_id;
    if (b->journal && !b->import_id) {
        struct jhead h;
        rc = fcs_next_id(txn, "import", &b->pending_id, err);
        my_head(&h, txn->who, b->what);
        if (rc == FC_OK)
            rc = put_head(txn, b->pending_id, &h, err);
    }
    return rc;
}

int fc_bulk_end(struct fc_bulk *b, bool last, struct fc_err *err)
{
    int rc = series_flush(b, err);
    if (rc)
        return rc;
    sort_added(b->days, b->ndays);
    sort_added(b->meetings, b->nmeetings);
    sort_added(b->ratings, b->nratings);
    /* The dates only: the kind (sick ...) is health data, and the log
     * outlives an erased pupil. */
    rc = audit_added(b, b->days, b->ndays, true, "absence.add", "pupil", "day", err);
    if (rc == FC_OK)
        rc = audit_added(b, b->meetings, b->nmeetings, false, "meeting.add", "case",
                         "meeting", err);
    if (rc == FC_OK)
        rc = audit_added(b, b->ratings, b->nratings, false, "rating.add", "case", "rating",
                         err);
    if (rc == FC_OK && b->counters && b->next_meeting != b->meeting0)
        rc = fcs_meta_put_u32(b->t, "last_id.meeting", b->next_meeting, err);
    if (rc == FC_OK && b->counters && b->next_rating != b->rating0)
        rc = fcs_meta_put_u32(b->t, "last_id.rating", b->next_rating, err);
    if (rc == FC_OK && b->journal)
        rc = last ? drop_journal(b->t, b->pending_id, err) : journal_chunk(b, err);
    return rc;
}

void fc_bulk_committed(struct fc_bulk *b)
{
    b->import_id = b->pending_id;
    b->chunks++;
    b->t = NULL;
}

/* ---- undo --------------------------------------------------------------------- */

struct undo {
    uint32_t id;
    struct jhead head;
    bool done;                 /* no transaction left in the journal */
    /* counts of the committed steps, and of the running one */
    uint64_t days, ratings, meetings, kept;
    uint64_t s_days, s_ratings, s_meetings, s_kept;
    struct fc_rating *series;  /* series to make again after a step's deletes */
    size_t nseries, capseries;
};

/* The series (case, scale, rater, name) a deleted rating belonged to, to be
 * made again once when the step's deletes are done. */
static int note_series(struct undo *u, const struct fc_rating *r, struct fc_err *err)
{
    if (!fc_scale_is_outcome((enum fc_scale)r->scale))
        return FC_OK;
    for (size_t i = u->nseries; i-- > 0;) {
        const struct fc_rating *o = &u->series[i];
        if (o->case_id != r->case_id)
            break;                      /* a chunk's ratings come case by case */
        if (o->scale == r->scale && o->rater == r->rater &&
            strcmp(o->rater_name, r->rater_name) == 0)
            return FC_OK;
    }
    if (!grow((void **)&u->series, &u->capseries, u->nseries + 1, sizeof *u->series))
        return oom(err);
    u->series[u->nseries++] = *r;
    return FC_OK;
}

static int undo_ratings(struct fc_txn *t, uint32_t lo, uint32_t hi, struct undo *u,
                        struct fc_err *err)
{
    int rc = FC_OK;
    u->nseries = 0;
    for (uint32_t id = hi; rc == FC_OK && lo && id >= lo; id--) {
        struct fc_rating r;
        struct fcs_key k;
        rc = fcs_rec_get(t, &fcs_rating_ent, id, &r, NULL);
        if (rc == FC_ENOTFOUND || rc == FC_ECORRUPT) {
            rc = FC_OK;
            continue;
        }
        if (rc)
            return fcs_rec_get(t, &fcs_rating_ent, id, &r, err);
        if (r.version > 1) {            /* changed by someone since: theirs now */
            u->s_kept++;
            continue;
        }
        fcs_key(&k, "I", id);
        rc = fcs_del(t, FCS_DB_RATINGS, &k, err);
        fcs_key(&k, "IDII", r.case_id, r.date, r.meeting_id, id);
        if (rc == FC_OK && (rc = fcs_del(t, FCS_DB_RATING_CASE, &k, err)) == FC_ENOTFOUND)
            rc = FC_OK;
        fcs_key(&k, "II", r.meeting_id, id);
        if (rc == FC_OK && (rc = fcs_del(t, FCS_DB_RATING_MEETING, &k, err)) == FC_ENOTFOUND)
            rc = FC_OK;
        if (rc == FC_OK)
            rc = note_series(u, &r, err);
        u->s_ratings++;
    }
    for (size_t i = 0; rc == FC_OK && i < u->nseries; i++)
        rc = fcs_series_rebuild(t, &u->series[i], err);
    return rc;
}

static int undo_meetings(struct fc_txn *t, uint32_t lo, uint32_t hi, struct undo *u,
                         struct fc_err *err)
{
    struct fc_meeting *m = malloc(sizeof *m);
    int rc = m ? FC_OK : oom(err);
    for (uint32_t id = hi; rc == FC_OK && lo && id >= lo; id--) {
        struct fcs_key k, prefix;
        rc = fcs_rec_get(t, &fcs_meeting_ent, id, m, NULL);
        if (rc == FC_ENOTFOUND || rc == FC_ECORRUPT) {
            rc = FC_OK;
            continue;
        }
        if (rc) {
            rc = fcs_rec_get(t, &fcs_meeting_ent, id, m, err);
            break;
        }
        fc_id *ids;
        size_t n;
        fcs_key(&prefix, "I", id);
        rc = fcs_collect_ids(t, FCS_DB_RATING_MEETING, &prefix, 4, &ids, &n, err);
        if (rc)
            break;
        free(ids);
        if (m->version > 1 || n > 0) {  /* changed, or rated by someone else */
            u->s_kept++;
            continue;
        }
        fcs_key(&k, "I", id);
        rc = fcs_del(t, FCS_DB_MEETINGS, &k, err);
        fcs_key(&k, "IDI", m->case_id, m->date, id);
        if (rc == FC_OK && (rc = fcs_del(t, FCS_DB_MEETING_CASE, &k, err)) == FC_ENOTFOUND)
            rc = FC_OK;
        u->s_meetings++;
    }
    free(m);
    return rc;
}

/* One step: the journal's last transaction, taken out and forgotten. */
static int undo_step(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct undo *u = ctx;
    struct fcs_key prefix, k;
    MDB_cursor *cur;
    MDB_val key, val, last = { 0 };
    u->s_days = u->s_ratings = u->s_meetings = u->s_kept = 0;
    u->done = false;
    journal_key(&prefix, u->id, 0, false);
    prefix.b[prefix.len++] = '/';
    int rc = mdb_cursor_open(t->txn, fcs_dbi(t, FCS_DB_META), &cur);
    if (rc)
        return fcs_mdb_fail(t, rc, "meta", err);
    key = fcs_kval(&prefix);
    for (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
         rc == 0 && fcs_has_prefix(&key, &prefix);
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT))
        last = key;
    if (rc && rc != MDB_NOTFOUND) {
        mdb_cursor_close(cur);
        return fcs_mdb_fail(t, rc, "meta", err);
    }
    if (!last.mv_size || last.mv_size > FCS_KEY_MAX) {
        mdb_cursor_close(cur);
        u->done = true;
        return FC_OK;
    }
    k.len = last.mv_size;
    memcpy(k.b, last.mv_data, k.len);
    key = fcs_kval(&k);
    rc = mdb_cursor_get(cur, &key, &val, MDB_SET_KEY);
    mdb_cursor_close(cur);
    if (rc)
        return fcs_mdb_fail(t, rc, "meta", err);
    const uint8_t *p = val.mv_data;
    if (val.mv_size < 17 || p[0] != JOURNAL_VERSION || (val.mv_size - 17) % 8) {
        MDB_val bad = fcs_kval(&k);
        return fcs_corrupt(err, "meta", &bad);
    }
    /* The value lives in the map; the deletes below may move it. */
    size_t nkeys = (val.mv_size - 17) / 8;
    uint8_t *copy = malloc(val.mv_size);
    if (!copy)
        return oom(err);
    memcpy(copy, p, val.mv_size);
    rc = undo_ratings(t, fcs_get_u32(copy + 1), fcs_get_u32(copy + 5), u, err);
    if (rc == FC_OK)
        rc = undo_meetings(t, fcs_get_u32(copy + 9), fcs_get_u32(copy + 13), u, err);
    for (size_t i = 0; rc == FC_OK && i < nkeys; i++) {
        struct fcs_key day = { .len = 8 };
        memcpy(day.b, copy + 17 + 8 * i, 8);
        rc = fcs_del(t, FCS_DB_ABSENCE, &day, err);
        if (rc == FC_OK)
            u->s_days++;
        else if (rc == FC_ENOTFOUND)
            rc = FC_OK;
    }
    free(copy);
    if (rc == FC_OK)
        rc = fcs_del(t, FCS_DB_META, &k, err);
    return rc;
}

static int undo_finish(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct undo *u = ctx;
    char detail[FC_TEXT_MAX];
    int rc = drop_journal(t, u->id, err);
    snprintf(detail, sizeof detail,
             "import %u (%s, by %s) did not finish and was taken out: %llu absence days, "
             "%llu ratings and %llu meetings it had added removed; %llu kept (changed "
             "since by others)", u->id, u->head.what, u->head.who,
             (unsigned long long)u->days, (unsigned long long)u->ratings,
             (unsigned long long)u->meetings, (unsigned long long)u->kept);
    return rc ? rc : fc_audit_add(t, "csv.import.undone", "csv", u->id, detail, err);
}

static int undo_import(struct fc_store *st, uint32_t id, const struct jhead *h,
                       struct fc_err *err)
{
    struct undo u = { .id = id, .head = *h };
    for (;;) {
        int rc = fc_store_write(st, "fitcase", undo_step, &u, err);
        if (rc) {
            free(u.series);
            return rc;
        }
        if (u.done)
            break;
        u.days += u.s_days;
        u.ratings += u.s_ratings;
        u.meetings += u.s_meetings;
        u.kept += u.s_kept;
    }
    free(u.series);
    return fc_store_write(st, "fitcase", undo_finish, &u, err);
}

static int mark_abandoned(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct fc_bulk *b = ctx;
    struct jhead h;
    my_head(&h, "", b->what);
    struct fcs_key k;
    MDB_val val;
    journal_key(&k, b->import_id, 0, false);
    int rc = fcs_get(t, FCS_DB_META, &k, &val, err);
    if (rc == FC_ENOTFOUND)
        return FC_OK;
    if (rc == FC_OK && head_decode(&val, &h)) {
        h.flags |= JH_ABANDONED;
        rc = put_head(t, b->import_id, &h, err);
    }
    return rc;
}

int fc_bulk_undo(struct fc_bulk *b, struct fc_err *err)
{
    if (!b->journal || !b->import_id)
        return FC_OK;
    struct jhead h;
    my_head(&h, "", b->what);
    struct fc_txn t;
    struct fcs_key k;
    MDB_val val;
    journal_key(&k, b->import_id, 0, false);
    int rc = fcs_read_begin(b->st, &t, err);
    if (rc)
        return rc;
    rc = fcs_get(&t, FCS_DB_META, &k, &val, err);
    if (rc == FC_OK && !head_decode(&val, &h))
        rc = fcs_corrupt(err, "meta", &(MDB_val){ k.len, k.b });
    fcs_read_end(&t);
    if (rc == FC_ENOTFOUND)
        return FC_OK;
    if (rc == FC_OK)
        rc = undo_import(b->st, b->import_id, &h, err);
    if (rc != FC_OK) {
        /* Let the next fitcase to open the store finish it. */
        fc_store_write(b->st, "fitcase", mark_abandoned, b, NULL);
        return rc;
    }
    b->import_id = 0;
    return FC_OK;
}

/* ---- recovery ------------------------------------------------------------------- */

struct found {
    uint32_t id;
    struct jhead head;
    bool ok;
};

static int list_imports(struct fc_store *st, struct found **out, size_t *n,
                        struct fc_err *err)
{
    struct fc_txn t;
    struct fcs_key prefix;
    MDB_cursor *cur;
    MDB_val key, val;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = fcs_read_begin(st, &t, err);
    if (rc)
        return rc;
    fcs_key(&prefix, "S", "import/");
    rc = mdb_cursor_open(t.txn, fcs_dbi(&t, FCS_DB_META), &cur);
    if (rc) {
        fcs_read_end(&t);
        return fcs_mdb_fail(&t, rc, "meta", err);
    }
    key = fcs_kval(&prefix);
    for (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
         rc == 0 && fcs_has_prefix(&key, &prefix);
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        char hex[9];
        if (key.mv_size != prefix.len + 8)
            continue;                    /* a transaction's record */
        if (!grow((void **)out, &cap, *n + 1, sizeof **out)) {
            rc = ENOMEM;
            break;
        }
        struct found *f = &(*out)[(*n)++];
        memcpy(hex, (const char *)key.mv_data + prefix.len, 8);
        hex[8] = '\0';
        f->id = (uint32_t)strtoul(hex, NULL, 16);
        f->ok = head_decode(&val, &f->head);
    }
    mdb_cursor_close(cur);
    fcs_read_end(&t);
    if (rc == ENOMEM) {
        free(*out);
        *out = NULL;
        return oom(err);
    }
    if (rc && rc != MDB_NOTFOUND) {
        free(*out);
        *out = NULL;
        return fcs_mdb_fail(&t, rc, "meta", err);
    }
    return FC_OK;
}

int fc_bulk_pending(struct fc_store *st, unsigned *n, struct fc_err *err)
{
    struct found *f;
    size_t count;
    int rc = list_imports(st, &f, &count, err);
    free(f);
    *n = rc == FC_OK ? (unsigned)count : 0;
    return rc;
}

int fc_bulk_recover(struct fc_store *st, unsigned *undone, struct fc_err *err)
{
    struct found *f;
    size_t n;
    if (undone)
        *undone = 0;
    if (st->read_only)
        return FC_OK;
    int rc = list_imports(st, &f, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        /* A header that cannot be read names no process: undo it too. */
        if (f[i].ok && owner_alive(&f[i].head))
            continue;
        rc = undo_import(st, f[i].id, &f[i].head, err);
        if (rc == FC_OK && undone)
            ++*undone;
    }
    free(f);
    return rc;
}
