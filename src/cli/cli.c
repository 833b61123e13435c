/* Shared plumbing of the subcommands: opening the store, identity,
 * messages, option parsing and "today". */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <langinfo.h>
#include <pwd.h>
#include <stdarg.h>
#include <sys/stat.h>
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

bool cli_operator(void)
{
    const char *no = getenv("FITCASE_NO_OPERATOR");
    if (no && *no && strcmp(no, "0") != 0)
        return false;
    if (getuid() == 0)
        return true;
    return getuid() == geteuid() && getgid() == getegid();
}

bool cli_privileged(void)
{
    return getuid() != 0 && (getgid() != getegid() || getuid() != geteuid());
}

/* A file or directory only root may change. */
static bool root_only(const struct stat *sb)
{
    return sb->st_uid == 0 && !(sb->st_mode & (S_IWGRP | S_IWOTH));
}

/* Opens the list of stores; *f stays NULL when there is no such file.
 * The list must be root's, in a directory that is root's: nobody else may
 * add a backup, or a directory of their own, to what fitcase opens. */
static int open_stores_file(const struct cli *c, FILE **f)
{
    const char *path = c->stores_file;
    char dir[4200];
    struct stat sb, dsb;
    *f = NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;
    if (fd < 0)
        return cli_failf(c, _("cannot read %s, the list of stores fitcase opens: %s"), path,
                         strerror(errno));
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        slash[slash == dir] = '\0';
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || !root_only(&sb) ||
        stat(dir, &dsb) != 0 || !root_only(&dsb)) {
        close(fd);
        return cli_failf(c, _("%s must belong to root and be writable by root only, and so "
                              "must its directory; until then fitcase opens no store for "
                              "staff (docs/deployment.md)"), path);
    }
    if (!(*f = fdopen(fd, "r"))) {
        close(fd);
        return cli_failf(c, _("cannot read %s: %s"), path, strerror(errno));
    }
    return 0;
}

/* A line of the list without blanks around it and trailing slashes; ""
 * for a blank line or a comment. */
static char *store_line(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    while (n > 1 && s[n - 1] == '/')
        s[--n] = '\0';
    return *s == '#' ? s + n : s;
}

/* Finds c->db_dir in the list of stores (by name, or as the same
 * directory) and makes db_dir the listed path, so what is opened is what
 * root wrote, not a link a user may change in between; with no store
 * named, the first one listed. */
static int find_listed_store(struct cli *c)
{
    FILE *f;
    if (open_stores_file(c, &f) != 0)
        return 1;
    char named[sizeof c->db_dir], line[sizeof c->db_dir + 2];
    snprintf(named, sizeof named, "%s", c->db_dir);
    store_line(named);
    struct stat want, sb;
    bool have_want = !c->db_default && stat(named, &want) == 0;
    bool any = false, found = false;
    int lineno = 0, rc = 0;
    while (f && !found && fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            rc = cli_failf(c, _("%s:%d: the line is too long"), c->stores_file, lineno);
            break;
        }
        char *p = store_line(line);
        if (!*p)
            continue;
        if (*p != '/') {
            rc = cli_failf(c, _("%s:%d: '%s' is not an absolute path; fitcase opens no store "
                                "for staff until it is"), c->stores_file, lineno, p);
            break;
        }
        any = true;
        found = c->db_default || strcmp(p, named) == 0 ||
                (have_want && stat(p, &sb) == 0 && sb.st_dev == want.st_dev &&
                 sb.st_ino == want.st_ino);
        if (found)
            snprintf(c->db_dir, sizeof c->db_dir, "%s", p);
    }
    if (f)
        fclose(f);
    if (rc || found)
        return rc;
    if (!any)
        return cli_failf(c, _("no store is listed in %s, and this fitcase opens only the stores "
                              "listed there (docs/deployment.md)"), c->stores_file);
    return cli_failf(c, _("%s is not a store listed in %s, and this fitcase opens only those "
                          "(docs/deployment.md)"), named, c->stores_file);
}

/* A store file must be a plain file of the group with one link; the lock
 * file too, and it must be there: one a user's process made would be the
 * user's, to change as they like. */
static int check_file(const struct cli *c, const char *name)
{
    char path[4200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", c->db_dir, name);
    if (lstat(path, &sb) != 0) {
        if (errno != ENOENT)
            return cli_failf(c, _("cannot read %s: %s"), path, strerror(errno));
        if (strcmp(name, "data.mdb") == 0)
            return cli_failf(c, _("no store in %s"), c->db_dir);
        return cli_failf(c, _("the store in %s has no lock file; the account that owns the "
                              "store makes one by opening it (fitcase --db %s verify)"),
                         c->db_dir, c->db_dir);
    }
    if (!S_ISREG(sb.st_mode) || sb.st_nlink != 1 || sb.st_gid != getegid())
        return cli_failf(c, _("%s is not a store file of the fitcase group (a link, or "
                              "another group); fitcase will not open it"), path);
    return 0;
}

int cli_check_store_dir(struct cli *c)
{
    struct stat sb;
    if (!cli_privileged())
        return 0;
    /* Only what root lists: a backup is a whole store with its own staff
     * list (someone deactivated since is active there), and must not be
     * opened, let alone upgraded, for a user. */
    if (find_listed_store(c) != 0)
        return 1;
    /* A user could otherwise make fitcase open, with the group's rights,
     * a directory of their own whose data.mdb links to the team's store
     * beside another lock file. */
    if (lstat(c->db_dir, &sb) != 0)
        return errno == ENOENT ? cli_failf(c, _("no store in %s"), c->db_dir)
                               : cli_failf(c, _("cannot read %s: %s"), c->db_dir,
                                           strerror(errno));
    if (!S_ISDIR(sb.st_mode) || sb.st_uid == getuid() || sb.st_gid != getegid())
        return cli_failf(c, _("%s is not a store directory of the fitcase group; fitcase "
                              "opens only the team's store (docs/deployment.md)"), c->db_dir);
    return check_file(c, "data.mdb") || check_file(c, "lock.mdb");
}

static bool in_my_groups(gid_t g)
{
    gid_t groups[256];
    int n = getgroups(256, groups);
    if (g == getgid() || g == getegid())
        return true;
    for (int i = 0; i < n; i++)
        if (groups[i] == g)
            return true;
    return false;
}

/* Refused by the file system, not by fitcase: when the store (or the
 * directory it is in) belongs to a group the user is not in, fitcase was
 * meant to reach it as that group, and was installed without setgid. */
static int fail_denied(const struct cli *c, const struct fc_err *err)
{
    char parent[sizeof c->db_dir];
    struct stat sb;
    snprintf(parent, sizeof parent, "%s", c->db_dir);
    store_line(parent);
    char *slash = strrchr(parent, '/');
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else
        slash[slash == parent] = '\0';
    bool known = stat(c->db_dir, &sb) == 0 || stat(parent, &sb) == 0;
    if (getuid() == 0 || cli_privileged() || (known && in_my_groups(sb.st_gid)))
        return cli_fail(c, err);
    struct group *gr = known ? getgrgid(sb.st_gid) : NULL;
    if (gr)
        return cli_failf(c, _("%s; fitcase must be installed setgid to the store's group "
                              "%s (chgrp %s fitcase; chmod 2755 fitcase; see "
                              "docs/deployment.md)"), err->msg, gr->gr_name, gr->gr_name);
    return cli_failf(c, _("%s; fitcase must be installed setgid to the store's group (see "
                          "docs/deployment.md)"), err->msg);
}

int cli_open(struct cli *c, bool create)
{
    if (c->st)
        return 0;
    if (cli_check_store_dir(c) != 0)
        return 1;
    /* Only the operator upgrades a store (docs/deployment.md, section 10). */
    struct fc_store_opts opts = { .create = create, .keep_schema = !cli_operator() };
    struct fc_err err = { 0 };
    if (fc_store_open(c->db_dir, &opts, &c->st, &err) != FC_OK)
        return err.code == FC_EDENIED ? fail_denied(c, &err) : cli_fail(c, &err);
    if (c->flags & (CLI_NO_LOGIN | CLI_OPERATOR))
        return 0;
    if (cli_login(c) != 0) {
        cli_close(c);
        return 1;
    }
    return 0;
}

/* --user: the operator may act as anyone (they can read the files anyway);
 * otherwise only a real login that is an active admin of this store. */
static int check_forced_user(struct cli *c)
{
    struct passwd *pw = getpwuid(getuid());
    const char *real = pw ? pw->pw_name : "?";
    struct fc_txn *txn;
    struct fc_staff me;
    struct fc_err err = { 0 };
    if (cli_operator())
        return 0;
    if (fc_read_begin(c->st, &txn, &err) != FC_OK)
        return cli_fail(c, &err);
    int rc = fc_staff_by_login(txn, real, &me, NULL);
    fc_read_end(txn);
    if (rc == FC_OK && me.active && me.role == FC_ROLE_ADMIN)
        return 0;
    return cli_failf(c, _("--user is for administrators: %s is not an active administrator "
                          "of the store in %s"), real, c->db_dir);
}

int cli_login(struct cli *c)
{
    struct fc_err err = { 0 };
    if (c->user_forced && check_forced_user(c) != 0)
        return 1;
    int rc = fc_store_set_actor(c->st, c->user, &err);
    if (rc == FC_EDENIED && (c->flags & CLI_OPERATOR_OK) && !c->user_forced && cli_operator())
        return 0;
    if (rc != FC_OK)
        return cli_fail(c, &err);
    int role = fc_store_actor(c->st)->role;
    const char *cmd = c->cmd ? c->cmd : "";
    if ((c->flags & CLI_ADMIN) && role != FC_ROLE_ADMIN)
        return cli_failf(c, _("only an administrator may use fitcase %s; %s is not one"), cmd,
                         c->user);
    if ((c->flags & CLI_LEAD) && role == FC_ROLE_CASEWORKER)
        return cli_failf(c, _("only a team lead or an administrator may use fitcase %s; %s "
                              "is a caseworker"), cmd, c->user);
    if (c->flags & CLI_BULK)
        fc_store_set_bulk(c->st, true);
    return 0;
}

bool cli_parse_id(const char *s, fc_id *id)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *s == '-' || *end || errno || v == 0 || v > UINT32_MAX)
        return false;
    *id = (fc_id)v;
    return true;
}

int cli_write_output(struct cli *c, const char *path, cli_write_fn fn, void *ctx)
{
    struct fc_err err = { 0 };
    if (!path) {
        if (fn(c, stdout, ctx, &err) != FC_OK)
            return cli_fail(c, &err);
        return fflush(stdout) == 0 ? 0 : cli_failf(c, _("cannot write: %s"), strerror(errno));
    }
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return cli_failf(c, _("the file name %s is too long"), path);
    /* The file is the user's: created, renamed and removed with the
     * user's rights, never the store's group's. */
    struct cli_priv priv;
    cli_priv_drop(&priv);
    FILE *f = fopen(tmp, "w");
    int open_errno = errno;
    cli_priv_restore(&priv);
    if (!f)
        return cli_failf(c, _("cannot write %s: %s"), tmp, strerror(open_errno));
    int status;
    if (fn(c, f, ctx, &err) != FC_OK) {
        fclose(f);
        status = cli_fail(c, &err);
    } else if (fclose(f) != 0) {
        status = cli_failf(c, _("cannot write %s: %s"), tmp, strerror(errno));
    } else {
        cli_priv_drop(&priv);
        int rc = rename(tmp, path), rename_errno = errno;
        cli_priv_restore(&priv);
        if (rc == 0)
            return 0;
        status = cli_failf(c, _("cannot rename %s to %s: %s"), tmp, path, strerror(rename_errno));
    }
    cli_priv_drop(&priv);
    unlink(tmp);
    cli_priv_restore(&priv);
    return status;
}

bool cli_utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int cli_open_case(struct cli *c, fc_id id)
{
    if (cli_open(c, false) != 0)
        return 1;
    struct fc_err err = { 0 };
    int rc = fc_case_open_audit(c->st, id, &err);
    if (rc != FC_OK && rc != FC_ENOTFOUND)
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
    const char *pinned = secure_getenv("FITCASE_TODAY");
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
