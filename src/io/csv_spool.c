/* The spool of an import (csv_internal.h): pass 1's good rows, parsed, in
 * an unlinked temporary file, so that pass 2 need not parse the CSV again,
 * and sorted into the store's key order when the file was not in it, so
 * that pass 2 writes the store in order. A record is the line as a varint
 * (the step from the record before), then the parsed bytes with the 8-byte
 * words that are all zero (empty text) left out: a bit per word says which
 * are there, and the words that are there follow (the last may be shorter):
 * about 13 bytes for an absence day, 27 for a rating, written and read a
 * word at a time. Sorting cuts the spool into runs of at most run_max
 * records, sorts each in memory and writes it to a second file; reading
 * then merges the runs. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fitcase/csv_internal.h"

enum { BUF = 1 << 16 };

/* The most bytes a record of n bytes takes: the varint, the bits, the words. */
static size_t max_enc(size_t n)
{
    return 10 + (n + 63) / 64 + n;
}

/* The buffers of a spool of n-byte records: room for a few records at least. */
static size_t buf_size(size_t n)
{
    return 4 * max_enc(n) > BUF ? 4 * max_enc(n) : BUF;
}

/* Records appended to a file through a buffer. */
struct writer {
    int fd;
    unsigned char *buf;
    size_t len, cap;
    off_t off;                    /* bytes written to the file */
    uint64_t line;                /* of the record before (the varints' base) */
    bool failed;
};

/* Records read from a stretch of a file. */
struct reader {
    int fd;
    unsigned char *buf;
    size_t pos, end, cap;
    off_t off, stop;              /* the next read; where the stretch ends */
    uint64_t line, left;          /* records left to read */
};

struct run {
    off_t off, end;
    uint64_t n;
};

struct fc_spool {
    size_t size;                  /* bytes of a record */
    uint64_t rows;
    struct writer w;
    /* after sorting: the runs in a second file, merged while read */
    int sfd;
    struct run *runs;
    size_t nruns;
    struct reader *rd;            /* one per run (or one for the spool) */
    size_t nrd;
    unsigned char *cur;           /* nrd current records */
    uint64_t *cur_key, *cur_line;
    size_t *heap, nheap;          /* readers by (key, line) */
    uint64_t (*key)(const void *rec);
};

/* Made, then unlinked at once: gone with the process, whatever ends it. */
int fc_temp_fd(void)
{
    const char *dir = secure_getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fitcase-import.XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* ---- writing --------------------------------------------------------------------- */

static bool w_flush(struct writer *w)
{
    size_t done = 0;
    while (!w->failed && done < w->len) {
        ssize_t n = write(w->fd, w->buf + done, w->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            w->failed = true;
        else
            done += (size_t)n;
    }
    w->off += (off_t)done;
    w->len = 0;
    return !w->failed;
}

static bool w_put(struct writer *w, uint64_t line, const unsigned char *rec, size_t n)
{
    if (w->failed || (w->len + max_enc(n) > w->cap && !w_flush(w)))
        return false;
    unsigned char *o = w->buf + w->len;
    for (uint64_t d = line - w->line;; d >>= 7) {
        *o++ = (unsigned char)((d & 0x7F) | (d > 0x7F ? 0x80 : 0));
        if (d <= 0x7F)
            break;
    }
    w->line = line;
    unsigned char *bits = o;
    size_t nbits = (n + 63) / 64;
    memset(bits, 0, nbits);
    o += nbits;
    for (size_t i = 0, k = 0; i < n; i += 8, k++) {
        size_t m = n - i < 8 ? n - i : 8;
        uint64_t word = 0;
        memcpy(&word, rec + i, m);
        if (word) {
            bits[k / 8] |= (unsigned char)(1u << (k % 8));
            memcpy(o, rec + i, m);
            o += m;
        }
    }
    w->len = (size_t)(o - w->buf);
    return true;
}

struct fc_spool *fc_spool_open(size_t rec_size)
{
    struct fc_spool *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->size = rec_size;
    s->sfd = -1;
    s->w.cap = buf_size(rec_size);
    s->w.buf = malloc(s->w.cap);
    s->w.fd = s->w.buf ? fc_temp_fd() : -1;
    if (s->w.fd < 0) {
        free(s->w.buf);
        free(s);
        return NULL;
    }
    return s;
}

static void drop_readers(struct fc_spool *s)
{
    for (size_t i = 0; i < s->nrd; i++)
        free(s->rd[i].buf);
    free(s->rd);
    free(s->cur);
    free(s->cur_key);
    free(s->cur_line);
    free(s->heap);
    s->rd = NULL;
    s->cur = NULL;
    s->cur_key = s->cur_line = NULL;
    s->heap = NULL;
    s->nrd = s->nheap = 0;
}

void fc_spool_close(struct fc_spool *s)
{
    if (!s)
        return;
    drop_readers(s);
    if (s->w.fd >= 0)
        close(s->w.fd);
    if (s->sfd >= 0)
        close(s->sfd);
    free(s->w.buf);
    free(s->runs);
    free(s);
}

bool fc_spool_put(struct fc_spool *s, uint64_t line, const void *rec)
{
    if (!w_put(&s->w, line, rec, s->size))
        return false;
    s->rows++;
    return true;
}

uint64_t fc_spool_rows(const struct fc_spool *s)
{
    return s ? s->rows : 0;
}

/* ---- reading ----------------------------------------------------------------------- */

/* Makes at least want bytes (or what is left of the stretch) readable
 * from pos on; false at a read error or when the stretch has none left. */
static bool r_fill(struct reader *r, size_t want)
{
    if (r->end - r->pos >= want)
        return true;
    memmove(r->buf, r->buf + r->pos, r->end - r->pos);
    r->end -= r->pos;
    r->pos = 0;
    while (r->end < want && r->off < r->stop) {
        size_t room = r->cap - r->end;
        if (r->stop - r->off < (off_t)room)
            room = (size_t)(r->stop - r->off);
        ssize_t got;
        do
            got = pread(r->fd, r->buf + r->end, room, r->off);
        while (got < 0 && errno == EINTR);
        if (got <= 0) {
            if (got == 0)
                errno = EIO;
            return false;
        }
        r->off += got;
        r->end += (size_t)got;
    }
    if (r->end == 0)
        errno = EIO;
    return r->end > 0;
}

/* The next record into rec (n bytes); false at a short or broken file. */
static bool r_get(struct reader *r, uint64_t *line, unsigned char *rec, size_t n)
{
    if (!r_fill(r, max_enc(n)))
        return false;
    const unsigned char *p = r->buf + r->pos, *end = r->buf + r->end;
    uint64_t d = 0;
    int shift = 0;
    unsigned char c;
    do {
        if (p == end || shift > 63) {
            errno = EIO;
            return false;
        }
        c = *p++;
        d |= (uint64_t)(c & 0x7F) << shift;
        shift += 7;
    } while (c & 0x80);
    r->line += d;
    *line = r->line;
    const unsigned char *bits = p;
    size_t nbits = (n + 63) / 64;
    if ((size_t)(end - p) < nbits) {
        errno = EIO;
        return false;
    }
    p += nbits;
    for (size_t i = 0, k = 0; i < n; i += 8, k++) {
        size_t m = n - i < 8 ? n - i : 8;
        if (bits[k / 8] >> (k % 8) & 1) {
            if ((size_t)(end - p) < m) {
                errno = EIO;
                return false;
            }
            memcpy(rec + i, p, m);
            p += m;
        } else {
            memset(rec + i, 0, m);
        }
    }
    r->pos = (size_t)(p - r->buf);
    return true;
}

static bool before(const struct fc_spool *s, size_t a, size_t b)
{
    return s->cur_key[a] < s->cur_key[b] ||
           (s->cur_key[a] == s->cur_key[b] && s->cur_line[a] < s->cur_line[b]);
}

static void sift_down(struct fc_spool *s, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < s->nheap && before(s, s->heap[l], s->heap[m]))
            m = l;
        if (l + 1 < s->nheap && before(s, s->heap[l + 1], s->heap[m]))
            m = l + 1;
        if (m == i)
            return;
        size_t t = s->heap[i];
        s->heap[i] = s->heap[m];
        s->heap[m] = t;
        i = m;
    }
}

/* Reader i's next record into its slot; false at its end or an error. */
static int advance(struct fc_spool *s, size_t i)
{
    struct reader *r = &s->rd[i];
    if (r->left == 0)
        return 0;
    unsigned char *rec = s->cur + i * s->size;
    if (!r_get(r, &s->cur_line[i], rec, s->size))
        return -1;
    r->left--;
    s->cur_key[i] = s->key ? s->key(rec) : 0;
    return 1;
}

bool fc_spool_rewind(struct fc_spool *s)
{
    if (!s || s->w.failed || (s->w.len && !w_flush(&s->w)))
        return false;
    drop_readers(s);
    size_t n = s->nruns ? s->nruns : 1;
    s->rd = calloc(n, sizeof *s->rd);
    s->cur = malloc(n * s->size);
    s->cur_key = malloc(n * sizeof *s->cur_key);
    s->cur_line = malloc(n * sizeof *s->cur_line);
    s->heap = malloc(n * sizeof *s->heap);
    if (!s->rd || !s->cur || !s->cur_key || !s->cur_line || !s->heap) {
        drop_readers(s);
        return false;
    }
    s->nrd = n;
    for (size_t i = 0; i < n; i++) {
        struct reader *r = &s->rd[i];
        r->cap = buf_size(s->size);
        r->buf = malloc(r->cap);
        if (!r->buf) {
            drop_readers(s);
            return false;
        }
        if (s->nruns) {
            r->fd = s->sfd;
            r->off = s->runs[i].off;
            r->stop = s->runs[i].end;
            r->left = s->runs[i].n;
        } else {
            r->fd = s->w.fd;
            r->stop = s->w.off;
            r->left = s->rows;
        }
        int rc = advance(s, i);
        if (rc < 0) {
            drop_readers(s);
            return false;
        }
        if (rc > 0)
            s->heap[s->nheap++] = i;
    }
    for (size_t i = s->nheap / 2; i-- > 0;)
        sift_down(s, i);
    return true;
}

int fc_spool_get(struct fc_spool *s, uint64_t *line, void *rec)
{
    if (!s->nheap)
        return 0;
    size_t i = s->heap[0];
    memcpy(rec, s->cur + i * s->size, s->size);
    *line = s->cur_line[i];
    int rc = advance(s, i);
    if (rc < 0)
        return -1;
    if (rc == 0)
        s->heap[0] = s->heap[--s->nheap];
    sift_down(s, 0);
    return 1;
}

/* ---- sorting ---------------------------------------------------------------------- */

struct item {
    uint64_t key, line;
    size_t at;                    /* the record's place in the batch */
};

static int item_cmp(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

bool fc_spool_sort(struct fc_spool *s, uint64_t (*key)(const void *rec), size_t run_max)
{
    s->key = key;
    if (!s->rows || run_max == 0 || !fc_spool_rewind(s))
        return false;
    size_t batch = run_max < s->rows ? run_max : (size_t)s->rows;
    unsigned char *recs = malloc(batch * s->size);
    struct item *items = malloc(batch * sizeof *items);
    struct writer w = { .fd = fc_temp_fd(), .cap = buf_size(s->size) };
    w.buf = malloc(w.cap);
    struct run *runs = NULL;
    size_t nruns = 0;
    bool ok = recs && items && w.fd >= 0 && w.buf;
    /* The spool is read in the order it was written (one reader, no key
     * needed); each batch goes out sorted as one run. */
    for (uint64_t done = 0; ok && done < s->rows;) {
        size_t n = 0;
        for (; n < batch && done < s->rows; n++, done++) {
            unsigned char *rec = recs + n * s->size;
            ok = fc_spool_get(s, &items[n].line, rec) == 1;
            if (!ok)
                break;
            items[n].key = key(rec);
            items[n].at = n;
        }
        if (!ok)
            break;
        qsort(items, n, sizeof *items, item_cmp);
        struct run *more = realloc(runs, (nruns + 1) * sizeof *runs);
        ok = more != NULL;
        if (!ok)
            break;
        runs = more;
        ok = w_flush(&w);
        runs[nruns].off = w.off;
        w.line = 0;                /* each run's varints start afresh */
        for (size_t i = 0; ok && i < n; i++)
            ok = w_put(&w, items[i].line, recs + items[i].at * s->size, s->size);
        ok = ok && w_flush(&w);
        runs[nruns].end = w.off;
        runs[nruns].n = n;
        nruns++;
    }
    free(recs);
    free(items);
    free(w.buf);
    drop_readers(s);
    if (!ok) {
        if (w.fd >= 0)
            close(w.fd);
        free(runs);
        s->key = NULL;
        return false;
    }
    s->sfd = w.fd;
    s->runs = runs;
    s->nruns = nruns;
    return true;
}
