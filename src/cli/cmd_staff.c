/* fitcase staff add|list|set-role|set-team|activate|deactivate, and
 * fitcase case reassign: who works in the store, in which role and team,
 * and who coordinates a case. Staff changes are for admins (the store
 * refuses them to anyone else as well). */
#include <config.h>

#include <string.h>

#include "cli.h"
#include "fitcase/csv.h"
#include "fitcase/i18n.h"
#include "fitcase/text.h"

static const char usage[] =
    "staff add LOGIN NAME [--role ROLE] [--team TEAM] | list | set-role LOGIN ROLE |\n"
    "       set-team LOGIN TEAM | activate LOGIN | deactivate LOGIN [--reassign-to LOGIN]";

struct staff_op {
    const char *verb, *login, *name, *role, *team, *to;
    size_t moved, left;
    bool new_team;
};

struct team_find {
    const char *name;
    fc_id id;
};

static int find_team(const struct fc_team *t, void *ctx)
{
    struct team_find *f = ctx;
    if (strcmp(t->name, f->name) == 0) {
        f->id = t->id;
        return 1;
    }
    return 0;
}

/* A team by name (or number); a name nobody has yet makes a new team. */
static int team_id(struct fc_txn *txn, struct staff_op *op, fc_id *id, struct fc_err *err)
{
    struct team_find f = { .name = op->team };
    struct fc_team t = { 0 };
    if (cli_parse_id(op->team, id))
        return fc_team_get(txn, *id, &t, err);
    fc_teams_each(txn, find_team, &f);
    if (f.id) {
        *id = f.id;
        return FC_OK;
    }
    snprintf(t.name, sizeof t.name, "%s", op->team);
    int rc = fc_team_put(txn, &t, err);
    *id = t.id;
    op->new_team = rc == FC_OK;
    return rc;
}

static int role_of(const char *s, uint8_t *role, struct fc_err *err)
{
    int r = fc_role_lookup(s);
    if (r < 0) {
        snprintf(err->msg, sizeof err->msg,
                 _("'%s' is not a role (caseworker, lead, admin)"), s);
        return err->code = FC_EINVAL;
    }
    *role = (uint8_t)r;
    return FC_OK;
}

static int staff_fn(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct staff_op *op = ctx;
    struct fc_staff s = { 0 }, to;
    op->moved = op->left = 0;
    op->new_team = false;
    int rc;
    if (strcmp(op->verb, "add") == 0) {
        s = (struct fc_staff){ .active = true, .role = FC_ROLE_CASEWORKER };
        snprintf(s.login, sizeof s.login, "%s", op->login);
        snprintf(s.name, sizeof s.name, "%s", op->name);
        rc = op->role ? role_of(op->role, &s.role, err) : FC_OK;
        if (rc == FC_OK && op->team)
            rc = team_id(txn, op, &s.team_id, err);
        return rc ? rc : fc_staff_put(txn, &s, err);
    }
    if ((rc = fc_staff_by_login(txn, op->login, &s, err)) != FC_OK)
        return rc;
    if (strcmp(op->verb, "set-role") == 0) {
        rc = role_of(op->role, &s.role, err);
    } else if (strcmp(op->verb, "set-team") == 0) {
        rc = team_id(txn, op, &s.team_id, err);
    } else if (strcmp(op->verb, "activate") == 0) {
        s.active = true;
    } else {
        if (strcmp(fc_txn_who(txn), s.login) == 0) {
            snprintf(err->msg, sizeof err->msg, _("you cannot deactivate yourself"));
            return err->code = FC_EINVAL;
        }
        s.active = false;
        if (op->to) {
            rc = fc_staff_by_login(txn, op->to, &to, err);
            if (rc == FC_OK)
                rc = fc_cases_reassign_all(txn, s.id, to.id, &op->moved, err);
        }
        if (rc == FC_OK)
            rc = fc_staff_open_cases(txn, s.id, &op->left, err);
    }
    return rc ? rc : fc_staff_put(txn, &s, err);
}

struct list_ctx {
    struct fc_txn *txn;
};

static int pad(const char *s, int width)
{
    int n = (int)fc_utf8_len(s);
    return n < width ? width - n : 1;
}

static int print_staff(const struct fc_staff *s, void *ctx)
{
    struct list_ctx *l = ctx;
    struct fc_team t = { 0 };
    if (s->team_id)
        fc_team_get(l->txn, s->team_id, &t, NULL);
    /* Pad by characters, not bytes: names have æ, ø and å. */
    printf("%-16s %s%*s%-10s %s%*s%s\n", s->login, s->name,
           pad(s->name, 28), "", fc_role_code(s->role), t.name,
           pad(t.name, 24), "", s->active ? _("active") : _("deactivated"));
    return 0;
}

static int staff_list(struct cli *c)
{
    struct fc_err err = { 0 };
    struct fc_txn *txn;
    if (fc_read_begin(c->st, &txn, &err) != FC_OK)
        return cli_fail(c, &err);
    struct list_ctx l = { txn };
    int rc = fc_staff_each(txn, print_staff, &l);
    fc_read_end(txn);
    return rc ? cli_failf(c, _("cannot read the staff (%d)"), rc) : 0;
}

int cmd_staff(struct cli *c, int argc, char **argv)
{
    struct staff_op op = { 0 };
    const char *pos[2] = { 0 };
    int npos = 0, i = 2;
    if (argc < 2)
        return cli_usage(usage);
    op.verb = argv[1];
    while (i < argc) {
        if (cli_opt_value(argc, argv, &i, "--role", &op.role) ||
            cli_opt_value(argc, argv, &i, "--team", &op.team) ||
            cli_opt_value(argc, argv, &i, "--reassign-to", &op.to))
            continue;
        if (argv[i][0] == '-' || npos == 2)
            return cli_usage(usage);
        pos[npos++] = argv[i++];
    }
    bool list = strcmp(op.verb, "list") == 0, add = strcmp(op.verb, "add") == 0;
    bool role = strcmp(op.verb, "set-role") == 0, team = strcmp(op.verb, "set-team") == 0;
    bool deact = strcmp(op.verb, "deactivate") == 0, act = strcmp(op.verb, "activate") == 0;
    if (list ? npos != 0 : add ? npos != 2 : (role || team) ? npos != 2 : (deact || act) ? npos != 1 : true)
        return cli_usage(usage);
    if (op.to && !deact)
        return cli_usage(usage);
    op.login = pos[0];
    op.name = add ? pos[1] : NULL;
    if (role)
        op.role = pos[1];
    if (team)
        op.team = pos[1];
    if (cli_open(c, false) != 0)
        return 1;
    if (list)
        return staff_list(c);
    struct fc_err err = { 0 };
    if (fc_store_write(c->st, c->user, staff_fn, &op, &err) != FC_OK)
        return cli_fail(c, &err);
    if (op.new_team)
        printf(_("new team: %s\n"), op.team);
    if (deact && op.to)
        printf(_("%s: deactivated; %zu open case(s) handed to %s\n"), op.login, op.moved, op.to);
    else if (deact)
        printf(_("%s: deactivated; %zu open case(s) still name them as coordinator "
                 "(hand them over with fitcase case reassign)\n"), op.login, op.left);
    else
        printf(_("%s: saved\n"), op.login);
    return 0;
}

/* ---- fitcase case reassign CASE LOGIN ----------------------------------------- */

struct reassign {
    fc_id case_id;
    const char *login;
};

static int reassign_fn(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct reassign *r = ctx;
    struct fc_staff to;
    int rc = fc_staff_by_login(txn, r->login, &to, err);
    return rc ? rc : fc_case_reassign(txn, r->case_id, to.id, err);
}

int cmd_case(struct cli *c, int argc, char **argv)
{
    static const char case_usage[] = "case reassign CASE LOGIN";
    struct reassign r = { 0 };
    if (argc != 4 || strcmp(argv[1], "reassign") != 0)
        return cli_usage(case_usage);
    if (!cli_parse_id(argv[2], &r.case_id))
        return cli_failf(c, _("'%s' is not a case number"), argv[2]);
    r.login = argv[3];
    if (cli_open(c, false) != 0)
        return 1;
    struct fc_err err = { 0 };
    if (fc_store_write(c->st, c->user, reassign_fn, &r, &err) != FC_OK)
        return cli_fail(c, &err);
    printf(_("case %u: coordinator is now %s\n"), (unsigned)r.case_id, r.login);
    return 0;
}
