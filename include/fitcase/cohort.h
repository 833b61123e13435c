/* Expected change from the team's own data: cohorts of series with a similar
 * intake, and their median and 25th percentile per meeting number
 * (docs/expected-change.md). Pure: the caller collects the series. */
#ifndef FITCASE_COHORT_H
#define FITCASE_COHORT_H

#include "fitcase/settings.h"
#include "fitcase/types.h"

/* How many ratings of a series a cohort keeps; later ones are not used. */
enum { FC_COHORT_POINTS = 32 };

/* Age bands of the child the ratings are about, as the ORS cut-offs have them. */
enum fc_age_band { FC_BAND_CHILD, FC_BAND_YOUTH, FC_BAND_ADULT };
int fc_age_band(const struct fc_settings *s, fc_date birth, fc_date at);
const char *fc_age_band_code(int band);              /* "child", ... */

/* The p-th percentile (0-100) of n >= 1 ascending values, by linear
 * interpolation between closest ranks (Hyndman and Fan type 7, the method of
 * R's default and spreadsheet PERCENTILE.INC): h = (n - 1) p / 100,
 * x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). */
double fc_percentile(const int *sorted, size_t n, int p);
/* The same in whole tenths, rounded half away from zero. */
int fc_percentile_tenths(const int *sorted, size_t n, int p);

/* One series (one rater, one scale, one case) as the cohort sees it. */
struct fc_cohort_series {
    fc_id case_id;
    uint8_t scale;               /* enum fc_scale */
    int8_t band;                 /* enum fc_age_band at the intake */
    int n;                       /* totals kept, <= FC_COHORT_POINTS */
    int16_t totals[FC_COHORT_POINTS];
};

struct fc_cohort_index;

struct fc_cohort {
    struct fc_cohort_series *series;
    size_t n, cap;
    struct fc_cohort_index *index;   /* fc_cohort_index; NULL: curves scan all */
};

/* Adds a series from ratings in date order (n >= 1). Returns FC_OK or
 * FC_EFULL when memory runs out. */
int fc_cohort_add(struct fc_cohort *c, fc_id case_id, enum fc_scale scale, int band,
                  const struct fc_rating *r, size_t n);
/* The same from a series' totals (the first n, at most FC_COHORT_POINTS
 * kept). */
int fc_cohort_add_totals(struct fc_cohort *c, fc_id case_id, enum fc_scale scale, int band,
                         const int16_t *totals, size_t n);
void fc_cohort_free(struct fc_cohort *c);
/* Sorts a copy of the series by scale, age band and intake, so that a curve
 * reads only the series whose intake is near its own instead of every
 * series (a team's cohort is thousands; the leader's view asks for a curve
 * per series). fc_expected_lower_at keeps in it, for the last windows
 * asked about, the count of each k-th total (at most 1.6 MB), so a question
 * with an intake asked before costs a few lookups: the index changes under
 * a const cohort, which is therefore not for two threads at once. The
 * curves are the same with or without it. Adding a series drops it; change
 * series only through fc_cohort_add*. Returns FC_OK or FC_EFULL (no index
 * then: curves scan, as without). */
int fc_cohort_index(struct fc_cohort *c);

/* The expected curve for a series with intake total `intake` (tenths) on
 * `scale` in age band `band`: point 0 is the intake itself; point k >= 1
 * is the median (and lower boundary the 25th percentile) of the k-th
 * ratings after intake of the cohort, for as long as at least cohort_min
 * cohort series reach point k. The cohort: series of other cases on the same
 * scale and band whose intake lies within intake +/- cohort_window. */
struct fc_expected {
    int cohort;                  /* series in the cohort */
    int n;                       /* points of the curve; 0 = no curve */
    int median[FC_COHORT_POINTS];
    int lower[FC_COHORT_POINTS];
};
/* True when there is a curve (out->n >= 2); false when the cohort has
 * fewer than cohort_min series, or none reach a second rating. */
bool fc_expected_curve(const struct fc_settings *s, const struct fc_cohort *c,
                       fc_id exclude_case, enum fc_scale scale, int band, int intake,
                       struct fc_expected *out);
/* Point k >= 1 of that curve alone: true, with *lower its lower boundary,
 * when the curve has more than k points (fc_expected_curve would return true
 * with out->n > k); false otherwise. What the off-track rule needs, without
 * the median and the other points. */
bool fc_expected_lower_at(const struct fc_settings *s, const struct fc_cohort *c,
                          fc_id exclude_case, enum fc_scale scale, int band, int intake,
                          int k, int *lower);

#endif
