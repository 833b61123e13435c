/* fitcase erase-pupil ID: deletes a pupil and everything about them once
 * the team's retention period has run since their last case closed. The
 * audit log keeps an entry with ids and counts, no personal data. */
#include <config.h>

#include "cli.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"

struct erase {
    fc_id pupil;
    fc_date today;
};

static int erase_fn(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct erase *e = ctx;
    fc_date from;
    int rc = fc_pupil_erasable(txn, e->pupil, e->today, &from, err);
    return rc ? rc : fc_pupil_erase(txn, e->pupil, err);
}

int cmd_erase_pupil(struct cli *c, int argc, char **argv)
{
    struct erase e = { .today = cli_today() };
    if (argc != 2)
        return cli_usage("erase-pupil ID");
    if (!cli_parse_id(argv[1], &e.pupil))
        return cli_failf(c, _("'%s' is not a pupil number"), argv[1]);
    if (cli_open(c, false) != 0)
        return 1;
    struct fc_err err = { 0 };
    if (fc_store_write(c->st, c->user, erase_fn, &e, &err) != FC_OK)
        return cli_fail(c, &err);
    printf(_("pupil %u and everything about them is erased\n"), (unsigned)e.pupil);
    return 0;
}
