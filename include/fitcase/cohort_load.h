/* The expected-change cohort read from the store (src/io/alert_load.c):
 * every outcome series the actor may see, from the store's series table
 * (include/fitcase/store_list.h), so a case opens without reading the
 * ratings of every other case. */
#ifndef FITCASE_COHORT_LOAD_H
#define FITCASE_COHORT_LOAD_H

#include "fitcase/cohort.h"
#include "fitcase/store.h"

struct fc_vec;

/* Fills out (zeroed first) with the outcome series of every case in reach
 * whose pupil's birth date is known, each in the age band of its intake.
 * The same cohort as reading all ratings and grouping them into series.
 * births: NULL, or struct fc_case_birth in case id order (report.h) that
 * the caller has read already (the TUI's list); cases not in it are
 * looked up. On failure out is empty and err says why. */
int fc_cohort_load_series(struct fc_txn *txn, const struct fc_settings *s,
                          const struct fc_vec *births, struct fc_cohort *out,
                          struct fc_err *err);

#endif
