/* Text reports of a case for the case record (journalisering) or a request
 * for access (aktindsigt), and the outcomes and absence-status exports.
 * Everything reads in one read transaction the caller holds. */
#ifndef FITCASE_REPORT_H
#define FITCASE_REPORT_H

#include <stdio.h>

#include "fitcase/absence.h"
#include "fitcase/cohort.h"
#include "fitcase/store.h"

struct fc_report_opts {
    const char *person;          /* NULL, or only what this person rated */
    fc_date today;               /* for alerts and the report's date */
    int chart_width, chart_height;   /* 0 = 78 x 32 */
    bool utf8;                   /* the chart's finer mode */
};

int fc_report_write(struct fc_txn *txn, const struct fc_settings *s,
                    const struct fc_cohort *cohort, fc_id case_id,
                    const struct fc_report_opts *o, FILE *out, struct fc_err *err);

/* One row per series (case, scale, rater) with ratings up to as_of
 * (FC_DATE_NONE = all): case_id, pupil_id, scale, rater, ratings,
 * first_date, first_total, last_date, last_total, change, cutoff,
 * first_below_cutoff, last_below_cutoff, reliable_change,
 * clinically_significant. See docs/charts.md. */
int fc_export_outcomes(struct fc_txn *txn, const struct fc_settings *s, fc_date as_of,
                       FILE *out, struct fc_err *err);
/* One row per pupil with absence in the last 60 school days or the quarter
 * up to as_of: pupil_id, consecutive_max,
 * absent_last_20, absent_last_60, quarter_days, quarter_tier, fit_eligible. */
int fc_export_absence_status(struct fc_txn *txn, const struct fc_settings *s, fc_date as_of,
                             FILE *out, struct fc_err *err);

/* ---- shared by the chart, alert, report and export files ---------------- */

struct fc_vec {
    void *data;
    size_t n, cap;
};
int fc_vec_push(struct fc_vec *v, const void *item, size_t size);
void fc_vec_free(struct fc_vec *v);
int fc_oom(struct fc_err *err);

/* Ratings of a case (case_id 0: of every case) appended to out. */
int fc_load_ratings(struct fc_txn *txn, fc_id case_id, struct fc_vec *out,
                    struct fc_err *err);

/* Every case with its pupil's birth date, in case id order. */
struct fc_case_birth {
    fc_id case_id, pupil;
    fc_date birth;
};
int fc_load_case_births(struct fc_txn *txn, struct fc_vec *out, struct fc_err *err);
const struct fc_case_birth *fc_case_birth_find(const struct fc_vec *v, fc_id case_id);

/* The school calendar; cal points into holidays, which the caller frees. */
int fc_load_calendar(struct fc_txn *txn, struct fc_vec *holidays, struct fc_calendar *cal,
                     struct fc_err *err);

/* A CSV field, quoted by libcsv's csv_fwrite where a reader needs it. */
void fc_csv_field(FILE *f, bool first, const char *s);

#endif
