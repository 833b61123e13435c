/* fitcase chart CASE [--width W] [--height H] [--ascii] [--ors|--srs]:
 * the ORS/SRS chart of a case on stdout, the same renderer the TUI uses.
 * Box drawing and finer marks with a UTF-8 locale, unless --ascii. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fitcase/chart.h"
#include "fitcase/i18n.h"
#include "fitcase/report.h"

static const char usage[] = "chart CASE [--width W] [--height H] [--ascii] [--ors|--srs]";

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static int draw(struct cli *c, fc_id id, int w, int h, const struct fc_chart_opts *o)
{
    struct fc_err err = { 0 };
    struct fc_txn *txn;
    if (fc_read_begin(c->st, &txn, &err) != FC_OK)
        return cli_fail(c, &err);
    struct fc_settings s;
    struct fc_cohort cohort = { 0 };
    struct fc_chart *ch = malloc(sizeof *ch);
    struct fc_cell *cells = calloc((size_t)w * (size_t)h, sizeof *cells);
    int rc = ch && cells ? FC_OK : fc_oom(&err);
    if (rc == FC_OK)
        rc = fc_settings_load(txn, &s, &err);
    if (rc == FC_OK)
        rc = fc_cohort_load(txn, &s, &cohort, &err);
    if (rc == FC_OK)
        rc = fc_chart_load(txn, &s, &cohort, id, NULL, ch, &err);
    fc_read_end(txn);
    if (rc == FC_OK) {
        struct fc_grid g = { w, h, cells };
        fc_chart_render(ch, o, &g);
        fc_grid_print(&g, stdout);
    }
    fc_cohort_free(&cohort);
    free(ch);
    free(cells);
    if (rc == FC_ENOTFOUND)
        return cli_failf(c, _("there is no case %u"), (unsigned)id);
    return rc == FC_OK ? 0 : cli_fail(c, &err);
}

int cmd_chart(struct cli *c, int argc, char **argv)
{
    fc_id id = 0;
    int w = 78, h = 32;
    struct fc_chart_opts o = { .utf8 = cli_utf8_locale(), .view = FC_VIEW_BOTH };
    const char *v;
    int i = 1;
    while (i < argc) {
        if (cli_opt_value(argc, argv, &i, "--width", &v)) {
            if (!parse_int(v, FC_CHART_MIN_WIDTH, 1000, &w))
                return cli_failf(c, _("--width: '%s' is not a width from %d to 1000"), v,
                                 FC_CHART_MIN_WIDTH);
        } else if (cli_opt_value(argc, argv, &i, "--height", &v)) {
            if (!parse_int(v, FC_CHART_MIN_HEIGHT, 1000, &h))
                return cli_failf(c, _("--height: '%s' is not a height from %d to 1000"), v,
                                 FC_CHART_MIN_HEIGHT);
        } else if (strcmp(argv[i], "--ascii") == 0) {
            o.utf8 = false;
            i++;
        } else if (strcmp(argv[i], "--ors") == 0 || strcmp(argv[i], "--srs") == 0) {
            o.view = argv[i][2] == 'o' ? FC_VIEW_ORS : FC_VIEW_SRS;
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
    return draw(c, id, w, h, &o);
}
