/* Reading what a chart needs from the store: the case's ratings, the
 * pupil's birth date and absence, and the cohort of every series. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fitcase/absence.h"
#include "fitcase/chart.h"
#include "fitcase/cohort_load.h"
#include "fitcase/i18n.h"
#include "fitcase/score.h"
#include "fitcase/store.h"
#include "fitcase/text.h"
#include "fitcase/date.h"
#include "fitcase/report.h"

/* ---- growable arrays ---------------------------------------------------- */

int fc_vec_push(struct fc_vec *v, const void *item, size_t size)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        void *p = realloc(v->data, cap * size);
        if (!p)
            return FC_EFULL;
        v->data = p;
        v->cap = cap;
    }
    memcpy((char *)v->data + v->n * size, item, size);
    v->n++;
    return FC_OK;
}

void fc_vec_free(struct fc_vec *v)
{
    free(v->data);
    memset(v, 0, sizeof *v);
}

int fc_oom(struct fc_err *err)
{
    err->code = FC_EFULL;
    snprintf(err->msg, sizeof err->msg, "%s", _("out of memory"));
    return FC_EFULL;
}

static int push_rating(const struct fc_rating *r, void *ctx)
{
    return fc_vec_push(ctx, r, sizeof *r) == FC_OK ? 0 : FC_EFULL;
}

int fc_load_ratings(struct fc_txn *txn, fc_id case_id, struct fc_vec *out,
                    struct fc_err *err)
{
    int rc = case_id ? fc_ratings_of_case(txn, case_id, push_rating, out)
                     : fc_ratings_each(txn, push_rating, out);
    if (rc == FC_EFULL)
        return fc_oom(err);
    if (rc != 0 && err->code == 0) {
        err->code = rc;
        snprintf(err->msg, sizeof err->msg, "%s", _("cannot read the ratings"));
    }
    return rc;
}

/* ---- birth dates by case ------------------------------------------------ */

static int push_case(const struct fc_case *c, void *ctx)
{
    struct fc_case_birth cb = { c->id, c->pupil_id, FC_DATE_NONE };
    return fc_vec_push(ctx, &cb, sizeof cb) == FC_OK ? 0 : FC_EFULL;
}

struct pupil_birth {
    fc_id id;
    fc_date birth;
};

static int push_pupil(const struct fc_pupil *p, void *ctx)
{
    struct pupil_birth pb = { p->id, p->birth_date };
    return fc_vec_push(ctx, &pb, sizeof pb) == FC_OK ? 0 : FC_EFULL;
}

static int cmp_pupil(const void *a, const void *b)
{
    fc_id x = ((const struct pupil_birth *)a)->id, y = ((const struct pupil_birth *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_case(const void *a, const void *b)
{
    fc_id x = ((const struct fc_case_birth *)a)->case_id;
    fc_id y = ((const struct fc_case_birth *)b)->case_id;
    return (x > y) - (x < y);
}

int fc_load_case_births(struct fc_txn *txn, struct fc_vec *out, struct fc_err *err)
{
    struct fc_vec pupils = { 0 };
    int rc = fc_cases_each(txn, push_case, out);
    if (rc == 0)
        rc = fc_pupils_each(txn, push_pupil, &pupils);
    if (rc == 0) {
        /* An empty vector's data is NULL, which qsort may not take. */
        if (pupils.n > 1)
            qsort(pupils.data, pupils.n, sizeof(struct pupil_birth), cmp_pupil);
        if (out->n > 1)
            qsort(out->data, out->n, sizeof(struct fc_case_birth), cmp_case);
        struct fc_case_birth *cb = out->data;
        for (size_t i = 0; i < out->n; i++) {
            struct pupil_birth key = { cb[i].pupil, 0 };
            const struct pupil_birth *pb = bsearch(&key, pupils.data, pupils.n,
                                                   sizeof key, cmp_pupil);
            if (pb)
                cb[i].birth = pb->birth;
        }
    }
    fc_vec_free(&pupils);
    if (rc == FC_EFULL)
        return fc_oom(err);
    return rc;
}

const struct fc_case_birth *fc_case_birth_find(const struct fc_vec *v, fc_id case_id)
{
    const struct fc_case_birth *cb = v->data;
    size_t lo = 0, hi = v->n;          /* sorted by case id */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cb[mid].case_id == case_id)
            return &cb[mid];
        if (cb[mid].case_id < case_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- cohort ------------------------------------------------------------- */

/* The store keeps every outcome series, made as the ratings are written
 * (include/fitcase/store_list.h): one range read, not all the ratings. */
int fc_cohort_load(struct fc_txn *txn, const struct fc_settings *s,
                   struct fc_cohort *out, struct fc_err *err)
{
    return fc_cohort_load_series(txn, s, NULL, out, err);
}

/* ---- one case ----------------------------------------------------------- */

bool fc_rating_by_person(const struct fc_rating *r, const char *person)
{
    if (!person || !*person)
        return true;
    if (r->rater_name[0]) {
        char a[FC_NAME_MAX * 2], b[FC_NAME_MAX * 2];
        fc_fold(person, a, sizeof a);
        fc_fold(r->rater_name, b, sizeof b);
        if (strcmp(a, b) == 0)
            return true;
    }
    return fc_rater_lookup(person) == (int)r->rater;
}

static int push_holiday(const struct fc_holiday *h, void *ctx)
{
    return fc_vec_push(ctx, &h->date, sizeof h->date) == FC_OK ? 0 : FC_EFULL;
}

int fc_load_calendar(struct fc_txn *txn, struct fc_vec *holidays, struct fc_calendar *cal,
                     struct fc_err *err)
{
    int rc = fc_holidays_each(txn, push_holiday, holidays);
    if (rc == FC_EFULL)
        return fc_oom(err);
    cal->holidays = holidays->data;
    cal->n = holidays->n;
    return rc;
}

struct absence_ctx {
    const struct fc_calendar *cal;
    struct fc_vec days;
};

static int push_absence(const struct fc_absence *a, void *ctx)
{
    struct absence_ctx *ac = ctx;
    if (!fc_is_school_day(ac->cal, a->date))
        return 0;
    return fc_vec_push(&ac->days, &a->date, sizeof a->date) == FC_OK ? 0 : FC_EFULL;
}

int fc_chart_load(struct fc_txn *txn, const struct fc_settings *s,
                  const struct fc_cohort *cohort, fc_id case_id, const char *person,
                  struct fc_chart *out, struct fc_err *err)
{
    struct fc_case c;
    struct fc_pupil p;
    if (fc_case_get(txn, case_id, &c, err) != FC_OK || fc_pupil_get(txn, c.pupil_id, &p, err) != FC_OK)
        return err->code;
    struct fc_vec ratings = { 0 }, holidays = { 0 };
    struct fc_calendar cal = { 0 };
    struct absence_ctx ac = { &cal, { 0 } };
    int rc = fc_load_ratings(txn, case_id, &ratings, err);
    if (rc == FC_OK)
        rc = fc_load_calendar(txn, &holidays, &cal, err);
    if (rc == FC_OK) {
        rc = fc_absence_of_pupil(txn, p.id, FC_DATE_NONE, FC_DATE_NONE, push_absence, &ac);
        if (rc == FC_EFULL)
            rc = fc_oom(err);
    }
    if (rc == FC_OK) {
        struct fc_rating *r = ratings.data;
        size_t n = 0;
        for (size_t i = 0; i < ratings.n; i++)
            if (fc_rating_by_person(&r[i], person))
                r[n++] = r[i];
        char title[160];
        if (person && *person)
            snprintf(title, sizeof title, _("Case %u: %s, rated by %s"), (unsigned)c.id, p.name, person);
        else
            snprintf(title, sizeof title, _("Case %u: %s"), (unsigned)c.id, p.name);
        struct fc_chart_input in = {
            .settings = s, .case_id = c.id, .birth = p.birth_date, .ratings = r,
            .nratings = n, .absent = ac.days.data, .nabsent = ac.days.n,
            .cohort = cohort, .title = title,
        };
        fc_chart_build(&in, out);
    }
    fc_vec_free(&ratings);
    fc_vec_free(&holidays);
    fc_vec_free(&ac.days);
    return rc;
}
