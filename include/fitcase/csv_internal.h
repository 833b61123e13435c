/* Internals shared by the CSV import and export files (not a public API):
 * the column table of every kind, header mapping and a set of 64-bit keys
 * for finding repeated rows in huge files within a memory bound. */
#ifndef FITCASE_CSV_INTERNAL_H
#define FITCASE_CSV_INTERNAL_H

#include "fitcase/csv.h"

enum { FC_CSV_MAX_COLS = 12 };

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

#endif
