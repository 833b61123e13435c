/* `fitcase export outcomes|absence-status [--as-of DATE] [-o FILE]`: the
 * exports computed from scores and absence rather than copied from records
 * (docs/charts.md has the columns). Kinds not known here answer -1. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
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

/* Writes to FILE.tmp and renames, so FILE is never half written. */
static int export_to(struct cli *c, export_fn fn, fc_date as_of, const char *path)
{
    struct fc_err err = { 0 };
    if (!path) {
        if (run(c, fn, as_of, stdout, &err) != FC_OK)
            return cli_fail(c, &err);
        return fflush(stdout) == 0 ? 0 : cli_failf(c, _("cannot write: %s"), strerror(errno));
    }
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return cli_failf(c, _("the file name %s is too long"), path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return cli_failf(c, _("cannot write %s: %s"), tmp, strerror(errno));
    int rc = run(c, fn, as_of, f, &err);
    if (fclose(f) != 0 && rc == FC_OK) {
        snprintf(err.msg, sizeof err.msg, _("cannot write %s: %s"), tmp, strerror(errno));
        rc = FC_ESTORE;
    }
    if (rc == FC_OK && rename(tmp, path) != 0) {
        snprintf(err.msg, sizeof err.msg, _("cannot rename %s to %s: %s"), tmp, path,
                 strerror(errno));
        rc = FC_ESTORE;
    }
    if (rc != FC_OK) {
        unlink(tmp);
        return cli_fail(c, &err);
    }
    return 0;
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
