/* The pure domain core at its boundaries: dates, settings, scores and
 * cut-offs, absence windows and tiers, phase deadlines, text folding. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/absence.h"
#include "fitcase/date.h"
#include "fitcase/phase.h"
#include "fitcase/score.h"
#include "fitcase/settings.h"
#include "fitcase/text.h"
#include "suite_run.h"

static fc_date ymd(int y, int m, int d)
{
    fc_date out;
    ck_assert_msg(fc_date_from_ymd(y, m, d, &out), "%d-%d-%d should be a date", y, m, d);
    return out;
}

static struct fc_settings defaults(void)
{
    struct fc_settings s;
    fc_settings_default(&s);
    return s;
}

/* ---- date ------------------------------------------------------------- */

START_TEST(date_known_days)
{
    ck_assert_int_eq(ymd(1970, 1, 1), 0);
    ck_assert_int_eq(ymd(1969, 12, 31), -1);
    ck_assert_int_eq(ymd(2000, 3, 1), 11017);
    ck_assert_int_eq(ymd(2024, 2, 29), 19782);
    ck_assert_int_eq(ymd(1900, 1, 1), -25567);
    ck_assert_int_eq(ymd(2200, 12, 31), 84370);
}
END_TEST

START_TEST(date_roundtrip_every_day)
{
    fc_date d = ymd(1900, 1, 1), end = ymd(2200, 12, 31);
    int py = 1899, pm = 12, pd = 31;
    for (; d <= end; d++) {
        int y, m, dd;
        fc_date_to_ymd(d, &y, &m, &dd);
        bool next_day = y == py && m == pm && dd == pd + 1;
        bool next_month = y == py && m == pm + 1 && dd == 1 && pd == fc_days_in_month(py, pm);
        bool next_year = y == py + 1 && m == 1 && dd == 1 && pm == 12 && pd == 31;
        ck_assert_msg(next_day || next_month || next_year, "day %d is %d-%d-%d", (int)d, y, m, dd);
        ck_assert_int_eq(ymd(y, m, dd), d);
        py = y, pm = m, pd = dd;
    }
}
END_TEST

START_TEST(date_impossible)
{
    fc_date d;
    ck_assert(fc_date_from_ymd(2024, 2, 29, &d));
    ck_assert(!fc_date_from_ymd(2025, 2, 29, &d));
    ck_assert(!fc_date_from_ymd(2025, 2, 31, &d));
    ck_assert(!fc_date_from_ymd(2025, 1, 0, &d));
    ck_assert(!fc_date_from_ymd(2025, 13, 1, &d));
    ck_assert(!fc_date_from_ymd(2025, 0, 1, &d));
    ck_assert(!fc_date_from_ymd(1900, 2, 29, &d));
    ck_assert(fc_date_from_ymd(2000, 2, 29, &d));
    ck_assert_int_eq(fc_days_in_month(2025, 4), 30);
}
END_TEST

START_TEST(date_weekday)
{
    ck_assert_int_eq(fc_date_weekday(0), 3);                  /* Thursday */
    ck_assert_int_eq(fc_date_weekday(-1), 2);
    ck_assert_int_eq(fc_date_weekday(ymd(2025, 3, 3)), 0);    /* Monday */
    ck_assert_int_eq(fc_date_weekday(ymd(2025, 3, 9)), 6);    /* Sunday */
    ck_assert_int_eq(fc_date_weekday(ymd(2024, 2, 29)), 3);
}
END_TEST

static void expect_parse(const char *s, int y, int m, int d)
{
    fc_date out;
    struct fc_err err = { 0 };
    ck_assert_msg(fc_date_parse(s, &out, &err) == FC_OK, "'%s': %s", s, err.msg);
    ck_assert_int_eq(out, ymd(y, m, d));
}

static void expect_bad_date(const char *s, const char *msg)
{
    fc_date out = 12345;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_date_parse(s, &out, &err), FC_EINVAL);
    ck_assert_int_eq(err.code, FC_EINVAL);
    ck_assert_int_eq(out, 12345);
    ck_assert_msg(strstr(err.msg, msg), "'%s' gave '%s', expected '%s'", s, err.msg, msg);
}

START_TEST(date_parse_formats)
{
    expect_parse("2025-03-31", 2025, 3, 31);
    expect_parse("31-03-2025", 2025, 3, 31);
    expect_parse("31.03.2025", 2025, 3, 31);
    expect_parse("1-4-2025", 2025, 4, 1);
    expect_parse("1.4.2025", 2025, 4, 1);
    expect_parse("2025-4-1", 2025, 4, 1);
    expect_parse("  29-02-2024\t", 2024, 2, 29);
    expect_parse("1900-01-01", 1900, 1, 1);
    expect_parse("31-12-2200", 2200, 12, 31);
}
END_TEST

START_TEST(date_parse_rejects)
{
    expect_bad_date("31-02-2025", "31-02-2025 is not a date: February 2025 has 28 days");
    expect_bad_date("29-02-2025", "29-02-2025 is not a date: February 2025 has 28 days");
    expect_bad_date("31-04-2025", "April 2025 has 30 days");
    expect_bad_date("00-01-2025", "00-01-2025 is not a date: there is no day 0");
    expect_bad_date("01-13-2025", "there is no month 13");
    expect_bad_date("2025-00-10", "there is no month 0");
    expect_bad_date("31-12-1899", "the year 1899 is outside 1900-2200");
    expect_bad_date("2201-01-01", "outside 1900-2200");
    expect_bad_date("", "the date is empty");
    expect_bad_date("   ", "the date is empty");
    expect_bad_date("abc", "'abc' is not a date");
    expect_bad_date("31-03-25", "is not a date");
    expect_bad_date("2025.03.31", "is not a date");
    expect_bad_date("31-03.2025", "is not a date");
    expect_bad_date("31/03/2025", "is not a date");
    expect_bad_date("2025-03-31x", "is not a date");
    expect_bad_date("123-03-2025", "is not a date");
    expect_bad_date("2025-003-31", "is not a date");
}
END_TEST

START_TEST(date_format)
{
    char buf[11];
    fc_date_format(ymd(2025, 4, 1), buf);
    ck_assert_str_eq(buf, "2025-04-01");
    fc_date_format_dk(ymd(2025, 4, 1), buf);
    ck_assert_str_eq(buf, "01-04-2025");
    fc_date_format(FC_DATE_NONE, buf);
    ck_assert_str_eq(buf, "");
    fc_date_format_dk(FC_DATE_NONE, buf);
    ck_assert_str_eq(buf, "");
    fc_date_format(ymd(9999, 12, 31) + 1, buf);     /* no fifth year digit */
    ck_assert_str_eq(buf, "");
    fc_date_format_dk(ymd(9, 1, 2), buf);
    ck_assert_str_eq(buf, "02-01-0009");
}
END_TEST

START_TEST(date_age)
{
    fc_date birth = ymd(2012, 5, 10);
    ck_assert_int_eq(fc_age_years(birth, ymd(2025, 5, 9)), 12);
    ck_assert_int_eq(fc_age_years(birth, ymd(2025, 5, 10)), 13);
    ck_assert_int_eq(fc_age_years(birth, ymd(2025, 4, 30)), 12);
    ck_assert_int_eq(fc_age_years(birth, birth), 0);
    fc_date leap = ymd(2008, 2, 29);
    ck_assert_int_eq(fc_age_years(leap, ymd(2025, 2, 28)), 16);
    ck_assert_int_eq(fc_age_years(leap, ymd(2025, 3, 1)), 17);
    ck_assert_int_eq(fc_age_years(leap, ymd(2024, 2, 29)), 16);
}
END_TEST

START_TEST(date_quarter)
{
    fc_date first, last;
    fc_date_quarter(ymd(2025, 3, 31), &first, &last);
    ck_assert_int_eq(first, ymd(2025, 1, 1));
    ck_assert_int_eq(last, ymd(2025, 3, 31));
    fc_date_quarter(ymd(2025, 4, 1), &first, &last);
    ck_assert_int_eq(first, ymd(2025, 4, 1));
    ck_assert_int_eq(last, ymd(2025, 6, 30));
    fc_date_quarter(ymd(2024, 12, 31), &first, &last);
    ck_assert_int_eq(first, ymd(2024, 10, 1));
    ck_assert_int_eq(last, ymd(2024, 12, 31));
    fc_date_quarter(ymd(2024, 8, 15), &first, &last);
    ck_assert_int_eq(first, ymd(2024, 7, 1));
    ck_assert_int_eq(last, ymd(2024, 9, 30));
}
END_TEST

START_TEST(date_unix)
{
    ck_assert_int_eq(fc_date_from_unix(0), 0);
    ck_assert_int_eq(fc_date_from_unix(86399), 0);
    ck_assert_int_eq(fc_date_from_unix(86400), 1);
    ck_assert_int_eq(fc_date_from_unix(-1), -1);
    ck_assert_int_eq(fc_date_from_unix(-86400), -1);
    ck_assert_int_eq(fc_date_from_unix(-86401), -2);
    ck_assert_int_eq(fc_date_from_unix(1795600000), ymd(2026, 11, 25));
}
END_TEST

/* ---- settings --------------------------------------------------------- */

START_TEST(settings_defaults)
{
    struct fc_settings s = defaults();
    ck_assert_int_eq(s.ors_cutoff_child, 320);
    ck_assert_int_eq(s.ors_cutoff_youth, 280);
    ck_assert_int_eq(s.ors_cutoff_adult, 250);
    ck_assert_int_eq(s.youth_from_age, 13);
    ck_assert_int_eq(s.adult_from_age, 18);
    ck_assert_int_eq(s.srs_cutoff, 360);
    ck_assert_int_eq(s.reliable_change, 50);
    ck_assert_int_eq(s.fit_consecutive, 5);
    ck_assert_int_eq(s.fit_of_20, 7);
    ck_assert_int_eq(s.fit_of_60, 15);
    ck_assert_int_eq(s.tier_early, 5);
    ck_assert_int_eq(s.tier_worrying, 11);
    ck_assert_int_eq(s.tier_massive, 21);
    ck_assert_int_eq(s.retention_days, 1825);
}
END_TEST

START_TEST(settings_table)
{
    struct fc_settings s = defaults();
    size_t n = fc_settings_count();
    ck_assert_uint_eq(n, sizeof s / sizeof(int));
    for (size_t i = 0; i < n; i++) {
        const char *name = fc_settings_name(i);
        int v;
        ck_assert_ptr_nonnull(name);
        ck_assert_int_eq(fc_settings_get(&s, name, &v), FC_OK);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(name, fc_settings_name(j));
    }
    ck_assert_ptr_null(fc_settings_name(n));
    int v = -7;
    ck_assert_int_eq(fc_settings_get(&s, "reliable_change", &v), FC_OK);
    ck_assert_int_eq(v, 50);
    ck_assert_int_eq(fc_settings_get(&s, "no_such", &v), FC_ENOTFOUND);
}
END_TEST

START_TEST(settings_set_ranges)
{
    struct fc_settings s = defaults();
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_settings_set(&s, "reliable_change", 60, &err), FC_OK);
    ck_assert_int_eq(s.reliable_change, 60);
    ck_assert_int_eq(fc_settings_set(&s, "ors_cutoff_child", 400, &err), FC_OK);
    ck_assert_int_eq(fc_settings_set(&s, "ors_cutoff_child", 401, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "ors_cutoff_child 401 is out of range; it runs 0-400");
    ck_assert_int_eq(s.ors_cutoff_child, 400);
    ck_assert_int_eq(fc_settings_set(&s, "reliable_change", 0, &err), FC_EINVAL);
    ck_assert_int_eq(s.reliable_change, 60);
    ck_assert_int_eq(fc_settings_set(&s, "fit_of_20", 21, &err), FC_EINVAL);
    ck_assert_int_eq(fc_settings_set(&s, "nonsense", 1, &err), FC_ENOTFOUND);
    ck_assert(strstr(err.msg, "nonsense"));
}
END_TEST

START_TEST(settings_set_order)
{
    struct fc_settings s = defaults();
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_settings_set(&s, "tier_early", 11, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "tier_early (11) must be below tier_worrying (11)");
    ck_assert_int_eq(s.tier_early, 5);
    ck_assert_int_eq(fc_settings_set(&s, "tier_early", 10, &err), FC_OK);
    ck_assert_int_eq(fc_settings_set(&s, "adult_from_age", 13, &err), FC_EINVAL);
    ck_assert_int_eq(fc_settings_set(&s, "youth_from_age", 12, &err), FC_OK);
    ck_assert_int_eq(s.youth_from_age, 12);
}
END_TEST

/* ---- score ------------------------------------------------------------ */

static void expect_item(const char *s, bool mm, int tenths)
{
    int v = -99;
    struct fc_err err = { 0 };
    ck_assert_msg(fc_item_parse(s, mm, &v, &err) == FC_OK, "'%s': %s", s, err.msg);
    ck_assert_int_eq(v, tenths);
}

static void expect_bad_item(const char *s, bool mm, const char *msg)
{
    int v = -99;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_item_parse(s, mm, &v, &err), FC_EINVAL);
    ck_assert_int_eq(v, -99);
    ck_assert_msg(strstr(err.msg, msg), "'%s' gave '%s', expected '%s'", s, err.msg, msg);
}

START_TEST(score_item_parse)
{
    expect_item("7.5", false, 75);
    expect_item("7,5", false, 75);
    expect_item("7", false, 70);
    expect_item("10", false, 100);
    expect_item("10.0", false, 100);
    expect_item(" 0 ", false, 0);
    expect_item("\t3,2 ", false, 32);
    expect_item("0.1", false, 1);
    expect_bad_item("10.1", false, "10.1 is out of range; items run 0.0-10.0");
    expect_bad_item("abc", false, "'abc' is not a score");
    expect_bad_item("", false, "the score is empty");
    expect_bad_item("-1", false, "-1 is out of range");
    expect_bad_item("7.55", false, "7.55 has more than one decimal");
    expect_bad_item("11", false, "11 is out of range; items run 0.0-10.0");
    expect_bad_item("7.", false, "is not a score");
    expect_bad_item(".5", false, "is not a score");
    expect_bad_item("7.5x", false, "is not a score");
    expect_bad_item("7 5", false, "is not a score");
    expect_bad_item("99999999999", false, "is out of range");
}
END_TEST

START_TEST(score_item_parse_mm)
{
    expect_item("75", true, 75);
    expect_item("11", true, 11);
    expect_item("100", true, 100);
    expect_item("10", true, 100);         /* 0-10 stay points */
    expect_item("7,5", true, 75);
    expect_bad_item("101", true, "101 is out of range; items run 0.0-10.0 or 11-100 mm");
    expect_bad_item("10.5", true, "out of range");
    expect_bad_item("75.0", true, "out of range");
}
END_TEST

START_TEST(score_total_parse)
{
    int v = -1;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_total_parse("40", &v, &err), FC_OK);
    ck_assert_int_eq(v, 400);
    ck_assert_int_eq(fc_total_parse("31,9", &v, &err), FC_OK);
    ck_assert_int_eq(v, 319);
    ck_assert_int_eq(fc_total_parse("40.1", &v, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "40.1 is out of range; totals run 0.0-40.0");
    ck_assert_int_eq(fc_total_parse("75", &v, &err), FC_EINVAL);
    ck_assert_int_eq(v, 319);
}
END_TEST

START_TEST(score_tenths_format)
{
    char buf[8];
    fc_tenths_format(75, '.', buf);
    ck_assert_str_eq(buf, "7.5");
    fc_tenths_format(319, ',', buf);
    ck_assert_str_eq(buf, "31,9");
    fc_tenths_format(0, '.', buf);
    ck_assert_str_eq(buf, "0.0");
    fc_tenths_format(400, '.', buf);
    ck_assert_str_eq(buf, "40.0");
    fc_tenths_format(FC_ITEM_NONE, '.', buf);
    ck_assert_str_eq(buf, "");
}
END_TEST

static struct fc_rating rating(int a, int b, int c, int d, int total)
{
    return (struct fc_rating){ .scale = FC_ORS, .rater = FC_RATER_MOTHER,
                               .items = { a, b, c, d }, .total = (int16_t)total };
}

START_TEST(score_normalize)
{
    struct fc_err err = { 0 };
    struct fc_rating r = rating(80, 80, 80, 79, -1);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_OK);
    ck_assert_int_eq(r.total, 319);
    r = rating(80, 80, 80, 79, 319);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_OK);
    r = rating(80, 80, 80, 79, 320);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "ORS items add up to 31.9 but the total says 32.0");
    r = rating(-1, -1, -1, -1, 250);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_OK);
    ck_assert_int_eq(r.total, 250);
    r = rating(-1, -1, -1, -1, 400);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_OK);
    r = rating(-1, -1, -1, -1, 401);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "ORS total 40.1 is out of range; totals run 0.0-40.0");
    r = rating(-1, -1, -1, -1, -1);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_EINVAL);
    r = rating(50, 50, -1, 50, -1);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_EINVAL);
    ck_assert(strstr(err.msg, "3 of 4 items"));
    r = rating(50, 101, 50, 50, -1);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "ORS item 2 is 10.1; items run 0.0-10.0");
    r = rating(100, 100, 100, 100, -1);
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_OK);
    ck_assert_int_eq(r.total, 400);
    r = rating(50, 50, 50, 50, -1);
    r.scale = FC_SCALE_COUNT;
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_EINVAL);
    r.scale = FC_SRS;
    r.rater = FC_RATER_COUNT;
    ck_assert_int_eq(fc_rating_normalize(&r, &err), FC_EINVAL);
}
END_TEST

START_TEST(score_lookups)
{
    ck_assert_int_eq(fc_scale_lookup("ORS"), FC_ORS);
    ck_assert_int_eq(fc_scale_lookup("cors"), FC_CORS);
    ck_assert_int_eq(fc_scale_lookup(" Srs "), FC_SRS);
    ck_assert_int_eq(fc_scale_lookup("CSRS"), FC_CSRS);
    ck_assert_int_eq(fc_scale_lookup("YCORS"), -1);
    ck_assert_int_eq(fc_scale_lookup(""), -1);
    ck_assert_str_eq(fc_scale_code(FC_CSRS), "CSRS");
    ck_assert(fc_scale_is_outcome(FC_CORS));
    ck_assert(!fc_scale_is_outcome(FC_SRS));
    static const struct { const char *s; int r; } raters[] = {
        { "child", FC_RATER_CHILD }, { "Mother", FC_RATER_MOTHER },
        { "FATHER", FC_RATER_FATHER }, { "guardian", FC_RATER_GUARDIAN },
        { "teacher", FC_RATER_TEACHER }, { "pedagogue", FC_RATER_PEDAGOGUE },
        { "caseworker", FC_RATER_CASEWORKER }, { "other", FC_RATER_OTHER },
        { "barn", FC_RATER_CHILD }, { "MOR", FC_RATER_MOTHER }, { "Far", FC_RATER_FATHER },
        { "værge", FC_RATER_GUARDIAN }, { "VÆRGE", FC_RATER_GUARDIAN },
        { "vaerge", FC_RATER_GUARDIAN }, { "lærer", FC_RATER_TEACHER },
        { "LÆRER", FC_RATER_TEACHER }, { "laerer", FC_RATER_TEACHER },
        { "pædagog", FC_RATER_PEDAGOGUE }, { "PÆDAGOG", FC_RATER_PEDAGOGUE },
        { "paedagog", FC_RATER_PEDAGOGUE }, { "rådgiver", FC_RATER_CASEWORKER },
        { "RÅDGIVER", FC_RATER_CASEWORKER }, { "raadgiver", FC_RATER_CASEWORKER },
        { "anden", FC_RATER_OTHER }, { " mor ", FC_RATER_MOTHER },
        { "elev", -1 }, { "", -1 }, { "mo", -1 }, { "morx", -1 },
    };
    for (size_t i = 0; i < sizeof raters / sizeof raters[0]; i++)
        ck_assert_msg(fc_rater_lookup(raters[i].s) == raters[i].r, "'%s' gave %d, not %d",
                      raters[i].s, fc_rater_lookup(raters[i].s), raters[i].r);
    for (int r = 0; r < FC_RATER_COUNT; r++)
        ck_assert_int_eq(fc_rater_lookup(fc_rater_code(r)), r);
    ck_assert_str_eq(fc_rater_code(FC_RATER_MOTHER), "mother");
    ck_assert_str_eq(fc_rater_code(FC_RATER_COUNT), "?");
}
END_TEST

START_TEST(score_cutoff_by_age)
{
    struct fc_settings s = defaults();
    fc_date child = ymd(2012, 5, 10), youth = ymd(2007, 5, 10);
    ck_assert_int_eq(fc_cutoff(&s, FC_ORS, child, ymd(2025, 5, 9)), 320);
    ck_assert_int_eq(fc_cutoff(&s, FC_ORS, child, ymd(2025, 5, 10)), 280);
    ck_assert_int_eq(fc_cutoff(&s, FC_CORS, child, ymd(2025, 5, 9)), 320);
    ck_assert_int_eq(fc_cutoff(&s, FC_ORS, youth, ymd(2025, 5, 9)), 280);
    ck_assert_int_eq(fc_cutoff(&s, FC_ORS, youth, ymd(2025, 5, 10)), 250);
    ck_assert_int_eq(fc_cutoff(&s, FC_SRS, child, ymd(2025, 5, 9)), 360);
    ck_assert_int_eq(fc_cutoff(&s, FC_CSRS, youth, ymd(2025, 5, 10)), 360);
    ck_assert_int_eq(fc_cutoff(&s, FC_CORS, FC_DATE_NONE, ymd(2025, 5, 10)), 320);
    ck_assert_int_eq(fc_cutoff(&s, FC_ORS, FC_DATE_NONE, ymd(2025, 5, 10)), 280);
    s.ors_cutoff_child = 300;
    ck_assert_int_eq(fc_cutoff(&s, FC_ORS, child, ymd(2025, 5, 9)), 300);
    ck_assert(fc_below_cutoff(319, 320));
    ck_assert(!fc_below_cutoff(320, 320));
}
END_TEST

START_TEST(score_change)
{
    struct fc_settings s = defaults();
    ck_assert_int_eq(fc_reliable_change(&s, 200, 249), FC_CHANGE_NONE);
    ck_assert_int_eq(fc_reliable_change(&s, 200, 250), FC_CHANGE_IMPROVED);
    ck_assert_int_eq(fc_reliable_change(&s, 250, 201), FC_CHANGE_NONE);
    ck_assert_int_eq(fc_reliable_change(&s, 250, 200), FC_CHANGE_DETERIORATED);
    ck_assert_str_eq(fc_change_code(FC_CHANGE_DETERIORATED), "deteriorated");
    ck_assert(fc_clinically_significant(&s, 270, 320, 320, 320));
    ck_assert(!fc_clinically_significant(&s, 271, 320, 320, 320));   /* 4.9 */
    ck_assert(!fc_clinically_significant(&s, 269, 319, 320, 320));   /* still below */
    ck_assert(!fc_clinically_significant(&s, 320, 370, 320, 320));   /* never below */
    ck_assert(fc_clinically_significant(&s, 230, 280, 320, 280));    /* turned 13 */
    s.reliable_change = 40;
    ck_assert_int_eq(fc_reliable_change(&s, 200, 240), FC_CHANGE_IMPROVED);
}
END_TEST

static struct fc_rating series_rating(fc_id id, fc_date date, int total)
{
    return (struct fc_rating){ .id = id, .case_id = 1, .date = date, .scale = FC_ORS,
                               .rater = FC_RATER_CHILD, .total = (int16_t)total };
}

START_TEST(score_series_summary)
{
    struct fc_settings s = defaults();
    fc_date birth = ymd(2012, 5, 10);
    struct fc_rating r[3] = {
        series_rating(1, ymd(2025, 4, 1), 250),
        series_rating(2, ymd(2025, 5, 1), 270),
        series_rating(3, ymd(2025, 6, 1), 300),
    };
    struct fc_series_summary sum;
    fc_series_summarize(&s, birth, r, 3, &sum);
    ck_assert_int_eq(sum.n, 3);
    ck_assert_int_eq(sum.first_date, ymd(2025, 4, 1));
    ck_assert_int_eq(sum.last_date, ymd(2025, 6, 1));
    ck_assert_int_eq(sum.change, 50);
    ck_assert_int_eq(sum.cutoff_first, 320);
    ck_assert_int_eq(sum.cutoff_last, 280);
    ck_assert_int_eq(sum.reliable, FC_CHANGE_IMPROVED);
    ck_assert(sum.clinically_significant);
    r[2].total = 299;
    fc_series_summarize(&s, birth, r, 3, &sum);
    ck_assert_int_eq(sum.reliable, FC_CHANGE_NONE);
    ck_assert(!sum.clinically_significant);
    for (int i = 0; i < 3; i++)
        r[i].scale = FC_SRS;
    r[2].total = 330;
    fc_series_summarize(&s, birth, r, 3, &sum);
    ck_assert_int_eq(sum.cutoff_last, 360);
    ck_assert_int_eq(sum.reliable, FC_CHANGE_NONE);
    fc_series_summarize(&s, birth, r, 0, &sum);
    ck_assert_int_eq(sum.n, 0);
    ck_assert_int_eq(sum.first_date, FC_DATE_NONE);
}
END_TEST

START_TEST(score_sort_series)
{
    struct fc_rating r[6] = {
        series_rating(6, 30, 100), series_rating(5, 10, 100), series_rating(4, 20, 100),
        series_rating(3, 10, 100), series_rating(2, 10, 100), series_rating(1, 10, 100),
    };
    r[0].case_id = 2;
    r[1].rater = FC_RATER_MOTHER;
    strcpy(r[2].rater_name, "Bente");
    strcpy(r[3].rater_name, "Anne");
    r[4].scale = FC_SRS;
    fc_ratings_sort_series(r, 6);
    static const fc_id order[6] = { 1, 3, 4, 5, 2, 6 };
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(r[i].id, order[i]);
    ck_assert(!fc_same_series(&r[1], &r[2]));
    struct fc_rating twin = r[2];
    twin.id = 99;
    twin.date = 5;
    ck_assert(fc_same_series(&r[2], &twin));
}
END_TEST

/* ---- absence ---------------------------------------------------------- */

/* Spring 2025 with Wednesday 12 March as a holiday and the Easter days. */
static const fc_date *holidays(size_t *n)
{
    static fc_date h[4];
    h[0] = ymd(2025, 3, 12);
    h[1] = ymd(2025, 4, 17);
    h[2] = ymd(2025, 4, 18);
    h[3] = ymd(2025, 4, 21);
    *n = 4;
    return h;
}

static struct fc_calendar calendar(void)
{
    struct fc_calendar cal;
    cal.holidays = holidays(&cal.n);
    return cal;
}

static struct fc_absence_status status_of(const fc_date *days, size_t n, fc_date as_of)
{
    struct fc_settings s = defaults();
    struct fc_calendar cal = calendar();
    struct fc_absence_status st;
    fc_absence_status(&s, &cal, days, n, as_of, &st);
    return st;
}

/* Absent on the school days k of `picks` counted back from as_of (k = 0 is
 * as_of's school day); returns them sorted ascending in out. */
static size_t absent_back(fc_date as_of, const int *picks, size_t n, fc_date *out)
{
    struct fc_calendar cal = calendar();
    for (size_t i = 0; i < n; i++)
        out[n - 1 - i] = fc_school_day_back(&cal, as_of, picks[i]);
    return n;
}

START_TEST(absence_school_days)
{
    struct fc_calendar cal = calendar();
    ck_assert(fc_is_school_day(&cal, ymd(2025, 3, 11)));
    ck_assert(!fc_is_school_day(&cal, ymd(2025, 3, 12)));
    ck_assert(!fc_is_school_day(&cal, ymd(2025, 3, 15)));
    ck_assert(!fc_is_school_day(&cal, ymd(2025, 3, 16)));
    ck_assert_int_eq(fc_school_day_back(&cal, ymd(2025, 3, 17), 0), ymd(2025, 3, 17));
    ck_assert_int_eq(fc_school_day_back(&cal, ymd(2025, 3, 17), 1), ymd(2025, 3, 14));
    ck_assert_int_eq(fc_school_day_back(&cal, ymd(2025, 3, 16), 0), ymd(2025, 3, 14));
    ck_assert_int_eq(fc_school_day_back(&cal, ymd(2025, 3, 13), 1), ymd(2025, 3, 11));
    ck_assert_int_eq(fc_school_day_back(&cal, ymd(2025, 4, 22), 1), ymd(2025, 4, 16));
    struct fc_calendar none = { 0 };
    ck_assert(fc_is_school_day(&none, ymd(2025, 3, 12)));
}
END_TEST

START_TEST(absence_run_across_weekend)
{
    /* Wednesday 5 March to Tuesday 11 March: five school days, a weekend
     * (with an absence noted on the Saturday) in the middle. */
    fc_date d[6] = { ymd(2025, 3, 5), ymd(2025, 3, 6), ymd(2025, 3, 7),
                     ymd(2025, 3, 8), ymd(2025, 3, 10), ymd(2025, 3, 11) };
    struct fc_absence_status st = status_of(d + 1, 5, ymd(2025, 3, 11));
    ck_assert_int_eq(st.consecutive_max, 4);
    ck_assert_int_eq(st.last20, 4);
    ck_assert(!st.fit_eligible);
    st = status_of(d, 6, ymd(2025, 3, 11));
    ck_assert_int_eq(st.consecutive_max, 5);
    ck_assert_int_eq(st.last20, 5);
    ck_assert(st.fit_eligible);
}
END_TEST

START_TEST(absence_run_across_holiday)
{
    /* Holiday on Wednesday 12 March inside the run. */
    fc_date d[5] = { ymd(2025, 3, 10), ymd(2025, 3, 11), ymd(2025, 3, 13),
                     ymd(2025, 3, 14), ymd(2025, 3, 17) };
    struct fc_absence_status st = status_of(d, 5, ymd(2025, 3, 17));
    ck_assert_int_eq(st.consecutive_max, 5);
    ck_assert(st.fit_eligible);
    st = status_of(d, 4, ymd(2025, 3, 17));
    ck_assert_int_eq(st.consecutive_max, 4);
    ck_assert(!st.fit_eligible);
    /* A school day present breaks it. */
    fc_date e[5] = { ymd(2025, 3, 10), ymd(2025, 3, 11), ymd(2025, 3, 14),
                     ymd(2025, 3, 17), ymd(2025, 3, 18) };
    st = status_of(e, 5, ymd(2025, 3, 18));
    ck_assert_int_eq(st.consecutive_max, 3);
}
END_TEST

START_TEST(absence_ignored_days)
{
    fc_date d[5] = { ymd(2025, 3, 10), ymd(2025, 3, 12), ymd(2025, 3, 15),
                     ymd(2025, 3, 18), ymd(2025, 3, 19) };
    struct fc_absence_status st = status_of(d, 5, ymd(2025, 3, 17));
    ck_assert_int_eq(st.last20, 1);       /* holiday, Saturday, after as_of */
    ck_assert_int_eq(st.last60, 1);
    ck_assert_int_eq(st.quarter_days, 1);
    st = status_of(d, 0, ymd(2025, 3, 17));
    ck_assert_int_eq(st.last60, 0);
    ck_assert_int_eq(st.tier, FC_TIER_NONE);
}
END_TEST

/* count absences every step school days back from as_of, from school day
 * `first` on. */
static struct fc_absence_status spread(int count, int first, int step, fc_date as_of)
{
    int picks[64];
    fc_date d[64];
    for (int i = 0; i < count; i++)
        picks[i] = first + i * step;
    absent_back(as_of, picks, (size_t)count, d);
    return status_of(d, (size_t)count, as_of);
}

START_TEST(absence_of_20)
{
    fc_date as_of = ymd(2025, 3, 28);
    struct fc_absence_status st = spread(6, 0, 3, as_of);   /* 0,3,..15 */
    ck_assert_int_eq(st.last20, 6);
    ck_assert_int_eq(st.consecutive_max, 1);
    ck_assert(!st.fit_eligible);
    st = spread(7, 0, 3, as_of);                            /* ..18 */
    ck_assert_int_eq(st.last20, 7);
    ck_assert(st.fit_eligible);
    st = spread(7, 1, 3, as_of);                            /* ..19: as_of absent no more */
    ck_assert_int_eq(st.last20, 7);
    ck_assert(st.fit_eligible);
    st = spread(7, 2, 3, as_of);                            /* ..20: outside */
    ck_assert_int_eq(st.last20, 6);
    ck_assert_int_eq(st.last60, 7);
    ck_assert(!st.fit_eligible);
}
END_TEST

START_TEST(absence_of_60)
{
    fc_date as_of = ymd(2025, 6, 6);
    struct fc_absence_status st = spread(14, 0, 4, as_of);  /* 0,4,..52 */
    ck_assert_int_eq(st.last60, 14);
    ck_assert_int_eq(st.last20, 5);
    ck_assert(!st.fit_eligible);
    st = spread(15, 0, 4, as_of);                           /* ..56 */
    ck_assert_int_eq(st.last60, 15);
    ck_assert(st.fit_eligible);
    st = spread(16, 0, 4, as_of);                           /* 60 is outside */
    ck_assert_int_eq(st.last60, 15);
    int picks[2] = { 59, 60 };
    fc_date d[2];
    absent_back(as_of, picks, 2, d);
    st = status_of(d, 2, as_of);
    ck_assert_int_eq(st.last60, 1);
    ck_assert_int_eq(st.consecutive_max, 1);
}
END_TEST

START_TEST(absence_quarter_boundary)
{
    fc_date d[6] = { ymd(2025, 3, 25), ymd(2025, 3, 26), ymd(2025, 3, 27),
                     ymd(2025, 3, 28), ymd(2025, 3, 31), ymd(2025, 4, 1) };
    struct fc_absence_status st = status_of(d, 6, ymd(2025, 3, 31));
    ck_assert_int_eq(st.quarter_days, 5);
    ck_assert_int_eq(st.tier, FC_TIER_EARLY);
    st = status_of(d, 6, ymd(2025, 4, 1));
    ck_assert_int_eq(st.quarter_days, 1);
    ck_assert_int_eq(st.tier, FC_TIER_NONE);
    ck_assert_int_eq(st.consecutive_max, 6);
    ck_assert_int_eq(st.last20, 6);
}
END_TEST

START_TEST(absence_tiers)
{
    static const struct { int days; enum fc_tier tier; } cases[] = {
        { 4, FC_TIER_NONE }, { 5, FC_TIER_EARLY }, { 10, FC_TIER_EARLY },
        { 11, FC_TIER_WORRYING }, { 20, FC_TIER_WORRYING }, { 21, FC_TIER_MASSIVE },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fc_absence_status st = spread(cases[i].days, 0, 2, ymd(2025, 6, 30));
        ck_assert_int_eq(st.quarter_days, cases[i].days);
        ck_assert_msg(st.tier == cases[i].tier, "%d days: tier %s", cases[i].days,
                      fc_tier_code(st.tier));
    }
    ck_assert_str_eq(fc_tier_code(FC_TIER_MASSIVE), "massive");
}
END_TEST

START_TEST(absence_long_history)
{
    /* Every weekday for two years: only the windows count. */
    fc_date days[600];
    size_t n = 0;
    for (fc_date d = ymd(2023, 6, 1); n < 600; d++)
        if (fc_date_weekday(d) < 5)
            days[n++] = d;
    fc_date as_of = days[599];
    struct fc_absence_status st = status_of(days, n, as_of);
    ck_assert_int_eq(st.last20, 20);
    ck_assert_int_eq(st.last60, 60);
    ck_assert_int_eq(st.consecutive_max, 60);
    ck_assert(st.fit_eligible);
    fc_date q1, q2;
    fc_date_quarter(as_of, &q1, &q2);
    ck_assert_int_gt(q1, ymd(2025, 4, 21));     /* no holiday in this quarter */
    int expect = 0;
    for (size_t i = 0; i < n; i++)
        expect += days[i] >= q1;
    ck_assert_int_eq(st.quarter_days, expect);
}
END_TEST

START_TEST(absence_kinds)
{
    ck_assert_int_eq(fc_absence_kind_lookup("sick"), FC_ABS_SICK);
    ck_assert_int_eq(fc_absence_kind_lookup("SYG"), FC_ABS_SICK);
    ck_assert_int_eq(fc_absence_kind_lookup("lovligt"), FC_ABS_LEGAL);
    ck_assert_int_eq(fc_absence_kind_lookup("Lovlig"), FC_ABS_LEGAL);
    ck_assert_int_eq(fc_absence_kind_lookup("ulovligt"), FC_ABS_ILLEGAL);
    ck_assert_int_eq(fc_absence_kind_lookup("ulovlig"), FC_ABS_ILLEGAL);
    ck_assert_int_eq(fc_absence_kind_lookup("illegal"), FC_ABS_ILLEGAL);
    ck_assert_int_eq(fc_absence_kind_lookup("ferie"), -1);
    ck_assert_str_eq(fc_absence_kind_code(FC_ABS_LEGAL), "legal");
}
END_TEST

/* ---- phase ------------------------------------------------------------ */

static void expect_model(const char *id, const char *const names[4], const int dl[4])
{
    const struct fc_phase_model *m = fc_builtin_model_find(id);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(fc_phase_model_validate(m, NULL), FC_OK);
    ck_assert_int_eq(m->nphases, 4);
    for (int p = 0; p < 4; p++) {
        ck_assert_str_eq(m->phases[p].name, names[p]);
        ck_assert_int_eq(m->phases[p].deadline_days, dl[p]);
    }
}

START_TEST(phase_builtins)
{
    ck_assert_uint_eq(fc_builtin_model_count(), 3);
    expect_model("fit", (const char *const[]){ "Forberedende/indledende", "Relationel",
                 "Undersøgende", "Inkluderende/overdragende" }, (const int[]){ 14, 35, 63, 90 });
    expect_model("roskilde", (const char *const[]){ "Opsporing", "Kortlægning",
                 "Handleplan og indsatser", "Opfølgning" }, (const int[]){ 14, 42, 56, 112 });
    expect_model("national", (const char *const[]){ "Samarbejde", "Opsporing",
                 "Kortlægning", "Handlemuligheder" }, (const int[]){ 14, 28, 56, 90 });
    ck_assert_ptr_null(fc_builtin_model_find("nope"));
    ck_assert_ptr_null(fc_builtin_model(3));
    ck_assert_str_eq(fc_builtin_model(0)->id, "fit");
}
END_TEST

static struct fc_phase_model model(int n, const int *deadlines)
{
    struct fc_phase_model m = { .id = "team", .name = "Team model", .nphases = (uint8_t)n };
    for (int p = 0; p < n; p++) {
        snprintf(m.phases[p].name, sizeof m.phases[p].name, "Fase %d", p + 1);
        m.phases[p].deadline_days = deadlines ? deadlines[p] : -1;
    }
    return m;
}

START_TEST(phase_validate)
{
    struct fc_err err = { 0 };
    struct fc_phase_model m = model(3, (const int[]){ 14, -1, 20 });
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_OK);
    m = model(3, (const int[]){ 14, 14, 14 });
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_OK);
    m = model(1, NULL);
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_OK);
    m = model(FC_PHASES_MAX, NULL);
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_OK);
    m.nphases = FC_PHASES_MAX + 1;
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_EINVAL);
    m = model(0, NULL);
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_EINVAL);
    ck_assert(strstr(err.msg, "has 0 phases"));
    m = model(3, (const int[]){ 14, -1, 10 });
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "phase model 'team': phase 3 (Fase 3) is due after 10 days, "
                              "earlier than phase 1 (14 days)");
    m = model(2, (const int[]){ 14, -2 });
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_EINVAL);
    m = model(2, (const int[]){ 0, 0 });
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_OK);
    m = model(2, NULL);
    strcpy(m.phases[1].name, "  ");
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_EINVAL);
    ck_assert(strstr(err.msg, "phase 2 needs a name"));
    m = model(2, NULL);
    m.id[0] = '\0';
    ck_assert_int_eq(fc_phase_model_validate(&m, &err), FC_EINVAL);
}
END_TEST

START_TEST(phase_deadlines)
{
    const struct fc_phase_model *fit = fc_builtin_model_find("fit");
    fc_date concern = ymd(2025, 1, 1), dl;
    ck_assert(fc_phase_deadline(fit, 0, concern, &dl));
    ck_assert_int_eq(dl, ymd(2025, 1, 15));
    ck_assert(fc_phase_deadline(fit, 3, concern, &dl));
    ck_assert_int_eq(dl, ymd(2025, 4, 1));
    ck_assert(!fc_phase_deadline(fit, 4, concern, &dl));
    ck_assert(!fc_phase_deadline(fit, -1, concern, &dl));
    ck_assert(!fc_phase_deadline(fit, 0, FC_DATE_NONE, &dl));
    struct fc_phase_model open = model(2, (const int[]){ -1, 30 });
    ck_assert(!fc_phase_deadline(&open, 0, concern, &dl));

    struct fc_case c = { .phase = 1, .status = FC_CASE_OPEN, .concern_date = concern };
    int left = 99;
    ck_assert(fc_case_days_left(fit, &c, ymd(2025, 2, 5), &left));    /* due 5 Feb */
    ck_assert_int_eq(left, 0);
    ck_assert(fc_case_days_left(fit, &c, ymd(2025, 2, 6), &left));
    ck_assert_int_eq(left, -1);
    ck_assert(fc_case_days_left(fit, &c, ymd(2025, 1, 6), &left));
    ck_assert_int_eq(left, 30);
    c.status = FC_CASE_CLOSED;
    left = 99;
    ck_assert(!fc_case_days_left(fit, &c, ymd(2025, 2, 6), &left));
    ck_assert_int_eq(left, 99);
    c.status = FC_CASE_OPEN;
    c.phase = 0;
    ck_assert(!fc_case_days_left(&open, &c, ymd(2025, 2, 6), &left));
}
END_TEST

/* ---- text ------------------------------------------------------------- */

static const char *fold(const char *s)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    fc_fold(s, buf[k], sizeof buf[k]);
    return buf[k];
}

START_TEST(text_fold_danish)
{
    ck_assert_str_eq(fold("Søren"), "soren");
    ck_assert_str_eq(fold("SØREN"), "soren");
    ck_assert_str_eq(fold("Ærø"), "aero");
    ck_assert_str_eq(fold("Aero"), "aero");
    ck_assert_str_eq(fold("Århus"), "arhus");
    ck_assert_str_eq(fold("Aarhus"), "arhus");
    ck_assert_str_eq(fold("Arhus"), "arhus");
    ck_assert_str_eq(fold("å"), "a");
    ck_assert_str_eq(fold("aa"), "a");
    ck_assert_str_eq(fold("aaa"), "aa");
    ck_assert_str_eq(fold("Åse Kaas"), "ase kas");
    ck_assert(fc_fold_contains(fold("Jens Søren Ærø"), fold("soren")));
    ck_assert(fc_fold_contains(fold("Ærøskøbing Skole"), fold("aero")));
    ck_assert(fc_fold_contains(fold("Ærøskøbing Skole"), fold("AERO")));
    ck_assert(fc_fold_contains(fold("Aabenraa"), fold("Åbenrå")));
    ck_assert(fc_fold_contains(fold("Ågade"), fold("aag")));
    ck_assert(fc_fold_contains(fold("Ågade"), fold("ag")));
    ck_assert(!fc_fold_contains(fold("Søren"), fold("sy")));
}
END_TEST

START_TEST(text_fold_latin)
{
    ck_assert_str_eq(fold("Émile Müller"), "emile muller");
    ck_assert_str_eq(fold("Öst Ängel"), "ost angel");
    ck_assert_str_eq(fold("Muñoz"), "munoz");
    ck_assert_str_eq(fold("Straße"), "strasse");
    ck_assert_str_eq(fold("Łódź"), "lodz");
    ck_assert_str_eq(fold("Œuvre"), "oeuvre");
    ck_assert_str_eq(fold("Çağla Şimşek"), "cagla simsek");
    ck_assert_str_eq(fold("ÿ"), "y");
    ck_assert_str_eq(fold("2×3"), "2×3");        /* not a letter: kept */
    ck_assert_str_eq(fold("Ωmega"), "Ωmega");
    ck_assert_str_eq(fold("a\xff" "b"), "ab");    /* malformed byte dropped */
    ck_assert_str_eq(fold(""), "");
}
END_TEST

START_TEST(text_fold_prefixes)
{
    static const char *const names[] = { "Ærø Aagaard", "Søren Kierkegaard", "Åse Baaa" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char whole[64];
        fc_fold(names[i], whole, sizeof whole);
        for (size_t n = 0; names[i][n]; n++) {
            if (((unsigned char)names[i][n] & 0xC0) == 0x80)
                continue;
            char prefix[64];
            memcpy(prefix, names[i], n);
            prefix[n] = '\0';
            const char *f = fold(prefix);
            ck_assert_msg(strncmp(whole, f, strlen(f)) == 0, "'%s' -> '%s' not a prefix of '%s'",
                          prefix, f, whole);
        }
    }
}
END_TEST

START_TEST(text_fold_truncates)
{
    char out[8];
    ck_assert_uint_eq(fc_fold("Ærøskøbing", out, sizeof out), 7);
    ck_assert_str_eq(out, "aerosko");
    ck_assert_uint_eq(fc_fold("Ærø", out, 2), 0);      /* "ae" is one piece */
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(fc_fold("xΩ", out, 3), 1);       /* never half a character */
    ck_assert_str_eq(out, "x");
    out[0] = 'z';
    ck_assert_uint_eq(fc_fold("abc", out, 0), 0);
    ck_assert_int_eq(out[0], 'z');
}
END_TEST

START_TEST(text_utf8)
{
    ck_assert(fc_utf8_valid("Søren", strlen("Søren")));
    ck_assert(fc_utf8_valid("", 0));
    ck_assert(fc_utf8_valid("\xf0\x9f\x98\x80", 4));
    ck_assert(!fc_utf8_valid("S\xc3", 2));
    ck_assert(!fc_utf8_valid("\xc0\xaf", 2));             /* overlong '/' */
    ck_assert(!fc_utf8_valid("\xe0\x80\xaf", 3));
    ck_assert(!fc_utf8_valid("\xed\xa0\x80", 3));         /* surrogate */
    ck_assert(!fc_utf8_valid("\xf4\x90\x80\x80", 4));     /* past U+10FFFF */
    ck_assert(!fc_utf8_valid("\x80", 1));
    ck_assert(!fc_utf8_valid("\xc3\x28", 2));
    ck_assert_uint_eq(fc_utf8_len("Søren"), 5);
    ck_assert_uint_eq(fc_utf8_len(""), 0);
    ck_assert_uint_eq(fc_utf8_len("日本"), 2);
    ck_assert_uint_eq(fc_utf8_len("\xf0\x9f\x98\x80!"), 2);
}
END_TEST

START_TEST(text_strlcpy)
{
    char out[16];
    fc_strlcpy_utf8(out, "Søren", 3);
    ck_assert_str_eq(out, "S");
    fc_strlcpy_utf8(out, "Søren", 4);
    ck_assert_str_eq(out, "Sø");
    fc_strlcpy_utf8(out, "Søren", 6);
    ck_assert_str_eq(out, "Søre");
    fc_strlcpy_utf8(out, "Søren", 7);
    ck_assert_str_eq(out, "Søren");
    fc_strlcpy_utf8(out, "Søren", 1);
    ck_assert_str_eq(out, "");
    fc_strlcpy_utf8(out, "a\xf0\x9f\x98\x80", 5);
    ck_assert_str_eq(out, "a");
    out[0] = 'z';
    fc_strlcpy_utf8(out, "abc", 0);
    ck_assert_int_eq(out[0], 'z');
}
END_TEST

/* ---- suite ------------------------------------------------------------ */

static void add(Suite *s, const char *name, const TTest *const *tests)
{
    TCase *tc = tcase_create(name);
    for (; *tests; tests++)
        tcase_add_test(tc, *tests);
    suite_add_tcase(s, tc);
}

static Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    add(s, "date", (const TTest *const[]){ date_known_days, date_roundtrip_every_day,
        date_impossible, date_weekday, date_parse_formats, date_parse_rejects, date_format,
        date_age, date_quarter, date_unix, NULL });
    add(s, "settings", (const TTest *const[]){ settings_defaults, settings_table,
        settings_set_ranges, settings_set_order, NULL });
    add(s, "score", (const TTest *const[]){ score_item_parse, score_item_parse_mm,
        score_total_parse, score_tenths_format, score_normalize, score_lookups,
        score_cutoff_by_age, score_change, score_series_summary, score_sort_series, NULL });
    add(s, "absence", (const TTest *const[]){ absence_school_days, absence_run_across_weekend,
        absence_run_across_holiday, absence_ignored_days, absence_of_20, absence_of_60,
        absence_quarter_boundary, absence_tiers, absence_long_history, absence_kinds, NULL });
    add(s, "phase", (const TTest *const[]){ phase_builtins, phase_validate, phase_deadlines,
        NULL });
    add(s, "text", (const TTest *const[]){ text_fold_danish, text_fold_latin,
        text_fold_prefixes, text_fold_truncates, text_utf8, text_strlcpy, NULL });
    return s;
}

int main(void)
{
    return check_run(core_suite(), CK_ENV);
}
