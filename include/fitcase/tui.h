/* The interactive screen: case list, case pane and detail tabs over the
 * store, drawn with ncursesw for slow links. One entry point. */
#ifndef FITCASE_TUI_H
#define FITCASE_TUI_H

#include "fitcase/store.h"

struct fc_tui_opts {
    const char *login;       /* the acting user: "my cases", the title line */
    fc_date today;           /* deadlines, absence windows and ages count from it */
    /* Headless mode (tests): keystrokes from this file instead of the
     * terminal, rendering into memory; NULL for the real terminal. */
    const char *script;
};

/* Runs until the user quits (or the script ends). Returns FC_OK, or an
 * error in err when the store cannot be read or the terminal not set up. */
int fc_tui_run(struct fc_store *st, const struct fc_tui_opts *opts, struct fc_err *err);

#endif
