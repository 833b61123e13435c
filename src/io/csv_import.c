/* The import engine: a checking pass over the whole file in one read
 * transaction, then a writing pass: one write transaction, or for huge
 * absence and ratings files chunks of write transactions with an undo
 * journal. Nothing is written unless the checking pass found every row
 * good (or skip_bad was asked for); the writing pass checks each row again
 * inside its transaction, so a store changed meanwhile stops it cleanly,
 * and a failed or killed chunked import is taken out again. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fitcase/csv_internal.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/store_bulk.h"
#include "fitcase/text.h"

enum {
    MAX_LISTED = 200,                 /* problems printed before "and N more" */
    CHUNK_ROWS = 100000,              /* rows per write transaction (journaled) */
    CHUNK_BYTES = 16 * 1024 * 1024,   /* parsed records held per chunk */
    PROGRESS_EVERY = 4096,
    GROUP_MAX = 64,                   /* rows with one order key looked through */
    RUN_BYTES = 32 * 1024 * 1024,     /* records sorted at once (csv_spool.c) */
    RESTART = -2,                     /* pass 1 must begin again (no spool) */
};

struct engine {
    struct fc_imp im;
    struct fc_store *st;
    const char *who;
    struct fc_csv_reader *rd;
    struct fc_import_summary *sum;
    struct fc_err *err;
    int pass;
    struct fc_txn *rtxn;
    struct fc_keyset ids, contents;
    bool sorted;                      /* order keys never fell so far */
    bool any;                         /* a row was kept */
    uint64_t last_order;              /* the last row's order key */
    uint64_t group_id[GROUP_MAX], group_h[GROUP_MAX];  /* its rows' keys */
    size_t ngroup;
    uint64_t *seen, *seen_h;          /* every row's, when there is no spool */
    size_t nseen, capseen;
    uint64_t file_lines;
    uint8_t *skipmap;
    size_t skipcap;                    /* bytes */
    uint64_t listed, unlisted;        /* problems printed / not printed */
    bool header_bad, empty;
    unsigned char *rec;               /* scratch record */
    unsigned char *chunk;             /* chunk_rows records */
    uint64_t *lines;
    size_t nchunk, chunk_rows;
    uint64_t to_write;                /* good rows found by pass 1 */
    uint64_t written_rows;
    uint64_t done, total;
    uint64_t c_imported, c_same, c_skipped;  /* one transaction's counts */
    struct fc_txn *wtxn;              /* the one write transaction of the pass */
    uint64_t done_before_write;       /* progress when the writing pass began */
    size_t hdr_fields;                /* fields a row may fill (see header_row) */
    uint64_t quiet_upto;              /* pass 1 again: lines already reported */
    struct fc_spool *sp;              /* the good rows of pass 1 (NULL: none) */
    bool in_order;                    /* their order keys never fell */
    uint64_t last_key;
};

/* ---- reporting ---------------------------------------------------------- */

static void default_report(const char *msg, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "%s\n", msg);
}

static struct engine *engine_of(struct fc_imp *im)
{
    return (struct engine *)im;
}

static void emit(struct fc_imp *im, const char *msg)
{
    struct engine *e = engine_of(im);
    if (e->pass == 1 && im->line <= e->quiet_upto)
        return;                       /* listed before pass 1 began again */
    if (e->listed >= MAX_LISTED) {
        e->unlisted++;
        return;
    }
    e->listed++;
    if (im->o->report)
        im->o->report(msg, im->o->ctx);
    else
        default_report(msg, NULL);
}

static void vproblem(struct fc_imp *im, int c, const char *prefix, const char *fmt,
                     va_list ap)
{
    char what[512], msg[800];
    vsnprintf(what, sizeof what, fmt, ap);
    if (c >= 0)
        snprintf(msg, sizeof msg, "%s:%llu: %s%s: %s", im->file,
                 (unsigned long long)im->line, prefix, im->def->cols[c].name, what);
    else
        snprintf(msg, sizeof msg, "%s:%llu: %s%s", im->file, (unsigned long long)im->line,
                 prefix, what);
    emit(im, msg);
}

void fc_imp_bad(struct fc_imp *im, int c, const char *fmt, ...)
{
    im->row_bad = true;
    va_list ap;
    va_start(ap, fmt);
    vproblem(im, c, "", fmt, ap);
    va_end(ap);
}

void fc_imp_warn(struct fc_imp *im, int c, const char *fmt, ...)
{
    if (im->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vproblem(im, c, _("warning: "), fmt, ap);
    va_end(ap);
}

static void report_line(struct engine *e, const char *msg)
{
    emit(&e->im, msg);
}

/* ---- field access and parsers -------------------------------------------- */

bool fc_imp_has(const struct fc_imp *im, int c)
{
    int f = im->map[c];
    return f >= 0 && (size_t)f < im->row->n && im->row->field[f][0] != '\0';
}

const char *fc_imp_col(const struct fc_imp *im, int c)
{
    int f = im->map[c];
    return f >= 0 && (size_t)f < im->row->n ? im->row->field[f] : "";
}

bool fc_imp_id(struct fc_imp *im, int c, fc_id *id)
{
    const char *s = fc_imp_col(im, c);
    if (!*s) {
        fc_imp_bad(im, c, "%s", _("empty; a number is needed"));
        return false;
    }
    unsigned long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > UINT32_MAX) {
            fc_imp_bad(im, c, _("'%s' is not an id (a whole number from 1 to %u)"), s,
                       UINT32_MAX);
            return false;
        }
        v = v * 10 + (unsigned)(*p - '0');
    }
    if (v == 0 || v > UINT32_MAX) {
        fc_imp_bad(im, c, _("'%s' is not an id (a whole number from 1 to %u)"), s, UINT32_MAX);
        return false;
    }
    *id = (fc_id)v;
    return true;
}

bool fc_imp_date(struct fc_imp *im, int c, bool required, fc_date *d)
{
    const char *s = fc_imp_col(im, c);
    *d = FC_DATE_NONE;
    if (!*s) {
        if (required)
            fc_imp_bad(im, c, "%s", _("empty; a date is needed (dd-mm-yyyy or yyyy-mm-dd)"));
        return !required;
    }
    struct fc_err err = { 0 };
    if (fc_date_parse(s, d, &err) != FC_OK) {
        fc_imp_bad(im, c, "%s", err.msg[0] ? err.msg : _("not a date"));
        return false;
    }
    return true;
}

bool fc_imp_text(struct fc_imp *im, int c, bool required, char *out, size_t cap)
{
    const char *s = fc_imp_col(im, c);
    size_t n = strlen(s);
    if (required && n == 0) {
        fc_imp_bad(im, c, "%s", _("empty"));
        return false;
    }
    if (n >= cap) {
        fc_imp_bad(im, c, _("%zu bytes long; at most %zu fit"), n, cap - 1);
        return false;
    }
    memcpy(out, s, n + 1);
    return true;
}

bool fc_imp_list(struct fc_imp *im, int c, char *items, size_t cap, uint8_t *n)
{
    int k = fc_csv_split_list(fc_imp_col(im, c), items, cap, FC_LIST_MAX);
    if (k < 0) {
        fc_imp_bad(im, c, _("more than %d names, or a name over %zu bytes (names are "
                            "separated by |)"), FC_LIST_MAX, cap - 1);
        return false;
    }
    *n = (uint8_t)k;
    return true;
}

int fc_imp_lookup(struct fc_imp *im, int c, int (*lookup)(const char *s))
{
    const char *s = fc_imp_col(im, c);
    size_t n = strlen(s);
    if (n >= sizeof im->memo[c][0].text)
        return lookup(s);
    for (int i = 0; i < FC_CSV_MEMO; i++)
        if (im->memo[c][i].text[0] && strcmp(im->memo[c][i].text, s) == 0)
            return im->memo[c][i].value;
    int v = lookup(s);
    int slot = im->memo_next[c]++ % FC_CSV_MEMO;
    memcpy(im->memo[c][slot].text, s, n + 1);
    im->memo[c][slot].value = v;
    return v;
}

/* ---- rows the writing pass skips (bad or repeated) ---------------------- */

static bool mark_skip(struct engine *e, uint64_t index)
{
    size_t byte = (size_t)(index / 8);
    if (byte >= e->skipcap) {
        size_t cap = e->skipcap ? e->skipcap : 4096;
        while (cap <= byte)
            cap *= 2;
        uint8_t *n = realloc(e->skipmap, cap);
        if (!n)
            return false;
        memset(n + e->skipcap, 0, cap - e->skipcap);
        e->skipmap = n;
        e->skipcap = cap;
    }
    e->skipmap[byte] |= (uint8_t)(1u << (index % 8));
    return true;
}

static bool is_skipped(const struct engine *e, uint64_t index)
{
    size_t byte = (size_t)(index / 8);
    return byte < e->skipcap && (e->skipmap[byte] >> (index % 8) & 1);
}

/* ---- rows ------------------------------------------------------------------------ */

static int oom(struct engine *e)
{
    e->err->code = FC_ESTORE;
    snprintf(e->err->msg, sizeof e->err->msg, "%s", _("out of memory"));
    return FC_ESTORE;
}

static void tick(struct engine *e)
{
    if (++e->done % PROGRESS_EVERY == 0 && e->im.o->progress)
        e->im.o->progress(e->done, e->total, e->im.o->ctx);
}

static bool blank_row(const struct fc_csv_row *row)
{
    for (size_t i = 0; i < row->n; i++)
        if (row->field[i][0])
            return false;
    return true;
}

static int header_row(struct engine *e, const struct fc_csv_row *row)
{
    e->im.line = row->line;
    if (e->pass == 2 || e->quiet_upto)
        return 0;
    int errors = fc_csv_map_header(e->im.def, row, e->im.file, e->im.map,
                                   e->im.o->report ? e->im.o->report : default_report,
                                   e->im.o->ctx);
    /* A row may have more fields than the kind has columns only where
     * those are empty (or mapped: the header named them). */
    e->hdr_fields = e->im.def->ncols;
    for (size_t c = 0; c < e->im.def->ncols; c++)
        if (e->im.map[c] >= 0 && (size_t)e->im.map[c] + 1 > e->hdr_fields)
            e->hdr_fields = (size_t)e->im.map[c] + 1;
    if (errors) {
        e->header_bad = true;
        e->err->code = FC_EINVAL;
        snprintf(e->err->msg, sizeof e->err->msg,
                 _("%s: the header row does not fit a %s file; nothing imported"),
                 e->im.file, e->im.def->name);
        return FC_EINVAL;
    }
    return 0;
}

/* Repeats within the file: the same identity again is a duplicate when the
 * kind says so or the whole row is the same; else a contradiction.
 * Exports of school systems come sorted by id, pupil, case and date: while
 * the order keys keep growing a repeat can only be among the rows with the
 * last order key (for absence the row before), and the keys are just
 * appended to an array; the hash sets are built from it the first time the
 * order breaks. */
enum dup { DUP_NEW, DUP_REPEAT, DUP_CONFLICT, DUP_OOM };

static bool remember(struct engine *e, uint64_t id, uint64_t h);

/* The order broke: every row so far goes into the hash sets, from the
 * spool (which holds exactly the rows that were new) or from seen. */
static bool leave_sorted(struct engine *e)
{
    const struct fc_imp_ops *ops = e->im.ops;
    size_t expect = e->nseen > e->file_lines ? e->nseen : (size_t)e->file_lines;
    bool both = !ops->dup_is_identity;
    if (!fc_keyset_init(&e->ids, expect) || !fc_keyset_init(&e->contents, both ? expect : 0))
        return false;
    if (e->seen) {
        for (size_t i = 0; i < e->nseen; i++)
            if (fc_keyset_add(&e->ids, e->seen[i]) < 0 ||
                (both && fc_keyset_add(&e->contents, e->seen_h[i]) < 0))
                return false;
    } else {
        unsigned char *rec = calloc(1, ops->rec_size);
        uint64_t line;
        bool ok = rec && fc_spool_rewind(e->sp);
        for (uint64_t i = 0; ok && i < fc_spool_rows(e->sp); i++) {
            ok = fc_spool_get(e->sp, &line, rec) == 1;
            uint64_t id = ops->identity(rec);
            ok = ok && fc_keyset_add(&e->ids, id) >= 0 &&
                 (!both || fc_keyset_add(&e->contents,
                                         fc_hash64(rec, ops->parsed_size, id)) >= 0);
        }
        free(rec);
        if (!ok)
            return false;
    }
    free(e->seen);
    free(e->seen_h);
    e->seen = e->seen_h = NULL;
    e->sorted = false;
    return true;
}

/* Keeps a new row's key: in the group of its order key, and, without a
 * spool to read them back from, in seen. */
static bool remember(struct engine *e, uint64_t id, uint64_t h)
{
    if (e->ngroup < GROUP_MAX) {
        e->group_id[e->ngroup] = id;
        e->group_h[e->ngroup] = h;
    }
    e->ngroup++;
    if (e->sp)
        return true;
    if (e->nseen == e->capseen) {
        size_t cap = e->capseen ? e->capseen * 2 : 1024;
        uint64_t *n = realloc(e->seen, cap * sizeof *n);
        if (!n)
            return false;
        e->seen = n;
        n = realloc(e->seen_h, cap * sizeof *n);
        if (!n)
            return false;
        e->seen_h = n;
        e->capseen = cap;
    }
    e->seen[e->nseen] = id;
    e->seen_h[e->nseen] = h;
    e->nseen++;
    return true;
}

static enum dup dup_check(struct engine *e)
{
    const struct fc_imp_ops *ops = e->im.ops;
    uint64_t id = ops->identity(e->rec);
    uint64_t h = ops->dup_is_identity ? 0 : fc_hash64(e->rec, ops->parsed_size, id);
    if (e->sorted) {
        uint64_t order = ops->order ? ops->order(e->rec) : id;
        if (!e->any || order > e->last_order) {
            e->any = true;
            e->last_order = order;
            e->ngroup = 0;
            return remember(e, id, h) ? DUP_NEW : DUP_OOM;
        }
        if (order == e->last_order && e->ngroup < GROUP_MAX) {
            for (size_t i = 0; i < e->ngroup; i++)
                if (e->group_id[i] == id)
                    return ops->dup_is_identity || h == e->group_h[i] ? DUP_REPEAT
                                                                      : DUP_CONFLICT;
            return remember(e, id, h) ? DUP_NEW : DUP_OOM;
        }
        if (!leave_sorted(e))
            return DUP_OOM;
    }
    int added = fc_keyset_add(&e->ids, id);
    if (added < 0)
        return DUP_OOM;
    if (ops->dup_is_identity)
        return added ? DUP_NEW : DUP_REPEAT;
    if (added)
        return fc_keyset_add(&e->contents, h) < 0 ? DUP_OOM : DUP_NEW;
    return fc_keyset_has(&e->contents, h) ? DUP_REPEAT : DUP_CONFLICT;
}

static int flush_chunk(struct engine *e);

/* The order the store keeps the kind's records in (as far as the order
 * key tells): pass 2 writes in it. */
static uint64_t write_key(const struct fc_imp_ops *ops, const void *rec)
{
    return ops->order ? ops->order(rec) : ops->identity(rec);
}

static int buffer_row(struct engine *e, uint64_t line)
{
    memcpy(e->chunk + e->nchunk * e->im.ops->rec_size, e->rec, e->im.ops->rec_size);
    e->lines[e->nchunk++] = line;
    return e->nchunk == e->chunk_rows ? flush_chunk(e) : 0;
}

static int data_row(struct engine *e, const struct fc_csv_row *row)
{
    struct fc_imp *im = &e->im;
    const struct fc_imp_ops *ops = im->ops;
    if (e->pass == 2 && is_skipped(e, row->index))
        return 0;
    if (e->pass == 1)
        e->sum->read++;
    im->row = row;
    im->line = row->line;
    im->row_bad = false;
    memset(e->rec, 0, ops->rec_size);

    for (size_t f = e->hdr_fields; f < row->n && e->pass == 1; f++) {
        if (row->field[f][0]) {
            fc_imp_bad(im, -1, _("field %zu: the row has more fields than the header has "
                                 "columns; is a delimiter inside an unquoted field?"), f + 1);
            break;
        }
    }
    bool ok = !im->row_bad && ops->parse(im, e->rec) && !im->row_bad;
    enum fc_row_verdict v = FC_ROW_OK;
    if (ok && e->pass == 1) {
        v = ops->check(im, e->rtxn, e->rec);
        ok = v != FC_ROW_BAD && !im->row_bad;
    }
    if (ok && e->pass == 1) {
        switch (dup_check(e)) {
        case DUP_NEW:
            break;
        case DUP_REPEAT:
            e->sum->duplicates++;
            fc_imp_warn(im, -1, "%s", _("duplicate of an earlier row of the file; "
                                        "counted once"));
            return mark_skip(e, row->index) ? 0 : oom(e);
        case DUP_CONFLICT:
            fc_imp_bad(im, -1, "%s", _("the same record as an earlier row of the file, "
                                       "with other values"));
            ok = false;
            break;
        case DUP_OOM:
            return oom(e);
        }
    }
    if (ok && e->pass == 1)
        *(v == FC_ROW_SAME ? &e->sum->unchanged : &e->sum->imported) += 1;
    if (!ok) {
        if (e->pass == 1) {
            e->sum->bad++;
            if (!mark_skip(e, row->index))
                return oom(e);
        }
        return 0;
    }
    if (e->pass == 1) {
        e->to_write++;
        if (e->sp) {
            uint64_t key = write_key(ops, e->rec);
            e->in_order = e->in_order && key >= e->last_key;
            e->last_key = key;
        }
        if (e->sp && !fc_spool_put(e->sp, row->line, e->rec)) {
            fc_spool_close(e->sp);
            e->sp = NULL;
            /* Without the spool the rows kept so far cannot be read back
             * to look for repeats: check the file again, keeping them. */
            if (e->sorted) {
                e->quiet_upto = row->line;
                return RESTART;
            }
        }
        return 0;
    }
    return buffer_row(e, row->line);
}

/* Pass 2 from the spool: the same rows as reading the file again (in the
 * store's order, if write_pass sorted them). */
static int spool_rows(struct engine *e)
{
    const struct fc_imp_ops *ops = e->im.ops;
    uint64_t line;
    int rc;
    errno = 0;
    while ((rc = fc_spool_get(e->sp, &line, e->rec)) == 1) {
        memset(e->rec + ops->parsed_size, 0, ops->rec_size - ops->parsed_size);
        tick(e);
        if ((rc = buffer_row(e, line)) != 0)
            return rc;
    }
    return rc;
}

static int on_row(const struct fc_csv_row *row, void *ctx);
static int on_bad(uint64_t line, const char *msg, void *ctx);

/* The rows of pass 2: from the spool, else from the file again. */
static int pass2_rows(struct engine *e, struct fc_err *err)
{
    if (!e->sp || fc_spool_rows(e->sp) != e->to_write || !fc_spool_rewind(e->sp))
        return fc_csv_each(e->rd, on_row, on_bad, e, err);
    int rc = spool_rows(e);
    if (rc < 0) {
        err->code = FC_ESTORE;
        snprintf(err->msg, sizeof err->msg, _("%s: read error: %s"), e->im.file,
                 strerror(errno ? errno : EIO));
        return FC_ESTORE;
    }
    return rc;
}

static int on_row(const struct fc_csv_row *row, void *ctx)
{
    struct engine *e = ctx;
    tick(e);
    e->empty = false;
    if (row->index == 0)
        return header_row(e, row);
    if (blank_row(row))
        return 0;
    return data_row(e, row);
}

static int on_bad(uint64_t line, const char *msg, void *ctx)
{
    struct engine *e = ctx;
    tick(e);
    if (e->pass == 2)
        return 0;
    e->sum->read++;
    e->sum->bad++;
    e->im.line = line;
    report_line(e, msg);
    /* A row libcsv cannot read has no index; rows are counted by the
     * reader, which skips it, so the bad map needs no entry. */
    return 0;
}

/* ---- the writing pass ------------------------------------------------------------
 * One write transaction for the whole pass, unless the kind writes through
 * the bulk writer's journal (absence, ratings) and the file is larger than
 * a chunk: then each chunk is a transaction of its own, and the journal
 * lets a failed or killed import be taken out again (docs/csv.md). */

static void audit_detail(const struct engine *e, char *detail, size_t cap)
{
    snprintf(detail, cap, "%s %s: %llu rows", e->im.def->name, e->im.file,
             (unsigned long long)e->to_write);
}

/* Checks and writes the buffered rows in txn; counts into c_*. */
static int write_rows(struct engine *e, struct fc_txn *txn, struct fc_err *err)
{
    struct fc_imp *im = &e->im;
    const struct fc_imp_ops *ops = im->ops;
    for (size_t i = 0; i < e->nchunk; i++) {
        void *rec = e->chunk + i * ops->rec_size;
        im->line = e->lines[i];
        im->row_bad = false;
        enum fc_row_verdict v = ops->check(im, txn, rec);
        if (v == FC_ROW_BAD) {
            if (im->o->skip_bad) {
                e->c_skipped++;
                continue;
            }
            err->code = FC_ECONFLICT;
            snprintf(err->msg, sizeof err->msg,
                     _("%s:%llu: the store changed while importing, so that this row no "
                       "longer fits; nothing was imported; import the file again"),
                     im->file, (unsigned long long)im->line);
            return FC_ECONFLICT;
        }
        if (v == FC_ROW_SAME) {
            e->c_same++;
            continue;
        }
        int rc = ops->write(im, txn, rec, err);
        if (rc == FC_EEXIST) {
            e->c_same++;
            continue;
        }
        if (rc != FC_OK) {
            char msg[sizeof err->msg + 64];
            int n = snprintf(msg, sizeof msg, "%s:%llu: %s", im->file,
                             (unsigned long long)im->line, err->msg);
            if (n > 0)
                fc_strlcpy_utf8(err->msg, msg, sizeof err->msg);
            return rc;
        }
        e->c_imported++;
    }
    return FC_OK;
}

static void start_txn(struct engine *e)
{
    e->c_imported = e->c_same = e->c_skipped = 0;
    e->im.ops->reset(&e->im);
}

/* A chunk of a journaled import: its own transaction. */
static int write_chunk(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct engine *e = ctx;
    bool first = e->written_rows == 0, last = e->written_rows + e->nchunk >= e->to_write;
    char detail[FC_TEXT_MAX];
    start_txn(e);
    audit_detail(e, detail, sizeof detail);
    int rc = fc_bulk_begin(e->im.bulk, txn, err);
    if (rc == FC_OK && first)
        rc = fc_audit_add(txn, "csv.import.begin", "csv", 0, detail, err);
    if (rc == FC_OK)
        rc = write_rows(e, txn, err);
    if (rc == FC_OK)
        rc = fc_bulk_end(e->im.bulk, last, err);
    if (rc == FC_OK && last)
        rc = fc_audit_add(txn, "csv.import.end", "csv", 0, detail, err);
    return rc;
}

static void count_commit(struct engine *e)
{
    e->sum->imported += e->c_imported;
    e->sum->unchanged += e->c_same;
    e->sum->skipped += e->c_skipped;
    e->sum->chunks++;
}

static int flush_chunk(struct engine *e)
{
    if (e->nchunk == 0)
        return 0;
    int rc;
    if (e->wtxn) {                    /* one transaction for the whole pass */
        rc = write_rows(e, e->wtxn, e->err);
    } else {
        /* The rows stay in the buffer until the chunk commits: a run
         * again after the map grew starts from them. */
        rc = fc_store_write(e->st, e->who, write_chunk, e, e->err);
        if (rc == FC_OK) {
            fc_bulk_committed(e->im.bulk);
            count_commit(e);
        }
    }
    if (rc != FC_OK)
        return rc;
    e->written_rows += e->nchunk;
    e->nchunk = 0;
    return 0;
}

/* The whole pass in one transaction: read the file again inside it. */
static int write_all(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct engine *e = ctx;
    char detail[FC_TEXT_MAX];
    start_txn(e);
    e->wtxn = txn;
    e->written_rows = 0;
    e->nchunk = 0;
    e->done = e->done_before_write;
    int rc = fc_bulk_begin(e->im.bulk, txn, err);
    if (rc == FC_OK)
        rc = pass2_rows(e, err);
    if (rc == FC_OK)
        rc = flush_chunk(e);
    audit_detail(e, detail, sizeof detail);
    if (rc == FC_OK)
        rc = fc_bulk_end(e->im.bulk, true, err);
    if (rc == FC_OK)
        rc = fc_audit_add(txn, "csv.import", "csv", 0, detail, err);
    e->wtxn = NULL;
    if (rc != FC_OK && err->code == FC_OK)
        err->code = rc;
    return rc;
}

/* ---- driver ------------------------------------------------------------------------ */

static const struct fc_imp_ops *const kind_ops[FC_CSV_KIND_COUNT] = {
    [FC_CSV_PUPILS] = &fc_imp_pupils,
    [FC_CSV_CASES] = &fc_imp_cases,
    [FC_CSV_MEETINGS] = &fc_imp_meetings,
    [FC_CSV_RATINGS] = &fc_imp_ratings,
    [FC_CSV_ABSENCE] = &fc_imp_absence,
    [FC_CSV_CALENDAR] = &fc_imp_calendar,
    [FC_CSV_STAFF] = &fc_imp_staff,
};

static int check_pass(struct engine *e)
{
    e->pass = 1;
    if (fc_read_begin(e->st, &e->rtxn, e->err) != FC_OK)
        return e->err->code;
    e->im.ops->reset(&e->im);
    int rc = fc_csv_each(e->rd, on_row, on_bad, e, e->err);
    if (rc == RESTART) {
        /* The spool failed (no room in TMPDIR): again, counting afresh. */
        struct fc_import_summary *sum = e->sum;
        sum->read = sum->imported = sum->unchanged = sum->duplicates = sum->bad = 0;
        if (e->skipmap)
            memset(e->skipmap, 0, e->skipcap);
        fc_keyset_free(&e->ids);
        fc_keyset_free(&e->contents);
        e->sorted = true;
        e->in_order = true;
        e->last_key = 0;
        e->any = false;
        e->ngroup = e->nseen = 0;
        e->to_write = 0;
        e->done = 0;
        e->im.ops->reset(&e->im);
        rc = fc_csv_each(e->rd, on_row, on_bad, e, e->err);
    }
    fc_read_end(e->rtxn);
    e->rtxn = NULL;
    e->im.ops->reset(&e->im);
    return rc;
}

/* Rows per chunk: FITCASE_IMPORT_CHUNK (tests of killed imports) or the
 * caller's, else CHUNK_ROWS; never more than CHUNK_BYTES of records. */
static size_t chunk_rows(const struct engine *e)
{
    size_t rows = e->im.o->chunk_rows ? e->im.o->chunk_rows : CHUNK_ROWS;
    const char *env = secure_getenv("FITCASE_IMPORT_CHUNK");
    if (!e->im.o->chunk_rows && env && *env) {
        char *end;
        unsigned long long v = strtoull(env, &end, 10);
        if (*end == '\0' && v > 0 && v < CHUNK_ROWS)
            rows = (size_t)v;
    }
    size_t cap = CHUNK_BYTES / e->im.ops->rec_size;
    return rows > cap ? (cap ? cap : 1) : rows;
}

static int write_pass(struct engine *e)
{
    e->pass = 2;
    e->im.quiet = true;
    /* Pass 1 marked every bad or repeated row in the skip map. */
    fc_keyset_free(&e->ids);
    fc_keyset_free(&e->contents);
    free(e->seen);
    free(e->seen_h);
    e->seen = e->seen_h = NULL;
    e->sum->imported = e->sum->unchanged = 0;
    e->chunk_rows = chunk_rows(e);
    e->chunk = malloc(e->chunk_rows * e->im.ops->rec_size);
    e->lines = malloc(e->chunk_rows * sizeof *e->lines);
    if (!e->chunk || !e->lines)
        return oom(e);
    if (e->to_write == 0)
        return 0;
    /* Rows out of the store's order would touch a page of the store for
     * nearly every row, and the store keeps every page a transaction
     * touches in memory until it commits: sort them first. */
    if (e->im.ops->journal && !e->in_order && e->sp && fc_spool_rows(e->sp) == e->to_write) {
        size_t run = RUN_BYTES / (e->im.ops->parsed_size + 24);
        if (run > 16 * e->chunk_rows)
            run = 16 * e->chunk_rows;
        fc_spool_sort(e->sp, e->im.ops->order ? e->im.ops->order : e->im.ops->identity, run);
    }
    bool journal = e->im.ops->journal && e->to_write > e->chunk_rows;
    char what[FC_TEXT_MAX];
    snprintf(what, sizeof what, "%s %s", e->im.def->name, e->im.file);
    int rc = fc_bulk_new(e->st, what, journal, &e->im.bulk, e->err);
    if (rc != FC_OK)
        return rc;
    if (!journal) {
        e->done_before_write = e->done;
        rc = fc_store_write(e->st, e->who, write_all, e, e->err);
        if (rc == FC_OK)
            count_commit(e);
        return rc;
    }
    rc = pass2_rows(e, e->err);
    if (rc == 0)
        rc = flush_chunk(e);
    if (rc != 0 && e->sum->chunks > 0) {
        /* Take out what the committed chunks wrote: all or nothing. */
        struct fc_err undo = { 0 };
        if (fc_bulk_undo(e->im.bulk, &undo) != FC_OK) {
            char msg[sizeof e->err->msg + 128];
            snprintf(msg, sizeof msg, _("%s; what the import wrote before is taken out when "
                                        "the store is next opened"), e->err->msg);
            fc_strlcpy_utf8(e->err->msg, msg, sizeof e->err->msg);
        }
        e->sum->imported = e->sum->unchanged = e->sum->skipped = 0;
        e->sum->chunks = 0;
    }
    return rc;
}

static void finish_listing(struct engine *e)
{
    if (e->unlisted == 0)
        return;
    char msg[200];
    snprintf(msg, sizeof msg, _("%s: ... and %llu more problems not listed"), e->im.file,
             (unsigned long long)e->unlisted);
    e->listed = 0;
    e->unlisted = 0;
    report_line(e, msg);
}

static int run(struct engine *e)
{
    const struct fc_import_opts *o = e->im.o;
    uint64_t lines = fc_csv_line_count(e->rd);
    e->total = lines * (o->dry_run ? 1 : 2);
    e->sum->encoding = fc_csv_encoding(e->rd);
    e->sum->delimiter = fc_csv_delimiter(e->rd);
    e->file_lines = lines;
    e->sorted = true;
    e->rec = calloc(1, e->im.ops->rec_size);
    if (!e->rec)
        return oom(e);
    e->empty = true;
    /* Someone's import that died half way goes first (store_bulk.h). */
    if (!o->dry_run) {
        fc_bulk_recover(e->st, NULL, NULL);
        e->sp = fc_spool_open(e->im.ops->parsed_size);
        e->in_order = true;
    }
    int rc = check_pass(e);
    finish_listing(e);
    if (rc != 0)
        return rc;
    if (e->empty) {
        e->err->code = FC_EINVAL;
        snprintf(e->err->msg, sizeof e->err->msg,
                 _("%s: the file is empty; a header row is needed"), e->im.file);
        return FC_EINVAL;
    }
    if (e->sum->bad && !o->skip_bad) {
        e->err->code = FC_EINVAL;
        snprintf(e->err->msg, sizeof e->err->msg,
                 ngettext("%s: %llu bad row; nothing imported (fix it, or use --skip-bad "
                          "to import the good rows)",
                          "%s: %llu bad rows; nothing imported (fix them, or use --skip-bad "
                          "to import the good rows)", (unsigned long)e->sum->bad),
                 e->im.file, (unsigned long long)e->sum->bad);
        return FC_EINVAL;
    }
    if (o->dry_run) {
        e->sum->skipped = e->sum->bad;
        return FC_OK;
    }
    e->sum->skipped = e->sum->bad;
    rc = write_pass(e);
    finish_listing(e);
    if (o->progress)
        o->progress(e->total, e->total, o->ctx);
    return rc;
}

/* From path, or from f (named path) when f is not NULL. */
static int import(struct fc_store *st, const char *who, enum fc_csv_kind kind,
                  const char *path, FILE *f, const struct fc_import_opts *opts,
                  struct fc_import_summary *sum, struct fc_err *err)
{
    memset(sum, 0, sizeof *sum);
    if ((unsigned)kind >= FC_CSV_KIND_COUNT) {
        err->code = FC_EINVAL;
        snprintf(err->msg, sizeof err->msg, "%s", _("unknown kind of record"));
        return FC_EINVAL;
    }
    struct engine *e = calloc(1, sizeof *e);
    if (!e)
        return oom(&(struct engine){ .err = err });
    e->st = st;
    e->who = who;
    e->sum = sum;
    e->err = err;
    e->im.file = path;
    e->im.kind = kind;
    e->im.def = &fc_csv_kinds[kind];
    e->im.ops = kind_ops[kind];
    e->im.o = opts;
    e->im.dry_run = opts->dry_run;
    int rc = f ? fc_csv_open_stream(path, f, &opts->limits, &e->rd, err)
               : fc_csv_open_file(path, &opts->limits, &e->rd, err);
    if (rc == FC_OK)
        rc = run(e);
    if (e->im.ops->fini)
        e->im.ops->fini(&e->im);
    fc_bulk_free(e->im.bulk);
    fc_spool_close(e->sp);
    fc_csv_close(e->rd);
    fc_keyset_free(&e->ids);
    fc_keyset_free(&e->contents);
    free(e->seen);
    free(e->seen_h);
    free(e->skipmap);
    free(e->rec);
    free(e->chunk);
    free(e->lines);
    free(e);
    if (rc != FC_OK && err->code == FC_OK)
        err->code = rc;
    return rc;
}

int fc_csv_import(struct fc_store *st, const char *who, enum fc_csv_kind kind,
                  const char *path, const struct fc_import_opts *opts,
                  struct fc_import_summary *sum, struct fc_err *err)
{
    return import(st, who, kind, path, NULL, opts, sum, err);
}

int fc_csv_import_stream(struct fc_store *st, const char *who, enum fc_csv_kind kind,
                         const char *name, FILE *f, const struct fc_import_opts *opts,
                         struct fc_import_summary *sum, struct fc_err *err)
{
    return import(st, who, kind, name, f, opts, sum, err);
}
