/* The import and export commands as a user runs them: exit codes, where
 * messages and summaries go, -o writing whole files only, no progress bar
 * when stderr is not a terminal. Runs the built binary ($FITCASE). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "suite_run.h"

static char dir[256];
static char out[1 << 16], err[1 << 16];

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

/* Runs fitcase --db DIR/db --user tester ARGS; fills out and err; returns
 * the exit status. */
static int run(const char *args)
{
    const char *bin = getenv("FITCASE");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' --db db --user tester %s >out.txt 2>err.txt",
             dir, bin ? bin : "src/fitcase", args);
    int st = system(cmd);
    char path[400];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    slurp(path, out, sizeof out);
    snprintf(path, sizeof path, "%s/err.txt", dir);
    slurp(path, err, sizeof err);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *fixture(const char *name)
{
    static char path[2][600];
    static int k;
    const char *src = getenv("srcdir");
    k ^= 1;
    snprintf(path[k], sizeof path[k], "%s/tests/data/csv/%s", src ? src : ".", name);
    return path[k];
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/fitcase-cli-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(run("init"), 0);
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

START_TEST(import_then_export)
{
    char args[800];
    snprintf(args, sizeof args, "import staff '%s'", fixture("staff_da.csv"));
    ck_assert_int_eq(run(args), 0);
    snprintf(args, sizeof args, "import pupils '%s'", fixture("pupils_excel_cp1252.csv"));
    ck_assert_int_eq(run(args), 0);
    ck_assert_msg(strstr(out, "pupils_excel_cp1252.csv: 3 rows read; 3 imported, 0 unchanged, "
                              "0 duplicates, 0 skipped (Windows-1252, semicolons)\n") != NULL,
                  "%s", out);
    ck_assert_str_eq(err, "");

    ck_assert_int_eq(run("export pupils -o pupils.csv"), 0);
    ck_assert_str_eq(out, "");
    char path[400], file[4096];
    snprintf(path, sizeof path, "%s/pupils.csv", dir);
    slurp(path, file, sizeof file);
    ck_assert_int_eq(run("export pupils"), 0);
    ck_assert_str_eq(out, file);
    snprintf(path, sizeof path, "%s/pupils.csv.tmp", dir);
    ck_assert_int_ne(access(path, F_OK), 0);

    ck_assert_int_eq(run("import pupils pupils.csv"), 0);
    ck_assert_ptr_nonnull(strstr(out, "3 rows read; 0 imported, 3 unchanged"));

    /* An output that cannot be written says which file and why, exits 1
     * and leaves nothing behind: every export shares the one writer. */
    static const char *const unwritable[] = {
        "export pupils -o nodir/x.csv",
        "export outcomes -o nodir/x.csv",
        "export person Søren -o nodir/x.csv",
    };
    for (size_t i = 0; i < sizeof unwritable / sizeof unwritable[0]; i++) {
        ck_assert_int_eq(run(unwritable[i]), 1);
        ck_assert_msg(strstr(err, "cannot write nodir/x.csv.tmp: No such file or directory") != NULL,
                      "%s: %s", unwritable[i], err);
        ck_assert_str_eq(out, "");
    }
    snprintf(path, sizeof path, "%s/nodir", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(bad_file_exits_1_and_names_the_line)
{
    char args[800];
    snprintf(args, sizeof args, "import pupils '%s'", fixture("bad_date.csv"));
    ck_assert_int_eq(run(args), 1);
    ck_assert_str_eq(out, "");
    ck_assert_ptr_nonnull(strstr(err, "bad_date.csv:3: birth_date: 31-02-2012 is not a date"));
    ck_assert_ptr_nonnull(strstr(err, "1 bad row; nothing imported"));
    /* not a terminal: no progress bar */
    ck_assert_ptr_null(strstr(err, "[#"));
    ck_assert_ptr_null(strstr(err, "\r"));

    snprintf(args, sizeof args, "import pupils '%s' --dry-run --skip-bad", fixture("bad_date.csv"));
    ck_assert_int_eq(run(args), 0);
    ck_assert_ptr_nonnull(strstr(out, "2 rows read; would import 1, 0 unchanged, 0 duplicates, 1 bad"));
    ck_assert_int_eq(run("export pupils"), 0);
    ck_assert_str_eq(out, "pupil_id,name,birth_date,grade,school,guardians\n");
}
END_TEST

START_TEST(usage_errors)
{
    ck_assert_int_eq(run("import"), 2);
    ck_assert_int_eq(run("import frobs x.csv"), 2);
    ck_assert_ptr_nonnull(strstr(err, "unknown kind 'frobs'"));
    ck_assert_int_eq(run("import pupils"), 2);
    ck_assert_int_eq(run("import pupils a.csv --fast"), 2);
    ck_assert_int_eq(run("import pupils missing.csv"), 1);
    ck_assert_ptr_nonnull(strstr(err, "missing.csv: cannot open"));
    ck_assert_int_eq(run("export"), 2);
    ck_assert_int_eq(run("export frobs"), 2);
    ck_assert_int_eq(run("export pupils --from 2024-01-01"), 1);
    ck_assert_int_eq(run("export staff --case 3"), 1);
    ck_assert_int_eq(run("export absence --from 31-02-2024"), 1);
    ck_assert_ptr_nonnull(strstr(err, "--from: 31-02-2024 is not a date"));
    ck_assert_int_eq(run("export cases --case x"), 1);
    ck_assert_int_eq(run("export cases --case 42"), 1);
    ck_assert_int_eq(run("export absence --from 2024-02-01 --to 2024-01-01"), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv_cli");
    TCase *tc = tcase_create("commands");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, import_then_export);
    tcase_add_test(tc, bad_file_exits_1_and_names_the_line);
    tcase_add_test(tc, usage_errors);
    suite_add_tcase(s, tc);
    return check_run(s, CK_NORMAL);
}
