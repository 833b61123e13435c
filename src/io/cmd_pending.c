/* Commands whose owners have not landed them yet: an honest refusal. */
#include <config.h>

#include "../cli/cli.h"
#include "fitcase/i18n.h"

static int pending(struct cli *c, const char *what)
{
    return cli_failf(c, _("'%s' is not available in this build yet"), what);
}

