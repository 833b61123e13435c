/* Cohorts of series with a similar intake and their percentiles: the
 * expected change curve built from the team's own cases. */
#include <config.h>

#include <math.h>
#include <stdint.h>
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

/* Where the p-th percentile of n >= 1 ascending values lies: at rank *lo,
 * or a fraction *frac of the way from rank *lo to *lo + 1. */
static void percentile_rank(size_t n, int p, size_t *lo, double *frac)
{
    *frac = 0.0;
    if (p <= 0) {
        *lo = 0;
        return;
    }
    if (p >= 100) {
        *lo = n - 1;
        return;
    }
    double h = (double)(n - 1) * p / 100.0;
    *lo = (size_t)floor(h);
    if (*lo + 1 >= n)
        *lo = n - 1;
    else
        *frac = h - (double)*lo;
}

static double interpolate(int x_lo, int x_hi, double frac)
{
    return frac == 0.0 ? x_lo : x_lo + frac * (x_hi - x_lo);
}

double fc_percentile(const int *sorted, size_t n, int p)
{
    if (n == 0)
        return 0.0;
    size_t lo;
    double frac;
    percentile_rank(n, p, &lo, &frac);
    return interpolate(sorted[lo], frac == 0.0 ? sorted[lo] : sorted[lo + 1], frac);
}

/* Values are tenths already; the small epsilon keeps x.5 computed as
 * x.4999... from rounding down. */
static int round_tenths(double v)
{
    return (int)(v < 0 ? -floor(-v + 0.5 + 1e-9) : floor(v + 0.5 + 1e-9));
}

int fc_percentile_tenths(const int *sorted, size_t n, int p)
{
    return round_tenths(fc_percentile(sorted, n, p));
}

static void index_free(struct fc_cohort *c);

static struct fc_cohort_series *cohort_slot(struct fc_cohort *c, fc_id case_id,
                                            enum fc_scale scale, int band, size_t n)
{
    index_free(c);
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
    index_free(c);
    free(c->series);
    memset(c, 0, sizeof *c);
}

/* ---- the index: the series by scale, band and intake ----------------------- */

/* Totals are tenths of 0..40 points. */
enum { TOTAL_MAX = 400 };

/* The k-th totals of every series in one window of the index (one scale
 * and band, intakes near one), counted by total: the lower boundary at k
 * of any series whose window it is is two ranks of these, less its own
 * case's. A leader's view asks for thousands of series, many with the
 * same intake. */
struct lower_memo {
    size_t from, to;             /* the window */
    int8_t k;                    /* 0: an empty slot */
    bool wild;                   /* a total outside 0..TOTAL_MAX: not counted */
    uint32_t m;                  /* how many */
    uint32_t upto[TOTAL_MAX + 1];   /* upto[t]: how many are <= t */
};

/* 1.6 MB, made at the first question; a question probes a few slots from
 * its hash and, when none holds it, fills an empty one or else the first. */
enum { MEMO_SLOTS = 1024, MEMO_PROBES = 4 };

/* Columns of the series with at least one total, in key order, so that the
 * series of a window are one slice and the k-th totals of the slice are
 * next to each other in memory. */
struct fc_cohort_index {
    size_t n;
    uint32_t *key;               /* pack(scale, band, intake), ascending */
    fc_id *case_id;
    uint8_t *npoints;
    int16_t *col;                /* col[k * n + i]: the k-th total of entry i */
    size_t *by_case;             /* the entries in case id order */
    struct lower_memo *memo;     /* MEMO_SLOTS, or NULL */
};

static uint32_t pack(unsigned scale, int band, int intake)
{
    return (uint32_t)(scale & 0xFF) << 24 | (uint32_t)(uint8_t)(band + 128) << 16
           | (uint32_t)(uint16_t)(intake + 32768);
}

static void index_free(struct fc_cohort *c)
{
    struct fc_cohort_index *x = c->index;
    if (!x)
        return;
    free(x->key);
    free(x->case_id);
    free(x->npoints);
    free(x->col);
    free(x->by_case);
    free(x->memo);
    free(x);
    c->index = NULL;
}

struct order {
    uint64_t key;
    size_t at;
};

static int cmp_order(const void *pa, const void *pb)
{
    const struct order *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->at > b->at) - (a->at < b->at);
}

int fc_cohort_index(struct fc_cohort *c)
{
    index_free(c);
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += c->series[i].n > 0;
    if (n == 0)
        return FC_OK;
    struct fc_cohort_index *x = calloc(1, sizeof *x);
    struct order *o = malloc(n * sizeof *o);
    if (x) {
        x->n = n;
        x->key = malloc(n * sizeof *x->key);
        x->case_id = malloc(n * sizeof *x->case_id);
        x->npoints = malloc(n);
        x->col = malloc(n * FC_COHORT_POINTS * sizeof *x->col);
        x->by_case = malloc(n * sizeof *x->by_case);
    }
    c->index = x;
    if (!x || !o || !x->key || !x->case_id || !x->npoints || !x->col || !x->by_case) {
        index_free(c);
        free(o);
        return FC_EFULL;
    }
    size_t at = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct fc_cohort_series *cs = &c->series[i];
        if (cs->n > 0)
            o[at++] = (struct order){ pack(cs->scale, cs->band, cs->totals[0]), i };
    }
    qsort(o, n, sizeof *o, cmp_order);
    for (size_t i = 0; i < n; i++) {
        const struct fc_cohort_series *cs = &c->series[o[i].at];
        x->key[i] = (uint32_t)o[i].key;
        x->case_id[i] = cs->case_id;
        x->npoints[i] = (uint8_t)(cs->n < FC_COHORT_POINTS ? cs->n : FC_COHORT_POINTS);
        for (int k = 0; k < FC_COHORT_POINTS; k++)
            x->col[(size_t)k * n + i] = cs->totals[k];
    }
    for (size_t i = 0; i < n; i++)
        o[i] = (struct order){ x->case_id[i], i };
    qsort(o, n, sizeof *o, cmp_order);
    for (size_t i = 0; i < n; i++)
        x->by_case[i] = o[i].at;
    free(o);
    return FC_OK;
}

/* The first entry whose key is > key (after_equal) or >= key. */
static size_t bound(const struct fc_cohort_index *x, uint32_t key, bool after_equal)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->key[mid] < key || (after_equal && x->key[mid] == key))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The entries of scale and band whose intake is within intake +/- window:
 * [*from, *to). */
static void index_window(const struct fc_cohort_index *x, int scale, int band, int intake,
                         int window, size_t *from, size_t *to)
{
    long lo = (long)intake - window, hi = (long)intake + window;
    if (lo < INT16_MIN)
        lo = INT16_MIN;
    if (hi > INT16_MAX)
        hi = INT16_MAX;
    *from = *to = 0;
    if (scale < 0 || scale > 0xFF || band < INT8_MIN || band > INT8_MAX || lo > hi)
        return;
    *from = bound(x, pack((unsigned)scale, band, (int)lo), false);
    *to = bound(x, pack((unsigned)scale, band, (int)hi), true);
}

/* The entries of one case: [*from, *to) of by_case. */
static void index_case(const struct fc_cohort_index *x, fc_id case_id, size_t *from,
                       size_t *to)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->case_id[x->by_case[mid]] < case_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = *to = lo;
    while (*to < x->n && x->case_id[x->by_case[*to]] == case_id)
        ++*to;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Totals are tenths of 0..40 points: a counting sort, else qsort. */

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

/* The series of a cohort: entries of the index's window, or series of the
 * whole cohort without an index. */
struct picks {
    const struct fc_cohort_index *x;
    size_t *at;                              /* with x: entries */
    const struct fc_cohort_series **in;      /* without: series */
    size_t n;
};

static bool pick(const struct fc_settings *s, const struct fc_cohort *c, fc_id exclude_case,
                 enum fc_scale scale, int band, int intake, struct picks *p)
{
    *p = (struct picks){ .x = c->index };
    if (p->x) {
        size_t from, to;
        index_window(p->x, (int)scale, band, intake, s->cohort_window, &from, &to);
        p->at = malloc((to > from ? to - from : 1) * sizeof *p->at);
        if (!p->at)
            return false;
        for (size_t i = from; i < to; i++)
            if (p->x->case_id[i] != exclude_case)
                p->at[p->n++] = i;
        return true;
    }
    p->in = malloc(c->n * sizeof *p->in);
    if (!p->in)
        return false;
    for (size_t i = 0; i < c->n; i++)
        if (in_cohort(s, &c->series[i], exclude_case, scale, band, intake))
            p->in[p->n++] = &c->series[i];
    return true;
}

/* The k-th totals of the picked series that have one. */
static size_t kth_totals(const struct picks *p, int k, int *vals)
{
    size_t m = 0;
    if (p->x) {
        const int16_t *col = p->x->col + (size_t)k * p->x->n;
        for (size_t i = 0; i < p->n; i++)
            if (p->x->npoints[p->at[i]] > k)
                vals[m++] = col[p->at[i]];
    } else {
        for (size_t i = 0; i < p->n; i++)
            if (p->in[i]->n > k)
                vals[m++] = p->in[i]->totals[k];
    }
    return m;
}

bool fc_expected_curve(const struct fc_settings *s, const struct fc_cohort *c,
                       fc_id exclude_case, enum fc_scale scale, int band, int intake,
                       struct fc_expected *out)
{
    memset(out, 0, sizeof *out);
    if (!c || c->n == 0)
        return false;
    /* The cohort's series, found once; then their k-th totals for each k. */
    struct picks p;
    if (!pick(s, c, exclude_case, scale, band, intake, &p)) {
        free(p.at);
        free(p.in);
        return false;
    }
    out->cohort = (int)p.n;
    int min = s->cohort_min > 0 ? s->cohort_min : 1;
    int *vals = out->cohort >= min ? malloc(p.n * sizeof *vals) : NULL;
    if (!vals) {
        free(p.at);
        free(p.in);
        return false;
    }
    out->median[0] = out->lower[0] = intake;
    out->n = 1;
    for (int k = 1; k < FC_COHORT_POINTS; k++) {
        size_t m = kth_totals(&p, k, vals);
        if ((int)m < min)
            break;
        sort_totals(vals, m);
        out->median[k] = fc_percentile_tenths(vals, m, 50);
        out->lower[k] = fc_percentile_tenths(vals, m, 25);
        out->n = k + 1;
    }
    free(vals);
    free(p.at);
    free(p.in);
    if (out->n < 2) {
        out->n = 0;
        return false;
    }
    return true;
}

/* The value of rank r (0-based, ascending) of the memo's totals less the
 * totals in own (ascending, each among them): the least t with more than
 * r of them <= t. */
static int rank_value(const uint32_t *upto, const int *own, size_t nown, size_t r)
{
    int lo = 0, hi = TOTAL_MAX;
    while (lo < hi) {
        int t = lo + (hi - lo) / 2;
        size_t mine = 0;
        while (mine < nown && own[mine] <= t)
            mine++;
        if (upto[t] - mine > r)
            hi = t;
        else
            lo = t + 1;
    }
    return lo;
}

/* The memo's slot for the window [from, to) and point k, filled when no
 * slot holds it; NULL without memory. */
static const struct lower_memo *memo_for(struct fc_cohort_index *x, size_t from, size_t to,
                                         int k)
{
    if (!x->memo && !(x->memo = calloc(MEMO_SLOTS, sizeof *x->memo)))
        return NULL;
    uint32_t h = (((uint32_t)from * 31u + (uint32_t)to) * 32u + (uint32_t)k) * 2654435761u;
    struct lower_memo *mm = NULL;
    for (int p = 0; p < MEMO_PROBES; p++) {
        struct lower_memo *at = &x->memo[((h >> 22) + (uint32_t)p) % MEMO_SLOTS];
        if (at->k == k && at->from == from && at->to == to)
            return at;
        if (!mm || (at->k == 0 && mm->k != 0))
            mm = at;
    }
    memset(mm, 0, sizeof *mm);
    mm->from = from;
    mm->to = to;
    mm->k = (int8_t)k;
    const int16_t *col = x->col + (size_t)k * x->n;
    for (size_t i = from; i < to; i++)
        if (x->npoints[i] > k) {
            int v = col[i];
            if (v < 0 || v > TOTAL_MAX)
                mm->wild = true;
            else
                mm->upto[v]++;
            mm->m++;
        }
    for (int t = 1; t <= TOTAL_MAX; t++)
        mm->upto[t] += mm->upto[t - 1];
    return mm;
}

enum { OWN_MAX = 64 };           /* more series of one case: count without the memo */

/* The k-th totals of the case's own series in the window, ascending; false
 * when there are more than OWN_MAX. */
static bool own_totals(const struct fc_cohort_index *x, fc_id case_id, int k, size_t from,
                       size_t to, int *own, size_t *nown)
{
    size_t cf, ct;
    *nown = 0;
    index_case(x, case_id, &cf, &ct);
    for (size_t j = cf; j < ct; j++) {
        size_t e = x->by_case[j];
        if (e < from || e >= to || x->npoints[e] <= k)
            continue;
        if (*nown == OWN_MAX)
            return false;
        own[(*nown)++] = x->col[(size_t)k * x->n + e];
    }
    sort_totals(own, *nown);
    return true;
}

/* The k-th totals of the cohort counted by total, the case's own left out,
 * without the memo. */
static size_t count_totals(const struct fc_settings *s, const struct fc_cohort *c,
                           fc_id exclude_case, enum fc_scale scale, int band, int intake,
                           int k, uint32_t *count, bool *wild)
{
    size_t m = 0;
    if (c->index) {
        const struct fc_cohort_index *x = c->index;
        const int16_t *col = x->col + (size_t)k * x->n;
        size_t from, to;
        index_window(x, (int)scale, band, intake, s->cohort_window, &from, &to);
        for (size_t i = from; i < to; i++)
            if (x->npoints[i] > k && x->case_id[i] != exclude_case) {
                int v = col[i];
                if (v < 0 || v > TOTAL_MAX)
                    *wild = true;
                else
                    count[v]++;
                m++;
            }
        return m;
    }
    for (size_t i = 0; i < c->n; i++) {
        const struct fc_cohort_series *cs = &c->series[i];
        if (cs->n > k && in_cohort(s, cs, exclude_case, scale, band, intake)) {
            int v = cs->totals[k];
            if (v < 0 || v > TOTAL_MAX)
                *wild = true;
            else
                count[v]++;
            m++;
        }
    }
    return m;
}

/* A curve reaches point k when at least cohort_min series of the cohort
 * have a k-th total: fewer have one as k grows, so it then has every
 * point before k too. The lower boundary needs two ranks of those totals,
 * which a count of each total gives without sorting them. */
bool fc_expected_lower_at(const struct fc_settings *s, const struct fc_cohort *c,
                          fc_id exclude_case, enum fc_scale scale, int band, int intake,
                          int k, int *lower)
{
    if (!c || c->n == 0 || k < 1 || k >= FC_COHORT_POINTS)
        return false;
    int min = s->cohort_min > 0 ? s->cohort_min : 1;
    const uint32_t *upto = NULL;
    uint32_t own_upto[TOTAL_MAX + 1];
    int own[OWN_MAX];
    size_t m = 0, nown = 0;
    bool wild = false;
    struct fc_cohort_index *x = c->index;
    size_t from, to;
    if (x)
        index_window(x, (int)scale, band, intake, s->cohort_window, &from, &to);
    const struct lower_memo *mm =
        x && from < to ? memo_for(x, from, to, k) : NULL;
    if (mm && own_totals(x, exclude_case, k, from, to, own, &nown)) {
        upto = mm->upto;
        m = mm->m - nown;
        wild = mm->wild;
    } else {
        nown = 0;
        memset(own_upto, 0, sizeof own_upto);
        m = count_totals(s, c, exclude_case, scale, band, intake, k, own_upto, &wild);
        for (int t = 1; t <= TOTAL_MAX; t++)
            own_upto[t] += own_upto[t - 1];
        upto = own_upto;
    }
    if ((int)m < min)
        return false;
    if (wild) {                  /* a total outside 0..40.0: sort them all */
        struct fc_expected e;
        if (!fc_expected_curve(s, c, exclude_case, scale, band, intake, &e) || k >= e.n)
            return false;
        *lower = e.lower[k];
        return true;
    }
    size_t lo;
    double frac;
    percentile_rank(m, 25, &lo, &frac);
    int x_lo = rank_value(upto, own, nown, lo);
    int x_hi = frac == 0.0 ? x_lo : rank_value(upto, own, nown, lo + 1);
    *lower = round_tenths(interpolate(x_lo, x_hi, frac));
    return true;
}
