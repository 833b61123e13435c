/* The store: round trips, indexes after updates and deletes, version
 * conflicts, duplicates, map growth, two writers at once, schema checks,
 * erasure, rollback and the audit log. Each test opens its own store in a
 * fresh directory (never across fork). */
#include <config.h>

#include <check.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fitcase/date.h"
#include "fitcase/phase.h"
#include "fitcase/store.h"
#include "store_util.h"

/* ---- fixture helpers -------------------------------------------------------- */

struct tstore {
    char dir[64];
    struct fc_store *st;
};

static void ts_open(struct tstore *ts, size_t map)
{
    struct fc_store_opts o = { .initial_map = map, .create = true };
    struct fc_err err = { 0 };
    int rc = fc_store_open(ts->dir, &o, &ts->st, &err);
    ck_assert_msg(rc == FC_OK, "open %s: %s", ts->dir, err.msg);
}

static void ts_new(struct tstore *ts, size_t map)
{
    snprintf(ts->dir, sizeof ts->dir, "/tmp/fcstoreXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(ts->dir));
    ts_open(ts, map);
}

static void ts_close(struct tstore *ts)
{
    fc_store_close(ts->st);
    ts->st = NULL;
}

static void ts_done(struct tstore *ts)
{
    char p[128];
    if (ts->st)
        ts_close(ts);
    snprintf(p, sizeof p, "%s/data.mdb", ts->dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/lock.mdb", ts->dir);
    unlink(p);
    rmdir(ts->dir);
}

static void count_problem(const char *problem, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "verify: %s\n", problem);
}

static int verify(struct tstore *ts)
{
    struct fc_err err = { 0 };
    int n = fc_store_verify(ts->st, count_problem, NULL, &err);
    ck_assert_msg(n >= 0, "verify failed: %s", err.msg);
    return n;
}

static struct fc_txn *rd(struct tstore *ts)
{
    struct fc_txn *t;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_read_begin(ts->st, &t, &err), FC_OK);
    return t;
}

/* Runs fn in a write transaction and asserts it committed. */
#define WRITE_OK(ts, fn, ctx) \
    do { \
        struct fc_err e_ = { 0 }; \
        int rc_ = fc_store_write((ts)->st, "tester", fn, ctx, &e_); \
        ck_assert_msg(rc_ == FC_OK, "write failed (%d): %s", rc_, e_.msg); \
    } while (0)

static int counter(const void *rec, void *ctx)
{
    (void)rec;
    ++*(int *)ctx;
    return 0;
}

#define COUNTER(name, T) \
    static int name(const T *r, void *ctx) { return counter(r, ctx); }
COUNTER(count_case, struct fc_case)
COUNTER(count_pupil, struct fc_pupil)
COUNTER(count_meeting, struct fc_meeting)
COUNTER(count_rating, struct fc_rating)
COUNTER(count_absence, struct fc_absence)
COUNTER(count_event, struct fc_phase_event)
COUNTER(count_model, struct fc_phase_model)

/* Collects ids of visited cases (up to 16) for set comparisons. */
struct ids {
    int n;
    fc_id id[16];
};

static int collect_case(const struct fc_case *c, void *ctx)
{
    struct ids *s = ctx;
    if (s->n < 16)
        s->id[s->n++] = c->id;
    return 0;
}

static int collect_pupil(const struct fc_pupil *p, void *ctx)
{
    struct ids *s = ctx;
    if (s->n < 16)
        s->id[s->n++] = p->id;
    return 0;
}

/* ---- a small world: team, two staff, two schools, two pupils, a case ---- */

struct world {
    struct fc_team team;
    struct fc_staff staff[2];
    struct fc_school school[2];
    struct fc_pupil pupil[2];
    struct fc_case kase;
    struct fc_meeting meeting;
    struct fc_rating rating;
};

static int make_world(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct world *w = ctx;
    memset(w, 0, sizeof *w);
    snprintf(w->team.name, sizeof w->team.name, "FIT-teamet");
    int rc = fc_team_put(t, &w->team, err);
    static const char *const logins[] = { "hanne", "bo" };
    for (int i = 0; rc == FC_OK && i < 2; i++) {
        snprintf(w->staff[i].login, sizeof w->staff[i].login, "%s", logins[i]);
        snprintf(w->staff[i].name, sizeof w->staff[i].name, "Staff %s", logins[i]);
        w->staff[i].active = true;
        w->staff[i].team_id = w->team.id;
        rc = fc_staff_put(t, &w->staff[i], err);
    }
    static const char *const schools[] = { "Skolen på Åsen", "Nordskolen" };
    for (int i = 0; rc == FC_OK && i < 2; i++) {
        snprintf(w->school[i].name, sizeof w->school[i].name, "%s", schools[i]);
        rc = fc_school_put(t, &w->school[i], err);
    }
    static const char *const pupils[] = { "Søren Ærø", "Anna Berg" };
    for (int i = 0; rc == FC_OK && i < 2; i++) {
        struct fc_pupil *p = &w->pupil[i];
        snprintf(p->name, sizeof p->name, "%s", pupils[i]);
        fc_date_from_ymd(2012, 3, 4 + i, &p->birth_date);
        p->grade = (int8_t)(6 + i);
        p->school_id = w->school[0].id;
        p->nguardians = 2;
        snprintf(p->guardians[0], sizeof p->guardians[0], "Mor %d", i);
        snprintf(p->guardians[1], sizeof p->guardians[1], "Far %d", i);
        rc = fc_pupil_put(t, p, err);
    }
    if (rc == FC_OK) {
        struct fc_case *c = &w->kase;
        c->pupil_id = w->pupil[0].id;
        snprintf(c->model_id, sizeof c->model_id, "fit");
        fc_date_from_ymd(2025, 1, 6, &c->concern_date);
        c->closed_date = FC_DATE_NONE;
        c->coordinator = w->staff[0].id;
        c->secondary = w->staff[1].id;
        c->team_id = w->team.id;
        c->exclusions = 0x5;
        snprintf(c->exclusion_reason, sizeof c->exclusion_reason, "Afklaret med PPR");
        c->nconsent = 2;
        snprintf(c->consent[0], sizeof c->consent[0], "Skolen");
        snprintf(c->consent[1], sizeof c->consent[1], "Egen læge");
        c->ngoals = 1;
        snprintf(c->goals[0], sizeof c->goals[0], "Møde op tre dage om ugen");
        c->ninterventions = 2;
        snprintf(c->interventions[0].kind, sizeof c->interventions[0].kind, "følgeordning");
        c->interventions[0].start = c->concern_date + 7;
        c->interventions[0].end = FC_DATE_NONE;
        snprintf(c->interventions[0].who, sizeof c->interventions[0].who, "Bo");
        snprintf(c->interventions[1].kind, sizeof c->interventions[1].kind, "SMS");
        c->interventions[1].start = c->concern_date + 9;
        c->interventions[1].end = c->concern_date + 30;
        snprintf(c->summary_hypotheses, sizeof c->summary_hypotheses, "Angst for frikvarter");
        rc = fc_case_put(t, c, err);
    }
    if (rc == FC_OK) {
        struct fc_meeting *m = &w->meeting;
        m->case_id = w->kase.id;
        m->date = w->kase.concern_date + 3;
        m->kind = FC_MEET_ENROLMENT;
        m->nparticipants = 3;
        snprintf(m->participants[0], sizeof m->participants[0], "Søren");
        snprintf(m->participants[1], sizeof m->participants[1], "Mor 0");
        snprintf(m->participants[2], sizeof m->participants[2], "Hanne");
        snprintf(m->notes, sizeof m->notes, "Første møde.");
        snprintf(m->agreements, sizeof m->agreements, "Aftaleark udfyldt.");
        rc = fc_meeting_put(t, m, err);
    }
    if (rc == FC_OK) {
        struct fc_rating *r = &w->rating;
        r->case_id = w->kase.id;
        r->meeting_id = w->meeting.id;
        r->scale = FC_ORS;
        r->rater = FC_RATER_MOTHER;
        r->items[0] = 45;
        r->items[1] = 62;
        r->items[2] = 30;
        r->items[3] = 51;
        r->total = -1;
        rc = fc_rating_put(t, r, err);
    }
    return rc;
}

static void world(struct tstore *ts, struct world *w)
{
    WRITE_OK(ts, make_world, w);
}

/* ---- open, seed, schema -------------------------------------------------------- */

START_TEST(test_create_seeds)
{
    struct tstore ts;
    ts_new(&ts, 0);
    struct fc_txn *t = rd(&ts);
    uint32_t v = 0;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_schema_version(t, &v, &err), FC_OK);
    ck_assert_uint_eq(v, FC_SCHEMA_VERSION);
    int n = 0;
    fc_models_each(t, count_model, &n);
    ck_assert_int_eq(n, (int)fc_builtin_model_count());
    struct fc_phase_model m;
    ck_assert_int_eq(fc_model_get(t, "roskilde", &m, &err), FC_OK);
    ck_assert_str_eq(m.id, "roskilde");
    ck_assert_int_eq(m.nphases, fc_builtin_model_find("roskilde")->nphases);
    ck_assert_str_eq(m.phases[0].name, fc_builtin_model_find("roskilde")->phases[0].name);
    struct fc_settings s, d;
    ck_assert_int_eq(fc_settings_load(t, &s, &err), FC_OK);
    fc_settings_default(&d);
    ck_assert_int_eq(s.srs_cutoff, d.srs_cutoff);
    ck_assert_int_eq(s.retention_days, d.retention_days);
    fc_read_end(t);
    ck_assert_int_eq(verify(&ts), 0);
    ck_assert_uint_ge(fc_store_map_size(ts.st), (size_t)64 << 20);
    ck_assert_str_eq(fc_store_path(ts.st), ts.dir);
    ts_done(&ts);

    /* No store there and no create: refused, and nothing made. */
    struct fc_store *st = NULL;
    struct fc_store_opts o = { 0 };
    char missing[96];
    snprintf(missing, sizeof missing, "%s/nope", ts.dir);
    ck_assert_int_eq(fc_store_open(missing, &o, &st, &err), FC_ENOTFOUND);
    ck_assert_ptr_null(st);
    ck_assert_ptr_nonnull(strstr(err.msg, "nope"));
}
END_TEST

START_TEST(test_future_schema_refused)
{
    struct tstore ts;
    ts_new(&ts, 0);
    ts_close(&ts);
    stamp_schema(ts.dir, FC_SCHEMA_VERSION + 98);
    struct fc_store_opts o = { .create = true };
    struct fc_err err = { 0 };
    struct fc_store *st = NULL;
    ck_assert_int_eq(fc_store_open(ts.dir, &o, &st, &err), FC_ESTORE);
    ck_assert_ptr_null(st);
    char want[32];
    snprintf(want, sizeof want, "schema version %u", FC_SCHEMA_VERSION + 98);
    ck_assert_msg(strstr(err.msg, want) != NULL, "message: %s", err.msg);
    o.read_only = true;
    ck_assert_int_eq(fc_store_open(ts.dir, &o, &st, &err), FC_ESTORE);
    ts_done(&ts);
}
END_TEST

START_TEST(test_old_schema_migrated)
{
    struct tstore ts;
    ts_new(&ts, 0);
    ts_close(&ts);
    stamp_schema(ts.dir, 0);
    /* Read-only cannot upgrade... */
    struct fc_store_opts o = { .read_only = true };
    struct fc_err err = { 0 };
    struct fc_store *st = NULL;
    ck_assert_int_eq(fc_store_open(ts.dir, &o, &st, &err), FC_ESTORE);
    ck_assert_ptr_nonnull(strstr(err.msg, "upgrade"));
    /* ...a normal open runs the chain from 0. */
    ts_open(&ts, 0);
    struct fc_txn *t = rd(&ts);
    uint32_t v = 0;
    ck_assert_int_eq(fc_schema_version(t, &v, &err), FC_OK);
    ck_assert_uint_eq(v, FC_SCHEMA_VERSION);
    int n = 0;
    fc_models_each(t, count_model, &n);
    ck_assert_int_eq(n, (int)fc_builtin_model_count());
    fc_read_end(t);
    ck_assert_int_eq(verify(&ts), 0);
    ts_done(&ts);
}
END_TEST

/* ---- round trips --------------------------------------------------------------- */

static int put_extras(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    const struct world *w = ctx;
    struct fc_absence a = { .pupil_id = w->pupil[0].id, .kind = FC_ABS_ILLEGAL };
    fc_date_from_ymd(2025, 1, 8, &a.date);
    struct fc_holiday h = { 0 };
    fc_date_from_ymd(2025, 4, 17, &h.date);
    snprintf(h.description, sizeof h.description, "Skærtorsdag");
    struct fc_phase_model m = { .id = "egen", .name = "Vores model", .nphases = 2 };
    snprintf(m.phases[0].name, sizeof m.phases[0].name, "Start");
    m.phases[0].deadline_days = 14;
    snprintf(m.phases[1].name, sizeof m.phases[1].name, "Slut");
    m.phases[1].deadline_days = -1;
    struct fc_settings s;
    fc_settings_default(&s);
    s.srs_cutoff = 350;
    int rc = fc_absence_put(t, &a, err);
    if (rc == FC_OK)
        rc = fc_holiday_put(t, &h, err);
    if (rc == FC_OK)
        rc = fc_model_put(t, &m, err);
    if (rc == FC_OK)
        rc = fc_settings_store(t, &s, err);
    return rc;
}

static int get_absence(const struct fc_absence *a, void *ctx)
{
    *(struct fc_absence *)ctx = *a;
    return 1;
}

static int get_holiday(const struct fc_holiday *h, void *ctx)
{
    *(struct fc_holiday *)ctx = *h;
    return 0;
}

static int bad_setting(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    struct fc_settings s;
    fc_settings_default(&s);
    s.srs_cutoff = -7;
    return fc_settings_store(t, &s, err);
}

START_TEST(test_round_trip)
{
    struct tstore ts;
    struct world w;
    struct fc_err err = { 0 };
    ts_new(&ts, 0);
    world(&ts, &w);
    ck_assert_uint_eq(w.kase.version, 1);
    ck_assert_uint_ne(w.kase.id, 0);
    WRITE_OK(&ts, put_extras, &w);
    struct fc_txn *t = rd(&ts);

    struct fc_team team;
    ck_assert_int_eq(fc_team_get(t, w.team.id, &team, &err), FC_OK);
    ck_assert_str_eq(team.name, "FIT-teamet");
    ck_assert_uint_eq(team.version, 1);

    struct fc_staff s;
    ck_assert_int_eq(fc_staff_by_login(t, "bo", &s, &err), FC_OK);
    ck_assert_uint_eq(s.id, w.staff[1].id);
    ck_assert_str_eq(s.name, "Staff bo");
    ck_assert(s.active);
    ck_assert_uint_eq(s.team_id, w.team.id);
    ck_assert_int_eq(fc_staff_by_login(t, "nobody", &s, &err), FC_ENOTFOUND);

    struct fc_school sc;
    ck_assert_int_eq(fc_school_by_name(t, "SKOLEN PA AASEN", &sc, &err), FC_OK);
    ck_assert_uint_eq(sc.id, w.school[0].id);
    ck_assert_str_eq(sc.name, "Skolen på Åsen");

    struct fc_pupil p;
    ck_assert_int_eq(fc_pupil_get(t, w.pupil[0].id, &p, &err), FC_OK);
    ck_assert_mem_eq(&p, &w.pupil[0], sizeof p);
    ck_assert_str_eq(p.guardians[1], "Far 0");

    struct fc_case *c = malloc(sizeof *c);
    ck_assert_int_eq(fc_case_get(t, w.kase.id, c, &err), FC_OK);
    ck_assert_mem_eq(c, &w.kase, sizeof *c);
    ck_assert_str_eq(c->interventions[1].kind, "SMS");
    ck_assert_int_eq(c->interventions[0].end, FC_DATE_NONE);
    ck_assert_int_eq(c->closed_date, FC_DATE_NONE);
    free(c);

    struct fc_meeting m;
    ck_assert_int_eq(fc_meeting_get(t, w.meeting.id, &m, &err), FC_OK);
    ck_assert_mem_eq(&m, &w.meeting, sizeof m);

    struct fc_rating r;
    ck_assert_int_eq(fc_rating_get(t, w.rating.id, &r, &err), FC_OK);
    ck_assert_int_eq(r.total, 188);
    ck_assert_int_eq(r.date, w.meeting.date);
    ck_assert_mem_eq(&r, &w.rating, sizeof r);

    struct fc_absence a = { 0 };
    ck_assert_int_eq(fc_absence_of_pupil(t, w.pupil[0].id, FC_DATE_NONE, FC_DATE_NONE,
                                         get_absence, &a), 1);
    ck_assert_uint_eq(a.pupil_id, w.pupil[0].id);
    ck_assert_int_eq(a.kind, FC_ABS_ILLEGAL);
    fc_date d;
    fc_date_from_ymd(2025, 1, 8, &d);
    ck_assert_int_eq(a.date, d);

    struct fc_holiday h = { 0 };
    fc_holidays_each(t, get_holiday, &h);
    ck_assert_str_eq(h.description, "Skærtorsdag");
    fc_date_from_ymd(2025, 4, 17, &d);
    ck_assert_int_eq(h.date, d);

    struct fc_phase_model pm;
    ck_assert_int_eq(fc_model_get(t, "egen", &pm, &err), FC_OK);
    ck_assert_int_eq(pm.nphases, 2);
    ck_assert_str_eq(pm.phases[1].name, "Slut");
    ck_assert_int_eq(pm.phases[0].deadline_days, 14);
    ck_assert_int_eq(pm.phases[1].deadline_days, -1);

    struct fc_settings st;
    ck_assert_int_eq(fc_settings_load(t, &st, &err), FC_OK);
    ck_assert_int_eq(st.srs_cutoff, 350);
    ck_assert_int_eq(fc_settings_store(t, &st, &err), FC_EINVAL);   /* read txn */

    ck_assert_int_eq(fc_case_get(t, 999, c = malloc(sizeof *c), &err), FC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "999"));
    free(c);
    fc_read_end(t);
    ck_assert_int_eq(fc_store_write(ts.st, "t", bad_setting, NULL, &err), FC_EINVAL);
    t = rd(&ts);
    ck_assert_int_eq(fc_settings_load(t, &st, &err), FC_OK);
    ck_assert_int_eq(st.srs_cutoff, 350);
    fc_read_end(t);
    ck_assert_int_eq(verify(&ts), 0);
    ts_done(&ts);
}
END_TEST

/* ---- indexes after updates and deletes ----------------------------------------- */

struct change {
    struct world *w;
    int step;
};

static int apply_change(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct change *ch = ctx;
    struct world *w = ch->w;
    switch (ch->step) {
    case 0:   /* rename the pupil */
        snprintf(w->pupil[0].name, sizeof w->pupil[0].name, "Kasper Holm");
        return fc_pupil_put(t, &w->pupil[0], err);
    case 1:   /* hand the case to another coordinator */
        w->kase.coordinator = w->staff[1].id;
        return fc_case_put(t, &w->kase, err);
    case 2:
        return fc_case_set_phase(t, &w->kase, 2, "Undersøgende fase", err);
    case 3:   /* the pupil moves school: the case follows in case_school */
        w->pupil[0].school_id = w->school[1].id;
        return fc_pupil_put(t, &w->pupil[0], err);
    case 4:   /* the meeting moves; its ratings follow */
        w->meeting.date += 2;
        return fc_meeting_put(t, &w->meeting, err);
    case 5:
        return fc_meeting_delete(t, w->meeting.id, err);
    default:
        return FC_EINVAL;
    }
}

static struct ids cases_of(struct tstore *ts, int which, fc_id id)
{
    struct ids s = { 0 };
    struct fc_txn *t = rd(ts);
    if (which == 0)
        fc_cases_of_pupil(t, id, collect_case, &s);
    else if (which == 1)
        fc_cases_of_coordinator(t, id, collect_case, &s);
    else if (which == 2)
        fc_cases_of_school(t, id, collect_case, &s);
    else
        fc_cases_in_phase(t, "fit", (int)id, collect_case, &s);
    fc_read_end(t);
    return s;
}

static struct ids pupils_named(struct tstore *ts, const char *prefix)
{
    struct ids s = { 0 };
    struct fc_txn *t = rd(ts);
    fc_pupils_by_name_prefix(t, prefix, collect_pupil, &s);
    fc_read_end(t);
    return s;
}

static void step(struct tstore *ts, struct world *w, int n)
{
    struct change ch = { w, n };
    WRITE_OK(ts, apply_change, &ch);
    ck_assert_int_eq(verify(ts), 0);
}

START_TEST(test_indexes_follow_updates)
{
    struct tstore ts;
    struct world w;
    ts_new(&ts, 0);
    world(&ts, &w);
    fc_id kid = w.kase.id;

    struct ids s = pupils_named(&ts, "soren");
    ck_assert_int_eq(s.n, 1);
    ck_assert_uint_eq(s.id[0], w.pupil[0].id);
    ck_assert_int_eq(pupils_named(&ts, "").n, 2);
    step(&ts, &w, 0);
    ck_assert_int_eq(pupils_named(&ts, "soren").n, 0);
    s = pupils_named(&ts, "kasp");
    ck_assert_int_eq(s.n, 1);
    ck_assert_uint_eq(s.id[0], w.pupil[0].id);
    ck_assert_uint_eq(w.pupil[0].version, 2);

    ck_assert_int_eq(cases_of(&ts, 1, w.staff[0].id).n, 1);
    step(&ts, &w, 1);
    ck_assert_int_eq(cases_of(&ts, 1, w.staff[0].id).n, 0);
    s = cases_of(&ts, 1, w.staff[1].id);
    ck_assert_int_eq(s.n, 1);
    ck_assert_uint_eq(s.id[0], kid);

    ck_assert_int_eq(cases_of(&ts, 3, 0).n, 1);
    step(&ts, &w, 2);
    ck_assert_int_eq(w.kase.phase, 2);
    ck_assert_uint_eq(w.kase.version, 3);
    ck_assert_int_eq(cases_of(&ts, 3, 0).n, 0);
    ck_assert_int_eq(cases_of(&ts, 3, 2).n, 1);
    struct fc_txn *t = rd(&ts);
    int n = 0;
    fc_phase_events_of_case(t, kid, count_event, &n);
    ck_assert_int_eq(n, 1);
    fc_read_end(t);

    ck_assert_int_eq(cases_of(&ts, 2, w.school[0].id).n, 1);
    step(&ts, &w, 3);
    ck_assert_int_eq(cases_of(&ts, 2, w.school[0].id).n, 0);
    ck_assert_int_eq(cases_of(&ts, 2, w.school[1].id).n, 1);
    ck_assert_int_eq(cases_of(&ts, 0, w.pupil[0].id).n, 1);

    step(&ts, &w, 4);
    struct fc_err err = { 0 };
    struct fc_rating r;
    t = rd(&ts);
    ck_assert_int_eq(fc_rating_get(t, w.rating.id, &r, &err), FC_OK);
    ck_assert_int_eq(r.date, w.meeting.date);
    n = 0;
    fc_ratings_of_case(t, kid, count_rating, &n);
    ck_assert_int_eq(n, 1);
    fc_read_end(t);

    step(&ts, &w, 5);
    t = rd(&ts);
    ck_assert_int_eq(fc_rating_get(t, w.rating.id, &r, &err), FC_ENOTFOUND);
    n = 0;
    fc_ratings_of_case(t, kid, count_rating, &n);
    fc_meetings_of_case(t, kid, count_meeting, &n);
    fc_ratings_each(t, count_rating, &n);
    ck_assert_int_eq(n, 0);
    fc_read_end(t);
    ts_done(&ts);
}
END_TEST

/* Events count from 1 in each case and record who and the note. */
static int first_event(const struct fc_phase_event *e, void *ctx)
{
    *(struct fc_phase_event *)ctx = *e;
    return 1;
}

START_TEST(test_phase_event_recorded)
{
    struct tstore ts;
    struct world w;
    setenv("FITCASE_NOW", "1735732800", 1);
    ts_new(&ts, 0);
    world(&ts, &w);
    step(&ts, &w, 2);
    struct fc_phase_event *e = calloc(1, sizeof *e);
    struct fc_txn *t = rd(&ts);
    ck_assert_int_eq(fc_phase_events_of_case(t, w.kase.id, first_event, e), 1);
    fc_read_end(t);
    ck_assert_uint_eq(e->case_id, w.kase.id);
    ck_assert_uint_eq(e->seq, 1);
    ck_assert_int_eq(e->from_phase, 0);
    ck_assert_int_eq(e->to_phase, 2);
    ck_assert_int_eq(e->when, 1735732800);
    ck_assert_str_eq(e->who, "tester");
    ck_assert_str_eq(e->note, "Undersøgende fase");
    free(e);
    ts_done(&ts);
}
END_TEST

/* ---- conflicts and refusals ---------------------------------------------------- */

static int put_case(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    return fc_case_put(t, ctx, err);
}

START_TEST(test_version_conflict)
{
    struct tstore ts;
    struct world w;
    ts_new(&ts, 0);
    world(&ts, &w);
    struct fc_case *a = malloc(sizeof *a), *b = malloc(sizeof *b), *now = malloc(sizeof *now);
    *a = w.kase;
    *b = w.kase;
    snprintf(a->summary_agreements, sizeof a->summary_agreements, "Aftale A");
    snprintf(b->summary_agreements, sizeof b->summary_agreements, "Aftale B");
    WRITE_OK(&ts, put_case, a);
    ck_assert_uint_eq(a->version, 2);
    struct fc_err err = { 0 };
    uint64_t g0, g1;
    ck_assert_int_eq(fc_store_generation(ts.st, &g0, &err), FC_OK);
    ck_assert_int_eq(fc_store_write(ts.st, "bo", put_case, b, &err), FC_ECONFLICT);
    ck_assert_int_eq(err.code, FC_ECONFLICT);
    ck_assert_msg(strstr(err.msg, "changed by someone else") != NULL, "%s", err.msg);
    ck_assert_uint_eq(b->version, 1);
    ck_assert_int_eq(fc_store_generation(ts.st, &g1, &err), FC_OK);
    ck_assert_uint_eq(g0, g1);
    struct fc_txn *t = rd(&ts);
    ck_assert_int_eq(fc_case_get(t, w.kase.id, now, &err), FC_OK);
    fc_read_end(t);
    ck_assert_str_eq(now->summary_agreements, "Aftale A");
    ck_assert_uint_eq(now->version, 2);
    free(a);
    free(b);
    free(now);
    ts_done(&ts);
}
END_TEST

struct rate {
    struct world *w;
    struct fc_rating r;
};

static int put_rating(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct rate *x = ctx;
    return fc_rating_put(t, &x->r, err);
}

START_TEST(test_duplicate_rater)
{
    struct tstore ts;
    struct world w;
    struct fc_err err = { 0 };
    ts_new(&ts, 0);
    world(&ts, &w);
    struct rate x = { &w, { .case_id = w.kase.id, .meeting_id = w.meeting.id,
                            .scale = FC_ORS, .rater = FC_RATER_MOTHER,
                            .items = { FC_ITEM_NONE, FC_ITEM_NONE, FC_ITEM_NONE,
                                       FC_ITEM_NONE },
                            .total = 250 } };
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_rating, &x, &err), FC_EEXIST);
    ck_assert_msg(strstr(err.msg, "mother") && strstr(err.msg, "ORS"), "%s", err.msg);
    ck_assert_uint_eq(x.r.id, 0);
    /* Same rater on the other scale, or a named other rater: fine. */
    x.r.scale = FC_SRS;
    WRITE_OK(&ts, put_rating, &x);
    struct rate y = x;
    y.r.id = 0;
    y.r.version = 0;
    y.r.scale = FC_ORS;
    y.r.rater = FC_RATER_TEACHER;
    snprintf(y.r.rater_name, sizeof y.r.rater_name, "Lærer Jens");
    WRITE_OK(&ts, put_rating, &y);
    struct rate z = y;
    z.r.id = 0;
    z.r.version = 0;
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_rating, &z, &err), FC_EEXIST);
    ck_assert_ptr_nonnull(strstr(err.msg, "Lærer Jens"));
    snprintf(z.r.rater_name, sizeof z.r.rater_name, "Lærer Ida");
    WRITE_OK(&ts, put_rating, &z);
    /* A meeting of another case, or an invalid item, is refused. */
    struct rate bad = z;
    bad.r.id = 0;
    bad.r.version = 0;
    bad.r.case_id = w.kase.id + 1;
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_rating, &bad, &err), FC_EINVAL);
    bad.r.case_id = w.kase.id;
    bad.r.rater = FC_RATER_FATHER;
    bad.r.items[0] = 101;
    bad.r.items[1] = bad.r.items[2] = bad.r.items[3] = 50;
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_rating, &bad, &err), FC_EINVAL);
    struct fc_txn *t = rd(&ts);
    int n = 0;
    fc_ratings_of_meeting(t, w.meeting.id, count_rating, &n);
    ck_assert_int_eq(n, 4);
    fc_read_end(t);
    ck_assert_int_eq(verify(&ts), 0);
    ts_done(&ts);
}
END_TEST

static int put_absence(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    return fc_absence_put(t, ctx, err);
}

START_TEST(test_absence_duplicate)
{
    struct tstore ts;
    struct world w;
    struct fc_err err = { 0 };
    ts_new(&ts, 0);
    world(&ts, &w);
    struct fc_absence a = { .pupil_id = w.pupil[1].id, .kind = FC_ABS_SICK };
    fc_date_from_ymd(2025, 2, 3, &a.date);
    WRITE_OK(&ts, put_absence, &a);
    a.kind = FC_ABS_LEGAL;
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_absence, &a, &err), FC_EEXIST);
    ck_assert_ptr_nonnull(strstr(err.msg, "2025-02-03"));
    a.pupil_id = 4242;
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_absence, &a, &err), FC_EINVAL);
    struct fc_absence got = { 0 };
    struct fc_txn *t = rd(&ts);
    ck_assert_int_eq(fc_absence_of_pupil(t, w.pupil[1].id, a.date, a.date, get_absence, &got), 1);
    fc_read_end(t);
    ck_assert_int_eq(got.kind, FC_ABS_SICK);
    ts_done(&ts);
}
END_TEST

START_TEST(test_case_refusals)
{
    struct tstore ts;
    struct world w;
    struct fc_err err = { 0 };
    ts_new(&ts, 0);
    world(&ts, &w);
    struct fc_case *c = malloc(sizeof *c);
    *c = w.kase;
    c->id = 0;
    c->version = 0;
    c->pupil_id = 777;
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_case, c, &err), FC_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "777"));
    c->pupil_id = w.pupil[1].id;
    snprintf(c->model_id, sizeof c->model_id, "ukendt");
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_case, c, &err), FC_EINVAL);
    snprintf(c->model_id, sizeof c->model_id, "fit");
    c->phase = 4;
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_case, c, &err), FC_EINVAL);
    c->phase = 3;
    WRITE_OK(&ts, put_case, c);
    ck_assert_uint_eq(c->id, w.kase.id + 1);
    free(c);
    ck_assert_int_eq(verify(&ts), 0);
    ts_done(&ts);
}
END_TEST

/* ---- rollback, audit, generation ----------------------------------------------- */

static int add_then_fail(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    struct fc_pupil p = { .grade = 5 };
    snprintf(p.name, sizeof p.name, "Halvt Skrevet");
    int rc = fc_pupil_put(t, &p, err);
    if (rc)
        return rc;
    snprintf(err->msg, sizeof err->msg, "stopped on purpose");
    return err->code = FC_EINVAL;
}

static int count_audit(const struct fc_audit *a, void *ctx)
{
    (void)a;
    ++*(int *)ctx;
    return 0;
}

START_TEST(test_failing_fn_writes_nothing)
{
    struct tstore ts;
    struct fc_err err = { 0 };
    ts_new(&ts, 0);
    uint64_t g0, g1;
    int audit0 = 0, audit1 = 0, pupils = 0;
    ck_assert_int_eq(fc_store_generation(ts.st, &g0, &err), FC_OK);
    struct fc_txn *t = rd(&ts);
    fc_audit_each(t, 0, count_audit, &audit0);
    fc_read_end(t);
    ck_assert_int_eq(fc_store_write(ts.st, "t", add_then_fail, NULL, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "stopped on purpose");
    ck_assert_int_eq(fc_store_generation(ts.st, &g1, &err), FC_OK);
    ck_assert_uint_eq(g0, g1);
    t = rd(&ts);
    fc_audit_each(t, 0, count_audit, &audit1);
    fc_pupils_each(t, count_pupil, &pupils);
    fc_read_end(t);
    ck_assert_int_eq(audit0, audit1);
    ck_assert_int_eq(pupils, 0);
    ck_assert_int_eq(verify(&ts), 0);
    ts_done(&ts);
}
END_TEST

struct audit_find {
    const char *action;
    struct fc_audit found;
    int n;
};

static int find_audit(const struct fc_audit *a, void *ctx)
{
    struct audit_find *f = ctx;
    if (strcmp(a->action, f->action) == 0) {
        f->found = *a;
        f->n++;
    }
    return 0;
}

static struct audit_find *audit_of(struct tstore *ts, const char *action)
{
    struct audit_find *f = calloc(1, sizeof *f);
    f->action = action;
    struct fc_txn *t = rd(ts);
    ck_assert_int_eq(fc_audit_each(t, 0, find_audit, f), 0);
    fc_read_end(t);
    return f;
}

START_TEST(test_audit_and_generation)
{
    struct tstore ts;
    struct world w;
    struct fc_err err = { 0 };
    setenv("FITCASE_NOW", "1700000000", 1);
    ts_new(&ts, 0);
    uint64_t g0, g1, g2;
    ck_assert_int_eq(fc_store_generation(ts.st, &g0, &err), FC_OK);
    world(&ts, &w);
    ck_assert_int_eq(fc_store_generation(ts.st, &g1, &err), FC_OK);
    ck_assert_uint_eq(g1, g0 + 1);
    step(&ts, &w, 0);
    ck_assert_int_eq(fc_store_generation(ts.st, &g2, &err), FC_OK);
    ck_assert_uint_eq(g2, g1 + 1);

    struct audit_find *f = audit_of(&ts, "pupil.update");
    ck_assert_int_eq(f->n, 1);
    ck_assert_str_eq(f->found.who, "tester");
    ck_assert_str_eq(f->found.entity, "pupil");
    ck_assert_uint_eq(f->found.entity_id, w.pupil[0].id);
    ck_assert_int_eq(f->found.when, 1700000000);
    ck_assert_str_eq(f->found.detail, "changed: name");
    ck_assert_ptr_null(strstr(f->found.detail, "Kasper"));
    free(f);
    f = audit_of(&ts, "case.add");
    ck_assert_int_eq(f->n, 1);
    ck_assert_uint_eq(f->found.entity_id, w.kase.id);
    free(f);
    f = audit_of(&ts, "rating.add");
    ck_assert_int_eq(f->n, 1);
    free(f);
    f = audit_of(&ts, "store.migrate");     /* one entry per step of the chain */
    ck_assert_int_eq(f->n, FC_SCHEMA_VERSION);
    ck_assert_str_eq(f->found.who, "fitcase");
    free(f);
    step(&ts, &w, 1);
    f = audit_of(&ts, "case.update");
    ck_assert_int_eq(f->n, 1);
    ck_assert_str_eq(f->found.detail, "changed: coordinator");
    free(f);
    step(&ts, &w, 2);
    f = audit_of(&ts, "case.phase");
    ck_assert_int_eq(f->n, 1);
    ck_assert_str_eq(f->found.detail, "phase 1 -> 3");
    free(f);
    ts_done(&ts);
}
END_TEST

/* ---- erasure ------------------------------------------------------------------- */

struct erase {
    struct world *w;
    struct fc_case second;
};

static int fill_pupil(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct erase *e = ctx;
    struct world *w = e->w;
    e->second = w->kase;
    e->second.id = 0;
    e->second.version = 0;
    int rc = fc_case_put(t, &e->second, err);
    if (rc == FC_OK)
        rc = fc_case_set_phase(t, &e->second, 1, "videre", err);
    for (int i = 0; rc == FC_OK && i < 3; i++) {
        struct fc_meeting m = { .case_id = e->second.id, .date = w->meeting.date + i,
                                .kind = FC_MEET_PARENT };
        rc = fc_meeting_put(t, &m, err);
        struct fc_rating r = { .case_id = m.case_id, .meeting_id = m.id, .scale = FC_SRS,
                               .rater = FC_RATER_FATHER,
                               .items = { 90, 90, 90, 90 }, .total = -1 };
        if (rc == FC_OK)
            rc = fc_rating_put(t, &r, err);
    }
    for (int i = 0; rc == FC_OK && i < 5; i++) {
        struct fc_absence a = { .pupil_id = w->pupil[0].id, .date = 20000 + i };
        rc = fc_absence_put(t, &a, err);
        a.pupil_id = w->pupil[1].id;
        if (rc == FC_OK)
            rc = fc_absence_put(t, &a, err);
    }
    /* The other pupil's own case must survive. */
    struct fc_case *other = malloc(sizeof *other);
    *other = w->kase;
    other->id = 0;
    other->version = 0;
    other->pupil_id = w->pupil[1].id;
    if (rc == FC_OK)
        rc = fc_case_put(t, other, err);
    free(other);
    return rc;
}

static int erase_pupil(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    return fc_pupil_erase(t, *(fc_id *)ctx, err);
}

START_TEST(test_erase_pupil)
{
    struct tstore ts;
    struct world w;
    struct erase e = { .w = &w };
    struct fc_err err = { 0 };
    ts_new(&ts, 0);
    world(&ts, &w);
    WRITE_OK(&ts, fill_pupil, &e);
    ck_assert_int_eq(verify(&ts), 0);
    fc_id gone = w.pupil[0].id;
    WRITE_OK(&ts, erase_pupil, &gone);
    ck_assert_int_eq(verify(&ts), 0);

    struct fc_txn *t = rd(&ts);
    struct fc_pupil p;
    ck_assert_int_eq(fc_pupil_get(t, gone, &p, &err), FC_ENOTFOUND);
    int cases = 0, meetings = 0, ratings = 0, events = 0, absence = 0, absence_other = 0;
    fc_cases_each(t, count_case, &cases);
    fc_cases_of_pupil(t, gone, count_case, &cases);
    fc_ratings_each(t, count_rating, &ratings);
    fc_meetings_of_case(t, w.kase.id, count_meeting, &meetings);
    fc_meetings_of_case(t, e.second.id, count_meeting, &meetings);
    fc_phase_events_of_case(t, e.second.id, count_event, &events);
    fc_absence_of_pupil(t, gone, FC_DATE_NONE, FC_DATE_NONE, count_absence, &absence);
    fc_absence_of_pupil(t, w.pupil[1].id, FC_DATE_NONE, FC_DATE_NONE, count_absence,
                        &absence_other);
    ck_assert_int_eq(cases, 1);     /* the other pupil's case only */
    ck_assert_int_eq(meetings, 0);
    ck_assert_int_eq(ratings, 0);
    ck_assert_int_eq(events, 0);
    ck_assert_int_eq(absence, 0);
    ck_assert_int_eq(absence_other, 5);
    ck_assert_int_eq(pupils_named(&ts, "soren").n, 0);
    ck_assert_int_eq(pupils_named(&ts, "anna").n, 1);
    fc_read_end(t);
    ck_assert_int_eq(cases_of(&ts, 1, w.staff[0].id).n, 1);
    ck_assert_int_eq(cases_of(&ts, 2, w.school[0].id).n, 1);

    struct audit_find *f = audit_of(&ts, "pupil.erase");
    ck_assert_int_eq(f->n, 1);
    ck_assert_uint_eq(f->found.entity_id, gone);
    ck_assert_ptr_null(strstr(f->found.detail, "Søren"));
    ck_assert_ptr_nonnull(strstr(f->found.detail, "2 case(s)"));
    ck_assert_ptr_nonnull(strstr(f->found.detail, "4 rating(s)"));
    free(f);
    ts_done(&ts);
}
END_TEST

/* ---- growth and concurrency ------------------------------------------------------ */

struct batch {
    int from, n;
    fc_id school;
    int calls;
};

static int add_pupils(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct batch *b = ctx;
    b->calls++;
    for (int i = b->from; i < b->from + b->n; i++) {
        struct fc_pupil p = { .grade = (int8_t)(i % 11), .school_id = b->school,
                              .nguardians = 1 };
        snprintf(p.name, sizeof p.name, "Elev nummer %05d med et langt navn", i);
        snprintf(p.guardians[0], sizeof p.guardians[0], "Forælder %d", i);
        int rc = fc_pupil_put(t, &p, err);
        if (rc)
            return rc;
    }
    return FC_OK;
}

START_TEST(test_map_growth)
{
    struct tstore ts;
    struct world w;
    ts_new(&ts, 64 << 10);
    size_t start = fc_store_map_size(ts.st);
    ck_assert_uint_le(start, (size_t)1 << 20);
    world(&ts, &w);
    /* One big action and many small ones, both past the initial map. */
    struct batch big = { 0, 3000, w.school[1].id, 0 };
    WRITE_OK(&ts, add_pupils, &big);
    ck_assert_int_gt(big.calls, 1);     /* MAP_FULL: aborted, grown, run again */
    for (int i = 0; i < 20; i++) {
        struct batch b = { 3000 + 100 * i, 100, w.school[1].id, 0 };
        WRITE_OK(&ts, add_pupils, &b);
    }
    ck_assert_uint_gt(fc_store_map_size(ts.st), start);
    struct fc_txn *t = rd(&ts);
    int n = 0;
    fc_pupils_each(t, count_pupil, &n);
    ck_assert_int_eq(n, 5000 + 2);
    fc_read_end(t);
    struct ids s = pupils_named(&ts, "elev nummer 04999");
    ck_assert_int_eq(s.n, 1);
    ck_assert_int_eq(verify(&ts), 0);
    /* Reopening keeps the grown size and everything in it. */
    ts_close(&ts);
    ts_open(&ts, 64 << 10);
    ck_assert_uint_gt(fc_store_map_size(ts.st), start);
    ck_assert_int_eq(pupils_named(&ts, "elev").n, 16);
    ts_done(&ts);
}
END_TEST

struct meetings_job {
    fc_id case_id;
    int n;
    int offset;
};

static int add_meeting(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct meetings_job *j = ctx;
    struct fc_meeting m = { .case_id = j->case_id, .date = 20000 + j->offset + j->n,
                            .kind = FC_MEET_DEVELOPMENT, .nparticipants = 1 };
    snprintf(m.participants[0], sizeof m.participants[0], "Deltager %d", j->offset);
    snprintf(m.notes, sizeof m.notes, "Note %d/%d, lidt tekst så siderne fyldes op.",
             j->offset, j->n);
    return fc_meeting_put(t, &m, err);
}

/* A child process: open, write n meetings one per transaction, exit. */
static void writer(const char *dir, fc_id case_id, int offset, int n)
{
    struct fc_store *st;
    struct fc_store_opts o = { .initial_map = 64 << 10 };
    struct fc_err err = { 0 };
    if (fc_store_open(dir, &o, &st, &err) != FC_OK) {
        fprintf(stderr, "child open: %s\n", err.msg);
        _exit(2);
    }
    for (int i = 0; i < n; i++) {
        struct meetings_job j = { case_id, i, offset };
        if (fc_store_write(st, offset ? "child2" : "child1", add_meeting, &j, &err) != FC_OK) {
            fprintf(stderr, "child write %d: %s\n", i, err.msg);
            _exit(3);
        }
    }
    fc_store_close(st);
    _exit(0);
}

START_TEST(test_two_writers)
{
    enum { N = 400 };
    struct tstore ts;
    struct world w;
    ts_new(&ts, 64 << 10);
    world(&ts, &w);
    ts_close(&ts);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        ck_assert_int_ge(kids[k], 0);
        if (kids[k] == 0)
            writer(ts.dir, w.kase.id, k * 1000, N);
    }
    for (int k = 0; k < 2; k++) {
        int status = 0;
        ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "writer %d failed (status %d)", k, status);
    }
    ts_open(&ts, 0);
    struct fc_txn *t = rd(&ts);
    int n = 0;
    fc_meetings_of_case(t, w.kase.id, count_meeting, &n);
    fc_read_end(t);
    ck_assert_int_eq(n, 2 * N + 1);
    struct audit_find *f = audit_of(&ts, "meeting.add");
    ck_assert_int_eq(f->n, 2 * N + 1);
    free(f);
    ck_assert_int_eq(verify(&ts), 0);
    ts_done(&ts);
}
END_TEST

/* ---- damage is found, not trusted -------------------------------------------- */

static void raw_edit(const char *dir, const char *db, const void *key, size_t klen,
                     const void *val, size_t vlen)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_val k = { klen, (void *)key }, v = { vlen, (void *)val };
    ck_assert_int_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 64);
    ck_assert_int_eq(mdb_env_open(env, dir, 0, 0660), 0);
    ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    ck_assert_int_eq(mdb_dbi_open(txn, db, 0, &dbi), 0);
    if (val)
        ck_assert_int_eq(mdb_put(txn, dbi, &k, &v, 0), 0);
    else
        ck_assert_int_eq(mdb_del(txn, dbi, &k, NULL), 0);
    ck_assert_int_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

static void be32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

START_TEST(test_verify_finds_damage)
{
    struct tstore ts;
    struct world w;
    struct fc_err err = { 0 };
    ts_new(&ts, 0);
    world(&ts, &w);
    ck_assert_int_eq(verify(&ts), 0);
    ts_close(&ts);

    /* A lost index entry: the coordinator's. */
    uint8_t key[8];
    be32(key, w.staff[0].id);
    be32(key + 4, w.kase.id);
    raw_edit(ts.dir, "case_coord", key, 8, NULL, 0);
    ts_open(&ts, 0);
    ck_assert_int_eq(verify(&ts), 1);
    ck_assert_int_eq(cases_of(&ts, 1, w.staff[0].id).n, 0);
    ts_close(&ts);

    /* A value whose string length runs past the struct's buffer. */
    uint8_t bad[16] = { 1, 0, 0, 0, 1, 0xff, 0xff, 'x' };
    uint8_t pk[4];
    be32(pk, w.pupil[1].id);
    raw_edit(ts.dir, "pupils", pk, 4, bad, sizeof bad);
    /* A meeting filed under the wrong case in meeting_case. */
    uint8_t mk[12];
    be32(mk, w.kase.id + 5);
    be32(mk + 4, (uint32_t)w.meeting.date ^ 0x80000000u);
    be32(mk + 8, w.meeting.id);
    raw_edit(ts.dir, "meeting_case", mk, 12, "", 0);
    ts_open(&ts, 0);
    struct fc_txn *t = rd(&ts);
    struct fc_pupil p;
    ck_assert_int_eq(fc_pupil_get(t, w.pupil[1].id, &p, &err), FC_ECORRUPT);
    int n = 0;
    ck_assert_int_eq(fc_pupils_each(t, count_pupil, &n), -FC_ECORRUPT);
    fc_read_end(t);
    ck_assert_int_ge(verify(&ts), 4);
    ts_done(&ts);
}
END_TEST

static int put_team(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    return fc_team_put(t, ctx, err);
}

START_TEST(test_read_only)
{
    struct tstore ts;
    struct fc_err err = { 0 };
    ts_new(&ts, 0);
    ts_close(&ts);
    struct fc_store_opts o = { .read_only = true };
    ck_assert_int_eq(fc_store_open(ts.dir, &o, &ts.st, &err), FC_OK);
    struct fc_team team = { .name = "x" };
    ck_assert_int_eq(fc_store_write(ts.st, "t", put_team, &team, &err), FC_EDENIED);
    ck_assert_int_eq(verify(&ts), 0);
    ts_done(&ts);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("store");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_create_seeds);
    tcase_add_test(tc, test_future_schema_refused);
    tcase_add_test(tc, test_old_schema_migrated);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_indexes_follow_updates);
    tcase_add_test(tc, test_phase_event_recorded);
    tcase_add_test(tc, test_version_conflict);
    tcase_add_test(tc, test_duplicate_rater);
    tcase_add_test(tc, test_absence_duplicate);
    tcase_add_test(tc, test_case_refusals);
    tcase_add_test(tc, test_failing_fn_writes_nothing);
    tcase_add_test(tc, test_audit_and_generation);
    tcase_add_test(tc, test_erase_pupil);
    tcase_add_test(tc, test_map_growth);
    tcase_add_test(tc, test_two_writers);
    tcase_add_test(tc, test_verify_finds_damage);
    tcase_add_test(tc, test_read_only);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(store_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
