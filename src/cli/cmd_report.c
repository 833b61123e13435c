/* fitcase report CASE [--person NAME] [--ascii]: the text report of a case
 * for the case record or a request for access. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fitcase/chart.h"
#include "fitcase/i18n.h"
#include "fitcase/report.h"

static const char usage[] = "report CASE [--person NAME] [--ascii]";

int cmd_report(struct cli *c, int argc, char **argv)
{
    fc_id id = 0;
    struct fc_report_opts o = { .today = cli_today(), .utf8 = cli_utf8_locale() };
    int i = 1;
    while (i < argc) {
        if (cli_opt_value(argc, argv, &i, "--person", &o.person))
            continue;
        if (strcmp(argv[i], "--ascii") == 0) {
            o.utf8 = false;
            i++;
        } else if (argv[i][0] != '-' && id == 0) {
            if (!cli_parse_id(argv[i], &id))
                return cli_failf(c, _("'%s' is not a case number"), argv[i]);
            i++;
        } else {
            return cli_usage(usage);
        }
    }
    if (id == 0)
        return cli_usage(usage);
    if (cli_open_case(c, id) != 0)
        return 1;
    struct fc_err err = { 0 };
    struct fc_txn *txn;
    if (fc_read_begin(c->st, &txn, &err) != FC_OK)
        return cli_fail(c, &err);
    struct fc_settings s;
    struct fc_cohort cohort = { 0 };
    int rc = fc_settings_load(txn, &s, &err);
    if (rc == FC_OK)
        rc = fc_cohort_load(txn, &s, &cohort, &err);
    if (rc == FC_OK)
        rc = fc_report_write(txn, &s, &cohort, id, &o, stdout, &err);
    fc_read_end(txn);
    fc_cohort_free(&cohort);
    if (rc == FC_ENOTFOUND && !o.person)
        return cli_failf(c, _("there is no case %u"), (unsigned)id);
    return rc == FC_OK ? 0 : cli_fail(c, &err);
}
