/* fitcase entry point: global options, then a subcommand or the TUI. */
#include <config.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fitcase/i18n.h"

/* The list of stores a setgid fitcase opens for staff (configure
 * --with-stores-file). tests/cli.mk builds a copy that reads it from the
 * working directory instead, for tests that cannot write to /etc. */
#ifdef FITCASE_TEST_STORES_FILE
#define STORES_FILE FITCASE_TEST_STORES_FILE
#else
#define STORES_FILE FITCASE_STORES_FILE
#endif

static void print_help(void)
{
    printf(_("Usage: fitcase [--db DIR] [--user LOGIN] [COMMAND [ARGS...]]\n"
             "Case work for school-absence (FIT) teams: cases, phases, meetings,\n"
             "ORS/SRS scores and absence, in a terminal.\n\n"
             "Without a command, fitcase opens the interactive screen.\n\n"
             "Options:\n"
             "  --db DIR       the store (default $FITCASE_DB, else\n"
             "                 $XDG_DATA_HOME/fitcase)\n"
             "  --user LOGIN   act as LOGIN (tests and administration)\n"
             "  --help         this text\n"
             "  --version      the program's version\n\n"
             "Commands:\n"));
    for (size_t i = 0; i < cli_command_count; i++) {
        const struct cli_command *cmd = &cli_commands[i];
        char head[64];
        snprintf(head, sizeof head, "%s %s", cmd->name, cmd->args);
        printf("  %-34s %s\n", head, _(cmd->summary));
    }
    printf(_("\nInstalled setgid for a team (docs/deployment.md), fitcase opens for staff\n"
             "only the stores listed in %s.\n"),
           STORES_FILE);
}


/* The store when --db names none: FITCASE_DB, else the user's own
 * (db_default: a setgid run takes the first listed store instead). */
static int default_db(struct cli *c)
{
    const char *env = getenv("FITCASE_DB");
    if (env && *env)
        return snprintf(c->db_dir, sizeof c->db_dir, "%s", env) < (int)sizeof c->db_dir;
    c->db_default = true;
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg)
        return snprintf(c->db_dir, sizeof c->db_dir, "%s/fitcase", xdg)
               < (int)sizeof c->db_dir;
    const char *home = getenv("HOME");
    if (!home || !*home)
        return 0;
    return snprintf(c->db_dir, sizeof c->db_dir, "%s/.local/share/fitcase", home)
           < (int)sizeof c->db_dir;
}

static bool store_exists(const struct cli *c)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/data.mdb", c->db_dir);
    return access(path, F_OK) == 0;
}

/* init starts a store over with --force: on an existing store only its
 * admin or the operator may; a setgid fitcase makes no stores for users. */
static int init_gate(struct cli *c)
{
    if (!cli_operator() && cli_privileged())
        return cli_failf(c, _("stores are made by the account that owns them, not through "
                              "the installed fitcase (docs/deployment.md)"));
    if (cli_operator() || !store_exists(c))
        return 0;
    unsigned flags = c->flags;
    c->flags = CLI_ADMIN;
    int rc = cli_open(c, false);
    cli_close(c);
    c->flags = flags;
    return rc;
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < cli_command_count; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    /* Store files and backups are for the group, never for everyone:
     * whatever the login's umask, what fitcase creates is 0660/0770. */
    umask(007);
    setlocale(LC_ALL, "");
    textdomain(PACKAGE);
    cli_choose_language();

    struct cli c = { .prog = "fitcase", .stores_file = STORES_FILE };
    const char *db = NULL, *user = NULL;
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_help();
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("fitcase %s\n", PACKAGE_VERSION);
            return 0;
        }
        if (cli_opt_value(argc, argv, &i, "--db", &db) ||
            cli_opt_value(argc, argv, &i, "--user", &user))
            continue;
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        return cli_failf(&c, _("unknown option %s (see fitcase --help)"), argv[i]);
    }

    if (db) {
        if (snprintf(c.db_dir, sizeof c.db_dir, "%s", db) >= (int)sizeof c.db_dir)
            return cli_failf(&c, _("the store path is too long"));
    } else if (!default_db(&c) && !(c.db_default && cli_privileged())) {
        return cli_failf(&c, _("no store given: use --db DIR or set FITCASE_DB"));
    }
    if (cli_set_user(&c, user) != 0)
        return 1;

    const char *name = i < argc ? argv[i] : "tui";
    const struct cli_command *cmd = find_command(name);
    if (!cmd)
        return cli_failf(&c, _("unknown command '%s' (see fitcase --help)"), name);
    c.flags = cmd->flags;
    c.cmd = cmd->name;
    if ((cmd->flags & CLI_OPERATOR) && !cli_operator())
        return cli_failf(&c, _("fitcase %s copies the whole store: run it as the account that "
                               "owns the store (root or the fitcase user, e.g. from cron)"),
                         cmd->name);
    if (strcmp(cmd->name, "init") == 0 && init_gate(&c) != 0)
        return 1;
    int rc = cmd->fn(&c, argc - i, argv + i);
    cli_close(&c);
    return rc;
}
