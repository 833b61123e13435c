/* The leader's figures at the scale of a national team: the rows of
 * fc_stats_compute with many groups, the cohort's index (the same curves
 * as scanning every series, and the lower boundary of one point as the
 * whole curve has it), and alerts from ratings the caller sorted. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/cohort.h"
#include "fitcase/score.h"
#include "fitcase/stats.h"
#include "suite_run.h"

static struct fc_settings S;

static void setup(void)
{
    fc_settings_default(&S);
}

/* A small deterministic generator (the tests must not depend on rand()). */
static uint32_t seed;

static uint32_t next(void)
{
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
}

static int between(int lo, int hi)
{
    return lo + (int)(next() % (uint32_t)(hi - lo + 1));
}

/* ---- rows ----------------------------------------------------------------- */

static const struct fc_stats_row *find_row(const struct fc_stats_row *rows, size_t n, int by,
                                           fc_id id, const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].by == by && rows[i].id == id && (!label || !strcmp(rows[i].label, label)))
            return &rows[i];
    return NULL;
}

/* Every case in a team, a coordinator and a kind of its own: the rows grow
 * while a case is being added to its groups, and each case still counts
 * once in each (the rows once moved under the group pointers a case held). */
START_TEST(stats_many_groups)
{
    enum { N = 300 };
    struct fc_stats_case *cases = calloc(N, sizeof *cases);
    struct fc_stats_series *series = calloc(N, sizeof *series);
    ck_assert(cases && series);
    for (int i = 0; i < N; i++) {
        struct fc_stats_case *c = &cases[i];
        c->case_id = (fc_id)(i + 1);
        c->team_id = (fc_id)(1000 + i);
        c->coordinator = (fc_id)(5000 + i);
        c->open = i % 3 != 0;
        c->meetings = 2;
        c->days = 10;
        c->alerts = i % 2 ? 1u : 0u;
        c->nkinds = 2;
        snprintf(c->kinds[0], FC_SHORT_MAX, "kind %03d", i);
        snprintf(c->kinds[1], FC_SHORT_MAX, "shared");
        series[i] = (struct fc_stats_series){ .case_id = c->case_id, .first = 200,
                                              .last = 260, .improved = true };
    }
    struct fc_stats_row *rows;
    size_t nrows;
    ck_assert_int_eq(fc_stats_compute(cases, N, series, N, &rows, &nrows), FC_OK);
    ck_assert_uint_eq(nrows, 1 + 3 * N + 1);
    const struct fc_stats_row *all = &rows[0];
    ck_assert_int_eq(all->by, FC_STATS_ALL);
    ck_assert_int_eq(all->cases, N);
    ck_assert_int_eq(all->open, N - N / 3);
    ck_assert_int_eq(all->at_risk, N / 2);
    ck_assert_int_eq(all->series, N);
    ck_assert_int_eq(all->improved, N);
    const struct fc_stats_row *shared = find_row(rows, nrows, FC_STATS_KIND, 0, "shared");
    ck_assert_ptr_nonnull(shared);
    ck_assert_int_eq(shared->cases, N);
    ck_assert_int_eq(shared->series, N);
    for (int i = 0; i < N; i++) {
        char kind[FC_SHORT_MAX];
        snprintf(kind, sizeof kind, "kind %03d", i);
        const struct fc_stats_row *r[3] = {
            find_row(rows, nrows, FC_STATS_TEAM, (fc_id)(1000 + i), NULL),
            find_row(rows, nrows, FC_STATS_STAFF, (fc_id)(5000 + i), NULL),
            find_row(rows, nrows, FC_STATS_KIND, 0, kind),
        };
        for (int g = 0; g < 3; g++) {
            ck_assert_msg(r[g] != NULL, "case %d: group %d has no row", i, g);
            ck_assert_msg(r[g]->cases == 1 && r[g]->series == 1 && r[g]->improved == 1,
                          "case %d, group %d: %d cases, %d series", i, g, r[g]->cases,
                          r[g]->series);
            ck_assert_int_eq(r[g]->at_risk, i % 2);
        }
    }
    free(rows);
    free(cases);
    free(series);
}
END_TEST

/* ---- the cohort's index ----------------------------------------------------- */

/* A cohort of about n series over ncases cases with intakes near each
 * other; wild: some totals outside 0..40.0. */
static void random_cohort(struct fc_cohort *c, int n, int ncases, bool wild)
{
    for (int i = 0; i < n; i++) {
        int16_t t[FC_COHORT_POINTS + 4];
        int len = between(1, FC_COHORT_POINTS + 4);
        if (next() % 3 == 0)
            len = between(1, 4);
        int at = between(150, 260);
        for (int k = 0; k < len; k++) {
            t[k] = (int16_t)(k == 0 ? at : between(0, 400));
            if (wild && next() % 97 == 0)
                t[k] = (int16_t)(next() % 2 ? -between(1, 50) : between(401, 999));
        }
        enum fc_scale scale = next() % 4 ? FC_ORS : FC_CORS;
        int band = between(FC_BAND_CHILD, FC_BAND_ADULT);
        ck_assert_int_eq(fc_cohort_add_totals(c, (fc_id)between(1, ncases), scale, band, t,
                                              (size_t)len), FC_OK);
    }
}

static void copy_cohort(const struct fc_cohort *from, struct fc_cohort *to)
{
    memset(to, 0, sizeof *to);
    for (size_t i = 0; i < from->n; i++) {
        const struct fc_cohort_series *cs = &from->series[i];
        ck_assert_int_eq(fc_cohort_add_totals(to, cs->case_id, cs->scale, cs->band,
                                              cs->totals, (size_t)cs->n), FC_OK);
    }
}

static void same_curve(const struct fc_expected *a, const struct fc_expected *b,
                       const char *what)
{
    ck_assert_msg(a->cohort == b->cohort && a->n == b->n, "%s: cohort %d/%d, points %d/%d",
                  what, a->cohort, b->cohort, a->n, b->n);
    for (int k = 0; k < a->n; k++)
        ck_assert_msg(a->median[k] == b->median[k] && a->lower[k] == b->lower[k],
                      "%s: point %d: median %d/%d, lower %d/%d", what, k, a->median[k],
                      b->median[k], a->lower[k], b->lower[k]);
}

/* Questions with and without the index, asked over and over (the memo of
 * each window is filled once and then asked again with other cases left
 * out); the point question agrees with the whole curve. */
static void compare_index(int n, int ncases, bool wild, bool some_without, bool vary_window)
{
    struct fc_cohort indexed = { 0 }, plain;
    random_cohort(&indexed, n, ncases, wild);
    copy_cohort(&indexed, &plain);
    ck_assert_int_eq(fc_cohort_index(&indexed), FC_OK);
    ck_assert_ptr_nonnull(indexed.index);
    ck_assert_ptr_null(plain.index);
    int reached = 0, fired = 0;
    for (int q = 0; q < 1500; q++) {
        enum fc_scale scale = next() % 4 ? FC_ORS : FC_CORS;
        int band = between(FC_BAND_CHILD, FC_BAND_ADULT);
        int intake = between(60, 350);
        fc_id exclude = (fc_id)between(0, ncases);
        if (vary_window)          /* the same index asked with another window */
            S.cohort_window = between(0, 60);
        struct fc_expected a, b;
        char what[96];
        snprintf(what, sizeof what, "scale %d band %d intake %d case %u", scale, band, intake,
                 (unsigned)exclude);
        bool ca = fc_expected_curve(&S, &indexed, exclude, scale, band, intake, &a);
        bool cb = fc_expected_curve(&S, &plain, exclude, scale, band, intake, &b);
        ck_assert_msg(ca == cb, "%s: curve %d/%d", what, ca, cb);
        same_curve(&a, &b, what);
        /* the edges of the curve, both ends of the points and one between */
        int ks[] = { 0, 1, 2, a.n - 1, a.n, between(3, FC_COHORT_POINTS - 2),
                     FC_COHORT_POINTS - 1, FC_COHORT_POINTS };
        for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
            int k = ks[j], la = -1, lb = -1;
            bool pa = fc_expected_lower_at(&S, &indexed, exclude, scale, band, intake, k, &la);
            bool pb = fc_expected_lower_at(&S, &plain, exclude, scale, band, intake, k, &lb);
            bool want = ca && k >= 1 && k < a.n;
            ck_assert_msg(pa == want && pb == want, "%s, point %d: %d %d, curve %d of %d",
                          what, k, pa, pb, ca, a.n);
            if (want)
                ck_assert_msg(la == a.lower[k] && lb == a.lower[k],
                              "%s, point %d: lower %d %d, curve %d", what, k, la, lb,
                              a.lower[k]);
            reached += want;
        }
        fired += ca;
    }
    /* The questions found curves of several points, and some none. */
    ck_assert_int_gt(fired, 50);
    if (some_without)
        ck_assert_int_lt(fired, 1500);
    ck_assert_int_gt(reached, 2 * fired);
    fc_cohort_free(&indexed);
    fc_cohort_free(&plain);
}

START_TEST(index_same_curves)
{
    seed = 11;
    compare_index(4000, 900, false, true, false);
}
END_TEST

START_TEST(index_same_curves_settings)
{
    seed = 12;
    S.cohort_window = 0;
    S.cohort_min = 2;
    compare_index(3000, 500, false, true, false);
    S.cohort_window = 400;
    S.cohort_min = 40;
    compare_index(2000, 600, false, false, false);
    S.cohort_window = 7;
    S.cohort_min = 1;
    compare_index(500, 20, false, true, false);     /* many series of each case */
    compare_index(3000, 700, false, true, true);
}
END_TEST

START_TEST(index_same_curves_wild_totals)
{
    seed = 13;
    compare_index(3000, 700, true, true, false);
}
END_TEST

/* Adding a series after the index drops it, memo and all: the curves see
 * the new series, and a case's own series are left out of its cohort. */
START_TEST(index_dropped_by_add)
{
    struct fc_cohort c = { 0 };
    int16_t t[2] = { 200, 250 };
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(fc_cohort_add_totals(&c, (fc_id)(10 + i), FC_ORS, FC_BAND_CHILD, t, 2),
                         FC_OK);
    ck_assert_int_eq(fc_cohort_index(&c), FC_OK);
    int lower;
    ck_assert(fc_expected_lower_at(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 200, 1, &lower));
    ck_assert_int_eq(lower, 250);
    /* four raters of case 100 at 10.0: 4 x 10.0 and 10 x 25.0, h = 3.25:
     * 10.0 + 0.25 x 15.0 = 13.75, shown 13.8 */
    int16_t low[2] = { 200, 100 };
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(fc_cohort_add_totals(&c, 100, FC_ORS, FC_BAND_CHILD, low, 2), FC_OK);
    ck_assert_ptr_null(c.index);
    ck_assert(fc_expected_lower_at(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 200, 1, &lower));
    ck_assert_int_eq(lower, 138);
    ck_assert_int_eq(fc_cohort_index(&c), FC_OK);
    ck_assert(fc_expected_lower_at(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 200, 1, &lower));
    ck_assert_int_eq(lower, 138);
    /* case 100's own cohort is the ten others; case 10's has 4 x 10.0 and
     * 9 x 25.0, h = 3: 10.0 */
    ck_assert(fc_expected_lower_at(&S, &c, 100, FC_ORS, FC_BAND_CHILD, 200, 1, &lower));
    ck_assert_int_eq(lower, 250);
    ck_assert(fc_expected_lower_at(&S, &c, 10, FC_ORS, FC_BAND_CHILD, 200, 1, &lower));
    ck_assert_int_eq(lower, 100);
    /* and 9 left without case 10 and case 100's four: short of cohort_min */
    S.cohort_min = 14;
    ck_assert(fc_expected_lower_at(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 200, 1, &lower));
    ck_assert(!fc_expected_lower_at(&S, &c, 10, FC_ORS, FC_BAND_CHILD, 200, 1, &lower));
    fc_cohort_free(&c);
    ck_assert_ptr_null(c.index);
}
END_TEST

/* ---- alerts from sorted ratings ---------------------------------------------- */

/* The same alerts whether the caller sorted the ratings (and says so) or
 * hands them in any order. */
START_TEST(alerts_sorted_or_not)
{
    seed = 21;
    struct fc_cohort cohort = { 0 };
    random_cohort(&cohort, 3000, 800, false);
    ck_assert_int_eq(fc_cohort_index(&cohort), FC_OK);
    struct fc_phase_model model = { .id = "t", .nphases = 2 };
    model.phases[0].deadline_days = 100;
    model.phases[1].deadline_days = -1;
    int fired = 0;
    for (int round = 0; round < 300; round++) {
        struct fc_case c = { .id = (fc_id)between(1, 800), .status = FC_CASE_OPEN,
                             .concern_date = 20000, .closed_date = FC_DATE_NONE };
        struct fc_rating r[40];
        size_t n = (size_t)between(0, 40);
        memset(r, 0, sizeof r);
        for (size_t i = 0; i < n; i++) {
            r[i].id = (fc_id)(i + 1);
            r[i].case_id = c.id;
            r[i].date = 20000 + between(0, 200);
            r[i].scale = (uint8_t)between(FC_ORS, FC_CSRS);
            r[i].rater = (uint8_t)between(FC_RATER_CHILD, FC_RATER_FATHER);
            r[i].total = (int16_t)between(0, 330);
        }
        struct fc_alert a[64], b[64];
        struct fc_alert_input in = {
            .settings = &S, .c = &c, .model = &model, .birth = 20000 - 12 * 365,
            .ratings = r, .nratings = n, .cohort = &cohort, .today = 20250,
        };
        int na = fc_alerts_eval(&in, a, 64);
        fc_ratings_sort_series(r, n);
        in.sorted = true;
        int nb = fc_alerts_eval(&in, b, 64);
        ck_assert_int_eq(na, nb);
        ck_assert_int_le(na, 64);
        for (int i = 0; i < na; i++)
            ck_assert_msg(a[i].kind == b[i].kind && a[i].scale == b[i].scale &&
                          a[i].rater == b[i].rater && a[i].value == b[i].value &&
                          a[i].limit == b[i].limit && a[i].date == b[i].date,
                          "round %d, alert %d differs", round, i);
        fired += fc_alerts_mask(a, (size_t)na) & (1u << FC_ALERT_OFF_TRACK) ? 1 : 0;
    }
    ck_assert_int_gt(fired, 0);
    fc_cohort_free(&cohort);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("rows");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, stats_many_groups);
    suite_add_tcase(s, tc);
    tc = tcase_create("cohort index");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, index_same_curves);
    tcase_add_test(tc, index_same_curves_settings);
    tcase_add_test(tc, index_same_curves_wild_totals);
    tcase_add_test(tc, index_dropped_by_add);
    tcase_add_test(tc, alerts_sorted_or_not);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite(), CK_NORMAL);
}
