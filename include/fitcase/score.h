/* ORS/SRS scores: item parsing and validation, totals, cut-offs by age,
 * reliable and clinically significant change, series summaries. */
#ifndef FITCASE_SCORE_H
#define FITCASE_SCORE_H

#include "fitcase/settings.h"
#include "fitcase/types.h"

/* Names: short English codes for CSV ("ORS", "mother") and lookup that also
 * takes Danish aliases ("mor", "lærer", "barn"), case-insensitively. */
const char *fc_scale_code(enum fc_scale s);           /* "ORS" */
int fc_scale_lookup(const char *s);                   /* -1 if unknown */
bool fc_scale_is_outcome(enum fc_scale s);            /* ORS or CORS */
const char *fc_rater_code(enum fc_rater r);           /* "mother" */
int fc_rater_lookup(const char *s);                   /* -1 if unknown */

/* Parses one item: "7.5", "7,5", "7", "10". With allow_mm an integer
 * from 11 to 100 is read as millimetres (75 -> 7.5). Result in tenths.
 * Errors say what and why: "10.1 is out of range; items run 0.0-10.0". */
int fc_item_parse(const char *s, bool allow_mm, int *tenths, struct fc_err *err);
/* Parses a total 0.0-40.0 the same way (no millimetres). */
int fc_total_parse(const char *s, int *tenths, struct fc_err *err);

/* Formats tenths as "7.5" (dot) or "7,5" (comma); buf of 8 bytes.
 * Negative (FC_ITEM_NONE) writes "". */
void fc_tenths_format(int tenths, char decimal, char buf[static 8]);

/* Validates a rating's items/total and sets total from the items when all
 * four are given; checks that a given total agrees with given items. */
int fc_rating_normalize(struct fc_rating *r, struct fc_err *err);

/* ORS cut-off (tenths) for a child born `birth` rated on `at`; SRS/CSRS
 * give srs_cutoff. Birth FC_DATE_NONE: CORS gives the child cut-off, ORS
 * the youth one. */
int fc_cutoff(const struct fc_settings *s, enum fc_scale scale,
              fc_date birth, fc_date at);
static inline bool fc_below_cutoff(int total, int cutoff) { return total < cutoff; }

enum fc_change { FC_CHANGE_NONE, FC_CHANGE_IMPROVED, FC_CHANGE_DETERIORATED };
const char *fc_change_code(enum fc_change c);         /* "none", "improved", ... */
enum fc_change fc_reliable_change(const struct fc_settings *s, int first, int last);
/* Reliable improvement and first < cutoff_first and last >= cutoff_last. */
bool fc_clinically_significant(const struct fc_settings *s, int first, int last,
                               int cutoff_first, int cutoff_last);

/* A series: one rater's ratings on one scale in one case, in date order.
 * Summarises n ratings (already filtered and sorted). reliable and
 * clinically_significant are judged on ORS/CORS only (none for SRS). */
struct fc_series_summary {
    int n;
    fc_date first_date, last_date;
    int first_total, last_total;
    int change;                   /* last - first, tenths */
    int cutoff_first, cutoff_last;
    enum fc_change reliable;
    bool clinically_significant;
};
void fc_series_summarize(const struct fc_settings *s, fc_date birth,
                         const struct fc_rating *r, size_t n,
                         struct fc_series_summary *out);

/* Sorts ratings by (case, scale, rater, rater_name, date) so series are runs. */
void fc_ratings_sort_series(struct fc_rating *r, size_t n);
bool fc_same_series(const struct fc_rating *a, const struct fc_rating *b);

#endif
