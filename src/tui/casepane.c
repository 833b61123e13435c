/* The case pane: who the pupil is, who works the case, consent, goals,
 * interventions, the phase timeline with deadlines, the latest meetings. */
#include <config.h>

#include <stdarg.h>
#include <string.h>

#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/score.h"
#include "tui.h"

/* Appends to out, keeping *len within cap (truncating, never overflowing). */
static void appendf(char *out, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void appendf(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

/* "a, b, c" of a list of names. */
static void join(char *out, size_t cap, const char (*items)[FC_NAME_MAX], int n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        appendf(out, cap, &len, "%s%s", i ? ", " : "", items[i]);
}

/* "ORS child 23.4* mother 19.0  SRS child 38.0" for one meeting; outcome
 * only when short. A star marks a total below its cut-off. A child's own
 * scale is named apart: "ORS mother 19.0  CORS child 23.4*". */
void scores_line(const struct tui_case_view *cv, fc_id meeting, bool outcome,
                 bool srs, char *out, size_t cap)
{
    static const enum fc_scale order[FC_SCALE_COUNT] = { FC_ORS, FC_CORS, FC_SRS, FC_CSRS };
    size_t len = 0;
    out[0] = '\0';
    for (int k = 0; k < FC_SCALE_COUNT; k++) {
        bool is_outcome = fc_scale_is_outcome(order[k]);
        if ((is_outcome && !outcome) || (!is_outcome && !srs))
            continue;
        bool first = true;
        for (size_t i = 0; i < cv->nscores; i++) {
            const struct tui_score *s = &cv->scores[i];
            if (s->meeting_id != meeting || s->scale != order[k])
                continue;
            char tot[8];
            format_tenths(s->total, tot);
            if (first)
                appendf(out, cap, &len, "%s%s", len ? "  " : "", fc_scale_code(order[k]));
            first = false;
            appendf(out, cap, &len, " %s%s%s%s %s%s", label_rater(s->rater),
                    s->rater_name[0] ? " (" : "", s->rater_name,
                    s->rater_name[0] ? ")" : "", tot,
                    fc_below_cutoff(s->total, s->cutoff) ? "*" : "");
        }
    }
}

static void phase_line(struct tui *t, struct pane *p, int i, int name_w)
{
    const struct tui_case_view *cv = &t->cv;
    const struct fc_phase_def *ph = &cv->model.phases[i];
    bool current = i == cv->c.phase && cv->c.status == FC_CASE_OPEN;
    const char *mark = i < cv->c.phase || (i == cv->c.phase && !current) ? "[x]"
                     : current ? "[>]" : "[ ]";
    char line[512], dl[11] = "", state[160] = "";
    fc_date deadline;
    if (fc_phase_deadline(&cv->model, i, cv->c.concern_date, &deadline))
        format_date(deadline, dl);
    if (current && cv->has_deadline) {
        if (cv->days_left < 0)
            snprintf(state, sizeof state, _("%d days overdue"), -cv->days_left);
        else
            snprintf(state, sizeof state, _("%d days left"), cv->days_left);
    } else {
        /* When the case entered this phase, and who moved it. */
        for (size_t e = cv->nevents; e-- > 0;)
            if (cv->events[e].to_phase == i) {
                char d[11];
                format_date(fc_date_from_unix(cv->events[e].when), d);
                snprintf(state, sizeof state, _("from %s (%s)"), d, cv->events[e].who);
                break;
            }
    }
    int pad = name_w - text_width(t, ph->name);
    snprintf(line, sizeof line, "  %s %s%*s  %-10s  %s", mark, ph->name, pad > 0 ? pad : 0,
             "", dl, state);
    attr_t a = current ? A_BOLD : A_NORMAL;
    if (current && cv->has_deadline && cv->days_left < 0)
        a |= attr_alert(t);
    lines_add(&p->lines, a, "%s", line);
}

static void people(struct tui *t, struct pane *p, int w)
{
    const struct tui_case_view *cv = &t->cv;
    char buf[FC_LIST_MAX * FC_NAME_MAX + 64], d[11], c[11];
    format_date(cv->p.birth_date, d);
    lines_add(&p->lines, A_BOLD, _("%s, grade %d, %s"), cv->p.name, cv->p.grade, cv->school);
    format_date(cv->c.concern_date, c);
    if (cv->c.status == FC_CASE_OPEN)
        snprintf(buf, sizeof buf, _("Case #%u, %s, open since %s. Born %s (%d years)."),
                 (unsigned)cv->c.id, cv->model.name, c, d,
                 fc_age_years(cv->p.birth_date, t->opts->today));
    else {
        char e[11];
        format_date(cv->c.closed_date, e);
        snprintf(buf, sizeof buf, _("Case #%u, %s, %s to %s, closed. Born %s."),
                 (unsigned)cv->c.id, cv->model.name, c, e, d);
    }
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 2, buf);
    char names[FC_LIST_MAX * FC_NAME_MAX];
    join(names, sizeof names, cv->p.guardians, cv->p.nguardians);
    snprintf(buf, sizeof buf, _("Guardians: %s"), names);
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 2, buf);
    snprintf(buf, sizeof buf, _("Coordinator: %s   Secondary: %s"),
             cv->coordinator[0] ? cv->coordinator : "-", cv->secondary[0] ? cv->secondary : "-");
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 2, buf);
    join(names, sizeof names, cv->c.consent, cv->c.nconsent);
    snprintf(buf, sizeof buf, _("Consent: %s"), cv->c.nconsent ? names : _("none recorded"));
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 2, buf);
    if (cv->c.exclusions) {
        snprintf(buf, sizeof buf, _("Intake exclusion answered yes: %s"),
                 cv->c.exclusion_reason[0] ? cv->c.exclusion_reason : _("no reason given"));
        lines_add_wrapped(t, &p->lines, A_BOLD, w, 2, buf);
    }
}

static void alerts(struct tui *t, struct pane *p, int w)
{
    const struct tui_case_view *cv = &t->cv;
    if (!cv->nalerts)
        return;
    lines_add(&p->lines, A_BOLD, "%s", _("Alerts"));
    for (int i = 0; i < cv->nalerts; i++) {
        char buf[300];
        snprintf(buf, sizeof buf, "  ! %s", cv->alerts[i]);
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 4, buf);
    }
}

static void phases(struct tui *t, struct pane *p)
{
    const struct tui_case_view *cv = &t->cv;
    lines_add(&p->lines, A_BOLD, _("Phases (%s)"), cv->model.name);
    int name_w = 0;
    for (int i = 0; i < cv->model.nphases; i++) {
        int nw = text_width(t, cv->model.phases[i].name);
        name_w = nw > name_w ? nw : name_w;
    }
    for (int i = 0; i < cv->model.nphases; i++)
        phase_line(t, p, i, name_w);
}

static void goals_and_interventions(struct tui *t, struct pane *p, int w)
{
    const struct fc_case *c = &t->cv.c;
    char buf[FC_TEXT_MAX + 256];
    lines_add(&p->lines, A_BOLD, "%s", _("Goals"));
    for (int i = 0; i < c->ngoals; i++) {
        snprintf(buf, sizeof buf, "  - %s", c->goals[i]);
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 4, buf);
    }
    if (!c->ngoals)
        lines_add(&p->lines, A_NORMAL, "  %s", _("none yet"));
    lines_add(&p->lines, A_BOLD, "%s", _("Interventions"));
    for (int i = 0; i < c->ninterventions; i++) {
        const struct fc_intervention *iv = &c->interventions[i];
        char from[11], to[11] = "";
        format_date(iv->start, from);
        if (iv->end != FC_DATE_NONE)
            format_date(iv->end, to);
        snprintf(buf, sizeof buf, iv->end != FC_DATE_NONE ? _("  - %s, %s to %s, %s")
                                                          : _("  - %s, from %s%s, %s"),
                 iv->kind, from, to, iv->who);
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 4, buf);
    }
    if (!c->ninterventions)
        lines_add(&p->lines, A_NORMAL, "  %s", _("none yet"));
}

static void latest_meetings(struct tui *t, struct pane *p, int w)
{
    const struct tui_case_view *cv = &t->cv;
    lines_add(&p->lines, A_BOLD, _("Latest meetings (%zu in all; Tab shows them)"),
              cv->nmeetings);
    for (size_t k = 0; k < 3 && k < cv->nmeetings; k++) {
        const struct fc_meeting *m = &cv->meetings[cv->nmeetings - 1 - k];
        char d[11], scores[1024], buf[1200];
        format_date(m->date, d);
        scores_line(cv, m->id, true, false, scores, sizeof scores);
        snprintf(buf, sizeof buf, "  %s  %s  %s", d, label_meeting_kind(m->kind), scores);
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 14, buf);
    }
}

static void summary(struct tui *t, struct pane *p, int w)
{
    const struct fc_case *c = &t->cv.c;
    if (c->status != FC_CASE_CLOSED)
        return;
    char buf[FC_TEXT_MAX + 64];
    lines_add(&p->lines, A_BOLD, "%s", _("Closing summary"));
    snprintf(buf, sizeof buf, _("  Interventions: %s"), c->summary_interventions);
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 4, buf);
    snprintf(buf, sizeof buf, _("  Hypotheses: %s"), c->summary_hypotheses);
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 4, buf);
    snprintf(buf, sizeof buf, _("  Further agreements: %s"), c->summary_agreements);
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 4, buf);
}

static void case_reflow(struct tui *t, struct pane *p)
{
    lines_clear(&p->lines);
    int w = p->w > 10 ? p->w : 10;
    if (!t->cv.loaded) {
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 0,
                          _("No case open. Pick one in the list and press Enter; / searches."));
        return;
    }
    if (t->cv.missing) {
        char buf[160];
        snprintf(buf, sizeof buf, _("Case #%u no longer exists: someone erased it."),
                 (unsigned)t->open_case);
        lines_add_wrapped(t, &p->lines, A_BOLD, w, 0, buf);
        return;
    }
    people(t, p, w);
    phases(t, p);
    alerts(t, p, w);
    goals_and_interventions(t, p, w);
    latest_meetings(t, p, w);
    summary(t, p, w);
}

static void case_draw(struct tui *t, struct pane *p)
{
    werase(p->win);
    pane_draw_tabs(t, p);
    pane_draw_lines(t, p, 1);
}

static bool case_request(struct tui *t, struct pane *p, enum request r)
{
    (void)t;
    return pane_scroll_request(p, r);
}

const struct pane_ops case_pane_ops = {
    .scope = IN_CASE,
    .reflow = case_reflow,
    .draw = case_draw,
    .request = case_request,
};
