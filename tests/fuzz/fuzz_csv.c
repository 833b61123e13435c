/* Fuzz target for the CSV reader (libFuzzer; built and run by run.sh).
 * For any input: no crash, no leak, no read past a buffer; every field is
 * NUL-terminated UTF-8 of the stated length; rows come in line order; and
 * what the reader returns, written by our writer and read again, gives the
 * same fields (unless the first line reads with another delimiter).
 * Built with -DFUZZ_REPLAY it is a plain program that runs files given on
 * the command line, for compilers without libFuzzer. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/csv.h"
#include "fitcase/text.h"

struct row {
    size_t n;
    char **field;
};

struct table {
    size_t nrows, cap;
    struct row *rows;
    uint64_t last_line;
    uint64_t lines;
};

static char last_error[600];

static void die(const char *what)
{
    fprintf(stderr, "fuzz_csv: %s (%s)\n", what, last_error);
    abort();
}

static int on_row(const struct fc_csv_row *row, void *ctx)
{
    struct table *t = ctx;
    if (row->line < t->last_line || row->end_line < row->line ||
        row->line > t->lines + 1)
        die("row line numbers out of order");
    t->last_line = row->line;
    for (size_t i = 0; i < row->n; i++) {
        if (strlen(row->field[i]) != row->len[i])
            die("field length differs from strlen");
        if (!fc_utf8_valid(row->field[i], row->len[i]))
            die("field is not valid UTF-8");
    }
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
    }
    struct row *r = &t->rows[t->nrows++];
    r->n = row->n;
    r->field = malloc((row->n + 1) * sizeof *r->field);
    for (size_t i = 0; i < row->n; i++)
        r->field[i] = strdup(row->field[i]);
    return 0;
}

static bool same_row(const struct row *a, const struct row *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->field[i], b->field[i]) != 0)
            return false;
    return true;
}

static int on_bad(uint64_t line, const char *msg, void *ctx)
{
    (void)line;
    (void)ctx;
    if (strncmp(msg, "fuzz.csv:", 9) != 0)
        die("a problem without FILE:LINE");
    return 0;
}

static void free_table(struct table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t f = 0; f < t->rows[i].n; f++)
            free(t->rows[i].field[f]);
        free(t->rows[i].field);
    }
    free(t->rows);
}

static const struct fc_csv_limits limits = { .max_field = 4096, .max_fields = 32,
                                             .max_rows = 2000 };

/* Reads data; returns the reader's result and fills t. */
static int read_all(const char *data, size_t len, bool resync, struct table *t,
                    char *delim)
{
    struct fc_csv_reader *r;
    struct fc_err err = { 0 };
    memset(t, 0, sizeof *t);
    if (fc_csv_open_mem("fuzz.csv", data, len, &limits, &r, &err) != FC_OK) {
        snprintf(last_error, sizeof last_error, "%s", err.msg);
        return -1;
    }
    t->lines = fc_csv_line_count(r);
    *delim = fc_csv_delimiter(r);
    int rc = fc_csv_each(r, on_row, resync ? on_bad : NULL, t, &err);
    /* a second pass over the same reader gives the same rows */
    struct table again = { 0 };
    again.lines = t->lines;
    snprintf(last_error, sizeof last_error, "%s", rc ? err.msg : "");
    int rc2 = fc_csv_each(r, on_row, resync ? on_bad : NULL, &again, &err);
    if (rc != rc2 || again.nrows != t->nrows)
        die("a second pass differs");
    for (size_t i = 0; i < t->nrows; i++)
        if (!same_row(&t->rows[i], &again.rows[i]))
            die("a second pass differs");
    free_table(&again);
    fc_csv_close(r);
    return rc;
}

static void write_back(const struct table *t, char delim, char **out, size_t *len)
{
    FILE *f = open_memstream(out, len);
    fputs("\xEF\xBB\xBF", f);
    struct fc_csv_writer w = { .out = f, .delimiter = delim };
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t k = 0; k < t->rows[i].n; k++)
            fc_csv_put(&w, t->rows[i].field[k]);
        fc_csv_end_row(&w);
    }
    fclose(f);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size == 0)
        return 0;
    bool resync = data[0] & 1;
    struct table t;
    char delim = 0;
    int rc = read_all((const char *)data + 1, size - 1, resync, &t, &delim);
    /* Lines without quotes are split by our own code; libcsv must agree
     * on every input: the same result, message, delimiter and rows. */
    {
        char msg[sizeof last_error], delim_lib = 0;
        snprintf(msg, sizeof msg, "%s", last_error);
        struct table lib;
        setenv("FITCASE_CSV_LIBCSV_ONLY", "1", 1);
        int rc_lib = read_all((const char *)data + 1, size - 1, resync, &lib, &delim_lib);
        unsetenv("FITCASE_CSV_LIBCSV_ONLY");
        if (rc_lib != rc || strcmp(msg, last_error) != 0 || delim_lib != delim ||
            lib.nrows != t.nrows)
            die("our line splitter and libcsv differ");
        for (size_t i = 0; i < t.nrows; i++)
            if (!same_row(&t.rows[i], &lib.rows[i]))
                die("our line splitter and libcsv differ on a row");
        free_table(&lib);
    }
    if (rc == 0 && t.nrows > 0) {
        char *out;
        size_t len;
        write_back(&t, delim, &out, &len);
        struct table back;
        char delim2;
        int back_rc = read_all(out, len, false, &back, &delim2);
        /* The first line decides the delimiter: compare only when the
         * written file reads with the one it was written with. */
        if (delim2 == delim) {
            if (back_rc != 0)
                die("what the writer wrote does not read back");
            if (back.nrows != t.nrows)
                die("the round trip changed the number of rows");
            for (size_t i = 0; i < t.nrows; i++)
                if (!same_row(&t.rows[i], &back.rows[i]))
                    die("the round trip changed a row");
        }
        free_table(&back);
        free(out);
    }
    free_table(&t);
    return 0;
}

#ifdef FUZZ_REPLAY
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        static unsigned char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
    }
    printf("fuzz_csv: %d inputs replayed\n", argc - 1);
    return 0;
}
#endif
