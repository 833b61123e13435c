/* Team settings: every number of the FIT and absence rules, with the
 * defaults from domain.md. Stored by the store, passed to core functions. */
#ifndef FITCASE_SETTINGS_H
#define FITCASE_SETTINGS_H

#include "fitcase/types.h"

struct fc_settings {
    /* ORS cut-offs in tenths by the age of the child on the rating date */
    int ors_cutoff_child;        /* under youth_from_age: 320 */
    int ors_cutoff_youth;        /* youth_from_age..adult_from_age-1: 280 */
    int ors_cutoff_adult;        /* adult_from_age and over: 250 */
    int youth_from_age;          /* 13 */
    int adult_from_age;          /* 18 */
    int srs_cutoff;              /* 360 */
    int reliable_change;         /* 50: |last - first| >= this is reliable */
    /* expected-change cohorts */
    int cohort_window;           /* 30: intake within +/- this */
    int cohort_min;              /* 10 series or no curve */
    /* alerts */
    int no_ors_days;             /* 30 */
    int srs_drop;                /* 10: SRS down this much since last meeting */
    int srs_max_streak;          /* 3: SRS 40 this many meetings in a row */
    /* absence */
    int fit_consecutive;         /* 5 */
    int fit_of_20;               /* 7 */
    int fit_of_60;               /* 15 */
    int tier_early;              /* 5: quarter days >= this is early */
    int tier_worrying;           /* 11 */
    int tier_massive;            /* 21 */
    int retention_days;          /* erase-pupil allowed this long after close: 1825 */
};

void fc_settings_default(struct fc_settings *s);

/* Name/value access so the store and the CLI can list and change any
 * setting by name ("reliable_change"). fc_settings_set validates the range. */
size_t fc_settings_count(void);
const char *fc_settings_name(size_t i);
int fc_settings_get(const struct fc_settings *s, const char *name, int *value);
int fc_settings_set(struct fc_settings *s, const char *name, int value,
                    struct fc_err *err);

#endif
