#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "fitcase/err.h"

int fc_fail(struct fc_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}
