/* The command-line front: global options, the store location, identity,
 * and the table of subcommands. Each subcommand lives in its own file. */
#ifndef FITCASE_CLI_H
#define FITCASE_CLI_H

#include <stdio.h>
#include <sys/types.h>

#include "fitcase/store.h"

struct cli {
    const char *prog;        /* argv[0] for messages */
    char db_dir[4096];       /* resolved store directory */
    bool db_default;         /* db_dir is the per-user default, not named */
    const char *stores_file; /* the stores a setgid fitcase opens (main.c) */
    char user[FC_LOGIN_MAX]; /* login acting: the Unix login, or --user */
    bool user_forced;        /* --user given */
    unsigned flags;          /* the command's CLI_* gate */
    const char *cmd;         /* the command's name, for messages */
    struct fc_store *st;     /* opened lazily by cli_open() */
};

/* Who may run a command (docs/deployment.md, "Who may do what"). Without
 * a flag: any active staff member, acting as themselves. */
enum {
    CLI_NO_LOGIN = 1 << 0,   /* init: checks its own way */
    CLI_OPERATOR = 1 << 1,   /* backup, restore: the account that owns the store */
    CLI_ADMIN = 1 << 2,      /* staff */
    CLI_LEAD = 1 << 3,       /* import, audit, erase-pupil: lead or admin */
    CLI_BULK = 1 << 4,       /* import: an admin writes to every team */
    CLI_OPERATOR_OK = 1 << 5 /* verify: staff, or the operator without a login */
};

/* True when this process could read the store files without fitcase: run
 * by root, or not through a setgid/setuid fitcase. FITCASE_NO_OPERATOR=1
 * (tests) makes it false; it can only take rights away. */
bool cli_operator(void);

/* Sets the acting login: `forced` (--user) or the Unix login of the
 * process. Prints an error and returns nonzero if neither can be had. */
int cli_set_user(struct cli *c, const char *forced);

/* Opens the store at cli->db_dir (creating it if create), then checks who
 * acts (cli_login) unless the command is CLI_NO_LOGIN. Prints the error
 * and returns nonzero on failure: every command and the TUI get the same
 * refusal for a login that is not active staff. */
int cli_open(struct cli *c, bool create);
/* The login check of an open store: the login must be active staff;
 * --user needs the operator or a real login that is an active admin; the
 * command's CLI_ADMIN/CLI_LEAD gate. Sets the store's actor. */
int cli_login(struct cli *c);
/* True when a setgid (or setuid) fitcase runs for someone other than
 * root: the program is then the only way to the store, and guards it. */
bool cli_privileged(void);
/* A setgid fitcase run for a user who is not the operator opens only a
 * store listed in c->stores_file (root's, writable by root only); db_dir
 * becomes that listed path (the first one when no store was named), and
 * the directory and its files must be the group's (not the user's, no
 * links). Anyone else: nothing checked. 0 when fine, else the refusal
 * is printed (docs/deployment.md, section 6). */
int cli_check_store_dir(struct cli *c);
/* The user's own rights for the files a user names (src/cli/priv.c): a
 * setgid fitcase drops to the real group (and user) around opening,
 * renaming and removing them, then takes the program's back. */
struct cli_priv {
    gid_t egid;
    uid_t euid;
};
void cli_priv_drop(struct cli_priv *p);
void cli_priv_restore(const struct cli_priv *p);

/* Writes a command's output: to standard output when path is NULL, else to
 * PATH.tmp renamed to PATH when complete, so PATH is never half written.
 * fn writes to f and returns an FC_ code (its message in err). Prints the
 * error and returns the exit status. */
typedef int (*cli_write_fn)(struct cli *c, FILE *f, void *ctx, struct fc_err *err);
int cli_write_output(struct cli *c, const char *path, cli_write_fn fn, void *ctx);
/* Parses a positive id ("12"); false if it is not one. */
bool cli_parse_id(const char *s, fc_id *id);
/* True when the locale's character set is UTF-8 (charts and reports then
 * draw with box and block characters; otherwise plain ASCII). */
bool cli_utf8_locale(void);
/* Opens the store for a command that shows one case (chart, report) and
 * records the opening in the audit log (issue 7). A case that does not
 * exist is left to the caller's own lookup to report. 0 when fine. */
int cli_open_case(struct cli *c, fc_id id);
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

/* Sets the language of messages: FITCASE_LANG (da, en), Danish when
 * unset, and binds the catalogue (src/cli/lang.c). */
void cli_choose_language(void);

/* The calendar day "today" in local time (or from FITCASE_TODAY=yyyy-mm-dd,
 * which the tests pin). */
fc_date cli_today(void);

typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);

struct cli_command {
    const char *name;
    cli_cmd_fn fn;
    const char *args;        /* synopsis after the name */
    const char *summary;     /* one line, translated at print time */
    unsigned flags;          /* CLI_* */
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
int cmd_staff(struct cli *c, int argc, char **argv);
int cmd_case(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_erase_pupil(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);

#endif
