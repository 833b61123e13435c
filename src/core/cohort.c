/* Cohorts of series with a similar intake and their percentiles: the
 * expected change curve built from the team's own cases. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/cohort.h"
#include "fitcase/date.h"

int fc_age_band(const struct fc_settings *s, fc_date birth, fc_date at)
{
    int age = fc_age_years(birth, at);
    if (age >= s->adult_from_age)
        return FC_BAND_ADULT;
    if (age >= s->youth_from_age)
        return FC_BAND_YOUTH;
    return FC_BAND_CHILD;
}

const char *fc_age_band_code(int band)
{
    switch (band) {
    case FC_BAND_CHILD: return "child";
    case FC_BAND_YOUTH: return "youth";
    case FC_BAND_ADULT: return "adult";
    default: return "?";
    }
}

double fc_percentile(const int *sorted, size_t n, int p)
{
    if (n == 0)
        return 0.0;
    if (p <= 0)
        return sorted[0];
    if (p >= 100)
        return sorted[n - 1];
    double h = (double)(n - 1) * p / 100.0;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

int fc_percentile_tenths(const int *sorted, size_t n, int p)
{
    /* Values are tenths already; the small epsilon keeps x.5 computed as
     * x.4999... from rounding down. */
    double v = fc_percentile(sorted, n, p);
    return (int)(v < 0 ? -floor(-v + 0.5 + 1e-9) : floor(v + 0.5 + 1e-9));
}

static struct fc_cohort_series *cohort_slot(struct fc_cohort *c, fc_id case_id,
                                            enum fc_scale scale, int band, size_t n)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct fc_cohort_series *s = realloc(c->series, cap * sizeof *s);
        if (!s)
            return NULL;
        c->series = s;
        c->cap = cap;
    }
    struct fc_cohort_series *s = &c->series[c->n++];
    memset(s, 0, sizeof *s);
    s->case_id = case_id;
    s->scale = (uint8_t)scale;
    s->band = (int8_t)band;
    s->n = n > FC_COHORT_POINTS ? FC_COHORT_POINTS : (int)n;
    return s;
}

int fc_cohort_add(struct fc_cohort *c, fc_id case_id, enum fc_scale scale, int band,
                  const struct fc_rating *r, size_t n)
{
    if (n == 0)
        return FC_OK;
    struct fc_cohort_series *s = cohort_slot(c, case_id, scale, band, n);
    if (!s)
        return FC_EFULL;
    for (int i = 0; i < s->n; i++)
        s->totals[i] = r[i].total;
    return FC_OK;
}

int fc_cohort_add_totals(struct fc_cohort *c, fc_id case_id, enum fc_scale scale, int band,
                         const int16_t *totals, size_t n)
{
    if (n == 0)
        return FC_OK;
    struct fc_cohort_series *s = cohort_slot(c, case_id, scale, band, n);
    if (!s)
        return FC_EFULL;
    memcpy(s->totals, totals, (size_t)s->n * sizeof *totals);
    return FC_OK;
}

void fc_cohort_free(struct fc_cohort *c)
{
    free(c->series);
    memset(c, 0, sizeof *c);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Totals are tenths of 0..40 points: a counting sort, else qsort. */
enum { TOTAL_MAX = 400 };

static void sort_totals(int *v, size_t n)
{
    unsigned count[TOTAL_MAX + 1] = { 0 };
    for (size_t i = 0; i < n; i++) {
        if (v[i] < 0 || v[i] > TOTAL_MAX) {
            qsort(v, n, sizeof *v, cmp_int);
            return;
        }
        count[v[i]]++;
    }
    size_t at = 0;
    for (int t = 0; t <= TOTAL_MAX && at < n; t++)
        for (unsigned k = 0; k < count[t]; k++)
            v[at++] = t;
}

static bool in_cohort(const struct fc_settings *s, const struct fc_cohort_series *cs,
                      fc_id exclude_case, enum fc_scale scale, int band, int intake)
{
    return cs->case_id != exclude_case && cs->scale == scale && cs->band == band
           && cs->n > 0 && abs(cs->totals[0] - intake) <= s->cohort_window;
}

bool fc_expected_curve(const struct fc_settings *s, const struct fc_cohort *c,
                       fc_id exclude_case, enum fc_scale scale, int band, int intake,
                       struct fc_expected *out)
{
    memset(out, 0, sizeof *out);
    if (!c || c->n == 0)
        return false;
    /* The cohort's series, found once; then their k-th totals for each k. */
    const struct fc_cohort_series **in = malloc(c->n * sizeof *in);
    if (!in)
        return false;
    size_t nin = 0;
    for (size_t i = 0; i < c->n; i++)
        if (in_cohort(s, &c->series[i], exclude_case, scale, band, intake))
            in[nin++] = &c->series[i];
    out->cohort = (int)nin;
    int min = s->cohort_min > 0 ? s->cohort_min : 1;
    int *vals = out->cohort >= min ? malloc(nin * sizeof *vals) : NULL;
    if (!vals) {
        free(in);
        return false;
    }
    out->median[0] = out->lower[0] = intake;
    out->n = 1;
    for (int k = 1; k < FC_COHORT_POINTS; k++) {
        size_t m = 0;
        for (size_t i = 0; i < nin; i++)
            if (in[i]->n > k)
                vals[m++] = in[i]->totals[k];
        if ((int)m < min)
            break;
        sort_totals(vals, m);
        out->median[k] = fc_percentile_tenths(vals, m, 50);
        out->lower[k] = fc_percentile_tenths(vals, m, 25);
        out->n = k + 1;
    }
    free(vals);
    free(in);
    if (out->n < 2) {
        out->n = 0;
        return false;
    }
    return true;
}
