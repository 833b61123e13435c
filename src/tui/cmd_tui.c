/* `fitcase [tui]`: opens the store and hands it to the interactive screen.
 * FITCASE_SCRIPT=FILE runs it headless for the screen tests.
 * The language is chosen in main() (src/cli/lang.c). */
#include <config.h>

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <langinfo.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "fitcase/i18n.h"
#include "fitcase/tui.h"

int cmd_tui(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("[--db DIR] [--user LOGIN] [tui]");
    /* In a UTF-8 locale, draw lines with Unicode box characters instead of
     * the VT100 line-drawing set: PuTTY and several thin-client terminals
     * ignore the set switch in UTF-8 mode and show "qqqq" for a line. */
    const char *cs = nl_langinfo(CODESET);
    if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
        setenv("NCURSES_NO_UTF8_ACS", "1", 0);
    if (cli_open(c, false) != 0)
        return 1;
    /* secure_getenv: the binary may be setgid to the store's group, and a
     * script writes its dumps wherever it says. */
    const char *script = secure_getenv("FITCASE_SCRIPT");
    struct fc_tui_opts opts = {
        .login = c->user,
        .today = cli_today(),
        .script = script && *script ? script : NULL,
    };
    struct fc_err err = { 0 };
    if (fc_tui_run(c->st, &opts, &err) != FC_OK)
        return cli_fail(c, &err);
    return 0;
}
