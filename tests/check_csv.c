/* CSV: the reader wrapper over libcsv, the Danish Excel fixtures, every
 * bad case with its line-numbered message and an unchanged store, skip-bad,
 * idempotence, duplicates, chunked all-or-nothing imports (killed, failed
 * or finished: the bulk writer's journal), the audit entries of the bulk
 * writer, imports without a spool, and a round trip of every kind through
 * a demo store. Each test opens its own store. */
#include <config.h>

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fitcase/csv.h"
#include "fitcase/date.h"
#include "fitcase/demo.h"
#include "fitcase/store.h"
#include "fitcase/store_bulk.h"
#include "suite_run.h"

/* ---- helpers ------------------------------------------------------------- */

static char dir[256];
static struct fc_store *st;
static char reports[1 << 16];

static void collect(const char *msg, void *ctx)
{
    (void)ctx;
    size_t n = strlen(reports);
    snprintf(reports + n, sizeof reports - n, "%s\n", msg);
}

static void rm_rf(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
}

static struct fc_store *open_store(const char *sub)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    struct fc_store_opts o = { .create = true };
    struct fc_store *s = NULL;
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_open(path, &o, &s, &err) == FC_OK, "open: %s", err.msg);
    return s;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/fitcase-csv-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    st = open_store("db");
    reports[0] = '\0';
}

static void teardown(void)
{
    if (st)
        fc_store_close(st);
    st = NULL;
    rm_rf(dir);
}

static const char *fixture(const char *name)
{
    static char path[4][600];
    static int k;
    const char *src = getenv("srcdir");
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/tests/data/csv/%s", src ? src : ".", name);
    return path[k];
}

/* Writes text to a file in the test directory; returns its path. */
static const char *write_file(const char *name, const char *text, size_t len)
{
    static char path[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    FILE *f = fopen(path[k], "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
    return path[k];
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

static int import_into(struct fc_store *s, enum fc_csv_kind kind, const char *path,
                       struct fc_import_opts *o, struct fc_import_summary *sum)
{
    struct fc_import_opts local = { 0 };
    if (!o)
        o = &local;
    o->report = collect;
    struct fc_err err = { 0 };
    int rc = fc_csv_import(s, "tester", kind, path, o, sum, &err);
    if (rc != FC_OK)
        collect(err.msg, NULL);
    return rc;
}

static int import(enum fc_csv_kind kind, const char *path, struct fc_import_summary *sum)
{
    return import_into(st, kind, path, NULL, sum);
}

static void must_import(enum fc_csv_kind kind, const char *path)
{
    struct fc_import_summary sum;
    int rc = import(kind, path, &sum);
    ck_assert_msg(rc == FC_OK, "import %s: %s", path, reports);
}

static char *export_from(struct fc_store *s, enum fc_csv_kind kind,
                         const struct fc_export_opts *o)
{
    struct fc_export_opts local = { .from = FC_DATE_NONE, .to = FC_DATE_NONE };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct fc_err err = { 0 };
    ck_assert_msg(fc_csv_export(s, kind, f, o ? o : &local, &err) == FC_OK, "export: %s",
                  err.msg);
    fclose(f);
    return buf;
}

static char *export_kind(enum fc_csv_kind kind)
{
    return export_from(st, kind, NULL);
}

static void seed_people(void)
{
    must_import(FC_CSV_STAFF, fixture("staff_da.csv"));
    must_import(FC_CSV_PUPILS, fixture("pupils_excel_cp1252.csv"));
    must_import(FC_CSV_CASES, fixture("cases_da.csv"));
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* Two long texts are equal; else where they part, in short. */
#define ck_assert_same_text(a, b) ck_same_text(a, b, __LINE__)
static void ck_same_text(const char *a, const char *b, int line)
{
    size_t i = 0, from;
    while (a[i] && a[i] == b[i])
        i++;
    from = i > 60 ? i - 60 : 0;
    ck_assert_msg(a[i] == b[i], "line %d: texts part at byte %zu: \"%.120s\" vs \"%.120s\"",
                  line, i, a + from, b + from);
}

static uint64_t generation(void)
{
    uint64_t g = 0;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_store_generation(st, &g, &err), FC_OK);
    return g;
}

#define ck_assert_reported(needle) \
    ck_assert_msg(strstr(reports, needle) != NULL, "expected \"%s\" in:\n%s", needle, reports)

/* ---- the reader ------------------------------------------------------------------ */

struct rows {
    int n;
    char text[4096];
    uint64_t lines[32];
};

static int keep_row(const struct fc_csv_row *row, void *ctx)
{
    struct rows *r = ctx;
    size_t len = strlen(r->text);
    for (size_t i = 0; i < row->n; i++)
        len += (size_t)snprintf(r->text + len, sizeof r->text - len, "%s%s", i ? "|" : "",
                                row->field[i]);
    len += (size_t)snprintf(r->text + len, sizeof r->text - len, "\n");
    if (r->n < 32)
        r->lines[r->n] = row->line;
    r->n++;
    return 0;
}

static int read_mem(const char *data, size_t len, struct rows *rows, struct fc_err *err,
                    const struct fc_csv_limits *lim)
{
    struct fc_csv_reader *r;
    memset(rows, 0, sizeof *rows);
    int rc = fc_csv_open_mem("mem.csv", data, len, lim, &r, err);
    if (rc != FC_OK)
        return rc;
    rc = fc_csv_each(r, keep_row, NULL, rows, err);
    fc_csv_close(r);
    return rc;
}

START_TEST(reader_excel_shapes)
{
    static const char data[] =
        "\xEF\xBB\xBF" "a;b;c\r\n"
        "1;\"x; \"\"y\"\"\r\nz\";  trimmed  \r\n"
        "\r\n"
        "2;;\" kept \"\r\n"
        "\r\n";
    struct rows rows;
    struct fc_err err = { 0 };
    ck_assert_int_eq(read_mem(data, sizeof data - 1, &rows, &err, NULL), FC_OK);
    ck_assert_str_eq(rows.text, "a|b|c\n1|x; \"y\"\nz|trimmed\n2|| kept \n");
    ck_assert_int_eq(rows.n, 3);
    ck_assert_uint_eq(rows.lines[1], 2);
    ck_assert_uint_eq(rows.lines[2], 5);
}
END_TEST

START_TEST(reader_detects_delimiter)
{
    struct fc_csv_reader *r;
    struct fc_err err = { 0 };
    static const char *const files[] = { "a,b;c,d\n", "a;b;c,d\n", "a\tb\tc;d\n", "solo\n" };
    static const char expect[] = { ',', ';', '\t', ',' };
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(fc_csv_open_mem("d.csv", files[i], strlen(files[i]), NULL, &r, &err),
                         FC_OK);
        ck_assert_int_eq(fc_csv_delimiter(r), expect[i]);
        fc_csv_close(r);
    }
    /* a delimiter inside quotes in the header does not count */
    static const char q[] = "\"a;b;c\",d\n";
    ck_assert_int_eq(fc_csv_open_mem("q.csv", q, sizeof q - 1, NULL, &r, &err), FC_OK);
    ck_assert_int_eq(fc_csv_delimiter(r), ',');
    fc_csv_close(r);
}
END_TEST

START_TEST(reader_windows_1252)
{
    static const char data[] = "navn;by\nS\xF8ren;\xC6r\xF8\n\x80 5;\x96\n";
    struct rows rows;
    struct fc_err err = { 0 };
    ck_assert_int_eq(read_mem(data, sizeof data - 1, &rows, &err, NULL), FC_OK);
    ck_assert_str_eq(rows.text, "navn|by\nSøren|Ærø\n€ 5|–\n");

    static const char undefined[] = "a\nok\nbad \x81\n";
    ck_assert_int_eq(read_mem(undefined, sizeof undefined - 1, &rows, &err, NULL), FC_EINVAL);
    ck_assert_str_eq(err.msg, "mem.csv:3: field 1: byte 0x81 is not a character in "
                              "Windows-1252 (nor is the file UTF-8)");

    static const char bom_but_latin[] = "\xEF\xBB\xBF" "a\nS\xF8ren\n";
    ck_assert_int_eq(read_mem(bom_but_latin, sizeof bom_but_latin - 1, &rows, &err, NULL),
                     FC_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "mem.csv:2: the file starts with a UTF-8 byte-order"));
}
END_TEST

START_TEST(reader_cp1252_table)
{
    char out[16];
    size_t n;
    unsigned char bad = 0;
    ck_assert(fc_cp1252_to_utf8("\x80\xE6\xF8\xE5", 4, out, &n, &bad));
    ck_assert_str_eq(out, "€æøå");
    ck_assert_uint_eq(n, 9);
    ck_assert(!fc_cp1252_to_utf8("a\x9D", 2, out, &n, &bad));
    ck_assert_uint_eq(bad, 0x9D);
}
END_TEST

START_TEST(reader_quote_errors)
{
    struct rows rows;
    struct fc_err err = { 0 };
    static const char unclosed[] = "a,b\n1,2\n3,\"open\n4,5\n";
    ck_assert_int_eq(read_mem(unclosed, sizeof unclosed - 1, &rows, &err, NULL), FC_EINVAL);
    ck_assert_str_eq(err.msg, "mem.csv:3: a quoted field is not closed: it runs to the end "
                              "of the file");
    static const char stray[] = "a,b\n1,x\"y\n";
    ck_assert_int_eq(read_mem(stray, sizeof stray - 1, &rows, &err, NULL), FC_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "mem.csv:2: field 2: a quote inside a field"));
    static const char after[] = "a,b\r\n1,\"x\"y\r\n";
    ck_assert_int_eq(read_mem(after, sizeof after - 1, &rows, &err, NULL), FC_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "mem.csv:2: field 2: text after a closing quote"));
}
END_TEST

static int skip_bad_row(uint64_t line, const char *msg, void *ctx)
{
    (void)msg;
    struct rows *r = ctx;
    size_t len = strlen(r->text);
    snprintf(r->text + len, sizeof r->text - len, "bad %llu\n", (unsigned long long)line);
    return 0;
}

START_TEST(reader_resyncs_after_bad_row)
{
    static const char data[] = "a,b\n1,x\"y\n2,\"z\"q\n3,ok\n";
    struct fc_csv_reader *r;
    struct fc_err err = { 0 };
    struct rows rows = { 0 };
    ck_assert_int_eq(fc_csv_open_mem("m.csv", data, sizeof data - 1, NULL, &r, &err), FC_OK);
    ck_assert_int_eq(fc_csv_each(r, keep_row, skip_bad_row, &rows, &err), FC_OK);
    fc_csv_close(r);
    ck_assert_str_eq(rows.text, "a|b\nbad 2\nbad 3\n3|ok\n");
}
END_TEST

START_TEST(reader_caps)
{
    struct rows rows;
    struct fc_err err = { 0 };
    /* a 10 MB field stops at the cap, long before it is all in memory */
    size_t big = 10u << 20;
    char *data = malloc(big + 32);
    memcpy(data, "a,b\n1,\"", 7);
    memset(data + 7, 'x', big);
    memcpy(data + 7 + big, "\"\n", 2);
    ck_assert_int_eq(read_mem(data, big + 9, &rows, &err, NULL), FC_EINVAL);
    ck_assert_str_eq(err.msg, "mem.csv:2: field 2: longer than 64 KiB; is a closing quote "
                              "missing?");
    memcpy(data, "a,b\n1,", 6);
    memset(data + 6, 'y', big);
    data[6 + big] = '\n';
    ck_assert_int_eq(read_mem(data, big + 7, &rows, &err, NULL), FC_EINVAL);
    ck_assert_str_eq(err.msg, "mem.csv:2: field 2: longer than 64 KiB");
    free(data);

    struct fc_csv_limits lim = { .max_fields = 3, .max_rows = 2 };
    static const char wide[] = "a,b,c,d\n";
    ck_assert_int_eq(read_mem(wide, sizeof wide - 1, &rows, &err, &lim), FC_EINVAL);
    ck_assert_str_eq(err.msg, "mem.csv:1: more than 3 fields in the row");
    static const char tall[] = "a\n1\n2\n";
    ck_assert_int_eq(read_mem(tall, sizeof tall - 1, &rows, &err, &lim), FC_EINVAL);
    ck_assert_str_eq(err.msg, "mem.csv:3: more than 2 rows; split the file");
}
END_TEST

START_TEST(reader_refuses_non_csv)
{
    struct fc_csv_reader *r;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_csv_open_mem("u.csv", "\xFF\xFE" "a\0", 4, NULL, &r, &err), FC_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "UTF-16"));
    ck_assert_int_eq(fc_csv_open_mem("x.csv", "PK\3\4rest", 8, NULL, &r, &err), FC_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, ".xlsx"));
    ck_assert_int_eq(fc_csv_open_mem("n.csv", "a\nb\0c\n", 6, NULL, &r, &err), FC_EINVAL);
    ck_assert_str_eq(err.msg, "n.csv:2: the file contains a NUL byte; it is not a CSV text file");
}
END_TEST

START_TEST(reader_line_breaks_in_fields)
{
    /* CRLF and CRCRLF inside quotes are one line break; a lone CR stays */
    static const char data[] = "a\n\"x\r\ny\r\r\nz\rw\"\n";
    struct rows rows;
    struct fc_err err = { 0 };
    ck_assert_int_eq(read_mem(data, sizeof data - 1, &rows, &err, NULL), FC_OK);
    ck_assert_str_eq(rows.text, "a\nx\ny\nz\rw\n");
}
END_TEST

START_TEST(reader_old_mac_line_ends)
{
    static const char data[] = "a;b\r1;\"x\ry\"\r2;z";
    struct rows rows;
    struct fc_err err = { 0 };
    ck_assert_int_eq(read_mem(data, sizeof data - 1, &rows, &err, NULL), FC_OK);
    ck_assert_int_eq(rows.n, 3);
    ck_assert_uint_eq(rows.lines[2], 4);
}
END_TEST

/* Everything the reader hands out, rows and unreadable rows alike. */
struct trace {
    char *text;
    size_t len, cap;
};

static void trace_add(struct trace *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->text = realloc(t->text, t->cap);
        ck_assert_ptr_nonnull(t->text);
    }
    memcpy(t->text + t->len, s, n);
    t->len += n;
    t->text[t->len] = '\0';
}

static int trace_row(const struct fc_csv_row *row, void *ctx)
{
    char head[96];
    int n = snprintf(head, sizeof head, "row %llu-%llu #%llu:",
                     (unsigned long long)row->line, (unsigned long long)row->end_line,
                     (unsigned long long)row->index);
    trace_add(ctx, head, (size_t)n);
    for (size_t i = 0; i < row->n; i++) {
        ck_assert_uint_eq(strlen(row->field[i]), row->len[i]);
        trace_add(ctx, "[", 1);
        trace_add(ctx, row->field[i], row->len[i]);
        trace_add(ctx, "]", 1);
    }
    trace_add(ctx, "\n", 1);
    return 0;
}

static int trace_bad(uint64_t line, const char *msg, void *ctx)
{
    char head[32];
    int n = snprintf(head, sizeof head, "bad %llu: ", (unsigned long long)line);
    trace_add(ctx, head, (size_t)n);
    trace_add(ctx, msg, strlen(msg));
    trace_add(ctx, "\n", 1);
    return 0;
}

static char *trace_read(const char *data, size_t len, const struct fc_csv_limits *lim,
                        bool libcsv_only)
{
    struct trace t = { 0 };
    struct fc_csv_reader *r;
    struct fc_err err = { 0 };
    setenv("FITCASE_CSV_LIBCSV_ONLY", libcsv_only ? "1" : "0", 1);
    int rc = fc_csv_open_mem("r.csv", data, len, lim, &r, &err);
    if (rc == FC_OK) {
        char head[32];
        snprintf(head, sizeof head, "delim %d enc %d\n", fc_csv_delimiter(r),
                 (int)fc_csv_encoding(r));
        trace_add(&t, head, strlen(head));
        rc = fc_csv_each(r, trace_row, trace_bad, &t, &err);
        fc_csv_close(r);
    }
    unsetenv("FITCASE_CSV_LIBCSV_ONLY");
    char end[600];
    snprintf(end, sizeof end, "end %d %s\n", rc, rc ? err.msg : "");
    trace_add(&t, end, strlen(end));
    return t.text;
}

/* Lines without a quote are split by the reader itself, not libcsv: random
 * files of spaces, tabs, delimiters, quotes, line ends of every kind, long
 * fields and wide rows read the same either way, rows, lines and problems. */
START_TEST(reader_splits_as_libcsv)
{
    static const char *const bits[] = {
        "a", "bc", "\xC3\xA9", " ", "  ", "\t", ",", ";", ",", "\n", "\r\n", "\r", "\n",
        "\"", "\"q,\"\"x\"", "\"two\nlines\"", "\xE9", "0123456789",
    };
    enum { NBITS = sizeof bits / sizeof bits[0] };
    unsigned long seed = 20261130;
    char data[512];
    size_t differ = 0, plain_lines = 0;
    for (int round = 0; round < 4000; round++) {
        size_t len = 0;
        int pieces = 1 + (int)(seed % 60);
        /* mostly UTF-8 text; now and then a Windows-1252 byte */
        bool latin = round % 7 == 0;
        for (int k = 0; k < pieces; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            unsigned pick = (unsigned)(seed >> 33) % NBITS;
            if (!latin && pick == NBITS - 2)
                pick = 0;
            if (latin && pick == 2)
                pick = NBITS - 2;
            size_t n = strlen(bits[pick]);
            if (len + n >= sizeof data)
                break;
            memcpy(data + len, bits[pick], n);
            len += n;
            plain_lines += pick == 9 || pick == 12;
        }
        struct fc_csv_limits lim = { 0 };
        if (round % 3 == 1)
            lim = (struct fc_csv_limits){ .max_field = 12, .max_fields = 4, .max_rows = 6 };
        char *fast = trace_read(data, len, round % 3 == 1 ? &lim : NULL, false);
        char *slow = trace_read(data, len, round % 3 == 1 ? &lim : NULL, true);
        if (strcmp(fast, slow) != 0 && differ++ < 3)
            fprintf(stderr, "file %d reads otherwise:\n--- libcsv:\n%s--- ours:\n%s", round,
                    slow, fast);
        free(fast);
        free(slow);
    }
    ck_assert_uint_eq(differ, 0);
    ck_assert_uint_gt(plain_lines, 1000);
}
END_TEST

/* ---- the writer ------------------------------------------------------------------- */

START_TEST(writer_quotes_only_when_needed)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct fc_csv_writer w = { .out = f };
    fc_csv_put(&w, "plain");
    fc_csv_put(&w, "a,b");
    fc_csv_put(&w, "say \"hi\"");
    fc_csv_put(&w, " pad");
    fc_csv_put(&w, "two\nlines");
    fc_csv_put_tenths(&w, 75);
    fc_csv_put_tenths(&w, -1);
    fc_csv_end_row(&w);
    w.delimiter = ';';
    w.decimal = ',';
    fc_csv_put(&w, "a,b");
    fc_csv_put_tenths(&w, 75);
    fc_csv_end_row(&w);
    fc_csv_put(&w, "");
    fc_csv_end_row(&w);
    fclose(f);
    ck_assert_str_eq(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\" pad\",\"two\nlines\",7.5,\n"
                          "a,b;7,5\n\"\"\n");
    free(buf);
}
END_TEST

/* ---- imports of real shapes ---------------------------------------------------------- */

START_TEST(import_danish_excel_fixtures)
{
    seed_people();
    char *pupils = export_kind(FC_CSV_PUPILS);
    ck_assert_str_eq(pupils,
        "pupil_id,name,birth_date,grade,school,guardians\n"
        "1,Søren Ågaard,2012-03-14,7,Ærø Skole,Mette Ågaard|Jørgen Ågaard\n"
        "2,Åse; Bjørnsdatter,2011-09-01,8,Skolen ved Søen,Æbbe Bjørnsdatter\n"
        "3,\"Mathilde \"\"Tilde\"\" Møller\",2013-01-31,6,Ærø Skole,Hans Møller|Susanne Møller\n");
    free(pupils);
    char *staff = export_kind(FC_CSV_STAFF);
    ck_assert_ptr_nonnull(strstr(staff, "mette,Mette Ærbøl,caseworker,FIT Øst\n"));
    ck_assert_ptr_nonnull(strstr(staff, "lars,Lars Østergård,lead,FIT Øst\n"));
    free(staff);
    char *cases = export_kind(FC_CSV_CASES);
    ck_assert_ptr_nonnull(strstr(cases, "10,1,2024-09-02,fit,Relationel,mette,open,\n"));
    ck_assert_ptr_nonnull(strstr(cases, "11,2,2024-10-15,roskilde,Opsporing,hanne,open,\n"));
    free(cases);

    must_import(FC_CSV_RATINGS, fixture("ratings_excel_utf8.csv"));
    char *ratings = export_kind(FC_CSV_RATINGS);
    ck_assert_str_eq(ratings,
        "case_id,date,scale,rater,rater_name,item1,item2,item3,item4,total\n"
        "10,2024-09-04,ORS,child,,5.5,6.0,4.2,7.0,22.7\n"
        "10,2024-09-04,ORS,mother,,4.0,4.5,5.0,5.5,19.0\n"
        "10,2024-09-04,SRS,child,,,,,,36.5\n"
        "10,2024-09-18,ORS,teacher,Birte Holm,,,,,25.0\n"
        "10,2024-09-18,CORS,child,,6.1,6.2,6.3,6.4,25.0\n");
    free(ratings);
    /* the ratings made one meeting per date */
    char *meetings = export_kind(FC_CSV_MEETINGS);
    ck_assert_str_eq(meetings, "case_id,date,kind,participants,notes,agreements\n"
                               "10,2024-09-04,status,,,\n10,2024-09-18,status,,,\n");
    free(meetings);
}
END_TEST

START_TEST(import_absence_duplicates_counted_once)
{
    seed_people();
    struct fc_import_summary sum;
    ck_assert_int_eq(import(FC_CSV_ABSENCE, fixture("absence_tab.csv"), &sum), FC_OK);
    ck_assert_uint_eq(sum.read, 5);
    ck_assert_uint_eq(sum.imported, 4);
    ck_assert_uint_eq(sum.duplicates, 1);
    ck_assert_reported("absence_tab.csv:4: warning: duplicate of an earlier row");
    char *abs = export_kind(FC_CSV_ABSENCE);
    ck_assert_str_eq(abs, "pupil_id,date,kind\n1,2024-09-02,sick\n1,2024-09-03,sick\n"
                          "2,2024-09-05,illegal\n2,2024-09-06,legal\n");
    free(abs);

    /* out of order, the repeat is still found */
    reports[0] = '\0';
    const char *f = write_text("u.csv", "pupil_id,date,kind\n3,2024-10-01,sick\n"
                                        "1,2024-10-01,sick\n3,2024-10-01,legal\n");
    ck_assert_int_eq(import(FC_CSV_ABSENCE, f, &sum), FC_OK);
    ck_assert_uint_eq(sum.imported, 2);
    ck_assert_uint_eq(sum.duplicates, 1);
    ck_assert_reported("u.csv:4: warning: duplicate");
    /* and a repeated id with other values is a contradiction in any order */
    f = write_text("p.csv", "pupil_id,name,birth_date,grade,school\n5,Ida,2012-01-01,5,S\n"
                            "4,Liv,2012-01-01,5,S\n5,Ida,2012-01-01,5,S\n5,Ida,2012-01-01,6,S\n");
    ck_assert_int_eq(import(FC_CSV_PUPILS, f, &sum), FC_EINVAL);
    ck_assert_uint_eq(sum.duplicates, 1);
    ck_assert_reported("p.csv:5: the same record as an earlier row of the file, with other values");
}
END_TEST

START_TEST(import_is_idempotent)
{
    seed_people();
    must_import(FC_CSV_RATINGS, fixture("ratings_excel_utf8.csv"));
    must_import(FC_CSV_ABSENCE, fixture("absence_tab.csv"));
    must_import(FC_CSV_CALENDAR, fixture("calendar.csv"));
    must_import(FC_CSV_MEETINGS, fixture("meetings.csv"));
    uint64_t before = generation();
    static const struct { enum fc_csv_kind kind; const char *file; uint64_t rows; } again[] = {
        { FC_CSV_STAFF, "staff_da.csv", 3 },
        { FC_CSV_PUPILS, "pupils_excel_cp1252.csv", 3 },
        { FC_CSV_CASES, "cases_da.csv", 2 },
        { FC_CSV_RATINGS, "ratings_excel_utf8.csv", 5 },
        { FC_CSV_ABSENCE, "absence_tab.csv", 4 },
        { FC_CSV_CALENDAR, "calendar.csv", 3 },
        { FC_CSV_MEETINGS, "meetings.csv", 2 },
    };
    for (size_t i = 0; i < sizeof again / sizeof again[0]; i++) {
        struct fc_import_summary sum;
        ck_assert_int_eq(import(again[i].kind, fixture(again[i].file), &sum), FC_OK);
        ck_assert_msg(sum.imported == 0, "%s imported %llu the second time", again[i].file,
                      (unsigned long long)sum.imported);
        ck_assert_uint_eq(sum.unchanged, again[i].rows);
    }
    /* only the audit entries of the imports themselves were written */
    ck_assert_uint_ge(generation(), before);
    char *abs = export_kind(FC_CSV_ABSENCE);
    ck_assert_str_eq(abs, "pupil_id,date,kind\n1,2024-09-02,sick\n1,2024-09-03,sick\n"
                          "2,2024-09-05,illegal\n2,2024-09-06,legal\n");
    free(abs);
}
END_TEST

START_TEST(import_updates_changed_rows)
{
    seed_people();
    const char *p = write_text("p.csv", "pupil_id,name,birth_date,grade,school\n"
                                        "1,Søren Ågaard,2012-03-14,8,Ny Skole\n");
    struct fc_import_summary sum;
    ck_assert_int_eq(import(FC_CSV_PUPILS, p, &sum), FC_OK);
    ck_assert_uint_eq(sum.imported, 1);
    char *pupils = export_kind(FC_CSV_PUPILS);
    /* guardians kept: the file has no guardians column */
    ck_assert_ptr_nonnull(strstr(pupils, "1,Søren Ågaard,2012-03-14,8,Ny Skole,Mette Ågaard|"));
    free(pupils);
    const char *c = write_text("c.csv", "case_id,pupil_id,concern_date,phase_model,phase,"
                                        "coordinator,status,closed_date\n"
                                        "10,1,2024-09-02,fit,3,lars,closed,2024-12-20\n");
    ck_assert_int_eq(import(FC_CSV_CASES, c, &sum), FC_OK);
    char *cases = export_kind(FC_CSV_CASES);
    ck_assert_ptr_nonnull(strstr(cases, "10,1,2024-09-02,fit,Undersøgende,lars,closed,2024-12-20\n"));
    free(cases);
}
END_TEST

/* ---- bad input: a line-numbered message and nothing written ---------------------------- */

static void assert_rejected(enum fc_csv_kind kind, const char *file, const char *message)
{
    uint64_t before = generation();
    char *pupils = export_kind(FC_CSV_PUPILS), *abs = export_kind(FC_CSV_ABSENCE);
    char *ratings = export_kind(FC_CSV_RATINGS);
    struct fc_import_summary sum;
    reports[0] = '\0';
    ck_assert_int_ne(import(kind, file, &sum), FC_OK);
    ck_assert_reported(message);
    ck_assert_uint_eq(generation(), before);
    char *p2 = export_kind(FC_CSV_PUPILS), *a2 = export_kind(FC_CSV_ABSENCE);
    char *r2 = export_kind(FC_CSV_RATINGS);
    ck_assert_str_eq(pupils, p2);
    ck_assert_str_eq(abs, a2);
    ck_assert_str_eq(ratings, r2);
    free(pupils), free(abs), free(ratings), free(p2), free(a2), free(r2);
}

START_TEST(bad_cases_leave_store_unchanged)
{
    seed_people();
    char path[600];
    snprintf(path, sizeof path, "%s", fixture("bad_date.csv"));
    assert_rejected(FC_CSV_PUPILS, path,
                    "bad_date.csv:3: birth_date: 31-02-2012 is not a date: February 2012 has 29 days");
    ck_assert_reported("bad_date.csv: 1 bad row; nothing imported");
    assert_rejected(FC_CSV_RATINGS, fixture("bad_item.csv"), "bad_item.csv:3: item1: 11,2");
    assert_rejected(FC_CSV_ABSENCE, fixture("bad_unknown_pupil.csv"),
                    "bad_unknown_pupil.csv:3: pupil_id: no pupil 99 in the store");
    assert_rejected(FC_CSV_PUPILS, fixture("bad_missing_column.csv"),
                    "bad_missing_column.csv:1: birth_date: missing column");
    assert_rejected(FC_CSV_PUPILS, fixture("bad_unclosed_quote.csv"),
                    "bad_unclosed_quote.csv:3: a quoted field is not closed");
    assert_rejected(FC_CSV_PUPILS, fixture("bad_stray_quote.csv"),
                    "bad_stray_quote.csv:2: field 2: a quote inside a field");
    assert_rejected(FC_CSV_RATINGS, fixture("bad_total.csv"), "bad_total.csv:2: total: ");

    size_t big = 10u << 20;
    char *data = malloc(big + 200);
    int n = sprintf(data, "pupil_id;name;birth_date;grade;school\n1;\"");
    memset(data + n, 'x', big);
    sprintf(data + n + big, "\";01-02-2012;5;Skole\n");
    assert_rejected(FC_CSV_PUPILS, write_file("big.csv", data, strlen(data)),
                    "big.csv:2: field 2: longer than 64 KiB");
    free(data);

    assert_rejected(FC_CSV_CASES, write_text("cases.csv",
        "case_id,pupil_id,concern_date,phase_model,phase,coordinator\n"
        "20,1,2024-01-01,fit,Relationel,nobody\n"
        "21,1,2024-01-01,nomodel,1,mette\n"
        "22,1,2024-01-01,fit,Sjette,mette\n"
        "23,77,2024-01-01,fit,1,mette\n"),
        "cases.csv:2: coordinator: no staff member with login 'nobody'");
    ck_assert_reported("cases.csv:3: phase_model: no phase model 'nomodel'");
    ck_assert_reported("cases.csv:4: phase: 'Sjette' is not a phase of model fit");
    ck_assert_reported("cases.csv:5: pupil_id: no pupil 77 in the store");
    assert_rejected(FC_CSV_RATINGS, write_text("r.csv",
        "case_id,date,scale,rater,item1,item2,item3,item4,total\n"
        "10,2024-09-04,ORX,child,1,1,1,1,\n"
        "10,2024-09-04,ORS,uncle,1,1,1,1,\n"
        "10,2024-09-04,ORS,child,1,1,,1,\n"
        "10,2024-09-04,ORS,father,,,,,\n"
        "99,2024-09-04,ORS,child,1,1,1,1,\n"),
        "r.csv:2: scale: 'ORX' is not a scale");
    ck_assert_reported("r.csv:3: rater: 'uncle' is not a rater");
    ck_assert_reported("r.csv:4: item3: empty; give all four items");
    ck_assert_reported("r.csv:5: total: empty, and so are the items");
    ck_assert_reported("r.csv:6: case_id: no case 99 in the store");
    assert_rejected(FC_CSV_PUPILS, write_text("p.csv",
        "pupil_id,name,birth_date,grade,school,guardians\n"
        "x1,Ida,2012-01-01,5,S,\n"
        "5,Ida,2012-01-01,11,S,\n"
        "6,,2012-01-01,5,S,\n"
        "7,Ida,2012-01-01,5,S,a|b|c|d|e|f|g|h|i|j|k|l|m\n"
        "8,Ida,2012-01-01,5,S,,extra\n"
        "9,Ida,2012-01-01,5,S,\n"
        "9,Ida Other,2012-01-01,5,S,\n"),
        "p.csv:2: pupil_id: 'x1' is not an id");
    ck_assert_reported("p.csv:3: grade: '11' is not a grade");
    ck_assert_reported("p.csv:4: name: empty");
    ck_assert_reported("p.csv:5: guardians: more than 12 names");
    ck_assert_reported("p.csv:6: field 7: the row has more fields than the header");
    ck_assert_reported("p.csv:8: the same record as an earlier row of the file, with other values");
    assert_rejected(FC_CSV_PUPILS, write_text("empty.csv", ""), "empty.csv: the file is empty");
}
END_TEST

START_TEST(long_lists_of_problems_are_cut)
{
    seed_people();
    char *text = malloc(1 << 16);
    size_t len = (size_t)sprintf(text, "pupil_id,date,kind\n");
    for (int i = 0; i < 250; i++)
        len += (size_t)sprintf(text + len, "1,2024-09-%02d,nonsense\n", 1 + i % 28);
    struct fc_import_summary sum;
    ck_assert_int_eq(import(FC_CSV_ABSENCE, write_file("many.csv", text, len), &sum), FC_EINVAL);
    free(text);
    ck_assert_uint_eq(sum.bad, 250);
    ck_assert_reported("many.csv:201: kind: 'nonsense'");
    ck_assert_ptr_null(strstr(reports, "many.csv:202:"));
    ck_assert_reported("many.csv: ... and 50 more problems not listed");
    ck_assert_reported("many.csv: 250 bad rows; nothing imported");
}
END_TEST

START_TEST(conflicting_rating_is_bad)
{
    seed_people();
    must_import(FC_CSV_RATINGS, fixture("ratings_excel_utf8.csv"));
    struct fc_import_summary sum;
    const char *f = write_text("c.csv", "case_id,date,scale,rater,total\n"
                                        "10,2024-09-04,SRS,child,30\n");
    ck_assert_int_eq(import(FC_CSV_RATINGS, f, &sum), FC_EINVAL);
    ck_assert_reported("c.csv:2: total: this case already has a SRS rating by child on this "
                       "date with other scores (total 36.5)");
}
END_TEST

START_TEST(skip_bad_imports_the_good_rows)
{
    seed_people();
    struct fc_import_opts o = { .skip_bad = true };
    struct fc_import_summary sum;
    const char *f = write_text("a.csv", "pupil_id,date,kind\n1,2024-09-02,sick\n"
                                        "99,2024-09-02,sick\n1,31-02-2024,sick\n"
                                        "2,2024-09-02,\"x\"y\"\n2,2024-09-03,legal\n");
    ck_assert_int_eq(import_into(st, FC_CSV_ABSENCE, f, &o, &sum), FC_OK);
    ck_assert_uint_eq(sum.read, 5);
    ck_assert_uint_eq(sum.imported, 2);
    ck_assert_uint_eq(sum.skipped, 3);
    ck_assert_reported("a.csv:3: pupil_id: no pupil 99");
    ck_assert_reported("a.csv:4: date: 31-02-2024 is not a date");
    ck_assert_reported("a.csv:5: field 3: text after a closing quote");
    char *abs = export_kind(FC_CSV_ABSENCE);
    ck_assert_str_eq(abs, "pupil_id,date,kind\n1,2024-09-02,sick\n2,2024-09-03,legal\n");
    free(abs);
}
END_TEST

START_TEST(dry_run_writes_nothing)
{
    seed_people();
    uint64_t before = generation();
    struct fc_import_opts o = { .dry_run = true };
    struct fc_import_summary sum;
    ck_assert_int_eq(import_into(st, FC_CSV_ABSENCE, fixture("absence_tab.csv"), &o, &sum),
                     FC_OK);
    ck_assert_uint_eq(sum.imported, 4);
    ck_assert_uint_eq(generation(), before);
}
END_TEST

/* Many chunks: the result is the same as one, and a bad last row still
 * means nothing is written. */
START_TEST(chunked_import_is_all_or_nothing)
{
    seed_people();
    char *text = malloc(1 << 20);
    size_t len = (size_t)sprintf(text, "pupil_id;date;kind\n");
    fc_date d0;
    fc_date_from_ymd(2023, 1, 1, &d0);
    for (int i = 0; i < 2000; i++) {
        char day[11];
        fc_date_format(d0 + i, day);
        len += (size_t)sprintf(text + len, "%d;%s;syg\n", 1 + i % 3, day);
    }
    size_t good_len = len;
    len += (size_t)sprintf(text + len, "1;2023-01-01;nonsense\n");
    struct fc_import_opts o = { .chunk_rows = 7 };
    struct fc_import_summary sum;
    uint64_t before = generation();
    ck_assert_int_eq(import_into(st, FC_CSV_ABSENCE, write_file("a.csv", text, len), &o, &sum),
                     FC_EINVAL);
    ck_assert_reported("a.csv:2002: kind: 'nonsense' is not a kind of absence");
    ck_assert_uint_eq(generation(), before);

    ck_assert_int_eq(import_into(st, FC_CSV_ABSENCE, write_file("b.csv", text, good_len), &o,
                                 &sum), FC_OK);
    ck_assert_uint_eq(sum.imported, 2000);
    ck_assert_uint_ge(sum.chunks, 2000 / 7);
    free(text);
    char *abs = export_kind(FC_CSV_ABSENCE);
    ck_assert_uint_eq(count_lines(abs), 2001);
    free(abs);
    /* the journal went with the last chunk */
    unsigned pending = 9;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_bulk_pending(st, &pending, &err), FC_OK);
    ck_assert_uint_eq(pending, 0);
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
}
END_TEST

/* ---- the bulk writer: audit, journal, undo ------------------------------------ */

struct audit_text {
    char text[1 << 15];
    int n;
};

static int keep_audit(const struct fc_audit *a, void *ctx)
{
    struct audit_text *t = ctx;
    size_t len = strlen(t->text);
    snprintf(t->text + len, sizeof t->text - len, "%s %s %u %s %s\n", a->who, a->action,
             a->entity_id, a->entity, a->detail);
    t->n++;
    return 0;
}

static struct audit_text *audit_log(struct fc_store *s)
{
    struct audit_text *t = calloc(1, sizeof *t);
    struct fc_txn *txn;
    struct fc_err err = { 0 };
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(fc_read_begin(s, &txn, &err), FC_OK);
    ck_assert_int_eq(fc_audit_each(txn, 0, keep_audit, t), 0);
    fc_read_end(txn);
    return t;
}

#define ck_assert_audit(t, needle) \
    ck_assert_msg(strstr((t)->text, needle) != NULL, \
                  "expected \"%s\" in the audit log, which ends:\n%s", needle, \
                  (t)->text + (strlen((t)->text) > 1500 ? strlen((t)->text) - 1500 : 0))

/* One entry per pupil (and per case) names the records added, not one per
 * row; the kind of absence (health data) is not in it. */
START_TEST(bulk_audit_names_what_was_added)
{
    seed_people();
    must_import(FC_CSV_ABSENCE, write_text("a.csv", "pupil_id;date;kind\n"
                                           "1;2024-09-02;syg\n1;2024-09-03;syg\n"
                                           "1;2024-09-04;lovligt\n1;2024-09-09;syg\n"
                                           "2;2024-09-02;ulovligt\n"));
    must_import(FC_CSV_RATINGS, fixture("ratings_excel_utf8.csv"));
    struct audit_text *t = audit_log(st);
    ck_assert_audit(t, "tester absence.add 1 pupil 4 days: 2024-09-02..2024-09-04, 2024-09-09\n");
    ck_assert_audit(t, "tester absence.add 2 pupil 1 day: 2024-09-02\n");
    ck_assert_audit(t, "tester csv.import 0 csv absence ");
    ck_assert_ptr_null(strstr(t->text, "sick"));
    ck_assert_ptr_null(strstr(t->text, "absence.add 1 pupil 1 day"));
    /* ratings of case 10 in one entry, with the meetings made for them */
    ck_assert_audit(t, "tester meeting.add 10 case ");
    ck_assert_audit(t, "tester rating.add 10 case ");
    ck_assert_audit(t, " ratings added: ids 1-");
    free(t);
}
END_TEST

/* A journaled import of this process is alive: recovery leaves it alone;
 * its own undo takes out exactly what it added. */
struct one_day {
    struct fc_bulk *b;
    fc_date date;
    bool last;
};

static int bulk_day(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct one_day *d = ctx;
    struct fc_absence a = { .pupil_id = 1, .date = d->date, .kind = FC_ABS_SICK };
    int rc = fc_bulk_begin(d->b, txn, err);
    if (rc == FC_OK)
        rc = fc_bulk_absence(d->b, &a, err);
    if (rc == FC_OK)
        rc = fc_bulk_end(d->b, d->last, err);
    return rc;
}

START_TEST(bulk_journal_alive_and_undone)
{
    seed_people();
    must_import(FC_CSV_ABSENCE, write_text("a.csv", "pupil_id;date;kind\n1;2024-09-02;syg\n"));
    char *before = export_kind(FC_CSV_ABSENCE);
    struct fc_err err = { 0 };
    struct one_day d = { 0 };
    unsigned n = 9;
    ck_assert_int_eq(fc_bulk_new(st, "absence test", true, &d.b, &err), FC_OK);
    for (int i = 0; i < 3; i++) {
        fc_date_parse("2024-10-01", &d.date, NULL);
        d.date += i;
        ck_assert_msg(fc_store_write(st, "tester", bulk_day, &d, &err) == FC_OK, "%s", err.msg);
        fc_bulk_committed(d.b);
    }
    /* a day already there is refused, and nothing changes */
    fc_date_parse("2024-09-02", &d.date, NULL);
    ck_assert_int_eq(fc_store_write(st, "tester", bulk_day, &d, &err), FC_EEXIST);
    ck_assert_int_eq(fc_bulk_pending(st, &n, &err), FC_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(fc_bulk_recover(st, &n, &err), FC_OK);
    ck_assert_uint_eq(n, 0);                        /* alive: this process */
    char *during = export_kind(FC_CSV_ABSENCE);
    ck_assert_uint_eq(count_lines(during), count_lines(before) + 3);
    ck_assert_int_eq(fc_bulk_undo(d.b, &err), FC_OK);
    char *after = export_kind(FC_CSV_ABSENCE);
    ck_assert_same_text(after, before);
    ck_assert_int_eq(fc_bulk_pending(st, &n, &err), FC_OK);
    ck_assert_uint_eq(n, 0);
    struct audit_text *t = audit_log(st);
    ck_assert_audit(t, "fitcase csv.import.undone ");
    ck_assert_audit(t, "3 absence days, 0 ratings and 0 meetings it had added removed");
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
    fc_bulk_free(d.b);
    free(t);
    free(before);
    free(during);
    free(after);
}
END_TEST

/* Files for the killed imports: many absence days of pupils 1-3, many
 * ratings (on new meeting days) of cases 10 and 11. */
static const char *big_absence(const char *name, int rows)
{
    char *text = malloc((size_t)rows * 32 + 64);
    size_t len = (size_t)sprintf(text, "pupil_id;date;kind\n");
    fc_date d0;
    fc_date_parse("2000-01-01", &d0, NULL);
    for (int i = 0; i < rows; i++) {
        char day[11];
        fc_date_format(d0 + i / 3, day);
        len += (size_t)sprintf(text + len, "%d;%s;%s\n", 1 + i % 3, day,
                               i % 2 ? "syg" : "lovligt");
    }
    const char *path = write_file(name, text, len);
    free(text);
    return path;
}

static const char *big_ratings(const char *name, int rows)
{
    char *text = malloc((size_t)rows * 64 + 128);
    size_t len = (size_t)sprintf(text, "case_id;date;scale;rater;rater_name;total\n");
    fc_date d0;
    fc_date_parse("2001-01-01", &d0, NULL);
    static const char *const raters[] = { "barn", "mor", "lærer" };
    for (int i = 0; i < rows; i++) {
        char day[11];
        int c = i * 2 / rows;                       /* case 10, then case 11 */
        fc_date_format(d0 + (i % (rows / 2)) / 3, day);
        len += (size_t)sprintf(text + len, "%d;%s;%s;%s;;%d,%d\n", 10 + c, day,
                               i % 7 ? "ORS" : "SRS", raters[i % 3], 10 + i % 25, i % 10);
    }
    const char *path = write_file(name, text, len);
    free(text);
    return path;
}

static uint64_t die_at;

static void die_in_pass_two(uint64_t done, uint64_t total, void *ctx)
{
    (void)total;
    (void)ctx;
    if (done >= die_at)
        _exit(3);                                   /* as kill -9 would */
}

/* Imports path in a child process that dies after `at` of the progress
 * (rows of both passes); returns how the child ended. */
static int import_and_die(enum fc_csv_kind kind, const char *path, uint64_t at)
{
    char db[400];
    snprintf(db, sizeof db, "%s/db", dir);
    fc_store_close(st);
    st = NULL;
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct fc_store *s;
        struct fc_err err = { 0 };
        struct fc_store_opts o = { 0 };
        if (fc_store_open(db, &o, &s, &err) != FC_OK)
            _exit(10);
        struct fc_import_opts io = { .chunk_rows = 100, .progress = die_in_pass_two };
        struct fc_import_summary sum;
        die_at = at;
        io.report = collect;
        _exit(fc_csv_import(s, "tester", kind, path, &io, &sum, &err) == FC_OK ? 0 : 11);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static size_t count_kind(struct fc_store *s, enum fc_csv_kind kind)
{
    char *text = export_from(s, kind, NULL);
    size_t n = count_lines(text);
    free(text);
    return n;
}

/* kill -9 half way through a chunked import: its chunks are in the store
 * until the next open, which takes them out; the store is as before. */
static void killed_import(enum fc_csv_kind kind, const char *path, uint64_t rows)
{
    char *before = export_kind(kind), *before_m = export_kind(FC_CSV_MEETINGS);
    ck_assert_int_eq(import_and_die(kind, path, rows + 2), 3);   /* in pass 2 */

    /* read only: no recovery; the chunks written are there */
    char db[400];
    snprintf(db, sizeof db, "%s/db", dir);
    struct fc_store_opts ro = { .read_only = true };
    struct fc_err err = { 0 };
    unsigned pending = 0;
    ck_assert_int_eq(fc_store_open(db, &ro, &st, &err), FC_OK);
    ck_assert_int_eq(fc_bulk_pending(st, &pending, &err), FC_OK);
    ck_assert_uint_eq(pending, 1);
    size_t partial = count_kind(st, kind);
    ck_assert_uint_gt(partial, count_lines(before));
    ck_assert_uint_lt(partial, count_lines(before) + rows);
    fc_store_close(st);

    st = open_store("db");                          /* the next open undoes it */
    ck_assert_int_eq(fc_bulk_pending(st, &pending, &err), FC_OK);
    ck_assert_uint_eq(pending, 0);
    char *after = export_kind(kind), *after_m = export_kind(FC_CSV_MEETINGS);
    ck_assert_same_text(after, before);
    ck_assert_same_text(after_m, before_m);
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
    struct audit_text *t = audit_log(st);
    ck_assert_audit(t, "fitcase csv.import.undone ");
    free(t);

    /* and the same file imports whole afterwards */
    struct fc_import_opts o = { .chunk_rows = 100 };
    struct fc_import_summary sum;
    ck_assert_int_eq(import_into(st, kind, path, &o, &sum), FC_OK);
    ck_assert_uint_eq(sum.imported, rows);
    ck_assert_uint_eq(count_kind(st, kind), count_lines(before) + rows);
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
    free(before);
    free(before_m);
    free(after);
    free(after_m);
}

START_TEST(killed_absence_import_is_taken_out)
{
    seed_people();
    must_import(FC_CSV_ABSENCE, fixture("absence_tab.csv"));
    killed_import(FC_CSV_ABSENCE, big_absence("big.csv", 6000), 6000);
}
END_TEST

START_TEST(killed_ratings_import_is_taken_out)
{
    seed_people();
    must_import(FC_CSV_MEETINGS, fixture("meetings.csv"));
    must_import(FC_CSV_RATINGS, fixture("ratings_excel_utf8.csv"));
    killed_import(FC_CSV_RATINGS, big_ratings("big.csv", 3000), 3000);
}
END_TEST

/* The map fills in the middle of a chunk, and of a one-transaction import:
 * the transaction runs again on a larger map and writes each row once. */
START_TEST(import_grows_a_full_map)
{
    fc_store_close(st);
    char path[400];
    snprintf(path, sizeof path, "%s/small", dir);
    struct fc_store_opts so = { .create = true, .initial_map = 256 << 10 };
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_open(path, &so, &st, &err) == FC_OK, "%s", err.msg);
    size_t map0 = fc_store_map_size(st);
    seed_people();
    must_import(FC_CSV_MEETINGS, fixture("meetings.csv"));
    struct fc_import_opts o = { .chunk_rows = 4000 };
    struct fc_import_summary sum;
    ck_assert_int_eq(import_into(st, FC_CSV_ABSENCE, big_absence("a.csv", 12000), &o, &sum),
                     FC_OK);
    ck_assert_uint_eq(sum.imported, 12000);
    ck_assert_uint_eq(sum.chunks, 3);
    o.chunk_rows = 0;                           /* one transaction */
    ck_assert_int_eq(import_into(st, FC_CSV_RATINGS, big_ratings("r.csv", 6000), &o, &sum),
                     FC_OK);
    ck_assert_uint_eq(sum.imported, 6000);
    ck_assert_uint_eq(sum.chunks, 1);
    ck_assert_uint_gt(fc_store_map_size(st), map0);
    ck_assert_uint_eq(count_kind(st, FC_CSV_ABSENCE), 12001);
    ck_assert_uint_eq(count_kind(st, FC_CSV_RATINGS), 6001);
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
    /* one audit entry per pupil and chunk, not per row */
    struct audit_text *t = audit_log(st);
    ck_assert_int_lt(t->n, 60);
    free(t);
}
END_TEST

/* The store changes between two chunks so that a row no longer fits: the
 * import stops and takes out what it wrote. */
static struct fc_store *erase_from;
static bool erased;

static int erase_pupil_3(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    (void)ctx;
    return fc_pupil_erase(txn, 3, err);
}

static void erase_half_way(uint64_t done, uint64_t total, void *ctx)
{
    (void)ctx;
    struct fc_err err = { 0 };
    if (!erased && done > total / 2) {             /* in pass 2 */
        erased = true;
        ck_assert_msg(fc_store_write(erase_from, "lars", erase_pupil_3, NULL, &err) == FC_OK,
                      "%s", err.msg);
    }
}

START_TEST(failed_chunked_import_is_taken_out)
{
    seed_people();
    must_import(FC_CSV_ABSENCE, fixture("absence_tab.csv"));
    char *before = export_kind(FC_CSV_ABSENCE);
    const char *path = big_absence("big.csv", 6000);
    struct fc_import_opts o = { .chunk_rows = 100, .progress = erase_half_way };
    struct fc_import_summary sum;
    erase_from = st;
    ck_assert_int_eq(import_into(st, FC_CSV_ABSENCE, path, &o, &sum), FC_ECONFLICT);
    ck_assert(erased);
    ck_assert_reported("the store changed while importing, so that this row no longer "
                       "fits; nothing was imported");
    ck_assert_uint_eq(sum.imported, 0);
    ck_assert_uint_eq(sum.chunks, 0);
    /* what is left is what was there, but for the erased pupil */
    char *after = export_kind(FC_CSV_ABSENCE), *want = calloc(1, strlen(before) + 1);
    for (char *line = strtok(before, "\n"); line; line = strtok(NULL, "\n"))
        if (strncmp(line, "3,", 2) != 0)
            sprintf(want + strlen(want), "%s\n", line);
    ck_assert_same_text(after, want);
    unsigned pending = 9;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_bulk_pending(st, &pending, &err), FC_OK);
    ck_assert_uint_eq(pending, 0);
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
    free(before);
    free(after);
    free(want);
}
END_TEST

/* Without room for the spool (TMPDIR) pass 2 reads the file again, and
 * repeats are found all the same. */
START_TEST(import_without_a_spool)
{
    seed_people();
    setenv("TMPDIR", "/nonexistent-fitcase-dir", 1);
    must_import(FC_CSV_ABSENCE, fixture("absence_tab.csv"));
    struct fc_import_summary sum;
    ck_assert_int_eq(import(FC_CSV_ABSENCE, write_text("d.csv", "pupil_id;date;kind\n"
                                                       "1;2024-10-01;syg\n2;2024-10-01;syg\n"
                                                       "1;2024-10-01;lovligt\n"), &sum), FC_OK);
    ck_assert_uint_eq(sum.imported, 2);
    ck_assert_uint_eq(sum.duplicates, 1);
}
END_TEST

/* The spool fills its disk half way through pass 1 of a sorted file: pass 1
 * begins again keeping the rows in memory, lists no problem twice, and
 * still finds the repeat at the end. */
static void lift_file_limit(uint64_t done, uint64_t total, void *ctx)
{
    (void)ctx;
    if (done > total / 2) {
        struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };
        setrlimit(RLIMIT_FSIZE, &r);
    }
}

START_TEST(spool_out_of_room_in_pass_one)
{
    seed_people();
    enum { ROWS = 60000 };
    char *text = malloc(ROWS * 32 + 100);
    size_t len = (size_t)sprintf(text, "pupil_id;date;kind\n");
    fc_date d0;
    fc_date_parse("1900-01-01", &d0, NULL);
    for (int i = 0; i < ROWS; i++) {
        char day[11];
        fc_date_format(d0 + i % (ROWS / 3), day);
        len += (size_t)sprintf(text + len, "%d;%s;syg\n", 1 + i / (ROWS / 3), day);
    }
    len += (size_t)sprintf(text + len, "2;1900-01-05;syg\n1;1900-01-01;nonsense\n");
    const char *path = write_file("sorted.csv", text, len);
    free(text);
    struct stat sb;
    char data[600];
    snprintf(data, sizeof data, "%s/db/data.mdb", dir);
    ck_assert_int_eq(stat(data, &sb), 0);
    /* room for the store as it is, not for a spool of 60,000 rows */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit r = { (rlim_t)sb.st_size + 64 * 1024, RLIM_INFINITY };
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &r), 0);
    struct fc_import_opts o = { .skip_bad = true, .progress = lift_file_limit };
    struct fc_import_summary sum;
    ck_assert_int_eq(import_into(st, FC_CSV_ABSENCE, path, &o, &sum), FC_OK);
    ck_assert_uint_eq(sum.read, ROWS + 2);
    ck_assert_uint_eq(sum.imported, ROWS);
    ck_assert_uint_eq(sum.duplicates, 1);
    ck_assert_uint_eq(sum.bad, 1);
    const char *first = strstr(reports, "'nonsense' is not a kind");
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_null(strstr(first + 1, "'nonsense' is not a kind"));
    ck_assert_uint_eq(count_kind(st, FC_CSV_ABSENCE), ROWS + 1);
}
END_TEST

START_TEST(export_filters)
{
    seed_people();
    must_import(FC_CSV_ABSENCE, fixture("absence_tab.csv"));
    must_import(FC_CSV_RATINGS, fixture("ratings_excel_utf8.csv"));
    struct fc_export_opts o = { .case_id = 11, .from = FC_DATE_NONE, .to = FC_DATE_NONE };
    char *abs = export_from(st, FC_CSV_ABSENCE, &o);
    ck_assert_str_eq(abs, "pupil_id,date,kind\n2,2024-09-05,illegal\n2,2024-09-06,legal\n");
    free(abs);
    o.case_id = 0;
    fc_date_parse("2024-09-10", &o.from, NULL);
    char *ratings = export_from(st, FC_CSV_RATINGS, &o);
    ck_assert_str_eq(ratings, "case_id,date,scale,rater,rater_name,item1,item2,item3,item4,total\n"
                              "10,2024-09-18,ORS,teacher,Birte Holm,,,,,25.0\n"
                              "10,2024-09-18,CORS,child,,6.1,6.2,6.3,6.4,25.0\n");
    free(ratings);
    o.from = FC_DATE_NONE;
    o.excel = true;
    o.case_id = 10;
    char *excel = export_from(st, FC_CSV_PUPILS, &o);
    ck_assert_str_eq(excel, "\xEF\xBB\xBFpupil_id;name;birth_date;grade;school;guardians\r\n"
                            "1;Søren Ågaard;2012-03-14;7;Ærø Skole;Mette Ågaard|Jørgen Ågaard\r\n");
    free(excel);
}
END_TEST

/* ---- round trip ------------------------------------------------------------------------- */

START_TEST(round_trip_every_kind)
{
    fc_date today;
    fc_date_parse("2025-03-10", &today, NULL);
    struct fc_demo_opts demo = { .today = today, .login = "tester", .pupils = 80, .cases = 30 };
    struct fc_err err = { 0 };
    ck_assert_msg(fc_demo_fill(st, &demo, &err) == FC_OK, "demo: %s", err.msg);

    static const enum fc_csv_kind order[] = {
        FC_CSV_STAFF, FC_CSV_CALENDAR, FC_CSV_PUPILS, FC_CSV_CASES, FC_CSV_MEETINGS,
        FC_CSV_RATINGS, FC_CSV_ABSENCE,
    };
    struct fc_store *b = open_store("copy");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        char *a = export_kind(order[i]);
        char name[64];
        snprintf(name, sizeof name, "%s.csv", fc_csv_kind_name(order[i]));
        const char *path = write_text(name, a);
        struct fc_import_summary sum;
        reports[0] = '\0';
        ck_assert_msg(import_into(b, order[i], path, NULL, &sum) == FC_OK, "%s: %s", name,
                      reports);
        char *again = export_from(b, order[i], NULL);
        ck_assert_msg(strcmp(a, again) == 0, "%s differs after the round trip", name);
        ck_assert_uint_gt(sum.imported, 0);
        /* and once more: nothing new */
        ck_assert_int_eq(import_into(b, order[i], path, NULL, &sum), FC_OK);
        ck_assert_uint_eq(sum.imported, 0);
        free(a);
        free(again);
    }
    /* the Excel dialect reads back the same */
    struct fc_export_opts xo = { .from = FC_DATE_NONE, .to = FC_DATE_NONE, .excel = true };
    char *x = export_from(st, FC_CSV_RATINGS, &xo);
    struct fc_import_summary sum;
    ck_assert_int_eq(import_into(b, FC_CSV_RATINGS, write_text("x.csv", x), NULL, &sum), FC_OK);
    ck_assert_uint_eq(sum.imported, 0);
    free(x);
    ck_assert_int_eq(fc_store_verify(b, NULL, NULL, &err), 0);
    fc_store_close(b);
}
END_TEST

static Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *reader = tcase_create("reader");
    tcase_add_test(reader, reader_excel_shapes);
    tcase_add_test(reader, reader_detects_delimiter);
    tcase_add_test(reader, reader_windows_1252);
    tcase_add_test(reader, reader_cp1252_table);
    tcase_add_test(reader, reader_quote_errors);
    tcase_add_test(reader, reader_resyncs_after_bad_row);
    tcase_add_test(reader, reader_caps);
    tcase_add_test(reader, reader_refuses_non_csv);
    tcase_add_test(reader, reader_old_mac_line_ends);
    tcase_add_test(reader, reader_line_breaks_in_fields);
    tcase_add_test(reader, reader_splits_as_libcsv);
    tcase_add_test(reader, writer_quotes_only_when_needed);
    suite_add_tcase(s, reader);

    TCase *imp = tcase_create("import");
    tcase_add_checked_fixture(imp, setup, teardown);
    tcase_set_timeout(imp, 120);
    tcase_add_test(imp, import_danish_excel_fixtures);
    tcase_add_test(imp, import_absence_duplicates_counted_once);
    tcase_add_test(imp, import_is_idempotent);
    tcase_add_test(imp, import_updates_changed_rows);
    tcase_add_test(imp, bad_cases_leave_store_unchanged);
    tcase_add_test(imp, conflicting_rating_is_bad);
    tcase_add_test(imp, long_lists_of_problems_are_cut);
    tcase_add_test(imp, skip_bad_imports_the_good_rows);
    tcase_add_test(imp, dry_run_writes_nothing);
    tcase_add_test(imp, chunked_import_is_all_or_nothing);
    tcase_add_test(imp, bulk_audit_names_what_was_added);
    tcase_add_test(imp, bulk_journal_alive_and_undone);
    tcase_add_test(imp, killed_absence_import_is_taken_out);
    tcase_add_test(imp, killed_ratings_import_is_taken_out);
    tcase_add_test(imp, failed_chunked_import_is_taken_out);
    tcase_add_test(imp, import_grows_a_full_map);
    tcase_add_test(imp, import_without_a_spool);
    tcase_add_test(imp, spool_out_of_room_in_pass_one);
    tcase_add_test(imp, export_filters);
    tcase_add_test(imp, round_trip_every_kind);
    suite_add_tcase(s, imp);
    return s;
}

int main(void)
{
    return check_run(csv_suite(), CK_NORMAL);
}
