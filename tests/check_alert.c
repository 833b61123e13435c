/* Cohort statistics (percentiles, the expected curve) and every alert rule
 * at its boundary: one step on each side. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/cohort.h"
#include "fitcase/date.h"
#include "suite_run.h"

static struct fc_settings S;

static void setup(void)
{
    fc_settings_default(&S);
}

static fc_date D(int y, int m, int d)
{
    fc_date x;
    ck_assert(fc_date_from_ymd(y, m, d, &x));
    return x;
}

/* ---- percentiles ---------------------------------------------------------- */

START_TEST(percentile_type7)
{
    static const int four[] = { 10, 20, 30, 40 };
    ck_assert_double_eq_tol(fc_percentile(four, 4, 50), 25.0, 1e-9);
    /* h = 3 * 0.25 = 0.75: 10 + 0.75 * 10 */
    ck_assert_double_eq_tol(fc_percentile(four, 4, 25), 17.5, 1e-9);
    ck_assert_int_eq(fc_percentile_tenths(four, 4, 25), 18);     /* half away from zero */
    static const int five[] = { 1, 2, 3, 4, 5 };
    ck_assert_double_eq_tol(fc_percentile(five, 5, 50), 3.0, 1e-9);
    ck_assert_double_eq_tol(fc_percentile(five, 5, 25), 2.0, 1e-9);
    ck_assert_double_eq_tol(fc_percentile(five, 5, 0), 1.0, 1e-9);
    ck_assert_double_eq_tol(fc_percentile(five, 5, 100), 5.0, 1e-9);
    static const int one[] = { 7 };
    ck_assert_double_eq_tol(fc_percentile(one, 1, 25), 7.0, 1e-9);
    static const int two[] = { 100, 200 };
    ck_assert_int_eq(fc_percentile_tenths(two, 2, 25), 125);
    ck_assert_int_eq(fc_percentile_tenths(two, 2, 50), 150);
}
END_TEST

/* count series of one case each, intake `intake`, k-th point intake + s*10
 * for series s (k >= 1), points long. */
static void cohort_of(struct fc_cohort *c, int count, int intake, int points, int band,
                      fc_id first_case)
{
    for (int s = 0; s < count; s++) {
        struct fc_rating r[8];
        memset(r, 0, sizeof r);
        for (int k = 0; k < points; k++)
            r[k].total = (int16_t)(k == 0 ? intake : intake + 10 * s + k);
        ck_assert_int_eq(fc_cohort_add(c, first_case + (fc_id)s, FC_ORS, band, r,
                                       (size_t)points), FC_OK);
    }
}

START_TEST(expected_curve_median_and_lower)
{
    struct fc_cohort c = { 0 };
    cohort_of(&c, 10, 200, 3, FC_BAND_CHILD, 100);
    struct fc_expected e;
    ck_assert(fc_expected_curve(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 200, &e));
    ck_assert_int_eq(e.cohort, 10);
    ck_assert_int_eq(e.n, 3);
    ck_assert_int_eq(e.median[0], 200);
    ck_assert_int_eq(e.lower[0], 200);
    /* k = 1: 201, 211, ..., 291. Median h = 4.5 -> 246; 25th h = 2.25 -> 223.5 -> 224 */
    ck_assert_int_eq(e.median[1], 246);
    ck_assert_int_eq(e.lower[1], 224);
    ck_assert_int_eq(e.median[2], 247);
    fc_cohort_free(&c);
}
END_TEST

START_TEST(expected_curve_window_and_min)
{
    struct fc_cohort c = { 0 };
    cohort_of(&c, 9, 230, 3, FC_BAND_CHILD, 100);
    struct fc_expected e;
    /* nine series: one short of cohort_min */
    ck_assert(!fc_expected_curve(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 200, &e));
    ck_assert_int_eq(e.cohort, 9);
    /* a tenth at intake 200 + 30 = the edge of the window: in */
    cohort_of(&c, 1, 230, 3, FC_BAND_CHILD, 200);
    ck_assert(fc_expected_curve(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 200, &e));
    ck_assert_int_eq(e.cohort, 10);
    /* intake 199 puts 230 at 31 away: out */
    ck_assert(!fc_expected_curve(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 199, &e));
    ck_assert_int_eq(e.cohort, 0);
    /* the series' own case never counts, nor another band or scale */
    ck_assert(!fc_expected_curve(&S, &c, 200, FC_ORS, FC_BAND_CHILD, 200, &e));
    ck_assert(!fc_expected_curve(&S, &c, 1, FC_ORS, FC_BAND_YOUTH, 200, &e));
    ck_assert(!fc_expected_curve(&S, &c, 1, FC_CORS, FC_BAND_CHILD, 200, &e));
    /* cohort_min is a setting */
    S.cohort_min = 9;
    ck_assert(fc_expected_curve(&S, &c, 200, FC_ORS, FC_BAND_CHILD, 200, &e));
    fc_cohort_free(&c);
}
END_TEST

START_TEST(expected_curve_stops_when_cohort_thins)
{
    struct fc_cohort c = { 0 };
    cohort_of(&c, 10, 200, 2, FC_BAND_CHILD, 100);
    cohort_of(&c, 2, 200, 5, FC_BAND_CHILD, 200);
    struct fc_expected e;
    ck_assert(fc_expected_curve(&S, &c, 1, FC_ORS, FC_BAND_CHILD, 200, &e));
    ck_assert_int_eq(e.cohort, 12);
    ck_assert_int_eq(e.n, 2);     /* only 2 series reach a third rating */
    fc_cohort_free(&c);
}
END_TEST

START_TEST(age_bands)
{
    fc_date birth = D(2012, 10, 20);
    ck_assert_int_eq(fc_age_band(&S, birth, D(2025, 10, 19)), FC_BAND_CHILD);
    ck_assert_int_eq(fc_age_band(&S, birth, D(2025, 10, 20)), FC_BAND_YOUTH);
    ck_assert_int_eq(fc_age_band(&S, birth, D(2030, 10, 20)), FC_BAND_ADULT);
}
END_TEST

/* ---- alerts --------------------------------------------------------------- */

struct scene {
    struct fc_case c;
    struct fc_rating r[16];
    size_t n;
    struct fc_phase_model model;
    struct fc_cohort *cohort;
    fc_date today;
};

static const fc_date day0 = 20300;      /* 2025-07-30 */

static void scene_init(struct scene *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->c.id = 1;
    sc->c.status = FC_CASE_OPEN;
    sc->c.concern_date = day0;
    sc->c.closed_date = FC_DATE_NONE;
    snprintf(sc->model.id, sizeof sc->model.id, "t");
    sc->model.nphases = 2;
    sc->model.phases[0].deadline_days = 100;
    sc->model.phases[1].deadline_days = -1;
    sc->today = day0 + 10;
}

static void add(struct scene *sc, int day, enum fc_scale scale, enum fc_rater rater, int total)
{
    struct fc_rating *r = &sc->r[sc->n++];
    memset(r, 0, sizeof *r);
    r->id = (fc_id)sc->n;
    r->case_id = 1;
    r->meeting_id = (fc_id)(100 + day);
    r->date = day0 + day;
    r->scale = (uint8_t)scale;
    r->rater = (uint8_t)rater;
    r->total = (int16_t)total;
}

/* The mask of the kinds that fire; the child is 11 (cut-off 32.0). */
static unsigned fire(struct scene *sc)
{
    struct fc_alert a[32];
    struct fc_alert_input in = {
        .settings = &S, .c = &sc->c, .model = &sc->model, .birth = D(2014, 3, 5),
        .ratings = sc->r, .nratings = sc->n, .cohort = sc->cohort, .today = sc->today,
    };
    int n = fc_alerts_eval(&in, a, 32);
    ck_assert_int_ge(n, 0);
    ck_assert_int_le(n, 32);
    for (int i = 0; i < n; i++) {
        char buf[300];
        fc_alert_describe(&a[i], buf, sizeof buf);
        ck_assert(buf[0] != '\0' && buf[0] != '?');
    }
    return fc_alerts_mask(a, (size_t)n);
}

#define BIT(k) (1u << (k))

START_TEST(ors_below_cutoff_boundary)
{
    struct scene sc;
    scene_init(&sc);
    add(&sc, 0, FC_ORS, FC_RATER_MOTHER, 250);
    add(&sc, 7, FC_ORS, FC_RATER_MOTHER, 319);
    ck_assert(fire(&sc) & BIT(FC_ALERT_ORS_BELOW_CUTOFF));
    sc.r[1].total = 320;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_ORS_BELOW_CUTOFF)));
    /* only the latest counts */
    sc.r[0].total = 100;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_ORS_BELOW_CUTOFF)));
}
END_TEST

START_TEST(off_track_boundary)
{
    struct fc_cohort c = { 0 };
    cohort_of(&c, 10, 200, 3, FC_BAND_CHILD, 100);   /* lower at point 1: 224 */
    struct scene sc;
    scene_init(&sc);
    sc.cohort = &c;
    add(&sc, 0, FC_CORS, FC_RATER_CHILD, 200);
    add(&sc, 7, FC_CORS, FC_RATER_CHILD, 223);
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_OFF_TRACK)));    /* CORS cohort: none */
    sc.r[0].scale = sc.r[1].scale = FC_ORS;
    ck_assert(fire(&sc) & BIT(FC_ALERT_OFF_TRACK));
    sc.r[1].total = 224;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_OFF_TRACK)));
    sc.cohort = NULL;
    sc.r[1].total = 100;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_OFF_TRACK)));
    fc_cohort_free(&c);
}
END_TEST

START_TEST(deterioration_boundary)
{
    struct scene sc;
    scene_init(&sc);
    add(&sc, 0, FC_ORS, FC_RATER_TEACHER, 300);
    add(&sc, 7, FC_ORS, FC_RATER_TEACHER, 250);
    ck_assert(fire(&sc) & BIT(FC_ALERT_DETERIORATION));
    sc.r[1].total = 251;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_DETERIORATION)));
    S.reliable_change = 49;
    ck_assert(fire(&sc) & BIT(FC_ALERT_DETERIORATION));
}
END_TEST

START_TEST(srs_below_cutoff_boundary)
{
    struct scene sc;
    scene_init(&sc);
    add(&sc, 0, FC_SRS, FC_RATER_MOTHER, 359);
    ck_assert(fire(&sc) & BIT(FC_ALERT_SRS_BELOW_CUTOFF));
    sc.r[0].total = 360;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_SRS_BELOW_CUTOFF)));
    sc.r[0].scale = FC_CSRS;
    sc.r[0].total = 359;
    ck_assert(fire(&sc) & BIT(FC_ALERT_SRS_BELOW_CUTOFF));
}
END_TEST

START_TEST(srs_drop_boundary)
{
    struct scene sc;
    scene_init(&sc);
    add(&sc, 0, FC_SRS, FC_RATER_CHILD, 390);
    add(&sc, 7, FC_SRS, FC_RATER_CHILD, 380);
    ck_assert(fire(&sc) & BIT(FC_ALERT_SRS_DROP));
    sc.r[1].total = 381;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_SRS_DROP)));
    /* another rater's SRS is another series */
    sc.r[1].rater = FC_RATER_MOTHER;
    sc.r[1].total = 300;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_SRS_DROP)));
}
END_TEST

START_TEST(srs_always_max_boundary)
{
    struct scene sc;
    scene_init(&sc);
    add(&sc, 0, FC_SRS, FC_RATER_MOTHER, 399);
    add(&sc, 7, FC_SRS, FC_RATER_MOTHER, 400);
    add(&sc, 14, FC_SRS, FC_RATER_MOTHER, 400);
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_SRS_ALWAYS_MAX)));
    add(&sc, 21, FC_SRS, FC_RATER_MOTHER, 400);
    ck_assert(fire(&sc) & BIT(FC_ALERT_SRS_ALWAYS_MAX));
    sc.r[2].total = 399;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_SRS_ALWAYS_MAX)));
}
END_TEST

START_TEST(no_ors_boundary)
{
    struct scene sc;
    scene_init(&sc);
    add(&sc, 5, FC_ORS, FC_RATER_CHILD, 300);
    add(&sc, 20, FC_SRS, FC_RATER_CHILD, 380);   /* SRS does not count */
    sc.today = day0 + 5 + 30;
    ck_assert(fire(&sc) & BIT(FC_ALERT_NO_ORS));
    sc.today = day0 + 5 + 29;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_NO_ORS)));
    /* no ORS at all: counted from the concern */
    sc.n = 0;
    sc.today = day0 + 30;
    ck_assert(fire(&sc) & BIT(FC_ALERT_NO_ORS));
    sc.today = day0 + 29;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_NO_ORS)));
    /* a closed case is not chased */
    sc.today = day0 + 300;
    sc.c.status = FC_CASE_CLOSED;
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_NO_ORS)));
}
END_TEST

START_TEST(phase_overdue_boundary)
{
    struct scene sc;
    scene_init(&sc);
    add(&sc, 99, FC_ORS, FC_RATER_CHILD, 300);
    sc.today = day0 + 100;            /* the deadline itself */
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_PHASE_OVERDUE)));
    sc.today = day0 + 101;
    ck_assert(fire(&sc) & BIT(FC_ALERT_PHASE_OVERDUE));
    sc.c.phase = 1;                   /* a phase without a deadline */
    ck_assert(!(fire(&sc) & BIT(FC_ALERT_PHASE_OVERDUE)));
}
END_TEST

START_TEST(quiet_case_has_no_alerts)
{
    struct scene sc;
    scene_init(&sc);
    add(&sc, 0, FC_ORS, FC_RATER_CHILD, 330);
    add(&sc, 7, FC_ORS, FC_RATER_CHILD, 340);
    add(&sc, 7, FC_SRS, FC_RATER_CHILD, 380);
    sc.today = day0 + 8;
    ck_assert_uint_eq(fire(&sc), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("alert");
    TCase *tc = tcase_create("cohort");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, percentile_type7);
    tcase_add_test(tc, expected_curve_median_and_lower);
    tcase_add_test(tc, expected_curve_window_and_min);
    tcase_add_test(tc, expected_curve_stops_when_cohort_thins);
    tcase_add_test(tc, age_bands);
    suite_add_tcase(s, tc);
    tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, ors_below_cutoff_boundary);
    tcase_add_test(tc, off_track_boundary);
    tcase_add_test(tc, deterioration_boundary);
    tcase_add_test(tc, srs_below_cutoff_boundary);
    tcase_add_test(tc, srs_drop_boundary);
    tcase_add_test(tc, srs_always_max_boundary);
    tcase_add_test(tc, no_ors_boundary);
    tcase_add_test(tc, phase_overdue_boundary);
    tcase_add_test(tc, quiet_case_has_no_alerts);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite(), CK_NORMAL);
}
