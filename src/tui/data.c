/* Recalc: copies what the screen shows out of the store into structs the
 * TUI owns, each load in one short read transaction. Nothing here draws,
 * and nothing that draws reads the store. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/chart.h"
#include "fitcase/cohort_load.h"
#include "fitcase/date.h"
#include "fitcase/phase.h"
#include "fitcase/report.h"
#include "fitcase/score.h"
#include "fitcase/store.h"
#include "fitcase/store_list.h"
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
    struct vec schools;      /* struct fc_school, in id order */
    char (*school_fold)[FC_NAME_MAX * 3];   /* folded names, made when first asked */
    bool *folded;
    struct vec models;       /* struct fc_phase_model */
    struct vec holidays;     /* fc_date, ascending */
    struct fc_calendar cal;
    bool oom;
};

static int on_school(const struct fc_school *s, void *ctx)
{
    struct ref *r = ctx;
    struct fc_school copy = { .id = s->id };
    memcpy(copy.name, s->name, sizeof copy.name);
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

enum { REF_SCHOOLS = 1, REF_MODELS = 2, REF_CALENDAR = 4, REF_ALL = 7 };

static int ref_load(struct fc_txn *txn, struct ref *r, unsigned what, struct fc_err *err)
{
    r->schools.size = sizeof(struct fc_school);
    r->models.size = sizeof(struct fc_phase_model);
    r->holidays.size = sizeof(fc_date);
    if (what & REF_SCHOOLS)
        fc_schools_each(txn, on_school, r);
    if (what & REF_MODELS)
        fc_models_each(txn, on_model, r);
    if (what & REF_CALENDAR)
        fc_holidays_each(txn, on_holiday, r);
    if (r->oom) {
        err->code = FC_EFULL;
        snprintf(err->msg, sizeof err->msg, "out of memory reading the store");
        return err->code;
    }
    if (r->holidays.n > 1)   /* none: v is NULL, which qsort may not take */
        qsort(r->holidays.v, r->holidays.n, sizeof(fc_date), cmp_date);
    r->cal.holidays = r->holidays.v;
    r->cal.n = r->holidays.n;
    return FC_OK;
}

static void ref_free(struct ref *r)
{
    free(r->school_fold);
    free(r->folded);
    free(r->schools.v);
    free(r->models.v);
    free(r->holidays.v);
}

/* Schools come in id order: a binary search. */
static long school_index(const struct ref *r, fc_id id)
{
    const struct fc_school *s = r->schools.v;
    size_t lo = 0, hi = r->schools.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->schools.n && s[lo].id == id ? (long)lo : -1;
}

static const char *school_name(const struct ref *r, fc_id id)
{
    long i = school_index(r, id);
    return i >= 0 ? ((const struct fc_school *)r->schools.v)[i].name : "";
}

/* A school's name folded for the search key, once per load, not per row. */
static const char *school_fold(struct ref *r, fc_id id)
{
    long i = school_index(r, id);
    if (i < 0)
        return "";
    if (!r->school_fold) {
        r->school_fold = malloc(r->schools.n * sizeof *r->school_fold);
        r->folded = calloc(r->schools.n, sizeof *r->folded);
        if (!r->school_fold || !r->folded) {
            free(r->school_fold);
            free(r->folded);
            r->school_fold = NULL;
            r->folded = NULL;
            r->oom = true;
            return "";
        }
    }
    if (!r->folded[i]) {
        fc_fold(((const struct fc_school *)r->schools.v)[i].name, r->school_fold[i],
                sizeof r->school_fold[i]);
        r->folded[i] = true;
    }
    return r->school_fold[i];
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
static void absence_load(struct fc_txn *txn, const struct fc_calendar *cal, fc_id pupil,
                         fc_date today, struct days *d)
{
    d->dates.size = sizeof(fc_date);
    d->kinds.size = sizeof(uint8_t);
    fc_date q_first, q_last;
    fc_date_quarter(today, &q_first, &q_last);
    fc_date from = fc_school_day_back(cal, today, ABS_STRIP - 1);
    if (q_first < from)
        from = q_first;
    fc_absence_of_pupil(txn, pupil, from, today, on_absence, d);
}

/* ---- the case list ---------------------------------------------------------
 * The list reads only the cases the user may see, through the store's
 * indexes (fc_case_heads_each), each with its pupil: what sorting and
 * searching need. The ORS column and the flags are only shown, never
 * sorted or filtered on, so they are read for the rows on screen only
 * (data_fill_rows), when they first come into view. */

/* The latest ORS about the child (the child's own rating first), and the
 * lowest SRS at the last meeting that had any, read latest first: it stops
 * once both are known, usually within the last meeting. */
struct latest {
    const struct fc_settings *s;
    fc_date birth;
    int ors, ors_cutoff;          /* the child's latest: final when found */
    bool ors_child;
    int other, other_cutoff;      /* else the latest by anyone */
    bool have_other;
    fc_date srs_date;
    int srs_min, srs_cutoff;
    bool srs_done;                /* past the last SRS date */
};

static int on_latest_rating(const struct fc_rating *r, void *ctx)
{
    struct latest *l = ctx;
    if (l->srs_date != FC_DATE_NONE && r->date < l->srs_date)
        l->srs_done = true;
    if (r->total >= 0 && fc_scale_is_outcome((enum fc_scale)r->scale)) {
        if (!l->ors_child && r->rater == FC_RATER_CHILD) {
            l->ors = r->total;
            l->ors_cutoff = fc_cutoff(l->s, (enum fc_scale)r->scale, l->birth, r->date);
            l->ors_child = true;
        } else if (!l->ors_child && !l->have_other) {
            l->other = r->total;
            l->other_cutoff = fc_cutoff(l->s, (enum fc_scale)r->scale, l->birth, r->date);
            l->have_other = true;
        }
    } else if (r->total >= 0 && !l->srs_done) {
        /* Going backwards, the last SRS seen at the last date is the first
         * of that meeting day: its cut-off is the one that counts. */
        if (l->srs_date == FC_DATE_NONE || r->total < l->srs_min)
            l->srs_min = r->total;
        l->srs_date = r->date;
        l->srs_cutoff = fc_cutoff(l->s, (enum fc_scale)r->scale, l->birth, r->date);
    }
    return l->ors_child && l->srs_done;
}

/* The ORS column and the flags of one row. */
static void fill_details(struct tui *t, struct fc_txn *txn, const struct fc_calendar *cal,
                         struct tui_row *row)
{
    fc_date today = t->opts->today;
    row->detailed = true;
    if (!row->pupil_id)
        return;
    struct latest l = { .s = &t->settings, .birth = row->birth, .ors = -1,
                        .srs_date = FC_DATE_NONE };
    fc_ratings_of_case_desc(txn, row->case_id, on_latest_rating, &l);
    if (!l.ors_child && l.have_other) {
        l.ors = l.other;
        l.ors_cutoff = l.other_cutoff;
    }
    if (l.ors >= 0) {
        row->ors = l.ors;
        row->ors_cutoff = l.ors_cutoff;
        if (fc_below_cutoff(l.ors, l.ors_cutoff))
            row->flags |= FLAG_ORS_LOW;
    }
    if (l.srs_date != FC_DATE_NONE && fc_below_cutoff(l.srs_min, l.srs_cutoff))
        row->flags |= FLAG_SRS_LOW;

    struct days d = { 0 };
    absence_load(txn, cal, row->pupil_id, today, &d);
    struct fc_absence_status st;
    fc_absence_status(&t->settings, cal, d.dates.v, d.dates.n, today, &st);
    if (st.fit_eligible)
        row->flags |= FLAG_FIT_ABSENCE;
    free(d.dates.v);
    free(d.kinds.v);
}

struct list_load {
    struct tui *t;
    struct ref *r;
    struct vec rows;         /* struct tui_row */
};

static int on_case_head(const struct fc_case_head *h, void *ctx)
{
    struct list_load *ll = ctx;
    struct ref *r = ll->r;
    /* Rows compare with memcmp (data_list_equal): padding zeroed too. */
    struct tui_row row;
    memset(&row, 0, sizeof row);
    row.case_id = h->id;
    row.coordinator = h->coordinator;
    row.secondary = h->secondary;
    row.team = h->team_id;
    row.open = h->status == FC_CASE_OPEN;
    row.phase_index = h->phase;
    row.ors = -1;
    if (h->have_pupil) {
        row.pupil_id = h->pupil_id;
        row.birth = h->birth_date;
        fc_strlcpy_utf8(row.pupil, h->pupil_name, sizeof row.pupil);
        fc_strlcpy_utf8(row.school, school_name(r, h->school_id), sizeof row.school);
        row.grade = h->grade;
    }
    const struct fc_phase_model *m = find_model(r, h->model_id);
    if (m && h->phase < m->nphases) {
        fc_strlcpy_utf8(row.phase, m->phases[h->phase].name, sizeof row.phase);
        static struct fc_case c;   /* big; only the fields days_left reads */
        c.phase = h->phase;
        c.status = h->status;
        c.concern_date = h->concern_date;
        c.closed_date = h->closed_date;
        memcpy(c.model_id, h->model_id, sizeof c.model_id);
        row.has_deadline = fc_case_days_left(m, &c, ll->t->opts->today, &row.days_left);
    }
    /* The search key: folded name, folded school, #id. Folding never
     * lengthens (text.h), so all three fit. */
    char num[16];
    size_t at = fc_fold(row.pupil, row.key, sizeof row.key - sizeof num - 2);
    const char *school = h->have_pupil ? school_fold(r, h->school_id) : "";
    size_t ns = strlen(school);
    if (at + 1 + ns + 1 + sizeof num < sizeof row.key) {
        row.key[at++] = '\x1f';
        memcpy(row.key + at, school, ns);
        at += ns;
    } else {
        row.key[at++] = '\x1f';
    }
    snprintf(num, sizeof num, "\x1f#%u", (unsigned)h->id);
    memcpy(row.key + at, num, strlen(num) + 1);
    return vec_push(&ll->rows, &row) ? 0 : 1;
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

/* A reload fills the ORS and flags of every row the list had filled, so
 * the two loads compare equal unless something shown changed. Both are
 * in case id order. */
static void refill_details(struct tui *t, struct fc_txn *txn, const struct fc_calendar *cal,
                           const struct tui_list_data *old, struct tui_list_data *d)
{
    size_t j = 0;
    for (size_t i = 0; old && i < d->n; i++) {
        while (j < old->n && old->rows[j].case_id < d->rows[i].case_id)
            j++;
        if (j < old->n && old->rows[j].case_id == d->rows[i].case_id && old->rows[j].detailed)
            fill_details(t, txn, cal, &d->rows[i]);
    }
}

int data_load_list(struct tui *t, struct tui_list_data *out, struct fc_err *err)
{
    const struct tui_list_data *old = out == &t->data ? NULL : &t->data;
    *out = (struct tui_list_data){ 0 };
    struct fc_txn *txn;
    if (fc_read_begin(t->st, &txn, err) != FC_OK)
        return err->code;
    struct ref r = { 0 };
    struct list_load ll = { .t = t, .r = &r, .rows = { .size = sizeof(struct tui_row) } };
    int rc = fc_settings_load(txn, &t->settings, err);
    if (rc == FC_ENOTFOUND) {
        fc_settings_default(&t->settings);
        rc = FC_OK;
    }
    if (rc == FC_OK)
        rc = ref_load(txn, &r, old ? REF_ALL : REF_SCHOOLS | REF_MODELS, err);
    if (rc == FC_OK && (fc_case_heads_each(txn, on_case_head, &ll) != 0 || r.oom)) {
        rc = err->code = FC_EFULL;
        snprintf(err->msg, sizeof err->msg, "out of memory reading the cases");
    }
    if (rc == FC_OK) {
        who_am_i(t, txn, out);
        out->rows = ll.rows.v;
        out->n = ll.rows.n;
        ll.rows.v = NULL;
        refill_details(t, txn, &r.cal, old, out);
    }
    fc_read_end(txn);
    ref_free(&r);
    free(ll.rows.v);
    return rc;
}

void data_fill_rows(struct tui *t, size_t from, size_t to)
{
    size_t i = from;
    while (i < to && i < t->nvis && t->data.rows[t->vis[i]].detailed)
        i++;
    if (i >= to || i >= t->nvis)
        return;
    struct fc_txn *txn;
    struct fc_err err = { 0 };
    if (fc_read_begin(t->st, &txn, &err) != FC_OK)
        return;
    struct ref r = { 0 };
    if (ref_load(txn, &r, REF_CALENDAR, &err) == FC_OK)
        for (; i < to && i < t->nvis; i++)
            if (!t->data.rows[t->vis[i]].detailed)
                fill_details(t, txn, &r.cal, &t->data.rows[t->vis[i]]);
    fc_read_end(txn);
    ref_free(&r);
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
    absence_load(txn, &r->cal, cv->p.id, today, &d);
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

/* The cohort of expected change: every outcome series in reach, read from
 * the store's series table. Kept while the store's generation stays, so
 * opening the next case reads nothing again; one TUI per process. */
static struct {
    bool valid;
    uint64_t gen;
    struct fc_cohort cohort;
} cohort_cache;

static const struct fc_cohort *cohort_for(struct tui *t, struct fc_txn *txn)
{
    if (cohort_cache.valid && cohort_cache.gen == t->gen)
        return &cohort_cache.cohort;
    fc_cohort_free(&cohort_cache.cohort);
    cohort_cache.valid = false;
    /* The list has every case in reach with its pupil's birth date, in case
     * id order: the cohort needs no pupil of its own. */
    struct fc_vec births = { 0 };
    for (size_t i = 0; i < t->data.n; i++) {
        const struct tui_row *r = &t->data.rows[i];
        struct fc_case_birth cb = { r->case_id, r->pupil_id, r->birth };
        if (r->pupil_id && fc_vec_push(&births, &cb, sizeof cb) != FC_OK) {
            fc_vec_free(&births);
            break;
        }
    }
    struct fc_err err = { 0 };
    int rc = fc_cohort_load_series(txn, &t->settings, births.n ? &births : NULL,
                                   &cohort_cache.cohort, &err);
    fc_vec_free(&births);
    if (rc != FC_OK)
        return NULL;
    cohort_cache.valid = true;
    cohort_cache.gen = t->gen;
    return &cohort_cache.cohort;
}

/* The chart's data and the case's alerts, both against the team's own
 * expected curves (the cohort). The chart tab renders at whatever size the
 * pane has; without the data the tab says so. */
static void load_chart_and_alerts(struct tui *t, struct fc_txn *txn, fc_id id,
                                  struct tui_case_view *cv)
{
    struct fc_err err = { 0 };
    const struct fc_cohort *cohort = cohort_for(t, txn);
    if (!cohort)
        return;
    cv->chart = calloc(1, sizeof *cv->chart);
    if (cv->chart &&
        fc_chart_load(txn, &t->settings, cohort, id, NULL, cv->chart, &err) != FC_OK) {
        free(cv->chart);
        cv->chart = NULL;
    }
    struct fc_alert alerts[12];
    int n = 0;
    if (fc_case_alerts_load(txn, &t->settings, cohort, id, t->opts->today, alerts, 12,
                            &n, &err) == FC_OK)
        for (int i = 0; i < n && i < 12; i++)
            fc_alert_describe(&alerts[i], cv->alerts[cv->nalerts++], sizeof cv->alerts[0]);
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
    if ((rc = ref_load(txn, &r, REF_MODELS | REF_CALENDAR, err)) != FC_OK)
        return rc;
    struct fc_school school;
    struct fc_err ignore = { 0 };
    if (fc_pupil_get(txn, cv->c.pupil_id, &cv->p, err) == FC_OK && cv->p.school_id &&
        fc_school_get(txn, cv->p.school_id, &school, &ignore) == FC_OK)
        fc_strlcpy_utf8(cv->school, school.name, sizeof cv->school);
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
