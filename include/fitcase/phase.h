/* Phase models as data, the three shipped models, and deadlines computed
 * from a case's concern date. Overdue is computed, never stored. */
#ifndef FITCASE_PHASE_H
#define FITCASE_PHASE_H

#include "fitcase/types.h"

/* The shipped models: "fit" (seed 000), "roskilde" (seed 002), "national"
 * (seed 003). Deadlines no source fixes are defaults, see docs/phases.md. */
size_t fc_builtin_model_count(void);
const struct fc_phase_model *fc_builtin_model(size_t i);
const struct fc_phase_model *fc_builtin_model_find(const char *id);

/* Checks names, count and that deadlines do not decrease. */
int fc_phase_model_validate(const struct fc_phase_model *m, struct fc_err *err);

/* Deadline of phase p for a case whose concern is on `concern`;
 * false when the phase has none. */
bool fc_phase_deadline(const struct fc_phase_model *m, int p, fc_date concern,
                       fc_date *deadline);
/* Days left to the current phase's deadline (negative = overdue);
 * false when there is no deadline or the case is closed. */
bool fc_case_days_left(const struct fc_phase_model *m, const struct fc_case *c,
                       fc_date today, int *days_left);

#endif
