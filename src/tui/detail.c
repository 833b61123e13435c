/* The detail pane and its tabs: every meeting with its ORS/SRS by rater,
 * the absence strip of the last 60 school days with the tier, and the
 * ORS/SRS chart from the chart renderer. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fitcase/chart.h"
#include "fitcase/i18n.h"
#include "tui.h"

/* A line of a meeting, indented under its date. */
static void meeting_line(struct tui *t, struct pane *p, int w, const char *text)
{
    char buf[FC_TEXT_MAX + 80];
    snprintf(buf, sizeof buf, "  %s", text);
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 6, buf);
}

/* The selected meeting's index in cv.meetings: the one chosen, else the
 * newest (shown first). */
static size_t sel_index(const struct tui *t)
{
    for (size_t k = 0; k < t->cv.nmeetings; k++)
        if (t->cv.meetings[k].id == t->sel_meeting)
            return k;
    return t->cv.nmeetings ? t->cv.nmeetings - 1 : 0;
}

fc_id detail_selected_meeting(const struct tui *t)
{
    if (!t->cv.loaded || t->cv.missing || !t->cv.nmeetings)
        return 0;
    return t->cv.meetings[sel_index(t)].id;
}

static bool meetings_shown(const struct tui *t);
static void show_selected(struct tui *t, struct pane *p);

static void meetings(struct tui *t, struct pane *p, int w)
{
    const struct tui_case_view *cv = &t->cv;
    char buf[FC_TEXT_MAX + 64];
    lines_add(&p->lines, A_NORMAL, _("%zu meetings, newest first; * = below the cut-off"),
              cv->nmeetings);
    size_t *at = realloc(t->meeting_line, (cv->nmeetings ? cv->nmeetings : 1) * sizeof *at);
    if (at)
        t->meeting_line = at;
    t->nmeeting_line = at ? cv->nmeetings : 0;
    for (size_t k = cv->nmeetings; k-- > 0;) {
        const struct fc_meeting *m = &cv->meetings[k];
        char d[11];
        format_date(m->date, d);
        if (at)
            at[k] = p->lines.n;
        lines_add(&p->lines, A_BOLD, "%s  %s", d, label_meeting_kind(m->kind));
        scores_line(cv, m->id, true, false, buf, sizeof buf);
        if (buf[0])
            meeting_line(t, p, w, buf);
        scores_line(cv, m->id, false, true, buf, sizeof buf);
        if (buf[0])
            meeting_line(t, p, w, buf);
        if (m->nparticipants) {
            /* FC_LIST_MAX names of FC_NAME_MAX bytes fit in buf. */
            size_t len = (size_t)snprintf(buf, sizeof buf, "%s", _("With: "));
            for (int i = 0; i < m->nparticipants && i < FC_LIST_MAX; i++)
                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "",
                                        m->participants[i]);
            meeting_line(t, p, w, buf);
        }
        if (m->notes[0]) {
            snprintf(buf, sizeof buf, _("Notes: %s"), m->notes);
            meeting_line(t, p, w, buf);
        }
        if (m->agreements[0]) {
            snprintf(buf, sizeof buf, _("Agreed: %s"), m->agreements);
            meeting_line(t, p, w, buf);
        }
    }
}

static char kind_mark(int kind)
{
    switch (kind) {
    case FC_ABS_SICK:    return 'S';
    case FC_ABS_LEGAL:   return 'L';
    case FC_ABS_ILLEGAL: return 'U';
    default:             return '.';
    }
}

/* Oldest to newest, in groups of five school days, as many groups to a
 * line as fit. */
static void strip(struct tui *t, struct pane *p, int w)
{
    const struct tui_case_view *cv = &t->cv;
    int groups = (w - 2 + 1) / 6;
    if (groups < 1)
        groups = 1;
    char line[ABS_STRIP * 2 + 8];
    size_t len = 0;
    line[len++] = ' ';
    line[len++] = ' ';
    for (int i = 0; i < ABS_STRIP; i++) {
        if (i > 0 && i % 5 == 0) {
            if ((i / 5) % groups == 0) {
                line[len] = '\0';
                lines_add(&p->lines, A_NORMAL, "%s", line);
                len = 2;
            } else {
                line[len++] = ' ';
            }
        }
        line[len++] = kind_mark(cv->strip_kind[i]);
    }
    line[len] = '\0';
    lines_add(&p->lines, A_NORMAL, "%s", line);
}

static void absence(struct tui *t, struct pane *p, int w)
{
    const struct tui_case_view *cv = &t->cv;
    const struct fc_absence_status *a = &cv->abs;
    char from[11], to[11], buf[512];
    format_date(cv->strip_from, from);
    format_date(cv->strip_day[ABS_STRIP - 1], to);
    snprintf(buf, sizeof buf, _("Last 60 school days, %s to %s, oldest first:"), from, to);
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 2, buf);
    strip(t, p, w);
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 2,
                      _("  . at school  S sick  L legal  U unauthorised"));
    snprintf(buf, sizeof buf, _("Longest run: %d   last 20 school days: %d   last 60: %d"),
             a->consecutive_max, a->last20, a->last60);
    lines_add_wrapped(t, &p->lines, A_NORMAL, w, 2, buf);
    snprintf(buf, sizeof buf, _("This quarter: %d days, tier: %s"), a->quarter_days,
             label_tier(a->tier));
    lines_add_wrapped(t, &p->lines, a->tier != FC_TIER_NONE ? A_BOLD : A_NORMAL, w, 2, buf);
    snprintf(buf, sizeof buf,
             a->fit_eligible ? _("FIT-eligible absence: yes (%d in a row, %d of 20 or %d of 60)")
                             : _("FIT-eligible absence: no (%d in a row, %d of 20 or %d of 60)"),
             t->settings.fit_consecutive, t->settings.fit_of_20, t->settings.fit_of_60);
    lines_add_wrapped(t, &p->lines, a->fit_eligible ? A_BOLD : A_NORMAL, w, 2, buf);
}

/* The chart renderer draws into a grid of the pane's size; its rows
 * become the tab's lines. Everything is computed here, none of it when
 * painting. */
static void chart(struct tui *t, struct pane *p, int w)
{
    int h = p->h - 1;
    char buf[256];
    if (!t->cv.chart) {
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 0,
                          _("The chart of this case could not be built."));
        return;
    }
    if (w < FC_CHART_MIN_WIDTH || h < FC_CHART_MIN_HEIGHT) {
        snprintf(buf, sizeof buf,
                 _("The chart needs %dx%d; this pane has %dx%d. A bigger terminal shows it."),
                 FC_CHART_MIN_WIDTH, FC_CHART_MIN_HEIGHT, w, h);
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 0, buf);
        return;
    }
    struct fc_grid g = { .width = w, .height = h,
                         .cells = calloc((size_t)w * (size_t)h, sizeof *g.cells) };
    struct fc_chart_opts o = { .utf8 = t->utf8, .view = FC_VIEW_BOTH };
    char *row = malloc((size_t)w * 4 + 1);
    if (g.cells && row && fc_chart_render(t->cv.chart, &o, &g) == FC_OK)
        for (int y = 0; y < h; y++) {
            fc_grid_row_utf8(&g, y, row, (size_t)w * 4 + 1);
            lines_add(&p->lines, A_NORMAL, "%s", row);
        }
    free(row);
    free(g.cells);
}

static void detail_reflow(struct tui *t, struct pane *p)
{
    lines_clear(&p->lines);
    t->nmeeting_line = 0;
    int w = p->w > 10 ? p->w : 10;
    if (!t->cv.loaded || t->cv.missing) {
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 0,
                          _("No case open. Pick one in the list and press Enter."));
        return;
    }
    switch (t->tab) {
    case TAB_MEETINGS:
        meetings(t, p, w);
        if (t->sel_meeting && meetings_shown(t))
            show_selected(t, p);
        break;
    case TAB_ABSENCE:  absence(t, p, w); break;
    case TAB_CHART:    chart(t, p, w); break;
    case TAB_COUNT:    break;
    }
}

/* The lines of meeting k: its heading to the line before the next one. */
static void meeting_span(const struct tui *t, const struct pane *p, size_t k, size_t *from,
                         size_t *to)
{
    *from = t->meeting_line[k];
    *to = k > 0 ? t->meeting_line[k - 1] : p->lines.n;
}

static bool meetings_shown(const struct tui *t)
{
    return t->tab == TAB_MEETINGS && t->cv.loaded && !t->cv.missing &&
           t->nmeeting_line == t->cv.nmeetings && t->cv.nmeetings > 0;
}

/* Scrolls so the selected meeting shows, its heading first if it is
 * taller than the pane. */
static void show_selected(struct tui *t, struct pane *p)
{
    size_t from, to;
    meeting_span(t, p, sel_index(t), &from, &to);
    int body = p->h > 1 ? p->h - 1 : 1;
    int top = p->top;
    if ((int)from < top)
        top = (int)from;
    else if ((int)to > top + body)
        top = (int)to - body < (int)from ? (int)to - body : (int)from;
    if (top != p->top) {
        p->top = top;
        p->dirty |= DIRTY_ALL;
    }
}

static void detail_draw(struct tui *t, struct pane *p)
{
    werase(p->win);
    pane_draw_tabs(t, p);
    pane_draw_lines(t, p, 1);
    /* The selected meeting's heading in reverse while the pane has the
     * focus: e edits it, d deletes it. */
    if (t->focus == PANE_DETAIL && meetings_shown(t)) {
        size_t line = t->meeting_line[sel_index(t)];
        int row = 1 + (int)line - p->top;
        if (row >= 1 && row < p->h)
            draw_text(t, p->win, row, 0, p->w, A_REVERSE, false, p->lines.v[line].text);
    }
}

static bool detail_request(struct tui *t, struct pane *p, enum request r)
{
    if (!meetings_shown(t))
        return pane_scroll_request(p, r);
    size_t k = sel_index(t), n = t->cv.nmeetings, from, to;
    /* Shown newest first: up is a later meeting. */
    switch (r) {
    case REQ_UP:    k = k + 1 < n ? k + 1 : k; break;
    case REQ_DOWN:  k = k > 0 ? k - 1 : 0; break;
    case REQ_FIRST: k = n - 1; p->top = 0; break;
    case REQ_LAST:  k = 0; break;
    case REQ_PAGE_UP:
    case REQ_PAGE_DOWN:
        pane_scroll_request(p, r);
        /* The first meeting whose heading shows, else the one the top
         * line belongs to. */
        for (size_t i = n; i-- > 0;) {
            meeting_span(t, p, i, &from, &to);
            if ((int)from <= p->top && (int)to > p->top)
                k = i;
            if ((int)from >= p->top && (int)from < p->top + p->h - 1) {
                k = i;
                break;
            }
        }
        break;
    default:
        return pane_scroll_request(p, r);
    }
    if (t->cv.meetings[k].id != detail_selected_meeting(t) || r == REQ_FIRST || r == REQ_LAST) {
        t->sel_meeting = t->cv.meetings[k].id;
        p->dirty |= DIRTY_ALL;
    }
    if (r != REQ_PAGE_UP && r != REQ_PAGE_DOWN)
        show_selected(t, p);
    return true;
}

const struct pane_ops detail_pane_ops = {
    .scope = IN_DETAIL,
    .reflow = detail_reflow,
    .draw = detail_draw,
    .request = detail_request,
};
