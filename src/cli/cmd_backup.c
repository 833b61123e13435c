/* fitcase backup DIR and fitcase restore DIR [--force]: for the account
 * that owns the store (root, or the fitcase user from cron), since a copy
 * holds everything. Both verify the copy before it counts. */
#include <config.h>

#include <string.h>
#include <time.h>

#include "cli.h"
#include "fitcase/i18n.h"

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
    if (argc != 2)
        return cli_usage("backup DIR");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (cli_open(c, false) != 0)
        return 1;
    struct fc_err err = { 0 };
    size_t bytes = 0;
    if (fc_store_backup(c->st, argv[1], &bytes, &err) != FC_OK)
        return cli_fail(c, &err);
    printf(_("%s: backup of %s, %.1f MiB, verified, in %.2f s\n"), argv[1], c->db_dir,
           (double)bytes / (1 << 20), seconds_since(&t0));
    return 0;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
    static const char usage[] = "restore DIR [--force]";
    const char *from = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            force = true;
        else if (argv[i][0] != '-' && !from)
            from = argv[i];
        else
            return cli_usage(usage);
    }
    if (!from)
        return cli_usage(usage);
    struct fc_err err = { 0 };
    uint32_t version = FC_SCHEMA_VERSION;
    /* A backup of an older schema is upgraded in the restored copy (the
     * backup stays as it is): say so. Errors are the restore's to tell. */
    fc_store_schema_at(from, &version, NULL);
    if (fc_store_restore(from, c->db_dir, force, &err) != FC_OK)
        return cli_fail(c, &err);
    if (version < FC_SCHEMA_VERSION)
        printf(_("%s: restored from %s, upgraded from schema version %u to %u, and "
                 "verified\n"), c->db_dir, from, version, FC_SCHEMA_VERSION);
    else
        printf(_("%s: restored from %s and verified\n"), c->db_dir, from);
    return 0;
}
