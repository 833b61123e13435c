/* fitcase import KIND FILE [--dry-run] [--skip-bad]: read CSV into the
 * store, all or nothing (or the good rows with --skip-bad). Problems go to
 * stderr as FILE:LINE: column: what; the summary to stdout; a progress bar
 * to stderr only on a terminal and only once the import has run a second.
 * FILE "-" is standard input, named "stdin" in messages. FILE is the
 * user's: a setgid fitcase opens it with the user's rights, once, and the
 * reader reads that one stream (src/io/csv_read.c). */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fitcase/csv.h"
#include "fitcase/i18n.h"

static const char usage[] =
    "import pupils|cases|meetings|ratings|absence|calendar|staff FILE|-\n"
    "         [--dry-run] [--skip-bad]";

struct bar {
    bool tty;
    struct timespec start;
    int shown;               /* percent last drawn, -1 = nothing drawn */
};

static double elapsed(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (now.tv_nsec - since->tv_nsec) / 1e9;
}

static void progress(uint64_t done, uint64_t total, void *ctx)
{
    struct bar *b = ctx;
    if (!b->tty || total == 0 || elapsed(&b->start) < 1.0)
        return;
    int pct = done >= total ? 100 : (int)(done * 100 / total);
    if (pct == b->shown)
        return;
    b->shown = pct;
    char cells[41];
    int full = pct * 40 / 100;
    memset(cells, '#', (size_t)full);
    memset(cells + full, '-', (size_t)(40 - full));
    cells[40] = '\0';
    fprintf(stderr, "\r[%s] %3d%%", cells, pct);
    fflush(stderr);
}

static void bar_clear(struct bar *b)
{
    if (b->shown >= 0)
        fprintf(stderr, "\r%*s\r", 48, "");
    b->shown = -1;
}

static void report(const char *msg, void *ctx)
{
    bar_clear(ctx);
    fprintf(stderr, "%s\n", msg);
}

static const char *delimiter_name(char d)
{
    return d == ';' ? _("semicolons") : d == '\t' ? _("tabs") : _("commas");
}

static void print_summary(const char *file, const struct fc_import_summary *s, bool dry)
{
    printf(dry ? _("%s: %llu rows read; would import %llu, %llu unchanged, %llu duplicates, "
                   "%llu bad")
               : _("%s: %llu rows read; %llu imported, %llu unchanged, %llu duplicates, "
                   "%llu skipped"),
           file, (unsigned long long)s->read, (unsigned long long)s->imported,
           (unsigned long long)s->unchanged, (unsigned long long)s->duplicates,
           (unsigned long long)(dry ? s->bad : s->skipped));
    printf(_(" (%s, %s)\n"), s->encoding == FC_CSV_CP1252 ? "Windows-1252" : "UTF-8",
           delimiter_name(s->delimiter));
}

int cmd_import(struct cli *c, int argc, char **argv)
{
    struct fc_import_opts o = { 0 };
    const char *kind_name = NULL, *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0)
            o.dry_run = true;
        else if (strcmp(argv[i], "--skip-bad") == 0)
            o.skip_bad = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage(usage);
        else if (!kind_name)
            kind_name = argv[i];
        else if (!file)
            file = argv[i];
        else
            return cli_usage(usage);
    }
    if (!kind_name || !file)
        return cli_usage(usage);
    int kind = fc_csv_kind_lookup(kind_name);
    if (kind < 0) {
        cli_failf(c, _("unknown kind '%s' to import"), kind_name);
        return cli_usage(usage);
    }
    if (cli_open(c, false) != 0)
        return 1;
    FILE *in = stdin;
    const char *name = "stdin";
    if (strcmp(file, "-") != 0) {
        /* With the user's rights, never the store's group's: a file only
         * the group may read is refused as it would be outside fitcase. */
        struct cli_priv priv;
        cli_priv_drop(&priv);
        in = fopen(file, "rb");
        int open_errno = errno;
        cli_priv_restore(&priv);
        if (!in)
            return cli_failf(c, _("%s: cannot open: %s"), file, strerror(open_errno));
        name = file;
    }

    struct bar b = { .tty = isatty(2) == 1, .shown = -1 };
    clock_gettime(CLOCK_MONOTONIC, &b.start);
    o.report = report;
    o.progress = progress;
    o.ctx = &b;
    struct fc_import_summary sum;
    struct fc_err err = { 0 };
    int rc = fc_csv_import_stream(c->st, c->user, (enum fc_csv_kind)kind, name, in, &o, &sum,
                                  &err);
    if (in != stdin)
        fclose(in);
    bar_clear(&b);
    if (rc != FC_OK) {
        if (sum.chunks)
            print_summary(name, &sum, o.dry_run);
        return cli_fail(c, &err);
    }
    print_summary(name, &sum, o.dry_run);
    return 0;
}
