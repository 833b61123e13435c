/* The outcomes and absence-status exports, and the chart, alert and report
 * loaders, on a small store whose expected rows are worked out by hand in
 * the comments. The store lives in a mkdtemp directory opened inside each
 * test (fork mode), never in srcdir. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fitcase/alert.h"
#include "fitcase/chart.h"
#include "fitcase/date.h"
#include "fitcase/demo.h"
#include "fitcase/report.h"
#include "suite_run.h"

static char dir[64];
static struct fc_store *st;
static struct fc_txn *txn;
static struct fc_settings S;

static fc_date D(int y, int m, int d)
{
    fc_date x;
    ck_assert(fc_date_from_ymd(y, m, d, &x));
    return x;
}

static fc_id meeting(struct fc_txn *t, fc_id case_id, fc_date date, struct fc_err *err)
{
    struct fc_meeting m = { .case_id = case_id, .date = date, .kind = FC_MEET_PARENT };
    ck_assert_msg(fc_meeting_put(t, &m, err) == FC_OK, "%s", err->msg);
    return m.id;
}

static void rate(struct fc_txn *t, fc_id case_id, fc_id meeting_id, enum fc_scale scale,
                 enum fc_rater rater, const char *name, int total, struct fc_err *err)
{
    struct fc_rating r = { .case_id = case_id, .meeting_id = meeting_id,
                           .scale = (uint8_t)scale, .rater = (uint8_t)rater, .total = -1 };
    snprintf(r.rater_name, sizeof r.rater_name, "%s", name);
    for (int i = 0; i < FC_ITEMS; i++)
        r.items[i] = (int16_t)(total / 4 + (i == FC_ITEMS - 1 ? total % 4 : 0));
    ck_assert_msg(fc_rating_put(t, &r, err) == FC_OK, "%s", err->msg);
}

static void absent(struct fc_txn *t, fc_id pupil, fc_date from, int days, struct fc_err *err)
{
    for (int i = 0; i < days; i++) {
        struct fc_absence a = { .pupil_id = pupil, .date = from + i, .kind = FC_ABS_SICK };
        ck_assert_msg(fc_absence_put(t, &a, err) == FC_OK, "%s", err->msg);
    }
}

static fc_id pupil(struct fc_txn *t, const char *name, fc_date birth, fc_id school,
                   struct fc_err *err)
{
    struct fc_pupil p = { .birth_date = birth, .grade = 6, .school_id = school };
    snprintf(p.name, sizeof p.name, "%s", name);
    ck_assert_msg(fc_pupil_put(t, &p, err) == FC_OK, "%s", err->msg);
    return p.id;
}

static fc_id open_case(struct fc_txn *t, fc_id pupil_id, fc_date concern, fc_id staff,
                       struct fc_err *err)
{
    struct fc_case c = { .pupil_id = pupil_id, .status = FC_CASE_OPEN,
                         .concern_date = concern, .closed_date = FC_DATE_NONE,
                         .coordinator = staff };
    snprintf(c.model_id, sizeof c.model_id, "fit");
    ck_assert_msg(fc_case_put(t, &c, err) == FC_OK, "%s", err->msg);
    return c.id;
}

/* Pupil 1 is 11 (cut-off 32); pupil 2 turns 13 on 2025-10-20 (32, then 28);
 * pupil 3 was absent once, long ago. Autumn holidays 13-17 October. */
static int fill(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    struct fc_team team = { 0 };
    snprintf(team.name, sizeof team.name, "Nord");
    ck_assert_int_eq(fc_team_put(t, &team, err), FC_OK);
    struct fc_staff s = { .role = FC_ROLE_CASEWORKER, .active = true, .team_id = team.id };
    snprintf(s.login, sizeof s.login, "kirsten");
    snprintf(s.name, sizeof s.name, "Kirsten");
    ck_assert_int_eq(fc_staff_put(t, &s, err), FC_OK);
    struct fc_school sc = { 0 };
    snprintf(sc.name, sizeof sc.name, "Fixture Skole");
    ck_assert_int_eq(fc_school_put(t, &sc, err), FC_OK);
    for (int d = 13; d <= 17; d++) {
        struct fc_holiday h = { .date = D(2025, 10, d) };
        snprintf(h.description, sizeof h.description, "Efterårsferie");
        ck_assert_int_eq(fc_holiday_put(t, &h, err), FC_OK);
    }

    fc_id a = pupil(t, "Freja Jensen", D(2014, 3, 5), sc.id, err);
    fc_id b = pupil(t, "Søren Bæk", D(2012, 10, 20), sc.id, err);
    fc_id c3 = pupil(t, "Åse Holm", D(2013, 1, 1), sc.id, err);
    ck_assert_int_eq(a, 1);
    ck_assert_int_eq(b, 2);

    fc_id c1 = open_case(t, a, D(2025, 8, 25), s.id, err);
    fc_id m1 = meeting(t, c1, D(2025, 9, 1), err);
    fc_id m2 = meeting(t, c1, D(2025, 9, 15), err);
    fc_id m3 = meeting(t, c1, D(2025, 10, 1), err);
    rate(t, c1, m1, FC_ORS, FC_RATER_CHILD, "", 240, err);
    rate(t, c1, m2, FC_ORS, FC_RATER_CHILD, "", 275, err);
    rate(t, c1, m3, FC_ORS, FC_RATER_CHILD, "", 330, err);
    rate(t, c1, m1, FC_ORS, FC_RATER_MOTHER, "", 300, err);
    rate(t, c1, m3, FC_ORS, FC_RATER_MOTHER, "", 250, err);
    rate(t, c1, m2, FC_ORS, FC_RATER_TEACHER, "Hansen, K.", 315, err);
    rate(t, c1, m1, FC_SRS, FC_RATER_CHILD, "", 380, err);
    rate(t, c1, m2, FC_SRS, FC_RATER_CHILD, "", 359, err);
    rate(t, c1, m3, FC_SRS, FC_RATER_CHILD, "", 400, err);

    fc_id c2 = open_case(t, b, D(2025, 9, 29), s.id, err);
    ck_assert_int_eq(c1, 1);
    ck_assert_int_eq(c2, 2);
    fc_id n1 = meeting(t, c2, D(2025, 10, 6), err);
    fc_id n2 = meeting(t, c2, D(2025, 11, 3), err);
    rate(t, c2, n1, FC_ORS, FC_RATER_CHILD, "", 260, err);
    rate(t, c2, n2, FC_ORS, FC_RATER_CHILD, "", 300, err);
    rate(t, c2, n1, FC_ORS, FC_RATER_MOTHER, "", 270, err);
    rate(t, c2, n2, FC_ORS, FC_RATER_MOTHER, "", 320, err);

    absent(t, a, D(2025, 10, 6), 5, err);
    absent(t, a, D(2025, 10, 20), 1, err);
    absent(t, b, D(2025, 9, 1), 3, err);
    absent(t, b, D(2025, 10, 27), 2, err);
    absent(t, b, D(2025, 11, 3), 1, err);     /* after the as-of date */
    absent(t, c3, D(2025, 3, 3), 1, err);
    return FC_OK;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/fitcase-chart.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct fc_store_opts o = { .create = true, .initial_map = 16u << 20 };
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_open(dir, &o, &st, &err) == FC_OK, "%s", err.msg);
    ck_assert_msg(fc_store_write(st, "tester", fill, NULL, &err) == FC_OK, "%s", err.msg);
    ck_assert_int_eq(fc_read_begin(st, &txn, &err), FC_OK);
    ck_assert_int_eq(fc_settings_load(txn, &S, &err), FC_OK);
}

static void teardown(void)
{
    fc_read_end(txn);
    fc_store_close(st);
    char path[128];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/lock.mdb", dir);
    unlink(path);
    rmdir(dir);
}

typedef int (*export_fn)(struct fc_txn *, const struct fc_settings *, fc_date, FILE *,
                         struct fc_err *);

static char *run_export(export_fn fn, fc_date as_of)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct fc_err err = { 0 };
    ck_assert_msg(fn(txn, &S, as_of, f, &err) == FC_OK, "%s", err.msg);
    fclose(f);
    return buf;
}

static const char outcomes_head[] =
    "case_id,pupil_id,scale,rater,ratings,first_date,first_total,last_date,last_total,"
    "change,cutoff,first_below_cutoff,last_below_cutoff,reliable_change,"
    "clinically_significant\n";

START_TEST(outcomes_all)
{
    char *got = run_export(fc_export_outcomes, FC_DATE_NONE);
    const char *want =
        /* 24.0 -> 33.0: +9.0 >= 5 and from below 32 to above: clinically significant */
        "1,1,ORS,child,3,2025-09-01,24.0,2025-10-01,33.0,9.0,32.0,yes,no,improved,yes\n"
        /* 30.0 -> 25.0: exactly -5.0 is a reliable deterioration */
        "1,1,ORS,mother,2,2025-09-01,30.0,2025-10-01,25.0,-5.0,32.0,yes,yes,deteriorated,no\n"
        /* a named rater; the comma makes csv_fwrite quote the field */
        "1,1,ORS,\"teacher (Hansen, K.)\",1,2025-09-15,31.5,2025-09-15,31.5,0.0,32.0,yes,yes,none,no\n"
        /* SRS: cut-off 36; reliable change is an ORS rule */
        "1,1,SRS,child,3,2025-09-01,38.0,2025-10-01,40.0,2.0,36.0,no,no,none,no\n"
        /* turns 13 between the ratings: first against 32, last against 28;
         * +4.0 is not reliable although it crosses */
        "2,2,ORS,child,2,2025-10-06,26.0,2025-11-03,30.0,4.0,28.0,yes,no,none,no\n"
        /* +5.0, from below 32 to 32.0 >= 28: clinically significant */
        "2,2,ORS,mother,2,2025-10-06,27.0,2025-11-03,32.0,5.0,28.0,yes,no,improved,yes\n";
    char full[2048];
    snprintf(full, sizeof full, "%s%s", outcomes_head, want);
    ck_assert_str_eq(got, full);
    free(got);
}
END_TEST

START_TEST(outcomes_as_of)
{
    char *got = run_export(fc_export_outcomes, D(2025, 9, 20));
    char want[2048];
    snprintf(want, sizeof want, "%s%s", outcomes_head,
             "1,1,ORS,child,2,2025-09-01,24.0,2025-09-15,27.5,3.5,32.0,yes,yes,none,no\n"
             "1,1,ORS,mother,1,2025-09-01,30.0,2025-09-01,30.0,0.0,32.0,yes,yes,none,no\n"
             "1,1,ORS,\"teacher (Hansen, K.)\",1,2025-09-15,31.5,2025-09-15,31.5,0.0,32.0,yes,yes,none,no\n"
             "1,1,SRS,child,2,2025-09-01,38.0,2025-09-15,35.9,-2.1,36.0,no,yes,none,no\n");
    ck_assert_str_eq(got, want);
    free(got);
}
END_TEST

START_TEST(absence_status)
{
    char *got = run_export(fc_export_absence_status, D(2025, 10, 31));
    const char *want =
        "pupil_id,consecutive_max,absent_last_20,absent_last_60,quarter_days,"
        "quarter_tier,fit_eligible\n"
        /* 6-10 Oct and Mon 20 Oct are six school days in a row: the holiday
         * week between them is no school day. Quarter: 6 >= 5 is early. */
        "1,6,6,6,6,early,yes\n"
        /* 1-3 Sep (3 in a row) and 27-28 Oct; the last 20 school days start
         * 29 Sep, so 2 of them; 3 Nov lies after the as-of date */
        "2,3,2,5,2,none,no\n";
    /* pupil 3's one day in March is outside both windows: no row */
    ck_assert_str_eq(got, want);
    free(got);
}
END_TEST

START_TEST(chart_and_alerts_from_store)
{
    struct fc_chart *ch = malloc(sizeof *ch);
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_chart_load(txn, &S, NULL, 1, NULL, ch, &err), FC_OK);
    ck_assert_int_eq(ch->nslots, 3);
    ck_assert_int_eq(ch->nwho, 3);                 /* child, mother, Hansen */
    ck_assert_int_eq(ch->nseries, 4);
    ck_assert_int_eq(ch->nabsent, 3);              /* 6-8 Oct: up to a week after the last meeting */
    ck_assert_int_eq(fc_chart_load(txn, &S, NULL, 1, "mor", ch, &err), FC_OK);
    ck_assert_int_eq(ch->nseries, 1);
    ck_assert_int_eq(fc_chart_load(txn, &S, NULL, 1, "hansen, k.", ch, &err), FC_OK);
    ck_assert_int_eq(ch->nseries, 1);
    ck_assert_int_eq(fc_chart_load(txn, &S, NULL, 99, NULL, ch, &err), FC_ENOTFOUND);
    free(ch);

    struct fc_alert a[16];
    int n;
    ck_assert_int_eq(fc_case_alerts_load(txn, &S, NULL, 1, D(2025, 10, 2), a, 16, &n, &err), FC_OK);
    unsigned m = fc_alerts_mask(a, (size_t)n);
    ck_assert(m & (1u << FC_ALERT_ORS_BELOW_CUTOFF));     /* mother 25.0, Hansen 31.5 */
    ck_assert(m & (1u << FC_ALERT_DETERIORATION));        /* mother -5.0 */
    ck_assert(!(m & (1u << FC_ALERT_SRS_BELOW_CUTOFF)));  /* back to 40.0 */
    ck_assert(!(m & (1u << FC_ALERT_NO_ORS)));
}
END_TEST

START_TEST(report_prints)
{
    struct fc_cohort cohort = { 0 };
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_cohort_load(txn, &S, &cohort, &err), FC_OK);
    ck_assert_uint_eq(cohort.n, 5);                       /* the ORS series */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct fc_report_opts o = { .today = D(2025, 10, 2) };
    ck_assert_int_eq(fc_report_write(txn, &S, &cohort, 1, &o, f, &err), FC_OK);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "Freja Jensen"));
    ck_assert_ptr_nonnull(strstr(buf, "3 ratings, first 24.0, last 33.0, change +9.0: "
                                      "clinically significant improvement"));
    ck_assert_ptr_nonnull(strstr(buf, "reliable deterioration"));
    free(buf);

    buf = NULL;
    f = open_memstream(&buf, &len);
    o.person = "mother";
    ck_assert_int_eq(fc_report_write(txn, &S, &cohort, 1, &o, f, &err), FC_OK);
    fclose(f);
    ck_assert_ptr_null(strstr(buf, "child, ORS"));
    ck_assert_ptr_nonnull(strstr(buf, "mother, ORS"));
    free(buf);
    fc_cohort_free(&cohort);
}
END_TEST

/* Every demo case charts (at the largest and smallest sizes) and reports;
 * across them the chart shows cut-offs, change markers and expected curves. */
static int count_case(const struct fc_case *c, void *ctx)
{
    (void)c;
    ++*(int *)ctx;
    return 0;
}

START_TEST(demo_cases_all_print)
{
    fc_read_end(txn);
    struct fc_err err = { 0 };
    struct fc_demo_opts o = { .today = D(2026, 11, 20), .login = "tester" };
    ck_assert_msg(fc_demo_fill(st, &o, &err) == FC_OK, "%s", err.msg);
    ck_assert_int_eq(fc_read_begin(st, &txn, &err), FC_OK);
    int ncases = 0;
    fc_cases_each(txn, count_case, &ncases);
    ck_assert_int_gt(ncases, 100);
    struct fc_cohort cohort = { 0 };
    ck_assert_int_eq(fc_cohort_load(txn, &S, &cohort, &err), FC_OK);
    struct fc_chart *ch = malloc(sizeof *ch);
    struct fc_cell *cells = malloc(78 * 32 * sizeof *cells);
    int curves = 0, markers = 0, steps = 0;
    /* the fixture's two cases come first; the demo's follow */
    for (fc_id id = 3; id < (fc_id)ncases + 1; id++) {
        ck_assert_int_eq(fc_chart_load(txn, &S, &cohort, id, NULL, ch, &err), FC_OK);
        curves += ch->expected.n >= 2;
        for (int i = 0; i < ch->nseries; i++)
            markers += ch->series[i].mark != FC_MARK_NONE;
        steps += ch->nslots > 0 && ch->ors_cutoff[0] != ch->ors_cutoff[ch->nslots - 1];
        struct fc_chart_opts co = { .utf8 = id % 2 };
        struct fc_grid big = { 78, 32, cells }, small = { 30, 10, cells };
        ck_assert_int_eq(fc_chart_render(ch, &co, &big), FC_OK);
        ck_assert_int_eq(fc_chart_render(ch, &co, &small), FC_OK);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        struct fc_report_opts ro = { .today = o.today };
        ck_assert_msg(fc_report_write(txn, &S, &cohort, id, &ro, f, &err) == FC_OK,
                      "case %u: %s", (unsigned)id, err.msg);
        fclose(f);
        ck_assert_ptr_nonnull(strstr(buf, "Closing summary"));
        free(buf);
    }
    ck_assert_int_gt(curves, 10);
    ck_assert_int_gt(markers, 10);
    ck_assert_int_gt(steps, 0);
    free(cells);
    free(ch);
    fc_cohort_free(&cohort);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("chart-export");
    TCase *tc = tcase_create("store");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, outcomes_all);
    tcase_add_test(tc, outcomes_as_of);
    tcase_add_test(tc, absence_status);
    tcase_add_test(tc, chart_and_alerts_from_store);
    tcase_add_test(tc, report_prints);
    tcase_add_test(tc, demo_cases_all_print);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite(), CK_NORMAL);
}
