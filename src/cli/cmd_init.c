/* fitcase init [--demo] [--force]: create a store, optionally with the
 * demo municipality. --force starts over on an existing store directory. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fitcase/demo.h"
#include "fitcase/i18n.h"

/* A store directory holds data.mdb and lock.mdb; --force removes just
 * those two, never anything else a user keeps there. */
static int remove_store_files(const struct cli *c)
{
    static const char *const files[] = { "data.mdb", "lock.mdb" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", c->db_dir, files[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            return cli_failf(c, _("cannot remove %s: %s"), path, strerror(errno));
    }
    return 0;
}

static bool store_exists(const struct cli *c)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/data.mdb", c->db_dir);
    return access(path, F_OK) == 0;
}

/* An empty store still needs someone who may use it: the login that
 * creates it becomes its administrator, in a first team. */
static int add_first_admin(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    const struct cli *c = ctx;
    struct fc_team team = { 0 };
    snprintf(team.name, sizeof team.name, "%s", _("Team 1"));
    if (fc_team_put(txn, &team, err) != FC_OK)
        return err->code;
    struct fc_staff s = { .role = FC_ROLE_ADMIN, .active = true, .team_id = team.id };
    snprintf(s.login, sizeof s.login, "%s", c->user);
    snprintf(s.name, sizeof s.name, "%s", c->user);
    return fc_staff_put(txn, &s, err);
}

int cmd_init(struct cli *c, int argc, char **argv)
{
    bool demo = false, force = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--demo") == 0)
            demo = true;
        else if (strcmp(argv[i], "--force") == 0)
            force = true;
        else
            return cli_usage("init [--demo] [--force]");
    }
    if (store_exists(c)) {
        if (!force)
            return cli_failf(c, _("a store already exists in %s (use --force to start over)"),
                             c->db_dir);
        if (remove_store_files(c) != 0)
            return 1;
    }
    if (cli_open(c, true) != 0)
        return 1;
    struct fc_err err = { 0 };
    if (demo) {
        struct fc_demo_opts opts = { .today = cli_today(), .login = c->user };
        if (fc_demo_fill(c->st, &opts, &err) != FC_OK)
            return cli_fail(c, &err);
    } else if (fc_store_write(c->st, c->user, add_first_admin, c, &err) != FC_OK) {
        return cli_fail(c, &err);
    }
    printf(demo ? _("%s: demo store created\n") : _("%s: store created\n"), c->db_dir);
    return 0;
}
