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

static void meetings(struct tui *t, struct pane *p, int w)
{
    const struct tui_case_view *cv = &t->cv;
    char buf[FC_TEXT_MAX + 64];
    lines_add(&p->lines, A_NORMAL, _("%zu meetings, newest first; * = below the cut-off"),
              cv->nmeetings);
    for (size_t k = cv->nmeetings; k-- > 0;) {
        const struct fc_meeting *m = &cv->meetings[k];
        char d[11];
        format_date(m->date, d);
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
    int w = p->w > 10 ? p->w : 10;
    if (!t->cv.loaded || t->cv.missing) {
        lines_add_wrapped(t, &p->lines, A_NORMAL, w, 0,
                          _("No case open. Pick one in the list and press Enter."));
        return;
    }
    switch (t->tab) {
    case TAB_MEETINGS: meetings(t, p, w); break;
    case TAB_ABSENCE:  absence(t, p, w); break;
    case TAB_CHART:    chart(t, p, w); break;
    case TAB_COUNT:    break;
    }
}

static void detail_draw(struct tui *t, struct pane *p)
{
    werase(p->win);
    pane_draw_tabs(t, p);
    pane_draw_lines(t, p, 1);
}

static bool detail_request(struct tui *t, struct pane *p, enum request r)
{
    (void)t;
    return pane_scroll_request(p, r);
}

const struct pane_ops detail_pane_ops = {
    .scope = IN_DETAIL,
    .reflow = detail_reflow,
    .draw = detail_draw,
    .request = detail_request,
};
