/* The CSV writer: quotes only where a reader needs it, so exports stay
 * readable in a text editor and import back byte for byte. */
#include <config.h>

#include <string.h>

#include "fitcase/csv.h"
#include "fitcase/date.h"
#include "fitcase/score.h"

static char delim(const struct fc_csv_writer *w)
{
    return w->delimiter ? w->delimiter : ',';
}

static bool needs_quotes(const struct fc_csv_writer *w, const char *s, size_t n)
{
    if (n == 0)
        return false;
    /* libcsv (like Excel) trims blanks outside quotes. */
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] == delim(w) || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return true;
    return false;
}

static void sep(struct fc_csv_writer *w)
{
    if (w->col++ > 0) {
        fputc(delim(w), w->out);
        w->wrote = true;
    }
}

void fc_csv_put(struct fc_csv_writer *w, const char *s)
{
    sep(w);
    size_t n = strlen(s);
    if (!needs_quotes(w, s, n)) {
        fwrite(s, 1, n, w->out);
        w->wrote = w->wrote || n > 0;
        return;
    }
    w->wrote = true;
    fputc('"', w->out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', w->out);
        if (*p == '\n' && w->crlf)
            fputc('\r', w->out);
        fputc(*p, w->out);
    }
    fputc('"', w->out);
}

void fc_csv_put_int(struct fc_csv_writer *w, long long v)
{
    sep(w);
    fprintf(w->out, "%lld", v);
    w->wrote = true;
}

void fc_csv_put_date(struct fc_csv_writer *w, fc_date d)
{
    char buf[11];
    fc_date_format(d, buf);
    sep(w);
    fputs(buf, w->out);
    w->wrote = w->wrote || buf[0];
}

void fc_csv_put_tenths(struct fc_csv_writer *w, int tenths)
{
    if (tenths < 0) {
        sep(w);
        return;
    }
    char buf[8];
    fc_tenths_format(tenths, w->decimal ? w->decimal : '.', buf);
    /* A decimal comma in a comma-separated file needs quotes. */
    fc_csv_put(w, buf);
}

void fc_csv_put_list(struct fc_csv_writer *w, size_t n, const char *items, size_t stride)
{
    char buf[FC_LIST_MAX * (FC_NAME_MAX * 2 + 1) + 1];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < FC_LIST_MAX; i++) {
        const char *s = items + i * stride;
        size_t k = strnlen(s, stride);
        if (len + k + 2 >= sizeof buf)
            break;
        if (i > 0)
            buf[len++] = '|';
        memcpy(buf + len, s, k);
        len += k;
        buf[len] = '\0';
    }
    fc_csv_put(w, buf);
}

void fc_csv_end_row(struct fc_csv_writer *w)
{
    /* A row of one empty field would read back as a blank line, which
     * readers skip: write it as "". */
    if (w->col == 1 && !w->wrote)
        fputs("\"\"", w->out);
    w->wrote = false;
    if (w->crlf)
        fputc('\r', w->out);
    fputc('\n', w->out);
    w->col = 0;
}
