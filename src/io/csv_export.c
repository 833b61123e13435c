/* CSV export of every kind: the import columns under their English names,
 * read in one transaction, so what is written imports back unchanged. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fitcase/absence.h"
#include "fitcase/csv_internal.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/score.h"

struct exp {
    struct fc_txn *txn;
    const struct fc_export_opts *o;
    struct fc_csv_writer w;
    struct fc_err *err;
    /* small caches: names of the last school, staff, team and model seen */
    struct fc_school school;
    struct fc_staff staff;
    struct fc_team team;
    struct fc_phase_model model;
    bool have_model;
    fc_id *ids;              /* case or pupil ids collected before nesting */
    size_t nids, capids;
};

static bool in_range(const struct exp *e, fc_date d)
{
    if (e->o->from != FC_DATE_NONE && d < e->o->from)
        return false;
    if (e->o->to != FC_DATE_NONE && d > e->o->to)
        return false;
    return true;
}

static void header(struct exp *e, enum fc_csv_kind k)
{
    const struct fc_csv_kind_def *def = &fc_csv_kinds[k];
    for (size_t c = 0; c < def->ncols; c++)
        fc_csv_put(&e->w, def->cols[c].name);
    fc_csv_end_row(&e->w);
}

static const char *school_name(struct exp *e, fc_id id)
{
    if (id == 0)
        return "";
    if (e->school.id != id &&
        fc_school_get(e->txn, id, &e->school, &(struct fc_err){ 0 }) != FC_OK)
        return "";
    return e->school.name;
}

static const char *staff_login(struct exp *e, fc_id id)
{
    if (id == 0)
        return "";
    if (e->staff.id != id &&
        fc_staff_get(e->txn, id, &e->staff, &(struct fc_err){ 0 }) != FC_OK)
        return "";
    return e->staff.login;
}

static const char *team_name(struct exp *e, fc_id id)
{
    if (id == 0)
        return "";
    if (e->team.id != id && fc_team_get(e->txn, id, &e->team, &(struct fc_err){ 0 }) != FC_OK)
        return "";
    return e->team.name;
}

static const struct fc_phase_model *model_of(struct exp *e, const char *id)
{
    if (e->have_model && strcmp(e->model.id, id) == 0)
        return &e->model;
    e->have_model = false;
    if (fc_model_get(e->txn, id, &e->model, &(struct fc_err){ 0 }) != FC_OK) {
        const struct fc_phase_model *b = fc_builtin_model_find(id);
        if (!b)
            return NULL;
        e->model = *b;
    }
    e->have_model = true;
    return &e->model;
}

static int add_id(struct exp *e, fc_id id)
{
    if (e->nids == e->capids) {
        size_t cap = e->capids ? e->capids * 2 : 256;
        fc_id *n = realloc(e->ids, cap * sizeof *n);
        if (!n) {
            e->err->code = FC_ESTORE;
            snprintf(e->err->msg, sizeof e->err->msg, "%s", _("out of memory"));
            return FC_ESTORE;
        }
        e->ids = n;
        e->capids = cap;
    }
    e->ids[e->nids++] = id;
    return 0;
}

/* ---- rows --------------------------------------------------------------- */

static int pupil_row(const struct fc_pupil *p, void *ctx)
{
    struct exp *e = ctx;
    fc_csv_put_int(&e->w, p->id);
    fc_csv_put(&e->w, p->name);
    fc_csv_put_date(&e->w, p->birth_date);
    fc_csv_put_int(&e->w, p->grade);
    fc_csv_put(&e->w, school_name(e, p->school_id));
    fc_csv_put_list(&e->w, p->nguardians, p->guardians[0], sizeof p->guardians[0]);
    fc_csv_end_row(&e->w);
    return 0;
}

static int case_row(const struct fc_case *c, void *ctx)
{
    struct exp *e = ctx;
    if (!in_range(e, c->concern_date))
        return 0;
    const struct fc_phase_model *m = model_of(e, c->model_id);
    char phase[12];
    snprintf(phase, sizeof phase, "%d", c->phase + 1);
    fc_csv_put_int(&e->w, c->id);
    fc_csv_put_int(&e->w, c->pupil_id);
    fc_csv_put_date(&e->w, c->concern_date);
    fc_csv_put(&e->w, c->model_id);
    fc_csv_put(&e->w, m && c->phase < m->nphases ? m->phases[c->phase].name : phase);
    fc_csv_put(&e->w, staff_login(e, c->coordinator));
    fc_csv_put(&e->w, c->status == FC_CASE_CLOSED ? "closed" : "open");
    fc_csv_put_date(&e->w, c->status == FC_CASE_CLOSED ? c->closed_date : FC_DATE_NONE);
    fc_csv_end_row(&e->w);
    return 0;
}

static int meeting_row(const struct fc_meeting *m, void *ctx)
{
    struct exp *e = ctx;
    if (!in_range(e, m->date))
        return 0;
    fc_csv_put_int(&e->w, m->case_id);
    fc_csv_put_date(&e->w, m->date);
    fc_csv_put(&e->w, fc_meeting_kind_code(m->kind));
    fc_csv_put_list(&e->w, m->nparticipants, m->participants[0], sizeof m->participants[0]);
    fc_csv_put(&e->w, m->notes);
    fc_csv_put(&e->w, m->agreements);
    fc_csv_end_row(&e->w);
    return 0;
}

static int rating_row(const struct fc_rating *r, void *ctx)
{
    struct exp *e = ctx;
    if (!in_range(e, r->date))
        return 0;
    fc_csv_put_int(&e->w, r->case_id);
    fc_csv_put_date(&e->w, r->date);
    fc_csv_put(&e->w, fc_scale_code(r->scale));
    fc_csv_put(&e->w, fc_rater_code(r->rater));
    fc_csv_put(&e->w, r->rater_name);
    for (int i = 0; i < FC_ITEMS; i++)
        fc_csv_put_tenths(&e->w, r->items[i]);
    fc_csv_put_tenths(&e->w, r->total);
    fc_csv_end_row(&e->w);
    return 0;
}

static int absence_row(const struct fc_absence *a, void *ctx)
{
    struct exp *e = ctx;
    if (!in_range(e, a->date))
        return 0;
    fc_csv_put_int(&e->w, a->pupil_id);
    fc_csv_put_date(&e->w, a->date);
    fc_csv_put(&e->w, fc_absence_kind_code(a->kind));
    fc_csv_end_row(&e->w);
    return 0;
}

static int holiday_row(const struct fc_holiday *h, void *ctx)
{
    struct exp *e = ctx;
    if (!in_range(e, h->date))
        return 0;
    fc_csv_put_date(&e->w, h->date);
    fc_csv_put(&e->w, h->description);
    fc_csv_end_row(&e->w);
    return 0;
}

static int staff_row(const struct fc_staff *s, void *ctx)
{
    struct exp *e = ctx;
    fc_csv_put(&e->w, s->login);
    fc_csv_put(&e->w, s->name);
    fc_csv_put(&e->w, fc_role_code(s->role));
    fc_csv_put(&e->w, team_name(e, s->team_id));
    fc_csv_end_row(&e->w);
    return 0;
}

static int collect_case(const struct fc_case *c, void *ctx)
{
    return add_id(ctx, c->id);
}

/* ---- kinds -------------------------------------------------------------- */

/* The cases to walk: the one asked for, or all (ids first, so the nested
 * walks never run inside another cursor's callback). */
static int case_ids(struct exp *e)
{
    if (e->o->case_id) {
        struct fc_case c;
        if (fc_case_get(e->txn, e->o->case_id, &c, e->err) != FC_OK)
            return e->err->code;
        return add_id(e, c.id);
    }
    return fc_cases_each(e->txn, collect_case, e);
}

static int export_kind(struct exp *e, enum fc_csv_kind kind)
{
    int rc = 0;
    struct fc_case c;
    switch (kind) {
    case FC_CSV_PUPILS:
        if (!e->o->case_id)
            return fc_pupils_each(e->txn, pupil_row, e);
        if (fc_case_get(e->txn, e->o->case_id, &c, e->err) != FC_OK)
            return e->err->code;
        {
            struct fc_pupil p;
            if (fc_pupil_get(e->txn, c.pupil_id, &p, e->err) != FC_OK)
                return e->err->code;
            return pupil_row(&p, e);
        }
    case FC_CSV_CASES:
        if (!e->o->case_id)
            return fc_cases_each(e->txn, case_row, e);
        if (fc_case_get(e->txn, e->o->case_id, &c, e->err) != FC_OK)
            return e->err->code;
        return case_row(&c, e);
    case FC_CSV_MEETINGS:
    case FC_CSV_RATINGS:
        if ((rc = case_ids(e)) != 0)
            return rc;
        for (size_t i = 0; i < e->nids && rc == 0; i++)
            rc = kind == FC_CSV_MEETINGS
                   ? fc_meetings_of_case(e->txn, e->ids[i], meeting_row, e)
                   : fc_ratings_of_case(e->txn, e->ids[i], rating_row, e);
        return rc;
    case FC_CSV_ABSENCE:
        if (!e->o->case_id)
            return fc_absence_each(e->txn, absence_row, e);
        if (fc_case_get(e->txn, e->o->case_id, &c, e->err) != FC_OK)
            return e->err->code;
        return fc_absence_of_pupil(e->txn, c.pupil_id, e->o->from, e->o->to, absence_row, e);
    case FC_CSV_CALENDAR:
        return fc_holidays_each(e->txn, holiday_row, e);
    case FC_CSV_STAFF:
        return fc_staff_each(e->txn, staff_row, e);
    case FC_CSV_KIND_COUNT:
        break;
    }
    return FC_EINVAL;
}

int fc_csv_export(struct fc_store *st, enum fc_csv_kind kind, FILE *out,
                  const struct fc_export_opts *opts, struct fc_err *err)
{
    if ((unsigned)kind >= FC_CSV_KIND_COUNT) {
        err->code = FC_EINVAL;
        snprintf(err->msg, sizeof err->msg, "%s", _("unknown kind of record"));
        return FC_EINVAL;
    }
    struct exp e = { .o = opts, .err = err };
    e.w.out = out;
    if (opts->excel) {
        e.w.delimiter = ';';
        e.w.decimal = ',';
        e.w.crlf = true;
        fputs("\xEF\xBB\xBF", out);
    }
    if (fc_read_begin(st, &e.txn, err) != FC_OK)
        return err->code;
    header(&e, kind);
    int rc = export_kind(&e, kind);
    fc_read_end(e.txn);
    free(e.ids);
    if (rc != 0) {
        if (!err->msg[0]) {
            err->code = rc;
            snprintf(err->msg, sizeof err->msg, _("the %s export stopped on a store error"),
                     fc_csv_kind_name(kind));
        }
        return err->code ? err->code : rc;
    }
    if (fflush(out) != 0 || ferror(out)) {
        err->code = FC_ESTORE;
        snprintf(err->msg, sizeof err->msg, "%s", _("could not write the CSV output"));
        return FC_ESTORE;
    }
    return FC_OK;
}
