/* Message translation: every user-facing string goes through _(). */
#ifndef FITCASE_I18N_H
#define FITCASE_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
