/* The command-line front: global options, the store location, identity,
 * and the table of subcommands. Each subcommand lives in its own file. */
#ifndef FITCASE_CLI_H
#define FITCASE_CLI_H

#include <stdio.h>

#include "fitcase/store.h"

struct cli {
    const char *prog;        /* argv[0] for messages */
    char db_dir[4096];       /* resolved store directory */
    char user[FC_LOGIN_MAX]; /* login acting: the Unix login, or --user */
    bool user_forced;        /* --user given */
    struct fc_store *st;     /* opened lazily by cli_open() */
};

/* Sets the acting login: `forced` (--user) or the Unix login of the
 * process. Prints an error and returns nonzero if neither can be had. */
int cli_set_user(struct cli *c, const char *forced);

/* Opens the store at cli->db_dir (creating it if create). Prints the error
 * and returns nonzero on failure. */
int cli_open(struct cli *c, bool create);
void cli_close(struct cli *c);

/* Prints "fitcase: <message>" to stderr; returns the exit status 1. */
int cli_fail(const struct cli *c, const struct fc_err *err);
int cli_failf(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "usage: fitcase CMD ..." to stderr; returns exit status 2. */
int cli_usage(const char *usage);

/* Looks for a long option "--name VALUE" or "--name=VALUE" at argv[*i];
 * advances *i past it and stores the value. Returns true when it matched. */
bool cli_opt_value(int argc, char **argv, int *i, const char *name,
                   const char **value);

/* The calendar day "today" in local time (or from FITCASE_TODAY=yyyy-mm-dd,
 * which the tests pin). */
fc_date cli_today(void);

typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);

struct cli_command {
    const char *name;
    cli_cmd_fn fn;
    const char *args;        /* synopsis after the name */
    const char *summary;     /* one line, translated at print time */
};

extern const struct cli_command cli_commands[];
extern const size_t cli_command_count;

/* Subcommands (one file each, src/cli/cmd_*.c). */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_chart(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_tui(struct cli *c, int argc, char **argv);

#endif
