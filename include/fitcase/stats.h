/* The leader's view: outcome and FIT figures per caseworker, per team and
 * per intervention kind, and the at-risk list. Pure aggregation in
 * src/core/stats.c over plain summaries; src/io/stats_load.c fills those
 * from the store (only cases the acting login may see) for `fitcase stats`
 * and for a TUI tab. docs/store.md, "Statistics", defines every figure. */
#ifndef FITCASE_STATS_H
#define FITCASE_STATS_H

#include <stdio.h>

#include "fitcase/types.h"

/* The implementation targets of the FIT manual (domain.md): FIT used in
 * 90% of cases, families involved in scoring in 90%. */
#define FC_STATS_TARGET_PCT 90

/* One case as the figures see it. */
struct fc_stats_case {
    fc_id case_id, coordinator, team_id;
    bool open;
    int meetings;
    int days;                 /* concern to close, or to as_of while open */
    bool overdue;             /* open, its phase past the deadline */
    bool uses_fit;            /* at least one ORS/CORS and one SRS/CSRS */
    bool family_scores;       /* a mother, father or guardian gave a rating */
    unsigned alerts;          /* fc_alerts_mask */
    uint8_t nkinds;           /* distinct intervention kinds */
    char kinds[FC_INTERVENTIONS_MAX][FC_SHORT_MAX];
};

/* One ORS/CORS series (case, scale, rater) with at least two ratings. */
struct fc_stats_series {
    fc_id case_id;
    int first, last;          /* totals in tenths */
    bool improved;            /* reliable improvement */
    bool significant;         /* clinically significant change */
    bool deteriorated;        /* reliable deterioration */
};

enum fc_stats_by { FC_STATS_ALL, FC_STATS_TEAM, FC_STATS_STAFF, FC_STATS_KIND };

struct fc_stats_row {
    uint8_t by;               /* enum fc_stats_by */
    fc_id id;                 /* team or staff id; 0 for all and kinds */
    char label[FC_NAME_MAX];  /* kind name; team or staff name (the loader's) */
    int cases, open, closed;
    int series, improved, significant, deteriorated;
    double mean_change;       /* points (not tenths); NAN without series */
    double effect_size;       /* mean change / SD of intake; NAN if n < 2 or SD 0 */
    double meetings_per_case, days_per_case;   /* NAN without cases */
    int overdue, at_risk;
    int fit_cases, family_cases;
};

/* Share in percent (count of n), NAN when n is 0. */
double fc_stats_pct(int count, int n);

/* The rows: all first, then teams, caseworkers (coordinators) and kinds,
 * each in id (kinds: name) order. Returns FC_OK or FC_EFULL (memory). */
int fc_stats_compute(const struct fc_stats_case *cases, size_t ncases,
                     const struct fc_stats_series *series, size_t nseries,
                     struct fc_stats_row **rows, size_t *nrows);

/* ---- from the store (src/io/stats_load.c) ------------------------------ */

struct fc_txn;
struct fc_settings;

struct fc_stats_risk {
    fc_id case_id, coordinator;
    char pupil[FC_NAME_MAX];
    unsigned alerts;          /* fc_alerts_mask */
};

struct fc_stats {
    struct fc_stats_case *cases;
    size_t ncases;
    struct fc_stats_series *series;
    size_t nseries;
    struct fc_stats_row *rows;
    size_t nrows;
    struct fc_stats_risk *risks;   /* cases with an alert, in case order */
    size_t nrisks;
};

/* Figures over the cases in reach of the acting login in txn: a
 * caseworker's own cases (those they coordinate), a lead's or admin's
 * team. Row labels are team and staff names. */
int fc_stats_load(struct fc_txn *txn, const struct fc_settings *s, fc_date as_of,
                  struct fc_stats *out, struct fc_err *err);
void fc_stats_free(struct fc_stats *st);
/* As text for a terminal, or as CSV (one row per fc_stats_row). */
void fc_stats_write_text(const struct fc_stats *st, FILE *out);
void fc_stats_write_csv(const struct fc_stats *st, FILE *out);

#endif
