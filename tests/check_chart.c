/* Golden charts: fixture cases rendered into grids and compared with the
 * text files in tests/data/charts/. On a mismatch the actual chart is
 * written to $builddir/tests/NAME.actual (never into srcdir). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/chart.h"
#include "fitcase/date.h"
#include "suite_run.h"

static struct fc_settings S;

static fc_date D(int y, int m, int d)
{
    fc_date x;
    ck_assert(fc_date_from_ymd(y, m, d, &x));
    return x;
}

struct fixture {
    struct fc_rating r[256];
    size_t n;
    fc_date absent[64];
    size_t nabsent;
};

static void rate(struct fixture *f, fc_id meeting, fc_date date, enum fc_scale scale,
                 enum fc_rater rater, int total)
{
    ck_assert(f->n < 256);
    struct fc_rating *r = &f->r[f->n++];
    memset(r, 0, sizeof *r);
    r->id = (fc_id)f->n;
    r->case_id = 1;
    r->meeting_id = meeting;
    r->date = date;
    r->scale = (uint8_t)scale;
    r->rater = (uint8_t)rater;
    for (int i = 0; i < FC_ITEMS; i++)
        r->items[i] = FC_ITEM_NONE;
    r->total = (int16_t)total;
}

/* Meetings every second week from 2025-09-01 (a Monday). */
static fc_date meeting_date(int k)
{
    return D(2025, 9, 1) + 14 * k + (k % 3);
}

static void absence(struct fixture *f, fc_date from, int days)
{
    for (int i = 0; i < days && f->nabsent < 64; i++)
        f->absent[f->nabsent++] = from + i;
}

/* A cohort of `count` series starting near `intake`, each rising by `slope`
 * tenths a meeting, spread out so median and 25th percentile differ. */
static void make_cohort(struct fc_cohort *c, int count, int intake, int slope, int points)
{
    for (int s = 0; s < count; s++) {
        struct fc_rating r[16];
        memset(r, 0, sizeof r);
        for (int k = 0; k < points; k++) {
            r[k].scale = FC_ORS;
            r[k].total = (int16_t)(intake - 20 + 4 * (s % 10) + (slope + (s % 5) * 4 - 8) * k);
            if (r[k].total > 400)
                r[k].total = 400;
        }
        ck_assert_int_eq(fc_cohort_add(c, 100 + (fc_id)s, FC_ORS, FC_BAND_CHILD, r, (size_t)points), FC_OK);
    }
}

static int golden_failures;

/* Every chart of a test is compared (and written out on a mismatch)
 * before the test fails, so one run shows them all. */
static void golden_done(void)
{
    ck_assert_msg(golden_failures == 0, "%d chart(s) differ; see the messages above",
                  golden_failures);
}

static void check_golden(const char *name, const struct fc_chart *ch, int w, int h, bool utf8,
                         int view)
{
    struct fc_cell *cells = calloc((size_t)w * (size_t)h, sizeof *cells);
    struct fc_grid g = { w, h, cells };
    struct fc_chart_opts o = { .utf8 = utf8, .view = view };
    ck_assert_int_eq(fc_chart_render(ch, &o, &g), FC_OK);
    char *got = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&got, &len);
    fc_grid_print(&g, mem);
    fclose(mem);
    free(cells);

    const char *srcdir = getenv("srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/charts/%s.txt", srcdir ? srcdir : ".", name);
    char want[65536] = "";
    FILE *f = fopen(path, "r");
    size_t wl = f ? fread(want, 1, sizeof want - 1, f) : 0;
    want[wl] = '\0';
    if (f)
        fclose(f);
    if (strcmp(got, want) != 0) {
        const char *builddir = getenv("builddir");
        char out[4096];
        snprintf(out, sizeof out, "%s/tests/%s.actual", builddir ? builddir : ".", name);
        FILE *o2 = fopen(out, "w");
        if (o2) {
            fputs(got, o2);
            fclose(o2);
        }
        fprintf(stderr, "chart %s differs from %s; the chart drawn is in %s\n", name, path, out);
        golden_failures++;
    }
    free(got);
}

static void build(struct fixture *f, fc_date birth, const struct fc_cohort *cohort,
                  const char *title, struct fc_chart *ch)
{
    struct fc_chart_input in = {
        .settings = &S, .case_id = 1, .birth = birth, .ratings = f->r, .nratings = f->n,
        .absent = f->absent, .nabsent = f->nabsent, .cohort = cohort, .title = title,
    };
    fc_chart_build(&in, ch);
}

static void setup(void)
{
    fc_settings_default(&S);
}

/* ---- fixtures ------------------------------------------------------------- */

static const int child_scores[] = { 140, 155, 150, 190, 210, 205, 240, 260 };

static void one_rater(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    for (int k = 0; k < 6; k++)
        rate(f, 10 + (fc_id)k, meeting_date(k), FC_ORS, FC_RATER_CHILD, child_scores[k]);
    absence(f, meeting_date(0), 5);
    absence(f, meeting_date(2) + 1, 2);
}

static void four_raters(struct fixture *f, bool srs)
{
    memset(f, 0, sizeof *f);
    static const int mother[] = { 120, 130, 160, 150, 170, 200, 215, 230 };
    static const int father[] = { 180, 175, 170, 160, 150, 140, 135, 120 };
    static const int teacher[] = { 250, 250, 260, 270, 285, 300, 310, 330 };
    for (int k = 0; k < 8; k++) {
        fc_date d = meeting_date(k);
        fc_id m = 10 + (fc_id)k;
        rate(f, m, d, FC_ORS, FC_RATER_CHILD, child_scores[k]);
        rate(f, m, d, FC_ORS, FC_RATER_MOTHER, mother[k]);
        if (k % 2 == 0)
            rate(f, m, d, FC_ORS, FC_RATER_FATHER, father[k]);
        rate(f, m, d, FC_ORS, FC_RATER_TEACHER, teacher[k]);
        if (srs) {
            static const int srs_child[] = { 330, 350, 365, 370, 360, 380, 390, 395 };
            static const int srs_mother[] = { 370, 372, 380, 360, 385, 390, 392, 400 };
            rate(f, m, d, FC_SRS, FC_RATER_CHILD, srs_child[k]);
            rate(f, m, d, FC_SRS, FC_RATER_MOTHER, srs_mother[k]);
        }
    }
    absence(f, meeting_date(0), 5);
    absence(f, meeting_date(1) + 7, 3);
    absence(f, meeting_date(4), 1);
}

/* ---- tests -------------------------------------------------------------- */

START_TEST(one_rater_no_cohort)
{
    struct fixture f;
    one_rater(&f);
    struct fc_chart ch;
    build(&f, D(2014, 3, 5), NULL, "Case 1: Freja Jensen", &ch);
    check_golden("one-rater", &ch, 60, 20, false, FC_VIEW_BOTH);
    golden_done();
}
END_TEST

START_TEST(four_raters_ascii)
{
    struct fixture f;
    four_raters(&f, false);
    struct fc_chart ch;
    build(&f, D(2014, 3, 5), NULL, "Case 2: four raters", &ch);
    check_golden("four-raters", &ch, 72, 22, false, FC_VIEW_BOTH);
    golden_done();
}
END_TEST

START_TEST(srs_band)
{
    struct fixture f;
    four_raters(&f, true);
    struct fc_chart ch;
    build(&f, D(2014, 3, 5), NULL, "Case 3: ORS and SRS", &ch);
    check_golden("srs-band", &ch, 72, 32, false, FC_VIEW_BOTH);
    check_golden("srs-only", &ch, 60, 16, false, FC_VIEW_SRS);
    golden_done();
}
END_TEST

START_TEST(age_band_step)
{
    struct fixture f;
    memset(&f, 0, sizeof f);
    for (int k = 0; k < 7; k++)
        rate(&f, 10 + (fc_id)k, meeting_date(k), FC_CORS, FC_RATER_CHILD, 200 + 15 * k);
    struct fc_chart ch;
    /* turns 13 on 2025-10-20, between the 4th and 5th meeting */
    build(&f, D(2012, 10, 20), NULL, "Case 4: turns 13 during the case", &ch);
    ck_assert_int_eq(ch.ors_cutoff[0], 320);
    ck_assert_int_eq(ch.ors_cutoff[6], 280);
    check_golden("age-band", &ch, 60, 20, false, FC_VIEW_ORS);
    golden_done();
}
END_TEST

static void crossing(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    static const int v[] = { 240, 250, 270, 300, 330, 345 };
    static const int m[] = { 260, 250, 240, 230, 215, 200 };
    for (int k = 0; k < 6; k++) {
        rate(f, 10 + (fc_id)k, meeting_date(k), FC_ORS, FC_RATER_CHILD, v[k]);
        rate(f, 10 + (fc_id)k, meeting_date(k), FC_ORS, FC_RATER_MOTHER, m[k]);
    }
    absence(f, meeting_date(1), 2);
}

START_TEST(cutoff_crossing)
{
    struct fixture f;
    crossing(&f);
    struct fc_cohort c = { 0 };
    make_cohort(&c, 12, 240, 12, 8);
    struct fc_chart ch;
    build(&f, D(2014, 3, 5), &c, "Case 5: crosses the cut-off", &ch);
    /* 24.0 -> 33.0 at the 5th meeting: reliable, and from below 32 to above */
    ck_assert_int_eq(ch.series[0].mark, FC_MARK_CLINICAL);
    ck_assert_int_eq(ch.series[0].reliable_at, 4);
    ck_assert_int_eq(ch.series[1].mark, FC_MARK_DOWN);
    ck_assert_int_ge(ch.expected.n, 2);
    check_golden("crossing-ascii", &ch, 64, 22, false, FC_VIEW_BOTH);
    check_golden("crossing-utf8", &ch, 64, 22, true, FC_VIEW_BOTH);
    fc_cohort_free(&c);
    golden_done();
}
END_TEST

START_TEST(too_short_for_curve)
{
    struct fixture f;
    memset(&f, 0, sizeof f);
    rate(&f, 10, meeting_date(0), FC_ORS, FC_RATER_CHILD, 180);
    rate(&f, 10, meeting_date(0), FC_ORS, FC_RATER_MOTHER, 200);
    struct fc_cohort c = { 0 };
    make_cohort(&c, 12, 180, 10, 6);
    struct fc_chart ch;
    build(&f, D(2014, 3, 5), &c, "Case 6: first meeting", &ch);
    check_golden("too-short", &ch, 60, 16, false, FC_VIEW_BOTH);
    /* and a cohort too small for any curve */
    struct fc_cohort small = { 0 };
    make_cohort(&small, 9, 140, 10, 6);
    one_rater(&f);
    build(&f, D(2014, 3, 5), &small, "Case 7: small cohort", &ch);
    ck_assert_int_eq(ch.expected.n, 0);
    ck_assert_int_eq(ch.expected.cohort, 9);
    check_golden("small-cohort", &ch, 60, 16, false, FC_VIEW_BOTH);
    fc_cohort_free(&c);
    fc_cohort_free(&small);
    golden_done();
}
END_TEST

START_TEST(smallest_grid)
{
    struct fixture f;
    four_raters(&f, true);
    struct fc_chart ch;
    build(&f, D(2014, 3, 5), NULL, "Case 8", &ch);
    check_golden("grid-30x10", &ch, 30, 10, false, FC_VIEW_BOTH);
    check_golden("grid-30x10-utf8", &ch, 30, 10, true, FC_VIEW_BOTH);
    struct fc_cell cells[29 * 10];
    struct fc_grid g = { 29, 10, cells };
    struct fc_chart_opts o = { 0 };
    ck_assert_int_eq(fc_chart_render(&ch, &o, &g), FC_EINVAL);
    golden_done();
}
END_TEST

START_TEST(empty_chart)
{
    struct fixture f;
    memset(&f, 0, sizeof f);
    struct fc_chart ch;
    build(&f, D(2014, 3, 5), NULL, "Case 9: no scores", &ch);
    check_golden("empty", &ch, 40, 12, false, FC_VIEW_BOTH);
    golden_done();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("chart");
    TCase *tc = tcase_create("golden");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, one_rater_no_cohort);
    tcase_add_test(tc, four_raters_ascii);
    tcase_add_test(tc, srs_band);
    tcase_add_test(tc, age_band_step);
    tcase_add_test(tc, cutoff_crossing);
    tcase_add_test(tc, too_short_for_curve);
    tcase_add_test(tc, smallest_grid);
    tcase_add_test(tc, empty_chart);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite(), CK_NORMAL);
}
