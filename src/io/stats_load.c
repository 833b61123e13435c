/* The leader's figures from the store: summarises each case in reach of
 * the acting login (ratings, series, meetings, alerts), hands them to
 * fc_stats_compute, names the rows, and writes them as text or CSV. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/chart.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/report.h"
#include "fitcase/score.h"
#include "fitcase/stats.h"
#include "fitcase/store.h"
#include "fitcase/text.h"

struct brief {
    struct fc_stats_case sc;
    fc_id pupil;
};

struct walk {
    struct fc_vec briefs;
    const struct fc_staff *me;
    fc_date as_of;
    bool oom;
};

static int on_case(const struct fc_case *c, void *ctx)
{
    struct walk *w = ctx;
    /* A caseworker's figures are their own cases. */
    if (w->me && w->me->role == FC_ROLE_CASEWORKER && c->coordinator != w->me->id)
        return 0;
    struct brief b = { .pupil = c->pupil_id };
    struct fc_stats_case *s = &b.sc;
    s->case_id = c->id;
    s->coordinator = c->coordinator;
    s->team_id = c->team_id;
    s->open = c->status == FC_CASE_OPEN;
    fc_date end = !s->open && c->closed_date != FC_DATE_NONE ? c->closed_date : w->as_of;
    s->days = c->concern_date != FC_DATE_NONE && end > c->concern_date ? end - c->concern_date : 0;
    for (int i = 0; i < c->ninterventions && i < FC_INTERVENTIONS_MAX; i++) {
        const char *k = c->interventions[i].kind;
        bool dup = !k[0];
        for (int j = 0; !dup && j < s->nkinds; j++)
            dup = strcmp(s->kinds[j], k) == 0;
        if (!dup)
            snprintf(s->kinds[s->nkinds++], FC_SHORT_MAX, "%s", k);
    }
    if (fc_vec_push(&w->briefs, &b, sizeof b) != FC_OK) {
        w->oom = true;
        return 1;
    }
    return 0;
}

static int count_meeting(const struct fc_meeting *m, void *ctx)
{
    (void)m;
    ++*(int *)ctx;
    return 0;
}

static bool is_family(int rater)
{
    return rater == FC_RATER_MOTHER || rater == FC_RATER_FATHER || rater == FC_RATER_GUARDIAN;
}

/* Ratings of one case: FIT use, family involvement and its ORS series. */
static int rate_case(struct fc_txn *txn, const struct fc_settings *s, struct brief *b,
                     fc_date birth, struct fc_vec *series, struct fc_err *err)
{
    struct fc_vec rv = { 0 };
    int rc = fc_load_ratings(txn, b->sc.case_id, &rv, err);
    struct fc_rating *r = rv.data;
    bool outcome = false, session = false;
    for (size_t i = 0; rc == FC_OK && i < rv.n; i++) {
        if (fc_scale_is_outcome(r[i].scale))
            outcome = true;
        else
            session = true;
        b->sc.family_scores |= is_family(r[i].rater);
    }
    b->sc.uses_fit = outcome && session;
    if (rc == FC_OK)
        fc_ratings_sort_series(r, rv.n);
    for (size_t i = 0; rc == FC_OK && i < rv.n;) {
        size_t j = i + 1;
        while (j < rv.n && fc_same_series(&r[i], &r[j]))
            j++;
        if (fc_scale_is_outcome(r[i].scale) && j - i >= 2) {
            struct fc_series_summary sum;
            fc_series_summarize(s, birth, &r[i], j - i, &sum);
            struct fc_stats_series ss = {
                .case_id = b->sc.case_id, .first = sum.first_total, .last = sum.last_total,
                .improved = sum.reliable == FC_CHANGE_IMPROVED,
                .deteriorated = sum.reliable == FC_CHANGE_DETERIORATED,
                .significant = sum.clinically_significant,
            };
            if (fc_vec_push(series, &ss, sizeof ss) != FC_OK)
                rc = fc_oom(err);
        }
        i = j;
    }
    fc_vec_free(&rv);
    return rc;
}

static int summarise(struct fc_txn *txn, const struct fc_settings *s,
                     const struct fc_cohort *cohort, fc_date as_of, struct brief *b,
                     struct fc_vec *series, struct fc_vec *risks, struct fc_err *err)
{
    struct fc_pupil p;
    struct fc_alert alerts[32];
    int nalerts = 0;
    int rc = fc_pupil_get(txn, b->pupil, &p, err);
    if (rc == FC_OK)
        rc = fc_meetings_of_case(txn, b->sc.case_id, count_meeting, &b->sc.meetings) ? FC_ESTORE
                                                                                     : FC_OK;
    if (rc == FC_OK)
        rc = rate_case(txn, s, b, p.birth_date, series, err);
    if (rc == FC_OK)
        rc = fc_case_alerts_load(txn, s, cohort, b->sc.case_id, as_of, alerts, 32, &nalerts,
                                 err);
    if (rc)
        return rc;
    b->sc.alerts = fc_alerts_mask(alerts, nalerts < 32 ? (size_t)nalerts : 32);
    b->sc.overdue = b->sc.alerts & (1u << FC_ALERT_PHASE_OVERDUE);
    if (b->sc.alerts) {
        struct fc_stats_risk k = { .case_id = b->sc.case_id, .coordinator = b->sc.coordinator,
                                   .alerts = b->sc.alerts };
        snprintf(k.pupil, sizeof k.pupil, "%s", p.name);
        if (fc_vec_push(risks, &k, sizeof k) != FC_OK)
            return fc_oom(err);
    }
    return FC_OK;
}

static void label_rows(struct fc_txn *txn, struct fc_stats *st)
{
    for (size_t i = 0; i < st->nrows; i++) {
        struct fc_stats_row *r = &st->rows[i];
        struct fc_team t;
        struct fc_staff s;
        if (r->by == FC_STATS_ALL)
            snprintf(r->label, sizeof r->label, "%s", _("all cases"));
        else if (r->by == FC_STATS_TEAM)
            snprintf(r->label, sizeof r->label, "%s",
                     r->id && fc_team_get(txn, r->id, &t, NULL) == FC_OK ? t.name : _("no team"));
        else if (r->by == FC_STATS_STAFF)
            snprintf(r->label, sizeof r->label, "%s",
                     r->id && fc_staff_get(txn, r->id, &s, NULL) == FC_OK ? s.login
                                                                        : _("no coordinator"));
    }
}

int fc_stats_load(struct fc_txn *txn, const struct fc_settings *s, fc_date as_of,
                  struct fc_stats *out, struct fc_err *err)
{
    struct walk w = { .me = fc_txn_actor(txn), .as_of = as_of };
    struct fc_vec series = { 0 }, risks = { 0 };
    struct fc_cohort cohort = { 0 };
    *out = (struct fc_stats){ 0 };
    int rc = fc_cohort_load(txn, s, &cohort, err);
    if (rc == FC_OK && fc_cases_each(txn, on_case, &w) != 0)
        rc = w.oom ? fc_oom(err) : FC_ESTORE;
    struct brief *b = w.briefs.data;
    for (size_t i = 0; rc == FC_OK && i < w.briefs.n; i++)
        rc = summarise(txn, s, &cohort, as_of, &b[i], &series, &risks, err);
    fc_cohort_free(&cohort);
    if (rc == FC_OK) {
        out->cases = malloc((w.briefs.n ? w.briefs.n : 1) * sizeof *out->cases);
        if (!out->cases)
            rc = fc_oom(err);
        for (size_t i = 0; rc == FC_OK && i < w.briefs.n; i++)
            out->cases[i] = b[i].sc;
        out->ncases = w.briefs.n;
    }
    out->series = series.data;
    out->nseries = series.n;
    out->risks = risks.data;
    out->nrisks = risks.n;
    fc_vec_free(&w.briefs);
    if (rc == FC_OK && fc_stats_compute(out->cases, out->ncases, out->series, out->nseries,
                                        &out->rows, &out->nrows) != FC_OK)
        rc = fc_oom(err);
    if (rc == FC_ESTORE && err && !err->msg[0])
        snprintf(err->msg, sizeof err->msg, "%s", _("the store cannot be read; run fitcase verify"));
    if (rc) {
        fc_stats_free(out);
        return rc;
    }
    label_rows(txn, out);
    return FC_OK;
}

void fc_stats_free(struct fc_stats *st)
{
    free(st->cases);
    free(st->series);
    free(st->rows);
    free(st->risks);
    *st = (struct fc_stats){ 0 };
}

/* ---- writing -------------------------------------------------------------- */

/* One decimal, '.' whatever the locale; "" for NAN (CSV) or "-" (text). */
static void num(char *buf, size_t cap, double v, const char *none)
{
    if (isnan(v)) {
        snprintf(buf, cap, "%s", none);
        return;
    }
    long t = lround(v * 10.0);
    snprintf(buf, cap, "%s%ld.%ld", t < 0 ? "-" : "", labs(t) / 10, labs(t) % 10);
}

static void num2(char *buf, size_t cap, double v, const char *none)
{
    if (isnan(v)) {
        snprintf(buf, cap, "%s", none);
        return;
    }
    long t = lround(v * 100.0);
    snprintf(buf, cap, "%s%ld.%02ld", t < 0 ? "-" : "", labs(t) / 100, labs(t) % 100);
}

static const char *by_code(int by)
{
    static const char *const codes[] = { "all", "team", "caseworker", "intervention" };
    return by >= 0 && by <= FC_STATS_KIND ? codes[by] : "?";
}

void fc_stats_write_csv(const struct fc_stats *st, FILE *out)
{
    static const char *const head[] = {
        "group", "id", "label", "cases", "open", "closed", "ors_series",
        "reliable_improvement_pct", "clinically_significant_pct", "deteriorated_pct",
        "mean_change", "effect_size", "meetings_per_case", "days_per_case", "overdue",
        "at_risk", "fit_pct", "family_pct",
    };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        fc_csv_field(out, i == 0, head[i]);
    fputc('\n', out);
    for (size_t i = 0; i < st->nrows; i++) {
        const struct fc_stats_row *r = &st->rows[i];
        char v[12][24];
        snprintf(v[0], sizeof v[0], "%u", (unsigned)r->id);
        num(v[1], sizeof v[1], fc_stats_pct(r->improved, r->series), "");
        num(v[2], sizeof v[2], fc_stats_pct(r->significant, r->series), "");
        num(v[3], sizeof v[3], fc_stats_pct(r->deteriorated, r->series), "");
        num(v[4], sizeof v[4], r->mean_change, "");
        num2(v[5], sizeof v[5], r->effect_size, "");
        num(v[6], sizeof v[6], r->meetings_per_case, "");
        num(v[7], sizeof v[7], r->days_per_case, "");
        num(v[8], sizeof v[8], fc_stats_pct(r->fit_cases, r->cases), "");
        num(v[9], sizeof v[9], fc_stats_pct(r->family_cases, r->cases), "");
        fprintf(out, "%s,%s,", by_code(r->by), v[0]);
        fc_csv_field(out, true, r->label);
        fprintf(out, ",%d,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s,%d,%d,%s,%s\n", r->cases, r->open,
                r->closed, r->series, v[1], v[2], v[3], v[4], v[5], v[6], v[7], r->overdue,
                r->at_risk, v[8], v[9]);
    }
}

static void pad_label(FILE *out, const char *s, int width)
{
    int n = (int)fc_utf8_len(s);
    fprintf(out, "%s%*s", s, n < width ? width - n : 1, "");
}

static void text_row(const struct fc_stats_row *r, FILE *out)
{
    char v[10][24];
    num(v[0], sizeof v[0], fc_stats_pct(r->improved, r->series), "-");
    num(v[1], sizeof v[1], fc_stats_pct(r->significant, r->series), "-");
    num(v[2], sizeof v[2], fc_stats_pct(r->deteriorated, r->series), "-");
    num(v[3], sizeof v[3], r->mean_change, "-");
    num2(v[4], sizeof v[4], r->effect_size, "-");
    num(v[5], sizeof v[5], r->meetings_per_case, "-");
    num(v[6], sizeof v[6], r->days_per_case, "-");
    num(v[7], sizeof v[7], fc_stats_pct(r->fit_cases, r->cases), "-");
    num(v[8], sizeof v[8], fc_stats_pct(r->family_cases, r->cases), "-");
    fputs("  ", out);
    pad_label(out, r->label, 28);
    fprintf(out, "%5d %4d %4d %5d %6s %6s %6s %6s %5s %5s %6s %4d %4d %6s %6s\n", r->cases,
            r->open, r->closed, r->series, v[0], v[1], v[2], v[3], v[4], v[5], v[6],
            r->overdue, r->at_risk, v[7], v[8]);
}

void fc_stats_write_text(const struct fc_stats *st, FILE *out)
{
    static const char *const titles[] = { N_("All"), N_("Per team"), N_("Per caseworker"),
                                          N_("Per intervention") };
    int last = -1;
    fprintf(out, "  %-28s%5s %4s %4s %5s %6s %6s %6s %6s %5s %5s %6s %4s %4s %6s %6s\n", "",
            "cases", "open", "clsd", "ORS", "rel+%", "clin%", "det%", "chg", "ES", "meet",
            "days", "late", "risk", "FIT%", "fam%");
    for (size_t i = 0; i < st->nrows; i++) {
        if (st->rows[i].by != last) {
            last = st->rows[i].by;
            fprintf(out, "%s\n", _(titles[last]));
        }
        text_row(&st->rows[i], out);
    }
    if (st->nrows) {
        const struct fc_stats_row *all = &st->rows[0];
        char fit[24], fam[24];
        num(fit, sizeof fit, fc_stats_pct(all->fit_cases, all->cases), "-");
        num(fam, sizeof fam, fc_stats_pct(all->family_cases, all->cases), "-");
        fprintf(out, _("\nFIT used (ORS and SRS) in %s%% of cases, target %d%%: %s\n"), fit,
                FC_STATS_TARGET_PCT,
                fc_stats_pct(all->fit_cases, all->cases) >= FC_STATS_TARGET_PCT ? _("met")
                                                                               : _("not met"));
        fprintf(out, _("Families scoring in %s%% of cases, target %d%%: %s\n"), fam,
                FC_STATS_TARGET_PCT,
                fc_stats_pct(all->family_cases, all->cases) >= FC_STATS_TARGET_PCT
                    ? _("met") : _("not met"));
    }
    fprintf(out, _("\nAt risk (%zu case(s) with alerts):\n"), st->nrisks);
    for (size_t i = 0; i < st->nrisks; i++) {
        const struct fc_stats_risk *k = &st->risks[i];
        fprintf(out, "  %5u  ", (unsigned)k->case_id);
        pad_label(out, k->pupil, 28);
        for (int a = 0, first = 1; a < FC_ALERT_KIND_COUNT; a++)
            if (k->alerts & (1u << a)) {
                fprintf(out, "%s%s", first ? "" : ", ", fc_alert_code(a));
                first = 0;
            }
        fputc('\n', out);
    }
}
