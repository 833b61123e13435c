/* Placeholder until the TUI lands: says so instead of pretending. */
#include <config.h>

#include "../cli/cli.h"
#include "fitcase/i18n.h"

int cmd_tui(struct cli *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (cli_open(c, false) != 0)
        return 1;
    printf(_("fitcase: store %s is open; the interactive screen is not built yet.\n"),
           c->db_dir);
    return 0;
}
