/* fitcase export KIND [--case ID] [--from DATE] [--to DATE] [--excel]
 * [-o FILE]: CSV of one kind of record to stdout or FILE. Kinds are a
 * table; kinds it does not know go to cli_export_more (the charts'
 * exports), which answers -1 for a kind nobody knows. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fitcase/csv.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"

int cli_export_more(struct cli *c, const char *kind, int argc, char **argv);

static const char usage[] =
    "export pupils|cases|meetings|ratings|absence|calendar|staff\n"
    "         [--case ID] [--from DATE] [--to DATE] [--excel] [-o FILE]";

static const struct {
    const char *name;
    enum fc_csv_kind kind;
    bool dated;              /* --from/--to apply */
    bool per_case;           /* --case applies */
} kinds[] = {
    { "pupils", FC_CSV_PUPILS, false, true },
    { "cases", FC_CSV_CASES, true, true },
    { "meetings", FC_CSV_MEETINGS, true, true },
    { "ratings", FC_CSV_RATINGS, true, true },
    { "absence", FC_CSV_ABSENCE, true, true },
    { "calendar", FC_CSV_CALENDAR, true, false },
    { "staff", FC_CSV_STAFF, false, false },
};

static int parse_date(struct cli *c, const char *opt, const char *s, fc_date *d)
{
    struct fc_err err = { 0 };
    if (fc_date_parse(s, d, &err) != FC_OK)
        return cli_failf(c, "%s: %s", opt, err.msg);
    return 0;
}

struct export_job {
    enum fc_csv_kind kind;
    const struct fc_export_opts *o;
};

static int write_export(struct cli *c, FILE *f, void *ctx, struct fc_err *err)
{
    const struct export_job *j = ctx;
    return fc_csv_export(c->st, j->kind, f, j->o, err);
}

static int export_to(struct cli *c, enum fc_csv_kind kind, const char *path,
                     const struct fc_export_opts *o)
{
    return cli_write_output(c, path, write_export, &(struct export_job){ kind, o });
}

int cmd_export(struct cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(usage);
    const char *kind_name = argv[1];
    size_t k = 0;
    while (k < sizeof kinds / sizeof kinds[0] && strcmp(kinds[k].name, kind_name) != 0)
        k++;
    if (k == sizeof kinds / sizeof kinds[0]) {
        int rc = cli_export_more(c, kind_name, argc, argv);
        if (rc >= 0)
            return rc;
        cli_failf(c, _("unknown kind '%s' to export"), kind_name);
        return cli_usage(usage);
    }

    struct fc_export_opts o = { .from = FC_DATE_NONE, .to = FC_DATE_NONE };
    const char *out = NULL, *v;
    int i = 2;
    while (i < argc) {
        if (cli_opt_value(argc, argv, &i, "--case", &v)) {
            if (!cli_parse_id(v, &o.case_id))
                return cli_failf(c, _("--case: '%s' is not a case number"), v);
        } else if (cli_opt_value(argc, argv, &i, "--from", &v)) {
            if (parse_date(c, "--from", v, &o.from) != 0)
                return 1;
        } else if (cli_opt_value(argc, argv, &i, "--to", &v)) {
            if (parse_date(c, "--to", v, &o.to) != 0)
                return 1;
        } else if (cli_opt_value(argc, argv, &i, "-o", &v) ||
                   cli_opt_value(argc, argv, &i, "--output", &v)) {
            out = v;
        } else if (strcmp(argv[i], "--excel") == 0) {
            o.excel = true;
            i++;
        } else {
            return cli_usage(usage);
        }
    }
    if (!kinds[k].dated && (o.from != FC_DATE_NONE || o.to != FC_DATE_NONE))
        return cli_failf(c, _("--from and --to do not apply to %s"), kinds[k].name);
    if (!kinds[k].per_case && o.case_id)
        return cli_failf(c, _("--case does not apply to %s"), kinds[k].name);
    if (o.from != FC_DATE_NONE && o.to != FC_DATE_NONE && o.from > o.to)
        return cli_failf(c, _("--from is after --to"));
    if (cli_open(c, false) != 0)
        return 1;
    return export_to(c, kinds[k].kind, out, &o);
}
