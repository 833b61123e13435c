/* The alerts of one case, read from the store (the rules are in
 * src/core/alert.c). */
#include <config.h>

#include "fitcase/alert.h"
#include "fitcase/phase.h"
#include "fitcase/report.h"
#include "fitcase/store.h"

int fc_case_alerts_load(struct fc_txn *txn, const struct fc_settings *s,
                        const struct fc_cohort *cohort, fc_id case_id, fc_date today,
                        struct fc_alert *out, size_t cap, int *count, struct fc_err *err)
{
    struct fc_case c;
    struct fc_pupil p;
    *count = 0;
    if (fc_case_get(txn, case_id, &c, err) != FC_OK || fc_pupil_get(txn, c.pupil_id, &p, err) != FC_OK)
        return err->code;
    /* A team's own model is in the store; the shipped ones may not be. */
    struct fc_phase_model model;
    const struct fc_phase_model *m = NULL;
    struct fc_err ignore = { 0 };
    if (fc_model_get(txn, c.model_id, &model, &ignore) == FC_OK)
        m = &model;
    else
        m = fc_builtin_model_find(c.model_id);
    struct fc_vec ratings = { 0 };
    int rc = fc_load_ratings(txn, case_id, &ratings, err);
    if (rc == FC_OK) {
        struct fc_alert_input in = {
            .settings = s, .c = &c, .model = m, .birth = p.birth_date,
            .ratings = ratings.data, .nratings = ratings.n, .cohort = cohort, .today = today,
        };
        *count = fc_alerts_eval(&in, out, cap);
        if (*count < 0)
            rc = fc_oom(err);
    }
    fc_vec_free(&ratings);
    return rc;
}
