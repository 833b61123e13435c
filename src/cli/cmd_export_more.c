/* `fitcase export outcomes|absence-status [--as-of DATE] [-o FILE]`: the
 * exports computed from scores and absence rather than copied from records
 * (docs/charts.md has the columns). Kinds not known here answer -1. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/report.h"

int cli_export_more(struct cli *c, const char *kind, int argc, char **argv);
int cli_export_person(struct cli *c, int argc, char **argv);   /* src/cli/cmd_person.c */

typedef int (*export_fn)(struct fc_txn *txn, const struct fc_settings *s, fc_date as_of,
                         FILE *out, struct fc_err *err);

static int run(struct cli *c, export_fn fn, fc_date as_of, FILE *out, struct fc_err *err)
{
    struct fc_txn *txn;
    if (fc_read_begin(c->st, &txn, err) != FC_OK)
        return err->code;
    struct fc_settings s;
    int rc = fc_settings_load(txn, &s, err);
    if (rc == FC_OK)
        rc = fn(txn, &s, as_of, out, err);
    fc_read_end(txn);
    return rc;
}

struct more_job {
    export_fn fn;
    fc_date as_of;
};

static int write_more(struct cli *c, FILE *f, void *ctx, struct fc_err *err)
{
    const struct more_job *j = ctx;
    return run(c, j->fn, j->as_of, f, err);
}

static int export_to(struct cli *c, export_fn fn, fc_date as_of, const char *path)
{
    return cli_write_output(c, path, write_more, &(struct more_job){ fn, as_of });
}

/* Returns the exit status of the export, or -1 when kind is not known. */
int cli_export_more(struct cli *c, const char *kind, int argc, char **argv)
{
    export_fn fn;
    fc_date as_of;
    if (strcmp(kind, "person") == 0)
        return cli_export_person(c, argc, argv);
    if (strcmp(kind, "outcomes") == 0) {
        fn = fc_export_outcomes;
        as_of = FC_DATE_NONE;           /* every rating */
    } else if (strcmp(kind, "absence-status") == 0) {
        fn = fc_export_absence_status;
        as_of = cli_today();
    } else {
        return -1;
    }
    static const char usage[] = "export outcomes|absence-status [--as-of DATE] [-o FILE]";
    const char *out = NULL, *v;
    int i = 2;
    while (i < argc) {
        if (cli_opt_value(argc, argv, &i, "--as-of", &v)) {
            struct fc_err err = { 0 };
            if (fc_date_parse(v, &as_of, &err) != FC_OK)
                return cli_failf(c, "--as-of: %s", err.msg);
        } else if (cli_opt_value(argc, argv, &i, "-o", &v) ||
                   cli_opt_value(argc, argv, &i, "--output", &v)) {
            out = v;
        } else {
            return cli_usage(usage);
        }
    }
    if (cli_open(c, false) != 0)
        return 1;
    return export_to(c, fn, as_of, out);
}
