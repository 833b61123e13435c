/* Iteration: walk a database or an index range, decode each record into a
 * copy on the stack and hand it to the caller's callback. Callbacks never
 * see LMDB memory, which dies with the transaction. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fitcase/store_list.h"
#include "fitcase/text.h"
#include "internal.h"

/* ---- the callback, whatever its record type ---------------------------- */

enum rec_type { R_TEAM, R_STAFF, R_SCHOOL, R_PUPIL, R_CASE, R_EVENT, R_MEETING, R_RATING,
                R_ABSENCE, R_HOLIDAY, R_MODEL };

struct thunk {
    enum rec_type type;
    union {
        fc_each_team_fn team;
        fc_each_staff_fn staff;
        fc_each_school_fn school;
        fc_each_pupil_fn pupil;
        fc_each_case_fn kase;
        fc_each_event_fn event;
        fc_each_meeting_fn meeting;
        fc_each_rating_fn rating;
        fc_each_absence_fn absence;
        fc_each_holiday_fn holiday;
        fc_each_model_fn model;
    } fn;
    void *ctx;
};


static int call(const struct thunk *th, const union fcs_any *r)
{
    switch (th->type) {
    case R_TEAM: return th->fn.team(&r->team, th->ctx);
    case R_STAFF: return th->fn.staff(&r->staff, th->ctx);
    case R_SCHOOL: return th->fn.school(&r->school, th->ctx);
    case R_PUPIL: return th->fn.pupil(&r->pupil, th->ctx);
    case R_CASE: return th->fn.kase(&r->kase, th->ctx);
    case R_EVENT: return th->fn.event(&r->event, th->ctx);
    case R_MEETING: return th->fn.meeting(&r->meeting, th->ctx);
    case R_RATING: return th->fn.rating(&r->rating, th->ctx);
    case R_ABSENCE: return th->fn.absence(&r->absence, th->ctx);
    case R_HOLIDAY: return th->fn.holiday(&r->holiday, th->ctx);
    case R_MODEL: return th->fn.model(&r->model, th->ctx);
    }
    return 0;
}

/* ---- decoding a row of a primary database ------------------------------- */

static const struct fcs_entity *entity_of(enum rec_type type)
{
    switch (type) {
    case R_TEAM: return &fcs_team_ent;
    case R_STAFF: return &fcs_staff_ent;
    case R_SCHOOL: return &fcs_school_ent;
    case R_PUPIL: return &fcs_pupil_ent;
    case R_CASE: return &fcs_case_ent;
    case R_MEETING: return &fcs_meeting_ent;
    case R_RATING: return &fcs_rating_ent;
    default: return NULL;
    }
}

/* Fills r from a key and value of type's primary database. */
static bool decode_row(enum rec_type type, const MDB_val *k, const MDB_val *v,
                       union fcs_any *r)
{
    const uint8_t *kb = k->mv_data;
    const struct fcs_entity *e = entity_of(type);
    if (e) {
        if (k->mv_size != 4 || !fcs_decode(e->layout, v->mv_data, v->mv_size, r))
            return false;
        fc_id id = fcs_get_u32(kb);
        memcpy((uint8_t *)r + e->id_off, &id, sizeof id);
        return true;
    }
    switch (type) {
    case R_EVENT:
        if (k->mv_size != 8 ||
            !fcs_decode(&fcs_event_layout, v->mv_data, v->mv_size, &r->event))
            return false;
        r->event.case_id = fcs_get_u32(kb);
        r->event.seq = fcs_get_u32(kb + 4);
        return true;
    case R_ABSENCE:
        memset(&r->absence, 0, sizeof r->absence);
        if (k->mv_size != 8 || v->mv_size != 1 ||
            *(const uint8_t *)v->mv_data >= FC_ABS_KIND_COUNT)
            return false;
        r->absence.pupil_id = fcs_get_u32(kb);
        r->absence.date = fcs_get_date(kb + 4);
        r->absence.kind = *(const uint8_t *)v->mv_data;
        return true;
    case R_HOLIDAY:
        if (k->mv_size != 4 ||
            !fcs_decode(&fcs_holiday_layout, v->mv_data, v->mv_size, &r->holiday))
            return false;
        r->holiday.date = fcs_get_date(kb);
        return true;
    case R_MODEL:
        if (k->mv_size == 0 || k->mv_size >= FC_MODEL_ID_MAX || memchr(kb, 0, k->mv_size) ||
            !fcs_decode(&fcs_model_layout, v->mv_data, v->mv_size, &r->model))
            return false;
        memcpy(r->model.id, kb, k->mv_size);
        return true;
    default:
        return false;
    }
}

/* ---- scanning a key range --------------------------------------------------- */

struct scan {
    struct fc_txn *t;
    struct thunk th;
    bool via_index;         /* rows are index keys naming a record */
    size_t id_off;          /* index: where the id sits; SIZE_MAX = the last 4 bytes */
    fc_date to;             /* absence: stop after this date */
    int ret;
    fc_id seen_id;          /* the last case or pupil the access check saw */
    bool seen_ok;
    bool desc;              /* walk the range backwards */
};

/* Whether the actor may see this row; rows of one case or pupil come
 * together, so the last verdict is kept. */
static bool in_reach(struct scan *s, const union fcs_any *r)
{
    fc_id id;
    bool pupil = false;
    switch (s->th.type) {
    case R_CASE: return fcs_sees_case(s->t, &r->kase);
    case R_EVENT: id = r->event.case_id; break;
    case R_MEETING: id = r->meeting.case_id; break;
    case R_RATING: id = r->rating.case_id; break;
    case R_PUPIL: id = r->pupil.id; pupil = true; break;
    case R_ABSENCE: id = r->absence.pupil_id; pupil = true; break;
    default: return true;
    }
    if (id != s->seen_id || id == 0) {
        s->seen_id = id;
        s->seen_ok = pupil ? fcs_sees_pupil(s->t, id) : fcs_case_reach(s->t, id, NULL) == FC_OK;
    }
    return s->seen_ok;
}

static bool row(struct scan *s, const MDB_val *k, const MDB_val *v)
{
    union fcs_any r;
    if (s->via_index) {
        size_t off = s->id_off == SIZE_MAX ? k->mv_size - 4 : s->id_off;
        if (k->mv_size < 4 || k->mv_size < off + 4)
            return true;
        /* A missing record is verify's to report; a list shows what exists. */
        fc_id id = fcs_get_u32((const uint8_t *)k->mv_data + off);
        if (fcs_rec_get(s->t, entity_of(s->th.type), id, &r, NULL) != FC_OK)
            return true;
    } else if (!decode_row(s->th.type, k, v, &r)) {
        s->ret = -FC_ECORRUPT;
        return false;
    }
    if (s->th.type == R_ABSENCE && s->to != FC_DATE_NONE && r.absence.date > s->to)
        return false;
    if (fcs_checks_on(s->t) && !in_reach(s, &r))
        return true;
    s->ret = call(&s->th, &r);
    return s->ret == 0;
}

static int scan(struct scan *s, enum fcs_db db, const struct fcs_key *start,
                const struct fcs_key *prefix)
{
    MDB_cursor *cur;
    MDB_val key, val;
    int rc = mdb_cursor_open(s->t->txn, fcs_dbi(s->t, db), &cur);
    if (rc)
        return -FC_ESTORE;
    s->ret = 0;
    if (s->desc) {
        /* Just past the range: the prefix plus one, as a big number. */
        struct fcs_key past = *prefix;
        size_t i = past.len;
        while (i > 0 && past.b[i - 1] == 0xFF)
            past.b[--i] = 0;
        if (i > 0) {
            past.b[i - 1]++;
            key = fcs_kval(&past);
            rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
            rc = mdb_cursor_get(cur, &key, &val, rc == MDB_NOTFOUND ? MDB_LAST : MDB_PREV);
        } else {
            rc = mdb_cursor_get(cur, &key, &val, MDB_LAST);
        }
    } else if (start && start->len) {
        key = fcs_kval(start);
        rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
    } else {
        rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST);
    }
    for (; rc == 0; rc = mdb_cursor_get(cur, &key, &val, s->desc ? MDB_PREV : MDB_NEXT)) {
        if (prefix && !fcs_has_prefix(&key, prefix))
            break;
        if (!row(s, &key, &val))
            break;
    }
    mdb_cursor_close(cur);
    if (s->ret == 0 && rc && rc != MDB_NOTFOUND)
        return -FC_ESTORE;
    return s->ret;
}

static int each_all(struct fc_txn *t, enum fcs_db db, struct thunk th)
{
    struct scan s = { .t = t, .th = th, .to = FC_DATE_NONE };
    return scan(&s, db, NULL, NULL);
}

static int each_index(struct fc_txn *t, enum fcs_db db, const struct fcs_key *prefix,
                      size_t id_off, struct thunk th)
{
    struct scan s = { .t = t, .th = th, .via_index = true, .id_off = id_off,
                      .to = FC_DATE_NONE };
    return scan(&s, db, prefix, prefix);
}

#define TH(kind_, member, f, c) ((struct thunk){ .type = kind_, .fn.member = f, .ctx = c })

/* ---- whole databases ---------------------------------------------------------- */

int fc_teams_each(struct fc_txn *txn, fc_each_team_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_TEAMS, TH(R_TEAM, team, fn, ctx));
}

int fc_staff_each(struct fc_txn *txn, fc_each_staff_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_STAFF, TH(R_STAFF, staff, fn, ctx));
}

int fc_schools_each(struct fc_txn *txn, fc_each_school_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_SCHOOLS, TH(R_SCHOOL, school, fn, ctx));
}

int fc_pupils_each(struct fc_txn *txn, fc_each_pupil_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_PUPILS, TH(R_PUPIL, pupil, fn, ctx));
}

int fc_models_each(struct fc_txn *txn, fc_each_model_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_MODELS, TH(R_MODEL, model, fn, ctx));
}

int fc_cases_each(struct fc_txn *txn, fc_each_case_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_CASES, TH(R_CASE, kase, fn, ctx));
}

int fc_ratings_each(struct fc_txn *txn, fc_each_rating_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_RATINGS, TH(R_RATING, rating, fn, ctx));
}

int fc_absence_each(struct fc_txn *txn, fc_each_absence_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_ABSENCE, TH(R_ABSENCE, absence, fn, ctx));
}

int fc_holidays_each(struct fc_txn *txn, fc_each_holiday_fn fn, void *ctx)
{
    return each_all(txn, FCS_DB_HOLIDAYS, TH(R_HOLIDAY, holiday, fn, ctx));
}

/* ---- through the indexes -------------------------------------------------- */

int fc_cases_of_pupil(struct fc_txn *txn, fc_id pupil, fc_each_case_fn fn, void *ctx)
{
    struct fcs_key p;
    fcs_key(&p, "I", pupil);
    return each_index(txn, FCS_DB_CASE_PUPIL, &p, 4, TH(R_CASE, kase, fn, ctx));
}

int fc_cases_of_coordinator(struct fc_txn *txn, fc_id staff, fc_each_case_fn fn, void *ctx)
{
    struct fcs_key p;
    fcs_key(&p, "I", staff);
    return each_index(txn, FCS_DB_CASE_COORD, &p, 4, TH(R_CASE, kase, fn, ctx));
}

int fc_cases_of_school(struct fc_txn *txn, fc_id school, fc_each_case_fn fn, void *ctx)
{
    struct fcs_key p;
    fcs_key(&p, "I", school);
    return each_index(txn, FCS_DB_CASE_SCHOOL, &p, 4, TH(R_CASE, kase, fn, ctx));
}

int fc_cases_in_phase(struct fc_txn *txn, const char *model_id, int phase,
                      fc_each_case_fn fn, void *ctx)
{
    struct fcs_key p;
    if (phase < 0 || phase > UINT8_MAX)
        return 0;
    fcs_key(&p, "FB", model_id, (unsigned)phase);
    return each_index(txn, FCS_DB_CASE_PHASE, &p, FC_MODEL_ID_MAX + 1,
                      TH(R_CASE, kase, fn, ctx));
}

int fc_pupils_by_name_prefix(struct fc_txn *txn, const char *prefix, fc_each_pupil_fn fn,
                             void *ctx)
{
    char folded[FCS_FOLD_MAX];
    struct fcs_key p;
    fcs_fold(prefix, folded, sizeof folded);
    fcs_key(&p, "S", folded);
    return each_index(txn, FCS_DB_PUPIL_NAME, &p, SIZE_MAX, TH(R_PUPIL, pupil, fn, ctx));
}

int fc_phase_events_of_case(struct fc_txn *txn, fc_id case_id, fc_each_event_fn fn,
                            void *ctx)
{
    struct fcs_key p;
    struct scan s = { .t = txn, .th = TH(R_EVENT, event, fn, ctx), .to = FC_DATE_NONE };
    fcs_key(&p, "I", case_id);
    return scan(&s, FCS_DB_EVENTS, &p, &p);
}

int fc_meetings_of_case(struct fc_txn *txn, fc_id case_id, fc_each_meeting_fn fn,
                        void *ctx)
{
    struct fcs_key p;
    fcs_key(&p, "I", case_id);
    return each_index(txn, FCS_DB_MEETING_CASE, &p, 8, TH(R_MEETING, meeting, fn, ctx));
}

int fc_ratings_of_case(struct fc_txn *txn, fc_id case_id, fc_each_rating_fn fn, void *ctx)
{
    struct fcs_key p;
    fcs_key(&p, "I", case_id);
    return each_index(txn, FCS_DB_RATING_CASE, &p, 12, TH(R_RATING, rating, fn, ctx));
}

int fc_ratings_of_meeting(struct fc_txn *txn, fc_id meeting_id, fc_each_rating_fn fn,
                          void *ctx)
{
    struct fcs_key p;
    fcs_key(&p, "I", meeting_id);
    return each_index(txn, FCS_DB_RATING_MEETING, &p, 4, TH(R_RATING, rating, fn, ctx));
}

int fc_absence_of_pupil(struct fc_txn *txn, fc_id pupil, fc_date from, fc_date to,
                        fc_each_absence_fn fn, void *ctx)
{
    struct fcs_key p, start;
    struct scan s = { .t = txn, .th = TH(R_ABSENCE, absence, fn, ctx), .to = to };
    fcs_key(&p, "I", pupil);
    if (from == FC_DATE_NONE)
        start = p;
    else
        fcs_key(&start, "ID", pupil, from);
    return scan(&s, FCS_DB_ABSENCE, &start, &p);
}

int fc_ratings_of_case_desc(struct fc_txn *txn, fc_id case_id, fc_each_rating_fn fn,
                            void *ctx)
{
    struct fcs_key p;
    struct scan s = { .t = txn, .th = TH(R_RATING, rating, fn, ctx), .via_index = true,
                      .id_off = 12, .to = FC_DATE_NONE, .desc = true };
    fcs_key(&p, "I", case_id);
    return scan(&s, FCS_DB_RATING_CASE, &p, &p);
}

/* ---- the cases in reach, through the indexes ---------------------------------- */

static int cmp_id(const void *a, const void *b)
{
    fc_id x = *(const fc_id *)a, y = *(const fc_id *)b;
    return (x > y) - (x < y);
}

/* The ids under `key` in each of n (db, key) pairs, sorted, each once.
 * Each index keeps its ids in order under a key: a merge, not a sort. */
static int ids_union(struct fc_txn *t, const enum fcs_db *dbs, const struct fcs_key *keys,
                     size_t n, fc_id **out, size_t *nout)
{
    fc_id *part[4] = { NULL };
    size_t np[4] = { 0 }, at[4] = { 0 }, total = 0;
    int ret = 0;
    *out = NULL;
    *nout = 0;
    for (size_t i = 0; i < n && i < 4 && ret == 0; i++) {
        if (keys[i].len && fcs_collect_ids(t, dbs[i], &keys[i], 4, &part[i], &np[i], NULL))
            ret = -FC_ESTORE;
        total += np[i];
    }
    if (ret == 0 && total && !(*out = malloc(total * sizeof **out)))
        ret = -FC_ESTORE;
    while (ret == 0) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < n && i < 4; i++)
            if (at[i] < np[i] && (best == SIZE_MAX || part[i][at[i]] < part[best][at[best]]))
                best = i;
        if (best == SIZE_MAX)
            break;
        fc_id id = part[best][at[best]++];
        if (*nout == 0 || (*out)[*nout - 1] != id)
            (*out)[(*nout)++] = id;
    }
    for (size_t i = 0; i < 4; i++)
        free(part[i]);
    if (ret) {
        free(*out);
        *out = NULL;
        *nout = 0;
    }
    return ret;
}

/* The cases the acting staff member may see: their team's, and those they
 * coordinate or are the secondary contact of (without the team's when
 * with_team is false). */
static int actor_case_ids(struct fc_txn *t, bool with_team, fc_id **ids, size_t *n)
{
    const struct fc_staff *me = &t->st->actor.s;
    static const enum fcs_db dbs[3] = { FCS_DB_CASE_TEAM, FCS_DB_CASE_COORD, FCS_DB_CASE_SECOND };
    struct fcs_key keys[3] = { { 0 } };
    if (with_team && me->team_id)
        fcs_key(&keys[0], "I", me->team_id);
    fcs_key(&keys[1], "I", me->id);
    fcs_key(&keys[2], "I", me->id);
    return ids_union(t, dbs, keys, 3, ids, n);
}

/* A pupil's name, birth date, grade and school, without the guardians. */
static bool pupil_head(struct fc_txn *t, fc_id id, struct fc_pupil *p)
{
    struct fcs_key k;
    MDB_val v;
    fcs_key(&k, "I", id);
    if (!id || fcs_get(t, FCS_DB_PUPILS, &k, &v, NULL) != FC_OK ||
        !fcs_decode_pupil_head(v.mv_data, v.mv_size, p))
        return false;
    p->id = id;
    return true;
}

/* A case's head with its pupil's list fields (the pupil of a case in
 * reach is in reach: docs/store.md). */
static void head_of(const struct fc_case *c, fc_id id, const struct fcs_pupil_copy *p,
                    struct fc_case_head *h)
{
    *h = (struct fc_case_head){
        .id = id, .pupil_id = c->pupil_id, .coordinator = c->coordinator,
        .secondary = c->secondary, .team_id = c->team_id, .phase = c->phase,
        .status = c->status, .concern_date = c->concern_date,
        .closed_date = c->closed_date, .birth_date = FC_DATE_NONE,
    };
    memcpy(h->model_id, c->model_id, sizeof h->model_id);
    if (p->have) {
        h->have_pupil = true;
        memcpy(h->pupil_name, p->name, sizeof h->pupil_name);
        h->birth_date = p->birth;
        h->grade = p->grade;
        h->school_id = p->school;
    }
}

/* The pupil's fields for a case read on its own; none if they do not read. */
static void pupil_copy(struct fc_txn *t, fc_id pupil, struct fcs_pupil_copy *p)
{
    if (fcs_pupil_copy_get(t, pupil, p, NULL) != FC_OK)
        p->have = false;
}

static int cmp_head(const void *a, const void *b)
{
    fc_id x = ((const struct fc_case_head *)a)->id, y = ((const struct fc_case_head *)b)->id;
    return (x > y) - (x < y);
}

struct heads {
    struct fc_case_head *v;
    size_t n, cap;
};

static int heads_push(struct heads *hs, const struct fc_case *c, fc_id id,
                      const struct fcs_pupil_copy *p)
{
    if (hs->n == hs->cap) {
        size_t cap = hs->cap ? hs->cap * 2 : 256;
        struct fc_case_head *v = realloc(hs->v, cap * sizeof *v);
        if (!v)
            return -FC_ESTORE;
        hs->v = v;
        hs->cap = cap;
    }
    head_of(c, id, p, &hs->v[hs->n++]);
    return 0;
}

/* The actor's team from its case_team range: each entry carries the case's
 * head and its pupil's list fields, so the team's list is one range read,
 * not a read of each case and each pupil. */
static int team_heads(struct fc_txn *t, fc_id team, struct fc_case *c, struct heads *hs)
{
    MDB_cursor *cur;
    MDB_val key, val;
    struct fcs_key prefix;
    int ret = 0;
    struct fcs_pupil_copy p;
    fcs_key(&prefix, "I", team);
    int rc = mdb_cursor_open(t->txn, fcs_dbi(t, FCS_DB_CASE_TEAM), &cur);
    if (rc)
        return -FC_ESTORE;
    key = fcs_kval(&prefix);
    for (rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
         rc == 0 && ret == 0 && fcs_has_prefix(&key, &prefix);
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        if (key.mv_size != 8 || !fcs_team_entry_decode(val.mv_data, val.mv_size, c, &p))
            ret = -FC_ECORRUPT;
        else if (fcs_sees_case(t, c))
            ret = heads_push(hs, c, fcs_get_u32((const uint8_t *)key.mv_data + 4), &p);
    }
    mdb_cursor_close(cur);
    if (ret == 0 && rc && rc != MDB_NOTFOUND)
        ret = -FC_ESTORE;
    return ret;
}

int fc_case_heads_each(struct fc_txn *txn, fc_each_case_head_fn fn, void *ctx)
{
    struct fc_case *c = malloc(sizeof *c);
    struct heads hs = { 0 };
    MDB_cursor *cur = NULL;
    MDB_val key, val;
    int ret = c ? 0 : -FC_ESTORE;
    if (ret == 0 && !fcs_checks_on(txn)) {
        int rc = mdb_cursor_open(txn->txn, fcs_dbi(txn, FCS_DB_CASES), &cur);
        for (rc = rc ? rc : mdb_cursor_get(cur, &key, &val, MDB_FIRST); rc == 0 && ret == 0;
             rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
            struct fc_case_head h;
            struct fcs_pupil_copy p;
            if (key.mv_size != 4 || !fcs_decode_case_head(val.mv_data, val.mv_size, c)) {
                ret = -FC_ECORRUPT;
            } else {
                pupil_copy(txn, c->pupil_id, &p);
                head_of(c, fcs_get_u32(key.mv_data), &p, &h);
                ret = fn(&h, ctx);
            }
        }
        if (ret == 0 && rc != MDB_NOTFOUND)
            ret = -FC_ESTORE;
        if (cur)
            mdb_cursor_close(cur);
        free(c);
        return ret;
    }
    const struct fc_staff *me = &txn->st->actor.s;
    if (ret == 0 && me->team_id)
        ret = team_heads(txn, me->team_id, c, &hs);
    /* Cases of other teams the actor coordinates or is the secondary
     * contact of: read one by one (few). */
    fc_id *ids = NULL;
    size_t n = 0, nteam = hs.n;
    if (ret == 0)
        ret = actor_case_ids(txn, false, &ids, &n);
    for (size_t i = 0; ret == 0 && i < n; i++) {
        struct fc_case_head probe = { .id = ids[i] };
        if (nteam && bsearch(&probe, hs.v, nteam, sizeof probe, cmp_head))
            continue;
        int rc = fcs_case_head_get(txn, ids[i], c, NULL);
        if (rc == FC_ENOTFOUND)
            continue;   /* verify reports an index naming nothing */
        if (rc != FC_OK) {
            ret = rc == FC_ECORRUPT ? -FC_ECORRUPT : -FC_ESTORE;
        } else if (fcs_sees_case(txn, c)) {
            struct fcs_pupil_copy p;
            pupil_copy(txn, c->pupil_id, &p);
            ret = heads_push(&hs, c, ids[i], &p);
        }
    }
    free(ids);
    free(c);
    if (ret == 0 && hs.n > nteam)
        qsort(hs.v, hs.n, sizeof *hs.v, cmp_head);
    for (size_t i = 0; ret == 0 && i < hs.n; i++)
        ret = fn(&hs.v[i], ctx);
    free(hs.v);
    return ret;
}

/* ---- outcome series ------------------------------------------------------------- */

struct series_walk {
    struct fc_txn *t;
    bool births;
    fc_each_series_fn fn;
    void *ctx;
    fc_id pupil;            /* the last pupil looked up, and their birth */
    fc_date birth;
};

/* Hands out every series under prefix (all of them when its len is 0). */
static int series_range(struct series_walk *w, const struct fcs_key *prefix)
{
    MDB_cursor *cur;
    MDB_val key, val;
    int ret = 0;
    int rc = mdb_cursor_open(w->t->txn, fcs_dbi(w->t, FCS_DB_SERIES), &cur);
    if (rc)
        return -FC_ESTORE;
    key = fcs_kval(prefix);
    rc = mdb_cursor_get(cur, &key, &val, prefix->len ? MDB_SET_RANGE : MDB_FIRST);
    for (; rc == 0 && ret == 0 && fcs_has_prefix(&key, prefix);
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        const uint8_t *kb = key.mv_data;
        struct fcs_series v;
        struct fc_series s = { .birth = FC_DATE_NONE };
        size_t name_len = key.mv_size > 11 ? key.mv_size - 11 : 0;
        if (key.mv_size < 11 || kb[key.mv_size - 1] != 0 || name_len >= sizeof s.rater_name ||
            memchr(kb + 10, 0, name_len) || !fcs_series_decode(val.mv_data, val.mv_size, &v)) {
            ret = -FC_ECORRUPT;
            break;
        }
        s.team_id = fcs_get_u32(kb);
        s.case_id = fcs_get_u32(kb + 4);
        s.scale = kb[8];
        s.rater = kb[9];
        memcpy(s.rater_name, kb + 10, name_len);
        s.pupil_id = v.pupil;
        s.intake = v.intake;
        s.n = v.n;
        s.npoints = v.npoints;
        for (int i = 0; i < v.npoints; i++)
            s.totals[i] = v.total[i];
        if (w->births && (v.pupil != w->pupil || !w->pupil)) {
            struct fc_pupil p;
            w->pupil = v.pupil;
            w->birth = pupil_head(w->t, v.pupil, &p) ? p.birth_date : FC_DATE_NONE;
        }
        s.birth = w->births ? w->birth : FC_DATE_NONE;
        ret = w->fn(&s, w->ctx);
    }
    mdb_cursor_close(cur);
    if (ret == 0 && rc && rc != MDB_NOTFOUND)
        ret = -FC_ESTORE;
    return ret;
}

int fc_outcome_series_each(struct fc_txn *txn, bool births, fc_each_series_fn fn,
                           void *ctx)
{
    struct series_walk w = { .t = txn, .births = births, .fn = fn, .ctx = ctx };
    struct fcs_key prefix = { 0 };
    if (!fcs_checks_on(txn))
        return series_range(&w, &prefix);
    const struct fc_staff *me = &txn->st->actor.s;
    int ret = 0;
    if (me->team_id) {
        fcs_key(&prefix, "I", me->team_id);
        ret = series_range(&w, &prefix);
    }
    /* Cases of other teams the actor works on: one short range each. Those
     * of the team are known from case_team without reading the case. */
    fc_id *ids = NULL, *mine = NULL;
    size_t n = 0, nmine = 0;
    static const enum fcs_db team_db[1] = { FCS_DB_CASE_TEAM };
    if (ret == 0)
        ret = actor_case_ids(txn, false, &ids, &n);
    if (ret == 0 && n && me->team_id)
        ret = ids_union(txn, team_db, &prefix, 1, &mine, &nmine);
    struct fc_case *c = ret == 0 && n ? malloc(sizeof *c) : NULL;
    if (ret == 0 && n && !c)
        ret = -FC_ESTORE;
    for (size_t i = 0; ret == 0 && i < n; i++) {
        if (nmine && bsearch(&ids[i], mine, nmine, sizeof *mine, cmp_id))
            continue;
        int rc = fcs_case_head_get(txn, ids[i], c, NULL);
        if (rc == FC_ENOTFOUND)
            continue;
        if (rc != FC_OK)
            ret = rc == FC_ECORRUPT ? -FC_ECORRUPT : -FC_ESTORE;
        else if ((!me->team_id || c->team_id != me->team_id) && fcs_sees_case(txn, c)) {
            fcs_key(&prefix, "II", c->team_id, ids[i]);
            ret = series_range(&w, &prefix);
        }
    }
    free(c);
    free(ids);
    free(mine);
    return ret;
}
