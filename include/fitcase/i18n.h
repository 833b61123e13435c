/* Message translation: every user-facing string goes through _(). */
#ifndef FITCASE_I18N_H
#define FITCASE_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* A message with a context, for words whose translation depends on where
 * they stand ("open" as a button, a filter or a case's status). xgettext
 * extracts P_ with --keyword=P_:1c,2 (po/Makevars). */
static inline const char *fc_pgettext(const char *ctx_msgid, const char *msgid)
{
    const char *t = gettext(ctx_msgid);
    return t == ctx_msgid ? msgid : t;
}
#define P_(ctx, s) fc_pgettext(ctx "\004" s, s)
/* Marks a message with a context for xgettext (--keyword=NP_:1c,2) where
 * it stands in a table; looked up later with fc_pgettext. */
#define NP_(ctx, s) (s)

#endif
