/* CSV as Danish offices and Excel produce it: a strict libcsv reader with
 * caps, line numbers and encoding/delimiter detection, a writer, and the
 * all-or-nothing import and the export of every kind of record. */
#ifndef FITCASE_CSV_H
#define FITCASE_CSV_H

#include <stdio.h>

#include "fitcase/store.h"
#include "fitcase/types.h"

/* ---- reader ---------------------------------------------------------------
 * Strict RFC 4180 quoting (libcsv CSV_STRICT | CSV_STRICT_FINI), a UTF-8
 * byte-order mark skipped, CR, LF or CRLF line ends, blank lines ignored.
 * The delimiter (';', ',' or tab) is the one that occurs most in the first
 * line outside quotes. A file that is not valid UTF-8 is read as
 * Windows-1252 and converted. Fields arrive as NUL-terminated UTF-8 with
 * surrounding blanks trimmed (outside quotes) and CRLF inside quoted fields
 * turned into LF. */

enum fc_csv_encoding { FC_CSV_UTF8, FC_CSV_CP1252 };

struct fc_csv_limits {
    size_t max_field;        /* bytes in one field; 0 = 64 KiB */
    size_t max_fields;       /* fields in one row; 0 = 64 */
    uint64_t max_rows;       /* rows in the file; 0 = 100,000,000 */
};

struct fc_csv_row {
    uint64_t line;           /* physical line (1-based) where the row starts */
    uint64_t end_line;       /* physical line where it ends */
    uint64_t index;          /* 0 for the first row (the header), 1, 2, ... */
    size_t n;                /* fields */
    char *const *field;      /* n NUL-terminated strings, valid during the call */
    const size_t *len;
};

/* Return 0 to go on, nonzero to stop (fc_csv_each returns that value). */
typedef int (*fc_csv_row_fn)(const struct fc_csv_row *row, void *ctx);
/* A row the parser cannot read (stray quote, field over the cap). msg is
 * "FILE:LINE: ...". Return 0 to skip to the next line and go on. */
typedef int (*fc_csv_bad_fn)(uint64_t line, const char *msg, void *ctx);

struct fc_csv_reader;

/* Opens a file and scans it once (BOM, encoding, delimiter, line count).
 * Refuses what is not CSV text (UTF-16, an .xlsx workbook, NUL bytes). */
int fc_csv_open_file(const char *path, const struct fc_csv_limits *lim,
                     struct fc_csv_reader **out, struct fc_err *err);
/* The same over a stream the caller opened (and closes after the reader);
 * name is used in messages. A regular file is read from where f stands
 * and read again from there; anything else (a pipe, a terminal, standard
 * input) is copied, as the scan reads it, to an unlinked temporary file in
 * TMPDIR (else /tmp), which the passes then read: the input is read once
 * and memory stays the same. */
int fc_csv_open_stream(const char *name, FILE *f, const struct fc_csv_limits *lim,
                       struct fc_csv_reader **out, struct fc_err *err);
/* The same over memory (tests, fuzzing); name is used in messages. The
 * buffer must outlive the reader. */
int fc_csv_open_mem(const char *name, const void *data, size_t len,
                    const struct fc_csv_limits *lim, struct fc_csv_reader **out,
                    struct fc_err *err);
void fc_csv_close(struct fc_csv_reader *r);

/* Reads every row from the start of the file (callable again for a second
 * pass). Without bad (NULL) the first unreadable row stops the read with
 * FC_EINVAL and err = "FILE:LINE: what is wrong". */
int fc_csv_each(struct fc_csv_reader *r, fc_csv_row_fn fn, fc_csv_bad_fn bad,
                void *ctx, struct fc_err *err);

const char *fc_csv_name(const struct fc_csv_reader *r);
char fc_csv_delimiter(const struct fc_csv_reader *r);
enum fc_csv_encoding fc_csv_encoding(const struct fc_csv_reader *r);
bool fc_csv_had_bom(const struct fc_csv_reader *r);
uint64_t fc_csv_line_count(const struct fc_csv_reader *r);

/* Windows-1252 to UTF-8: out needs 3 * len + 1 bytes. False (and *bad set
 * to the offending byte) for the five bytes Windows-1252 leaves undefined. */
bool fc_cp1252_to_utf8(const char *in, size_t len, char *out, size_t *outlen,
                       unsigned char *bad);

/* ---- writer -------------------------------------------------------------- */

struct fc_csv_writer {
    FILE *out;
    char delimiter;          /* ',' (default when 0) or ';' or '\t' */
    char decimal;            /* '.' (default when 0) or ',' in scores */
    bool crlf;               /* CRLF line ends (Excel) */
    size_t col;              /* fields written on the current row */
    bool wrote;              /* bytes written on the current row */
};

/* Quotes a field only when it must (delimiter, quote, CR/LF, blanks at an
 * end); doubles quotes. */
void fc_csv_put(struct fc_csv_writer *w, const char *s);
void fc_csv_put_int(struct fc_csv_writer *w, long long v);
void fc_csv_put_date(struct fc_csv_writer *w, fc_date d);   /* ISO, "" for none */
void fc_csv_put_tenths(struct fc_csv_writer *w, int tenths); /* "" if < 0 */
/* n strings joined with "|" in one field. */
void fc_csv_put_list(struct fc_csv_writer *w, size_t n, const char *items,
                     size_t stride);
void fc_csv_end_row(struct fc_csv_writer *w);

/* ---- kinds ---------------------------------------------------------------- */

enum fc_csv_kind {
    FC_CSV_PUPILS, FC_CSV_CASES, FC_CSV_MEETINGS, FC_CSV_RATINGS,
    FC_CSV_ABSENCE, FC_CSV_CALENDAR, FC_CSV_STAFF, FC_CSV_KIND_COUNT
};
const char *fc_csv_kind_name(enum fc_csv_kind k);       /* "pupils" */
int fc_csv_kind_lookup(const char *name);               /* -1 if unknown */

/* Codes the CSV files use for the enums that core has no names for; lookup
 * also takes the Danish words, case-insensitively; -1 if unknown. */
const char *fc_meeting_kind_code(enum fc_meeting_kind k); /* "network" */
int fc_meeting_kind_lookup(const char *s);                /* also "netværksmøde" */
const char *fc_role_code(enum fc_role r);                 /* "caseworker" */
int fc_role_lookup(const char *s);                        /* also "rådgiver" */

/* ---- import ---------------------------------------------------------------
 * Two passes over the file. The first parses and checks every row against
 * the store (in a read transaction) and the rest of the file; with any bad
 * row and no skip_bad nothing is written. The second writes the good rows,
 * each checked again inside its transaction: in one write transaction, or
 * (absence and ratings files over chunk_rows) in chunks with an undo
 * journal, so that a failed or killed import is taken out again. Rows
 * already in the store with the same content count as unchanged, so a
 * second import of a file adds nothing. See docs/csv.md. */

struct fc_import_opts {
    bool dry_run;            /* check only, write nothing */
    bool skip_bad;           /* import the good rows, list the bad */
    size_t chunk_rows;       /* rows per chunk of absence, ratings; 0 = default */
    struct fc_csv_limits limits;
    /* Each problem as "FILE:LINE: column: what is wrong" (and warnings,
     * prefixed "warning: "); NULL = stderr. */
    void (*report)(const char *msg, void *ctx);
    /* Called now and then with rows done of an estimated total, pass 1 and
     * 2 together (total = 2 * data lines). May be NULL. */
    void (*progress)(uint64_t done, uint64_t total, void *ctx);
    void *ctx;
};

struct fc_import_summary {
    uint64_t read;           /* data rows read */
    uint64_t imported;       /* rows that added or changed a record */
    uint64_t unchanged;      /* rows already in the store as they are */
    uint64_t duplicates;     /* rows repeating an earlier row of the file */
    uint64_t skipped;        /* bad rows left out (skip_bad) */
    uint64_t bad;            /* bad rows found */
    uint64_t chunks;         /* write transactions committed */
    enum fc_csv_encoding encoding;
    char delimiter;
};

/* Returns FC_OK when the store holds the file's content (or would, with
 * dry_run); FC_EINVAL when bad rows stopped it (nothing written). The file
 * is opened with the caller's rights: a setgid program opens a file its
 * user names itself, with the user's rights, and hands it to
 * fc_csv_import_stream. */
int fc_csv_import(struct fc_store *st, const char *who, enum fc_csv_kind kind,
                  const char *path, const struct fc_import_opts *opts,
                  struct fc_import_summary *sum, struct fc_err *err);
/* The same from an open stream (see fc_csv_open_stream; f is not closed);
 * name stands for it in messages ("stdin" for standard input). */
int fc_csv_import_stream(struct fc_store *st, const char *who, enum fc_csv_kind kind,
                         const char *name, FILE *f, const struct fc_import_opts *opts,
                         struct fc_import_summary *sum, struct fc_err *err);

/* ---- export ---------------------------------------------------------------
 * The import columns with their English names, one read transaction, so an
 * export imports back unchanged. */

struct fc_export_opts {
    fc_id case_id;           /* 0 = all; else only this case (and its pupil) */
    fc_date from, to;        /* FC_DATE_NONE = open; for dated records */
    bool excel;              /* ';', decimal comma, BOM, CRLF */
};

int fc_csv_export(struct fc_store *st, enum fc_csv_kind kind, FILE *out,
                  const struct fc_export_opts *opts, struct fc_err *err);

#endif
