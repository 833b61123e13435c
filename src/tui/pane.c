/* What the text panes (case, detail) share: scrolling through their lines,
 * painting them, and the tab bar that heads them. */
#include <config.h>

#include "fitcase/i18n.h"
#include "tui.h"

static int body_rows(const struct pane *p)
{
    return p->h > 1 ? p->h - 1 : 1;
}

bool pane_scroll_request(struct pane *p, enum request r)
{
    int body = body_rows(p);
    int max = (int)p->lines.n > body ? (int)p->lines.n - body : 0;
    int top = p->top;
    switch (r) {
    case REQ_UP:        top--; break;
    case REQ_DOWN:      top++; break;
    case REQ_PAGE_UP:   top -= body; break;
    case REQ_PAGE_DOWN: top += body; break;
    case REQ_FIRST:     top = 0; break;
    case REQ_LAST:      top = max; break;
    default:
        return false;
    }
    top = top < 0 ? 0 : top > max ? max : top;
    if (top != p->top) {
        p->top = top;
        p->dirty |= DIRTY_ALL;
    }
    return true;
}

void pane_draw_lines(struct tui *t, struct pane *p, int first_row)
{
    int body = p->h - first_row;
    int max = (int)p->lines.n > body ? (int)p->lines.n - body : 0;
    if (p->top > max)
        p->top = max;
    for (int row = 0; row < body && (size_t)(p->top + row) < p->lines.n; row++) {
        const struct tui_line *l = &p->lines.v[p->top + row];
        draw_text(t, p->win, first_row + row, 0, p->w, l->attr, false, l->text);
    }
}

/* One tab: " Name " in reverse when the pane has the focus, bold when it
 * is only shown. Returns the next column. */
static int tab(struct tui *t, struct pane *p, int x, const char *name, bool active)
{
    if (x + 2 >= p->w)
        return x;
    attr_t a = !active ? A_NORMAL : t->focus == (enum pane_id)(p - t->panes) ? A_REVERSE : A_BOLD;
    x += 1;
    x += draw_text(t, p->win, 0, x, p->w - x, a, false, " ");
    x += draw_text(t, p->win, 0, x, p->w - x, a, false, name);
    x += draw_text(t, p->win, 0, x, p->w - x, a, false, " ");
    return x;
}

void pane_draw_tabs(struct tui *t, struct pane *p)
{
    static const char *const tabs[TAB_COUNT] = { N_("Meetings"), N_("Absence"), N_("Chart") };
    draw_hline(t, p->win, 0, 0, p->w);
    bool is_case = p == &t->panes[PANE_CASE];
    int x = 0;
    if (t->layout == LAYOUT_COMPACT || is_case)
        x = tab(t, p, x, _("Case"), is_case);
    if (t->layout == LAYOUT_COMPACT || !is_case)
        for (int i = 0; i < TAB_COUNT; i++)
            x = tab(t, p, x, _(tabs[i]), !is_case && (int)t->tab == i);
    if (t->cv.loaded && !t->cv.missing) {
        /* Which case this is, at the right end of the bar. */
        char who[FC_NAME_MAX + 16];
        snprintf(who, sizeof who, " %s #%u ", t->cv.p.name, (unsigned)t->cv.c.id);
        int room = p->w - x - 2;
        int need = text_width(t, who);
        if (room >= 8)
            draw_text(t, p->win, 0, p->w - 1 - (need < room ? need : room),
                      need < room ? need : room, A_NORMAL, false, who);
    }
}
