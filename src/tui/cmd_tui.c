/* `fitcase [tui]`: opens the store and hands it to the interactive screen.
 * FITCASE_SCRIPT=FILE runs it headless for the screen tests. */
#include <config.h>

#include <stdlib.h>

#include "../cli/cli.h"
#include "fitcase/i18n.h"
#include "fitcase/tui.h"

int cmd_tui(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("[--db DIR] [--user LOGIN] [tui]");
    if (cli_open(c, false) != 0)
        return 1;
    const char *script = getenv("FITCASE_SCRIPT");
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
