/* The case list pane: filter, search and sort over the loaded rows, and a
 * repaint of only the old and the new selected row when the selection
 * moves (htop's Panel_draw), so a move costs a few dozen bytes. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fitcase/i18n.h"
#include "fitcase/text.h"
#include "tui.h"

static const struct tui_row *sort_rows;
static enum sort_key sort_by;

/* The row's key starts with the folded name, then the folded school. */
static const char *key_school(const struct tui_row *r)
{
    const char *s = strchr(r->key, '\x1f');
    return s ? s + 1 : "";
}

static int cmp_name(const struct tui_row *a, const struct tui_row *b)
{
    int c = strcmp(a->key, b->key);
    return c ? c : (a->case_id > b->case_id) - (a->case_id < b->case_id);
}

static int cmp_deadline(const struct tui_row *a, const struct tui_row *b)
{
    bool da = a->open && a->has_deadline, db = b->open && b->has_deadline;
    if (da != db)
        return da ? -1 : 1;
    if (da && a->days_left != b->days_left)
        return a->days_left < b->days_left ? -1 : 1;
    return cmp_name(a, b);
}

static int cmp_rows(const void *pa, const void *pb)
{
    const struct tui_row *a = &sort_rows[*(const size_t *)pa];
    const struct tui_row *b = &sort_rows[*(const size_t *)pb];
    int c = 0;
    switch (sort_by) {
    case SORT_DEADLINE:
        return cmp_deadline(a, b);
    case SORT_SCHOOL:
        c = strcmp(key_school(a), key_school(b));
        break;
    case SORT_PHASE:
        if (a->phase_index != b->phase_index)
            return a->phase_index < b->phase_index ? -1 : 1;
        return cmp_deadline(a, b);
    case SORT_NAME:
    case SORT_COUNT:
        break;
    }
    return c ? c : cmp_name(a, b);
}

/* Mine: the cases I coordinate or am the secondary contact of. Team: the
 * cases of my team. All: every case the store lets me see. */
static bool row_in_scope(const struct tui *t, const struct tui_row *r, enum scope scope)
{
    switch (scope) {
    case SCOPE_MINE:
        return t->data.me && (r->coordinator == t->data.me || r->secondary == t->data.me);
    case SCOPE_TEAM:
        return t->data.my_team && r->team == t->data.my_team;
    case SCOPE_ALL:
    case SCOPE_COUNT:
        break;
    }
    return true;
}

/* The open/closed filter and the search, whatever the scope. */
static bool row_matches(const struct tui *t, const struct tui_row *r)
{
    if ((t->show == SHOW_OPEN && !r->open) || (t->show == SHOW_CLOSED && r->open))
        return false;
    return t->query_fold[0] == '\0' || fc_fold_contains(r->key, t->query_fold);
}

static bool row_passes(const struct tui *t, const struct tui_row *r)
{
    return row_in_scope(t, r, t->scope) && row_matches(t, r);
}

enum scope list_scope_after(enum scope s)
{
    return (enum scope)((s + SCOPE_COUNT - 1) % SCOPE_COUNT);
}

size_t list_count_beyond(const struct tui *t, enum scope s)
{
    size_t n = 0;
    for (size_t i = 0; i < t->data.n; i++) {
        const struct tui_row *r = &t->data.rows[i];
        if (row_in_scope(t, r, s) && !row_in_scope(t, r, t->scope) && row_matches(t, r))
            n++;
    }
    return n;
}

enum scope list_wider_match(const struct tui *t, size_t *n)
{
    *n = 0;
    if (t->nvis || !t->query_fold[0])
        return t->scope;
    /* f goes mine, team, all: the wider ones after this one, until all. */
    for (enum scope s = t->scope; s != SCOPE_ALL;) {
        s = list_scope_after(s);
        if ((*n = list_count_beyond(t, s)) != 0)
            return s;
    }
    return t->scope;
}

static void keep_visible(struct tui *t)
{
    struct pane *p = &t->panes[PANE_LIST];
    size_t body = p->h > 1 ? (size_t)p->h - 1 : 1;
    size_t top = t->top;
    if (t->sel < top)
        top = t->sel;
    else if (t->sel >= top + body)
        top = t->sel - body + 1;
    if (t->nvis <= body)
        top = 0;
    else if (top > t->nvis - body)
        top = t->nvis - body;
    if (top != t->top) {
        t->top = top;
        p->dirty |= DIRTY_ALL;
    }
    /* The rows now in view get their ORS and flags before anything draws. */
    data_fill_rows(t, t->top, t->top + body);
}

void list_rebuild(struct tui *t, fc_id keep)
{
    free(t->vis);
    t->vis = malloc((t->data.n ? t->data.n : 1) * sizeof *t->vis);
    t->nvis = 0;
    for (size_t i = 0; t->vis && i < t->data.n; i++)
        if (row_passes(t, &t->data.rows[i]))
            t->vis[t->nvis++] = i;
    sort_rows = t->data.rows;
    sort_by = t->sort;
    if (t->nvis > 1)
        qsort(t->vis, t->nvis, sizeof *t->vis, cmp_rows);
    size_t sel = t->sel < t->nvis ? t->sel : t->nvis ? t->nvis - 1 : 0;
    for (size_t i = 0; keep && i < t->nvis; i++)
        if (t->data.rows[t->vis[i]].case_id == keep) {
            sel = i;
            break;
        }
    t->sel = sel;
    t->panes[PANE_LIST].dirty |= DIRTY_ALL;
    t->title_dirty = true;
    keep_visible(t);
}

fc_id list_selected_case(const struct tui *t)
{
    return t->sel < t->nvis ? t->data.rows[t->vis[t->sel]].case_id : 0;
}

/* ---- drawing ------------------------------------------------------------ */

struct cols {
    int name, school, grade, phase, days, ors, flags;
};

static struct cols columns(int width)
{
    struct cols c = { .days = 6, .ors = 7, .flags = 3 };
    int avail = width - 1 - (c.days + 1) - (c.ors + 1) - (c.flags + 1);
    if (width >= 60) {
        c.grade = 2;
        avail -= 3;
    }
    if (width >= 60 && avail >= 36) {
        /* name : school : phase = 2 : 1.5 : 1.2 or so, by what the names need */
        c.phase = avail * 25 / 100;
        c.school = width >= 70 ? avail * 32 / 100 : 0;
        avail -= c.phase + 1 + (c.school ? c.school + 1 : 0);
    }
    c.name = avail > 4 ? avail : 4;
    return c;
}

static void cell(struct tui *t, WINDOW *w, int y, int *x, int width, attr_t a,
                 const char *s, bool right)
{
    if (width <= 0)
        return;
    if (right) {
        int tw = text_width(t, s);
        if (tw < width) {
            draw_text(t, w, y, *x, width - tw, A_NORMAL, true, "");
            draw_text(t, w, y, *x + width - tw, tw, a, false, s);
            *x += width + 1;
            return;
        }
    }
    draw_text(t, w, y, *x, width, a, true, s);
    *x += width + 1;
}

static void format_ors(const struct tui_row *r, char *buf, size_t cap)
{
    if (r->ors < 0) {
        buf[0] = '\0';
        return;
    }
    char tot[8];
    format_tenths(r->ors, tot);
    if (r->ors_cutoff % 10 == 0)
        snprintf(buf, cap, "%s/%d", tot, r->ors_cutoff / 10);
    else {
        char cut[8];
        format_tenths(r->ors_cutoff, cut);
        snprintf(buf, cap, "%s/%s", tot, cut);
    }
}

static void draw_row(struct tui *t, struct pane *p, size_t i)
{
    int y = (int)(i - t->top) + 1;
    if (y < 1 || y >= p->h)
        return;
    WINDOW *w = p->win;
    const struct tui_row *r = &t->data.rows[t->vis[i]];
    struct cols c = columns(p->w);
    bool selected = i == t->sel;
    attr_t sel_attr = !selected ? A_NORMAL : t->focus == PANE_LIST ? A_REVERSE : A_BOLD;
    int x = 0;
    cell(t, w, y, &x, 1, sel_attr, selected ? ">" : " ", false);
    x--;    /* the marker and the name make one highlighted block */
    cell(t, w, y, &x, c.name, sel_attr, r->pupil, false);
    cell(t, w, y, &x, c.school, A_NORMAL, r->school, false);
    char buf[32];
    snprintf(buf, sizeof buf, "%d", r->grade);
    cell(t, w, y, &x, c.grade, A_NORMAL, buf, true);
    cell(t, w, y, &x, c.phase, A_NORMAL, r->phase, false);

    attr_t days_attr = A_NORMAL;
    buf[0] = '\0';
    if (!r->open)
        snprintf(buf, sizeof buf, "%s", _("closed"));
    else if (r->has_deadline && r->days_left < 0) {
        snprintf(buf, sizeof buf, "%d!", r->days_left);
        days_attr = A_BOLD | attr_alert(t);
    } else if (r->has_deadline)
        snprintf(buf, sizeof buf, "%d", r->days_left);
    cell(t, w, y, &x, c.days, days_attr, buf, true);

    format_ors(r, buf, sizeof buf);
    cell(t, w, y, &x, c.ors, r->flags & FLAG_ORS_LOW ? A_BOLD : A_NORMAL, buf, true);
    snprintf(buf, sizeof buf, "%c%c%c", r->flags & FLAG_ORS_LOW ? 'O' : ' ',
             r->flags & FLAG_SRS_LOW ? 'S' : ' ', r->flags & FLAG_FIT_ABSENCE ? 'A' : ' ');
    cell(t, w, y, &x, c.flags, r->flags ? A_BOLD : A_NORMAL, buf, false);
    if (x < p->w)
        draw_text(t, w, y, x, p->w - x, A_NORMAL, true, "");
}

static void draw_header(struct tui *t, struct pane *p)
{
    struct cols c = columns(p->w);
    int x = 1;
    attr_t a = A_BOLD;
    cell(t, p->win, 0, &x, c.name, a, _("Pupil"), false);
    cell(t, p->win, 0, &x, c.school, a, _("School"), false);
    cell(t, p->win, 0, &x, c.grade, a, _("Gr"), true);
    cell(t, p->win, 0, &x, c.phase, a, _("Phase"), false);
    cell(t, p->win, 0, &x, c.days, a, _("Days"), true);
    cell(t, p->win, 0, &x, c.ors, a, _("ORS"), true);
    cell(t, p->win, 0, &x, c.flags, a, _("Flg"), false);
}

/* An empty list says why, and where a search would find something: a
 * caseworker on the phone about a colleague's case must not take "none
 * of mine" for "none at all". */
static void draw_empty(struct tui *t, struct pane *p)
{
    char buf[512];
    size_t n;
    enum scope wider = list_wider_match(t, &n);
    const struct fc_staff *me = fc_store_actor(t->st);
    if (!t->data.n && me && me->role == FC_ROLE_ADMIN && !me->team_id) {
        snprintf(buf, sizeof buf, "%s",
                 _("No cases: an administrator sees cases only as a member of a team."));
    } else if (!t->data.n) {
        snprintf(buf, sizeof buf, "%s", _("The store has no cases yet."));
    } else if (wider == t->scope) {
        snprintf(buf, sizeof buf, "%s",
                 _("No case matches; Esc clears the search, f and o widen the filter."));
    } else {
        char found[256];
        if (t->scope == SCOPE_MINE && wider == SCOPE_TEAM)
            snprintf(found, sizeof found,
                     ngettext("None of your cases matches; %zu of the team's does.",
                              "None of your cases matches; %zu of the team's do.", n), n);
        else
            snprintf(found, sizeof found,
                     ngettext("No case in this filter matches; %zu of all cases does.",
                              "No case in this filter matches; %zu of all cases do.", n), n);
        snprintf(buf, sizeof buf, "%s %s", found,
                 t->prompting ? _("Enter widens the filter.") : _("f widens the filter."));
    }
    int y = 1, w = p->w - 1;
    /* Wrapped over the pane's rows: at 40 columns it takes two. */
    struct tui_lines l = { 0 };
    lines_add_wrapped(t, &l, A_NORMAL, w, 0, buf);
    for (size_t i = 0; i < l.n && y < p->h; i++, y++)
        draw_text(t, p->win, y, 1, w, A_NORMAL, false, l.v[i].text);
    lines_clear(&l);
}

static void list_draw(struct tui *t, struct pane *p)
{
    if (p->dirty & DIRTY_ALL) {
        werase(p->win);
        draw_header(t, p);
        for (size_t i = t->top; i < t->nvis && (int)(i - t->top) + 1 < p->h; i++)
            draw_row(t, p, i);
        if (t->nvis == 0)
            draw_empty(t, p);
    } else {
        if (t->drawn_sel != t->sel && t->drawn_sel < t->nvis)
            draw_row(t, p, t->drawn_sel);
        if (t->sel < t->nvis)
            draw_row(t, p, t->sel);
    }
    t->drawn_sel = t->sel;
}

static void list_reflow(struct tui *t, struct pane *p)
{
    (void)p;
    keep_visible(t);
}

static bool list_request(struct tui *t, struct pane *p, enum request r)
{
    size_t body = p->h > 1 ? (size_t)p->h - 1 : 1;
    size_t sel = t->sel;
    switch (r) {
    case REQ_UP:        sel = sel > 0 ? sel - 1 : 0; break;
    case REQ_DOWN:      sel = sel + 1 < t->nvis ? sel + 1 : sel; break;
    case REQ_PAGE_UP:   sel = sel > body ? sel - body : 0; break;
    case REQ_PAGE_DOWN: sel = t->nvis == 0 ? 0 : sel + body < t->nvis ? sel + body : t->nvis - 1; break;
    case REQ_FIRST:     sel = 0; break;
    case REQ_LAST:      sel = t->nvis ? t->nvis - 1 : 0; break;
    case REQ_OPEN:
        if (t->nvis)
            tui_open_case(t, list_selected_case(t));
        return true;
    case REQ_SORT: {
        static const char *const names[SORT_COUNT] = {
            N_("name"), N_("deadline"), N_("school"), N_("phase"),
        };
        t->sort = (t->sort + 1) % SORT_COUNT;
        list_rebuild(t, list_selected_case(t));
        tui_message(t, _("Sorted by %s."), _(names[t->sort]));
        return true;
    }
    case REQ_SCOPE:
        t->scope = list_scope_after(t->scope);
        t->scope_widened = false;   /* chosen now: clearing the search keeps it */
        list_rebuild(t, list_selected_case(t));
        return true;
    case REQ_STATUS:
        t->show = (t->show + 1) % SHOW_COUNT;
        list_rebuild(t, list_selected_case(t));
        return true;
    default:
        return false;
    }
    if (sel != t->sel) {
        t->sel = sel;
        p->dirty |= DIRTY_ROWS;
        t->title_dirty = true;
        keep_visible(t);
    }
    return true;
}

const struct pane_ops list_pane_ops = {
    .scope = IN_LIST,
    .reflow = list_reflow,
    .draw = list_draw,
    .request = list_request,
};
