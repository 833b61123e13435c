/* The alerts of one case, read from the store (the rules are in
 * src/core/alert.c), and the cohort they and the chart measure against. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/cohort_load.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/report.h"
#include "fitcase/score.h"
#include "fitcase/store.h"
#include "fitcase/store_list.h"

_Static_assert((int)FC_SERIES_POINTS == (int)FC_COHORT_POINTS,
               "the store keeps as many points of a series as a cohort uses");

struct cohort_ctx {
    struct fc_txn *txn;
    const struct fc_settings *s;
    const struct fc_vec *births;
    struct fc_cohort *out;
    bool oom;
    fc_id case_id;          /* the last case seen, its birth, intake and band */
    fc_date birth, intake;
    int band;
};

static int on_series(const struct fc_series *se, void *ctx)
{
    struct cohort_ctx *cc = ctx;
    if (!fc_scale_is_outcome((enum fc_scale)se->scale))
        return 0;
    if (se->case_id != cc->case_id) {
        const struct fc_case_birth *cb =
            cc->births ? fc_case_birth_find(cc->births, se->case_id) : NULL;
        struct fc_pupil p;
        struct fc_err ignore = { 0 };
        cc->case_id = se->case_id;
        cc->intake = FC_DATE_NONE;
        if (se->birth != FC_DATE_NONE || !cc->births)
            cc->birth = se->birth;
        else if (cb && cb->pupil == se->pupil_id)
            cc->birth = cb->birth;
        else      /* a case the caller's list does not have yet */
            cc->birth = fc_pupil_get(cc->txn, se->pupil_id, &p, &ignore) == FC_OK
                            ? p.birth_date : FC_DATE_NONE;
    }
    if (cc->birth == FC_DATE_NONE)
        return 0;
    if (se->intake != cc->intake) {
        cc->intake = se->intake;
        cc->band = fc_age_band(cc->s, cc->birth, se->intake);
    }
    if (fc_cohort_add_totals(cc->out, se->case_id, (enum fc_scale)se->scale, cc->band,
                             se->totals, (size_t)se->npoints) != FC_OK) {
        cc->oom = true;
        return 1;
    }
    return 0;
}

int fc_cohort_load_series(struct fc_txn *txn, const struct fc_settings *s,
                          const struct fc_vec *births, struct fc_cohort *out,
                          struct fc_err *err)
{
    memset(out, 0, sizeof *out);
    struct cohort_ctx cc = { .txn = txn, .s = s, .births = births, .out = out };
    int rc = fc_outcome_series_each(txn, births == NULL, on_series, &cc);
    if (rc == 0) {
        /* Without the index (no memory for it) the curves scan: the same. */
        (void)fc_cohort_index(out);
        return FC_OK;
    }
    fc_cohort_free(out);
    err->code = cc.oom ? FC_EFULL : rc < 0 ? -rc : FC_ESTORE;
    snprintf(err->msg, sizeof err->msg, "%s",
             cc.oom ? _("out of memory") : _("cannot read the expected-change series"));
    return err->code;
}

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
