/* Export kinds beyond the record kinds of the CSV module. The charts work
 * (issue 6) takes this file over for `outcomes` and `absence-status`;
 * until then no kind is known here. */
#include <config.h>

#include "../cli/cli.h"

int cli_export_more(struct cli *c, const char *kind, int argc, char **argv);

/* Returns the exit status of the export, or -1 when kind is not known. */
int cli_export_more(struct cli *c, const char *kind, int argc, char **argv)
{
    (void)c;
    (void)kind;
    (void)argc;
    (void)argv;
    return -1;
}
