/* The leader's view: the figures of `fitcase stats` for the acting login
 * (a caseworker's own cases, a lead's team) and the at-risk list, an
 * overlay over the panes like help, opened from the list with one key.
 * Computed when opened and when the poll sees the store change, never
 * while drawing. The hooks app.c calls: */
#ifndef TUI_LEADER_H
#define TUI_LEADER_H

#include <stdbool.h>

#include "tui.h"

/* Opens the view (computing the figures), or closes it when open. */
void leader_open(struct tui *t);
bool leader_shown(const struct tui *t);
/* A key while the view is shown: true when the view took it (every
 * request but help, quit and redraw). False when the view is not shown. */
bool leader_key(struct tui *t, enum request r);
/* The store changed (tui_poll): recompute if shown; repaint only when the
 * text came out different. */
void leader_poll(struct tui *t);
/* The terminal was laid out anew: the window goes, the text follows the
 * new width at the next update. */
void leader_relayout(struct tui *t);
/* Draws the view when it needs it (wnoutrefresh only); true when it did. */
bool leader_update(struct tui *t);
/* The status line while the view is shown; false when it is not. */
bool leader_status(struct tui *t, WINDOW *w);
void leader_free(struct tui *t);

#endif
