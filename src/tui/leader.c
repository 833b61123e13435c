/* The leader's view: the figures of `fitcase stats` (src/io/stats_load.c)
 * for the acting login, per caseworker, team and intervention kind, the
 * FIT targets, and the at-risk list from which Enter opens a case.
 *
 * Recalc apart from repaint, as in the panes: the figures are computed in
 * one read transaction when the view opens and when the poll sees the
 * store change (at most one tenth of the time, so a store that changes
 * every second does not keep a lead's terminal busy); they become lines of
 * text for the window's width; drawing paints those lines and nothing
 * else. The store decides which cases are in reach; the loader keeps a
 * caseworker to the cases they coordinate.
 *
 * Two tabs on one overlay window over the panes, like help: the figures
 * (scrolled), and the at-risk cases (a selection). Tables are laid out to
 * the width: the columns of a section that do not fit beside the labels
 * go to a second table below, so 40 columns show everything too. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fitcase/alert.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/stats.h"
#include "fitcase/store.h"
#include "leader.h"

enum { TAB_FIGURES, TAB_RISK, LTAB_COUNT };

struct leader {
    bool shown;
    bool dirty;               /* repaint the window at the next update */
    bool covered;             /* help covered it at the last update */
    bool have;                /* st holds figures */
    struct fc_stats st;
    char error[sizeof ((struct fc_err *)0)->msg];
    uint64_t gen;             /* the store generation the figures are of */
    int64_t took_ms, at_ms;   /* the last computation: how long, when */
    int tab;
    int top[LTAB_COUNT];
    size_t sel;               /* the selected at-risk case */
    int *risk_at;             /* each at-risk case's first line, then the end */
    size_t nrisk_lines;       /* the cases risk_at has lines for */
    int risk_hl;              /* columns of the selection block: mark, id, name */
    struct tui_lines lines[LTAB_COUNT];
    int width;                /* the lines fit this width; 0 = not laid out */
    WINDOW *win;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool leader_shown(const struct tui *t)
{
    return t->leader && t->leader->shown;
}

/* ---- computing ------------------------------------------------------------ */

/* The figures in one read transaction, ended before any key is read. The
 * generation is read first: a write after it shows at the next poll. */
static void compute(struct tui *t, struct leader *v)
{
    struct fc_err err = { 0 };
    struct fc_txn *txn = NULL;
    struct fc_settings s;
    struct fc_stats st;
    int64_t t0 = now_ms();
    int rc = fc_store_generation(t->st, &v->gen, &err);
    if (rc == FC_OK)
        rc = fc_read_begin(t->st, &txn, &err);
    if (rc == FC_OK) {
        rc = fc_settings_load(txn, &s, &err);
        if (rc == FC_OK)
            rc = fc_stats_load(txn, &s, t->opts->today, &st, &err);
        fc_read_end(txn);
    }
    v->at_ms = now_ms();
    v->took_ms = v->at_ms - t0;
    if (rc != FC_OK) {
        snprintf(v->error, sizeof v->error, "%s", err.msg);
        return;                /* the figures shown before stay */
    }
    if (v->have)
        fc_stats_free(&v->st);
    v->st = st;
    v->have = true;
    v->error[0] = '\0';
}

/* ---- text ------------------------------------------------------------------ */

struct buf {
    char s[2048];
    size_t len;
};

static void put(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n > sizeof b->s - 1 - b->len)
        n = sizeof b->s - 1 - b->len;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void blanks(struct buf *b, int n)
{
    while (n-- > 0)
        put(b, " ");
}

/* s in exactly width columns: cut with an ellipsis when longer, padded
 * with blanks (after it, or before it when right). Columns as the screen
 * shows them, ASCII included. */
static void put_fit(const struct tui *t, struct buf *b, const char *s, int width, bool right)
{
    int w = text_width(t, s);
    if (w <= width) {
        if (right)
            blanks(b, width - w);
        put(b, s);
        if (!right)
            blanks(b, width - w);
        return;
    }
    if (width <= 0)
        return;
    char cut[512];
    size_t len = 0;
    for (const char *p = s; *p && len < sizeof cut - 8;) {
        size_t k = 1;
        while (p[k] && ((unsigned char)p[k] & 0xc0) == 0x80)
            k++;
        memcpy(cut + len, p, k);
        cut[len + k] = '\0';
        if (text_width(t, cut) > width - 1)
            break;
        len += k;
        p += k;
    }
    cut[len] = '\0';
    put(b, cut);
    put(b, t->utf8 ? "\xe2\x80\xa6" : "~");
    blanks(b, width - 1 - text_width(t, cut));
}

/* One decimal with '.', as the command line writes them; "-" for none. */
static void num(char *out, size_t cap, double v, bool sign)
{
    if (isnan(v)) {
        snprintf(out, cap, "-");
        return;
    }
    long x = lround(v * 10.0);
    snprintf(out, cap, "%s%ld.%ld", x < 0 ? "-" : sign && x > 0 ? "+" : "", labs(x) / 10,
             labs(x) % 10);
}

static void num2(char *out, size_t cap, double v)
{
    if (isnan(v)) {
        snprintf(out, cap, "-");
        return;
    }
    long x = lround(v * 100.0);
    snprintf(out, cap, "%s%ld.%02ld", x < 0 ? "-" : "", labs(x) / 100, labs(x) % 100);
}

enum col {
    C_CASES, C_OPEN, C_CLOSED, C_SERIES, C_IMPROVED, C_SIGNIFICANT, C_DETERIORATED,
    C_CHANGE, C_EFFECT, C_MEETINGS, C_DAYS, C_OVERDUE, C_AT_RISK, C_FIT, C_FAMILY, C_COUNT
};

static const char *const col_heads[C_COUNT] = {
    N_("Cases"), N_("Open"), N_("Closed"), N_("ORS"), N_("Impr%"), N_("Clin%"),
    N_("Det%"), N_("Change"), N_("ES"), N_("Meetings"), N_("Days"), N_("Overdue"),
    N_("At risk"), N_("FIT%"), N_("Family%"),
};

/* The two sections: outcomes, then work and FIT. */
static const struct {
    const char *title;
    int first, end;
} sections[] = {
    { N_("Outcomes: ORS series with 2+ ratings"), C_CASES, C_MEETINGS },
    { N_("Work, deadlines and FIT (meetings and days: average per case)"), C_MEETINGS, C_COUNT },
};

static void cell(const struct fc_stats_row *r, int c, char *out, size_t cap)
{
    switch (c) {
    case C_CASES:        snprintf(out, cap, "%d", r->cases); break;
    case C_OPEN:         snprintf(out, cap, "%d", r->open); break;
    case C_CLOSED:       snprintf(out, cap, "%d", r->closed); break;
    case C_SERIES:       snprintf(out, cap, "%d", r->series); break;
    case C_IMPROVED:     num(out, cap, fc_stats_pct(r->improved, r->series), false); break;
    case C_SIGNIFICANT:  num(out, cap, fc_stats_pct(r->significant, r->series), false); break;
    case C_DETERIORATED: num(out, cap, fc_stats_pct(r->deteriorated, r->series), false); break;
    case C_CHANGE:       num(out, cap, r->mean_change, true); break;
    case C_EFFECT:       num2(out, cap, r->effect_size); break;
    case C_MEETINGS:     num(out, cap, r->meetings_per_case, false); break;
    case C_DAYS:         num(out, cap, r->days_per_case, false); break;
    case C_OVERDUE:      snprintf(out, cap, "%d", r->overdue); break;
    case C_AT_RISK:      snprintf(out, cap, "%d", r->at_risk); break;
    case C_FIT:          num(out, cap, fc_stats_pct(r->fit_cases, r->cases), false); break;
    case C_FAMILY:       num(out, cap, fc_stats_pct(r->family_cases, r->cases), false); break;
    default:             out[0] = '\0'; break;
    }
}

/* The row's name: the loader's team, login or kind, ours for the whole
 * and for what has no name. */
static const char *row_label(const struct fc_stats_row *r)
{
    if (r->by == FC_STATS_ALL)
        return _("All cases");
    if (r->id == 0 && r->by == FC_STATS_TEAM)
        return _("No team");
    if (r->id == 0 && r->by == FC_STATS_STAFF)
        return _("No coordinator");
    return r->label;
}

static int row_indent(const struct fc_stats_row *r)
{
    return r->by == FC_STATS_ALL ? 0 : 2;
}

static const char *by_heading(int by)
{
    static const char *const h[] = { "", N_("By team"), N_("By caseworker"),
                                     N_("By intervention") };
    return by > 0 && by <= FC_STATS_KIND ? _(h[by]) : "";
}

/* One section as one or more tables, each as wide as the width allows. */
static void section(struct tui *t, struct tui_lines *l, const struct fc_stats *st, int width,
                    int sec)
{
    int cw[C_COUNT] = { 0 }, lw = 0;
    char v[48];
    for (int c = sections[sec].first; c < sections[sec].end; c++) {
        cw[c] = text_width(t, _(col_heads[c]));
        for (size_t i = 0; i < st->nrows; i++) {
            cell(&st->rows[i], c, v, sizeof v);
            int n = (int)strlen(v);
            cw[c] = n > cw[c] ? n : cw[c];
        }
        cw[c]++;               /* the blank before it */
    }
    for (size_t i = 0; i < st->nrows; i++) {
        int n = row_indent(&st->rows[i]) + text_width(t, row_label(&st->rows[i])) + 1;
        lw = n > lw ? n : lw;
    }
    int cap = width >= 60 ? 26 : width / 3;
    lw = lw > cap ? cap : lw < 6 ? 6 : lw;
    lines_add_wrapped(t, l, A_BOLD, width, 2, _(sections[sec].title));
    for (int first = sections[sec].first; first < sections[sec].end;) {
        int end = first, used = lw;
        while (end < sections[sec].end && (end == first || used + cw[end] <= width))
            used += cw[end++];
        if (first != sections[sec].first)
            lines_add(l, A_NORMAL, "%s", "");
        struct buf b = { .len = 0 };
        b.s[0] = '\0';
        blanks(&b, lw);
        for (int c = first; c < end; c++)
            put_fit(t, &b, _(col_heads[c]), cw[c], true);
        lines_add(l, A_BOLD, "%s", b.s);
        int last = -1;
        for (size_t i = 0; i < st->nrows; i++) {
            const struct fc_stats_row *r = &st->rows[i];
            if (r->by != last && r->by != FC_STATS_ALL)
                lines_add(l, A_NORMAL, "%s", by_heading(r->by));
            last = r->by;
            b.len = 0;
            b.s[0] = '\0';
            int ind = row_indent(r);
            blanks(&b, ind);
            put_fit(t, &b, row_label(r), lw - ind - 1, false);
            blanks(&b, 1);
            for (int c = first; c < end; c++) {
                cell(r, c, v, sizeof v);
                put_fit(t, &b, v, cw[c], true);
            }
            lines_add(l, A_NORMAL, "%s", b.s);
        }
        first = end;
    }
}

/* "FIT used ... target 90%: not met", counted and as a share. */
static void target_line(struct tui *t, struct tui_lines *l, int width, const char *what,
                        int count, int n)
{
    char pct[24], line[512];
    double p = fc_stats_pct(count, n);
    num(pct, sizeof pct, p, false);
    bool met = !isnan(p) && p >= FC_STATS_TARGET_PCT;
    snprintf(line, sizeof line,
             met ? _("%s: %d of %d cases, %s%%; the target of %d%% is met")
                 : _("%s: %d of %d cases, %s%%; the target of %d%% is not met"),
             what, count, n, pct, FC_STATS_TARGET_PCT);
    lines_add_wrapped(t, l, met ? A_NORMAL : A_BOLD, width, 2, line);
}

static void figures_lines(struct tui *t, struct leader *v, int width)
{
    struct tui_lines *l = &v->lines[TAB_FIGURES];
    char line[512], d[11];
    format_date(t->opts->today, d);
    const struct fc_staff *me = fc_store_actor(t->st);
    const char *who = me ? me->login : t->opts->login ? t->opts->login : "";
    if (!me)
        snprintf(line, sizeof line, _("Figures for all cases in the store, as of %s"), d);
    else if (me->role == FC_ROLE_CASEWORKER)
        snprintf(line, sizeof line, _("Figures for %s: the cases you coordinate, as of %s"),
                 who, d);
    else
        snprintf(line, sizeof line, _("Figures for %s: the cases of your team, as of %s"), who,
                 d);
    lines_add_wrapped(t, l, A_BOLD, width, 2, line);
    if (v->error[0]) {
        snprintf(line, sizeof line, _("The figures cannot be computed: %s"), v->error);
        lines_add_wrapped(t, l, A_BOLD, width, 2, line);
    }
    if (!v->have)
        return;
    const struct fc_stats *st = &v->st;
    if (st->nrows == 0 || st->rows[0].cases == 0) {
        lines_add_wrapped(t, l, A_NORMAL, width, 0, _("No cases to count."));
        return;
    }
    const struct fc_stats_row *all = &st->rows[0];
    target_line(t, l, width, _("FIT used (ORS and SRS)"), all->fit_cases, all->cases);
    target_line(t, l, width, _("Families scoring"), all->family_cases, all->cases);
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
        lines_add(l, A_NORMAL, "%s", "");
        section(t, l, st, width, (int)s);
    }
    lines_add(l, A_NORMAL, "%s", "");
    lines_add_wrapped(t, l, A_NORMAL, width, 2,
                      _("ORS: series (case, scale, rater) with 2+ ratings. Impr%: share with "
                        "reliable improvement (5+ points); Clin%: clinically significant "
                        "change (reliable and from below to above the cut-off); Det%: "
                        "deteriorated. Change: mean change in points. ES: pre-post effect "
                        "size, mean change / SD of the intake scores. Overdue: open cases "
                        "past their phase's deadline. At risk: cases with an alert."));
}

/* Short names of the alerts, for the at-risk list. */
static const char *const alert_names[FC_ALERT_KIND_COUNT] = {
    [FC_ALERT_ORS_BELOW_CUTOFF] = N_("ORS below cut-off"),
    [FC_ALERT_OFF_TRACK] = N_("off track"),
    [FC_ALERT_DETERIORATION] = N_("deteriorating"),
    [FC_ALERT_SRS_BELOW_CUTOFF] = N_("SRS below cut-off"),
    [FC_ALERT_SRS_DROP] = N_("SRS drop"),
    [FC_ALERT_SRS_ALWAYS_MAX] = N_("SRS always 40"),
    [FC_ALERT_NO_ORS] = N_("no recent ORS"),
    [FC_ALERT_PHASE_OVERDUE] = N_("phase overdue"),
};

static const char *staff_label(const struct fc_stats *st, fc_id id)
{
    for (size_t i = 0; i < st->nrows; i++)
        if (st->rows[i].by == FC_STATS_STAFF && st->rows[i].id == id)
            return row_label(&st->rows[i]);
    return "";
}

static void risk_lines(struct tui *t, struct leader *v, int width)
{
    struct tui_lines *l = &v->lines[TAB_RISK];
    const struct fc_stats *st = &v->st;
    v->nrisk_lines = 0;
    if (!v->have) {
        lines_add_wrapped(t, l, A_NORMAL, width, 0, v->error);
        return;
    }
    char head[256];
    if (st->nrisks == 0)
        snprintf(head, sizeof head, "%s", _("No case has an alert."));
    else
        snprintf(head, sizeof head,
                 ngettext("%zu case with alerts; Enter opens the selected case.",
                          "%zu cases with alerts; Enter opens the selected case.", st->nrisks),
                 st->nrisks);
    lines_add_wrapped(t, l, A_NORMAL, width, 0, head);
    /* Whose case it is, for a lead; a caseworker's are all their own. */
    const struct fc_staff *me = fc_store_actor(t->st);
    bool whose = !me || me->role != FC_ROLE_CASEWORKER;
    int idw = 2, nw = 0, sw = 0;
    for (size_t i = 0; i < st->nrisks; i++) {
        char id[16];
        int n = snprintf(id, sizeof id, "#%u", (unsigned)st->risks[i].case_id) + 1;
        idw = n > idw ? n : idw;
        n = text_width(t, st->risks[i].pupil) + 2;
        nw = n > nw ? n : nw;
        n = whose ? text_width(t, staff_label(st, st->risks[i].coordinator)) + 2 : 0;
        sw = n > sw ? n : sw;
    }
    int ncap = width >= 60 ? 24 : width / 3;
    nw = nw > ncap ? ncap : nw;
    sw = sw > 12 ? 12 : sw;
    v->risk_hl = 1 + idw + nw - 2;
    int *lines_at = realloc(v->risk_at, (st->nrisks + 1) * sizeof *lines_at);
    if (!lines_at) {
        lines_add(l, A_NORMAL, "%s", _("out of memory"));
        v->nrisk_lines = 0;
        return;
    }
    v->risk_at = lines_at;
    for (size_t i = 0; i < st->nrisks; i++) {
        const struct fc_stats_risk *k = &st->risks[i];
        struct buf b = { .len = 0 };
        v->risk_at[i] = (int)l->n;
        char id[16];
        b.s[0] = '\0';
        put(&b, " ");          /* the selection mark goes here */
        snprintf(id, sizeof id, "#%u", (unsigned)k->case_id);
        put_fit(t, &b, id, idw, false);
        put_fit(t, &b, k->pupil, nw - 2, false);
        blanks(&b, 2);
        if (whose) {
            put_fit(t, &b, staff_label(st, k->coordinator), sw - 2, false);
            blanks(&b, 2);
        }
        /* The alerts beside the name, wrapped between alerts under their
         * column; below the name when the width leaves them too little. */
        int at = 1 + idw + nw + (whose ? sw : 0), col = at;
        if (width - at < 20) {
            lines_add(l, A_NORMAL, "%s", b.s);
            b.len = 0;
            b.s[0] = '\0';
            at = col = 5;
            blanks(&b, at);
        }
        bool first = true;
        for (int a = 0; a < FC_ALERT_KIND_COUNT; a++) {
            if (!(k->alerts & (1u << a)))
                continue;
            const char *name = _(alert_names[a]);
            int w = text_width(t, name) + (first ? 0 : 2);
            if (!first && col + w > width) {
                put(&b, ",");
                lines_add(l, A_NORMAL, "%s", b.s);
                b.len = 0;
                b.s[0] = '\0';
                blanks(&b, at);
                col = at;
                w -= 2;
            } else if (!first) {
                put(&b, ", ");
            }
            put(&b, name);
            col += w;
            first = false;
        }
        lines_add(l, A_NORMAL, "%s", b.s);
    }
    v->risk_at[st->nrisks] = (int)l->n;
    v->nrisk_lines = st->nrisks;
}

static void reflow(struct tui *t, struct leader *v, int width)
{
    for (int i = 0; i < LTAB_COUNT; i++)
        lines_clear(&v->lines[i]);
    figures_lines(t, v, width);
    risk_lines(t, v, width);
    v->width = width;
    if (v->have && v->sel >= v->st.nrisks)
        v->sel = v->st.nrisks ? v->st.nrisks - 1 : 0;
}

/* ---- scrolling and the selection ------------------------------------------- */

static int body_rows(const struct tui *t)
{
    int h = t->rows - 3;       /* title, tab bar, status */
    return h > 1 ? h : 1;
}

static void clamp(struct tui *t, struct leader *v)
{
    int rows = body_rows(t);
    for (int i = 0; i < LTAB_COUNT; i++) {
        int max = (int)v->lines[i].n > rows ? (int)v->lines[i].n - rows : 0;
        v->top[i] = v->top[i] < 0 ? 0 : v->top[i] > max ? max : v->top[i];
    }
    if (v->sel < v->nrisk_lines) {
        int first = v->risk_at[v->sel], end = v->risk_at[v->sel + 1];
        int *top = &v->top[TAB_RISK];
        if (end > *top + rows)
            *top = end - rows;
        if (first < *top || v->sel == 0)
            *top = v->sel == 0 ? 0 : first;  /* the head shows with the first */
    }
}

static void step(struct tui *t, struct leader *v, enum request r)
{
    int rows = body_rows(t);
    if (v->tab == TAB_FIGURES) {
        switch (r) {
        case REQ_UP:        v->top[0]--; break;
        case REQ_DOWN:      v->top[0]++; break;
        case REQ_PAGE_UP:   v->top[0] -= rows; break;
        case REQ_PAGE_DOWN: v->top[0] += rows; break;
        case REQ_FIRST:     v->top[0] = 0; break;
        case REQ_LAST:      v->top[0] = 1 << 20; break;
        default:            return;
        }
    } else {
        long n = v->have ? (long)v->st.nrisks : 0, sel = (long)v->sel;
        switch (r) {
        case REQ_UP:        sel--; break;
        case REQ_DOWN:      sel++; break;
        case REQ_PAGE_UP:   sel -= rows; break;
        case REQ_PAGE_DOWN: sel += rows; break;
        case REQ_FIRST:     sel = 0; break;
        case REQ_LAST:      sel = n - 1; break;
        default:            return;
        }
        v->sel = (size_t)(sel >= n ? n - 1 : sel < 0 ? 0 : sel);
        if (n == 0)
            v->sel = 0;
    }
    v->dirty = true;
}

/* ---- the hooks ---------------------------------------------------------------- */

static void close_view(struct tui *t, struct leader *v)
{
    v->shown = false;
    if (v->win) {
        delwin(v->win);
        v->win = NULL;
    }
    /* The panes' windows still hold their text (and whatever a poll
     * changed stays marked): copying them back is enough. */
    for (int i = 0; i < PANE_COUNT; i++)
        if (t->panes[i].win) {
            touchwin(t->panes[i].win);
            t->panes[i].dirty |= DIRTY_TOUCH;
        }
    t->title_dirty = t->status_dirty = true;
}

void leader_open(struct tui *t)
{
    struct leader *v = t->leader;
    if (v && v->shown) {
        close_view(t, v);
        return;
    }
    if (!v && !(v = t->leader = calloc(1, sizeof *v))) {
        tui_message(t, "%s", _("out of memory"));
        return;
    }
    compute(t, v);
    v->width = 0;              /* laid out at the next update */
    v->shown = v->dirty = true;
    v->covered = false;
    t->status_dirty = true;
}

bool leader_key(struct tui *t, enum request r)
{
    struct leader *v = t->leader;
    if (!v || !v->shown)
        return false;
    switch (r) {
    case REQ_HELP: case REQ_QUIT: case REQ_FORM_QUIT: case REQ_REDRAW:
        return false;
    case REQ_CANCEL: case REQ_LEADER:
        close_view(t, v);
        return true;
    case REQ_TAB_NEXT: case REQ_TAB_PREV: case REQ_NEXT_PANE: case REQ_PREV_PANE:
        v->tab = (v->tab + 1) % LTAB_COUNT;
        v->dirty = t->status_dirty = true;
        return true;
    case REQ_OPEN:
        if (v->tab == TAB_FIGURES) {
            v->tab = TAB_RISK;
            v->dirty = t->status_dirty = true;
        } else if (v->have && v->sel < v->st.nrisks) {
            fc_id id = v->st.risks[v->sel].case_id;
            close_view(t, v);
            list_rebuild(t, id);        /* the list shows it, if it is in it */
            tui_open_case(t, id);
        }
        return true;
    default:
        step(t, v, r);
        return true;
    }
}

void leader_poll(struct tui *t)
{
    struct leader *v = t->leader;
    uint64_t gen;
    struct fc_err err = { 0 };
    if (!v || !v->shown || fc_store_generation(t->st, &gen, &err) != FC_OK || gen == v->gen)
        return;
    /* At most a tenth of the time computing: a big team's figures can take
     * a second, and other people's writes come every second. The
     * generation stays behind, so a later poll catches up. Headless test
     * scripts poll when they mean it. */
    if (!t->script && now_ms() - v->at_ms < 10 * v->took_ms)
        return;
    fc_id keep = v->have && v->sel < v->st.nrisks ? v->st.risks[v->sel].case_id : 0;
    struct tui_lines old[LTAB_COUNT];
    memcpy(old, v->lines, sizeof old);
    memset(v->lines, 0, sizeof v->lines);
    compute(t, v);
    for (size_t i = 0; keep && v->have && i < v->st.nrisks; i++)
        if (v->st.risks[i].case_id == keep)
            v->sel = i;
    if (v->width) {
        reflow(t, v, v->width);
        clamp(t, v);
    }
    for (int i = 0; i < LTAB_COUNT; i++) {
        bool same = old[i].n == v->lines[i].n;
        for (size_t k = 0; same && k < old[i].n; k++)
            same = old[i].v[k].attr == v->lines[i].v[k].attr &&
                   strcmp(old[i].v[k].text, v->lines[i].v[k].text) == 0;
        /* The tab bar counts the at-risk cases: either tab may change. */
        if (!same || !v->width)
            v->dirty = true;
        lines_clear(&old[i]);
    }
}

void leader_relayout(struct tui *t)
{
    struct leader *v = t->leader;
    if (!v)
        return;
    if (v->win) {
        delwin(v->win);
        v->win = NULL;
    }
    v->dirty = true;
}

static void draw_tabs(struct tui *t, struct leader *v)
{
    char risk[64];
    const char *names[LTAB_COUNT] = { _("Figures"), risk };
    snprintf(risk, sizeof risk, _("At risk (%zu)"), v->have ? v->st.nrisks : (size_t)0);
    draw_hline(t, v->win, 0, 0, t->cols);
    int x = 1;
    for (int i = 0; i < LTAB_COUNT && x + 2 < t->cols; i++) {
        attr_t a = i == v->tab ? A_REVERSE : A_NORMAL;
        x += draw_text(t, v->win, 0, x, t->cols - x, a, false, " ");
        x += draw_text(t, v->win, 0, x, t->cols - x, a, false, names[i]);
        x += draw_text(t, v->win, 0, x, t->cols - x, a, false, " ");
        x++;
    }
}

bool leader_update(struct tui *t)
{
    struct leader *v = t->leader;
    if (!v || !v->shown)
        return false;
    if (t->help_shown || t->form) {
        v->covered = true;
        return false;
    }
    if (!v->win) {
        v->win = newwin(t->rows - 2, t->cols, 1, 0);
        if (!v->win)
            return false;
        leaveok(v->win, TRUE);
        v->dirty = true;
    }
    if (v->width != t->cols) {
        reflow(t, v, t->cols);
        v->dirty = true;
    }
    if (v->covered) {
        /* Help was over it: the window still holds the text. */
        touchwin(v->win);
        v->covered = false;
    } else if (!v->dirty) {
        return false;
    }
    if (v->dirty) {
        clamp(t, v);
        werase(v->win);
        draw_tabs(t, v);
        const struct tui_lines *l = &v->lines[v->tab];
        int rows = body_rows(t), top = v->top[v->tab];
        for (int row = 0; row < rows && (size_t)(top + row) < l->n; row++) {
            const struct tui_line *ln = &l->v[top + row];
            int at = top + row;
            bool sel = v->tab == TAB_RISK && v->sel < v->nrisk_lines &&
                       at >= v->risk_at[v->sel] && at < v->risk_at[v->sel + 1];
            draw_text(t, v->win, 1 + row, 0, t->cols, ln->attr, false, ln->text);
            /* As in the case list: the mark, the number and the name make
             * the highlighted block, so a move redraws little (slow links). */
            if (sel && at == v->risk_at[v->sel]) {
                draw_text(t, v->win, 1 + row, 0, 1, A_NORMAL, false, ">");
                mvwchgat(v->win, 1 + row, 0, v->risk_hl, A_REVERSE, 0, NULL);
            }
        }
        v->dirty = false;
    }
    wnoutrefresh(v->win);
    return true;
}

static int hint(struct tui *t, WINDOW *w, int x, enum request r)
{
    const struct request_info *ri = &tui_requests[r];
    char key[24];
    tui_key_name(ri->keys[0], key, sizeof key);
    int need = text_width(t, key) + 1 + text_width(t, _(ri->hint)) + 2;
    if (x + need > t->cols)
        return x;
    x += draw_text(t, w, 0, x, t->cols - x, A_BOLD, false, key);
    x += draw_text(t, w, 0, x, t->cols - x, A_NORMAL, false, " ");
    x += draw_text(t, w, 0, x, t->cols - x, A_NORMAL, false, _(ri->hint));
    return x + 2;
}

bool leader_status(struct tui *t, WINDOW *w)
{
    struct leader *v = t->leader;
    if (!v || !v->shown)
        return false;
    int x = 0;
    if (v->tab == TAB_RISK && v->have && v->st.nrisks)
        x = hint(t, w, x, REQ_OPEN);
    x = hint(t, w, x, REQ_TAB_NEXT);
    x = hint(t, w, x, REQ_CANCEL);
    x = hint(t, w, x, REQ_QUIT);
    hint(t, w, x, REQ_HELP);
    return true;
}

void leader_free(struct tui *t)
{
    struct leader *v = t->leader;
    if (!v)
        return;
    if (v->win)
        delwin(v->win);
    for (int i = 0; i < LTAB_COUNT; i++)
        lines_clear(&v->lines[i]);
    if (v->have)
        fc_stats_free(&v->st);
    free(v->risk_at);
    free(v);
    t->leader = NULL;
}
