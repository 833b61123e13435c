/* The CSV reader: libcsv in strict mode, fed one physical line at a time so
 * every row knows the line it starts on, with caps of our own on field
 * size, field count and row count (libcsv itself grows without limit). A
 * line without a quote that starts a row is split here the way libcsv
 * splits it (tests/check_csv.c compares the two), which is most lines of
 * an export and several times faster. */
#include <config.h>

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fitcase/csv_internal.h"
#include "fitcase/i18n.h"

enum { BLOCK = 64 * 1024 };

struct fc_csv_reader {
    char *name;
    FILE *f;                          /* a file, or ... */
    bool own;                         /* f is closed with the reader */
    off_t start;                      /* where f's text starts */
    FILE *copy;                       /* while scanning what cannot be read
                                       * twice: its copy, read afterwards */
    const unsigned char *mem;         /* ... memory */
    size_t memlen;
    struct fc_csv_limits lim;
    char delim;
    enum fc_csv_encoding enc;
    bool bom;
    uint64_t lines;

    /* one pass */
    struct csv_parser p;
    bool parser_live;
    unsigned char *block;
    char *buf;                        /* the row's fields, back to back */
    size_t blen, bcap;
    size_t *off, *len;
    char **ptr;
    size_t nf, capf;
    uint64_t cur_line, row_start, rows;
    bool after_cr, row_ready, skip_line;
    bool failed;                      /* a callback found a problem */
    bool plain_ok;                    /* lines without quotes skip libcsv */
    char msg[512];
};

/* ---- errors ---------------------------------------------------------------- */

static void failf(struct fc_csv_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void failf(struct fc_csv_reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
}

static int set_err(struct fc_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set_err(struct fc_err *err, int code, const char *fmt, ...)
{
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

static unsigned long long row_line(const struct fc_csv_reader *r)
{
    return (unsigned long long)(r->row_start ? r->row_start : r->cur_line);
}

/* ---- encoding --------------------------------------------------------------- */

/* Windows-1252 0x80-0x9F as Unicode; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

bool fc_cp1252_to_utf8(const char *in, size_t len, char *out, size_t *outlen,
                       unsigned char *bad)
{
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)in[i];
        unsigned cp = b;
        if (b >= 0x80 && b < 0xA0) {
            cp = cp1252_high[b - 0x80];
            if (!cp) {
                *bad = b;
                *outlen = j;
                out[j] = '\0';
                return false;
            }
        }
        if (cp < 0x80) {
            out[j++] = (char)cp;
        } else if (cp < 0x800) {
            out[j++] = (char)(0xC0 | cp >> 6);
            out[j++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[j++] = (char)(0xE0 | cp >> 12);
            out[j++] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[j++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[j] = '\0';
    *outlen = j;
    return true;
}

/* A streaming UTF-8 check (rejects overlong forms, surrogates, > U+10FFFF). */
struct u8state {
    int need;
    uint32_t cp, min;
};

static bool u8_step(struct u8state *s, unsigned char b)
{
    if (s->need == 0) {
        if (b < 0x80)
            return true;
        if (b >= 0xC2 && b <= 0xDF)
            *s = (struct u8state){ 1, b & 0x1Fu, 0x80 };
        else if (b >= 0xE0 && b <= 0xEF)
            *s = (struct u8state){ 2, b & 0x0Fu, 0x800 };
        else if (b >= 0xF0 && b <= 0xF4)
            *s = (struct u8state){ 3, b & 0x07u, 0x10000 };
        else
            return false;
        return true;
    }
    if ((b & 0xC0) != 0x80)
        return false;
    s->cp = s->cp << 6 | (b & 0x3Fu);
    if (--s->need == 0)
        return s->cp >= s->min && (s->cp < 0xD800 || s->cp > 0xDFFF) && s->cp <= 0x10FFFF;
    return true;
}

static bool utf8_ok(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] < 0x80)
        i++;
    struct u8state st = { 0 };
    for (; i < n; i++)
        if (!u8_step(&st, (unsigned char)s[i]))
            return false;
    return st.need == 0;
}

/* Whether none of 8 bytes is NUL, CR, LF or over 0x7F. */
static inline bool plain8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t cr = w ^ (ones * '\r'), lf = w ^ (ones * '\n');
    uint64_t zero = ((w - ones) & ~w) | ((cr - ones) & ~cr) | ((lf - ones) & ~lf);
    return ((zero | w) & highs) == 0;
}

/* Whether none of 8 bytes is CR, LF or a quote. */
static inline bool quiet8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t cr = w ^ (ones * '\r'), lf = w ^ (ones * '\n'), q = w ^ (ones * '"');
    return ((((cr - ones) & ~cr) | ((lf - ones) & ~lf) | ((q - ones) & ~q)) & highs) == 0;
}

/* ---- the source --------------------------------------------------------------- */

static size_t source_read(struct fc_csv_reader *r, size_t *pos, unsigned char *dst, size_t cap)
{
    if (r->f)
        return fread(dst, 1, cap, r->f);
    size_t n = r->memlen - *pos < cap ? r->memlen - *pos : cap;
    memcpy(dst, r->mem + *pos, n);
    *pos += n;
    return n;
}

static int source_rewind(struct fc_csv_reader *r, struct fc_err *err)
{
    if (r->f && fseeko(r->f, r->start, SEEK_SET) != 0)
        return set_err(err, FC_ESTORE, _("%s: cannot read the file again: %s"), r->name,
                       strerror(errno));
    return FC_OK;
}

static int copy_failed(struct fc_csv_reader *r, struct fc_err *err)
{
    return set_err(err, FC_ESTORE, _("%s: cannot copy the input to a temporary file: %s"),
                   r->name, strerror(errno));
}

/* One scan before parsing: what the file is, its encoding, its delimiter
 * (the most frequent of ; , tab in the first line, outside quotes) and its
 * number of lines (for progress). */
static int prescan(struct fc_csv_reader *r, struct fc_err *err)
{
    unsigned char *b = r->block;
    size_t pos = 0, n;
    uint64_t line = 1, bad_line = 0;
    bool first = true, in_first_line = true, seen = false, quoted = false, prev_cr = false;
    bool last_nl = true;
    size_t count[3] = { 0 };
    struct u8state u8 = { 0 };
    bool valid = true;
    while ((n = source_read(r, &pos, b, BLOCK)) > 0) {
        if (r->copy && fwrite(b, 1, n, r->copy) != n)
            return copy_failed(r, err);
        size_t i = 0;
        if (first) {
            first = false;
            if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
                return set_err(err, FC_EINVAL, _("%s: the file is UTF-16 text; save it as "
                                                 "\"CSV UTF-8\" or \"CSV (semicolon)\""), r->name);
            if (n >= 4 && memcmp(b, "PK\3\4", 4) == 0)
                return set_err(err, FC_EINVAL, _("%s: this is an Excel workbook (.xlsx), not "
                                                 "CSV; save it as \"CSV UTF-8\""), r->name);
            if (n >= 4 && memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0)
                return set_err(err, FC_EINVAL, _("%s: this is an Excel workbook (.xls), not "
                                                 "CSV; save it as \"CSV UTF-8\""), r->name);
            if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
                r->bom = true;
                i = 3;
            }
        }
        for (; i < n; i++) {
            /* Eight bytes at a time past the first line while they are
             * ASCII without NUL, CR or LF (nothing for the loop to do). */
            while (!in_first_line && (u8.need == 0 || !valid) && i + 8 <= n && plain8(b + i)) {
                i += 8;
                prev_cr = last_nl = false;
            }
            if (i == n)
                break;
            unsigned char c = b[i];
            if (c == 0)
                return set_err(err, FC_EINVAL, _("%s:%llu: the file contains a NUL byte; it "
                                                 "is not a CSV text file"),
                               r->name, (unsigned long long)line);
            if (valid && (c >= 0x80 || u8.need) && !u8_step(&u8, c)) {
                valid = false;
                bad_line = line;
            }
            if (in_first_line) {
                if (c == '"')
                    quoted = !quoted;
                else if (!quoted && (c == '\n' || c == '\r'))
                    in_first_line = !seen;
                else if (!quoted) {
                    count[0] += c == ';';
                    count[1] += c == ',';
                    count[2] += c == '\t';
                    seen = seen || c != ' ';
                }
            }
            if (c == '\r')
                line++;
            else if (c == '\n' && !prev_cr)
                line++;
            prev_cr = c == '\r';
            last_nl = c == '\r' || c == '\n';
        }
    }
    if (r->f && ferror(r->f))
        return set_err(err, FC_ESTORE, _("%s: read error: %s"), r->name, strerror(errno));
    if (r->copy) {
        /* The passes read the copy from now on. */
        if (fflush(r->copy) != 0)
            return copy_failed(r, err);
        if (r->own)
            fclose(r->f);
        r->f = r->copy;
        r->copy = NULL;
        r->own = true;
        r->start = 0;
    }
    if (valid && u8.need) {
        valid = false;
        bad_line = line;
    }
    r->lines = line - (last_nl ? 1 : 0);
    r->enc = valid ? FC_CSV_UTF8 : FC_CSV_CP1252;
    if (!valid && r->bom)
        return set_err(err, FC_EINVAL, _("%s:%llu: the file starts with a UTF-8 byte-order "
                                         "mark but is not valid UTF-8"),
                       r->name, (unsigned long long)bad_line);
    r->delim = ',';
    if (count[0] > count[1] && count[0] >= count[2])
        r->delim = ';';
    else if (count[2] > count[1] && count[2] > count[0])
        r->delim = '\t';
    return source_rewind(r, err);
}

static int open_common(struct fc_csv_reader *r, const char *name,
                       const struct fc_csv_limits *lim, struct fc_err *err)
{
    r->name = strdup(name);
    r->block = malloc(BLOCK);
    if (!r->name || !r->block)
        return set_err(err, FC_ESTORE, "%s", _("out of memory"));
    if (lim)
        r->lim = *lim;
    if (!r->lim.max_field)
        r->lim.max_field = 64 * 1024;
    if (!r->lim.max_fields)
        r->lim.max_fields = 64;
    if (!r->lim.max_rows)
        r->lim.max_rows = 100000000;
    /* Tests compare the reader with and without its own splitting. */
    const char *env = secure_getenv("FITCASE_CSV_LIBCSV_ONLY");
    r->plain_ok = !(env && *env == '1');
    return prescan(r, err);
}

/* A regular file is read again from where it stood; anything else (a
 * pipe, a terminal, /dev/stdin on a pipe) is copied, as the scan reads it,
 * to an unlinked temporary file in TMPDIR, which the passes then read. */
static int open_stream(const char *name, FILE *f, bool own, const struct fc_csv_limits *lim,
                       struct fc_csv_reader **out, struct fc_err *err)
{
    *out = NULL;
    struct fc_csv_reader *r = calloc(1, sizeof *r);
    if (!r) {
        if (own)
            fclose(f);
        return set_err(err, FC_ESTORE, "%s", _("out of memory"));
    }
    r->f = f;
    r->own = own;
    struct stat sb;
    r->start = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) ? ftello(f) : -1;
    if (r->start < 0) {
        int fd = fc_temp_fd();
        r->copy = fd >= 0 ? fdopen(fd, "w+b") : NULL;
        if (!r->copy) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            set_err(err, FC_ESTORE, _("%s: cannot copy the input to a temporary file: %s"),
                    name, strerror(e));
            fc_csv_close(r);
            return FC_ESTORE;
        }
    }
    int rc = open_common(r, name, lim, err);
    if (rc != FC_OK) {
        fc_csv_close(r);
        return rc;
    }
    *out = r;
    return FC_OK;
}

int fc_csv_open_file(const char *path, const struct fc_csv_limits *lim,
                     struct fc_csv_reader **out, struct fc_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return set_err(err, FC_EINVAL, _("%s: cannot open: %s"), path, strerror(errno));
    return open_stream(path, f, true, lim, out, err);
}

int fc_csv_open_stream(const char *name, FILE *f, const struct fc_csv_limits *lim,
                       struct fc_csv_reader **out, struct fc_err *err)
{
    return open_stream(name, f, false, lim, out, err);
}

int fc_csv_open_mem(const char *name, const void *data, size_t len,
                    const struct fc_csv_limits *lim, struct fc_csv_reader **out,
                    struct fc_err *err)
{
    *out = NULL;
    struct fc_csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return set_err(err, FC_ESTORE, "%s", _("out of memory"));
    r->mem = data;
    r->memlen = len;
    int rc = open_common(r, name, lim, err);
    if (rc != FC_OK) {
        fc_csv_close(r);
        return rc;
    }
    *out = r;
    return FC_OK;
}

void fc_csv_close(struct fc_csv_reader *r)
{
    if (!r)
        return;
    if (r->parser_live)
        csv_free(&r->p);
    if (r->f && r->own)
        fclose(r->f);
    if (r->copy)
        fclose(r->copy);
    free(r->name);
    free(r->block);
    free(r->buf);
    free(r->off);
    free(r->len);
    free(r->ptr);
    free(r);
}

const char *fc_csv_name(const struct fc_csv_reader *r) { return r->name; }
char fc_csv_delimiter(const struct fc_csv_reader *r) { return r->delim; }
enum fc_csv_encoding fc_csv_encoding(const struct fc_csv_reader *r) { return r->enc; }
bool fc_csv_had_bom(const struct fc_csv_reader *r) { return r->bom; }
uint64_t fc_csv_line_count(const struct fc_csv_reader *r) { return r->lines; }

/* ---- libcsv callbacks ---------------------------------------------------------- */

static bool reserve(struct fc_csv_reader *r, size_t more)
{
    if (r->blen + more <= r->bcap)
        return true;
    size_t cap = r->bcap ? r->bcap : 4096;
    while (cap < r->blen + more)
        cap *= 2;
    char *n = realloc(r->buf, cap);
    if (!n)
        return false;
    r->buf = n;
    r->bcap = cap;
    return true;
}

static bool add_field_slot(struct fc_csv_reader *r)
{
    if (r->nf < r->capf)
        return true;
    size_t cap = r->capf ? r->capf * 2 : 16;
    size_t *o = realloc(r->off, cap * sizeof *o);
    if (o)
        r->off = o;
    size_t *l = realloc(r->len, cap * sizeof *l);
    if (l)
        r->len = l;
    char **p = realloc(r->ptr, cap * sizeof *p);
    if (p)
        r->ptr = p;
    if (!o || !l || !p)
        return false;
    r->capf = cap;
    return true;
}

static void on_field(void *s, size_t n, void *data)
{
    struct fc_csv_reader *r = data;
    if (r->failed)
        return;
    const char *in = s ? s : "";
    if (n > r->lim.max_field) {
        failf(r, _("%s:%llu: field %zu: longer than %zu KiB; is a closing quote missing?"),
              r->name, row_line(r), r->nf + 1, r->lim.max_field / 1024);
        return;
    }
    if (r->nf >= r->lim.max_fields) {
        failf(r, _("%s:%llu: more than %zu fields in the row"), r->name, row_line(r),
              r->lim.max_fields);
        return;
    }
    if (!add_field_slot(r) || !reserve(r, 3 * n + 1)) {
        failf(r, "%s", _("out of memory"));
        return;
    }
    char *dst = r->buf + r->blen;
    size_t len = 0;
    bool cr = false;
    if (r->enc == FC_CSV_CP1252) {
        unsigned char bad;
        if (!fc_cp1252_to_utf8(in, n, dst, &len, &bad)) {
            failf(r, _("%s:%llu: field %zu: byte 0x%02X is not a character in Windows-1252 "
                       "(nor is the file UTF-8)"), r->name, row_line(r), r->nf + 1, bad);
            return;
        }
        cr = memchr(dst, '\r', len) != NULL;
    } else {
        /* The prescan found the file UTF-8, but it may have changed since:
         * a field with bytes over 0x7F is checked again. */
        unsigned char high = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)in[i];
            dst[i] = (char)c;
            high |= c;
            cr |= c == '\r';
        }
        if ((high & 0x80) && !utf8_ok(in, n)) {
            failf(r, _("%s:%llu: field %zu: not valid UTF-8"), r->name, row_line(r),
                  r->nf + 1);
            return;
        }
        len = n;
    }
    /* CRLF inside a quoted field is one line break; so is CRCRLF (a
     * CRLF file saved again by a tool that adds CR), so that a field
     * written back reads the same. */
    size_t j = cr ? 0 : len;
    for (size_t i = j; i < len; i++) {
        if (dst[i] == '\r') {
            size_t k = i;
            while (k < len && dst[k] == '\r')
                k++;
            if (k < len && dst[k] == '\n') {
                i = k - 1;
                continue;
            }
        }
        dst[j++] = dst[i];
    }
    dst[j] = '\0';
    if (j > r->lim.max_field) {
        /* Windows-1252 letters take two or three bytes in UTF-8. */
        failf(r, _("%s:%llu: field %zu: longer than %zu KiB"), r->name, row_line(r),
              r->nf + 1, r->lim.max_field / 1024);
        return;
    }
    r->off[r->nf] = r->blen;
    r->len[r->nf] = j;
    r->nf++;
    r->blen += j + 1;
}

static void on_row(int c, void *data)
{
    (void)c;
    struct fc_csv_reader *r = data;
    if (!r->failed)
        r->row_ready = true;
}

static int is_blank(unsigned char c)
{
    return c == ' ';
}

/* ---- a pass ----------------------------------------------------------------------- */

static int begin_pass(struct fc_csv_reader *r, struct fc_err *err)
{
    if (r->parser_live)
        csv_free(&r->p);
    r->parser_live = false;
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return set_err(err, FC_ESTORE, "%s", _("out of memory"));
    r->parser_live = true;
    csv_set_delim(&r->p, (unsigned char)r->delim);
    if (r->delim == '\t')
        csv_set_space_func(&r->p, is_blank);
    csv_set_blk_size(&r->p, 4096);
    r->blen = r->nf = 0;
    r->row_start = 0;
    r->row_ready = r->failed = r->skip_line = r->after_cr = false;
    return FC_OK;
}

/* A row the parser could not read: hand it to bad (or stop), then start
 * a fresh parser at the next line. */
static int bad_row(struct fc_csv_reader *r, fc_csv_bad_fn bad, void *ctx, bool at_eol,
                   struct fc_err *err)
{
    uint64_t line = row_line(r);
    if (!bad)
        return set_err(err, FC_EINVAL, "%s", r->msg);
    int stop = bad(line, r->msg, ctx);
    if (stop)
        return stop;
    uint64_t keep_line = r->cur_line, keep_rows = r->rows;
    bool keep_cr = r->after_cr;
    int rc = begin_pass(r, err);
    r->cur_line = keep_line;
    r->rows = keep_rows;
    r->after_cr = keep_cr;
    r->skip_line = !at_eol;
    return rc;
}

static int deliver(struct fc_csv_reader *r, fc_csv_row_fn fn, void *ctx, struct fc_err *err)
{
    r->row_ready = false;
    if (r->rows >= r->lim.max_rows)
        return set_err(err, FC_EINVAL, _("%s:%llu: more than %llu rows; split the file"),
                       r->name, row_line(r), (unsigned long long)r->lim.max_rows);
    for (size_t i = 0; i < r->nf; i++)
        r->ptr[i] = r->buf + r->off[i];
    struct fc_csv_row row = {
        .line = row_line(r), .end_line = r->cur_line, .index = r->rows++,
        .n = r->nf, .field = r->ptr, .len = r->len,
    };
    r->blen = r->nf = 0;
    r->row_start = 0;
    return fn(&row, ctx);
}

static const char *quote_problem(const struct fc_csv_reader *r)
{
    return r->p.quoted ? _("text after a closing quote (a quote inside a quoted field "
                           "is written twice: \"\")")
                       : _("a quote inside a field that does not start with one (quote "
                           "the whole field and write the quote twice: \"\")");
}

/* What libcsv takes for a space around an unquoted field (and trims). */
static bool is_sp(const struct fc_csv_reader *r, unsigned char c)
{
    return c == ' ' || (c == '\t' && r->delim != '\t');
}

/* A whole line without a quote, at the start of a row: split here as
 * libcsv would (the fields between delimiters, spaces around them trimmed;
 * a line of nothing but spaces is no row), without its byte at a time
 * state machine. n: the line without its line end. */
static void plain_line(struct fc_csv_reader *r, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_sp(r, s[i]))
        i++;
    if (i == n)
        return;
    for (;;) {
        size_t from = i;
        while (i < n && s[i] != (unsigned char)r->delim)
            i++;
        size_t to = i;
        while (to > from && is_sp(r, s[to - 1]))
            to--;
        on_field((void *)(s + from), to - from, r);
        if (i == n || r->failed)
            break;
        i++;
        while (i < n && is_sp(r, s[i]))
            i++;
    }
    on_row(s[n], r);
}

/* Feeds one segment: bytes up to and including one line end; quote: the
 * segment has a quote. */
static int feed(struct fc_csv_reader *r, const unsigned char *s, size_t n, bool quote,
                fc_csv_row_fn fn, fc_csv_bad_fn bad, void *ctx, struct fc_err *err)
{
    unsigned char last = s[n - 1];
    bool eol = last == '\r' || last == '\n';
    int rc = 0;
    if (r->skip_line) {
        r->skip_line = !eol;
    } else {
        if (!r->row_start)
            for (size_t i = 0; i < n; i++)
                if (s[i] != '\r' && s[i] != '\n' && s[i] != ' ' &&
                    (s[i] != '\t' || r->delim == '\t')) {
                    r->row_start = r->cur_line;
                    break;
                }
        size_t done = n;
        if (eol && r->p.pstate == 0 && r->plain_ok && !quote)
            plain_line(r, s, n - 1);    /* pstate 0: libcsv's ROW_NOT_BEGUN */
        else
            done = csv_parse(&r->p, s, n, on_field, on_row, r);
        if (done < n && !r->failed)
            failf(r, _("%s:%llu: field %zu: %s"), r->name, (unsigned long long)r->cur_line,
                  r->nf + 1, quote_problem(r));
        else if (r->p.entry_pos > r->lim.max_field && !r->failed)
            failf(r, _("%s:%llu: field %zu: longer than %zu KiB%s"), r->name, row_line(r),
                  r->nf + 1, r->lim.max_field / 1024,
                  r->p.quoted ? _("; is a closing quote missing?") : "");
        if (r->failed)
            rc = bad_row(r, bad, ctx, eol, err);
        else if (r->row_ready)
            rc = deliver(r, fn, ctx, err);
    }
    if (last == '\r' || (last == '\n' && !(n == 1 && r->after_cr)))
        r->cur_line++;
    r->after_cr = last == '\r';
    return rc;
}

int fc_csv_each(struct fc_csv_reader *r, fc_csv_row_fn fn, fc_csv_bad_fn bad,
                void *ctx, struct fc_err *err)
{
    int rc = source_rewind(r, err);
    if (rc == FC_OK)
        rc = begin_pass(r, err);
    if (rc != FC_OK)
        return rc;
    r->cur_line = 1;
    r->rows = 0;
    size_t pos = 0, n;
    bool first = true;
    while (rc == 0 && (n = source_read(r, &pos, r->block, BLOCK)) > 0) {
        size_t i = 0;
        if (first && r->bom)
            i = 3;
        first = false;
        while (rc == 0 && i < n) {
            /* To the line end, eight bytes at a time where none is a line
             * end or a quote. */
            const unsigned char *b = r->block;
            size_t j = i;
            bool quote = false;
            for (;;) {
                while (j + 8 <= n && quiet8(b + j))
                    j += 8;
                size_t stop = j + 8 < n ? j + 8 : n;
                while (j < stop && b[j] != '\n' && b[j] != '\r')
                    quote |= b[j++] == '"';
                if (j < stop || j == n)
                    break;
            }
            if (j < n)
                j++;
            rc = feed(r, b + i, j - i, quote, fn, bad, ctx, err);
            i = j;
        }
    }
    if (rc != 0)
        return rc;
    if (r->f && ferror(r->f))
        return set_err(err, FC_ESTORE, _("%s: read error: %s"), r->name, strerror(errno));
    if (r->skip_line)
        return 0;
    if (csv_fini(&r->p, on_field, on_row, r) != 0 && !r->failed)
        failf(r, _("%s:%llu: a quoted field is not closed: it runs to the end of the file"),
              r->name, row_line(r));
    if (r->failed) {
        rc = bad_row(r, bad, ctx, true, err);
        return rc;
    }
    if (r->row_ready)
        return deliver(r, fn, ctx, err);
    return 0;
}
