/* The indexes lists read (case_team, case_second) and the outcome series
 * of the expected-change cohort (schema 2; case_team entries carry the
 * pupil's list fields since schema 4): after random writes, changes and
 * deletes of cases, meetings, ratings and pupils, fc_case_heads_each gives
 * exactly the cases fc_cases_each gives each actor, each with its pupil's
 * name, birth date, grade and school as the pupil record has them now,
 * fc_outcome_series_each (through fc_cohort_load_series) exactly the
 * cohort made from all the ratings in reach, fc_ratings_of_case_desc the
 * reverse of fc_ratings_of_case, and verify finds nothing; the migrations
 * from schema 1 and from schema 3 make them from what is there; so does
 * the bulk writer of imports, which writes a series at a time; verify
 * notices a series or an index entry gone wrong, the pupil's copy too. */
#include <config.h>

#include <check.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fitcase/cohort.h"
#include "fitcase/cohort_load.h"
#include "fitcase/date.h"
#include "fitcase/report.h"
#include "fitcase/score.h"
#include "fitcase/settings.h"
#include "fitcase/store.h"
#include "fitcase/store_bulk.h"
#include "fitcase/store_list.h"
#include "store_util.h"

static char dir[64];
static struct fc_store *st;

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)
#define NCASES 24

/* ---- a small world, changed at random ---------------------------------------- */

static fc_date ymd(int y, int m, int d)
{
    fc_date out = FC_DATE_NONE;
    ck_assert(fc_date_from_ymd(y, m, d, &out));
    return out;
}

static unsigned long seed;
static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((seed >> 33) % n);
}

struct world {
    fc_id team[3];
    fc_id school[3];
    fc_id staff[6];          /* two per team; staff[5] is a lead of team 2 */
    fc_id cases[NCASES];
    fc_id pupils[NCASES];
};
static struct world w;
static const char *const logins[6] = { "a1", "a2", "b1", "b2", "c1", "c2" };

static int build(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    for (int i = 0; i < 3; i++) {
        struct fc_team tm = { 0 };
        snprintf(tm.name, sizeof tm.name, "Team %d", i + 1);
        TRY(fc_team_put(t, &tm, err));
        w.team[i] = tm.id;
    }
    for (int i = 0; i < 6; i++) {
        struct fc_staff s = { .role = i == 5 ? FC_ROLE_LEAD : FC_ROLE_CASEWORKER,
                              .active = true, .team_id = w.team[i / 2] };
        snprintf(s.login, sizeof s.login, "%s", logins[i]);
        snprintf(s.name, sizeof s.name, "Staff %s", logins[i]);
        TRY(fc_staff_put(t, &s, err));
        w.staff[i] = s.id;
    }
    for (int i = 0; i < 3; i++) {
        struct fc_school sc = { 0 };
        snprintf(sc.name, sizeof sc.name, "Skole %d", i + 1);
        TRY(fc_school_put(t, &sc, err));
        w.school[i] = sc.id;
    }
    for (int i = 0; i < NCASES; i++) {
        struct fc_pupil p = { .birth_date = ymd(2008 + i % 9, 1 + i % 12, 3),
                              .grade = (int8_t)(i % 10), .school_id = w.school[i % 3] };
        snprintf(p.name, sizeof p.name, "Elev %d", i);
        TRY(fc_pupil_put(t, &p, err));
        int s = (int)rnd(6);
        struct fc_case c = { .pupil_id = p.id, .concern_date = ymd(2025, 9, 1),
                             .closed_date = FC_DATE_NONE, .coordinator = w.staff[s],
                             .team_id = w.team[s / 2] };
        if (rnd(2))
            c.secondary = w.staff[rnd(6)];
        snprintf(c.model_id, sizeof c.model_id, "fit");
        TRY(fc_case_put(t, &c, err));
        w.cases[i] = c.id;
        w.pupils[i] = p.id;
    }
    return FC_OK;
}

static int add_rating(struct fc_txn *t, fc_id meeting, fc_id case_id, struct fc_err *err)
{
    static const char *const names[] = { "", "", "", "Hansen", "Ib" };
    for (int tries = 0; tries < 8; tries++) {
        int item = (int)rnd(101);
        struct fc_rating r = { .case_id = case_id, .meeting_id = meeting,
                               .scale = (uint8_t)rnd(FC_SCALE_COUNT),
                               .rater = (uint8_t)rnd(4),
                               .items = { item, item, (int)rnd(101), item }, .total = -1 };
        if (r.rater == FC_RATER_CHILD || r.rater == FC_RATER_MOTHER)
            snprintf(r.rater_name, sizeof r.rater_name, "%s", "");
        else
            snprintf(r.rater_name, sizeof r.rater_name, "%s", names[rnd(5)]);
        int rc = fc_rating_put(t, &r, err);
        if (rc != FC_EEXIST)
            return rc;
    }
    return FC_OK;
}

static int add_meeting(struct fc_txn *t, fc_id case_id, struct fc_err *err)
{
    struct fc_meeting m = { .case_id = case_id, .kind = FC_MEET_STATUS,
                            .date = ymd(2025, 9, 1) + (fc_date)rnd(400) };
    TRY(fc_meeting_put(t, &m, err));
    int n = 1 + (int)rnd(4);
    for (int i = 0; i < n; i++)
        TRY(add_rating(t, m.id, case_id, err));
    return FC_OK;
}

/* One case gets a long series (more than a cohort keeps), some earlier
 * ratings arriving after later ones. */
static int long_series(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    for (int k = 0; k < 40; k++) {
        struct fc_meeting m = { .case_id = w.cases[0], .kind = FC_MEET_STATUS,
                                .date = ymd(2025, 9, 1) + (k * 37) % 300 };
        TRY(fc_meeting_put(t, &m, err));
        int item = (k * 7) % 100;
        struct fc_rating r = { .case_id = w.cases[0], .meeting_id = m.id, .scale = FC_ORS,
                               .rater = FC_RATER_CHILD, .items = { item, item, item, item },
                               .total = -1 };
        TRY(fc_rating_put(t, &r, err));
    }
    return FC_OK;
}

struct collect {
    fc_id *ids;
    size_t n;
};

static int on_id_rating(const struct fc_rating *r, void *ctx)
{
    struct collect *c = ctx;
    c->ids = realloc(c->ids, (c->n + 1) * sizeof *c->ids);
    c->ids[c->n++] = r->id;
    return 0;
}

static int on_id_meeting(const struct fc_meeting *m, void *ctx)
{
    struct collect *c = ctx;
    c->ids = realloc(c->ids, (c->n + 1) * sizeof *c->ids);
    c->ids[c->n++] = m->id;
    return 0;
}

/* A pupil's record changes: what a list row shows of them (name, birth
 * date, grade, school), or only what it does not (a guardian). Pupils
 * without a case (theirs moved to another pupil) too. */
static int pupil_edit(struct fc_txn *t, struct fc_err *err)
{
    static const char *const names[] = { "Åse Øster", "Bo", "Ærø Jensen", "Zara Ibsen" };
    struct fc_pupil p;
    int rc = fc_pupil_get(t, w.pupils[rnd(NCASES)], &p, err);
    if (rc == FC_ENOTFOUND)
        return FC_OK;    /* erased */
    if (rc)
        return rc;
    switch (rnd(6)) {
    case 0:
        snprintf(p.name, sizeof p.name, "%s %u", names[rnd(4)], rnd(100));
        break;
    case 1:
        p.birth_date = ymd(2008 + (int)rnd(9), 1 + (int)rnd(12), 1 + (int)rnd(28));
        break;
    case 2:
        p.grade = (int8_t)rnd(11);
        break;
    case 3:
        p.school_id = rnd(4) ? w.school[rnd(3)] : 0;
        break;
    case 4:
        snprintf(p.name, sizeof p.name, "Elev %u", rnd(1000));
        p.grade = (int8_t)rnd(11);
        p.school_id = w.school[rnd(3)];
        break;
    default:
        p.nguardians = 1;
        snprintf(p.guardians[0], sizeof p.guardians[0], "Forælder %u", rnd(10));
        break;
    }
    return fc_pupil_put(t, &p, err);
}

/* Whether the pupil has the case with the long series, which stays
 * (test_long_series_kept_in_order). */
static bool about_long_series(struct fc_txn *t, fc_id pupil)
{
    struct fc_case *c = malloc(sizeof *c);
    struct fc_err err = { 0 };
    bool is = c && fc_case_get(t, w.cases[0], c, &err) == FC_OK && c->pupil_id == pupil;
    free(c);
    return is;
}

/* A random change: most add, some change or delete what is there. */
static int change(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    fc_id case_id = w.cases[rnd(NCASES)];
    struct fc_case *c = malloc(sizeof *c);
    int rc = fc_case_get(t, case_id, c, err);
    if (rc == FC_ENOTFOUND) {
        free(c);
        return FC_OK;    /* erased */
    }
    struct collect rs = { 0 }, ms = { 0 };
    if (rc == FC_OK)
        rc = fc_ratings_of_case(t, case_id, on_id_rating, &rs);
    if (rc == FC_OK)
        rc = fc_meetings_of_case(t, case_id, on_id_meeting, &ms);
    unsigned what = rnd(25);
    if (rc == FC_OK && (what < 8 || ms.n == 0)) {
        rc = add_meeting(t, case_id, err);
    } else if (rc == FC_OK && what < 11) {
        rc = add_rating(t, ms.ids[rnd((unsigned)ms.n)], case_id, err);
    } else if (rc == FC_OK && what < 13 && rs.n) {
        struct fc_rating r;
        rc = fc_rating_get(t, rs.ids[rnd((unsigned)rs.n)], &r, err);
        if (rc == FC_OK) {
            if (rnd(2))
                r.rater = (uint8_t)rnd(4);
            int item = (int)rnd(101);
            r.items[0] = r.items[1] = (int16_t)item;
            r.total = -1;
            rc = fc_rating_put(t, &r, err);
            rc = rc == FC_EEXIST ? FC_OK : rc;
        }
    } else if (rc == FC_OK && what < 15 && rs.n) {
        rc = fc_rating_delete(t, rs.ids[rnd((unsigned)rs.n)], err);
    } else if (rc == FC_OK && what < 16) {
        struct fc_meeting m;
        rc = fc_meeting_get(t, ms.ids[rnd((unsigned)ms.n)], &m, err);
        m.date = ymd(2025, 9, 1) + (fc_date)rnd(400);
        if (rc == FC_OK)
            rc = fc_meeting_put(t, &m, err);
    } else if (rc == FC_OK && what < 17) {
        rc = fc_meeting_delete(t, ms.ids[rnd((unsigned)ms.n)], err);
    } else if (rc == FC_OK && what < 19) {
        int s = (int)rnd(6);
        c->coordinator = w.staff[s];
        c->team_id = w.team[s / 2];
        c->secondary = rnd(2) ? w.staff[rnd(6)] : 0;
        struct fc_pupil p;
        fc_id other = w.pupils[rnd(NCASES)];
        if (rnd(4) == 0 && fc_pupil_get(t, other, &p, err) == FC_OK)
            c->pupil_id = other;      /* the case moves to another pupil */
        rc = fc_case_put(t, c, err);
    } else if (rc == FC_OK && what == 20) {
        /* Another phase, or closed: what a list row shows changes. */
        if (rnd(2)) {
            rc = fc_case_set_phase(t, c, c->phase ? 0 : 1, "test", err);
        } else {
            c->status = c->status == FC_CASE_OPEN ? FC_CASE_CLOSED : FC_CASE_OPEN;
            c->closed_date = c->status == FC_CASE_CLOSED ? ymd(2026, 6, 30) : FC_DATE_NONE;
            rc = fc_case_put(t, c, err);
        }
    } else if (rc == FC_OK && (what < 24 || about_long_series(t, c->pupil_id))) {
        rc = pupil_edit(t, err);
    } else if (rc == FC_OK) {
        /* Erasure: the pupil and every case about them go. */
        rc = fc_pupil_erase(t, c->pupil_id, err);
    }
    free(rs.ids);
    free(ms.ids);
    free(c);
    return rc;
}

static void open_store(void)
{
    struct fc_store_opts o = { .create = true };
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_open(dir, &o, &st, &err) == FC_OK, "%s", err.msg);
}

static void write_ok(fc_write_fn fn)
{
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_write(st, "test", fn, NULL, &err) == FC_OK, "%s", err.msg);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/fcindexXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    open_store();
    seed = 12345;
    memset(&w, 0, sizeof w);
    write_ok(build);
    write_ok(long_series);
    for (int i = 0; i < 120; i++)
        write_ok(change);
}

static void teardown(void)
{
    if (st)
        fc_store_close(st);
    st = NULL;
    rm_store(dir);
}

static void act(const char *login)
{
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_set_actor(st, login, &err) == FC_OK, "%s", err.msg);
}

static void print_problem(const char *problem, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "verify: %s\n", problem);
}

static int verify(void)
{
    struct fc_err err = { 0 };
    int n = fc_store_verify(st, print_problem, NULL, &err);
    ck_assert_msg(n >= 0, "verify failed: %s", err.msg);
    return n;
}

/* ---- what the readers must give --------------------------------------------- */

static int on_case(const struct fc_case *c, void *ctx)
{
    struct collect *col = ctx;
    col->ids = realloc(col->ids, (col->n + 1) * sizeof *col->ids);
    col->ids[col->n++] = c->id;
    return 0;
}

struct heads {
    struct fc_case_head *v;
    size_t n;
};

static int on_head(const struct fc_case_head *h, void *ctx)
{
    struct heads *hs = ctx;
    hs->v = realloc(hs->v, (hs->n + 1) * sizeof *hs->v);
    hs->v[hs->n++] = *h;
    return 0;
}

/* fc_case_heads_each gives the cases fc_cases_each gives, with the same
 * fields and the pupil's (for a team, from the heads its case_team
 * entries carry). Returns how many. */
static size_t check_heads(void)
{
    struct fc_txn *t;
    struct collect want = { 0 };
    struct heads got = { 0 };
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    ck_assert_int_eq(fc_cases_each(t, on_case, &want), 0);
    ck_assert_int_eq(fc_case_heads_each(t, on_head, &got), 0);
    ck_assert_uint_eq(got.n, want.n);
    for (size_t i = 0; i < want.n; i++) {
        const struct fc_case_head *h = &got.v[i];
        struct fc_case *c = malloc(sizeof *c);
        struct fc_pupil p;
        struct fc_err err = { 0 };
        ck_assert_uint_eq(h->id, want.ids[i]);
        ck_assert_int_eq(fc_case_get(t, h->id, c, &err), FC_OK);
        ck_assert_uint_eq(h->pupil_id, c->pupil_id);
        ck_assert_uint_eq(h->coordinator, c->coordinator);
        ck_assert_uint_eq(h->secondary, c->secondary);
        ck_assert_uint_eq(h->team_id, c->team_id);
        ck_assert_str_eq(h->model_id, c->model_id);
        ck_assert_int_eq(h->phase, c->phase);
        ck_assert_int_eq(h->status, c->status);
        ck_assert_int_eq(h->concern_date, c->concern_date);
        ck_assert_int_eq(h->closed_date, c->closed_date);
        ck_assert(h->have_pupil);
        ck_assert_int_eq(fc_pupil_get(t, c->pupil_id, &p, &err), FC_OK);
        ck_assert_str_eq(h->pupil_name, p.name);
        ck_assert_int_eq(h->birth_date, p.birth_date);
        ck_assert_int_eq(h->grade, p.grade);
        ck_assert_uint_eq(h->school_id, p.school_id);
        free(c);

        /* The ratings latest first are the ratings in reverse. */
        struct collect fwd = { 0 }, back = { 0 };
        ck_assert_int_eq(fc_ratings_of_case(t, h->id, on_id_rating, &fwd), 0);
        ck_assert_int_eq(fc_ratings_of_case_desc(t, h->id, on_id_rating, &back), 0);
        ck_assert_uint_eq(fwd.n, back.n);
        for (size_t k = 0; k < fwd.n; k++)
            ck_assert_uint_eq(fwd.ids[k], back.ids[fwd.n - 1 - k]);
        free(fwd.ids);
        free(back.ids);
    }
    fc_read_end(t);
    free(want.ids);
    free(got.v);
    return want.n;
}

/* The reference cohort: every rating in reach, grouped into series. */
static int push_rating(const struct fc_rating *r, void *ctx)
{
    return fc_vec_push(ctx, r, sizeof *r) == FC_OK ? 0 : 1;
}

static void reference_cohort(struct fc_txn *t, const struct fc_settings *s,
                             struct fc_cohort *out)
{
    struct fc_vec v = { 0 };
    memset(out, 0, sizeof *out);
    ck_assert_int_eq(fc_ratings_each(t, push_rating, &v), 0);
    struct fc_rating *r = v.data;
    fc_ratings_sort_series(r, v.n);
    for (size_t i = 0; i < v.n;) {
        size_t j = i + 1;
        while (j < v.n && fc_same_series(&r[i], &r[j]))
            j++;
        struct fc_case *c = malloc(sizeof *c);
        struct fc_pupil p;
        struct fc_err err = { 0 };
        if (fc_scale_is_outcome(r[i].scale) && fc_case_get(t, r[i].case_id, c, &err) == FC_OK &&
            fc_pupil_get(t, c->pupil_id, &p, &err) == FC_OK && p.birth_date != FC_DATE_NONE)
            ck_assert_int_eq(fc_cohort_add(out, r[i].case_id, r[i].scale,
                                           fc_age_band(s, p.birth_date, r[i].date), &r[i],
                                           j - i), FC_OK);
        free(c);
        i = j;
    }
    fc_vec_free(&v);
}

static int cmp_cs(const void *pa, const void *pb)
{
    const struct fc_cohort_series *a = pa, *b = pb;
    if (a->case_id != b->case_id)
        return a->case_id < b->case_id ? -1 : 1;
    if (a->scale != b->scale)
        return a->scale < b->scale ? -1 : 1;
    if (a->band != b->band)
        return a->band < b->band ? -1 : 1;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    return memcmp(a->totals, b->totals, sizeof a->totals);
}

static void cohort_equal(struct fc_cohort *a, struct fc_cohort *b)
{
    ck_assert_uint_eq(a->n, b->n);
    if (a->n > 1)
        qsort(a->series, a->n, sizeof *a->series, cmp_cs);
    if (b->n > 1)
        qsort(b->series, b->n, sizeof *b->series, cmp_cs);
    for (size_t i = 0; i < a->n; i++)
        ck_assert_msg(cmp_cs(&a->series[i], &b->series[i]) == 0,
                      "series %zu of case %u differs", i, a->series[i].case_id);
}

static int on_birth(const struct fc_case_head *h, void *ctx)
{
    struct fc_case_birth cb = { h->id, h->pupil_id, h->birth_date };
    return fc_vec_push(ctx, &cb, sizeof cb) == FC_OK ? 0 : 1;
}

/* The series table gives the cohort the ratings give, with births looked
 * up by the store and with births the caller knows. Returns its size. */
static size_t check_cohort(void)
{
    struct fc_txn *t;
    struct fc_settings s;
    struct fc_cohort want, got, got2;
    struct fc_err err = { 0 };
    struct fc_vec births = { 0 };
    fc_settings_default(&s);
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    reference_cohort(t, &s, &want);
    ck_assert_int_eq(fc_cohort_load_series(t, &s, NULL, &got, &err), FC_OK);
    ck_assert_int_eq(fc_case_heads_each(t, on_birth, &births), 0);
    ck_assert_int_eq(fc_cohort_load_series(t, &s, &births, &got2, &err), FC_OK);
    fc_read_end(t);
    size_t n = want.n;
    cohort_equal(&got, &want);
    cohort_equal(&got2, &want);
    fc_cohort_free(&want);
    fc_cohort_free(&got);
    fc_cohort_free(&got2);
    fc_vec_free(&births);
    return n;
}

static void check_everyone(void)
{
    size_t all_cases = check_heads(), all_series = check_cohort();
    ck_assert_uint_gt(all_cases, 0);
    ck_assert_uint_gt(all_series, 0);
    for (int i = 0; i < 6; i++) {
        act(logins[i]);
        size_t n = check_heads();
        ck_assert_uint_lt(n, all_cases);
        ck_assert_uint_lt(check_cohort(), all_series);
    }
    act(NULL);
}

/* ---- tests ----------------------------------------------------------------------- */

START_TEST(test_lists_after_random_changes)
{
    ck_assert_int_eq(verify(), 0);
    check_everyone();
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 60; i++)
            write_ok(change);
        ck_assert_int_eq(verify(), 0);
        check_everyone();
    }
}
END_TEST

/* The long series keeps its first 32 ratings in date order whatever order
 * they came in: the cohort compares it whole (check_cohort). */
START_TEST(test_long_series_kept_in_order)
{
    struct fc_txn *t;
    struct fc_settings s;
    struct fc_cohort got;
    struct fc_err err = { 0 };
    fc_settings_default(&s);
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    ck_assert_int_eq(fc_cohort_load_series(t, &s, NULL, &got, &err), FC_OK);
    fc_read_end(t);
    bool found = false;
    for (size_t i = 0; i < got.n; i++)
        found |= got.series[i].case_id == w.cases[0] && got.series[i].n == FC_COHORT_POINTS;
    ck_assert(found);
    fc_cohort_free(&got);
    check_cohort();
}
END_TEST

/* ---- the bulk writer's series ------------------------------------------------------ */

static size_t added;     /* outcome ratings the bulk writer added */

struct bulk_run {
    struct fc_bulk *b;
    int round;
};

/* A rating through the bulk writer; one that is there already (one per
 * rater and name, scale and meeting) is passed over. */
static int bulk_rating(struct fc_bulk *b, fc_id case_id, fc_id meeting, uint8_t scale,
                       uint8_t rater, const char *name, struct fc_err *err)
{
    int item = (int)rnd(101);
    struct fc_rating r = { .case_id = case_id, .meeting_id = meeting, .scale = scale,
                           .rater = rater, .items = { item, (int)rnd(101), item, item },
                           .total = -1 };
    snprintf(r.rater_name, sizeof r.rater_name, "%s", name);
    int rc = fc_bulk_rating(b, &r, err);
    added += rc == FC_OK && fc_scale_is_outcome(scale);
    return rc == FC_EEXIST ? FC_OK : rc;
}

static int case_there(struct fc_txn *t, fc_id case_id, struct fc_err *err)
{
    struct fc_case *c = malloc(sizeof *c);
    ck_assert_ptr_nonnull(c);
    int rc = fc_case_get(t, case_id, c, err);
    free(c);
    return rc;
}

/* One transaction of the bulk writer: meetings and ratings for cases in
 * random order, a case coming back after others, dates before and after
 * the ones its series have; in the first, one case gets more series and
 * more ratings than the writer holds before it writes them. */
static int bulk_write(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct bulk_run *br = ctx;
    static const char *const names[] = { "", "", "Hansen", "Ib", "Åse" };
    TRY(fc_bulk_begin(br->b, t, err));
    for (int k = 0; k < 40; k++) {
        fc_id case_id = w.cases[rnd(NCASES)];
        int rc = case_there(t, case_id, err);
        if (rc == FC_ENOTFOUND)
            continue;
        TRY(rc);
        int meetings = 1 + (int)rnd(3);
        for (int i = 0; i < meetings; i++) {
            struct fc_meeting m = { .case_id = case_id, .kind = FC_MEET_STATUS,
                                    .date = ymd(2025, 9, 1) + (fc_date)rnd(400) };
            TRY(fc_bulk_meeting(br->b, &m, err));
            int n = 1 + (int)rnd(8);
            for (int j = 0; j < n; j++)
                TRY(bulk_rating(br->b, case_id, m.id, (uint8_t)rnd(FC_SCALE_COUNT),
                                (uint8_t)rnd(FC_RATER_COUNT), names[rnd(5)], err));
        }
    }
    fc_id case_id = 0;
    for (int i = 0; br->round == 0 && !case_id && i < NCASES; i++) {
        int rc = case_there(t, w.cases[i], err);
        if (rc == FC_OK)
            case_id = w.cases[i];
        else if (rc != FC_ENOTFOUND)
            return rc;
    }
    for (int i = 0; case_id && i < 9; i++) {
        struct fc_meeting m = { .case_id = case_id, .kind = FC_MEET_STATUS,
                                .date = ymd(2026, 3, 1) - (fc_date)(i * 3) };
        TRY(fc_bulk_meeting(br->b, &m, err));
        for (int j = 0; j < 300; j++) {
            char name[16];
            snprintf(name, sizeof name, "N%d", j);
            TRY(bulk_rating(br->b, case_id, m.id, j % 2 ? FC_ORS : FC_CORS, FC_RATER_OTHER,
                            name, err));
        }
    }
    return fc_bulk_end(br->b, br->round == 3, err);
}

/* The series the bulk writer leaves, a series at a time, are the ones the
 * ratings make (verify), and the cohort read from them is the cohort of
 * the ratings. */
START_TEST(test_bulk_series)
{
    struct bulk_run br = { 0 };
    struct fc_err err = { 0 };
    added = 0;
    ck_assert_int_eq(fc_bulk_new(st, "ratings test", true, &br.b, &err), FC_OK);
    for (br.round = 0; br.round < 4; br.round++) {
        ck_assert_msg(fc_store_write(st, "test", bulk_write, &br, &err) == FC_OK, "%s",
                      err.msg);
        fc_bulk_committed(br.b);
        ck_assert_int_eq(verify(), 0);
    }
    fc_bulk_free(br.b);
    ck_assert_uint_gt(added, 9 * 300);
    check_everyone();
    /* Changes by hand after the bulk writer's keep them right. */
    for (int i = 0; i < 60; i++)
        write_ok(change);
    ck_assert_int_eq(verify(), 0);
    check_cohort();
}
END_TEST

/* Opens the store's file as another program would. */
static void raw(void (*fn)(MDB_txn *txn, MDB_env *env))
{
    MDB_env *env;
    MDB_txn *txn;
    fc_store_close(st);
    st = NULL;
    ck_assert_int_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 64);
    ck_assert_int_eq(mdb_env_open(env, dir, 0, 0660), 0);
    ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    fn(txn, env);
    ck_assert_int_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

static void drop_db(MDB_txn *txn, const char *name)
{
    MDB_dbi dbi;
    ck_assert_int_eq(mdb_dbi_open(txn, name, 0, &dbi), 0);
    ck_assert_int_eq(mdb_drop(txn, dbi, 1), 0);
}

/* A store of schema 1: the three databases are not there yet. */
static void to_schema_1(MDB_txn *txn, MDB_env *env)
{
    (void)env;
    MDB_dbi meta;
    uint8_t one[4] = { 0, 0, 0, 1 };
    MDB_val k = { 14, (void *)"schema_version" }, v = { 4, one };
    drop_db(txn, "case_team");
    drop_db(txn, "case_second");
    drop_db(txn, "series");
    ck_assert_int_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    ck_assert_int_eq(mdb_put(txn, meta, &k, &v, 0), 0);
}

START_TEST(test_migration_from_schema_1)
{
    raw(to_schema_1);
    /* Read-only cannot make them... */
    struct fc_store_opts o = { .read_only = true };
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_store_open(dir, &o, &st, &err), FC_ESTORE);
    /* ...an ordinary open does, and everything reads as before. */
    open_store();
    struct fc_txn *t;
    uint32_t v = 0;
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    ck_assert_int_eq(fc_schema_version(t, &v, &err), FC_OK);
    fc_read_end(t);
    ck_assert_uint_eq(v, FC_SCHEMA_VERSION);
    ck_assert_int_eq(verify(), 0);
    check_everyone();
}
END_TEST

/* A case_team entry (schema 4): format byte, have, birth i32, grade i8,
 * school u32, name length u8, the name, then the case's head. */
enum { ENTRY_PUPIL_FIXED = 12 };

/* A store of schema 3: case_team entries carry the case's head only. */
static void to_schema_3(MDB_txn *txn, MDB_env *env)
{
    (void)env;
    MDB_dbi meta, dbi;
    MDB_cursor *cur;
    MDB_val k, v;
    uint8_t three[4] = { 0, 0, 0, 3 };
    MDB_val mk = { 14, (void *)"schema_version" }, mv = { 4, three };
    int n = 0;
    ck_assert_int_eq(mdb_dbi_open(txn, "case_team", 0, &dbi), 0);
    ck_assert_int_eq(mdb_cursor_open(txn, dbi, &cur), 0);
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint8_t copy[512];
        const uint8_t *b = v.mv_data;
        ck_assert_uint_le(v.mv_size, sizeof copy);
        ck_assert_uint_gt(v.mv_size, ENTRY_PUPIL_FIXED + (size_t)b[11]);
        size_t head = ENTRY_PUPIL_FIXED + b[11];
        memcpy(copy, b + head, v.mv_size - head);
        MDB_val nv = { v.mv_size - head, copy };
        ck_assert_int_eq(mdb_cursor_put(cur, &k, &nv, MDB_CURRENT), 0);
        n++;
    }
    mdb_cursor_close(cur);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    ck_assert_int_eq(mdb_put(txn, meta, &mk, &mv, 0), 0);
}

START_TEST(test_migration_from_schema_3)
{
    raw(to_schema_3);
    /* Opened read-only, a store of schema 3 is refused... */
    struct fc_store_opts o = { .read_only = true };
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_store_open(dir, &o, &st, &err), FC_ESTORE);
    /* ...and an ordinary open gives the entries their pupils. */
    open_store();
    struct fc_txn *t;
    uint32_t v = 0;
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    ck_assert_int_eq(fc_schema_version(t, &v, &err), FC_OK);
    fc_read_end(t);
    ck_assert_uint_eq(v, FC_SCHEMA_VERSION);
    ck_assert_int_eq(verify(), 0);
    check_everyone();
    /* And the lists stay right as pupils change after it. */
    for (int i = 0; i < 40; i++)
        write_ok(change);
    ck_assert_int_eq(verify(), 0);
    check_everyone();
}
END_TEST

static void drop_one_series(MDB_txn *txn, MDB_env *env)
{
    (void)env;
    MDB_dbi dbi;
    MDB_cursor *cur;
    MDB_val k, v;
    ck_assert_int_eq(mdb_dbi_open(txn, "series", 0, &dbi), 0);
    ck_assert_int_eq(mdb_cursor_open(txn, dbi, &cur), 0);
    ck_assert_int_eq(mdb_cursor_get(cur, &k, &v, MDB_LAST), 0);
    ck_assert_int_eq(mdb_cursor_del(cur, 0), 0);
    mdb_cursor_close(cur);
}

static void change_one_series(MDB_txn *txn, MDB_env *env)
{
    (void)env;
    MDB_dbi dbi;
    MDB_cursor *cur;
    MDB_val k, v;
    ck_assert_int_eq(mdb_dbi_open(txn, "series", 0, &dbi), 0);
    ck_assert_int_eq(mdb_cursor_open(txn, dbi, &cur), 0);
    ck_assert_int_eq(mdb_cursor_get(cur, &k, &v, MDB_FIRST), 0);
    uint8_t copy[512];
    ck_assert_uint_le(v.mv_size, sizeof copy);
    memcpy(copy, v.mv_data, v.mv_size);
    copy[v.mv_size - 1] ^= 1;          /* the last total */
    MDB_val nv = { v.mv_size, copy };
    ck_assert_int_eq(mdb_cursor_put(cur, &k, &nv, MDB_CURRENT), 0);
    mdb_cursor_close(cur);
}

static void change_one_team_entry(MDB_txn *txn, MDB_env *env)
{
    (void)env;
    MDB_dbi dbi;
    MDB_cursor *cur;
    MDB_val k, v;
    ck_assert_int_eq(mdb_dbi_open(txn, "case_team", 0, &dbi), 0);
    ck_assert_int_eq(mdb_cursor_open(txn, dbi, &cur), 0);
    ck_assert_int_eq(mdb_cursor_get(cur, &k, &v, MDB_LAST), 0);
    uint8_t copy[512];
    ck_assert_uint_le(v.mv_size, sizeof copy);
    memcpy(copy, v.mv_data, v.mv_size);
    copy[v.mv_size - 2] ^= 1;          /* the secondary contact */
    MDB_val nv = { v.mv_size, copy };
    ck_assert_int_eq(mdb_cursor_put(cur, &k, &nv, MDB_CURRENT), 0);
    mdb_cursor_close(cur);
}

static void drop_one_team_entry(MDB_txn *txn, MDB_env *env)
{
    (void)env;
    MDB_dbi dbi;
    MDB_cursor *cur;
    MDB_val k, v;
    ck_assert_int_eq(mdb_dbi_open(txn, "case_team", 0, &dbi), 0);
    ck_assert_int_eq(mdb_cursor_open(txn, dbi, &cur), 0);
    ck_assert_int_eq(mdb_cursor_get(cur, &k, &v, MDB_FIRST), 0);
    ck_assert_int_eq(mdb_cursor_del(cur, 0), 0);
    mdb_cursor_close(cur);
}

/* The pupil's copy in one entry gets another birth date, as if a pupil
 * write had missed it. */
static void change_one_team_pupil(MDB_txn *txn, MDB_env *env)
{
    (void)env;
    MDB_dbi dbi;
    MDB_cursor *cur;
    MDB_val k, v;
    ck_assert_int_eq(mdb_dbi_open(txn, "case_team", 0, &dbi), 0);
    ck_assert_int_eq(mdb_cursor_open(txn, dbi, &cur), 0);
    ck_assert_int_eq(mdb_cursor_get(cur, &k, &v, MDB_FIRST), 0);
    uint8_t copy[512];
    ck_assert_uint_le(v.mv_size, sizeof copy);
    ck_assert_uint_ge(v.mv_size, ENTRY_PUPIL_FIXED);
    memcpy(copy, v.mv_data, v.mv_size);
    ck_assert_int_eq(copy[1], 1);       /* the pupil is there */
    copy[5] ^= 1;                       /* the birth date's last byte */
    MDB_val nv = { v.mv_size, copy };
    ck_assert_int_eq(mdb_cursor_put(cur, &k, &nv, MDB_CURRENT), 0);
    mdb_cursor_close(cur);
}

struct problems {
    int n, pupil, head;
};

static void count_problem(const char *problem, void *ctx)
{
    struct problems *p = ctx;
    p->n++;
    p->pupil += strstr(problem, "pupil's name, birth date, grade and school") != NULL;
    p->head += strstr(problem, "coordinator, phase, status and dates") != NULL;
    fprintf(stderr, "verify (expected): %s\n", problem);
}

static struct problems verify_problems(void)
{
    struct problems p = { 0 };
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_verify(st, count_problem, &p, &err) >= 0, "verify failed: %s",
                  err.msg);
    return p;
}

START_TEST(test_verify_notices)
{
    void (*breaks[5])(MDB_txn *, MDB_env *) = { drop_one_series, change_one_series,
                                                drop_one_team_entry, change_one_team_entry,
                                                change_one_team_pupil };
    for (int i = 0; i < 5; i++) {
        raw(breaks[i]);
        open_store();
        struct problems p = verify_problems();
        ck_assert_int_gt(p.n, 0);
        /* An entry's two parts are told apart. */
        if (breaks[i] == change_one_team_entry)
            ck_assert(p.head == 1 && p.pupil == 0);
        if (breaks[i] == change_one_team_pupil)
            ck_assert(p.pupil == 1 && p.head == 0);
        /* The migration's builder makes them right again. */
        raw(to_schema_1);
        open_store();
        ck_assert_int_eq(verify(), 0);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("store_index");
    TCase *tc = tcase_create("lists");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_lists_after_random_changes);
    tcase_add_test(tc, test_long_series_kept_in_order);
    tcase_add_test(tc, test_bulk_series);
    tcase_add_test(tc, test_migration_from_schema_1);
    tcase_add_test(tc, test_migration_from_schema_3);
    tcase_add_test(tc, test_verify_notices);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
