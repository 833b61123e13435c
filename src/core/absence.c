/* Absence counted in school days. fc_absence_status runs for every pupil on
 * a list, so it walks the calendar once, backwards from as_of, with cursors
 * into the (sorted) absence and holiday arrays: O(log n + window). */
#include <config.h>

#include "fitcase/absence.h"
#include "fitcase/date.h"
#include "fitcase/text.h"

/* The windows of the FIT rule (seed 000: 7 of 20, 15 of 60 school days);
 * the settings fit_of_20 and fit_of_60 name them, so they are not settings. */
enum { WINDOW_SHORT = 20, WINDOW_LONG = 60 };

/* Index of the last element <= d, or -1. */
static long last_at_or_before(const fc_date *a, size_t n, fc_date d)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

bool fc_is_school_day(const struct fc_calendar *cal, fc_date d)
{
    if (fc_date_weekday(d) >= 5)
        return false;
    long i = last_at_or_before(cal->holidays, cal->n, d);
    return i < 0 || cal->holidays[i] != d;
}

fc_date fc_school_day_back(const struct fc_calendar *cal, fc_date d, int n)
{
    while (!fc_is_school_day(cal, d))
        d--;
    while (n-- > 0)
        do
            d--;
        while (!fc_is_school_day(cal, d));
    return d;
}

static const char *const kind_codes[FC_ABS_KIND_COUNT] = { "sick", "legal", "illegal" };

const char *fc_absence_kind_code(enum fc_absence_kind k)
{
    return (unsigned)k < FC_ABS_KIND_COUNT ? kind_codes[k] : "?";
}

int fc_absence_kind_lookup(const char *s)
{
    static const char *const names[] = {
        "sick", "legal", "illegal", "syg", "lovligt", "ulovligt", "lovlig", "ulovlig",
    };
    static const enum fc_absence_kind kinds[] = {
        FC_ABS_SICK, FC_ABS_LEGAL, FC_ABS_ILLEGAL, FC_ABS_SICK, FC_ABS_LEGAL,
        FC_ABS_ILLEGAL, FC_ABS_LEGAL, FC_ABS_ILLEGAL,
    };
    int i = fc_fold_lookup(s, names, sizeof names / sizeof names[0]);
    return i < 0 ? -1 : (int)kinds[i];
}

const char *fc_tier_code(enum fc_tier t)
{
    static const char *const codes[] = { "none", "early", "worrying", "massive" };
    return (unsigned)t < sizeof codes / sizeof codes[0] ? codes[t] : "?";
}

static enum fc_tier tier_of(const struct fc_settings *s, int quarter_days)
{
    if (quarter_days < s->tier_early)
        return FC_TIER_NONE;
    if (quarter_days < s->tier_worrying)
        return FC_TIER_EARLY;
    if (quarter_days < s->tier_massive)
        return FC_TIER_WORRYING;
    return FC_TIER_MASSIVE;
}

/* Walks back from as_of until both the 60-school-day window and the quarter
 * are covered. A run is counted in school days, so the weekends and
 * holidays inside it are simply not visited as breaks. */
void fc_absence_status(const struct fc_settings *s, const struct fc_calendar *cal,
                       const fc_date *days, size_t n, fc_date as_of,
                       struct fc_absence_status *out)
{
    fc_date qfirst, qlast;
    fc_date_quarter(as_of, &qfirst, &qlast);
    long h = last_at_or_before(cal->holidays, cal->n, as_of);
    long a = last_at_or_before(days, n, as_of);
    int school = 0, run = 0, weekday = fc_date_weekday(as_of);
    *out = (struct fc_absence_status){ 0 };
    for (fc_date d = as_of; school < WINDOW_LONG || d >= qfirst;
         d--, weekday = (weekday + 6) % 7) {
        while (h >= 0 && cal->holidays[h] > d)
            h--;
        while (a >= 0 && days[a] > d)
            a--;
        if (weekday >= 5 || (h >= 0 && cal->holidays[h] == d))
            continue;
        bool absent = a >= 0 && days[a] == d;
        out->quarter_days += absent && d >= qfirst;
        if (school < WINDOW_LONG) {
            run = absent ? run + 1 : 0;
            if (run > out->consecutive_max)
                out->consecutive_max = run;
            out->last60 += absent;
            out->last20 += absent && school < WINDOW_SHORT;
        }
        school++;
    }
    out->tier = tier_of(s, out->quarter_days);
    out->fit_eligible = out->consecutive_max >= s->fit_consecutive
        || out->last20 >= s->fit_of_20 || out->last60 >= s->fit_of_60;
}
