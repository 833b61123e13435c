/* Who may see what: two teams' logins see different cases, gets and
 * changes out of reach are refused, admins keep to staff and settings,
 * the opening of a case is audited; the leader's figures on a fixture
 * counted by hand; backup and restore; a map at its limit loses nothing. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fitcase/date.h"
#include "fitcase/settings.h"
#include "fitcase/stats.h"
#include "fitcase/store.h"
#include "suite_run.h"
#include "store_util.h"

static char dir[64];
static struct fc_store *st;

static fc_date day(const char *s)
{
    fc_date d;
    ck_assert_int_eq(fc_date_parse(s, &d, &(struct fc_err){ 0 }), FC_OK);
    return d;
}

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

struct ids {
    fc_id team[2], anna, bo, carl, lea, adm, cases[3], pupils[3];
};
static struct ids ids;

static int staff(struct fc_txn *t, const char *login, int role, fc_id team, fc_id *id,
                 struct fc_err *err)
{
    struct fc_staff s = { .role = (uint8_t)role, .active = true, .team_id = team };
    snprintf(s.login, sizeof s.login, "%s", login);
    snprintf(s.name, sizeof s.name, "%s", login);
    TRY(fc_staff_put(t, &s, err));
    *id = s.id;
    return FC_OK;
}

static int rate(struct fc_txn *t, const struct fc_meeting *m, int scale, int rater, int item,
                struct fc_err *err)
{
    struct fc_rating r = { .case_id = m->case_id, .meeting_id = m->id, .scale = (uint8_t)scale,
                           .rater = (uint8_t)rater, .items = { item, item, item, item },
                           .total = -1 };
    return fc_rating_put(t, &r, err);
}

static int meet(struct fc_txn *t, fc_id c, const char *d, struct fc_meeting *m,
                struct fc_err *err)
{
    *m = (struct fc_meeting){ .case_id = c, .date = day(d), .kind = FC_MEET_STATUS };
    return fc_meeting_put(t, m, err);
}

static int add_case(struct fc_txn *t, int i, fc_id team, fc_id coord, const char *kind1,
                    const char *kind2, struct fc_err *err)
{
    struct fc_pupil p = { .birth_date = day("2014-01-01"), .grade = 6 };
    snprintf(p.name, sizeof p.name, "Elev %d", i + 1);
    snprintf(p.guardians[p.nguardians++], FC_NAME_MAX, "Forælder %d", i + 1);
    TRY(fc_pupil_put(t, &p, err));
    struct fc_case c = { .pupil_id = p.id, .concern_date = day("2026-09-01"),
                         .closed_date = FC_DATE_NONE, .coordinator = coord, .team_id = team };
    snprintf(c.model_id, sizeof c.model_id, "fit");
    const char *kinds[2] = { kind1, kind2 };
    for (int k = 0; k < 2; k++)
        if (kinds[k]) {
            struct fc_intervention *iv = &c.interventions[c.ninterventions++];
            *iv = (struct fc_intervention){ .start = day("2026-09-08"), .end = FC_DATE_NONE };
            snprintf(iv->kind, sizeof iv->kind, "%s", kinds[k]);
        }
    TRY(fc_case_put(t, &c, err));
    ids.cases[i] = c.id;
    ids.pupils[i] = p.id;
    return FC_OK;
}

/* Two teams. C1 (team A, anna): child ORS 20 -> 34, mother ORS 25 -> 26,
 * one SRS. C2 (team A, bo, closed after 60 days): child ORS 30 -> 24, no
 * SRS. C3 (team B, carl): one meeting, ORS 10 and SRS 30. */
static int build(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    struct fc_meeting m;
    static const char *const teams[] = { "Nord", "Syd" };
    for (int i = 0; i < 2; i++) {
        struct fc_team tm = { 0 };
        snprintf(tm.name, sizeof tm.name, "%s", teams[i]);
        TRY(fc_team_put(t, &tm, err));
        ids.team[i] = tm.id;
    }
    TRY(staff(t, "anna", FC_ROLE_CASEWORKER, ids.team[0], &ids.anna, err));
    TRY(staff(t, "bo", FC_ROLE_CASEWORKER, ids.team[0], &ids.bo, err));
    TRY(staff(t, "carl", FC_ROLE_CASEWORKER, ids.team[1], &ids.carl, err));
    TRY(staff(t, "lea", FC_ROLE_LEAD, ids.team[0], &ids.lea, err));
    TRY(staff(t, "adm", FC_ROLE_ADMIN, 0, &ids.adm, err));
    TRY(add_case(t, 0, ids.team[0], ids.anna, "Følges til skole", NULL, err));
    TRY(add_case(t, 1, ids.team[0], ids.bo, "Følges til skole", "Familievejledning", err));
    TRY(add_case(t, 2, ids.team[1], ids.carl, "Familievejledning", NULL, err));
    TRY(meet(t, ids.cases[0], "2026-09-10", &m, err));
    TRY(rate(t, &m, FC_ORS, FC_RATER_CHILD, 50, err));
    TRY(rate(t, &m, FC_SRS, FC_RATER_CHILD, 95, err));
    TRY(rate(t, &m, FC_ORS, FC_RATER_MOTHER, 62, err));   /* 4 x 6.2 = 24.8 */
    TRY(meet(t, ids.cases[0], "2026-10-10", &m, err));
    TRY(rate(t, &m, FC_ORS, FC_RATER_CHILD, 85, err));
    TRY(rate(t, &m, FC_ORS, FC_RATER_MOTHER, 65, err));   /* 26.0 */
    TRY(meet(t, ids.cases[1], "2026-09-05", &m, err));
    TRY(rate(t, &m, FC_ORS, FC_RATER_CHILD, 75, err));
    TRY(meet(t, ids.cases[1], "2026-10-05", &m, err));
    TRY(rate(t, &m, FC_ORS, FC_RATER_CHILD, 60, err));
    TRY(meet(t, ids.cases[2], "2026-09-15", &m, err));
    TRY(rate(t, &m, FC_ORS, FC_RATER_CHILD, 25, err));
    TRY(rate(t, &m, FC_SRS, FC_RATER_CHILD, 75, err));
    struct fc_case c;
    TRY(fc_case_get(t, ids.cases[1], &c, err));
    c.status = FC_CASE_CLOSED;
    c.closed_date = day("2026-10-31");
    return fc_case_put(t, &c, err);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/fcaccessXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct fc_store_opts o = { .create = true };
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_open(dir, &o, &st, &err) == FC_OK, "%s", err.msg);
    ck_assert_msg(fc_store_write(st, "test", build, NULL, &err) == FC_OK, "%s", err.msg);
}

static void teardown(void)
{
    fc_store_close(st);
    rm_store(dir);
}

static void act(const char *login)
{
    struct fc_err err = { 0 };
    ck_assert_msg(fc_store_set_actor(st, login, &err) == FC_OK, "%s", err.msg);
}

static int count_case(const struct fc_case *c, void *ctx)
{
    (void)c;
    ++*(int *)ctx;
    return 0;
}

static int visible_cases(void)
{
    struct fc_txn *t;
    int n = 0;
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    ck_assert_int_eq(fc_cases_each(t, count_case, &n), 0);
    fc_read_end(t);
    return n;
}

static int get_case(fc_id id, struct fc_err *err)
{
    struct fc_txn *t;
    struct fc_case c;
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    int rc = fc_case_get(t, id, &c, err);
    fc_read_end(t);
    return rc;
}

START_TEST(test_teams_see_their_cases)
{
    struct fc_err err = { 0 };
    ck_assert_int_eq(visible_cases(), 3);           /* the system */
    act("anna");
    ck_assert_int_eq(visible_cases(), 2);
    ck_assert_int_eq(get_case(ids.cases[0], &err), FC_OK);
    ck_assert_int_eq(get_case(ids.cases[2], &err), FC_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "another team"));
    act("carl");
    ck_assert_int_eq(visible_cases(), 1);
    ck_assert_int_eq(get_case(ids.cases[0], &err), FC_EDENIED);
    act("adm");                                     /* an admin in no team */
    ck_assert_int_eq(visible_cases(), 0);
    act("lea");
    ck_assert_int_eq(visible_cases(), 2);
}
END_TEST

static int add_meeting_c3(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    struct fc_meeting m;
    return meet(t, ids.cases[2], "2026-11-01", &m, err);
}

static int add_staff(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    fc_id id;
    return staff(t, "nyt", FC_ROLE_CASEWORKER, ids.team[0], &id, err);
}

static int make_secondary(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    struct fc_case c;
    TRY(fc_case_get(t, ids.cases[2], &c, err));
    c.secondary = ids.anna;
    return fc_case_put(t, &c, err);
}

START_TEST(test_changes_out_of_reach)
{
    struct fc_err err = { 0 };
    act("anna");
    ck_assert_int_eq(fc_store_write(st, "anna", add_meeting_c3, NULL, &err), FC_EDENIED);
    ck_assert_int_eq(fc_store_write(st, "anna", add_staff, NULL, &err), FC_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "administrator"));
    act("adm");
    ck_assert_int_eq(fc_store_write(st, "adm", add_staff, NULL, &err), FC_OK);
    ck_assert_int_eq(fc_store_write(st, "adm", add_meeting_c3, NULL, &err), FC_EDENIED);
    /* carl makes anna the secondary contact of his case: now she works it. */
    act("carl");
    ck_assert_int_eq(fc_store_write(st, "carl", make_secondary, NULL, &err), FC_OK);
    act("anna");
    ck_assert_int_eq(visible_cases(), 3);
    ck_assert_int_eq(fc_store_write(st, "anna", add_meeting_c3, NULL, &err), FC_OK);
    /* Unknown and deactivated logins are refused. */
    ck_assert_int_eq(fc_store_set_actor(st, "zorro", &err), FC_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "staff add zorro"));
}
END_TEST

static int pupil_seen(fc_id id)
{
    struct fc_txn *t;
    struct fc_pupil p;
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    int rc = fc_pupil_get(t, id, &p, NULL);
    fc_read_end(t);
    return rc;
}

struct audit_find {
    const char *action;
    fc_id id;
    int n;
};

static int find_audit(const struct fc_audit *a, void *ctx)
{
    struct audit_find *f = ctx;
    f->n += strcmp(a->action, f->action) == 0 && a->entity_id == f->id;
    return 0;
}

static int audit_count(const char *action, fc_id id)
{
    struct fc_txn *t;
    struct audit_find f = { action, id, 0 };
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    fc_audit_each(t, 0, find_audit, &f);
    fc_read_end(t);
    return f.n;
}

START_TEST(test_pupils_audit_and_opening)
{
    struct fc_err err = { 0 };
    act("anna");
    ck_assert_int_eq(pupil_seen(ids.pupils[0]), FC_OK);
    ck_assert_int_eq(pupil_seen(ids.pupils[2]), FC_EDENIED);
    ck_assert_int_eq(fc_case_open_audit(st, ids.cases[0], &err), FC_OK);
    ck_assert_int_eq(fc_case_open_audit(st, ids.cases[2], &err), FC_EDENIED);
    ck_assert_int_eq(audit_count("case.open", ids.cases[0]), 0);   /* a caseworker reads none */
    act("lea");
    ck_assert_int_eq(audit_count("case.open", ids.cases[0]), 1);
    ck_assert_int_eq(audit_count("case.open", ids.cases[2]), 0);
    uint64_t g0, g1;
    fc_store_generation(st, &g0, NULL);
    ck_assert_int_eq(fc_case_open_audit(st, ids.cases[1], &err), FC_OK);
    fc_store_generation(st, &g1, NULL);
    ck_assert_uint_eq(g0, g1);           /* an opening repaints no screen */
}
END_TEST

struct erase {
    fc_id pupil;
    fc_date today, from;
};

static int erase_fn(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    struct erase *e = ctx;
    TRY(fc_pupil_erasable(t, e->pupil, e->today, &e->from, err));
    return fc_pupil_erase(t, e->pupil, err);
}

START_TEST(test_erase_after_retention)
{
    struct fc_err err = { 0 };
    struct erase e = { .pupil = ids.pupils[1], .today = day("2031-10-30") };
    act("anna");
    ck_assert_int_eq(fc_store_write(st, "anna", erase_fn, &e, &err), FC_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "lead"));
    e.today = day("2027-01-01");
    act("lea");
    ck_assert_int_eq(fc_store_write(st, "lea", erase_fn, &e, &err), FC_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "2031-10-30"));   /* 1825 days after 2026-10-31 */
    e.pupil = ids.pupils[0];
    ck_assert_int_eq(fc_store_write(st, "lea", erase_fn, &e, &err), FC_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "open case"));
    e = (struct erase){ .pupil = ids.pupils[1], .today = day("2031-10-30") };
    ck_assert_msg(fc_store_write(st, "lea", erase_fn, &e, &err) == FC_OK, "%s", err.msg);
    ck_assert_int_eq(audit_count("pupil.erase", ids.pupils[1]), 1);
    ck_assert_int_eq(fc_store_verify(st, NULL, NULL, &err), 0);
}
END_TEST

static int reassign_all(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    size_t *n = ctx;
    return fc_cases_reassign_all(t, ids.anna, ids.bo, n, err);
}

START_TEST(test_reassign)
{
    struct fc_err err = { 0 };
    size_t n = 0;
    act("adm");             /* sees none of the cases, hands them over all the same */
    ck_assert_msg(fc_store_write(st, "adm", reassign_all, &n, &err) == FC_OK, "%s", err.msg);
    ck_assert_uint_eq(n, 1);
    fc_store_set_actor(st, NULL, &err);
    struct fc_txn *t;
    struct fc_case c;
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    ck_assert_int_eq(fc_case_get(t, ids.cases[0], &c, NULL), FC_OK);
    fc_read_end(t);
    ck_assert_uint_eq(c.coordinator, ids.bo);
}
END_TEST

/* ---- the leader's figures, counted by hand --------------------------------- */

static const struct fc_stats_row *row(const struct fc_stats *s, int by, const char *label)
{
    for (size_t i = 0; i < s->nrows; i++)
        if (s->rows[i].by == by && strcmp(s->rows[i].label, label) == 0)
            return &s->rows[i];
    ck_abort_msg("no row %d %s", by, label);
    return NULL;
}

static void load_stats(struct fc_stats *s)
{
    struct fc_txn *t;
    struct fc_settings set;
    struct fc_err err = { 0 };
    ck_assert_int_eq(fc_read_begin(st, &t, NULL), FC_OK);
    ck_assert_int_eq(fc_settings_load(t, &set, &err), FC_OK);
    ck_assert_msg(fc_stats_load(t, &set, day("2026-11-20"), s, &err) == FC_OK, "%s", err.msg);
    fc_read_end(t);
}

#define NEAR(a, b) ck_assert_msg(fabs((a) - (b)) < 0.005, "%s = %f, want %f", #a, (a), (b))

START_TEST(test_stats_hand_count)
{
    struct fc_stats s;
    load_stats(&s);           /* the system: everything */
    const struct fc_stats_row *all = row(&s, FC_STATS_ALL, "all cases");
    ck_assert_int_eq(all->cases, 3);
    ck_assert_int_eq(all->open, 2);
    ck_assert_int_eq(all->closed, 1);
    /* Series with 2+ ratings: C1 child 20.0 -> 34.0 (+14, reliable, crosses
     * the child cut-off 32: clinically significant), C1 mother 24.8 -> 26.0
     * (+1.2), C2 child 30.0 -> 24.0 (-6, deteriorated). */
    ck_assert_int_eq(all->series, 3);
    ck_assert_int_eq(all->improved, 1);
    ck_assert_int_eq(all->significant, 1);
    ck_assert_int_eq(all->deteriorated, 1);
    NEAR(all->mean_change, (14.0 + 1.2 - 6.0) / 3);
    /* Intakes 20.0, 24.8, 30.0: mean 24.933, SD 5.0013 */
    double m = (20.0 + 24.8 + 30.0) / 3;
    double sd = sqrt(((20 - m) * (20 - m) + (24.8 - m) * (24.8 - m) + (30 - m) * (30 - m)) / 2);
    NEAR(all->effect_size, ((14.0 + 1.2 - 6.0) / 3) / sd);
    NEAR(all->meetings_per_case, 5.0 / 3);
    NEAR(all->days_per_case, (80.0 + 60 + 80) / 3);   /* open cases to 2026-11-20 */
    ck_assert_int_eq(all->fit_cases, 2);              /* C1 and C3 have ORS and SRS */
    ck_assert_int_eq(all->family_cases, 1);           /* a mother scored in C1 */
    NEAR(fc_stats_pct(all->fit_cases, all->cases), 66.667);
    const struct fc_stats_row *syd = row(&s, FC_STATS_TEAM, "Syd");
    ck_assert_int_eq(syd->cases, 1);
    ck_assert_int_eq(syd->series, 0);
    ck_assert(isnan(syd->mean_change));
    const struct fc_stats_row *fam = row(&s, FC_STATS_KIND, "Familievejledning");
    ck_assert_int_eq(fam->cases, 2);                  /* C2 and C3 */
    ck_assert_int_eq(fam->series, 1);
    NEAR(fam->mean_change, -6.0);
    ck_assert_int_eq(row(&s, FC_STATS_STAFF, "bo")->deteriorated, 1);
    fc_stats_free(&s);

    act("anna");              /* a caseworker: her own case only */
    load_stats(&s);
    all = row(&s, FC_STATS_ALL, "all cases");
    ck_assert_int_eq(all->cases, 1);
    ck_assert_int_eq(all->series, 2);
    NEAR(all->mean_change, (14.0 + 1.2) / 2);
    NEAR(all->effect_size, 7.6 / sqrt((20 - 22.4) * (20 - 22.4) * 2));
    ck_assert_uint_eq(s.nrows, 4);                    /* all, team, anna, one kind */
    fc_stats_free(&s);

    act("lea");               /* a lead: the team's two cases */
    load_stats(&s);
    ck_assert_int_eq(row(&s, FC_STATS_ALL, "all cases")->cases, 2);
    ck_assert_int_eq(row(&s, FC_STATS_TEAM, "Nord")->series, 3);
    fc_stats_free(&s);
}
END_TEST

/* ---- backup, restore, the map limit --------------------------------------- */

START_TEST(test_backup_restore)
{
    char bk[96], back[96];
    struct fc_err err = { 0 };
    size_t bytes = 0;
    snprintf(bk, sizeof bk, "%s.bk", dir);
    snprintf(back, sizeof back, "%s.back", dir);
    ck_assert_msg(fc_store_backup(st, bk, &bytes, &err) == FC_OK, "%s", err.msg);
    ck_assert_uint_gt(bytes, 0);
    ck_assert_int_eq(fc_store_backup(st, bk, &bytes, &err), FC_EEXIST);
    ck_assert_msg(fc_store_restore(bk, back, false, &err) == FC_OK, "%s", err.msg);
    ck_assert_int_eq(fc_store_restore(bk, back, false, &err), FC_EEXIST);
    ck_assert_msg(fc_store_restore(bk, back, true, &err) == FC_OK, "%s", err.msg);
    /* Open here, the store is in use: a restore from another process
     * (LMDB's reader table tells processes apart) must not replace it. */
    ck_assert_int_eq(visible_cases(), 3);
    pid_t pid = fork();
    if (pid == 0) {
        int rc = fc_store_restore(bk, dir, true, &err);
        _exit(rc == FC_EDENIED && strstr(err.msg, "open in") ? 0 : 1);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "restore replaced a store in use");
    struct fc_store *copy;
    struct fc_store_opts ro = { .read_only = true };
    ck_assert_int_eq(fc_store_open(back, &ro, &copy, &err), FC_OK);
    struct fc_txn *t;
    struct fc_case c;
    ck_assert_int_eq(fc_read_begin(copy, &t, NULL), FC_OK);
    ck_assert_int_eq(fc_case_get(t, ids.cases[2], &c, NULL), FC_OK);
    fc_read_end(t);
    fc_store_close(copy);
    rm_store(bk);
    rm_store(back);
}
END_TEST

static int add_pupils(struct fc_txn *t, void *ctx, struct fc_err *err)
{
    (void)ctx;
    for (int i = 0; i < 200; i++) {
        struct fc_pupil p = { .birth_date = day("2014-01-01"), .grade = 6 };
        snprintf(p.name, sizeof p.name, "Fyld %d %060d", i, 0);
        snprintf(p.guardians[p.nguardians++], FC_NAME_MAX, "%080d", i);
        TRY(fc_pupil_put(t, &p, err));
    }
    return FC_OK;
}

static int count_pupil(const struct fc_pupil *p, void *ctx)
{
    (void)p;
    ++*(int *)ctx;
    return 0;
}

START_TEST(test_map_limit)
{
    char small[64];
    struct fc_store *s2;
    struct fc_err err = { 0 };
    struct fc_store_opts o = { .create = true };
    snprintf(small, sizeof small, "/tmp/fcmapXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(small));
    setenv("FITCASE_MAP_MAX", "1048576", 1);
    ck_assert_int_eq(fc_store_open(small, &o, &s2, &err), FC_OK);
    int saved = 0, rc;
    while ((rc = fc_store_write(s2, "t", add_pupils, NULL, &err)) == FC_OK)
        saved += 200;
    ck_assert_int_eq(rc, FC_EFULL);
    ck_assert_ptr_nonnull(strstr(err.msg, "size limit"));
    ck_assert_ptr_nonnull(strstr(err.msg, "nothing of this action was saved"));
    ck_assert_int_gt(saved, 0);
    fc_store_close(s2);
    ck_assert_int_eq(fc_store_open(small, &o, &s2, &err), FC_OK);
    ck_assert_int_eq(fc_store_verify(s2, NULL, NULL, &err), 0);
    struct fc_txn *t;
    int n = 0;
    ck_assert_int_eq(fc_read_begin(s2, &t, NULL), FC_OK);
    fc_pupils_each(t, count_pupil, &n);
    fc_read_end(t);
    ck_assert_int_eq(n, saved);
    fc_store_close(s2);
    unsetenv("FITCASE_MAP_MAX");
    rm_store(small);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("store_access");
    TCase *tc = tcase_create("access");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_teams_see_their_cases);
    tcase_add_test(tc, test_changes_out_of_reach);
    tcase_add_test(tc, test_pupils_audit_and_opening);
    tcase_add_test(tc, test_erase_after_retention);
    tcase_add_test(tc, test_reassign);
    tcase_add_test(tc, test_stats_hand_count);
    tcase_add_test(tc, test_backup_restore);
    tcase_add_test(tc, test_map_limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite(), CK_NORMAL);
}
