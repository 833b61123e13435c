/* The case report: everything a caseworker files in the case record, or
 * hands out on a request for access, as plain text. With a person, only
 * what that person rated (their scores, chart and change) and the meetings
 * they rated at, without notes that may be about others. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/chart.h"
#include "fitcase/csv.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/report.h"
#include "fitcase/score.h"

struct report {
    struct fc_txn *txn;
    const struct fc_settings *s;
    const struct fc_cohort *cohort;
    const struct fc_report_opts *o;
    FILE *out;
    struct fc_case c;
    struct fc_pupil p;
    struct fc_phase_model model;
    bool have_model;
    struct fc_rating *r;         /* the ratings shown, series order */
    size_t nr;
};

static const char *dk(fc_date d, char buf[static 11])
{
    if (d == FC_DATE_NONE)
        snprintf(buf, 11, "-");
    else
        fc_date_format_dk(d, buf);
    return buf;
}

static void heading(FILE *f, const char *title)
{
    fprintf(f, "\n%s\n", title);
    for (size_t i = 0, n = strlen(title); i < n; i++)
        if (((unsigned char)title[i] & 0xC0) != 0x80)
            fputc('-', f);
    fputc('\n', f);
}

static void staff_name(struct report *rp, fc_id id, char *buf, size_t cap)
{
    struct fc_staff st;
    struct fc_err err = { 0 };
    if (id && fc_staff_get(rp->txn, id, &st, &err) == FC_OK)
        snprintf(buf, cap, "%s", st.name);
    else
        snprintf(buf, cap, "-");
}

static const char *phase_name(const struct report *rp, int i)
{
    return rp->have_model && i >= 0 && i < rp->model.nphases ? rp->model.phases[i].name : "?";
}

static void write_pupil(struct report *rp)
{
    FILE *f = rp->out;
    char d1[11], d2[11], school[FC_NAME_MAX] = "-";
    struct fc_school sc;
    struct fc_err err = { 0 };
    if (fc_school_get(rp->txn, rp->p.school_id, &sc, &err) == FC_OK)
        snprintf(school, sizeof school, "%s", sc.name);
    fprintf(f, _("Case report, case %u, printed %s\n"), (unsigned)rp->c.id, dk(rp->o->today, d1));
    if (rp->o->person && *rp->o->person)
        fprintf(f, _("Restricted to what %s rated.\n"), rp->o->person);
    heading(f, _("Pupil"));
    fprintf(f, _("Name:        %s\n"), rp->p.name);
    fprintf(f, _("Born:        %s (age %d)\n"), dk(rp->p.birth_date, d2),
            fc_age_years(rp->p.birth_date, rp->o->today));
    fprintf(f, _("Grade:       %d\n"), rp->p.grade);
    fprintf(f, _("School:      %s\n"), school);
    for (int g = 0; g < rp->p.nguardians; g++)
        fprintf(f, _("Guardian:    %s\n"), rp->p.guardians[g]);
}

static int write_event(const struct fc_phase_event *e, void *ctx)
{
    struct report *rp = ctx;
    char d[11];
    fprintf(rp->out, "  %s  %s -> %s  (%s)%s%s\n", dk(fc_date_from_unix(e->when), d),
            phase_name(rp, e->from_phase), phase_name(rp, e->to_phase), e->who,
            e->note[0] ? ": " : "", e->note);
    return 0;
}

static void write_case(struct report *rp)
{
    FILE *f = rp->out;
    const struct fc_case *c = &rp->c;
    char d1[11], d2[11], coord[FC_NAME_MAX], second[FC_NAME_MAX];
    staff_name(rp, c->coordinator, coord, sizeof coord);
    staff_name(rp, c->secondary, second, sizeof second);
    heading(f, _("Case"));
    fprintf(f, _("Concern:     %s\n"), dk(c->concern_date, d1));
    fprintf(f, _("Status:      %s\n"), c->status == FC_CASE_OPEN ? P_("case status", "open")
                                                             : P_("case status", "closed"));
    if (c->status != FC_CASE_OPEN)
        fprintf(f, _("Closed:      %s\n"), dk(c->closed_date, d2));
    fprintf(f, _("Coordinator: %s\n"), coord);
    fprintf(f, _("Secondary:   %s\n"), second);
    for (int i = 0; i < c->nconsent; i++)
        fprintf(f, _("Consent:     %s\n"), c->consent[i]);

    heading(f, _("Phases"));
    fprintf(f, _("Model: %s; current phase: %s\n"),
            rp->have_model ? rp->model.name : c->model_id, phase_name(rp, c->phase));
    fc_date deadline;
    if (rp->have_model && fc_phase_deadline(&rp->model, c->phase, c->concern_date, &deadline)) {
        int left;
        fprintf(f, _("Deadline of the current phase: %s"), dk(deadline, d1));
        if (fc_case_days_left(&rp->model, c, rp->o->today, &left) && left < 0)
            fprintf(f, _(" (overdue by %d days)"), -left);
        fputc('\n', f);
    }
    fc_phase_events_of_case(rp->txn, c->id, write_event, rp);
}

static bool person_rated_at(const struct report *rp, fc_id meeting)
{
    for (size_t i = 0; i < rp->nr; i++)
        if (rp->r[i].meeting_id == meeting)
            return true;
    return false;
}

static int write_meeting(const struct fc_meeting *m, void *ctx)
{
    struct report *rp = ctx;
    bool person = rp->o->person && *rp->o->person;
    if (person && !person_rated_at(rp, m->id))
        return 0;
    char d[11];
    fprintf(rp->out, "  %s  %s\n", dk(m->date, d), fc_meeting_kind_code(m->kind));
    if (person)
        return 0;
    if (m->nparticipants) {
        fprintf(rp->out, "      %s", _("Participants: "));
        for (int i = 0; i < m->nparticipants; i++)
            fprintf(rp->out, "%s%s", i ? ", " : "", m->participants[i]);
        fputc('\n', rp->out);
    }
    if (m->notes[0])
        fprintf(rp->out, _("      Notes: %s\n"), m->notes);
    if (m->agreements[0])
        fprintf(rp->out, _("      Agreements: %s\n"), m->agreements);
    return 0;
}

static void rater_label(const struct fc_rating *r, char *buf, size_t cap)
{
    if (r->rater_name[0])
        snprintf(buf, cap, "%s (%s)", r->rater_name, fc_rater_code(r->rater));
    else
        snprintf(buf, cap, "%s", fc_rater_code(r->rater));
}

static void write_series(struct report *rp, const struct fc_rating *r, size_t n)
{
    FILE *f = rp->out;
    char who[FC_NAME_MAX + 32], d[11], t[8], cut[8];
    rater_label(r, who, sizeof who);
    fprintf(f, "  %s, %s\n", who, fc_scale_code(r->scale));
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "    %s ", dk(r[i].date, d));
        for (int k = 0; k < FC_ITEMS; k++) {
            fc_tenths_format(r[i].items[k], '.', t);
            fprintf(f, " %5s", r[i].items[k] == FC_ITEM_NONE ? "-" : t);
        }
        fc_tenths_format(r[i].total, '.', t);
        fc_tenths_format(fc_cutoff(rp->s, r[i].scale, rp->p.birth_date, r[i].date), '.', cut);
        fprintf(f, _("   total %5s (cut-off %s)\n"), t, cut);
    }
    struct fc_series_summary sum;
    fc_series_summarize(rp->s, rp->p.birth_date, r, n, &sum);
    char a[8], b[8], ch[16];
    fc_tenths_format(sum.first_total, '.', a);
    fc_tenths_format(sum.last_total, '.', b);
    snprintf(ch, sizeof ch, "%s%d.%d", sum.change < 0 ? "-" : "+", abs(sum.change) / 10,
             abs(sum.change) % 10);
    if (!fc_scale_is_outcome(r->scale)) {
        fprintf(f, _("    %d ratings, first %s, last %s, change %s\n"), sum.n, a, b, ch);
        return;
    }
    const char *cls = sum.clinically_significant ? _("clinically significant improvement")
                    : sum.reliable == FC_CHANGE_IMPROVED ? _("reliable improvement")
                    : sum.reliable == FC_CHANGE_DETERIORATED ? _("reliable deterioration")
                    : _("no reliable change");
    fprintf(f, _("    %d ratings, first %s, last %s, change %s: %s\n"), sum.n, a, b, ch, cls);
}

static void write_scores(struct report *rp)
{
    heading(rp->out, _("Scores by rater"));
    if (rp->nr == 0) {
        fprintf(rp->out, "  %s\n", _("no scores"));
        return;
    }
    fprintf(rp->out, "  %s\n", _("date           item 1 item 2 item 3 item 4"));
    for (size_t i = 0; i < rp->nr;) {
        size_t j = i + 1;
        while (j < rp->nr && fc_same_series(&rp->r[i], &rp->r[j]))
            j++;
        write_series(rp, &rp->r[i], j - i);
        i = j;
    }
}

static int write_chart(struct report *rp, struct fc_err *err)
{
    heading(rp->out, _("Chart"));
    struct fc_chart *ch = malloc(sizeof *ch);
    int w = rp->o->chart_width ? rp->o->chart_width : 78;
    int h = rp->o->chart_height ? rp->o->chart_height : 32;
    struct fc_cell *cells = calloc((size_t)w * (size_t)h, sizeof *cells);
    if (!ch || !cells) {
        free(ch);
        free(cells);
        return fc_oom(err);
    }
    int rc = fc_chart_load(rp->txn, rp->s, rp->cohort, rp->c.id, rp->o->person, ch, err);
    struct fc_grid g = { w, h, cells };
    struct fc_chart_opts co = { .utf8 = rp->o->utf8, .view = FC_VIEW_BOTH };
    if (rc == FC_OK && fc_chart_render(ch, &co, &g) == FC_OK)
        fc_grid_print(&g, rp->out);
    free(ch);
    free(cells);
    return rc;
}

static void write_alerts(struct report *rp)
{
    struct fc_alert alerts[64];
    struct fc_alert_input in = {
        .settings = rp->s, .c = &rp->c, .model = rp->have_model ? &rp->model : NULL,
        .birth = rp->p.birth_date, .ratings = rp->r, .nratings = rp->nr,
        .cohort = rp->cohort, .today = rp->o->today,
    };
    bool person = rp->o->person && *rp->o->person;
    int n = fc_alerts_eval(&in, alerts, 64);
    heading(rp->out, _("Alerts"));
    int shown = 0;
    for (int i = 0; i < n && i < 64; i++) {
        if (person && (alerts[i].kind == FC_ALERT_NO_ORS || alerts[i].kind == FC_ALERT_PHASE_OVERDUE))
            continue;
        char line[400];
        fc_alert_describe(&alerts[i], line, sizeof line);
        fprintf(rp->out, "  - %s\n", line);
        shown++;
    }
    if (!shown)
        fprintf(rp->out, "  %s\n", _("none"));
}

static void write_plan(struct report *rp)
{
    FILE *f = rp->out;
    const struct fc_case *c = &rp->c;
    char d1[11], d2[11];
    heading(f, _("Goals"));
    for (int i = 0; i < c->ngoals; i++)
        fprintf(f, "  - %s\n", c->goals[i]);
    if (!c->ngoals)
        fprintf(f, "  %s\n", _("none recorded"));
    heading(f, _("Interventions"));
    for (int i = 0; i < c->ninterventions; i++) {
        const struct fc_intervention *iv = &c->interventions[i];
        fprintf(f, "  - %s, %s - %s, %s\n", iv->kind, dk(iv->start, d1),
                iv->end == FC_DATE_NONE ? _("ongoing") : dk(iv->end, d2), iv->who);
    }
    if (!c->ninterventions)
        fprintf(f, "  %s\n", _("none recorded"));
    heading(f, _("Closing summary"));
    if (!c->summary_interventions[0] && !c->summary_hypotheses[0] && !c->summary_agreements[0]) {
        fprintf(f, "  %s\n", _("not written yet"));
        return;
    }
    fprintf(f, _("  Interventions: %s\n"), c->summary_interventions);
    fprintf(f, _("  Hypotheses:    %s\n"), c->summary_hypotheses);
    fprintf(f, _("  Agreements:    %s\n"), c->summary_agreements);
}

static int load(struct report *rp, fc_id case_id, struct fc_err *err)
{
    if (fc_case_get(rp->txn, case_id, &rp->c, err) != FC_OK ||
        fc_pupil_get(rp->txn, rp->c.pupil_id, &rp->p, err) != FC_OK)
        return err->code;
    struct fc_err ignore = { 0 };
    const struct fc_phase_model *m;
    if (fc_model_get(rp->txn, rp->c.model_id, &rp->model, &ignore) == FC_OK)
        rp->have_model = true;
    else if ((m = fc_builtin_model_find(rp->c.model_id)) != NULL) {
        rp->model = *m;
        rp->have_model = true;
    }
    struct fc_vec v = { 0 };
    int rc = fc_load_ratings(rp->txn, case_id, &v, err);
    rp->r = v.data;
    for (size_t i = 0; i < v.n; i++)
        if (fc_rating_by_person(&rp->r[i], rp->o->person))
            rp->r[rp->nr++] = rp->r[i];
    fc_ratings_sort_series(rp->r, rp->nr);
    return rc;
}

int fc_report_write(struct fc_txn *txn, const struct fc_settings *s,
                    const struct fc_cohort *cohort, fc_id case_id,
                    const struct fc_report_opts *o, FILE *out, struct fc_err *err)
{
    struct report *rp = calloc(1, sizeof *rp);
    if (!rp)
        return fc_oom(err);
    *rp = (struct report){ .txn = txn, .s = s, .cohort = cohort, .o = o, .out = out };
    bool person = o->person && *o->person;
    int rc = load(rp, case_id, err);
    if (rc == FC_OK && person && rp->nr == 0) {
        err->code = rc = FC_ENOTFOUND;
        snprintf(err->msg, sizeof err->msg, _("case %u has no scores by '%s'"),
                 (unsigned)case_id, o->person);
    }
    if (rc == FC_OK) {
        write_pupil(rp);
        if (!person)
            write_case(rp);
        heading(out, _("Meetings"));
        fc_meetings_of_case(txn, case_id, write_meeting, rp);
        write_scores(rp);
        rc = write_chart(rp, err);
    }
    if (rc == FC_OK) {
        write_alerts(rp);
        if (!person)
            write_plan(rp);
        if (ferror(out)) {
            err->code = rc = FC_ESTORE;
            snprintf(err->msg, sizeof err->msg, "%s", _("cannot write the report"));
        }
    }
    free(rp->r);
    free(rp);
    return rc;
}
