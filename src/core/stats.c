/* The leader's figures: cases, series and shares grouped by team,
 * caseworker and intervention kind. Pure: plain summaries in, rows out. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/stats.h"

double fc_stats_pct(int count, int n)
{
    return n > 0 ? 100.0 * count / n : NAN;
}

struct acc {
    struct fc_stats_row row;
    double sum_change, sum_intake, sum_intake2;
    long meetings, days;
};

struct rows {
    struct acc *a;
    size_t n, cap;
};

/* The row of a group, made when new: its index in r, or -1 when memory runs
 * out. An index, not a pointer: making the next row may move them all. */
static long row_for(struct rows *r, uint8_t by, fc_id id, const char *label)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->a[i].row.by == by && r->a[i].row.id == id &&
            (!label || strcmp(r->a[i].row.label, label) == 0))
            return (long)i;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        struct acc *a = realloc(r->a, cap * sizeof *a);
        if (!a)
            return -1;
        r->a = a;
        r->cap = cap;
    }
    struct acc *a = &r->a[r->n];
    *a = (struct acc){ .row = { .by = by, .id = id } };
    if (label)
        snprintf(a->row.label, sizeof a->row.label, "%s", label);
    return (long)r->n++;
}

static void add_case(struct acc *a, const struct fc_stats_case *c)
{
    a->row.cases++;
    a->row.open += c->open;
    a->row.closed += !c->open;
    a->meetings += c->meetings;
    a->days += c->days;
    a->row.overdue += c->overdue;
    a->row.at_risk += c->alerts != 0;
    a->row.fit_cases += c->uses_fit;
    a->row.family_cases += c->family_scores;
}

static void add_series(struct acc *a, const struct fc_stats_series *s)
{
    a->row.series++;
    a->row.improved += s->improved;
    a->row.significant += s->significant;
    a->row.deteriorated += s->deteriorated;
    a->sum_change += s->last - s->first;
    a->sum_intake += s->first;
    a->sum_intake2 += (double)s->first * s->first;
}

/* The rows of the groups a case belongs to; returns how many were filled. */
static size_t groups(struct rows *r, const struct fc_stats_case *c, long *out)
{
    size_t n = 0;
    out[n++] = row_for(r, FC_STATS_ALL, 0, NULL);
    out[n++] = row_for(r, FC_STATS_TEAM, c->team_id, NULL);
    out[n++] = row_for(r, FC_STATS_STAFF, c->coordinator, NULL);
    for (size_t k = 0; k < c->nkinds && k < FC_INTERVENTIONS_MAX; k++)
        out[n++] = row_for(r, FC_STATS_KIND, 0, c->kinds[k]);
    return n;
}

static void finish(struct acc *a)
{
    struct fc_stats_row *w = &a->row;
    int n = w->series;
    w->mean_change = n ? a->sum_change / n / 10.0 : NAN;
    w->effect_size = NAN;
    if (n >= 2) {
        double mean = a->sum_intake / n;
        double var = (a->sum_intake2 - n * mean * mean) / (n - 1);
        if (var > 1e-9)
            w->effect_size = (a->sum_change / n) / sqrt(var);
    }
    w->meetings_per_case = w->cases ? (double)a->meetings / w->cases : NAN;
    w->days_per_case = w->cases ? (double)a->days / w->cases : NAN;
}

static int cmp_row(const void *pa, const void *pb)
{
    const struct fc_stats_row *a = pa, *b = pb;
    if (a->by != b->by)
        return a->by < b->by ? -1 : 1;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return strcmp(a->label, b->label);
}

static const struct fc_stats_case *find_case(const struct fc_stats_case *cases, size_t n,
                                             fc_id id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cases[mid].case_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && cases[lo].case_id == id ? &cases[lo] : NULL;
}

/* cases must be in case id order (as the store walks them). */
int fc_stats_compute(const struct fc_stats_case *cases, size_t ncases,
                     const struct fc_stats_series *series, size_t nseries,
                     struct fc_stats_row **rows, size_t *nrows)
{
    struct rows r = { 0 };
    long g[3 + FC_INTERVENTIONS_MAX];
    *rows = NULL;
    *nrows = 0;
    if (row_for(&r, FC_STATS_ALL, 0, NULL) < 0)
        return FC_EFULL;
    for (size_t i = 0; i < ncases; i++) {
        size_t n = groups(&r, &cases[i], g);
        for (size_t k = 0; k < n; k++) {
            if (g[k] < 0)
                goto oom;
            add_case(&r.a[g[k]], &cases[i]);
        }
    }
    for (size_t i = 0; i < nseries; i++) {
        const struct fc_stats_case *c = find_case(cases, ncases, series[i].case_id);
        if (!c)
            continue;
        size_t n = groups(&r, c, g);
        for (size_t k = 0; k < n; k++) {
            if (g[k] < 0)
                goto oom;
            add_series(&r.a[g[k]], &series[i]);
        }
    }
    struct fc_stats_row *out = malloc(r.n * sizeof *out);
    if (!out)
        goto oom;
    for (size_t i = 0; i < r.n; i++) {
        finish(&r.a[i]);
        out[i] = r.a[i].row;
    }
    if (r.n > 1)
        qsort(out, r.n, sizeof *out, cmp_row);
    *rows = out;
    *nrows = r.n;
    free(r.a);
    return FC_OK;
oom:
    free(r.a);
    return FC_EFULL;
}
