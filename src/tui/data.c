/* Recalc: copies what the screen shows out of the store into structs the
 * TUI owns, each load in one short read transaction. Nothing here draws,
 * and nothing that draws reads the store. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/chart.h"
#include "fitcase/date.h"
#include "fitcase/phase.h"
#include "fitcase/score.h"
#include "fitcase/store.h"
#include "fitcase/text.h"
#include "tui.h"

/* A growable array of fixed-size items, for the iteration callbacks. */
struct vec {
    void *v;
    size_t n, cap, size;
};

static void *vec_push(struct vec *a, const void *item)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        void *v = realloc(a->v, cap * a->size);
        if (!v)
            return NULL;
        a->v = v;
        a->cap = cap;
    }
    void *slot = (char *)a->v + a->n++ * a->size;
    memcpy(slot, item, a->size);
    return slot;
}

/* What every load needs besides the records themselves. */
struct ref {
    struct vec schools;      /* struct fc_school */
    struct vec models;       /* struct fc_phase_model */
    struct vec holidays;     /* fc_date, ascending */
    struct fc_calendar cal;
    bool oom;
};

static int on_school(const struct fc_school *s, void *ctx)
{
    struct ref *r = ctx;
    struct fc_school copy = { .id = s->id };
    snprintf(copy.name, sizeof copy.name, "%s", s->name);
    if (!vec_push(&r->schools, &copy))
        r->oom = true;
    return 0;
}

static int on_model(const struct fc_phase_model *m, void *ctx)
{
    struct ref *r = ctx;
    if (!vec_push(&r->models, m))
        r->oom = true;
    return 0;
}

static int on_holiday(const struct fc_holiday *h, void *ctx)
{
    struct ref *r = ctx;
    if (!vec_push(&r->holidays, &h->date))
        r->oom = true;
    return 0;
}

static int cmp_date(const void *a, const void *b)
{
    fc_date x = *(const fc_date *)a, y = *(const fc_date *)b;
    return x < y ? -1 : x > y;
}

static int ref_load(struct fc_txn *txn, struct ref *r, struct fc_err *err)
{
    r->schools.size = sizeof(struct fc_school);
    r->models.size = sizeof(struct fc_phase_model);
    r->holidays.size = sizeof(fc_date);
    fc_schools_each(txn, on_school, r);
    fc_models_each(txn, on_model, r);
    fc_holidays_each(txn, on_holiday, r);
    if (r->oom) {
        err->code = FC_EFULL;
        snprintf(err->msg, sizeof err->msg, "out of memory reading the store");
        return err->code;
    }
    qsort(r->holidays.v, r->holidays.n, sizeof(fc_date), cmp_date);
    r->cal.holidays = r->holidays.v;
    r->cal.n = r->holidays.n;
    return FC_OK;
}

static void ref_free(struct ref *r)
{
    free(r->schools.v);
    free(r->models.v);
    free(r->holidays.v);
}

static const char *school_name(const struct ref *r, fc_id id)
{
    const struct fc_school *s = r->schools.v;
    for (size_t i = 0; i < r->schools.n; i++)
        if (s[i].id == id)
            return s[i].name;
    return "";
}

/* The store's own copy of a model (a team may have changed it), else the
 * shipped one. */
static const struct fc_phase_model *find_model(const struct ref *r, const char *id)
{
    const struct fc_phase_model *m = r->models.v;
    for (size_t i = 0; i < r->models.n; i++)
        if (strcmp(m[i].id, id) == 0)
            return &m[i];
    return fc_builtin_model_find(id);
}

/* ---- absence --------------------------------------------------------------- */

struct days {
    struct vec dates;        /* fc_date */
    struct vec kinds;        /* uint8_t */
};

static int on_absence(const struct fc_absence *a, void *ctx)
{
    struct days *d = ctx;
    if (!vec_push(&d->dates, &a->date) || !vec_push(&d->kinds, &a->kind))
        return 1;
    return 0;
}

/* The pupil's absence over the window fc_absence_status looks at: the last
 * 60 school days and the current quarter. */
static void absence_load(struct fc_txn *txn, const struct ref *r, fc_id pupil,
                         fc_date today, struct days *d)
{
    d->dates.size = sizeof(fc_date);
    d->kinds.size = sizeof(uint8_t);
    fc_date q_first, q_last;
    fc_date_quarter(today, &q_first, &q_last);
    fc_date from = fc_school_day_back(&r->cal, today, ABS_STRIP - 1);
    if (q_first < from)
        from = q_first;
    fc_absence_of_pupil(txn, pupil, from, today, on_absence, d);
}

/* ---- the case list --------------------------------------------------------- */

/* The fields of a case the list needs: cases are big records, and we copy
 * them out of the iteration before looking anything else up. */
struct case_brief {
    fc_id id, pupil_id, coordinator, secondary, team_id;
    char model_id[FC_MODEL_ID_MAX];
    uint8_t phase, status;
    fc_date concern_date, closed_date;
};

static int on_case(const struct fc_case *c, void *ctx)
{
    struct vec *v = ctx;
    struct case_brief b = {
        .id = c->id, .pupil_id = c->pupil_id, .coordinator = c->coordinator,
        .secondary = c->secondary, .team_id = c->team_id, .phase = c->phase,
        .status = c->status, .concern_date = c->concern_date,
        .closed_date = c->closed_date,
    };
    snprintf(b.model_id, sizeof b.model_id, "%s", c->model_id);
    return vec_push(v, &b) ? 0 : 1;
}

/* The latest ORS about the child (the child's own rating first), and the
 * lowest SRS at the last meeting that had any. */
struct latest {
    const struct fc_settings *s;
    fc_date birth;
    int ors, ors_cutoff;
    bool ors_from_child;
    fc_date srs_date;
    int srs_min, srs_cutoff;
};

static int on_latest_rating(const struct fc_rating *r, void *ctx)
{
    struct latest *l = ctx;
    if (r->total < 0)
        return 0;
    if (fc_scale_is_outcome((enum fc_scale)r->scale)) {
        bool child = r->rater == FC_RATER_CHILD;
        if (child || !l->ors_from_child) {
            l->ors = r->total;
            l->ors_cutoff = fc_cutoff(l->s, (enum fc_scale)r->scale, l->birth, r->date);
            l->ors_from_child = child;
        }
    } else {
        if (l->srs_date == FC_DATE_NONE || r->date > l->srs_date) {
            l->srs_date = r->date;
            l->srs_min = r->total;
            l->srs_cutoff = fc_cutoff(l->s, (enum fc_scale)r->scale, l->birth, r->date);
        } else if (r->date == l->srs_date && r->total < l->srs_min) {
            l->srs_min = r->total;
        }
    }
    return 0;
}

static void fill_row(struct tui *t, struct fc_txn *txn, const struct ref *r,
                     const struct case_brief *b, struct tui_row *row)
{
    fc_date today = t->opts->today;
    struct fc_pupil p;
    struct fc_err err = { 0 };
    bool have_pupil = fc_pupil_get(txn, b->pupil_id, &p, &err) == FC_OK;

    row->case_id = b->id;
    row->coordinator = b->coordinator;
    row->secondary = b->secondary;
    row->team = b->team_id;
    row->open = b->status == FC_CASE_OPEN;
    row->phase_index = b->phase;
    row->ors = -1;
    if (have_pupil) {
        snprintf(row->pupil, sizeof row->pupil, "%s", p.name);
        snprintf(row->school, sizeof row->school, "%s", school_name(r, p.school_id));
        row->grade = p.grade;
    }

    const struct fc_phase_model *m = find_model(r, b->model_id);
    if (m && b->phase < m->nphases) {
        snprintf(row->phase, sizeof row->phase, "%s", m->phases[b->phase].name);
        static struct fc_case c;   /* big; only the fields days_left reads */
        c.phase = b->phase;
        c.status = b->status;
        c.concern_date = b->concern_date;
        c.closed_date = b->closed_date;
        snprintf(c.model_id, sizeof c.model_id, "%s", b->model_id);
        row->has_deadline = fc_case_days_left(m, &c, today, &row->days_left);
    }

    if (have_pupil) {
        struct latest l = { .s = &t->settings, .birth = p.birth_date,
                            .ors = -1, .srs_date = FC_DATE_NONE };
        fc_ratings_of_case(txn, b->id, on_latest_rating, &l);
        if (l.ors >= 0) {
            row->ors = l.ors;
            row->ors_cutoff = l.ors_cutoff;
            if (fc_below_cutoff(l.ors, l.ors_cutoff))
                row->flags |= FLAG_ORS_LOW;
        }
        if (l.srs_date != FC_DATE_NONE && fc_below_cutoff(l.srs_min, l.srs_cutoff))
            row->flags |= FLAG_SRS_LOW;

        struct days d = { 0 };
        absence_load(txn, r, p.id, today, &d);
        struct fc_absence_status st;
        fc_absence_status(&t->settings, &r->cal, d.dates.v, d.dates.n, today, &st);
        if (st.fit_eligible)
            row->flags |= FLAG_FIT_ABSENCE;
        free(d.dates.v);
        free(d.kinds.v);
    }

    char folded[2][FC_NAME_MAX * 3];
    fc_fold(row->pupil, folded[0], sizeof folded[0]);
    fc_fold(row->school, folded[1], sizeof folded[1]);
    snprintf(row->key, sizeof row->key, "%s\x1f%s\x1f#%u", folded[0], folded[1],
             (unsigned)b->id);
}

static void who_am_i(struct tui *t, struct fc_txn *txn, struct tui_list_data *out)
{
    struct fc_staff me;
    struct fc_err err = { 0 };
    if (t->opts->login && fc_staff_by_login(txn, t->opts->login, &me, &err) == FC_OK) {
        out->me = me.id;
        out->my_team = me.team_id;
    }
}

int data_load_list(struct tui *t, struct tui_list_data *out, struct fc_err *err)
{
    *out = (struct tui_list_data){ 0 };
    struct fc_txn *txn;
    if (fc_read_begin(t->st, &txn, err) != FC_OK)
        return err->code;
    struct ref r = { 0 };
    struct vec cases = { .size = sizeof(struct case_brief) };
    int rc = fc_settings_load(txn, &t->settings, err);
    if (rc == FC_ENOTFOUND) {
        fc_settings_default(&t->settings);
        rc = FC_OK;
    }
    if (rc == FC_OK)
        rc = ref_load(txn, &r, err);
    if (rc == FC_OK && fc_cases_each(txn, on_case, &cases) != 0) {
        rc = err->code = FC_EFULL;
        snprintf(err->msg, sizeof err->msg, "out of memory reading the cases");
    }
    if (rc == FC_OK) {
        who_am_i(t, txn, out);
        out->rows = calloc(cases.n ? cases.n : 1, sizeof *out->rows);
        if (!out->rows) {
            rc = err->code = FC_EFULL;
            snprintf(err->msg, sizeof err->msg, "out of memory for the case list");
        }
    }
    if (rc == FC_OK) {
        const struct case_brief *b = cases.v;
        for (size_t i = 0; i < cases.n; i++)
            fill_row(t, txn, &r, &b[i], &out->rows[i]);
        out->n = cases.n;
    }
    fc_read_end(txn);
    ref_free(&r);
    free(cases.v);
    return rc;
}

void data_free_list(struct tui_list_data *d)
{
    free(d->rows);
    *d = (struct tui_list_data){ 0 };
}

bool data_list_equal(const struct tui_list_data *a, const struct tui_list_data *b)
{
    return a->n == b->n && a->me == b->me && a->my_team == b->my_team &&
           (a->n == 0 || memcmp(a->rows, b->rows, a->n * sizeof *a->rows) == 0);
}

/* ---- the opened case ------------------------------------------------------- */

static int on_event(const struct fc_phase_event *e, void *ctx)
{
    return vec_push(ctx, e) ? 0 : 1;
}

static int on_meeting(const struct fc_meeting *m, void *ctx)
{
    return vec_push(ctx, m) ? 0 : 1;
}

struct score_ctx {
    struct vec v;
    const struct fc_settings *s;
    fc_date birth;
};

static int on_score(const struct fc_rating *r, void *ctx)
{
    struct score_ctx *sc = ctx;
    struct tui_score s = {
        .meeting_id = r->meeting_id, .scale = r->scale, .rater = r->rater,
        .total = r->total,
        .cutoff = fc_cutoff(sc->s, (enum fc_scale)r->scale, sc->birth, r->date),
    };
    snprintf(s.rater_name, sizeof s.rater_name, "%s", r->rater_name);
    return vec_push(&sc->v, &s) ? 0 : 1;
}

static void staff_name(struct fc_txn *txn, fc_id id, char *out, size_t cap)
{
    struct fc_staff s;
    struct fc_err err = { 0 };
    if (id && fc_staff_get(txn, id, &s, &err) == FC_OK)
        snprintf(out, cap, "%s", s.name);
}

static void load_strip(struct tui *t, struct fc_txn *txn, const struct ref *r,
                       struct tui_case_view *cv)
{
    fc_date today = t->opts->today;
    for (int i = 0; i < ABS_STRIP; i++) {
        cv->strip_day[i] = fc_school_day_back(&r->cal, today, ABS_STRIP - 1 - i);
        cv->strip_kind[i] = -1;
    }
    cv->strip_from = cv->strip_day[0];
    struct days d = { 0 };
    absence_load(txn, r, cv->p.id, today, &d);
    const fc_date *dates = d.dates.v;
    const uint8_t *kinds = d.kinds.v;
    for (size_t k = 0, i = 0; k < d.dates.n; k++) {
        while (i < ABS_STRIP && cv->strip_day[i] < dates[k])
            i++;
        if (i < ABS_STRIP && cv->strip_day[i] == dates[k])
            cv->strip_kind[i] = (signed char)kinds[k];
    }
    fc_absence_status(&t->settings, &r->cal, dates, d.dates.n, today, &cv->abs);
    free(d.dates.v);
    free(d.kinds.v);
}

/* The chart's data and the case's alerts, both against the team's own
 * expected curves (the cohort). The chart tab renders at whatever size the
 * pane has; without the data the tab says so. */
static void load_chart_and_alerts(struct tui *t, struct fc_txn *txn, fc_id id,
                                  struct tui_case_view *cv)
{
    struct fc_cohort cohort = { 0 };
    struct fc_err err = { 0 };
    if (fc_cohort_load(txn, &t->settings, &cohort, &err) != FC_OK) {
        fc_cohort_free(&cohort);
        return;
    }
    cv->chart = calloc(1, sizeof *cv->chart);
    if (cv->chart &&
        fc_chart_load(txn, &t->settings, &cohort, id, NULL, cv->chart, &err) != FC_OK) {
        free(cv->chart);
        cv->chart = NULL;
    }
    struct fc_alert alerts[12];
    int n = 0;
    if (fc_case_alerts_load(txn, &t->settings, &cohort, id, t->opts->today, alerts, 12,
                            &n, &err) == FC_OK)
        for (int i = 0; i < n && i < 12; i++)
            fc_alert_describe(&alerts[i], cv->alerts[cv->nalerts++], sizeof cv->alerts[0]);
    fc_cohort_free(&cohort);
}

static int load_case(struct tui *t, struct fc_txn *txn, fc_id id,
                     struct tui_case_view *cv, struct fc_err *err)
{
    int rc = fc_case_get(txn, id, &cv->c, err);
    if (rc == FC_ENOTFOUND) {
        cv->missing = true;
        return FC_OK;
    }
    if (rc != FC_OK)
        return rc;
    struct ref r = { 0 };
    if ((rc = ref_load(txn, &r, err)) != FC_OK)
        return rc;
    if (fc_pupil_get(txn, cv->c.pupil_id, &cv->p, err) == FC_OK)
        snprintf(cv->school, sizeof cv->school, "%s", school_name(&r, cv->p.school_id));
    staff_name(txn, cv->c.coordinator, cv->coordinator, sizeof cv->coordinator);
    staff_name(txn, cv->c.secondary, cv->secondary, sizeof cv->secondary);
    const struct fc_phase_model *m = find_model(&r, cv->c.model_id);
    if (m) {
        cv->model = *m;
        cv->has_deadline = fc_case_days_left(m, &cv->c, t->opts->today, &cv->days_left);
    }

    struct vec ev = { .size = sizeof(struct fc_phase_event) };
    struct vec mt = { .size = sizeof(struct fc_meeting) };
    struct score_ctx sc = { .v = { .size = sizeof(struct tui_score) },
                            .s = &t->settings, .birth = cv->p.birth_date };
    fc_phase_events_of_case(txn, id, on_event, &ev);
    fc_meetings_of_case(txn, id, on_meeting, &mt);
    fc_ratings_of_case(txn, id, on_score, &sc);
    cv->events = ev.v;
    cv->nevents = ev.n;
    cv->meetings = mt.v;
    cv->nmeetings = mt.n;
    cv->scores = sc.v.v;
    cv->nscores = sc.v.n;
    load_strip(t, txn, &r, cv);
    ref_free(&r);
    load_chart_and_alerts(t, txn, id, cv);
    return FC_OK;
}

int data_load_case(struct tui *t, fc_id id, struct tui_case_view *cv, struct fc_err *err)
{
    memset(cv, 0, sizeof *cv);
    struct fc_txn *txn;
    if (fc_read_begin(t->st, &txn, err) != FC_OK)
        return err->code;
    int rc = load_case(t, txn, id, cv, err);
    fc_read_end(txn);
    if (rc != FC_OK)
        data_free_case(cv);
    else
        cv->loaded = true;
    return rc;
}

void data_free_case(struct tui_case_view *cv)
{
    free(cv->events);
    free(cv->meetings);
    free(cv->scores);
    free(cv->chart);
    memset(cv, 0, sizeof *cv);
}
