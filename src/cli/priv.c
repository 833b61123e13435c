/* A setgid (or setuid) fitcase reaches the store with the program's group,
 * but every file the user names (an export's -o, an import's FILE, the
 * drafts under XDG_STATE_HOME) must be touched with the user's own rights:
 * otherwise a user could read or overwrite what only the store's group may
 * (the store itself, its backups). The saved set-group-ID lets the
 * program's rights come back afterwards. */
#include <config.h>

#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

void cli_priv_drop(struct cli_priv *p)
{
    p->egid = getegid();
    p->euid = geteuid();
    if (p->egid != getgid() && setegid(getgid()) != 0)
        abort();   /* never touch a user's file with the store's group */
    if (p->euid != getuid() && seteuid(getuid()) != 0)
        abort();
}

void cli_priv_restore(const struct cli_priv *p)
{
    if (p->euid != geteuid() && seteuid(p->euid) != 0)
        abort();   /* the store cannot be reached again without them */
    if (p->egid != getegid() && setegid(p->egid) != 0)
        abort();
}
