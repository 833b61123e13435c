/* Cases with their phase events, meetings and ratings, and the erasure of
 * a pupil with everything about them. Each writer moves the index entries
 * its change affects, in the same transaction as the record. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/score.h"
#include "internal.h"

/* ---- case index keys ----------------------------------------------------- */

struct case_keys {
    struct fcs_key pupil, coord, school, phase, team, second;
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
    fcs_key(&k->team, "II", c->team_id, c->id);
    k->second.len = 0;
    if (c->secondary)
        fcs_key(&k->second, "II", c->secondary, c->id);
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
    if (rc == FC_OK)
        rc = fcs_idx_move(t, FCS_DB_CASE_TEAM, &o->team, &n->team, err);
    if (rc == FC_OK)
        rc = fcs_idx_move(t, FCS_DB_CASE_SECOND, &o->second, &n->second, err);
    return rc;
}

/* ---- case_team entries: the case's head and its pupil's list fields ------ */

void fcs_pupil_copy_of(const struct fc_pupil *src, struct fcs_pupil_copy *p)
{
    memset(p, 0, sizeof *p);
    p->have = true;
    p->birth = src->birth_date;
    p->grade = src->grade;
    p->school = src->school_id;
    memcpy(p->name, src->name, sizeof p->name);
    p->name[sizeof p->name - 1] = '\0';
}

int fcs_pupil_copy_get(struct fc_txn *t, fc_id pupil, struct fcs_pupil_copy *p,
                       struct fc_err *err)
{
    struct fcs_key k;
    struct fc_pupil head;
    MDB_val v;
    memset(p, 0, sizeof *p);
    fcs_key(&k, "I", pupil);
    int rc = pupil ? fcs_get(t, FCS_DB_PUPILS, &k, &v, err) : FC_ENOTFOUND;
    if (rc == FC_ENOTFOUND)
        return FC_OK;          /* have false: verify reports the case */
    if (rc)
        return rc;
    if (!fcs_decode_pupil_head(v.mv_data, v.mv_size, &head)) {
        MDB_val key = fcs_kval(&k);
        return fcs_corrupt(err, "pupils", &key);
    }
    fcs_pupil_copy_of(&head, p);
    return FC_OK;
}

size_t fcs_team_entry_encode(const struct fc_case *c, const struct fcs_pupil_copy *p,
                             uint8_t *out, size_t cap)
{
    size_t name = p->have ? strnlen(p->name, sizeof p->name - 1) : 0;
    size_t at = FCS_TEAM_PUPIL_FIXED + name;
    if (at >= cap)
        return 0;
    out[0] = FCS_TEAM_FORMAT;
    out[1] = p->have;
    fcs_put_u32(out + 2, p->have ? (uint32_t)p->birth : 0);
    out[6] = p->have ? (uint8_t)p->grade : 0;
    fcs_put_u32(out + 7, p->have ? p->school : 0);
    out[11] = (uint8_t)name;
    memcpy(out + FCS_TEAM_PUPIL_FIXED, p->name, name);
    size_t head = fcs_encode_case_head(c, out + at, cap - at);
    return head ? at + head : 0;
}

bool fcs_team_entry_decode(const void *data, size_t len, struct fc_case *c,
                           struct fcs_pupil_copy *p)
{
    const uint8_t *b = data;
    memset(p, 0, sizeof *p);
    if (len < FCS_TEAM_PUPIL_FIXED || b[0] != FCS_TEAM_FORMAT || b[1] > 1 ||
        b[11] >= sizeof p->name || len < FCS_TEAM_PUPIL_FIXED + (size_t)b[11])
        return false;
    size_t name = b[11];
    if (!b[1] && (name || fcs_get_u32(b + 2) || b[6] || fcs_get_u32(b + 7)))
        return false;
    if (memchr(b + FCS_TEAM_PUPIL_FIXED, 0, name))
        return false;
    p->have = b[1];
    p->birth = (fc_date)fcs_get_u32(b + 2);
    p->grade = (int8_t)b[6];
    p->school = fcs_get_u32(b + 7);
    memcpy(p->name, b + FCS_TEAM_PUPIL_FIXED, name);
    return fcs_decode_case_head(b + FCS_TEAM_PUPIL_FIXED + name,
                                len - FCS_TEAM_PUPIL_FIXED - name, c);
}

static int team_entry_put(struct fc_txn *t, const struct fc_case *c,
                          const struct fcs_pupil_copy *p, struct fc_err *err)
{
    struct fcs_key k;
    uint8_t entry[FCS_TEAM_ENTRY_MAX];
    size_t n = fcs_team_entry_encode(c, p, entry, sizeof entry);
    if (!n)
        return fcs_fail(err, FC_ESTORE, _("internal error: the head of case %u is too long"),
                        c->id);
    fcs_key(&k, "II", c->team_id, c->id);
    return fcs_put_raw(t, FCS_DB_CASE_TEAM, &k, entry, n, 0, err);
}

/* The case's case_team entry with its head and its pupil's fields as value
 * (case_keys_move made or moved the key). */
static int case_team_write(struct fc_txn *t, const struct fc_case *c, struct fc_err *err)
{
    struct fcs_pupil_copy p;
    int rc = fcs_pupil_copy_get(t, c->pupil_id, &p, err);
    return rc ? rc : team_entry_put(t, c, &p, err);
}

int fcs_team_entries_pupil(struct fc_txn *t, const struct fc_pupil *old,
                           const struct fc_pupil *p, struct fc_err *err)
{
    if (strcmp(old->name, p->name) == 0 && old->birth_date == p->birth_date &&
        old->grade == p->grade && old->school_id == p->school_id)
        return FC_OK;
    struct fcs_key prefix;
    struct fcs_pupil_copy copy;
    fc_id *cases;
    size_t n;
    fcs_pupil_copy_of(p, &copy);
    fcs_key(&prefix, "I", p->id);
    int rc = fcs_collect_ids(t, FCS_DB_CASE_PUPIL, &prefix, 4, &cases, &n, err);
    if (rc)
        return rc;
    struct fc_case *c = n ? malloc(sizeof *c) : NULL;
    if (n && !c)
        rc = fcs_fail(err, FC_ESTORE, _("out of memory"));
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        rc = fcs_case_head_get(t, cases[i], c, err);
        if (rc == FC_OK)
            rc = team_entry_put(t, c, &copy, err);
    }
    free(c);
    free(cases);
    return rc;
}

int fcs_case_head_get(struct fc_txn *t, fc_id id, struct fc_case *c, struct fc_err *err)
{
    struct fcs_key k;
    MDB_val val;
    fcs_key(&k, "I", id);
    int rc = id ? fcs_get(t, FCS_DB_CASES, &k, &val, err) : FC_ENOTFOUND;
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_ENOTFOUND, _("%s %u does not exist"), _("case"), id);
    if (rc)
        return rc;
    if (!fcs_decode_case_head(val.mv_data, val.mv_size, c)) {
        MDB_val key = fcs_kval(&k);
        return fcs_corrupt(err, "cases", &key);
    }
    c->id = id;
    return FC_OK;
}

/* ---- outcome series (the cohort's data) ------------------------------------ */

void fcs_key_series(struct fcs_key *k, fc_id team, fc_id case_id, const struct fc_rating *r)
{
    fcs_key(k, "IIBBZ", team, case_id, (unsigned)r->scale, (unsigned)r->rater,
            r->rater_name);
}

enum { SERIES_HEAD = 22 };   /* format, pupil, n, intake, latest date and id, count */

bool fcs_series_decode(const void *data, size_t len, struct fcs_series *s)
{
    const uint8_t *b = data;
    if (len < SERIES_HEAD || b[0] != FCS_SERIES_FORMAT)
        return false;
    s->pupil = fcs_get_u32(b + 1);
    s->n = fcs_get_u32(b + 5);
    s->intake = (fc_date)fcs_get_u32(b + 9);
    s->last_date = (fc_date)fcs_get_u32(b + 13);
    s->last_id = fcs_get_u32(b + 17);
    s->npoints = b[21];
    if (s->npoints > FCS_SERIES_POINTS || s->npoints == 0 ||
        s->npoints != (s->n < FCS_SERIES_POINTS ? s->n : FCS_SERIES_POINTS) ||
        len != SERIES_HEAD + (size_t)s->npoints * 2)
        return false;
    for (int i = 0; i < s->npoints; i++)
        s->total[i] = (int16_t)(uint16_t)(b[SERIES_HEAD + 2 * i] << 8 |
                                          b[SERIES_HEAD + 2 * i + 1]);
    return true;
}

static int series_put(struct fc_txn *t, const struct fcs_key *k, const struct fcs_series *s,
                      struct fc_err *err)
{
    uint8_t b[SERIES_HEAD + FCS_SERIES_POINTS * 2];
    b[0] = FCS_SERIES_FORMAT;
    fcs_put_u32(b + 1, s->pupil);
    fcs_put_u32(b + 5, s->n);
    fcs_put_u32(b + 9, (uint32_t)s->intake);
    fcs_put_u32(b + 13, (uint32_t)s->last_date);
    fcs_put_u32(b + 17, s->last_id);
    b[21] = s->npoints;
    for (int i = 0; i < s->npoints; i++) {
        b[SERIES_HEAD + 2 * i] = (uint8_t)((uint16_t)s->total[i] >> 8);
        b[SERIES_HEAD + 2 * i + 1] = (uint8_t)(uint16_t)s->total[i];
    }
    return fcs_put_raw(t, FCS_DB_SERIES, k, b, SERIES_HEAD + (size_t)s->npoints * 2, 0, err);
}

static bool point_before(fc_date d1, fc_id i1, fc_date d2, fc_id i2)
{
    return d1 < d2 || (d1 == d2 && i1 < i2);
}

/* Adds a point later than every point of the series (n counts them all,
 * the first FCS_SERIES_POINTS are kept); false if it is not later. */
static bool series_append_point(struct fcs_series *s, const struct fcs_point *p)
{
    if (s->n && !point_before(s->last_date, s->last_id, p->date, p->id))
        return false;
    if (s->n == 0)
        s->intake = p->date;
    if (s->npoints < FCS_SERIES_POINTS)
        s->total[s->npoints++] = p->total;
    s->n++;
    s->last_date = p->date;
    s->last_id = p->id;
    return true;
}

static bool series_append(struct fcs_series *s, const struct fc_rating *r)
{
    return series_append_point(s, &(struct fcs_point){ r->date, r->id, r->total });
}

static int series_collect(struct fc_txn *t, const struct fc_rating *like,
                          struct fcs_series *s, struct fc_err *err);

int fcs_series_add(struct fc_txn *t, const struct fc_rating *r, fc_id team, fc_id pupil,
                   struct fc_err *err)
{
    if (!fc_scale_is_outcome((enum fc_scale)r->scale))
        return FC_OK;
    if (!team && !pupil) {
        struct fc_case *c = malloc(sizeof *c);
        int rc = c ? fcs_case_head_get(t, r->case_id, c, err)
                   : fcs_fail(err, FC_ESTORE, _("out of memory"));
        team = rc == FC_OK ? c->team_id : 0;
        pupil = rc == FC_OK ? c->pupil_id : 0;
        free(c);
        if (rc)
            return rc;
    }
    return fcs_series_add_many(t, r, &(struct fcs_point){ r->date, r->id, r->total }, 1,
                               team, pupil, err);
}

int fcs_series_add_many(struct fc_txn *t, const struct fc_rating *like,
                        const struct fcs_point *p, size_t n, fc_id team, fc_id pupil,
                        struct fc_err *err)
{
    if (!n || !fc_scale_is_outcome((enum fc_scale)like->scale))
        return FC_OK;
    struct fcs_key k;
    struct fcs_series s = { .pupil = pupil };
    MDB_val val;
    fcs_key_series(&k, team, like->case_id, like);
    int rc = fcs_get(t, FCS_DB_SERIES, &k, &val, err);
    if (rc == FC_OK && !fcs_series_decode(val.mv_data, val.mv_size, &s)) {
        MDB_val key = fcs_kval(&k);
        return fcs_corrupt(err, "series", &key);
    }
    if (rc != FC_OK && rc != FC_ENOTFOUND)
        return rc;
    /* Ratings mostly come in date order; one that does not makes the
     * series again from the case's ratings (they are written already, the
     * later ones of p too: what adding them one by one ends with). */
    for (size_t i = 0; i < n; i++)
        if (!series_append_point(&s, &p[i])) {
            if ((rc = series_collect(t, like, &s, err)) != FC_OK)
                return rc;
            break;
        }
    s.pupil = pupil;
    return series_put(t, &k, &s, err);
}

/* The ids of a case's ratings, through rating_case. */
static int case_rating_ids(struct fc_txn *t, fc_id case_id, fc_id **ids, size_t *n,
                           struct fc_err *err)
{
    struct fcs_key prefix;
    fcs_key(&prefix, "I", case_id);
    return fcs_collect_ids(t, FCS_DB_RATING_CASE, &prefix, 12, ids, n, err);
}

static bool same_series(const struct fc_rating *a, const struct fc_rating *b)
{
    return a->scale == b->scale && a->rater == b->rater &&
           strcmp(a->rater_name, b->rater_name) == 0;
}

static int cmp_point(const void *pa, const void *pb)
{
    const struct fc_rating *a = pa, *b = pb;
    return point_before(b->date, b->id, a->date, a->id) -
           point_before(a->date, a->id, b->date, b->id);
}

/* The series of `like` (its case, scale, rater and name) made from the
 * ratings of the case; n 0 when it has none. */
static int series_collect(struct fc_txn *t, const struct fc_rating *like,
                          struct fcs_series *s, struct fc_err *err)
{
    fc_id *ids;
    size_t n, m = 0;
    *s = (struct fcs_series){ 0 };
    int rc = case_rating_ids(t, like->case_id, &ids, &n, err);
    if (rc)
        return rc;
    struct fc_rating *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        rc = fcs_fail(err, FC_ESTORE, _("out of memory"));
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        rc = fcs_rec_get(t, &fcs_rating_ent, ids[i], &r[m], err);
        if (rc == FC_OK && same_series(&r[m], like))
            m++;
    }
    if (rc == FC_OK && m > 1)
        qsort(r, m, sizeof *r, cmp_point);
    for (size_t i = 0; rc == FC_OK && i < m; i++)
        series_append(s, &r[i]);
    free(r);
    free(ids);
    return rc;
}

int fcs_series_rebuild(struct fc_txn *t, const struct fc_rating *r, struct fc_err *err)
{
    if (!fc_scale_is_outcome((enum fc_scale)r->scale))
        return FC_OK;
    struct fc_case *c = malloc(sizeof *c);
    int rc = c ? fcs_case_head_get(t, r->case_id, c, err)
               : fcs_fail(err, FC_ESTORE, _("out of memory"));
    if (rc == FC_ENOTFOUND)
        rc = FC_OK;            /* the case went first: its series went with it */
    else if (rc == FC_OK) {
        struct fcs_series s;
        struct fcs_key k;
        fcs_key_series(&k, c->team_id, r->case_id, r);
        rc = series_collect(t, r, &s, err);
        s.pupil = c->pupil_id;
        if (rc == FC_OK && s.n)
            rc = series_put(t, &k, &s, err);
        else if (rc == FC_OK) {
            rc = fcs_del(t, FCS_DB_SERIES, &k, err);
            rc = rc == FC_ENOTFOUND ? FC_OK : rc;
        }
    }
    free(c);
    return rc;
}

/* A copy of every series entry under a prefix, to move or drop them. */
struct series_entry {
    struct fcs_key key;
    struct fcs_series s;
};

static int series_under(struct fc_txn *t, const struct fcs_key *prefix,
                        struct series_entry **out, size_t *n, struct fc_err *err)
{
    MDB_cursor *cur;
    MDB_val key = fcs_kval(prefix), val;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = mdb_cursor_open(t->txn, fcs_dbi(t, FCS_DB_SERIES), &cur);
    if (rc)
        return fcs_mdb_fail(t, rc, "series", err);
    for (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
         rc == 0 && fcs_has_prefix(&key, prefix);
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            struct series_entry *more = realloc(*out, cap * sizeof *more);
            if (!more) {
                rc = ENOMEM;
                break;
            }
            *out = more;
        }
        struct series_entry *e = &(*out)[*n];
        if (key.mv_size > FCS_KEY_MAX || !fcs_series_decode(val.mv_data, val.mv_size, &e->s)) {
            mdb_cursor_close(cur);
            free(*out);
            *out = NULL;
            return fcs_corrupt(err, "series", &key);
        }
        e->key.len = key.mv_size;
        memcpy(e->key.b, key.mv_data, key.mv_size);
        ++*n;
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND) {
        free(*out);
        *out = NULL;
        return rc == ENOMEM ? fcs_fail(err, FC_ESTORE, _("out of memory"))
                            : fcs_mdb_fail(t, rc, "series", err);
    }
    return FC_OK;
}

/* A case that changes team or pupil takes its series along; to_team
 * SERIES_DROP drops them (the case is deleted). */
#define SERIES_DROP UINT32_MAX
static int series_move_case(struct fc_txn *t, fc_id case_id, fc_id from_team, fc_id to_team,
                            fc_id to_pupil, struct fc_err *err)
{
    struct fcs_key prefix;
    struct series_entry *e;
    size_t n;
    fcs_key(&prefix, "II", from_team, case_id);
    int rc = series_under(t, &prefix, &e, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        rc = fcs_del(t, FCS_DB_SERIES, &e[i].key, err);
        if (rc == FC_OK && to_team != SERIES_DROP) {
            fcs_put_u32(e[i].key.b, to_team);
            e[i].s.pupil = to_pupil;
            rc = series_put(t, &e[i].key, &e[i].s, err);
        }
    }
    free(e);
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
    if (rc == FC_OK)
        rc = case_team_write(t, c, err);
    if (rc == FC_OK && !is_new &&
        (old->team_id != c->team_id || old->pupil_id != c->pupil_id))
        rc = series_move_case(t, c->id, old->team_id, c->team_id, c->pupil_id, err);
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
    /* A new rating adds a point to its series; a changed one may move it
     * within or between series: make both again. */
    if (rc == FC_OK && is_new)
        rc = fcs_series_add(txn, r, 0, 0, err);
    if (rc == FC_OK && !is_new)
        rc = fcs_series_rebuild(txn, &old, err);
    if (rc == FC_OK && !is_new && !(same_series(&old, r) && old.case_id == r->case_id))
        rc = fcs_series_rebuild(txn, r, err);
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

/* whole_case: the case goes too, and its series with it. */
static int rating_delete(struct fc_txn *t, fc_id id, bool audit, bool whole_case,
                         struct fc_err *err)
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
    if (rc == FC_OK && !whole_case)
        rc = fcs_series_rebuild(t, &r, err);
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
    return rating_delete(txn, id, true, false, err);
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
    /* The dates order the series: make the meeting's again. */
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        struct fc_rating r;
        if ((rc = fcs_rec_get(t, &fcs_rating_ent, ids[i], &r, err)) == FC_OK)
            rc = fcs_series_rebuild(t, &r, err);
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
                          bool whole_case, struct fc_err *err)
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
        rc = rating_delete(t, ids[i], false, whole_case, err);
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
    return meeting_delete(txn, id, NULL, true, false, err);
}

/* ---- erasure -------------------------------------------------------------- */

int fcs_delete_prefix(struct fc_txn *t, enum fcs_db db, const struct fcs_key *prefix,
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
        rc = meeting_delete(t, ids[i], nratings, false, true, err);
    if (nmeetings)
        *nmeetings += n;
    if (rc == FC_OK)
        rc = series_move_case(t, id, c->team_id, SERIES_DROP, 0, err);
    if (rc == FC_OK)
        rc = fcs_delete_prefix(t, FCS_DB_EVENTS, &prefix, NULL, err);
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
        rc = fcs_delete_prefix(txn, FCS_DB_ABSENCE, &prefix, &ndays, err);
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

/* ---- building and checking the lists and series ------------------------------ */

struct built_series {
    struct fc_rating like;      /* case, scale, rater and name */
    struct fcs_series s;
};

static int cmp_series_rating(const void *pa, const void *pb)
{
    const struct fc_rating *a = pa, *b = pb;
    int c = (a->scale > b->scale) - (a->scale < b->scale);
    if (!c)
        c = (a->rater > b->rater) - (a->rater < b->rater);
    if (!c)
        c = strcmp(a->rater_name, b->rater_name);
    if (!c)
        c = point_before(b->date, b->id, a->date, a->id) - point_before(a->date, a->id, b->date, b->id);
    return c;
}

/* Every outcome series of a case, from its ratings. */
static int case_series(struct fc_txn *t, fc_id case_id, fc_id pupil,
                       struct built_series **out, size_t *nout, struct fc_err *err)
{
    fc_id *ids;
    size_t n, m = 0;
    *out = NULL;
    *nout = 0;
    int rc = case_rating_ids(t, case_id, &ids, &n, err);
    if (rc)
        return rc;
    struct fc_rating *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        rc = fcs_fail(err, FC_ESTORE, _("out of memory"));
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        rc = fcs_rec_get(t, &fcs_rating_ent, ids[i], &r[m], err);
        if (rc == FC_OK && fc_scale_is_outcome((enum fc_scale)r[m].scale))
            m++;
    }
    free(ids);
    if (rc == FC_OK && m > 1)
        qsort(r, m, sizeof *r, cmp_series_rating);
    struct built_series *b = rc == FC_OK && m ? calloc(m, sizeof *b) : NULL;
    if (rc == FC_OK && m && !b)
        rc = fcs_fail(err, FC_ESTORE, _("out of memory"));
    for (size_t i = 0; rc == FC_OK && i < m; i++) {
        if (*nout == 0 || !same_series(&b[*nout - 1].like, &r[i])) {
            b[*nout].like = r[i];
            b[*nout].s.pupil = pupil;
            ++*nout;
        }
        series_append(&b[*nout - 1].s, &r[i]);
    }
    free(r);
    if (rc)
        free(b);
    else
        *out = b;
    return rc;
}

struct case_ref {
    fc_id id, team, secondary, pupil;
    uint8_t entry[FCS_TEAM_ENTRY_MAX];  /* what its case_team entry holds */
    size_t entrylen;
};

/* Every case's id, team, secondary contact and pupil, in id order, with
 * the case_team entry its case and pupil make (a pupil that is missing or
 * does not read makes an entry without, and verify reports the pupil). */
static int case_refs(struct fc_txn *t, struct case_ref **out, size_t *n, struct fc_err *err)
{
    MDB_cursor *cur;
    MDB_val key, val;
    size_t cap = 0;
    struct fc_case *c = malloc(sizeof *c);
    *out = NULL;
    *n = 0;
    if (!c)
        return fcs_fail(err, FC_ESTORE, _("out of memory"));
    int rc = mdb_cursor_open(t->txn, fcs_dbi(t, FCS_DB_CASES), &cur);
    if (rc) {
        free(c);
        return fcs_mdb_fail(t, rc, "cases", err);
    }
    for (rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        if (key.mv_size != 4 || !fcs_decode_case_head(val.mv_data, val.mv_size, c))
            continue;          /* verify reports it */
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            struct case_ref *more = realloc(*out, cap * sizeof *more);
            if (!more) {
                rc = ENOMEM;
                break;
            }
            *out = more;
        }
        struct case_ref *cr = &(*out)[(*n)++];
        struct fcs_pupil_copy p;
        *cr = (struct case_ref){ fcs_get_u32(key.mv_data), c->team_id, c->secondary,
                                 c->pupil_id, { 0 }, 0 };
        c->id = cr->id;
        if (fcs_pupil_copy_get(t, c->pupil_id, &p, NULL) != FC_OK)
            memset(&p, 0, sizeof p);
        cr->entrylen = fcs_team_entry_encode(c, &p, cr->entry, sizeof cr->entry);
    }
    mdb_cursor_close(cur);
    free(c);
    if (rc && rc != MDB_NOTFOUND) {
        free(*out);
        *out = NULL;
        return rc == ENOMEM ? fcs_fail(err, FC_ESTORE, _("out of memory"))
                            : fcs_mdb_fail(t, rc, "cases", err);
    }
    return FC_OK;
}

int fcs_lists_build(struct fc_txn *t, struct fc_err *err)
{
    static const enum fcs_db dbs[] = { FCS_DB_CASE_TEAM, FCS_DB_CASE_SECOND, FCS_DB_SERIES };
    for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
        int mrc = mdb_drop(t->txn, fcs_dbi(t, dbs[i]), 0);
        if (mrc)
            return fcs_mdb_fail(t, mrc, fcs_db_names[dbs[i]], err);
    }
    struct case_ref *cases;
    size_t n;
    int rc = case_refs(t, &cases, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        struct fcs_key k;
        struct built_series *b;
        size_t nb;
        fcs_key(&k, "II", cases[i].team, cases[i].id);
        rc = fcs_put_raw(t, FCS_DB_CASE_TEAM, &k, cases[i].entry, cases[i].entrylen, 0, err);
        if (rc == FC_OK && cases[i].secondary) {
            fcs_key(&k, "II", cases[i].secondary, cases[i].id);
            rc = fcs_put_raw(t, FCS_DB_CASE_SECOND, &k, "", 0, 0, err);
        }
        if (rc == FC_OK)
            rc = case_series(t, cases[i].id, cases[i].pupil, &b, &nb, err);
        for (size_t j = 0; rc == FC_OK && j < nb; j++) {
            fcs_key_series(&k, cases[i].team, cases[i].id, &b[j].like);
            rc = series_put(t, &k, &b[j].s, err);
        }
        if (rc == FC_OK)
            free(b);
    }
    free(cases);
    return rc;
}

int fcs_team_entries_build(struct fc_txn *t, struct fc_err *err)
{
    int mrc = mdb_drop(t->txn, fcs_dbi(t, FCS_DB_CASE_TEAM), 0);
    if (mrc)
        return fcs_mdb_fail(t, mrc, "case_team", err);
    struct case_ref *cases;
    size_t n;
    int rc = case_refs(t, &cases, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        struct fcs_key k;
        fcs_key(&k, "II", cases[i].team, cases[i].id);
        rc = fcs_put_raw(t, FCS_DB_CASE_TEAM, &k, cases[i].entry, cases[i].entrylen, 0, err);
    }
    free(cases);
    return rc;
}

/* A case_team entry against the one its case and pupil make: the case's
 * part and the pupil's part each named when they differ. */
static void team_entry_check(const struct case_ref *cr, const MDB_val *val,
                             fcs_problem_fn problem, void *ctx)
{
    const uint8_t *got = val->mv_data, *want = cr->entry;
    size_t glen = val->mv_size, wlen = cr->entrylen;
    if (glen == wlen && memcmp(got, want, glen) == 0)
        return;
    /* Where each begins its case's head (an entry that is not of this
     * format differs in both parts). */
    size_t wp = wlen >= FCS_TEAM_PUPIL_FIXED ? (size_t)FCS_TEAM_PUPIL_FIXED + want[11] : SIZE_MAX;
    size_t gp = glen >= FCS_TEAM_PUPIL_FIXED ? (size_t)FCS_TEAM_PUPIL_FIXED + got[11] : SIZE_MAX;
    bool format = gp <= glen && wp <= wlen && got[0] == FCS_TEAM_FORMAT;
    if (!format || glen - gp != wlen - wp || memcmp(got + gp, want + wp, wlen - wp) != 0)
        problem(ctx, _("case %u: its entry in the index case_team does not carry its "
                       "coordinator, phase, status and dates"), cr->id);
    if (!format || gp != wp || memcmp(got, want, wp) != 0)
        problem(ctx, _("case %u: its entry in the index case_team does not carry its "
                       "pupil's name, birth date, grade and school"), cr->id);
}

static bool series_equal(const struct fcs_series *a, const struct fcs_series *b)
{
    if (a->pupil != b->pupil || a->n != b->n || a->npoints != b->npoints ||
        a->intake != b->intake || a->last_date != b->last_date || a->last_id != b->last_id)
        return false;
    for (int i = 0; i < a->npoints; i++)
        if (a->total[i] != b->total[i])
            return false;
    return true;
}

int fcs_lists_verify(struct fc_txn *t, fcs_problem_fn problem, void *ctx,
                     struct fc_err *errp)
{
    struct case_ref *cases;
    size_t n, stored = 0, want = 0;
    struct fc_err err = { 0 };
    int rc = case_refs(t, &cases, &n, &err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        struct fcs_key k;
        MDB_val val;
        fcs_key(&k, "II", cases[i].team, cases[i].id);
        int grc = fcs_get(t, FCS_DB_CASE_TEAM, &k, &val, &err);
        if (grc != FC_OK && grc != FC_ENOTFOUND)
            rc = grc;     /* a missing entry is check_index's to report */
        else if (grc == FC_OK)
            team_entry_check(&cases[i], &val, problem, ctx);
    }
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        struct built_series *b;
        size_t nb;
        rc = case_series(t, cases[i].id, cases[i].pupil, &b, &nb, &err);
        for (size_t j = 0; rc == FC_OK && j < nb; j++) {
            struct fcs_key k;
            struct fcs_series s;
            MDB_val val;
            fcs_key_series(&k, cases[i].team, cases[i].id, &b[j].like);
            int grc = fcs_get(t, FCS_DB_SERIES, &k, &val, &err);
            want++;
            if (grc == FC_ENOTFOUND)
                problem(ctx, _("case %u: the %s series of %s%s%s is missing from the index "
                               "series"), cases[i].id, fc_scale_code(b[j].like.scale),
                        fc_rater_code(b[j].like.rater), b[j].like.rater_name[0] ? " " : "",
                        b[j].like.rater_name);
            else if (grc != FC_OK)
                rc = grc;
            else if (!fcs_series_decode(val.mv_data, val.mv_size, &s) ||
                     !series_equal(&s, &b[j].s))
                problem(ctx, _("case %u: the %s series of %s%s%s in the index series does "
                               "not match its ratings"), cases[i].id,
                        fc_scale_code(b[j].like.scale), fc_rater_code(b[j].like.rater),
                        b[j].like.rater_name[0] ? " " : "", b[j].like.rater_name);
        }
        if (rc == FC_OK)
            free(b);
    }
    free(cases);
    MDB_stat ms;
    if (rc == FC_OK && mdb_stat(t->txn, fcs_dbi(t, FCS_DB_SERIES), &ms) == 0) {
        stored = ms.ms_entries;
        if (stored != want)
            problem(ctx, _("the index series has %zu entries, but the ratings make %zu series"),
                    stored, want);
    }
    if (rc && errp)
        *errp = err;
    return rc;
}
