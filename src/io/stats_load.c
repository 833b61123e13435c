/* The leader's figures from the store: summarises each case in reach of
 * the acting login (ratings, series, meetings, alerts), hands them to
 * fc_stats_compute, names the rows, and writes them as text or CSV. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/cohort_load.h"
#include "fitcase/chart.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/report.h"
#include "fitcase/score.h"
#include "fitcase/stats.h"
#include "fitcase/store.h"
#include "fitcase/store_list.h"
#include "fitcase/text.h"

/* A case in the figures, from its list head: the pupil's fields come with
 * it (the case_team entry carries them), so no pupil is read. */
struct brief {
    struct fc_stats_case sc;
    fc_id pupil;
    bool have_pupil;
    fc_date birth;
    char pupil_name[FC_NAME_MAX];
};

struct walk {
    struct fc_vec briefs;
    struct fc_vec births;     /* struct fc_case_birth of every case in reach */
    const struct fc_staff *me;
    bool oom;
};

static int on_head(const struct fc_case_head *h, void *ctx)
{
    struct walk *w = ctx;
    struct fc_case_birth cb = { h->id, h->pupil_id, h->have_pupil ? h->birth_date : FC_DATE_NONE };
    if (h->pupil_id && fc_vec_push(&w->births, &cb, sizeof cb) != FC_OK) {
        w->oom = true;
        return 1;
    }
    /* A caseworker's figures are their own cases. */
    if (w->me && w->me->role == FC_ROLE_CASEWORKER && h->coordinator != w->me->id)
        return 0;
    struct brief b = { .sc = { .case_id = h->id }, .pupil = h->pupil_id,
                       .have_pupil = h->have_pupil, .birth = h->birth_date };
    memcpy(b.pupil_name, h->pupil_name, sizeof b.pupil_name);
    if (fc_vec_push(&w->briefs, &b, sizeof b) != FC_OK) {
        w->oom = true;
        return 1;
    }
    return 0;
}

/* The case's own fields: team, coordinator, days and intervention kinds. */
static void case_fields(const struct fc_case *c, fc_date as_of, struct fc_stats_case *s)
{
    s->coordinator = c->coordinator;
    s->team_id = c->team_id;
    s->open = c->status == FC_CASE_OPEN;
    fc_date end = !s->open && c->closed_date != FC_DATE_NONE ? c->closed_date : as_of;
    s->days = c->concern_date != FC_DATE_NONE && end > c->concern_date ? end - c->concern_date : 0;
    for (int i = 0; i < c->ninterventions && i < FC_INTERVENTIONS_MAX; i++) {
        const char *k = c->interventions[i].kind;
        bool dup = !k[0];
        for (int j = 0; !dup && j < s->nkinds; j++)
            dup = strcmp(s->kinds[j], k) == 0;
        if (!dup)
            snprintf(s->kinds[s->nkinds++], FC_SHORT_MAX, "%s", k);
    }
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

/* Ratings of one case, sorted into series here: FIT use, family
 * involvement and its ORS series. */
static int rate_case(const struct fc_settings *s, struct brief *b, struct fc_rating *r,
                     size_t n, struct fc_vec *series, struct fc_err *err)
{
    bool outcome = false, session = false;
    for (size_t i = 0; i < n; i++) {
        if (fc_scale_is_outcome(r[i].scale))
            outcome = true;
        else
            session = true;
        b->sc.family_scores |= is_family(r[i].rater);
    }
    b->sc.uses_fit = outcome && session;
    fc_ratings_sort_series(r, n);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && fc_same_series(&r[i], &r[j]))
            j++;
        if (fc_scale_is_outcome(r[i].scale) && j - i >= 2) {
            struct fc_series_summary sum;
            fc_series_summarize(s, b->birth, &r[i], j - i, &sum);
            struct fc_stats_series ss = {
                .case_id = b->sc.case_id, .first = sum.first_total, .last = sum.last_total,
                .improved = sum.reliable == FC_CHANGE_IMPROVED,
                .deteriorated = sum.reliable == FC_CHANGE_DETERIORATED,
                .significant = sum.clinically_significant,
            };
            if (fc_vec_push(series, &ss, sizeof ss) != FC_OK)
                return fc_oom(err);
        }
        i = j;
    }
    return FC_OK;
}

/* The phase models the cases name, each read once: a team's own model is
 * in the store, the shipped ones may not be. */
enum { MODELS_KEPT = 8 };

struct models {
    struct fc_phase_model m[MODELS_KEPT];
    const struct fc_phase_model *use[MODELS_KEPT];
    int n;
    struct fc_phase_model spare;      /* when more models than kept are in use */
};

static const struct fc_phase_model *model_of(struct fc_txn *txn, struct models *ms,
                                             const char *id)
{
    for (int i = 0; i < ms->n; i++)
        if (strcmp(ms->m[i].id, id) == 0)
            return ms->use[i];
    struct fc_phase_model *m = ms->n < MODELS_KEPT ? &ms->m[ms->n] : &ms->spare;
    struct fc_err ignore = { 0 };
    const struct fc_phase_model *use =
        fc_model_get(txn, id, m, &ignore) == FC_OK ? m : fc_builtin_model_find(id);
    if (ms->n < MODELS_KEPT) {
        snprintf(m->id, sizeof m->id, "%s", id);
        ms->use[ms->n++] = use;
    }
    return use;
}

/* One case: read it, count its meetings, read its ratings once for the
 * figures and the alerts. c and ratings are the caller's, reused. */
static int summarise(struct fc_txn *txn, const struct fc_settings *s,
                     const struct fc_cohort *cohort, fc_date as_of, struct models *ms,
                     struct brief *b, struct fc_case *c, struct fc_vec *ratings,
                     struct fc_vec *series, struct fc_vec *risks, struct fc_err *err)
{
    struct fc_alert alerts[32];
    if (!b->have_pupil) {
        /* The pupil's error, as reading them says it; or their fields. */
        struct fc_pupil p;
        int rc = fc_pupil_get(txn, b->pupil, &p, err);
        if (rc != FC_OK)
            return rc;
        b->birth = p.birth_date;
        memcpy(b->pupil_name, p.name, sizeof b->pupil_name);
    }
    int rc = fc_case_get(txn, b->sc.case_id, c, err);
    if (rc != FC_OK)
        return rc;
    case_fields(c, as_of, &b->sc);
    if (fc_meetings_of_case(txn, b->sc.case_id, count_meeting, &b->sc.meetings))
        return FC_ESTORE;
    ratings->n = 0;
    rc = fc_load_ratings(txn, b->sc.case_id, ratings, err);
    if (rc == FC_OK)
        rc = rate_case(s, b, ratings->data, ratings->n, series, err);
    if (rc != FC_OK)
        return rc;
    struct fc_alert_input in = {
        .settings = s, .c = c, .model = model_of(txn, ms, c->model_id), .birth = b->birth,
        .ratings = ratings->data, .nratings = ratings->n, .sorted = true, .cohort = cohort,
        .today = as_of,
    };
    int nalerts = fc_alerts_eval(&in, alerts, 32);
    if (nalerts < 0)
        return fc_oom(err);
    b->sc.alerts = fc_alerts_mask(alerts, nalerts < 32 ? (size_t)nalerts : 32);
    b->sc.overdue = b->sc.alerts & (1u << FC_ALERT_PHASE_OVERDUE);
    if (b->sc.alerts) {
        struct fc_stats_risk k = { .case_id = b->sc.case_id, .coordinator = b->sc.coordinator,
                                   .alerts = b->sc.alerts };
        snprintf(k.pupil, sizeof k.pupil, "%s", b->pupil_name);
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
    struct walk w = { .me = fc_txn_actor(txn) };
    struct fc_vec series = { 0 }, risks = { 0 }, ratings = { 0 };
    struct fc_cohort cohort = { 0 };
    struct models *ms = calloc(1, sizeof *ms);
    struct fc_case *c = malloc(sizeof *c);
    *out = (struct fc_stats){ 0 };
    int rc = ms && c ? FC_OK : fc_oom(err);
    /* The cases in reach through the indexes that name them, with their
     * pupils' birth dates for the cohort: it then reads no pupil either. */
    if (rc == FC_OK && fc_case_heads_each(txn, on_head, &w) != 0)
        rc = w.oom ? fc_oom(err) : FC_ESTORE;
    if (rc == FC_OK)
        rc = fc_cohort_load_series(txn, s, w.births.n ? &w.births : NULL, &cohort, err);
    fc_vec_free(&w.births);
    struct brief *b = w.briefs.data;
    for (size_t i = 0; rc == FC_OK && i < w.briefs.n; i++)
        rc = summarise(txn, s, &cohort, as_of, ms, &b[i], c, &ratings, &series, &risks, err);
    fc_cohort_free(&cohort);
    fc_vec_free(&ratings);
    free(ms);
    free(c);
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
    /* The column heads, right-aligned over the figures: short words,
     * padded by characters (not bytes), so a translation keeps the table. */
    const struct { const char *head; int width; } cols[] = {
        { P_("stats column", "cases"), 5 }, { P_("stats column", "open"), 4 },
        { P_("stats column", "clsd"), 4 },  { P_("stats column", "ORS"), 5 },
        { P_("stats column", "rel+%"), 6 }, { P_("stats column", "clin%"), 6 },
        { P_("stats column", "det%"), 6 },  { P_("stats column", "chg"), 6 },
        { P_("stats column", "ES"), 5 },    { P_("stats column", "meet"), 5 },
        { P_("stats column", "days"), 6 },  { P_("stats column", "late"), 4 },
        { P_("stats column", "risk"), 4 },  { P_("stats column", "FIT%"), 6 },
        { P_("stats column", "fam%"), 6 },
    };
    fprintf(out, "  %-28s", "");
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        const char *h = cols[c].head;
        int chars = 0;
        for (const char *p = h; *p; p++)
            chars += ((unsigned char)*p & 0xC0) != 0x80;
        fprintf(out, "%s%*s%s", c ? " " : "", cols[c].width > chars ? cols[c].width - chars : 0,
                "", h);
    }
    fputc('\n', out);
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
