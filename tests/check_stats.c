/* The leader's figures at the scale of a national team: the rows of
 * fc_stats_compute with many groups. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/stats.h"
#include "suite_run.h"

/* ---- rows ----------------------------------------------------------------- */

static const struct fc_stats_row *find_row(const struct fc_stats_row *rows, size_t n, int by,
                                           fc_id id, const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].by == by && rows[i].id == id && (!label || !strcmp(rows[i].label, label)))
            return &rows[i];
    return NULL;
}

/* Every case in a team, a coordinator and a kind of its own: the rows grow
 * while a case is being added to its groups, and each case still counts
 * once in each (the rows once moved under the group pointers a case held). */
START_TEST(stats_many_groups)
{
    enum { N = 300 };
    struct fc_stats_case *cases = calloc(N, sizeof *cases);
    struct fc_stats_series *series = calloc(N, sizeof *series);
    ck_assert(cases && series);
    for (int i = 0; i < N; i++) {
        struct fc_stats_case *c = &cases[i];
        c->case_id = (fc_id)(i + 1);
        c->team_id = (fc_id)(1000 + i);
        c->coordinator = (fc_id)(5000 + i);
        c->open = i % 3 != 0;
        c->meetings = 2;
        c->days = 10;
        c->alerts = i % 2 ? 1u : 0u;
        c->nkinds = 2;
        snprintf(c->kinds[0], FC_SHORT_MAX, "kind %03d", i);
        snprintf(c->kinds[1], FC_SHORT_MAX, "shared");
        series[i] = (struct fc_stats_series){ .case_id = c->case_id, .first = 200,
                                              .last = 260, .improved = true };
    }
    struct fc_stats_row *rows;
    size_t nrows;
    ck_assert_int_eq(fc_stats_compute(cases, N, series, N, &rows, &nrows), FC_OK);
    ck_assert_uint_eq(nrows, 1 + 3 * N + 1);
    const struct fc_stats_row *all = &rows[0];
    ck_assert_int_eq(all->by, FC_STATS_ALL);
    ck_assert_int_eq(all->cases, N);
    ck_assert_int_eq(all->open, N - N / 3);
    ck_assert_int_eq(all->at_risk, N / 2);
    ck_assert_int_eq(all->series, N);
    ck_assert_int_eq(all->improved, N);
    const struct fc_stats_row *shared = find_row(rows, nrows, FC_STATS_KIND, 0, "shared");
    ck_assert_ptr_nonnull(shared);
    ck_assert_int_eq(shared->cases, N);
    ck_assert_int_eq(shared->series, N);
    for (int i = 0; i < N; i++) {
        char kind[FC_SHORT_MAX];
        snprintf(kind, sizeof kind, "kind %03d", i);
        const struct fc_stats_row *r[3] = {
            find_row(rows, nrows, FC_STATS_TEAM, (fc_id)(1000 + i), NULL),
            find_row(rows, nrows, FC_STATS_STAFF, (fc_id)(5000 + i), NULL),
            find_row(rows, nrows, FC_STATS_KIND, 0, kind),
        };
        for (int g = 0; g < 3; g++) {
            ck_assert_msg(r[g] != NULL, "case %d: group %d has no row", i, g);
            ck_assert_msg(r[g]->cases == 1 && r[g]->series == 1 && r[g]->improved == 1,
                          "case %d, group %d: %d cases, %d series", i, g, r[g]->cases,
                          r[g]->series);
            ck_assert_int_eq(r[g]->at_risk, i % 2);
        }
    }
    free(rows);
    free(cases);
    free(series);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("rows");
    tcase_add_test(tc, stats_many_groups);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite(), CK_NORMAL);
}
