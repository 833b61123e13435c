/* Shared plumbing of the subcommands: opening the store, identity,
 * messages, option parsing and "today". */
#include <config.h>

#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"

int cli_set_user(struct cli *c, const char *forced)
{
    const char *login = forced;
    if (!login) {
        struct passwd *pw = getpwuid(getuid());
        login = pw ? pw->pw_name : NULL;
    }
    if (!login || !*login)
        return cli_failf(c, _("cannot tell who you are: this user id has no login name"));
    if (snprintf(c->user, sizeof c->user, "%s", login) >= (int)sizeof c->user)
        return cli_failf(c, _("the login name '%s' is too long"), login);
    c->user_forced = forced != NULL;
    return 0;
}

int cli_open(struct cli *c, bool create)
{
    if (c->st)
        return 0;
    struct fc_store_opts opts = { .create = create };
    struct fc_err err = { 0 };
    if (fc_store_open(c->db_dir, &opts, &c->st, &err) != FC_OK)
        return cli_fail(c, &err);
    return 0;
}

void cli_close(struct cli *c)
{
    if (c->st) {
        fc_store_close(c->st);
        c->st = NULL;
    }
}

int cli_fail(const struct cli *c, const struct fc_err *err)
{
    fprintf(stderr, "%s: %s\n", c->prog, err->msg[0] ? err->msg : _("unknown error"));
    return 1;
}

int cli_failf(const struct cli *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", c->prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_usage(const char *usage)
{
    fprintf(stderr, _("usage: fitcase %s\n"), usage);
    return 2;
}

bool cli_opt_value(int argc, char **argv, int *i, const char *name,
                   const char **value)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '=') {
        *value = a + n + 1;
        *i += 1;
        return true;
    }
    if (a[n] != '\0' || *i + 1 >= argc)
        return false;
    *value = argv[*i + 1];
    *i += 2;
    return true;
}

fc_date cli_today(void)
{
    const char *pinned = getenv("FITCASE_TODAY");
    fc_date d;
    if (pinned && *pinned && fc_date_parse(pinned, &d, &(struct fc_err){ 0 }) == FC_OK)
        return d;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    if (!fc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d))
        return fc_date_from_unix((int64_t)now);
    return d;
}
