/* A store that survives: 16 processes adding meetings and ratings to the
 * same cases at once (every committed write is there afterwards, stale
 * reads are refused as conflicts, verify passes), kill -9 at random
 * points of big writes (the store opens, verify passes, each action is
 * wholly there or absent), and a new fitcase beside an old session: no
 * upgrade while it is open, no write of the old session's after one. FITCASE_HAMMER_SECONDS (default 3) and
 * FITCASE_CRASH_RUNS (default 25) make the long forms (make check-long). */
#include <config.h>

#include <check.h>
#include <lmdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fitcase/date.h"
#include "fitcase/store.h"
#include "suite_run.h"
#include "store_util.h"

enum { WORKERS = 16, CASES = 4, CHUNK_MEETINGS = 5 };

static char dir[64];

static int env_int(const char *name, int def)
{
    const char *v = getenv(name);
    return v && atoi(v) > 0 ? atoi(v) : def;
}

static struct fc_store *open_store(void)
{
    struct fc_store *st;
    struct fc_store_opts o = { .create = true, .initial_map = 1 << 20 };
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_open(dir, &o, &st, &err) == FC_OK, "%s", err.msg);
    return st;
}

static void rm_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

static int add_case(struct fc_txn *t, int n, fc_id *case_id, struct fc_err *err)
{
    struct fc_pupil p = { .birth_date = 15000, .grade = 6 };
    snprintf(p.name, sizeof p.name, "Elev %d", n);
    TRY(fc_pupil_put(t, &p, err));
    struct fc_case c = { .pupil_id = p.id, .concern_date = 20300,
                         .closed_date = FC_DATE_NONE };
    snprintf(c.model_id, sizeof c.model_id, "fit");
    TRY(fc_case_put(t, &c, err));
    *case_id = c.id;
    return FC_OK;
}

static int make_cases(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    fc_id *ids = ctx;
    for (int i = 0; i < CASES; i++)
        TRY(add_case(t, i, &ids[i], err));
    return FC_OK;
}

/* ---- 16 writers -------------------------------------------------------------- */

struct meeting_job {
    fc_id case_id, meeting;
    int worker, seq;
};

static int add_meeting(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct meeting_job *j = ctx;
    struct fc_meeting m = { .case_id = j->case_id, .date = 20400 + j->seq % 300,
                            .kind = FC_MEET_PARENT };
    snprintf(m.notes, sizeof m.notes, "w%d-%d", j->worker, j->seq);
    TRY(fc_meeting_put(t, &m, err));
    struct fc_rating r = { .case_id = j->case_id, .meeting_id = m.id, .scale = FC_ORS,
                           .rater = FC_RATER_CHILD, .items = { 50, 50, 50, 50 }, .total = -1 };
    TRY(fc_rating_put(t, &r, err));
    r = (struct fc_rating){ .case_id = j->case_id, .meeting_id = m.id, .scale = FC_SRS,
                            .rater = FC_RATER_CHILD, .items = { 90, 90, 90, 90 }, .total = -1 };
    TRY(fc_rating_put(t, &r, err));
    j->meeting = m.id;
    return FC_OK;
}

struct edit_job {
    struct fc_case c;         /* as read, maybe stale by now */
    int worker, seq;
};

static int edit_case(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct edit_job *j = ctx;
    struct fc_case c = j->c;  /* a fresh copy each attempt */
    snprintf(c.summary_agreements, sizeof c.summary_agreements, "w%d-%d", j->worker, j->seq);
    return fc_case_put(t, &c, err);
}

/* Writes "meeting id" lines and a last "done meetings edits conflicts". */
static void worker(int w, const fc_id *cases, double seconds)
{
    char path[128];
    snprintf(path, sizeof path, "%s/worker-%d", dir, w);
    FILE *f = fopen(path, "w");
    struct fc_store_opts o = { 0 };
    struct fc_store *st;
    struct fc_err err = { 0 };
    if (!f || fc_store_open(dir, &o, &st, &err) != FC_OK)
        _exit(2);
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int meetings = 0, edits = 0, conflicts = 0;
    srand((unsigned)getpid());
    for (int seq = 0;; seq++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9 > seconds)
            break;
        fc_id case_id = cases[rand() % CASES];
        if (seq % 4 != 3) {
            struct meeting_job j = { .case_id = case_id, .worker = w, .seq = seq };
            if (fc_store_write(st, "hammer", add_meeting, &j, &err) != FC_OK) {
                fprintf(stderr, "worker %d: %s\n", w, err.msg);
                _exit(3);
            }
            fprintf(f, "%u\n", (unsigned)j.meeting);
            meetings++;
            continue;
        }
        /* Read, think a moment, save: someone else may have saved since. */
        struct edit_job *j = calloc(1, sizeof *j);
        struct fc_txn *t;
        if (!j || fc_read_begin(st, &t, &err) != FC_OK || fc_case_get(t, case_id, &j->c, &err))
            _exit(4);
        fc_read_end(t);
        j->worker = w;
        j->seq = seq;
        usleep(200);
        int rc = fc_store_write(st, "hammer", edit_case, j, &err);
        free(j);
        if (rc == FC_ECONFLICT && strstr(err.msg, "changed by someone else"))
            conflicts++;
        else if (rc == FC_OK)
            edits++;
        else
            _exit(5);
    }
    fprintf(f, "done %d %d %d\n", meetings, edits, conflicts);
    fc_store_close(st);
    _exit(fclose(f) == 0 ? 0 : 6);
}

struct seen {
    int n;
};

static int count_meeting(const struct fc_meeting *m, void *ctx)
{
    (void)m;
    ((struct seen *)ctx)->n++;
    return 0;
}

START_TEST(test_sixteen_writers)
{
    fc_id cases[CASES];
    struct fc_err err = { 0 };
    double seconds = env_int("FITCASE_HAMMER_SECONDS", 3);
    snprintf(dir, sizeof dir, "/tmp/fchammerXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct fc_store *st = open_store();
    ck_assert_int_eq(fc_store_write(st, "setup", make_cases, cases, &err), FC_OK);
    fc_store_close(st);

    pid_t pids[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0)
            worker(w, cases, seconds);
    }
    for (int w = 0; w < WORKERS; w++) {
        int status;
        ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "worker %d failed (status %d)", w, status);
    }

    st = open_store();
    struct fc_txn *t;
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    long meetings = 0, edits = 0, conflicts = 0;
    for (int w = 0; w < WORKERS; w++) {
        char path[128], line[64];
        snprintf(path, sizeof path, "%s/worker-%d", dir, w);
        FILE *f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        bool done = false;
        while (fgets(line, sizeof line, f)) {
            int a, b, c;
            if (sscanf(line, "done %d %d %d", &a, &b, &c) == 3) {
                edits += b;
                conflicts += c;
                done = true;
                continue;
            }
            struct fc_meeting m;
            fc_id id = (fc_id)strtoul(line, NULL, 10);
            ck_assert_msg(fc_meeting_get(t, id, &m, NULL) == FC_OK,
                          "committed meeting %u is missing", id);
            ck_assert_int_eq(strncmp(m.notes, "w", 1), 0);
            meetings++;
        }
        fclose(f);
        ck_assert_msg(done, "worker %d did not finish its log", w);
    }
    struct seen all = { 0 };
    uint32_t versions = 0;
    for (int i = 0; i < CASES; i++) {
        struct fc_case c;
        ck_assert_int_eq(fc_meetings_of_case(t, cases[i], count_meeting, &all), 0);
        ck_assert_int_eq(fc_case_get(t, cases[i], &c, NULL), FC_OK);
        versions += c.version - 1;
    }
    fc_read_end(t);
    ck_assert_int_eq(all.n, meetings);               /* nothing more, nothing less */
    ck_assert_int_eq((long)versions, edits);         /* every saved edit, no lost update */
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
    fc_store_close(st);
    fprintf(stderr, "store_survive: %d writers, %.0f s: %ld meetings (with 2 ratings each) "
            "and %ld case edits committed, %.0f writes/s; %ld conflicts refused\n", WORKERS,
            seconds, meetings, edits, (meetings + edits) / seconds, conflicts);
    ck_assert_int_gt(meetings, 0);
    rm_dir();
}
END_TEST

/* ---- kill -9 ---------------------------------------------------------------- */

/* One action: a pupil, a case and its meetings with two ratings each, as
 * an import chunk writes them, or an edit of every case at once. */
static int big_action(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    int n = *(int *)ctx;
    fc_id case_id;
    TRY(add_case(t, 1000 + n, &case_id, err));
    for (int i = 0; i < CHUNK_MEETINGS; i++) {
        struct meeting_job j = { .case_id = case_id, .worker = 99, .seq = i };
        TRY(add_meeting(t, &j, err));
    }
    return FC_OK;
}

struct mark {
    struct fc_txn *t;
    int bad;
    char first[FC_TEXT_MAX];  /* the mark of the first marked case */
    bool have;                /* an unmarked case came after a marked one */
};

struct id_list {
    fc_id ids[4096];
    size_t n;
};

static int collect_id(const struct fc_case *c, void *ctx)
{
    struct id_list *l = ctx;
    if (l->n < sizeof l->ids / sizeof l->ids[0])
        l->ids[l->n++] = c->id;
    return 0;
}

static int edit_all(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    int n = *(int *)ctx;
    struct id_list *l = calloc(1, sizeof *l);
    struct fc_case *c = malloc(sizeof *c);
    int rc = l && c ? FC_OK : FC_ESTORE;
    if (rc == FC_OK)
        fc_cases_each(t, collect_id, l);
    for (size_t i = 0; rc == FC_OK && i < l->n; i++) {
        rc = fc_case_get(t, l->ids[i], c, err);
        snprintf(c->summary_hypotheses, sizeof c->summary_hypotheses, "edit %d", n);
        if (rc == FC_OK)
            rc = fc_case_put(t, c, err);
    }
    free(l);
    free(c);
    return rc;
}

static void crasher(void)
{
    struct fc_store_opts o = { 0 };
    struct fc_store *st;
    struct fc_err err = { 0 };
    if (fc_store_open(dir, &o, &st, &err) != FC_OK)
        _exit(2);
    for (int n = 0;; n++)
        if (fc_store_write(st, "crash", n % 3 == 2 ? edit_all : big_action, &n, &err) != FC_OK)
            _exit(3);
}

static int check_case(const struct fc_case *c, void *ctx)
{
    struct mark *m = ctx;
    struct seen meetings = { 0 };
    fc_meetings_of_case(m->t, c->id, count_meeting, &meetings);
    if (c->id > CASES && meetings.n != CHUNK_MEETINGS)
        m->bad++;
    /* One edit writes every case there is: in id order, the cases up to
     * some point carry the last edit's mark, the ones added after it none.
     * A torn edit would leave two marks, or a mark after an unmarked case. */
    const char *mark = c->summary_hypotheses;
    if (!mark[0]) {
        m->have = m->have || m->first[0];
    } else if (!m->first[0] && !m->have) {
        snprintf(m->first, sizeof m->first, "%s", mark);
    } else if (m->have || strcmp(m->first, mark) != 0) {
        m->bad++;
    }
    return 0;
}

START_TEST(test_kill9)
{
    fc_id cases[CASES];
    struct fc_err err = { 0 };
    int runs = env_int("FITCASE_CRASH_RUNS", 25);
    snprintf(dir, sizeof dir, "/tmp/fccrashXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct fc_store *st = open_store();
    ck_assert_int_eq(fc_store_write(st, "setup", make_cases, cases, &err), FC_OK);
    fc_store_close(st);
    srand((unsigned)time(NULL));
    for (int run = 0; run < runs; run++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
            crasher();
        usleep((useconds_t)(5000 + rand() % 60000));
        kill(pid, SIGKILL);
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFSIGNALED(status), "the writer ended by itself (status %d)", status);

        st = open_store();           /* clears the killed process's reader slot */
        ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
        struct fc_txn *t;
        struct mark m = { 0 };
        ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
        m.t = t;
        ck_assert_int_eq(fc_cases_each(t, check_case, &m), 0);
        fc_read_end(t);
        ck_assert_msg(m.bad == 0, "run %d: %d half-written action(s)", run, m.bad);
        fc_store_close(st);
    }
    fprintf(stderr, "store_survive: %d kill -9 runs, the store opened and verified each time\n",
            runs);
    rm_dir();
}
END_TEST

/* ---- schema upgrades and open sessions ------------------------------------- */

/* The version as stored, read without opening the store as fitcase. */
static uint32_t stored_schema(void)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_val k = { 14, (void *)"schema_version" }, val;
    ck_assert_int_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 64);
    ck_assert_int_eq(mdb_env_open(env, dir, MDB_RDONLY, 0660), 0);
    ck_assert_int_eq(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    ck_assert_int_eq(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    ck_assert_int_eq(mdb_get(txn, dbi, &k, &val), 0);
    ck_assert_uint_eq(val.mv_size, 4);
    const uint8_t *b = val.mv_data;
    uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return v;
}

/* A session: opens the store, reads once (a screen shows its list), says
 * so on `ready`, waits for a byte on `go`, then tries one action and
 * exits 0 if it was saved, 10 if refused for the schema, else 1. */
static void session(int ready, int go)
{
    struct fc_store_opts o = { 0 };
    struct fc_store *st;
    struct fc_txn *t;
    struct fc_err err = { 0 };
    char byte;
    if (fc_store_open(dir, &o, &st, &err) != FC_OK || fc_read_begin(st, &t, &err) != FC_OK)
        _exit(2);
    fc_read_end(t);
    if (write(ready, "r", 1) != 1 || read(go, &byte, 1) != 1)
        _exit(3);
    int n = 1;
    int rc = fc_store_write(st, "old-screen", big_action, &n, &err);
    fc_store_close(st);
    if (rc == FC_ESTORE && strstr(err.msg, "now has schema version") &&
        strstr(err.msg, "nothing was saved"))
        _exit(10);
    _exit(rc == FC_OK ? 0 : 1);
}

struct sess {
    pid_t pid;
    int go;
};

static struct sess start_session(void)
{
    int ready[2], go[2];
    char byte;
    ck_assert_int_eq(pipe(ready), 0);
    ck_assert_int_eq(pipe(go), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(ready[0]);
        close(go[1]);
        session(ready[1], go[0]);
    }
    close(ready[1]);
    close(go[0]);
    ck_assert_int_eq(read(ready[0], &byte, 1), 1);
    close(ready[0]);
    return (struct sess){ .pid = pid, .go = go[1] };
}

/* Lets the session try its action and quit; returns its exit code. */
static int end_session(struct sess s)
{
    int status;
    ck_assert_int_eq(write(s.go, "g", 1), 1);
    close(s.go);
    ck_assert_int_eq(waitpid(s.pid, &status, 0), s.pid);
    ck_assert_msg(WIFEXITED(status), "the session died (status %d)", status);
    return WEXITSTATUS(status);
}

static int count_cases(const struct fc_case *c, void *ctx)
{
    (void)c;
    ++*(int *)ctx;
    return 0;
}

struct migrate_find {
    int n;
    char detail[FC_TEXT_MAX];   /* the last one's */
};

static int find_migrate(const struct fc_audit *a, void *ctx)
{
    struct migrate_find *f = ctx;
    if (strcmp(a->action, "store.migrate") == 0) {
        f->n++;
        snprintf(f->detail, sizeof f->detail, "%s", a->detail);
    }
    return 0;
}

/* A new fitcase does not upgrade a store another session has open (the
 * old one would go on writing the old way), and does once it has quit. */
START_TEST(test_upgrade_waits_for_sessions)
{
    fc_id cases[CASES];
    struct fc_err err = { 0 };
    snprintf(dir, sizeof dir, "/tmp/fcupgradeXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct fc_store *st = open_store();
    ck_assert_int_eq(fc_store_write(st, "setup", make_cases, cases, &err), FC_OK);
    fc_store_close(st);

    struct sess old = start_session();
    stamp_schema(dir, FC_SCHEMA_VERSION - 1);      /* the store as the old one knows it */
    struct fc_store_opts o = { 0 };
    st = NULL;
    ck_assert_int_eq(fc_store_open(dir, &o, &st, &err), FC_ESTORE);
    ck_assert_ptr_null(st);
    ck_assert_msg(strstr(err.msg, "1 other fitcase session has it open") &&
                  strstr(err.msg, "the upgrade waits until it quits"), "message: %s", err.msg);
    ck_assert_uint_eq(stored_schema(), FC_SCHEMA_VERSION - 1);   /* nothing upgraded */
    /* Refusing the upgrade did not stand in the session's way: its action
     * (at the version it opened) is saved, and it quits. */
    stamp_schema(dir, FC_SCHEMA_VERSION);
    ck_assert_int_eq(end_session(old), 0);
    stamp_schema(dir, FC_SCHEMA_VERSION - 1);

    /* Only the operator upgrades: a user's opening leaves it as it is. */
    o.keep_schema = true;
    ck_assert_int_eq(fc_store_open(dir, &o, &st, &err), FC_ESTORE);
    ck_assert_msg(strstr(err.msg, "by the account that owns it"), "message: %s", err.msg);
    ck_assert_uint_eq(stored_schema(), FC_SCHEMA_VERSION - 1);

    /* Alone, the new one upgrades: one step, in the audit log. */
    o.keep_schema = false;
    ck_assert_msg(fc_store_open(dir, &o, &st, &err) == FC_OK, "%s", err.msg);
    ck_assert_uint_eq(stored_schema(), FC_SCHEMA_VERSION);
    struct fc_txn *t;
    struct migrate_find f = { 0 };
    char want[64];
    snprintf(want, sizeof want, "schema %u -> %u", FC_SCHEMA_VERSION - 1, FC_SCHEMA_VERSION);
    ck_assert_int_eq(fc_read_begin(st, &t, &err), FC_OK);
    ck_assert_int_eq(fc_audit_each(t, 0, find_migrate, &f), 0);
    fc_read_end(t);
    ck_assert_str_eq(f.detail, want);
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
    fc_store_close(st);
    rm_dir();
}
END_TEST

/* A session that was open when a newer fitcase upgraded the store (as an
 * old screen was before upgrades waited) writes nothing more. */
START_TEST(test_open_session_refuses_newer_schema)
{
    fc_id cases[CASES];
    struct fc_err err = { 0 };
    snprintf(dir, sizeof dir, "/tmp/fcnewerXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct fc_store *st = open_store();
    ck_assert_int_eq(fc_store_write(st, "setup", make_cases, cases, &err), FC_OK);
    fc_store_close(st);

    struct sess old = start_session();
    stamp_schema(dir, FC_SCHEMA_VERSION + 1);
    ck_assert_int_eq(end_session(old), 10);
    stamp_schema(dir, FC_SCHEMA_VERSION);          /* to look inside with this fitcase */
    st = open_store();
    struct fc_txn *t;
    int n = 0;
    ck_assert_int_eq(fc_read_begin(st, &t, &err), FC_OK);
    ck_assert_int_eq(fc_cases_each(t, count_cases, &n), 0);
    fc_read_end(t);
    ck_assert_int_eq(n, CASES);               /* the refused action left nothing */
    /* And a newer store is refused at open, as before. */
    fc_store_close(st);
    stamp_schema(dir, FC_SCHEMA_VERSION + 1);
    struct fc_store_opts o = { 0 };
    ck_assert_int_eq(fc_store_open(dir, &o, &st, &err), FC_ESTORE);
    ck_assert_ptr_nonnull(strstr(err.msg, "use a newer fitcase"));
    rm_dir();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("store_survive");
    TCase *tc = tcase_create("survive");
    tcase_set_timeout(tc, 30 + 2 * env_int("FITCASE_HAMMER_SECONDS", 3) +
                              env_int("FITCASE_CRASH_RUNS", 25));
    tcase_add_test(tc, test_sixteen_writers);
    tcase_add_test(tc, test_kill9);
    tcase_add_test(tc, test_upgrade_waits_for_sessions);
    tcase_add_test(tc, test_open_session_refuses_newer_schema);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite(), CK_NORMAL);
}
