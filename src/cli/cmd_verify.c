/* fitcase verify: walk every database and index and report what is wrong. */
#include <config.h>

#include "cli.h"
#include "fitcase/i18n.h"

static void print_problem(const char *problem, void *ctx)
{
    (void)ctx;
    printf("%s\n", problem);
}

int cmd_verify(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return cli_usage("verify");
    if (cli_open(c, false) != 0)
        return 1;
    struct fc_err err = { 0 };
    int problems = fc_store_verify(c->st, print_problem, NULL, &err);
    if (problems < 0)
        return cli_fail(c, &err);
    if (problems > 0) {
        fprintf(stderr, _("fitcase: %s: %d problem(s) found\n"), c->db_dir, problems);
        return 1;
    }
    printf(_("%s: the store is consistent\n"), c->db_dir);
    return 0;
}
