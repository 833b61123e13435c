/* Internals shared by the CSV import and export files (not a public API):
 * the column table of every kind, header mapping and a set of 64-bit keys
 * for finding repeated rows in huge files within a memory bound. */
#ifndef FITCASE_CSV_INTERNAL_H
#define FITCASE_CSV_INTERNAL_H

#include "fitcase/csv.h"
#include "fitcase/store_bulk.h"

enum { FC_CSV_MAX_COLS = 12, FC_CSV_MEMO = 8 };

struct fc_csv_col {
    const char *name;        /* English, as exports write it */
    const char *aliases;     /* Danish and other names, '/'-separated */
    bool required;
};

struct fc_csv_kind_def {
    const char *name;
    const struct fc_csv_col *cols;
    size_t ncols;
};

extern const struct fc_csv_kind_def fc_csv_kinds[FC_CSV_KIND_COUNT];

/* Maps header fields to column indexes of the kind: map[col] is the field
 * index or -1. Reports unknown columns as warnings and missing or repeated
 * ones as errors through report; returns the number of errors. */
int fc_csv_map_header(const struct fc_csv_kind_def *k, const struct fc_csv_row *hdr,
                      const char *file, int map[FC_CSV_MAX_COLS],
                      void (*report)(const char *msg, void *ctx), void *ctx);

/* Splits "a|b|c" into at most max items of cap bytes each (trimmed, empty
 * ones dropped). Returns the count, or -1 if an item is too long or there
 * are more than max. */
int fc_csv_split_list(const char *s, char *items, size_t cap, size_t max);

/* An open-addressing set of nonzero 64-bit keys. */
struct fc_keyset {
    uint64_t *slot;
    size_t mask;             /* capacity - 1 (a power of two) */
    size_t n;
};
bool fc_keyset_init(struct fc_keyset *s, size_t expected);
void fc_keyset_free(struct fc_keyset *s);
void fc_keyset_clear(struct fc_keyset *s);
/* Adds key; returns 1 if added, 0 if it was there, -1 out of memory. */
int fc_keyset_add(struct fc_keyset *s, uint64_t key);
bool fc_keyset_has(const struct fc_keyset *s, uint64_t key);

uint64_t fc_hash64(const void *data, size_t len, uint64_t seed);

/* ---- the import engine and its kinds ---------------------------------------
 * The engine (csv_import.c) reads rows and drives a kind's operations
 * (csv_import_*.c): parse a row into the kind's own record, say what makes
 * two rows the same, check the record against the store, write it. */

enum fc_row_verdict { FC_ROW_OK, FC_ROW_SAME, FC_ROW_BAD };

struct fc_imp_ops;

struct fc_imp {
    const char *file;
    enum fc_csv_kind kind;
    const struct fc_csv_kind_def *def;
    const struct fc_imp_ops *ops;
    const struct fc_import_opts *o;
    int map[FC_CSV_MAX_COLS];
    const struct fc_csv_row *row;    /* while parsing */
    uint64_t line;                   /* the row's line, for messages */
    bool row_bad;                    /* a problem was found in this row */
    bool quiet;                      /* the second pass: do not report again */
    bool dry_run;
    void *cache;                     /* the kind's lookups; see ops->reset */
    struct fc_bulk *bulk;            /* the store's bulk writer, in the writing pass */
    struct {                         /* the last words looked up per column */
        char text[24];
        int value;
    } memo[FC_CSV_MAX_COLS][FC_CSV_MEMO];
    uint8_t memo_next[FC_CSV_MAX_COLS];
};

/* The row's field for column c ("" when the column or the field is absent). */
const char *fc_imp_col(const struct fc_imp *im, int c);
bool fc_imp_has(const struct fc_imp *im, int c);
/* Reports "FILE:LINE: column: what" (c < 0: no column) and marks the row bad. */
void fc_imp_bad(struct fc_imp *im, int c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void fc_imp_warn(struct fc_imp *im, int c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Field parsers: report through fc_imp_bad and return false on a problem. */
bool fc_imp_id(struct fc_imp *im, int c, fc_id *id);
bool fc_imp_date(struct fc_imp *im, int c, bool required, fc_date *d);
bool fc_imp_text(struct fc_imp *im, int c, bool required, char *out, size_t cap);
bool fc_imp_list(struct fc_imp *im, int c, char *items, size_t cap, uint8_t *n);
/* lookup(field of column c), remembered for the next row with the same
 * word: huge files repeat a handful of kinds, scales and raters. */
int fc_imp_lookup(struct fc_imp *im, int c, int (*lookup)(const char *s));

struct fc_imp_ops {
    size_t rec_size;
    /* The leading bytes of rec that parse fills (the rest is resolved by
     * check): two rows are the same row when these are equal. */
    size_t parsed_size;
    /* Repeats of the identity are duplicates whatever else they hold
     * (absence); otherwise a repeat with other content is a bad row. */
    bool dup_is_identity;
    /* The kind only adds records, all through the bulk writer (im->bulk):
     * a file larger than a chunk is written in chunks with an undo journal
     * (store_bulk.h); other kinds are written in one transaction. */
    bool journal;
    /* Fills the zeroed rec from im->row; false if the row is bad. */
    bool (*parse)(struct fc_imp *im, void *rec);
    uint64_t (*identity)(const void *rec);
    /* A key that files sorted the usual way never let fall, equal for two
     * rows of one record (NULL: the identity): repeats are looked for only
     * among the rows with the last key while the file keeps to it. */
    uint64_t (*order)(const void *rec);
    /* Forgets lookups: called at the start of every transaction (a write
     * transaction may be run again after the map grows). */
    void (*reset)(struct fc_imp *im);
    /* Checks rec against the store, resolving references into rec. */
    enum fc_row_verdict (*check)(struct fc_imp *im, struct fc_txn *txn, void *rec);
    int (*write)(struct fc_imp *im, struct fc_txn *txn, void *rec, struct fc_err *err);
    void (*fini)(struct fc_imp *im);
};

/* ---- the spool of an import (csv_spool.c) ------------------------------------
 * Pass 1's good rows, parsed (`size` bytes each), in an unlinked temporary
 * file in TMPDIR: pass 2 reads them instead of the CSV, and repeats are
 * looked for in them once the file's order broke. */
struct fc_spool;
/* NULL when no temporary file can be made. */
struct fc_spool *fc_spool_open(size_t size);
/* A new unlinked temporary file in TMPDIR (else /tmp), read and write;
 * -1 (errno set) when none can be made. Also the reader's copy of input
 * that cannot be read twice (csv_read.c). */
int fc_temp_fd(void);
void fc_spool_close(struct fc_spool *s);
/* false: the file is full or broken (the spool is then of no use). */
bool fc_spool_put(struct fc_spool *s, uint64_t line, const void *rec);
uint64_t fc_spool_rows(const struct fc_spool *s);
/* Sorts the records by key (then line), run_max at a time in memory, into
 * a second file; reading then merges the runs. false (reading stays in
 * the order put) without memory or room. */
bool fc_spool_sort(struct fc_spool *s, uint64_t (*key)(const void *rec), size_t run_max);
/* Reading from the first record; writing may go on after it. */
bool fc_spool_rewind(struct fc_spool *s);
/* 1: the next record into rec and its line; 0: the end; -1: a read error. */
int fc_spool_get(struct fc_spool *s, uint64_t *line, void *rec);

extern const struct fc_imp_ops fc_imp_pupils, fc_imp_cases, fc_imp_meetings,
    fc_imp_ratings, fc_imp_absence, fc_imp_calendar, fc_imp_staff;

#endif
