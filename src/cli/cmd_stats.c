/* fitcase stats [--csv] [--as-of DATE]: the leader's figures. A caseworker
 * gets their own cases, a lead their team's (the store decides what is in
 * reach; the loader keeps a caseworker to the cases they coordinate). */
#include <config.h>

#include <string.h>

#include "cli.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/stats.h"

int cmd_stats(struct cli *c, int argc, char **argv)
{
    static const char usage[] = "stats [--csv] [--as-of DATE]";
    bool csv = false;
    fc_date as_of = cli_today();
    const char *v;
    struct fc_err err = { 0 };
    int i = 1;
    while (i < argc) {
        if (strcmp(argv[i], "--csv") == 0) {
            csv = true;
            i++;
        } else if (cli_opt_value(argc, argv, &i, "--as-of", &v)) {
            if (fc_date_parse(v, &as_of, &err) != FC_OK)
                return cli_fail(c, &err);
        } else {
            return cli_usage(usage);
        }
    }
    if (cli_open(c, false) != 0)
        return 1;
    struct fc_txn *txn;
    struct fc_settings s;
    struct fc_stats st;
    if (fc_read_begin(c->st, &txn, &err) != FC_OK)
        return cli_fail(c, &err);
    int rc = fc_settings_load(txn, &s, &err);
    if (rc == FC_OK)
        rc = fc_stats_load(txn, &s, as_of, &st, &err);
    fc_read_end(txn);
    if (rc != FC_OK)
        return cli_fail(c, &err);
    if (csv) {
        fc_stats_write_csv(&st, stdout);
    } else {
        char d[11];
        const struct fc_staff *me = fc_store_actor(c->st);
        fc_date_format_dk(as_of, d);
        printf(_("Figures for %s as of %s (ORS series with 2+ ratings; changes in points)\n\n"),
               me ? me->login : c->user, d);
        fc_stats_write_text(&st, stdout);
    }
    fc_stats_free(&st);
    return 0;
}
