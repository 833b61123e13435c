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

/* Writes to FILE.tmp and renames, so FILE is never half written. */
static int export_to(struct cli *c, enum fc_csv_kind kind, const char *path,
                     const struct fc_export_opts *o)
{
    struct fc_err err = { 0 };
    if (!path) {
        if (fc_csv_export(c->st, kind, stdout, o, &err) != FC_OK)
            return cli_fail(c, &err);
        return 0;
    }
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return cli_failf(c, _("the file name %s is too long"), path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return cli_failf(c, _("cannot write %s: %s"), tmp, strerror(errno));
    int rc = fc_csv_export(c->st, kind, f, o, &err);
    if (fclose(f) != 0 && rc == FC_OK) {
        err.code = FC_ESTORE;
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
            char *end;
            unsigned long id = strtoul(v, &end, 10);
            if (!*v || *end || id == 0 || id > UINT32_MAX)
                return cli_failf(c, _("--case: '%s' is not a case number"), v);
            o.case_id = (fc_id)id;
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
