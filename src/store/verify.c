/* The integrity check: every record decodes, every index entry names an
 * existing record whose fields give exactly that key, every record has
 * all its index entries, references between records hold, and the id
 * counters stand above every id in use. One read transaction throughout. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "fitcase/i18n.h"
#include "fitcase/settings.h"
#include "internal.h"

struct verify {
    struct fc_txn *t;
    fc_verify_report_fn report;
    void *ctx;
    int problems;
    int rc;                  /* an LMDB failure stops the walk */
    struct fc_err *err;
};

__attribute__((format(printf, 2, 3)))
static void problem(struct verify *v, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->problems++;
    if (v->report)
        v->report(msg, v->ctx);
}

/* Looks a record up; false (and nothing reported) if it is not there. A
 * record that does not decode is reported where its database is walked. */
static bool lookup(struct verify *v, const struct fcs_entity *e, fc_id id, void *rec)
{
    struct fc_err e2;
    int rc = id ? fcs_rec_get(v->t, e, id, rec, &e2) : FC_ENOTFOUND;
    if (rc != FC_OK && rc != FC_ENOTFOUND && rc != FC_ECORRUPT && v->rc == FC_OK) {
        v->rc = rc;
        if (v->err)
            *v->err = e2;
    }
    return rc == FC_OK;
}

/* ---- index definitions ------------------------------------------------------ */

enum id_at { ID_IN_VALUE, ID_AT_END, ID_AT_OFFSET };

struct index_def {
    enum fcs_db db;
    const struct fcs_entity *ent;
    enum id_at at;
    size_t off;
    const char *field;       /* what the key is made of, for messages */
};

static const struct index_def indexes[] = {
    { FCS_DB_STAFF_LOGIN, &fcs_staff_ent, ID_IN_VALUE, 0, "login" },
    { FCS_DB_SCHOOL_NAME, &fcs_school_ent, ID_IN_VALUE, 0, "name" },
    { FCS_DB_PUPIL_NAME, &fcs_pupil_ent, ID_AT_END, 0, "name" },
    { FCS_DB_CASE_PUPIL, &fcs_case_ent, ID_AT_OFFSET, 4, "pupil" },
    { FCS_DB_CASE_COORD, &fcs_case_ent, ID_AT_OFFSET, 4, "coordinator" },
    { FCS_DB_CASE_SCHOOL, &fcs_case_ent, ID_AT_OFFSET, 4, "pupil's school" },
    { FCS_DB_CASE_PHASE, &fcs_case_ent, ID_AT_OFFSET, FC_MODEL_ID_MAX + 1, "model and phase" },
    { FCS_DB_CASE_TEAM, &fcs_case_ent, ID_AT_OFFSET, 4, "team" },
    { FCS_DB_CASE_SECOND, &fcs_case_ent, ID_AT_OFFSET, 4, "secondary contact" },
    { FCS_DB_MEETING_CASE, &fcs_meeting_ent, ID_AT_OFFSET, 8, "case and date" },
    { FCS_DB_RATING_CASE, &fcs_rating_ent, ID_AT_OFFSET, 12, "case, date and meeting" },
    { FCS_DB_RATING_MEETING, &fcs_rating_ent, ID_AT_OFFSET, 4, "meeting" },
};

/* The key a record must have in an index; len 0 when it has none. Derived
 * here on its own so a writer that builds a wrong key is caught. */
static void index_key(struct verify *v, enum fcs_db db, const union fcs_any *r,
                      struct fcs_key *k)
{
    char folded[FCS_FOLD_MAX];
    fc_id school = 0;
    k->len = 0;
    switch (db) {
    case FCS_DB_STAFF_LOGIN:
        if (r->staff.login[0])
            fcs_key(k, "S", r->staff.login);
        break;
    case FCS_DB_SCHOOL_NAME:
        if (fcs_fold(r->school.name, folded, sizeof folded))
            fcs_key(k, "S", folded);
        break;
    case FCS_DB_PUPIL_NAME:
        fcs_key_pupil_name(k, r->pupil.name, r->pupil.id);
        break;
    case FCS_DB_CASE_PUPIL:
        fcs_key(k, "II", r->kase.pupil_id, r->kase.id);
        break;
    case FCS_DB_CASE_COORD:
        if (r->kase.coordinator)
            fcs_key(k, "II", r->kase.coordinator, r->kase.id);
        break;
    case FCS_DB_CASE_SCHOOL:
        if (fcs_pupil_school(v->t, r->kase.pupil_id, &school, NULL) == FC_OK && school)
            fcs_key(k, "II", school, r->kase.id);
        break;
    case FCS_DB_CASE_PHASE:
        fcs_key_case_phase(k, r->kase.model_id, r->kase.phase, r->kase.id);
        break;
    case FCS_DB_CASE_TEAM:
        fcs_key(k, "II", r->kase.team_id, r->kase.id);
        break;
    case FCS_DB_CASE_SECOND:
        if (r->kase.secondary)
            fcs_key(k, "II", r->kase.secondary, r->kase.id);
        break;
    case FCS_DB_MEETING_CASE:
        fcs_key(k, "IDI", r->meeting.case_id, r->meeting.date, r->meeting.id);
        break;
    case FCS_DB_RATING_CASE:
        fcs_key(k, "IDII", r->rating.case_id, r->rating.date, r->rating.meeting_id,
                r->rating.id);
        break;
    case FCS_DB_RATING_MEETING:
        fcs_key(k, "II", r->rating.meeting_id, r->rating.id);
        break;
    default:
        break;
    }
}

/* Every index entry of a record is there (and a unique index names it). */
static void check_entries(struct verify *v, const struct fcs_entity *e, fc_id id,
                          const union fcs_any *r)
{
    for (size_t i = 0; i < sizeof indexes / sizeof indexes[0]; i++) {
        const struct index_def *d = &indexes[i];
        struct fcs_key k;
        MDB_val val;
        if (d->ent != e)
            continue;
        index_key(v, d->db, r, &k);
        if (!k.len)
            continue;
        int rc = fcs_get(v->t, d->db, &k, &val, NULL);
        if (rc == FC_ENOTFOUND)
            problem(v, _("%s %u has no entry in the index %s (by %s)"), e->name, id,
                    fcs_db_names[d->db], d->field);
        else if (rc == FC_OK && d->at == ID_IN_VALUE &&
                 (val.mv_size != 4 || fcs_get_u32(val.mv_data) != id))
            problem(v, _("%s %u: its entry in the index %s names another record"), e->name, id,
                    fcs_db_names[d->db]);
    }
}

/* Every entry of an index names an existing record with matching fields. */
static void check_index(struct verify *v, const struct index_def *d)
{
    MDB_cursor *cur = NULL;
    MDB_val key, val;
    union fcs_any r;
    const char *db = fcs_db_names[d->db];
    int rc = mdb_cursor_open(v->t->txn, fcs_dbi(v->t, d->db), &cur);
    for (rc = rc ? rc : mdb_cursor_get(cur, &key, &val, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        const uint8_t *kb = key.mv_data;
        size_t off = d->at == ID_AT_END ? key.mv_size - 4 : d->off;
        fc_id id;
        if (d->at == ID_IN_VALUE) {
            if (val.mv_size != 4) {
                problem(v, _("an entry in the index %s has a malformed value"), db);
                continue;
            }
            id = fcs_get_u32(val.mv_data);
        } else {
            if (key.mv_size < 4 || key.mv_size < off + 4 ||
                (d->at == ID_AT_END && (key.mv_size < 5 || kb[key.mv_size - 5] != 0))) {
                problem(v, _("an entry in the index %s has a malformed key"), db);
                continue;
            }
            id = fcs_get_u32(kb + off);
        }
        if (!lookup(v, d->ent, id, &r)) {
            problem(v, _("the index %s names %s %u, which does not exist"), db, d->ent->name, id);
            continue;
        }
        struct fcs_key want;
        index_key(v, d->db, &r, &want);
        if (want.len != key.mv_size || memcmp(want.b, kb, want.len) != 0)
            problem(v, _("the entry for %s %u in the index %s does not match its %s"),
                    d->ent->name, id, db, d->field);
    }
    if (cur && rc != MDB_NOTFOUND && v->rc == FC_OK)
        v->rc = fcs_mdb_fail(v->t, rc, db, v->err);
    if (cur)
        mdb_cursor_close(cur);
}

/* ---- records ----------------------------------------------------------------- */

static void check_refs(struct verify *v, const struct fcs_entity *e, fc_id id,
                       const union fcs_any *r)
{
    union fcs_any o;
    if (e == &fcs_staff_ent) {
        if (r->staff.role >= FC_ROLE_COUNT)
            problem(v, _("staff %u has an unknown role %u"), id, r->staff.role);
        if (r->staff.team_id && !lookup(v, &fcs_team_ent, r->staff.team_id, &o))
            problem(v, _("staff %u belongs to team %u, which does not exist"), id,
                    r->staff.team_id);
    } else if (e == &fcs_pupil_ent) {
        if (r->pupil.school_id && !lookup(v, &fcs_school_ent, r->pupil.school_id, &o))
            problem(v, _("pupil %u goes to school %u, which does not exist"), id,
                    r->pupil.school_id);
    } else if (e == &fcs_case_ent) {
        const struct fc_case *c = &r->kase;
        if (!lookup(v, &fcs_pupil_ent, c->pupil_id, &o))
            problem(v, _("case %u is about pupil %u, who does not exist"), id, c->pupil_id);
        if (fc_model_get(v->t, c->model_id, &o.model, NULL) != FC_OK)
            problem(v, _("case %u follows the phase model %s, which does not exist"), id,
                    c->model_id);
        else if (c->phase >= o.model.nphases)
            problem(v, _("case %u is in phase %u, but its model %s has %u phases"), id,
                    c->phase + 1u, c->model_id, o.model.nphases);
        if (c->coordinator && !lookup(v, &fcs_staff_ent, c->coordinator, &o))
            problem(v, _("case %u has coordinator %u, who does not exist"), id, c->coordinator);
        if (c->secondary && !lookup(v, &fcs_staff_ent, c->secondary, &o))
            problem(v, _("case %u has secondary contact %u, who does not exist"), id,
                    c->secondary);
    } else if (e == &fcs_meeting_ent) {
        if (!lookup(v, &fcs_case_ent, r->meeting.case_id, &o))
            problem(v, _("meeting %u belongs to case %u, which does not exist"), id,
                    r->meeting.case_id);
    } else if (e == &fcs_rating_ent) {
        const struct fc_rating *g = &r->rating;
        if (!lookup(v, &fcs_meeting_ent, g->meeting_id, &o))
            problem(v, _("rating %u belongs to meeting %u, which does not exist"), id,
                    g->meeting_id);
        else if (o.meeting.case_id != g->case_id)
            problem(v, _("rating %u is filed under case %u, but its meeting %u belongs to "
                         "case %u"), id, g->case_id, g->meeting_id, o.meeting.case_id);
        else if (o.meeting.date != g->date)
            problem(v, _("rating %u does not carry the date of its meeting %u"), id,
                    g->meeting_id);
        if (g->scale >= FC_SCALE_COUNT || g->rater >= FC_RATER_COUNT)
            problem(v, _("rating %u has an unknown scale or rater"), id);
    }
}

static void check_entity(struct verify *v, const struct fcs_entity *e)
{
    MDB_cursor *cur = NULL;
    MDB_val key, val;
    union fcs_any r;
    fc_id max = 0;
    const char *db = fcs_db_names[e->db];
    int rc = mdb_cursor_open(v->t->txn, fcs_dbi(v->t, e->db), &cur);
    for (rc = rc ? rc : mdb_cursor_get(cur, &key, &val, MDB_FIRST); rc == 0 && v->rc == FC_OK;
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
        if (key.mv_size != 4 || !fcs_decode(e->layout, val.mv_data, val.mv_size, &r)) {
            problem(v, _("a record in %s cannot be read"), db);
            continue;
        }
        fc_id id = fcs_get_u32(key.mv_data);
        memcpy((uint8_t *)&r + e->id_off, &id, sizeof id);
        if (id > max)
            max = id;
        if (id == 0)
            problem(v, _("%s has a record with id 0"), db);
        check_entries(v, e, id, &r);
        check_refs(v, e, id, &r);
    }
    if (cur && rc != MDB_NOTFOUND && v->rc == FC_OK)
        v->rc = fcs_mdb_fail(v->t, rc, db, v->err);
    if (cur)
        mdb_cursor_close(cur);
    char name[64];
    uint32_t last = 0;
    snprintf(name, sizeof name, "last_id.%s", e->name);
    if (fcs_meta_get_u32(v->t, name, &last, NULL) != FC_OK)
        problem(v, _("the counter %s cannot be read"), name);
    else if (last < max)
        problem(v, _("the counter %s is %u, below the %s id %u in use"), name, last, e->name,
                max);
}

/* ---- the other databases ------------------------------------------------------- */

typedef void (*row_fn)(struct verify *v, const MDB_val *k, const MDB_val *val);

static void walk(struct verify *v, enum fcs_db db, row_fn fn)
{
    MDB_cursor *cur = NULL;
    MDB_val key, val;
    int rc = mdb_cursor_open(v->t->txn, fcs_dbi(v->t, db), &cur);
    for (rc = rc ? rc : mdb_cursor_get(cur, &key, &val, MDB_FIRST); rc == 0 && v->rc == FC_OK;
         rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT))
        fn(v, &key, &val);
    if (cur && rc != MDB_NOTFOUND && v->rc == FC_OK)
        v->rc = fcs_mdb_fail(v->t, rc, fcs_db_names[db], v->err);
    if (cur)
        mdb_cursor_close(cur);
}

static void event_row(struct verify *v, const MDB_val *k, const MDB_val *val)
{
    struct fc_phase_event e;
    union fcs_any o;
    if (k->mv_size != 8 || !fcs_decode(&fcs_event_layout, val->mv_data, val->mv_size, &e)) {
        problem(v, _("a phase event cannot be read"));
        return;
    }
    fc_id c = fcs_get_u32(k->mv_data);
    uint32_t seq = fcs_get_u32((const uint8_t *)k->mv_data + 4);
    if (!lookup(v, &fcs_case_ent, c, &o))
        problem(v, _("phase event %u belongs to case %u, which does not exist"), seq, c);
    if (seq == 0)
        problem(v, _("case %u has a phase event numbered 0"), c);
}

static void model_row(struct verify *v, const MDB_val *k, const MDB_val *val)
{
    struct fc_phase_model m;
    if (k->mv_size == 0 || k->mv_size >= FC_MODEL_ID_MAX ||
        !fcs_decode(&fcs_model_layout, val->mv_data, val->mv_size, &m))
        problem(v, _("a phase model cannot be read"));
}

static void absence_row(struct verify *v, const MDB_val *k, const MDB_val *val)
{
    union fcs_any o;
    if (k->mv_size != 8 || val->mv_size != 1 ||
        *(const uint8_t *)val->mv_data >= FC_ABS_KIND_COUNT) {
        problem(v, _("an absence day cannot be read"));
        return;
    }
    fc_id pupil = fcs_get_u32(k->mv_data);
    if (!lookup(v, &fcs_pupil_ent, pupil, &o))
        problem(v, _("absence is recorded for pupil %u, who does not exist"), pupil);
}

static void holiday_row(struct verify *v, const MDB_val *k, const MDB_val *val)
{
    struct fc_holiday h;
    if (k->mv_size != 4 || !fcs_decode(&fcs_holiday_layout, val->mv_data, val->mv_size, &h))
        problem(v, _("a holiday cannot be read"));
}

static void audit_row(struct verify *v, const MDB_val *k, const MDB_val *val)
{
    struct fc_audit a;
    if (k->mv_size != 8 || !fcs_decode(&fcs_audit_layout, val->mv_data, val->mv_size, &a))
        problem(v, _("an audit entry cannot be read"));
}

static void settings_row(struct verify *v, const MDB_val *k, const MDB_val *val)
{
    char name[64];
    struct fc_settings s;
    int dummy;
    fc_settings_default(&s);
    if (k->mv_size >= sizeof name || val->mv_size != 4) {
        problem(v, _("a setting cannot be read"));
        return;
    }
    memcpy(name, k->mv_data, k->mv_size);
    name[k->mv_size] = '\0';
    uint32_t u = fcs_get_u32(val->mv_data);
    int value = u <= INT32_MAX ? (int)u : (int)((int64_t)u - 4294967296LL);
    if (fc_settings_get(&s, name, &dummy) != FC_OK)
        problem(v, _("the setting %s is unknown"), name);
    else if (fc_settings_set(&s, name, value, NULL) != FC_OK)
        problem(v, _("the setting %s has the value %d, which is out of range"), name, value);
}

static void series_problem(void *ctx, const char *fmt, ...)
{
    struct verify *v = ctx;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    problem(v, "%s", msg);
}

static void check_meta(struct verify *v)
{
    uint32_t schema;
    if (fc_schema_version(v->t, &schema, NULL) != FC_OK)
        problem(v, _("the schema version cannot be read"));
    else if (schema != FC_SCHEMA_VERSION)
        problem(v, _("the schema version is %u, not %u"), schema, FC_SCHEMA_VERSION);
}

int fc_store_verify(struct fc_store *st, fc_verify_report_fn report, void *ctx,
                    struct fc_err *err)
{
    static const struct fcs_entity *const entities[] = {
        &fcs_team_ent, &fcs_staff_ent, &fcs_school_ent, &fcs_pupil_ent,
        &fcs_case_ent, &fcs_meeting_ent, &fcs_rating_ent,
    };
    struct fc_txn t;
    int rc = fcs_read_begin(st, &t, err);
    if (rc)
        return -1;
    struct verify v = { .t = &t, .report = report, .ctx = ctx, .err = err };
    check_meta(&v);
    for (size_t i = 0; i < sizeof entities / sizeof entities[0] && v.rc == FC_OK; i++)
        check_entity(&v, entities[i]);
    for (size_t i = 0; i < sizeof indexes / sizeof indexes[0] && v.rc == FC_OK; i++)
        check_index(&v, &indexes[i]);
    walk(&v, FCS_DB_EVENTS, event_row);
    walk(&v, FCS_DB_MODELS, model_row);
    walk(&v, FCS_DB_ABSENCE, absence_row);
    walk(&v, FCS_DB_HOLIDAYS, holiday_row);
    walk(&v, FCS_DB_AUDIT, audit_row);
    walk(&v, FCS_DB_SETTINGS, settings_row);
    if (v.rc == FC_OK)
        v.rc = fcs_lists_verify(&t, series_problem, &v, err);
    fcs_read_end(&t);
    return v.rc == FC_OK ? v.problems : -1;
}
