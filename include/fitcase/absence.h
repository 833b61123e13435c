/* Absence rules over school days (weekdays less the calendar's holidays):
 * runs, windows, FIT eligibility and the quarterly tiers (domain.md). */
#ifndef FITCASE_ABSENCE_H
#define FITCASE_ABSENCE_H

#include "fitcase/settings.h"
#include "fitcase/types.h"

/* The school calendar: holiday dates, sorted ascending, unique. */
struct fc_calendar {
    const fc_date *holidays;
    size_t n;
};

bool fc_is_school_day(const struct fc_calendar *cal, fc_date d);
/* The school day n school days before d (n = 0: d itself if a school day,
 * else the previous school day). */
fc_date fc_school_day_back(const struct fc_calendar *cal, fc_date d, int n);

const char *fc_absence_kind_code(enum fc_absence_kind k); /* "sick", ... */
int fc_absence_kind_lookup(const char *s);    /* also syg, lovligt, ulovligt */

enum fc_tier { FC_TIER_NONE, FC_TIER_EARLY, FC_TIER_WORRYING, FC_TIER_MASSIVE };
const char *fc_tier_code(enum fc_tier t);     /* "none", "early", ... */

struct fc_absence_status {
    int consecutive_max;   /* longest run of absent school days, last 60 school days */
    int last20;            /* absent days in the last 20 school days up to as_of */
    int last60;            /* ... the last 60 */
    int quarter_days;      /* absent school days in as_of's quarter, up to as_of */
    enum fc_tier tier;
    bool fit_eligible;     /* consecutive or 7/20 or 15/60 */
};

/* days: the pupil's absent dates, sorted ascending, unique. Days that are
 * not school days, or after as_of, are ignored. */
void fc_absence_status(const struct fc_settings *s, const struct fc_calendar *cal,
                       const fc_date *days, size_t n, fc_date as_of,
                       struct fc_absence_status *out);

#endif
