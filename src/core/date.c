/* Civil dates as day numbers. The conversions count in 400-year eras (the
 * Gregorian cycle of 146097 days) starting on 1 March, so the leap day is
 * the last day of its year and month lengths need no table. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "fitcase/err.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"

enum {
    DAYS_PER_ERA = 146097,
    EPOCH_SHIFT = 719468,     /* days from 0000-03-01 to 1970-01-01 */
    YEAR_MIN = 0,             /* four-digit years keep every date formattable */
    YEAR_MAX = 9999,
    PARSE_YEAR_MIN = 1900,    /* anything else in a case file is a typo */
    PARSE_YEAR_MAX = 2200,
};

static int floor_div(int64_t a, int64_t b)
{
    return (int)(a / b - (a % b < 0));
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int fc_days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return days[m - 1] + (m == 2 && is_leap(y));
}

bool fc_date_from_ymd(int y, int m, int d, fc_date *out)
{
    if (y < YEAR_MIN || y > YEAR_MAX || d < 1 || d > fc_days_in_month(y, m))
        return false;
    int ym = m <= 2 ? y - 1 : y;              /* the year that began on 1 March */
    int era = floor_div(ym, 400);
    int yoe = ym - era * 400;                 /* 0..399 */
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = (fc_date)(era * DAYS_PER_ERA + doe - EPOCH_SHIFT);
    return true;
}

void fc_date_to_ymd(fc_date date, int *y, int *m, int *d)
{
    int64_t z = (int64_t)date + EPOCH_SHIFT;
    int era = floor_div(z, DAYS_PER_ERA);
    int doe = (int)(z - (int64_t)era * DAYS_PER_ERA);
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;             /* 0 = March .. 11 = February */
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int fc_date_weekday(fc_date date)
{
    return (int)(((int64_t)date % 7 + 7 + 3) % 7);   /* 1970-01-01 was a Thursday */
}

static char *put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

/* Digits by hand rather than snprintf: the field widths are exact, so the
 * buffer size is evident and no compiler has to prove it. */
static void format_date(fc_date date, bool iso, char *buf)
{
    int y, m, d;
    buf[0] = '\0';
    if (date == FC_DATE_NONE)
        return;
    fc_date_to_ymd(date, &y, &m, &d);
    if (y < YEAR_MIN || y > YEAR_MAX)
        return;
    char *p = buf;
    p = put_digits(p, iso ? y : d, iso ? 4 : 2);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, iso ? d : y, iso ? 2 : 4);
    *p = '\0';
}

void fc_date_format(fc_date date, char buf[static 11])
{
    format_date(date, true, buf);
}

void fc_date_format_dk(fc_date date, char buf[static 11])
{
    format_date(date, false, buf);
}

int fc_age_years(fc_date birth, fc_date at)
{
    int by, bm, bd, ay, am, ad;
    fc_date_to_ymd(birth, &by, &bm, &bd);
    fc_date_to_ymd(at, &ay, &am, &ad);
    /* Born on 29 February: a year is full on 1 March in common years. */
    return ay - by - (am < bm || (am == bm && ad < bd));
}

void fc_date_quarter(fc_date date, fc_date *first, fc_date *last)
{
    int y, m, d;
    fc_date_to_ymd(date, &y, &m, &d);
    int qm = (m - 1) / 3 * 3 + 1;
    fc_date_from_ymd(y, qm, 1, first);
    fc_date_from_ymd(y, qm + 2, fc_days_in_month(y, qm + 2), last);
}

fc_date fc_date_from_unix(int64_t secs)
{
    return (fc_date)(secs / 86400 - (secs % 86400 < 0));
}

/* ---- parsing ------------------------------------------------------------ */


static const char *const month_names[12] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
    N_("December"),
};

/* Reads 1..max digits; returns how many, 0 if none or too many. */
static int read_number(const char *s, int max, int *value)
{
    int n = 0;
    *value = 0;
    while (s[n] >= '0' && s[n] <= '9') {
        if (++n > max)
            return 0;
        *value = *value * 10 + (s[n - 1] - '0');
    }
    return n;
}

/* Splits s into year, month and day: yyyy-m-d, d-m-yyyy or d.m.yyyy, one
 * separator used twice, day and month of one or two digits. */
static bool split_date(const char *s, size_t len, int *y, int *m, int *d)
{
    int v[3], nd[3];
    size_t i = 0;
    char sep = 0;
    for (int k = 0; k < 3; k++) {
        nd[k] = read_number(s + i, 4, &v[k]);
        if (nd[k] == 0)
            return false;
        i += (size_t)nd[k];
        if (k == 2)
            break;
        if (i >= len || (s[i] != '-' && s[i] != '.') || (sep && s[i] != sep))
            return false;
        sep = s[i++];
    }
    bool iso = nd[0] == 4;
    if (i != len || nd[1] > 2 || nd[iso ? 0 : 2] != 4 || nd[iso ? 2 : 0] > 2
        || (iso && sep == '.'))
        return false;
    *y = v[iso ? 0 : 2];
    *m = v[1];
    *d = v[iso ? 2 : 0];
    return true;
}

int fc_date_parse(const char *s, fc_date *out, struct fc_err *err)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0)
        return fc_fail(err, FC_EINVAL, _("the date is empty; write dd-mm-yyyy or yyyy-mm-dd"));
    int y, m, d;
    int text_len = len > 40 ? 40 : (int)len;
    if (!split_date(s, len, &y, &m, &d))
        return fc_fail(err, FC_EINVAL, _("'%.*s' is not a date; write dd-mm-yyyy or yyyy-mm-dd"),
                    text_len, s);
    if (y < PARSE_YEAR_MIN || y > PARSE_YEAR_MAX)
        return fc_fail(err, FC_EINVAL, _("%.*s is not a date: the year %d is outside %d-%d"),
                    text_len, s, y, PARSE_YEAR_MIN, PARSE_YEAR_MAX);
    if (m < 1 || m > 12)
        return fc_fail(err, FC_EINVAL, _("%.*s is not a date: there is no month %d"), text_len, s, m);
    if (d < 1 || d > fc_days_in_month(y, m))
        return d < 1 ? fc_fail(err, FC_EINVAL, _("%.*s is not a date: there is no day %d"),
                            text_len, s, d)
                     : fc_fail(err, FC_EINVAL, _("%.*s is not a date: %s %d has %d days"), text_len, s,
                            _(month_names[m - 1]), y, fc_days_in_month(y, m));
    fc_date_from_ymd(y, m, d, out);
    return FC_OK;
}
