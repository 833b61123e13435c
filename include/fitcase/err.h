/* Filling a struct fc_err: one helper every layer uses, so a message is
 * always formatted, truncated and coded the same way. */
#ifndef FITCASE_ERR_H
#define FITCASE_ERR_H

#include "fitcase/types.h"

/* Sets err (if not NULL) to code and the formatted message; returns code. */
int fc_fail(struct fc_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
