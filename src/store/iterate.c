/* Iteration: walk a database or an index range, decode each record into a
 * copy on the stack and hand it to the caller's callback. Callbacks never
 * see LMDB memory, which dies with the transaction. */
#include <config.h>

#include <string.h>

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
    if (start && start->len) {
        key = fcs_kval(start);
        rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
    } else {
        rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST);
    }
    for (; rc == 0; rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
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
