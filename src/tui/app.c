/* The application loop: layout, focus, the search prompt, help, polling
 * other users' changes, and the one doupdate per input cycle. Panes draw
 * only when dirty; a cycle with nothing dirty writes nothing. */
#include <config.h>

#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "fitcase/i18n.h"
#include "fitcase/text.h"
#include "form.h"
#include "leader.h"
#include "tui.h"

enum { MIN_COLS = 40, MIN_ROWS = 12, POLL_MS = 1000 };

static const struct pane_ops *const pane_ops[PANE_COUNT] = {
    [PANE_LIST] = &list_pane_ops,
    [PANE_CASE] = &case_pane_ops,
    [PANE_DETAIL] = &detail_pane_ops,
};

/* Set by the SIGHUP/SIGTERM handler and nothing else; the loop writes
 * the draft and ends. */
static volatile sig_atomic_t hangup;

static void on_hangup(int sig)
{
    (void)sig;
    hangup = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tui_message(struct tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->message, sizeof t->message, fmt, ap);
    va_end(ap);
    t->status_dirty = true;
}

static void mark_all(struct tui *t, unsigned how)
{
    for (int i = 0; i < PANE_COUNT; i++)
        t->panes[i].dirty |= how;
    t->title_dirty = t->status_dirty = true;
    t->help_dirty = t->help_shown;
}

void tui_repaint(struct tui *t)
{
    clearok(curscr, TRUE);
    mark_all(t, 0);
}

/* ---- layout -------------------------------------------------------------- */

static void place(struct pane *p, int y, int x, int h, int w)
{
    p->y = y;
    p->x = x;
    p->h = h;
    p->w = w;
    p->win = newwin(h, w, y, x);
    if (p->win) {
        leaveok(p->win, TRUE);
        /* A full-width pane may scroll with the terminal's scroll region. */
        idlok(p->win, w == COLS);
    }
}

static void free_windows(struct tui *t)
{
    for (int i = 0; i < PANE_COUNT; i++)
        if (t->panes[i].win) {
            delwin(t->panes[i].win);
            t->panes[i].win = NULL;
        }
    WINDOW **ws[] = { &t->title, &t->status, &t->help };
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
        if (*ws[i]) {
            delwin(*ws[i]);
            *ws[i] = NULL;
        }
}

static void show_lower(struct tui *t)
{
    bool compact = t->layout == LAYOUT_COMPACT;
    t->panes[PANE_LIST].shown = true;
    t->panes[PANE_CASE].shown = !compact || t->lower == PANE_CASE;
    t->panes[PANE_DETAIL].shown = !compact || t->lower == PANE_DETAIL;
}

void tui_relayout(struct tui *t)
{
    free_windows(t);
    leader_relayout(t);
    if (t->formwin) {
        delwin(t->formwin);
        t->formwin = NULL;
    }
    t->form_dirty = t->form != NULL;
    getmaxyx(stdscr, t->rows, t->cols);
    /* Whatever was on the screen before (the too-small notice) goes; only
     * cells that are not blank cost bytes. */
    werase(stdscr);
    wnoutrefresh(stdscr);
    t->too_small = t->cols < MIN_COLS || t->rows < MIN_ROWS;
    if (t->too_small) {
        t->title_dirty = true;     /* the notice takes the title's turn */
        return;
    }
    int body = t->rows - 2;
    t->title = newwin(1, t->cols, 0, 0);
    t->status = newwin(1, t->cols, t->rows - 1, 0);
    leaveok(t->title, TRUE);
    leaveok(t->status, TRUE);
    struct pane *l = &t->panes[PANE_LIST], *c = &t->panes[PANE_CASE],
                *d = &t->panes[PANE_DETAIL];
    if (t->cols >= 140 && body >= 16) {
        t->layout = LAYOUT_WIDE;
        int lw = t->cols / 2, rw = t->cols - lw - 1, ch = body / 2;
        place(l, 1, 0, body, lw);
        place(c, 1, lw + 1, ch, rw);
        place(d, 1 + ch, lw + 1, body - ch, rw);
    } else if (body >= 34) {
        t->layout = LAYOUT_STACKED;
        int lh = body * 2 / 5, ch = (body - lh) / 2;
        place(l, 1, 0, lh, t->cols);
        place(c, 1 + lh, 0, ch, t->cols);
        place(d, 1 + lh + ch, 0, body - lh - ch, t->cols);
    } else {
        t->layout = LAYOUT_COMPACT;
        int lh = (body * 2 + 2) / 5;
        place(l, 1, 0, lh, t->cols);
        place(c, 1 + lh, 0, body - lh, t->cols);
        place(d, 1 + lh, 0, body - lh, t->cols);
    }
    show_lower(t);
    for (int i = 0; i < PANE_COUNT; i++)
        t->panes[i].ops->reflow(t, &t->panes[i]);
    mark_all(t, DIRTY_ALL);
}

/* ---- focus, tabs, opening a case ------------------------------------------ */

static void refocus_mark(struct tui *t, enum pane_id id)
{
    /* The list shows focus in its selected row, the others in their tabs. */
    t->panes[id].dirty |= id == PANE_LIST ? DIRTY_ROWS : DIRTY_ALL;
}

void tui_focus(struct tui *t, enum pane_id id)
{
    if (id == t->focus)
        return;
    refocus_mark(t, t->focus);
    t->focus = id;
    refocus_mark(t, id);
    if (id != PANE_LIST && t->layout == LAYOUT_COMPACT && t->lower != id) {
        t->lower = id;
        show_lower(t);
        t->panes[id].dirty |= DIRTY_ALL;
    }
    t->status_dirty = true;
}

/* Compact layout: one row of tabs, Case then the detail tabs. Otherwise
 * the detail tabs alone. */
void tui_set_tab(struct tui *t, int delta)
{
    bool compact = t->layout == LAYOUT_COMPACT;
    int n = TAB_COUNT + (compact ? 1 : 0);
    int cur = compact ? (t->lower == PANE_CASE ? 0 : 1 + (int)t->tab) : (int)t->tab;
    int next = ((cur + delta) % n + n) % n;
    enum detail_tab tab = compact ? (next == 0 ? t->tab : (enum detail_tab)(next - 1))
                                  : (enum detail_tab)next;
    if (tab != t->tab) {
        t->tab = tab;
        t->panes[PANE_DETAIL].top = 0;
        detail_pane_ops.reflow(t, &t->panes[PANE_DETAIL]);
        t->panes[PANE_DETAIL].dirty |= DIRTY_ALL;
    }
    tui_focus(t, compact && next == 0 ? PANE_CASE : PANE_DETAIL);
}

static void reflow_case_panes(struct tui *t, bool to_top)
{
    for (int i = PANE_CASE; i <= PANE_DETAIL; i++) {
        if (to_top)
            t->panes[i].top = 0;
        t->panes[i].ops->reflow(t, &t->panes[i]);
        t->panes[i].dirty |= DIRTY_ALL;
    }
}

/* Shows case id in the case pane and focuses it, without logging an
 * opening: after a save in a form the case is open already. */
void tui_show_case(struct tui *t, fc_id id)
{
    struct tui_case_view cv;
    struct fc_err err = { 0 };
    if (data_load_case(t, id, &cv, &err) != FC_OK) {
        tui_message(t, _("Cannot open case #%u: %s"), (unsigned)id, err.msg);
        return;
    }
    data_free_case(&t->cv);
    t->cv = cv;
    if (id != t->open_case)
        t->sel_meeting = 0;
    t->open_case = id;
    reflow_case_panes(t, true);
    tui_focus(t, PANE_CASE);
}

/* The user opens a case: the opening goes to the audit log first (who saw
 * which case, once per opening; redraws and reloads log nothing), and a
 * case whose opening cannot be recorded is not shown. */
void tui_open_case(struct tui *t, fc_id id)
{
    struct fc_err err = { 0 };
    int rc = fc_case_open_audit(t->st, id, &err);
    if (rc != FC_OK && rc != FC_ENOTFOUND) {
        tui_message(t, _("Cannot open case #%u: %s"), (unsigned)id, err.msg);
        return;
    }
    tui_show_case(t, id);
}

/* ---- polling other users' changes ----------------------------------------- */

static bool lines_equal(const struct tui_lines *a, const struct tui_lines *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].attr != b->v[i].attr || strcmp(a->v[i].text, b->v[i].text) != 0)
            return false;
    return true;
}

/* Reloads the opened case; panes whose text came out the same stay as
 * they are on the screen. */
static void reload_case(struct tui *t)
{
    struct tui_case_view cv;
    struct fc_err err = { 0 };
    if (data_load_case(t, t->open_case, &cv, &err) != FC_OK)
        return;
    data_free_case(&t->cv);
    t->cv = cv;
    for (int i = PANE_CASE; i <= PANE_DETAIL; i++) {
        struct pane *p = &t->panes[i];
        struct tui_lines old = p->lines;
        p->lines = (struct tui_lines){ 0 };
        p->ops->reflow(t, p);
        if (!lines_equal(&old, &p->lines))
            p->dirty |= DIRTY_ALL;
        lines_clear(&old);
    }
}

void tui_poll(struct tui *t)
{
    uint64_t gen;
    struct fc_err err = { 0 };
    leader_poll(t);
    if (fc_store_generation(t->st, &gen, &err) != FC_OK || gen == t->gen)
        return;
    t->gen = gen;
    struct tui_list_data d;
    if (data_load_list(t, &d, &err) == FC_OK) {
        if (data_list_equal(&d, &t->data)) {
            data_free_list(&d);
        } else {
            fc_id keep = list_selected_case(t);
            data_free_list(&t->data);
            t->data = d;
            list_rebuild(t, keep);
        }
    }
    if (t->open_case)
        reload_case(t);
}

/* ---- title, status, help ---------------------------------------------------- */

static void draw_title(struct tui *t)
{
    static const char *const scopes[SCOPE_COUNT] = { N_("all"), N_("team"), N_("mine") };
    static const char *const shows[SHOW_COUNT] = { N_("open"), N_("closed"), N_("open+closed") };
    static const char *const sorts[SORT_COUNT] = {
        N_("by name"), N_("by deadline"), N_("by school"), N_("by phase"),
    };
    char right[256], left[FC_NAME_MAX + 4200];
    snprintf(right, sizeof right, "%s%s%s  %s, %s, %s  %zu/%zu",
             t->query[0] ? "/" : "", t->query, t->query[0] ? " " : "",
             _(shows[t->show]), _(scopes[t->scope]), _(sorts[t->sort]),
             t->nvis ? t->sel + 1 : 0, t->nvis);
    snprintf(left, sizeof left, "fitcase  %s  %s", t->opts->login ? t->opts->login : "",
             fc_store_path(t->st));
    WINDOW *w = t->title;
    werase(w);
    int rw = text_width(t, right);
    if (rw > t->cols)
        rw = t->cols;
    draw_text(t, w, 0, 0, 7, A_BOLD, false, "fitcase");
    draw_text(t, w, 0, 7, t->cols - rw - 8, A_NORMAL, false, left + 7);
    draw_text(t, w, 0, t->cols - rw, rw, A_NORMAL, false, right);
}

static int draw_hint(struct tui *t, int x, const struct request_info *ri)
{
    char key[24];
    tui_key_name(ri->keys[0], key, sizeof key);
    x += draw_text(t, t->status, 0, x, t->cols - x, A_BOLD, false, key);
    x += draw_text(t, t->status, 0, x, t->cols - x, A_NORMAL, false, " ");
    x += draw_text(t, t->status, 0, x, t->cols - x, A_NORMAL, false, _(ri->hint));
    x += draw_text(t, t->status, 0, x, t->cols - x, A_NORMAL, false, "  ");
    return x;
}

static int hint_width(struct tui *t, const struct request_info *ri)
{
    char key[24];
    tui_key_name(ri->keys[0], key, sizeof key);
    return text_width(t, key) + 1 + text_width(t, _(ri->hint));
}

/* The focused pane's hints in table order, as many as fit; "? help"
 * always fits, since it leads to all the others. */
static void draw_hints(struct tui *t)
{
    unsigned scope = pane_ops[t->focus]->scope;
    const struct request_info *help = &tui_requests[REQ_HELP];
    int reserve = hint_width(t, help) + 2;
    int x = 0;
    for (int r = 0; r < REQ_COUNT && x < t->cols; r++) {
        const struct request_info *ri = &tui_requests[r];
        if (!ri->hint || !(ri->hint_in & scope) || r == REQ_HELP)
            continue;
        if (x + hint_width(t, ri) > t->cols - reserve)
            break;
        x = draw_hint(t, x, ri);
    }
    if (x + reserve - 2 <= t->cols)
        draw_hint(t, x, help);
}

static void draw_status(struct tui *t)
{
    WINDOW *w = t->status;
    werase(w);
    if (t->form) {
        form_status(t, w);
    } else if (t->prompting) {
        char buf[256];
        snprintf(buf, sizeof buf, _("Search (Enter keeps, Esc cancels): %s"), t->query);
        int x = draw_text(t, w, 0, 0, t->cols - 1, A_NORMAL, false, buf);
        /* The cursor: the character under it in reverse. */
        struct ledit *e = t->prompt;
        size_t at = e->cur, next = at;
        if (next < e->len)
            next++;
        while (next < e->len && ((unsigned char)e->buf[next] & 0xc0) == 0x80)
            next++;
        char under[8] = " ";
        if (at < e->len) {
            memcpy(under, e->buf + at, next - at);
            under[next - at] = '\0';
        }
        char tail[256];
        snprintf(tail, sizeof tail, "%s", e->buf + at);
        x -= text_width(t, tail);
        draw_text(t, w, 0, x, 2, A_REVERSE, false, under);
    } else if (t->message[0]) {
        draw_text(t, w, 0, 0, t->cols, A_NORMAL, false, t->message);
    } else if (!leader_status(t, w)) {
        draw_hints(t);
    }
}

static void help_lines(struct tui *t, struct tui_lines *l)
{
    lines_add(l, A_BOLD, "%s", _("Keys (q, ? or Esc closes this help)"));
    for (int r = 0; r < REQ_COUNT; r++) {
        const struct request_info *ri = &tui_requests[r];
        char keys[64] = "";
        size_t len = 0;
        char seen[3][24] = { "", "", "" };
        for (int k = 0; k < 3 && ri->keys[k]; k++) {
            tui_key_name(ri->keys[k], seen[k], sizeof seen[k]);
            bool dup = false;
            for (int j = 0; j < k; j++)
                dup |= strcmp(seen[j], seen[k]) == 0;
            if (!dup)
                len += (size_t)snprintf(keys + len, sizeof keys - len, "%s%s", len ? ", " : "",
                                        seen[k]);
        }
        char line[512];
        int pad = 18 - text_width(t, keys);
        if (pad < 0) {
            /* Keys wider than their column (a translated key name): the
             * keys on a line of their own, the text under the column. */
            lines_add(l, A_NORMAL, "  %s", keys);
            snprintf(line, sizeof line, "%21s%s", "", _(ri->help));
        } else {
            snprintf(line, sizeof line, "  %s%*s %s", keys, pad, "", _(ri->help));
        }
        lines_add_wrapped(t, l, A_NORMAL, t->cols, 21, line);
    }
    lines_add(l, A_NORMAL, "%s", "");
    lines_add(l, A_BOLD, "%s", _("The case list"));
    int w = t->cols;
    lines_add_wrapped(t, l, A_NORMAL, w, 9, _("  Days   days left to the current phase's deadline; -3! is three days overdue."));
    lines_add_wrapped(t, l, A_NORMAL, w, 9, _("  ORS    the latest ORS total about the child / the cut-off for the child's age."));
    lines_add_wrapped(t, l, A_NORMAL, w, 9, _("  Flg    O ORS below the cut-off, S SRS below 36, A absence makes the pupil FIT-eligible."));
    lines_add_wrapped(t, l, A_NORMAL, w, 2, _("Search finds pupil names, schools and case numbers (#12) as you type, without regard to accents: \"soren\" finds Søren, \"aa\" finds å."));
    lines_add_wrapped(t, l, A_NORMAL, w, 2, _("The list starts on your own cases (coordinator or secondary contact), a team lead's on the team's; f shows mine, the team's or all. A search looks within the filter; when it finds nothing there but among the team's or all cases, the list says so, Enter shows those, and Esc comes back."));
    lines_add_wrapped(t, l, A_NORMAL, w, 2, _("Absence strip: . at school, S sick, L legal, U unauthorised absence."));
    lines_add_wrapped(t, l, A_NORMAL, w, 2, _("Esc waits ESCDELAY milliseconds (environment, default 25) for a following key; C-g cancels at once."));
}

static void draw_help(struct tui *t)
{
    int h = t->rows - 2;
    if (!t->help)
        t->help = newwin(h, t->cols, 1, 0);
    if (!t->help)
        return;
    leaveok(t->help, TRUE);
    struct tui_lines l = { 0 };
    help_lines(t, &l);
    int max = (int)l.n > h ? (int)l.n - h : 0;
    t->help_top = t->help_top < 0 ? 0 : t->help_top > max ? max : t->help_top;
    werase(t->help);
    for (int r = 0; r < h && (size_t)(t->help_top + r) < l.n; r++)
        draw_text(t, t->help, r, 0, t->cols, l.v[t->help_top + r].attr, false,
                  l.v[t->help_top + r].text);
    lines_clear(&l);
}

static void close_help(struct tui *t)
{
    t->help_shown = false;
    if (t->help) {
        delwin(t->help);
        t->help = NULL;
    }
    /* The panes' windows still hold their text: copying them back is enough. */
    for (int i = 0; i < PANE_COUNT; i++)
        if (t->panes[i].win)
            touchwin(t->panes[i].win);
    mark_all(t, DIRTY_TOUCH);
}

/* ---- the update cycle --------------------------------------------------------- */

static void draw_too_small(struct tui *t)
{
    werase(stdscr);
    char lines[2][96];
    snprintf(lines[0], sizeof lines[0], _("Terminal too small (%dx%d)."), t->cols, t->rows);
    snprintf(lines[1], sizeof lines[1], _("fitcase needs %dx%d."), MIN_COLS, MIN_ROWS);
    for (int i = 0; i < 2; i++) {
        int y = t->rows / 2 - 1 + i, w = text_width(t, lines[i]);
        if (y >= 0 && y < t->rows)
            draw_text(t, stdscr, y, w < t->cols ? (t->cols - w) / 2 : 0, t->cols,
                      A_NORMAL, false, lines[i]);
    }
    wnoutrefresh(stdscr);
}

void tui_update(struct tui *t)
{
    bool any = false;
    if (t->too_small) {
        if (t->title_dirty) {
            draw_too_small(t);
            t->title_dirty = false;
            any = true;
        }
    } else {
        if (t->title_dirty) {
            draw_title(t);
            wnoutrefresh(t->title);
            t->title_dirty = false;
            any = true;
        }
        bool covered = t->help_shown || t->form || leader_shown(t);
        for (int i = 0; i < PANE_COUNT && !covered; i++) {
            struct pane *p = &t->panes[i];
            if (!p->shown || !p->dirty || !p->win)
                continue;
            if (p->dirty & (DIRTY_ALL | DIRTY_ROWS))
                p->ops->draw(t, p);
            wnoutrefresh(p->win);
            p->dirty = 0;
            any = true;
        }
        any |= leader_update(t);
        if (t->form && t->form_dirty) {
            form_draw(t);
            t->form_dirty = false;
            any = true;
        }
        if (t->help_shown && t->help_dirty && !t->form) {
            draw_help(t);
            wnoutrefresh(t->help);
            t->help_dirty = false;
            any = true;
        }
        if (t->status_dirty) {
            draw_status(t);
            wnoutrefresh(t->status);
            t->status_dirty = false;
            any = true;
        }
    }
    if (any)
        doupdate();
}

/* ---- input ---------------------------------------------------------------------- */

/* After a search that widened the filter: the filter the user had. */
static void restore_scope(struct tui *t)
{
    if (!t->scope_widened)
        return;
    t->scope_widened = false;
    t->scope = t->scope_before;
    list_rebuild(t, list_selected_case(t));
}

static void set_query(struct tui *t, const char *q, fc_id keep)
{
    fc_strlcpy_utf8(t->query, q, sizeof t->query);
    fc_fold(t->query, t->query_fold, sizeof t->query_fold);
    t->sel = 0;
    list_rebuild(t, keep);
    t->status_dirty = true;
}

static void start_search(struct tui *t)
{
    tui_focus(t, PANE_LIST);
    t->prompting = true;
    snprintf(t->saved_query, sizeof t->saved_query, "%s", t->query);
    t->saved_case = list_selected_case(t);
    t->prompt->cap = sizeof t->query;
    ledit_set(t->prompt, t->query);
    t->status_dirty = true;
}

/* Keys while the search prompt is open: the line editor, and the list
 * narrows at once. Up and Down still move in the list. */
static void prompt_key(struct tui *t, int key)
{
    enum request r = tui_key_request(key);
    if (r == REQ_CANCEL) {
        t->prompting = false;
        set_query(t, t->saved_query, t->saved_case);
    } else if (r == REQ_OPEN) {
        t->prompting = false;
        t->status_dirty = true;
        size_t n;
        enum scope wider = list_wider_match(t, &n);
        if (!t->query[0]) {
            restore_scope(t);
        } else if (wider != t->scope) {
            /* Nothing in the filter, something in a wider one: show that
             * (a colleague's case, say); clearing the search comes back. */
            if (!t->scope_widened)
                t->scope_before = t->scope;
            t->scope_widened = true;
            bool from_mine = t->scope == SCOPE_MINE && wider == SCOPE_TEAM;
            t->scope = wider;
            list_rebuild(t, 0);
            if (from_mine)
                tui_message(t, ngettext("Not in your cases; the team has %zu match for \"%s\". "
                                        "Esc goes back.",
                                        "Not in your cases; the team has %zu matches for \"%s\". "
                                        "Esc goes back.", n), n, t->query);
            else
                tui_message(t, ngettext("Not in the filter; all cases have %zu match for \"%s\". "
                                        "Esc goes back.",
                                        "Not in the filter; all cases have %zu matches for \"%s\". "
                                        "Esc goes back.", n), n, t->query);
        } else if (t->scope == SCOPE_MINE && list_count_beyond(t, SCOPE_TEAM)) {
            /* Your own Hansen must not hide the colleague's Hansen. */
            tui_message(t, ngettext("%zu of your cases matches \"%s\"; the team has more: "
                                    "f shows them.",
                                    "%zu of your cases match \"%s\"; the team has more: "
                                    "f shows them.", t->nvis), t->nvis, t->query);
        } else {
            tui_message(t, ngettext("%zu case matches \"%s\"; Enter opens, Esc clears the search.",
                                    "%zu cases match \"%s\"; Enter opens, Esc clears the search.",
                                    t->nvis),
                        t->nvis, t->query);
        }
        /* An empty list's line says what Enter or f would show. */
        if (!t->nvis)
            t->panes[PANE_LIST].dirty |= DIRTY_ALL;
    } else if (key == TK_FN(KEY_UP) || key == TK_FN(KEY_DOWN) || key == TK_FN(KEY_PPAGE) ||
               key == TK_FN(KEY_NPAGE)) {
        t->panes[PANE_LIST].ops->request(t, &t->panes[PANE_LIST], r);
    } else {
        bool changed;
        if (ledit_key(t->prompt, key, &changed) && changed)
            set_query(t, t->prompt->buf, list_selected_case(t));
        t->status_dirty = true;
    }
}

static void help_key(struct tui *t, enum request r)
{
    int h = t->rows - 2;
    switch (r) {
    case REQ_UP:        t->help_top--; break;
    case REQ_DOWN:      t->help_top++; break;
    case REQ_PAGE_UP:   t->help_top -= h; break;
    case REQ_PAGE_DOWN: t->help_top += h; break;
    case REQ_FIRST:     t->help_top = 0; break;
    case REQ_LAST:      t->help_top = 1 << 20; break;
    case REQ_REDRAW:    tui_repaint(t); break;
    case REQ_HELP: case REQ_QUIT: case REQ_CANCEL:
        close_help(t);
        return;
    default:
        return;
    }
    t->help_dirty = true;
}

static void cancel(struct tui *t)
{
    if (t->focus != PANE_LIST)
        tui_focus(t, PANE_LIST);
    else if (t->query[0]) {
        fc_id keep = list_selected_case(t);
        bool widened = t->scope_widened;
        restore_scope(t);
        set_query(t, "", keep);
        tui_message(t, "%s", widened ? _("Search cleared; the filter is as before.")
                                     : _("Search cleared."));
    }
}

/* Forms work on the opened case, or from the list on the selected one. */
static void open_form(struct tui *t, enum form_kind kind, int arg)
{
    fc_id id = 0;
    if (kind != FORM_CASE_NEW && kind != FORM_IMPORT) {
        id = t->focus == PANE_LIST ? list_selected_case(t) : t->open_case;
        if (!id) {
            tui_message(t, "%s", _("Select a case first."));
            return;
        }
    }
    struct fc_err err = { 0 };
    struct form *fm = forms_new(t, kind, id, arg, &err);
    if (!fm) {
        tui_message(t, "%s", err.msg);
        return;
    }
    form_open(t, fm);
}

/* e edits what the focused pane shows: in the meetings tab the selected
 * meeting, in the absence tab the absence, else the case details. */
static void edit(struct tui *t)
{
    bool open = t->open_case && t->cv.loaded && !t->cv.missing;
    if (t->focus == PANE_DETAIL && open && t->tab == TAB_MEETINGS) {
        fc_id m = detail_selected_meeting(t);
        if (m)
            open_form(t, FORM_MEETING, (int)m);
        else
            tui_message(t, "%s", _("This case has no meeting yet; m adds one."));
    } else if (t->focus == PANE_DETAIL && open && t->tab == TAB_ABSENCE) {
        open_form(t, FORM_ABSENCE, 0);
    } else {
        open_form(t, FORM_CASE_EDIT, 0);
    }
}

static void delete(struct tui *t)
{
    fc_id m = t->focus == PANE_DETAIL && t->tab == TAB_MEETINGS ? detail_selected_meeting(t) : 0;
    if (m)
        open_form(t, FORM_MEETING, -(int)m);
    else
        tui_message(t, "%s", _("d deletes the meeting selected in the meetings tab."));
}

/* A draft kept when the link dropped: offered back over its form. */
static void offer_draft(struct tui *t)
{
    struct fc_draft d = { 0 };
    if (!draft_read(t, &d))
        return;
    struct fc_err err = { 0 };
    const char *arg = fc_draft_get(&d, "_arg");
    struct form *fm = forms_new(t, (enum form_kind)form_kind_lookup(d.form), d.case_id,
                                arg ? atoi(arg) : 0, &err);
    if (!fm) {
        tui_message(t, _("A draft was kept but its form cannot open: %s"), err.msg);
        fc_draft_free(&d);
        return;
    }
    draft_apply(fm, &d);
    fc_draft_free(&d);
    fm->mode = FM_OFFER_DRAFT;
    snprintf(fm->ask, sizeof fm->ask,
             _("When the connection dropped you were filling in \"%s\". What you typed was "
               "kept as a draft."), fm->title);
    form_open(t, fm);
}

static void handle_key(struct tui *t, int key)
{
    if (t->message[0] && !t->prompting) {
        t->message[0] = '\0';
        t->status_dirty = true;
    }
    enum request r = tui_key_request(key);
    if (t->too_small) {
        t->quit = r == REQ_QUIT && !form_unsaved(t);
        return;
    }
    if (t->form) {
        form_key(t, key);
        return;
    }
    if (t->prompting) {
        prompt_key(t, key);
        return;
    }
    if (t->help_shown) {
        help_key(t, r);
        return;
    }
    if (leader_key(t, r))
        return;
    switch (r) {
    case REQ_QUIT:      t->quit = true; return;
    case REQ_FORM_QUIT: t->quit = true; return;
    case REQ_NEW_CASE:  open_form(t, FORM_CASE_NEW, 0); return;
    case REQ_MEETING:   open_form(t, FORM_MEETING, 0); return;
    case REQ_ABSENCE:   open_form(t, FORM_ABSENCE, 0); return;
    case REQ_EDIT_CASE: edit(t); return;
    case REQ_DELETE:    delete(t); return;
    case REQ_IMPORT:    open_form(t, FORM_IMPORT, 0); return;
    case REQ_PHASE_NEXT: open_form(t, FORM_PHASE, 1); return;
    case REQ_PHASE_BACK: open_form(t, FORM_PHASE, -1); return;
    case REQ_HELP:      t->help_shown = t->help_dirty = true; t->help_top = 0; return;
    case REQ_SEARCH:    start_search(t); return;
    case REQ_LEADER:    leader_open(t); return;
    case REQ_CANCEL:    cancel(t); return;
    case REQ_REDRAW:    tui_repaint(t); mark_all(t, DIRTY_ALL); return;
    case REQ_NEXT_PANE:
    case REQ_PREV_PANE: {
        /* List, case, detail; the compact layout shows case or detail. */
        int step = r == REQ_NEXT_PANE ? 1 : PANE_COUNT - 1;
        tui_focus(t, (enum pane_id)((t->focus + step) % PANE_COUNT));
        return;
    }
    case REQ_TAB_PREV:
    case REQ_TAB_NEXT:
        if (t->focus != PANE_LIST)
            tui_set_tab(t, r == REQ_TAB_NEXT ? 1 : -1);
        return;
    default:
        break;
    }
    struct pane *p = &t->panes[t->focus];
    if (r != REQ_NONE)
        p->ops->request(t, p, r);
}

/* Keys are read through stdscr, which no pane draws on after a relayout:
 * it stays untouched, so reading never refreshes anything, and it exists
 * in every state, too small included. */
static int read_key(void)
{
    wint_t ch;
    int rc = wget_wch(stdscr, &ch);
    if (rc == ERR)
        return TK_NONE;
    return rc == KEY_CODE_YES ? TK_FN((int)ch) : (int)ch;
}

/* ---- start and end -------------------------------------------------------------- */

static int screen_start(struct tui *t, struct fc_err *err)
{
    const char *cs = nl_langinfo(CODESET);
    t->utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    if (t->opts->script) {
        t->term_out = fopen("/dev/null", "w");
        t->term_in = fopen("/dev/null", "r");
    }
    t->screen = newterm(NULL, t->term_out ? t->term_out : stdout,
                        t->term_in ? t->term_in : stdin);
    if (!t->screen) {
        err->code = FC_EINVAL;
        snprintf(err->msg, sizeof err->msg,
                 _("cannot use the terminal '%s': check TERM"), getenv("TERM") ? getenv("TERM") : "");
        return err->code;
    }
    set_term(t->screen);
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    cbreak();
    /* Ctrl-S saves a form and Ctrl-Q quits: take them from flow control.
     * endwin() puts back the terminal modes saved at newterm(). */
    struct termios tio;
    int fd = fileno(t->term_in ? t->term_in : stdin);
    if (tcgetattr(fd, &tio) == 0) {
        tio.c_iflag &= (tcflag_t)~(IXON | IXOFF);
        tcsetattr(fd, TCSANOW, &tio);
        def_prog_mode();
    }
    noecho();
    nonl();
    curs_set(0);
    leaveok(stdscr, TRUE);
    keypad(stdscr, TRUE);
    wtimeout(stdscr, POLL_MS);
    if (has_colors() && !getenv("NO_COLOR")) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_RED, -1);
        t->color = true;
    }
    return FC_OK;
}

static void screen_end(struct tui *t)
{
    free_windows(t);
    if (t->screen) {
        endwin();
        delscreen(t->screen);
    }
    if (t->term_out)
        fclose(t->term_out);
    if (t->term_in)
        fclose(t->term_in);
}

static void run(struct tui *t)
{
    int64_t last_poll = now_ms();
    while (!t->quit && !hangup) {
        tui_update(t);
        int key = t->script ? script_next_key(t) : read_key();
        if (hangup)
            break;
        if (key == -2)
            break;
        if (key == TK_RESIZE) {
            tui_relayout(t);
            continue;
        }
        if (key != TK_NONE)
            handle_key(t, key);
        /* Poll on the timeout, and between keys when typing never stops. */
        if (!t->script && (key == TK_NONE || now_ms() - last_poll >= POLL_MS)) {
            tui_poll(t);
            last_poll = now_ms();
        }
    }
}

static void catch_hangup(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hangup;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a read waiting for a key returns, and the loop sees it. */
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* The list the role needs first: a caseworker their own cases, a lead
 * (and an admin who is in a team) the team's. With nobody acting (the
 * operator on a store without staff) there is no "mine": all. */
static enum scope default_scope(const struct tui *t)
{
    const struct fc_staff *me = fc_store_actor(t->st);
    if (!me)
        return SCOPE_ALL;
    if (me->role == FC_ROLE_CASEWORKER)
        return SCOPE_MINE;
    return me->team_id ? SCOPE_TEAM : SCOPE_ALL;
}

int fc_tui_run(struct fc_store *st, const struct fc_tui_opts *opts, struct fc_err *err)
{
    static struct ledit prompt;
    struct tui t = { .st = st, .opts = opts, .focus = PANE_LIST, .lower = PANE_CASE,
                     .prompt = &prompt };
    hangup = 0;
    catch_hangup();
    for (int i = 0; i < PANE_COUNT; i++)
        t.panes[i].ops = pane_ops[i];
    fc_settings_default(&t.settings);
    /* The generation first: a write between it and the load shows up at
     * the next poll instead of getting lost. */
    int rc = fc_store_generation(st, &t.gen, err);
    if (rc == FC_OK)
        rc = data_load_list(&t, &t.data, err);
    if (rc == FC_OK && opts->script)
        rc = script_open(&t, opts->script, err);
    if (rc == FC_OK)
        rc = screen_start(&t, err);
    if (rc == FC_OK) {
        t.scope = default_scope(&t);
        list_rebuild(&t, 0);
        tui_relayout(&t);
        offer_draft(&t);
        run(&t);
    }
    /* The link dropped: what was typed becomes a draft. The terminal may be
     * gone, so nothing more is drawn. */
    /* A draft still being offered is on disk already. */
    /* An import's outcome on the screen is done: no draft of it. */
    if (hangup && t.form && t.form->touched && t.form->mode != FM_OFFER_DRAFT &&
        t.form->mode != FM_RESULT)
        draft_write(&t, t.form);
    form_free(t.form);
    t.form = NULL;
    if (t.formwin)
        delwin(t.formwin);
    leader_free(&t);
    screen_end(&t);
    script_close(&t);
    for (int i = 0; i < PANE_COUNT; i++)
        lines_clear(&t.panes[i].lines);
    data_free_case(&t.cv);
    data_free_list(&t.data);
    free(t.vis);
    free(t.meeting_line);
    return rc;
}
