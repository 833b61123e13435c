/* Alerts on a case: who is below the cut-off, off track, deteriorating, or
 * not heard from; SRS feedback that needs a look; a phase past its deadline. */
#ifndef FITCASE_ALERT_H
#define FITCASE_ALERT_H

#include "fitcase/cohort.h"
#include "fitcase/settings.h"
#include "fitcase/types.h"

/* Each rule and its boundary (all numbers from struct fc_settings):
 *  ORS_BELOW_CUTOFF   a rater's latest ORS/CORS total < the cut-off for the
 *                     child's age on that date (equal to the cut-off is not below)
 *  OFF_TRACK          a rater's latest outcome total < the expected curve's
 *                     lower boundary at that meeting number (needs a curve)
 *  DETERIORATION      first - latest >= reliable_change (a reliable fall)
 *  SRS_BELOW_CUTOFF   a rater's latest SRS/CSRS total < srs_cutoff
 *  SRS_DROP           previous - latest SRS of the same rater >= srs_drop
 *  SRS_ALWAYS_MAX     the rater's last srs_max_streak SRS totals are all 40.0
 *  NO_ORS             open case, today - date of the latest outcome rating
 *                     (or of the concern, if none) >= no_ors_days
 *  PHASE_OVERDUE      open case, today past the current phase's deadline */
enum fc_alert_kind {
    FC_ALERT_ORS_BELOW_CUTOFF, FC_ALERT_OFF_TRACK, FC_ALERT_DETERIORATION,
    FC_ALERT_SRS_BELOW_CUTOFF, FC_ALERT_SRS_DROP, FC_ALERT_SRS_ALWAYS_MAX,
    FC_ALERT_NO_ORS, FC_ALERT_PHASE_OVERDUE, FC_ALERT_KIND_COUNT
};

const char *fc_alert_code(enum fc_alert_kind k);     /* "ors-below-cutoff", ... */

struct fc_alert {
    uint8_t kind;                /* enum fc_alert_kind */
    uint8_t scale;               /* for rating rules */
    uint8_t rater;
    char rater_name[FC_NAME_MAX];
    int value;                   /* the total, change or days the rule saw */
    int limit;                   /* what it was compared with */
    fc_date date;                /* the rating the rule looked at */
};

struct fc_alert_input {
    const struct fc_settings *settings;
    const struct fc_case *c;
    const struct fc_phase_model *model;   /* may be NULL: no phase rule */
    fc_date birth;                        /* the pupil's */
    const struct fc_rating *ratings;      /* of this case, any order */
    size_t nratings;
    bool sorted;                          /* true: in fc_ratings_sort_series order
                                             already (not copied to be sorted) */
    const struct fc_cohort *cohort;       /* may be NULL: no off-track rule */
    fc_date today;
};

/* Fills up to cap alerts, in rule order then series order; returns how many
 * were found (may exceed cap), or -1 when out of memory. */
int fc_alerts_eval(const struct fc_alert_input *in, struct fc_alert *out, size_t cap);
/* Bit (1u << kind) for each kind that fired. */
unsigned fc_alerts_mask(const struct fc_alert *a, size_t n);
/* One line for a person: "mother: latest ORS 21.5 is below the cut-off 32.0". */
void fc_alert_describe(const struct fc_alert *a, char *buf, size_t cap);

/* Store access (src/io/alert_load.c): the alerts of one case, reading the
 * case, its pupil, model and ratings in txn. cohort may be NULL. */
struct fc_txn;
int fc_case_alerts_load(struct fc_txn *txn, const struct fc_settings *s,
                        const struct fc_cohort *cohort, fc_id case_id, fc_date today,
                        struct fc_alert *out, size_t cap, int *count, struct fc_err *err);

#endif
