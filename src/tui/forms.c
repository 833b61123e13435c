/* The domain's forms: which fields, what each accepts, and the one write
 * transaction a save is. Lookups and the edited records are read in one
 * short read transaction when a form opens; the version read then is the
 * one the save checks, so nobody's later save is silently overwritten. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "fitcase/absence.h"
#include "fitcase/csv.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/score.h"
#include "fitcase/store.h"
#include "fitcase/text.h"
#include "form.h"

static const char *const exclusion_labels[FC_EXCL_COUNT] = {
    N_("Child-welfare investigation running"),
    N_("Action plan with ongoing intervention"),
    N_("Assessed at child psychiatry (BUA)"),
    N_("Substance abuse"),
    N_("Severe anxiety or depression"),
};

enum { ROW_ORS = 1, ROW_INTERVENTION = 100, INTERVENTION_ROWS = 5, GOAL_ROWS = 6 };

/* The columns of a rating row: rater, name (for "other", or a named
 * teacher), scale, four items, the total and the row's first error. */
enum { X_RATER = 4, W_RATER = 10, X_NAME = 15, W_NAME = 7, X_SCALE = 23, W_SCALE = 5,
       X_ITEM = 29, X_STEP = 5, W_ITEM = 4, X_TOTAL = 48, X_ERR = 54 };

/* Meeting forms: ORS rows first, then SRS rows. */
static int srs_first(const struct form *fm)
{
    return ROW_ORS + fm->ors_rows;
}

static int rows_end(const struct form *fm)
{
    return srs_first(fm) + fm->srs_rows;
}

static bool row_is_srs(const struct form *fm, int row)
{
    return row >= srs_first(fm);
}

static bool is_rating_row(const struct form *fm, int row)
{
    return fm->kind == FORM_MEETING && row >= ROW_ORS && row < rows_end(fm);
}

/* The field of a rating row: "rater", "name", "scale", "i1".."i4". */
static struct field *row_field(struct form *fm, int row, const char *what)
{
    char key[24];
    bool srs = row_is_srs(fm, row);
    snprintf(key, sizeof key, "%s%d.%s", srs ? "srs" : "ors", srs ? row - srs_first(fm) + 1 : row,
             what);
    return form_field(fm, key);
}

/* The column a grid field is: its key after the dot. */
static const char *column_of(const struct field *f)
{
    const char *dot = strchr(f->key, '.');
    return dot ? dot + 1 : "";
}

/* ---- loading --------------------------------------------------------------- */

struct load {
    struct form *fm;
    bool oom;
};

static int on_school(const struct fc_school *s, void *ctx)
{
    choices_add(&((struct load *)ctx)->fm->schools, s->name, (long)s->id);
    return 0;
}

static int on_staff(const struct fc_staff *s, void *ctx)
{
    if (s->active)
        choices_add(&((struct load *)ctx)->fm->staff, s->name, (long)s->id);
    return 0;
}

static int on_pupil(const struct fc_pupil *p, void *ctx)
{
    struct load *l = ctx;
    struct form *fm = l->fm;
    struct fc_pupil *v = realloc(fm->pupil_recs, (fm->npupil_recs + 1) * sizeof *v);
    if (!v) {
        l->oom = true;
        return 1;
    }
    fm->pupil_recs = v;
    v[fm->npupil_recs] = *p;
    choices_add(&fm->pupils, p->name, (long)fm->npupil_recs++);
    return 0;
}

static int on_model(const struct fc_phase_model *m, void *ctx)
{
    struct form *fm = ((struct load *)ctx)->fm;
    int n = fm->models.n;
    if (n >= (int)(sizeof fm->model_ids / sizeof fm->model_ids[0]))
        return 0;
    for (int i = 0; i < n; i++)
        if (strcmp(fm->model_ids[i], m->id) == 0)
            return 0;
    snprintf(fm->model_ids[n], FC_MODEL_ID_MAX, "%s", m->id);
    choices_add(&fm->models, m->name, n);
    return 0;
}

static int on_holiday(const struct fc_holiday *h, void *ctx)
{
    struct load *l = ctx;
    struct form *fm = l->fm;
    fc_date *v = realloc(fm->holidays, (fm->nholidays + 1) * sizeof *v);
    if (!v) {
        l->oom = true;
        return 1;
    }
    fm->holidays = v;
    v[fm->nholidays++] = h->date;
    return 0;
}

static int cmp_date(const void *a, const void *b)
{
    fc_date x = *(const fc_date *)a, y = *(const fc_date *)b;
    return x < y ? -1 : x > y;
}

static int on_rating(const struct fc_rating *r, void *ctx)
{
    struct load *l = ctx;
    struct form *fm = l->fm;
    struct fc_rating *v = realloc(fm->ratings, (fm->nratings + 1) * sizeof *v);
    if (!v) {
        l->oom = true;
        return 1;
    }
    fm->ratings = v;
    v[fm->nratings++] = *r;
    return 0;
}

/* A meeting to edit or delete, with its ratings. */
static int load_meeting(struct fc_txn *txn, struct load *l, struct fc_err *err)
{
    struct form *fm = l->fm;
    int rc = fc_meeting_get(txn, fm->meeting_id, &fm->meeting, err);
    if (rc == FC_ENOTFOUND) {
        snprintf(err->msg, sizeof err->msg, "%s",
                 _("The meeting no longer exists: someone deleted it."));
        return rc;
    }
    if (rc == FC_OK && fm->meeting.case_id != fm->case_id) {
        err->code = rc = FC_EINVAL;
        snprintf(err->msg, sizeof err->msg, _("Meeting %u is not a meeting of case #%u."),
                 (unsigned)fm->meeting_id, (unsigned)fm->case_id);
    }
    if (rc == FC_OK) {
        int w = fc_ratings_of_meeting(txn, fm->meeting_id, on_rating, l);
        if (w < 0 && !l->oom) {
            err->code = rc = -w;
            snprintf(err->msg, sizeof err->msg, "%s", _("The meeting's ratings cannot be read."));
        }
    }
    return rc;
}


static int get_model(struct fc_txn *txn, const char *id, struct fc_phase_model *m)
{
    struct fc_err e = { 0 };
    if (fc_model_get(txn, id, m, &e) == FC_OK)
        return FC_OK;
    const struct fc_phase_model *b = fc_builtin_model_find(id);
    if (!b)
        return FC_ENOTFOUND;
    *m = *b;
    return FC_OK;
}

static int load(struct tui *t, struct form *fm, struct fc_err *err)
{
    struct fc_txn *txn;
    int rc = fc_read_begin(t->st, &txn, err);
    if (rc != FC_OK)
        return rc;
    struct load l = { .fm = fm };
    if (fm->case_id) {
        rc = fc_case_get(txn, fm->case_id, &fm->base, err);
        if (rc == FC_OK)
            rc = fc_pupil_get(txn, fm->base.pupil_id, &fm->pupil, err);
        if (rc == FC_OK && get_model(txn, fm->base.model_id, &fm->model) != FC_OK)
            memset(&fm->model, 0, sizeof fm->model);
    }
    if (rc == FC_OK && fm->kind == FORM_CASE_NEW) {
        fc_schools_each(txn, on_school, &l);
        fc_staff_each(txn, on_staff, &l);
        fc_pupils_each(txn, on_pupil, &l);
        fc_models_each(txn, on_model, &l);
        for (size_t i = 0; i < fc_builtin_model_count(); i++)
            on_model(fc_builtin_model(i), &l);
    }
    if (rc == FC_OK && fm->kind == FORM_CASE_EDIT) {
        fc_schools_each(txn, on_school, &l);
        fc_staff_each(txn, on_staff, &l);
        /* Who works the case now stays pickable, active or not. */
        fc_id who[2] = { fm->base.coordinator, fm->base.secondary };
        for (int i = 0; i < 2; i++) {
            struct fc_staff s;
            bool listed = false;
            for (int k = 0; k < fm->staff.n; k++)
                listed |= fm->staff.id[k] == (long)who[i];
            if (who[i] && !listed && fc_staff_get(txn, who[i], &s, &(struct fc_err){ 0 }) == FC_OK)
                choices_add(&fm->staff, s.name, (long)s.id);
        }
    }
    if (rc == FC_OK && fm->kind == FORM_MEETING && fm->meeting_id)
        rc = load_meeting(txn, &l, err);
    if (rc == FC_OK && fm->kind == FORM_ABSENCE) {
        fc_holidays_each(txn, on_holiday, &l);
        if (fm->nholidays)
            qsort(fm->holidays, fm->nholidays, sizeof *fm->holidays, cmp_date);
    }
    fc_read_end(txn);
    if (rc == FC_OK && l.oom) {
        err->code = rc = FC_EFULL;
        snprintf(err->msg, sizeof err->msg, "%s", _("out of memory"));
    }
    return rc;
}

static void model_id_of(struct form *fm, long idx, char out[FC_MODEL_ID_MAX])
{
    out[0] = '\0';
    if (idx >= 0 && idx < fm->models.n)
        snprintf(out, FC_MODEL_ID_MAX, "%s", fm->model_ids[idx]);
}

/* ---- building ---------------------------------------------------------------- */

static struct field *add(struct form *fm, enum fkind k, const char *key, const char *label,
                         int y, int w, bool required)
{
    struct field *f = form_add(fm, k, key, label);
    if (f) {
        f->y = y;
        f->w = w;
        f->required = required;
    }
    return f;
}

static struct field *cell(struct form *fm, enum fkind k, const char *key, int y, int x, int w,
                          int row)
{
    struct field *f = form_add(fm, k, key, NULL);
    if (f) {
        f->y = y;
        f->x = x;
        f->w = w;
        f->row = row;
    }
    return f;
}

static void set_date(struct form *fm, const char *key, fc_date d)
{
    char buf[11];
    fc_date_format_dk(d, buf);
    form_set(fm, key, d == FC_DATE_NONE ? "" : buf);
}

static void join_list(const char (*items)[FC_NAME_MAX], int n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", items[i]);
}

static void build_case_new(struct tui *t, struct form *fm)
{
    snprintf(fm->title, sizeof fm->title, "%s", _("New case"));
    int y = 0;
    struct field *f = add(fm, FK_COMBO, "pupil", _("Pupil (new or existing)"), y++, 32, true);
    f->ch = &fm->pupils;
    add(fm, FK_DATE, "birth", _("Date of birth"), y++, 12, true);
    f = add(fm, FK_NUMBER, "grade", _("Grade"), y++, 4, true);
    f->lo = 0;
    f->hi = 10;
    f = add(fm, FK_PICK, "school", _("School"), y++, 32, true);
    f->ch = &fm->schools;
    add(fm, FK_LIST, "guardians", _("Guardians (comma between)"), y++, 40, false);
    add(fm, FK_DATE, "concern", _("Date of the concern"), y++, 12, true);
    f = add(fm, FK_PICK, "model", _("Phase model"), y++, 32, true);
    f->ch = &fm->models;
    f = add(fm, FK_PICK, "coordinator", _("Coordinator"), y++, 32, true);
    f->ch = &fm->staff;
    f = add(fm, FK_PICK, "secondary", _("Secondary contact"), y++, 32, false);
    f->ch = &fm->staff;
    add(fm, FK_LIST, "consent", _("Consent: may contact (comma between)"), y++, 40, false);
    form_label(fm, y++, 2, A_BOLD, _("Intake: does any of these apply? (yes/no)"));
    for (int i = 0; i < FC_EXCL_COUNT; i++) {
        char key[16];
        snprintf(key, sizeof key, "excl%d", i + 1);
        f = add(fm, FK_PICK, key, _(exclusion_labels[i]), y++, 6, true);
        f->ch = &fm->yesno;
    }
    add(fm, FK_TEXT, "reason", _("Reason to take it anyway"), y++, 40, false);

    set_date(fm, "concern", fm->today);
    for (int i = 0; i < FC_EXCL_COUNT; i++) {
        char key[16];
        snprintf(key, sizeof key, "excl%d", i + 1);
        form_set(fm, key, _("no"));
    }
    if (fm->models.n)
        form_set(fm, "model", fc_builtin_model_find("fit") ? fc_builtin_model_find("fit")->name
                                                           : fm->models.label[0]);
    /* The acting user coordinates by default. */
    struct fc_txn *txn;
    struct fc_err e = { 0 };
    if (t->opts->login && fc_read_begin(t->st, &txn, &e) == FC_OK) {
        struct fc_staff s;
        if (fc_staff_by_login(txn, t->opts->login, &s, &e) == FC_OK)
            form_set(fm, "coordinator", s.name);
        fc_read_end(txn);
    }
}

static void set_pick(struct field *f, long id);

static void build_case_edit(struct form *fm)
{
    snprintf(fm->title, sizeof fm->title, _("Case details: %s #%u"), fm->pupil.name,
             (unsigned)fm->case_id);
    int y = 0;
    char buf[FC_TEXT_MAX];
    add(fm, FK_LIST, "consent", _("Consent: may contact (comma between)"), y++, 44, false);
    join_list(fm->base.consent, fm->base.nconsent, buf, sizeof buf);
    form_set(fm, "consent", buf);
    form_label(fm, y++, 2, A_BOLD, _("Agreement sheet: goals"));
    for (int i = 0; i < GOAL_ROWS; i++) {
        char key[16];
        snprintf(key, sizeof key, "goal%d", i + 1);
        static const char *const goal[GOAL_ROWS] = { N_("Goal 1"), N_("Goal 2"), N_("Goal 3"),
                                                     N_("Goal 4"), N_("Goal 5"), N_("Goal 6") };
        add(fm, FK_TEXT, key, _(goal[i]), y++, 56, false);
        if (i < fm->base.ngoals)
            form_set(fm, key, fm->base.goals[i]);
    }
    form_label(fm, y++, 2, A_BOLD, _("Interventions: kind, start, end (empty while ongoing), who"));
    for (int i = 0; i < INTERVENTION_ROWS; i++, y++) {
        char key[24];
        int row = ROW_INTERVENTION + i;
        snprintf(key, sizeof key, "int%d.kind", i + 1);
        cell(fm, FK_TEXT, key, y, 2, 24, row);
        if (i < fm->base.ninterventions)
            form_set(fm, key, fm->base.interventions[i].kind);
        snprintf(key, sizeof key, "int%d.start", i + 1);
        cell(fm, FK_DATE, key, y, 27, 10, row);
        if (i < fm->base.ninterventions)
            set_date(fm, key, fm->base.interventions[i].start);
        snprintf(key, sizeof key, "int%d.end", i + 1);
        cell(fm, FK_DATE, key, y, 38, 10, row);
        if (i < fm->base.ninterventions)
            set_date(fm, key, fm->base.interventions[i].end);
        snprintf(key, sizeof key, "int%d.who", i + 1);
        cell(fm, FK_TEXT, key, y, 49, 16, row);
        if (i < fm->base.ninterventions)
            form_set(fm, key, fm->base.interventions[i].who);
    }
    fm->err_x = 66;
    fm->total_x = 1000;
    form_label(fm, y++, 2, A_BOLD, _("Closing summary"));
    add(fm, FK_TEXT, "sum.interventions", _("Interventions"), y++, 56, false);
    form_set(fm, "sum.interventions", fm->base.summary_interventions);
    add(fm, FK_TEXT, "sum.hypotheses", _("Hypotheses"), y++, 56, false);
    form_set(fm, "sum.hypotheses", fm->base.summary_hypotheses);
    add(fm, FK_TEXT, "sum.agreements", _("Further agreements"), y++, 56, false);
    form_set(fm, "sum.agreements", fm->base.summary_agreements);

    /* The pupil (all of the pupil's cases share it) and who works the case. */
    form_label(fm, y++, 2, A_BOLD, _("The pupil and the case"));
    const struct fc_pupil *p = &fm->pupil;
    add(fm, FK_TEXT, "pupil.name", _("Pupil"), y++, 32, true);
    form_set(fm, "pupil.name", p->name);
    /* Imported pupils may lack a birth date or a known school: the form
     * then saves without them, as the record is. */
    add(fm, FK_DATE, "pupil.birth", _("Date of birth"), y++, 12, p->birth_date != FC_DATE_NONE);
    set_date(fm, "pupil.birth", p->birth_date);
    struct field *f = add(fm, FK_NUMBER, "pupil.grade", _("Grade"), y++, 4, true);
    f->lo = 0;
    f->hi = 10;
    snprintf(buf, sizeof buf, "%d", p->grade);
    form_set(fm, "pupil.grade", buf);
    f = add(fm, FK_PICK, "pupil.school", _("School"), y++, 32, p->school_id != 0);
    f->ch = &fm->schools;
    set_pick(f, (long)p->school_id);
    add(fm, FK_LIST, "pupil.guardians", _("Guardians (comma between)"), y++, 44, false);
    join_list(p->guardians, p->nguardians, buf, sizeof buf);
    form_set(fm, "pupil.guardians", buf);
    add(fm, FK_DATE, "concern", _("Date of the concern"), y++, 12, true);
    set_date(fm, "concern", fm->base.concern_date);
    f = add(fm, FK_PICK, "coordinator", _("Coordinator"), y++, 32, true);
    f->ch = &fm->staff;
    set_pick(f, (long)fm->base.coordinator);
    f = add(fm, FK_PICK, "secondary", _("Secondary contact"), y++, 32, false);
    f->ch = &fm->staff;
    if (fm->base.secondary)
        set_pick(f, (long)fm->base.secondary);
    /* The pupil's version as read, kept in drafts (the case's is the
     * draft's own). */
    form_add(fm, FK_HIDDEN, "base", NULL);
    snprintf(buf, sizeof buf, "p:%u:%u", (unsigned)p->id, (unsigned)p->version);
    form_set(fm, "base", buf);
}

static const char *phase_name(const struct form *fm, int i)
{
    return i >= 0 && i < fm->model.nphases ? fm->model.phases[i].name : "?";
}

static bool build_phase(struct form *fm, struct fc_err *err)
{
    int to = fm->base.phase + fm->arg;
    err->code = FC_EINVAL;
    if (fm->base.status == FC_CASE_CLOSED) {
        snprintf(err->msg, sizeof err->msg, "%s", _("The case is closed."));
        return false;
    }
    if (to < 0) {
        snprintf(err->msg, sizeof err->msg, "%s", _("The case is in the first phase already."));
        return false;
    }
    fm->phase_to = to >= fm->model.nphases ? -1 : to;
    char line[256];
    if (fm->phase_to < 0) {
        snprintf(fm->title, sizeof fm->title, _("Close the case: %s #%u"), fm->pupil.name,
                 (unsigned)fm->case_id);
        snprintf(line, sizeof line, _("The case is in its last phase, %s: closing it ends it."),
                 phase_name(fm, fm->base.phase));
    } else {
        snprintf(fm->title, sizeof fm->title,
                 fm->arg > 0 ? _("Advance the phase: %s #%u") : _("Step the phase back: %s #%u"),
                 fm->pupil.name, (unsigned)fm->case_id);
        snprintf(line, sizeof line, _("From %s to %s."), phase_name(fm, fm->base.phase),
                 phase_name(fm, to));
    }
    form_label(fm, 0, 2, A_NORMAL, line);
    add(fm, FK_TEXT, "note", _("Note (optional)"), 2, 50, false);
    form_label(fm, 4, 2, A_NORMAL, _("Enter confirms, Esc cancels."));
    err->code = FC_OK;
    return true;
}

static fc_date date_of(struct form *fm, const char *key);

/* The scale a rating row takes unless the user picks another: the child's
 * own versions (CORS, CSRS; domain.md: CORS for ages 6-12) for a child
 * rater under 13 on the meeting's day, the adult ones otherwise and when
 * the birth date is not known. */
static int default_scale(struct form *fm, int rater, bool srs)
{
    fc_date at = date_of(fm, "date");
    if (at == FC_DATE_NONE)
        at = fm->today;
    bool child = rater == FC_RATER_CHILD && fm->pupil.birth_date != FC_DATE_NONE &&
                 fc_age_years(fm->pupil.birth_date, at) < 13;
    return srs ? (child ? FC_CSRS : FC_SRS) : (child ? FC_CORS : FC_ORS);
}

/* Sets a pick field to the choice with this id. */
static void set_pick(struct field *f, long id)
{
    for (int k = 0; f->ch && k < f->ch->n; k++)
        if (f->ch->id[k] == id) {
            ledit_set(&f->ed, f->ch->label[k]);
            f->pick = id;
            return;
        }
}

/* Rows whose scale the program chose follow the rater (and the date). */
static void auto_scales(struct form *fm)
{
    for (int row = ROW_ORS; row < rows_end(fm); row++) {
        struct field *rater = row_field(fm, row, "rater"), *scale = row_field(fm, row, "scale");
        if (!rater || !scale || (scale->ed.buf[0] && !scale->autoset))
            continue;
        if (rater->pick < 0) {
            ledit_set(&scale->ed, "");
            scale->pick = -1;
        } else {
            set_pick(scale, default_scale(fm, (int)rater->pick, row_is_srs(fm, row)));
        }
        scale->autoset = true;
        scale->err[0] = '\0';
    }
}

/* What the form was opened on, in the hidden field "base" (so a draft
 * keeps it): "m:ID:VERSION" and for each row with a stored rating
 * "rROW:ID:VERSION:TOTAL" (TOTAL the stored total when only a total is
 * stored, else -1). */
static void write_base(struct form *fm)
{
    char buf[LEDIT_MAX];
    size_t len = (size_t)snprintf(buf, sizeof buf, "m:%u:%u", (unsigned)fm->meeting_id,
                                  (unsigned)fm->meeting.version);
    for (int row = ROW_ORS; row < rows_end(fm) && len < sizeof buf; row++) {
        const struct row_base *b = &fm->rows_base[row];
        if (b->id)
            len += (size_t)snprintf(buf + len, sizeof buf - len, " r%d:%u:%u:%d", row,
                                    (unsigned)b->id, (unsigned)b->version, b->total_only);
    }
    form_set(fm, "base", buf);
}

static void read_base(struct form *fm, uint32_t *mversion, struct row_base *rb, int nrb)
{
    char buf[LEDIT_MAX];
    snprintf(buf, sizeof buf, "%s", form_text(fm, "base"));
    *mversion = 0;
    memset(rb, 0, (size_t)nrb * sizeof *rb);
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        unsigned id, ver;
        int row, total;
        if (sscanf(tok, "m:%u:%u", &id, &ver) == 2)
            *mversion = ver;
        else if (sscanf(tok, "r%d:%u:%u:%d", &row, &id, &ver, &total) == 4 && row > 0 &&
                 row < nrb)
            rb[row] = (struct row_base){ .id = id, .version = ver, .total_only = total };
    }
}

/* "Rater     Name       Scale 1     2 ..." with each heading at its column. */
static void column_heads(char *out, size_t cap)
{
    const struct { int x; const char *s; } cols[] = {
        { X_RATER, _("Rater") }, { X_NAME, _("Name") }, { X_SCALE, _("Scale") },
        { X_ITEM, "1" }, { X_ITEM + X_STEP, "2" }, { X_ITEM + 2 * X_STEP, "3" },
        { X_ITEM + 3 * X_STEP, "4" },
        { X_TOTAL, _("Total") },
    };
    size_t len = 0;
    int at = X_RATER;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof cols / sizeof cols[0] && len + 1 < cap; i++) {
        /* Padded by characters: "Bedømmer" has more bytes than letters. */
        int pad = cols[i].x - at;
        if (i > 0 && pad < 1)
            pad = 1;
        len += (size_t)snprintf(out + len, cap - len, "%*s%s", i ? pad : 0, "", cols[i].s);
        at += (i ? pad : 0) + (int)fc_utf8_len(cols[i].s);
    }
}

static void fill_row(struct form *fm, int row, const struct fc_rating *r)
{
    set_pick(row_field(fm, row, "rater"), r->rater);
    form_set(fm, row_field(fm, row, "name")->key, r->rater_name);
    set_pick(row_field(fm, row, "scale"), r->scale);
    for (int k = 0; k < FC_ITEMS; k++) {
        char what[4], buf[8] = "";
        snprintf(what, sizeof what, "i%d", k + 1);
        if (r->items[k] != FC_ITEM_NONE)
            format_tenths(r->items[k], buf);
        form_set(fm, row_field(fm, row, what)->key, buf);
    }
    fm->rows_base[row] = (struct row_base){
        .id = r->id, .version = r->version,
        .total_only = r->items[0] == FC_ITEM_NONE ? r->total : -1,
    };
}

static void build_meeting(struct form *fm)
{
    bool edit = fm->meeting_id != 0;
    char day[11];
    fc_date_format_dk(fm->meeting.date, day);
    if (fm->deleting)
        snprintf(fm->title, sizeof fm->title, _("Delete the meeting of %s: %s #%u"), day,
                 fm->pupil.name, (unsigned)fm->case_id);
    else if (edit)
        snprintf(fm->title, sizeof fm->title, _("Meeting of %s: %s #%u"), day, fm->pupil.name,
                 (unsigned)fm->case_id);
    else
        snprintf(fm->title, sizeof fm->title, _("New meeting: %s #%u"), fm->pupil.name,
                 (unsigned)fm->case_id);
    for (int k = 0; k < FC_MEET_KIND_COUNT; k++)
        choices_add(&fm->kinds, label_meeting_kind(k), k);
    for (int r = 0; r < FC_RATER_COUNT; r++)
        choices_add(&fm->raters, label_rater(r), r);
    fm->raters.alias = fc_rater_lookup;
    choices_add(&fm->oscales, fc_scale_code(FC_ORS), FC_ORS);
    choices_add(&fm->oscales, fc_scale_code(FC_CORS), FC_CORS);
    choices_add(&fm->sscales, fc_scale_code(FC_SRS), FC_SRS);
    choices_add(&fm->sscales, fc_scale_code(FC_CSRS), FC_CSRS);
    fm->oscales.alias = fm->sscales.alias = fc_scale_lookup;
    int nors = 0, nsrs = 0;
    for (size_t i = 0; i < fm->nratings; i++) {
        if (fc_scale_is_outcome((enum fc_scale)fm->ratings[i].scale))
            nors++;
        else
            nsrs++;
    }
    /* One free row more than the meeting has, to add a rater. */
    fm->ors_rows = nors + edit > RATING_ROWS_ORS ? nors + edit : RATING_ROWS_ORS;
    fm->srs_rows = nsrs + edit > RATING_ROWS_SRS ? nsrs + edit : RATING_ROWS_SRS;
    if (fm->ors_rows > RATING_ROWS_MAX)
        fm->ors_rows = RATING_ROWS_MAX;
    if (fm->srs_rows > RATING_ROWS_MAX)
        fm->srs_rows = RATING_ROWS_MAX;
    int y = 0;
    add(fm, FK_DATE, "date", _("Date"), y++, 12, true);
    struct field *f = add(fm, FK_PICK, "kind", _("Kind"), y++, 30, true);
    f->ch = &fm->kinds;
    add(fm, FK_LIST, "participants", _("Participants (comma between)"), y++, 48, false);
    add(fm, FK_TEXT, "notes", _("Notes"), y++, 48, false);
    add(fm, FK_TEXT, "agreements", _("Agreements"), y++, 48, false);
    static const char *const heads[2] = {
        N_("ORS at the start: rater, four items 0-10 (7.5, 7,5 or 75 mm)"),
        N_("SRS at the end: rater, four items"),
    };
    int rows[2] = { fm->ors_rows, fm->srs_rows };
    fm->total_x = X_TOTAL;
    fm->err_x = X_ERR;
    for (int s = 0; s < 2; s++) {
        form_label(fm, y++, 2, A_BOLD, _(heads[s]));
        char colhead[160];
        column_heads(colhead, sizeof colhead);
        form_label(fm, y++, X_RATER, A_NORMAL, colhead);
        for (int i = 0; i < rows[s]; i++, y++) {
            int row = (s ? srs_first(fm) : ROW_ORS) + i;
            const char *sc = s ? "srs" : "ors";
            char key[24];
            snprintf(key, sizeof key, "%s%d.rater", sc, i + 1);
            f = cell(fm, FK_PICK, key, y, X_RATER, W_RATER, row);
            f->ch = &fm->raters;
            snprintf(key, sizeof key, "%s%d.name", sc, i + 1);
            cell(fm, FK_TEXT, key, y, X_NAME, W_NAME, row);
            snprintf(key, sizeof key, "%s%d.scale", sc, i + 1);
            f = cell(fm, FK_PICK, key, y, X_SCALE, W_SCALE, row);
            f->ch = s ? &fm->sscales : &fm->oscales;
            for (int k = 0; k < FC_ITEMS; k++) {
                snprintf(key, sizeof key, "%s%d.i%d", sc, i + 1, k + 1);
                cell(fm, FK_ITEM, key, y, X_ITEM + X_STEP * k, W_ITEM, row);
            }
        }
    }
    f = form_add(fm, FK_HIDDEN, "base", NULL);
    if (!edit) {
        set_date(fm, "date", fm->today);
        write_base(fm);
        return;
    }
    const struct fc_meeting *m = &fm->meeting;
    char buf[FC_TEXT_MAX];
    set_date(fm, "date", m->date);
    set_pick(form_field(fm, "kind"), m->kind);
    join_list(m->participants, m->nparticipants, buf, sizeof buf);
    form_set(fm, "participants", buf);
    form_set(fm, "notes", m->notes);
    form_set(fm, "agreements", m->agreements);
    int next[2] = { ROW_ORS, srs_first(fm) };
    for (size_t i = 0; i < fm->nratings; i++) {
        const struct fc_rating *r = &fm->ratings[i];
        int s = !fc_scale_is_outcome((enum fc_scale)r->scale);
        /* A meeting with more raters than rows keeps the rest as they are. */
        if (next[s] < (s ? rows_end(fm) : srs_first(fm)))
            fill_row(fm, next[s]++, r);
    }
    write_base(fm);
}

/* The absence form's last kind: the days were school days after all. */
enum { ABS_REMOVE = FC_ABS_KIND_COUNT };

/* The absence kinds in either language, and words for "remove". */
static int absence_alias(const char *s)
{
    static const char *const remove[] = { "remove", "fjern", "slet", "present", "til stede",
                                          "ikke fraværende", "not absent" };
    int k = fc_absence_kind_lookup(s);
    if (k >= 0)
        return k;
    return fc_fold_lookup(s, remove, sizeof remove / sizeof remove[0]) >= 0 ? ABS_REMOVE : -1;
}

static void build_absence(struct form *fm)
{
    snprintf(fm->title, sizeof fm->title, _("Absence: %s"), fm->pupil.name);
    for (int k = 0; k < FC_ABS_KIND_COUNT; k++) {
        static const char *const kinds[FC_ABS_KIND_COUNT] = {
            N_("sick"), N_("legal absence"), N_("unauthorised absence"),
        };
        choices_add(&fm->abs_kinds, _(kinds[k]), k);
    }
    choices_add(&fm->abs_kinds, _("not absent (removes the days)"), ABS_REMOVE);
    fm->abs_kinds.alias = absence_alias;
    add(fm, FK_DATE, "from", _("From"), 0, 12, true);
    add(fm, FK_DATE, "to", _("To (empty: one day)"), 1, 12, false);
    struct field *f = add(fm, FK_PICK, "kind", _("Kind"), 2, 26, true);
    f->ch = &fm->abs_kinds;
    form_label(fm, 4, 2, A_NORMAL,
               _("School days only: weekends and holidays in a range are skipped."));
    form_label(fm, 5, 2, A_NORMAL,
               _("Days already recorded take the kind given; \"not absent\" removes them."));
    set_date(fm, "from", fm->today);
}

static const char *const csv_kind_labels[FC_CSV_KIND_COUNT] = {
    N_("pupils"), N_("cases"), N_("meetings"), N_("ratings"), N_("absence"),
    N_("calendar"), N_("staff"),
};

static void build_import(struct form *fm)
{
    snprintf(fm->title, sizeof fm->title, "%s", _("Import a CSV file"));
    for (int k = 0; k < FC_CSV_KIND_COUNT; k++)
        choices_add(&fm->csv_kinds, _(csv_kind_labels[k]), k);
    fm->csv_kinds.alias = fc_csv_kind_lookup;
    struct field *f = add(fm, FK_PICK, "kind", _("Kind"), 0, 20, true);
    f->ch = &fm->csv_kinds;
    add(fm, FK_TEXT, "file", _("File"), 1, 56, true);
    f = add(fm, FK_PICK, "skip", _("Import the good rows, leave out the bad"), 2, 6, true);
    f->ch = &fm->yesno;
    form_set(fm, "skip", _("no"));
    form_label(fm, 4, 2, A_NORMAL,
               _("As fitcase import: every row is checked first; with a bad row nothing"));
    form_label(fm, 5, 2, A_NORMAL,
               _("is written unless the good rows are to go in. Importing twice adds nothing."));
}

/* The file as typed, ~/ for the home directory. */
static void import_path(struct form *fm, char *out, size_t cap)
{
    const char *s = form_text(fm, "file"), *home = getenv("HOME");
    while (*s == ' ')
        s++;
    if (s[0] == '~' && s[1] == '/' && home)
        snprintf(out, cap, "%s/%s", home, s + 2);
    else
        snprintf(out, cap, "%s", s);
    for (size_t n = strlen(out); n > 0 && out[n - 1] == ' '; n--)
        out[n - 1] = '\0';
}

/* Yes and no in either language, whatever the screen speaks. */
static int yes_no(const char *s)
{
    static const char *const names[] = { "no", "nej", "n", "yes", "ja", "y", "j" };
    int i = fc_fold_lookup(s, names, sizeof names / sizeof names[0]);
    return i < 0 ? -1 : i >= 3;
}

struct form *forms_new(struct tui *t, enum form_kind kind, fc_id case_id, int arg,
                       struct fc_err *err)
{
    struct form *fm = calloc(1, sizeof *fm);
    if (!fm) {
        err->code = FC_EFULL;
        snprintf(err->msg, sizeof err->msg, "%s", _("out of memory"));
        return NULL;
    }
    /* As fitcase import: leads and administrators only. */
    const struct fc_staff *me = fc_store_actor(t->st);
    if (kind == FORM_IMPORT && me && me->role == FC_ROLE_CASEWORKER) {
        err->code = FC_EDENIED;
        snprintf(err->msg, sizeof err->msg,
                 _("Only a team lead or an administrator may import; %s is a caseworker."),
                 me->login);
        free(fm);
        return NULL;
    }
    fm->kind = kind;
    fm->case_id = case_id;
    fm->arg = arg;
    fm->today = t->opts->today;
    if (kind == FORM_MEETING && arg) {
        fm->meeting_id = (fc_id)(arg < 0 ? -arg : arg);
        fm->deleting = arg < 0;
    }
    choices_add(&fm->yesno, _("no"), 0);
    choices_add(&fm->yesno, _("yes"), 1);
    fm->yesno.alias = yes_no;
    if (load(t, fm, err) != FC_OK) {
        form_free(fm);
        return NULL;
    }
    switch (kind) {
    case FORM_CASE_NEW:  build_case_new(t, fm); break;
    case FORM_CASE_EDIT: build_case_edit(fm); break;
    case FORM_MEETING:
        build_meeting(fm);
        if (fm->deleting) {
            fm->mode = FM_ASK_DELETE;
            char day[11];
            fc_date_format_dk(fm->meeting.date, day);
            snprintf(fm->ask, sizeof fm->ask,
                     ngettext("Delete the meeting of %s (%s) and its %zu rating? "
                              "It cannot be undone.",
                              "Delete the meeting of %s (%s) and its %zu ratings? "
                              "It cannot be undone.", fm->nratings),
                     day, label_meeting_kind(fm->meeting.kind), fm->nratings);
        }
        break;
    case FORM_ABSENCE:   build_absence(fm); break;
    case FORM_IMPORT:    build_import(fm); break;
    case FORM_PHASE:
        if (!build_phase(fm, err)) {
            form_free(fm);
            return NULL;
        }
        break;
    default:
        break;
    }
    return fm;
}

/* ---- checking ------------------------------------------------------------------ */

static void seterr(struct field *f, bool warn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(struct field *f, bool warn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->err, sizeof f->err, fmt, ap);
    va_end(ap);
    f->warn = warn;
}

/* A date as typed, with a reason the user can act on when it is none. */
static bool parse_date(struct field *f, fc_date *out)
{
    struct fc_err e = { 0 };
    if (fc_date_parse(f->ed.buf, out, &e) == FC_OK)
        return true;
    int a, b, c;
    char s1, s2;
    if (sscanf(f->ed.buf, "%d%c%d%c%d", &a, &s1, &b, &s2, &c) == 5 && s1 == s2 &&
        (s1 == '-' || s1 == '.')) {
        int y = a > 31 ? a : c, m = b, d = a > 31 ? c : a;
        if (m >= 1 && m <= 12 && y > 0 && y < 10000 && d > fc_days_in_month(y, m)) {
            seterr(f, false, _("%s is not a date: month %d of %d has %d days"), f->ed.buf, m, y,
                   fc_days_in_month(y, m));
            return false;
        }
    }
    seterr(f, false, _("\"%s\" is not a date; write dd-mm-yyyy"), f->ed.buf);
    return false;
}

static bool parse_item(struct field *f, int *tenths)
{
    struct fc_err e = { 0 };
    if (fc_item_parse(f->ed.buf, true, tenths, &e) == FC_OK)
        return true;
    const char *s = f->ed.buf;
    size_t digits = strspn(s, "0123456789");
    bool number = digits > 0 && (s[digits] == '\0' ||
                                 ((s[digits] == '.' || s[digits] == ',') &&
                                  strspn(s + digits + 1, "0123456789") == strlen(s + digits + 1)));
    char dot[32];
    snprintf(dot, sizeof dot, "%s", s);
    for (char *c = dot; *c; c++)
        *c = *c == ',' ? '.' : *c;
    if (!number)
        seterr(f, false, _("\"%s\" is not a number; items are 0-10: 7.5, 7,5 or 75 (mm)"), s);
    else if ((strchr(s, '.') || strchr(s, ',')) && strtod(dot, NULL) <= 10.0)
        seterr(f, false, _("%s: items run 0.0-10.0 with one decimal"), s);
    else
        seterr(f, false, _("%s is out of range; items run 0.0-10.0 (or 11-100 mm)"), s);
    return false;
}

/* Splits a comma list into at most max trimmed entries. */
static int split_list(const char *s, char (*out)[FC_NAME_MAX], int max, bool *too_long)
{
    int n = 0;
    *too_long = false;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        if (!*s)
            break;
        size_t len = strcspn(s, ",");
        size_t e = len;
        while (e > 0 && s[e - 1] == ' ')
            e--;
        if (n == max || e >= FC_NAME_MAX) {
            *too_long = true;
            return n;
        }
        memcpy(out[n], s, e);
        out[n][e] = '\0';
        n++;
        s += len;
    }
    return n;
}

static bool on_consent(const struct form *fm, const char *name)
{
    char a[FC_NAME_MAX * 3], b[FC_NAME_MAX * 3];
    fc_fold(name, a, sizeof a);
    for (int i = 0; i < fm->base.nconsent; i++) {
        fc_fold(fm->base.consent[i], b, sizeof b);
        if (fc_fold_contains(a, b) || fc_fold_contains(b, a))
            return true;
    }
    return false;
}

static bool rater_consented(const struct form *fm, int rater)
{
    if (rater == FC_RATER_CHILD || rater == FC_RATER_CASEWORKER || fm->base.nconsent == 0)
        return true;
    for (int i = 0; i < fm->base.nconsent; i++) {
        if (fc_rater_lookup(fm->base.consent[i]) == rater)
            return true;
        char word[FC_NAME_MAX];
        snprintf(word, sizeof word, "%s", fm->base.consent[i]);
        for (char *w = strtok(word, " ()/-"); w; w = strtok(NULL, " ()/-"))
            if (fc_rater_lookup(w) == rater)
                return true;
    }
    if (on_consent(fm, label_rater(rater)))
        return true;
    /* Which guardian is the mother is not recorded: a guardian's name on
     * the list covers only the rater "guardian". */
    if (rater == FC_RATER_GUARDIAN)
        for (int g = 0; g < fm->pupil.nguardians; g++)
            if (on_consent(fm, fm->pupil.guardians[g]))
                return true;
    if (rater == FC_RATER_TEACHER || rater == FC_RATER_PEDAGOGUE)
        return on_consent(fm, "skole") || on_consent(fm, "school");
    return false;
}

/* A rating row's name column, trimmed and folded: "other (Bente)" and
 * "other (bente )" are the same rater. */
static void row_name_fold(struct form *fm, int row, char *out, size_t cap)
{
    char name[FC_NAME_MAX];
    const char *s = row_field(fm, row, "name")->ed.buf;
    while (*s == ' ')
        s++;
    fc_strlcpy_utf8(name, s, sizeof name);
    for (size_t n = strlen(name); n > 0 && name[n - 1] == ' '; n--)
        name[n - 1] = '\0';
    fc_fold(name, out, cap);
}

/* "mother", or "other (Bente Holm)" */
static void row_who(struct form *fm, int row, char *out, size_t cap)
{
    struct field *r = row_field(fm, row, "rater"), *n = row_field(fm, row, "name");
    char name[FC_NAME_MAX];
    fc_strlcpy_utf8(name, n->ed.buf, sizeof name);
    if (name[0])
        snprintf(out, cap, "%s (%s)", label_rater((int)r->pick), name);
    else
        snprintf(out, cap, "%s", label_rater((int)r->pick));
}

/* One rating per rater (and name) in each part of a meeting, whatever
 * the scale: a child scored on ORS is not scored on CORS as well. */
static void check_rater(struct form *fm, struct field *f)
{
    if (f->pick < 0)
        return;
    int row = f->row;
    bool srs = row_is_srs(fm, row);
    char me[FC_NAME_MAX * 3], other[FC_NAME_MAX * 3], who[FC_NAME_MAX + 32];
    row_name_fold(fm, row, me, sizeof me);
    row_who(fm, row, who, sizeof who);
    for (int r = srs ? srs_first(fm) : ROW_ORS; r < row; r++) {
        if (row_field(fm, r, "rater")->pick != f->pick)
            continue;
        row_name_fold(fm, r, other, sizeof other);
        if (strcmp(me, other) == 0) {
            seterr(f, false, _("%s has already rated %s in this meeting"), who,
                   srs ? "SRS" : "ORS");
            return;
        }
    }
    const char *name = row_field(fm, row, "name")->ed.buf;
    if (!rater_consented(fm, (int)f->pick) && !(name[0] && on_consent(fm, name)))
        seterr(f, true, _("Warning: %s is not on the consent list"), who);
}

bool forms_skip(const struct form *cfm, int i, bool forward)
{
    struct form *fm = (struct form *)cfm;
    const struct field *f = &fm->f[i];
    if (f->kind == FK_HIDDEN)
        return true;
    if (!forward || !is_rating_row(fm, f->row))
        return false;
    bool refused = f->err[0] && !f->warn;
    const char *col = column_of(f);
    if (strcmp(col, "name") == 0)
        return !refused && row_field(fm, f->row, "rater")->pick != FC_RATER_OTHER;
    if (strcmp(col, "scale") == 0)
        return !refused;
    return false;
}

static bool school_day(const struct form *fm, fc_date d)
{
    struct fc_calendar cal = { fm->holidays, fm->nholidays };
    return fc_is_school_day(&cal, d);
}

static void check_absence(struct form *fm)
{
    struct field *from = form_field(fm, "from"), *to = form_field(fm, "to");
    fc_date a, b;
    if (from->err[0] || to->err[0] || fc_date_parse(from->ed.buf, &a, &(struct fc_err){ 0 }))
        return;
    if (!to->ed.buf[0]) {
        if (!school_day(fm, a)) {
            static const char *const days[7] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"),
                                                 N_("Thursday"), N_("Friday"), N_("Saturday"),
                                                 N_("Sunday") };
            int wd = fc_date_weekday(a);
            if (wd >= 5)
                seterr(from, false, _("%s is a %s, not a school day"), from->ed.buf, _(days[wd]));
            else
                seterr(from, false, _("%s is a holiday, not a school day"), from->ed.buf);
        }
        return;
    }
    if (fc_date_parse(to->ed.buf, &b, &(struct fc_err){ 0 }) != FC_OK)
        return;
    if (b < a)
        seterr(to, false, "%s", _("The range ends before it starts"));
    else if (b - a > 366)
        seterr(to, false, "%s", _("A range of more than a year is surely a typing error"));
    else {
        int n = 0;
        for (fc_date d = a; d <= b; d++)
            n += school_day(fm, d);
        if (n == 0)
            seterr(to, false, "%s", _("There is no school day in that range"));
    }
}

void forms_check(struct tui *t, struct form *fm, int i, bool leaving)
{
    (void)t;
    struct field *f = &fm->f[i];
    f->err[0] = '\0';
    f->warn = false;
    const char *s = f->ed.buf;
    bool empty = strspn(s, " ") == strlen(s);
    if (empty) {
        if (leaving && f->required)
            seterr(f, false, "%s", _("Required"));
        return;
    }
    fc_date d;
    int v;
    switch (f->kind) {
    case FK_DATE:
        if (leaving)
            parse_date(f, &d);
        break;
    case FK_NUMBER: {
        char *end;
        long n = strtol(s, &end, 10);
        if (*end || n < f->lo || n > f->hi)
            seterr(f, false, _("\"%s\" is not a whole number from %d to %d"), s, f->lo, f->hi);
        break;
    }
    case FK_ITEM:
        if (parse_item(f, &v) && leaving) {
            char buf[8];
            format_tenths(v, buf);
            ledit_set(&f->ed, buf);
        }
        break;
    case FK_PICK: {
        if (choices_match(f->ch, s) < 0 && leaving && f->pick < 0 &&
            !(f->ch->alias && f->ch->alias(s) >= 0))
            seterr(f, false, _("Nothing matches \"%s\""), s);
        else if (!leaving) {
            bool any = f->ch->alias && f->ch->alias(s) >= 0;
            char fold[LEDIT_MAX * 3];
            fc_fold(s, fold, sizeof fold);
            for (int k = 0; k < f->ch->n && !any; k++)
                any = fc_fold_contains(f->ch->fold[k], fold);
            if (!any)
                seterr(f, false, _("Nothing matches \"%s\""), s);
        }
        break;
    }
    case FK_LIST: {
        char items[FC_LIST_MAX][FC_NAME_MAX];
        bool too_long;
        int n = split_list(s, items, FC_LIST_MAX, &too_long);
        if (too_long)
            seterr(f, false, _("At most %d names of under %d characters"), FC_LIST_MAX,
                   FC_NAME_MAX);
        else if (fm->kind == FORM_MEETING && strcmp(f->key, "participants") == 0 &&
                 fm->base.nconsent)
            for (int k = 0; k < n; k++)
                if (!on_consent(fm, items[k])) {
                    seterr(f, true, _("Warning: %s is not on the consent list"), items[k]);
                    break;
                }
        break;
    }
    default:
        if (strlen(s) >= (f->row >= ROW_INTERVENTION ? FC_SHORT_MAX
                          : is_rating_row(fm, f->row) || strcmp(f->key, "pupil.name") == 0
                              ? FC_NAME_MAX
                          : strncmp(f->key, "goal", 4) == 0 ? FC_NAME_MAX * 2
                          : FC_TEXT_MAX))
            seterr(f, false, "%s", _("Too long"));
        break;
    }
    if (f->err[0])
        return;
    if (is_rating_row(fm, f->row) && leaving && strcmp(column_of(f), "rater") == 0)
        check_rater(fm, f);
    if (is_rating_row(fm, f->row) && leaving && strcmp(column_of(f), "name") == 0) {
        /* A name can make a second "other" or teacher a different rater. */
        struct field *r = row_field(fm, f->row, "rater");
        r->err[0] = '\0';
        r->warn = false;
        check_rater(fm, r);
        /* Refused for this name: the name is what to change. */
        if (r->err[0] && !r->warn) {
            seterr(f, false, "%s", r->err);
            r->err[0] = '\0';
        }
    }
    if (fm->kind == FORM_MEETING && leaving &&
        ((is_rating_row(fm, f->row) && strcmp(column_of(f), "rater") == 0) ||
         strcmp(f->key, "date") == 0))
        auto_scales(fm);
    if (fm->kind == FORM_IMPORT && leaving && strcmp(f->key, "file") == 0) {
        char path[LEDIT_MAX + 256];
        struct stat sb;
        import_path(fm, path, sizeof path);
        struct cli_priv priv;    /* the user's file, the user's rights */
        cli_priv_drop(&priv);
        int rc = stat(path, &sb) != 0 || access(path, R_OK) != 0 ? errno : 0;
        cli_priv_restore(&priv);
        if (rc)
            seterr(f, false, _("Cannot read %s: %s"), path, strerror(rc));
        else if (S_ISDIR(sb.st_mode))
            seterr(f, false, _("%s is a directory; name the CSV file in it"), path);
    }
    if (fm->kind == FORM_ABSENCE && leaving && (strcmp(f->key, "from") == 0 ||
                                                strcmp(f->key, "to") == 0))
        check_absence(fm);
    if (fm->kind == FORM_CASE_NEW && strcmp(f->key, "pupil") == 0 && leaving && f->pick >= 0 &&
        (size_t)f->pick < fm->npupil_recs) {
        /* An existing pupil: show what is on record, to be corrected here. */
        const struct fc_pupil *p = &fm->pupil_recs[f->pick];
        char buf[FC_TEXT_MAX];
        set_date(fm, "birth", p->birth_date);
        snprintf(buf, sizeof buf, "%d", p->grade);
        form_set(fm, "grade", buf);
        for (int k = 0; k < fm->schools.n; k++)
            if (fm->schools.id[k] == (long)p->school_id)
                form_set(fm, "school", fm->schools.label[k]);
        join_list(p->guardians, p->nguardians, buf, sizeof buf);
        form_set(fm, "guardians", buf);
    }
}

int forms_row_total(const struct form *fm, int row)
{
    if (row >= ROW_INTERVENTION)
        return -1;
    int total = 0, any = 0;
    for (int i = 0; i < fm->n; i++) {
        const struct field *f = &fm->f[i];
        int v;
        struct fc_err e = { 0 };
        if (f->row == row && f->kind == FK_ITEM && f->ed.buf[0] &&
            fc_item_parse(f->ed.buf, true, &v, &e) == FC_OK) {
            total += v;
            any = 1;
        }
    }
    return any ? total : -1;
}

static bool any_exclusion(const struct form *fm)
{
    for (int i = 0; i < fm->n; i++)
        if (strncmp(fm->f[i].key, "excl", 4) == 0 && fm->f[i].pick == 1)
            return true;
    return false;
}

bool forms_needs_confirm(const struct form *fm)
{
    return fm->kind == FORM_CASE_NEW && any_exclusion(fm);
}

bool forms_check_all(struct tui *t, struct form *fm)
{
    (void)t;
    bool ok = true;
    if (fm->kind == FORM_MEETING && !fm->deleting) {
        struct row_base rb[RATING_ROWS_MAX * 2 + 2];
        uint32_t mversion;
        read_base(fm, &mversion, rb, RATING_ROWS_MAX * 2 + 2);
        auto_scales(fm);
        for (int row = ROW_ORS; row < rows_end(fm); row++) {
            struct field *rater = row_field(fm, row, "rater"), *name = row_field(fm, row, "name");
            struct field *missing = NULL;
            int filled = 0;
            for (int k = 0; k < FC_ITEMS; k++) {
                char what[4];
                snprintf(what, sizeof what, "i%d", k + 1);
                struct field *item = row_field(fm, row, what);
                if (item->ed.buf[0])
                    filled++;
                else if (!missing)
                    missing = item;
            }
            /* A stored rating with only a total (imported) may stay so. */
            bool total_only = filled == 0 && rb[row].id && rb[row].total_only >= 0;
            if (rater->pick >= 0 && missing && !total_only) {
                seterr(missing, false, _("Four items are needed; item %c is missing"),
                       missing->key[strlen(missing->key) - 1]);
                ok = false;
            } else if (rater->pick >= 0 && rater->pick == FC_RATER_OTHER &&
                       strspn(name->ed.buf, " ") == strlen(name->ed.buf)) {
                seterr(name, false, "%s", _("Who is the other rater? Write the name"));
                ok = false;
            } else if (rater->pick < 0 && (filled || name->ed.buf[0])) {
                seterr(rater, false, "%s", _("Who rated? Pick the rater"));
                ok = false;
            }
        }
    }
    if (fm->kind == FORM_CASE_NEW) {
        struct field *reason = form_field(fm, "reason");
        if (any_exclusion(fm) && !reason->ed.buf[0]) {
            seterr(reason, false, "%s",
                   _("A yes to an intake question needs the reason to take the case anyway"));
            ok = false;
        }
        struct field *sec = form_field(fm, "secondary");
        if (sec->pick >= 0 && sec->pick == form_field(fm, "coordinator")->pick) {
            seterr(sec, false, "%s", _("The secondary contact is the coordinator"));
            ok = false;
        }
    }
    if (fm->kind == FORM_CASE_EDIT) {
        struct field *sec = form_field(fm, "secondary");
        if (sec->pick >= 0 && sec->pick == form_field(fm, "coordinator")->pick) {
            seterr(sec, false, "%s", _("The secondary contact is the coordinator"));
            ok = false;
        }
        for (int r = 0; r < INTERVENTION_ROWS; r++) {
            char key[24];
            snprintf(key, sizeof key, "int%d.kind", r + 1);
            struct field *kind = form_field(fm, key);
            snprintf(key, sizeof key, "int%d.start", r + 1);
            struct field *start = form_field(fm, key);
            if (kind->ed.buf[0] && !start->ed.buf[0]) {
                seterr(start, false, "%s", _("An intervention needs its start date"));
                ok = false;
            }
        }
    }
    if (fm->kind == FORM_PHASE && fm->phase_to < 0 && !fm->base.summary_interventions[0] &&
        !fm->base.summary_hypotheses[0] && !fm->base.summary_agreements[0]) {
        seterr(form_field(fm, "note"), false, "%s",
               _("Closing needs the closing summary: Esc, then e to fill it in"));
        ok = false;
    }
    if (fm->kind == FORM_CASE_NEW && ok)
        snprintf(fm->ask, sizeof fm->ask, "%s",
                 _("The FIT team cannot normally take a case when a yes applies here. "
                   "Save the case anyway, with the reason given?"));
    return ok;
}

/* ---- saving ----------------------------------------------------------------------- */

struct save {
    struct tui *t;
    struct form *fm;
    fc_id case_id;             /* out */
    int added, skipped;        /* absence days; ratings added */
    int changed, removed;      /* ratings (and absence days) changed, removed */
    bool nothing;              /* nothing to write: the transaction is dropped */
};

/* Returned by a write function that found nothing to change: aborts the
 * transaction (no write, no new generation) and is no error. */
enum { SAVE_NOTHING = -1 };

static fc_date date_of(struct form *fm, const char *key)
{
    fc_date d = FC_DATE_NONE;
    const char *s = form_text(fm, key);
    if (s[0] && fc_date_parse(s, &d, &(struct fc_err){ 0 }) != FC_OK)
        d = FC_DATE_NONE;
    return d;
}

static int save_case_new(struct fc_txn *txn, struct save *sv, struct fc_err *err)
{
    struct form *fm = sv->fm;
    struct fc_pupil p = { 0 };
    struct field *pf = form_field(fm, "pupil");
    if (pf->pick >= 0 && (size_t)pf->pick < fm->npupil_recs) {
        p = fm->pupil_recs[pf->pick];
    } else {
        fc_strlcpy_utf8(p.name, pf->ed.buf, sizeof p.name);
    }
    p.birth_date = date_of(fm, "birth");
    p.grade = (int8_t)atoi(form_text(fm, "grade"));
    p.school_id = (fc_id)form_field(fm, "school")->pick;
    bool too_long;
    p.nguardians = (uint8_t)split_list(form_text(fm, "guardians"), p.guardians, FC_LIST_MAX,
                                       &too_long);
    int rc = fc_pupil_put(txn, &p, err);
    if (rc != FC_OK)
        return rc;
    struct fc_case c = { .pupil_id = p.id, .status = FC_CASE_OPEN,
                         .concern_date = date_of(fm, "concern"), .closed_date = FC_DATE_NONE };
    model_id_of(fm, form_field(fm, "model")->pick, c.model_id);
    c.coordinator = (fc_id)form_field(fm, "coordinator")->pick;
    long sec = form_field(fm, "secondary")->pick;
    c.secondary = sec > 0 ? (fc_id)sec : 0;
    struct fc_staff s;
    if (fc_staff_get(txn, c.coordinator, &s, err) == FC_OK)
        c.team_id = s.team_id;
    for (int i = 0; i < FC_EXCL_COUNT; i++) {
        char key[16];
        snprintf(key, sizeof key, "excl%d", i + 1);
        if (form_field(fm, key)->pick == 1)
            c.exclusions |= (uint8_t)(1u << i);
    }
    fc_strlcpy_utf8(c.exclusion_reason, form_text(fm, "reason"), sizeof c.exclusion_reason);
    c.nconsent = (uint8_t)split_list(form_text(fm, "consent"), c.consent, FC_LIST_MAX, &too_long);
    rc = fc_case_put(txn, &c, err);
    sv->case_id = c.id;
    return rc;
}

static int save_case_edit(struct fc_txn *txn, struct save *sv, struct fc_err *err)
{
    struct form *fm = sv->fm;
    struct fc_case c = fm->base;
    bool too_long;
    c.nconsent = (uint8_t)split_list(form_text(fm, "consent"), c.consent, FC_LIST_MAX, &too_long);
    c.ngoals = 0;
    for (int i = 0; i < GOAL_ROWS; i++) {
        char key[16];
        snprintf(key, sizeof key, "goal%d", i + 1);
        const char *g = form_text(fm, key);
        if (g[0])
            fc_strlcpy_utf8(c.goals[c.ngoals++], g, sizeof c.goals[0]);
    }
    /* Interventions past the rows shown stay as they were. */
    int kept = c.ninterventions > INTERVENTION_ROWS ? c.ninterventions - INTERVENTION_ROWS : 0;
    struct fc_intervention rest[FC_INTERVENTIONS_MAX];
    memcpy(rest, c.interventions + INTERVENTION_ROWS, (size_t)kept * sizeof rest[0]);
    c.ninterventions = 0;
    for (int i = 0; i < INTERVENTION_ROWS; i++) {
        char key[24];
        snprintf(key, sizeof key, "int%d.kind", i + 1);
        const char *k = form_text(fm, key);
        if (!k[0])
            continue;
        struct fc_intervention *iv = &c.interventions[c.ninterventions++];
        memset(iv, 0, sizeof *iv);
        fc_strlcpy_utf8(iv->kind, k, sizeof iv->kind);
        snprintf(key, sizeof key, "int%d.start", i + 1);
        iv->start = date_of(fm, key);
        snprintf(key, sizeof key, "int%d.end", i + 1);
        iv->end = date_of(fm, key);
        snprintf(key, sizeof key, "int%d.who", i + 1);
        fc_strlcpy_utf8(iv->who, form_text(fm, key), sizeof iv->who);
    }
    for (int i = 0; i < kept; i++)
        c.interventions[c.ninterventions++] = rest[i];
    fc_strlcpy_utf8(c.summary_interventions, form_text(fm, "sum.interventions"), sizeof c.summary_interventions);
    fc_strlcpy_utf8(c.summary_hypotheses, form_text(fm, "sum.hypotheses"), sizeof c.summary_hypotheses);
    fc_strlcpy_utf8(c.summary_agreements, form_text(fm, "sum.agreements"), sizeof c.summary_agreements);
    sv->case_id = c.id;

    /* The pupil, when something of theirs changed, at the version read. */
    struct fc_pupil p = fm->pupil;
    unsigned pid, pversion;
    if (sscanf(form_text(fm, "base"), "p:%u:%u", &pid, &pversion) == 2 && pid == p.id)
        p.version = pversion;
    fc_strlcpy_utf8(p.name, form_text(fm, "pupil.name"), sizeof p.name);
    p.birth_date = date_of(fm, "pupil.birth");
    p.grade = (int8_t)atoi(form_text(fm, "pupil.grade"));
    long school = form_field(fm, "pupil.school")->pick;
    p.school_id = school > 0 ? (fc_id)school : 0;
    memset(p.guardians, 0, sizeof p.guardians);
    p.nguardians = (uint8_t)split_list(form_text(fm, "pupil.guardians"), p.guardians, FC_LIST_MAX,
                                       &too_long);
    const struct fc_pupil *o = &fm->pupil;
    bool pupil_changed = strcmp(p.name, o->name) != 0 || p.birth_date != o->birth_date ||
                         p.grade != o->grade || p.school_id != o->school_id ||
                         p.nguardians != o->nguardians;
    for (int i = 0; i < p.nguardians && !pupil_changed; i++)
        pupil_changed = strcmp(p.guardians[i], o->guardians[i]) != 0;
    int rc = FC_OK;
    if (pupil_changed || p.version != o->version)
        rc = fc_pupil_put(txn, &p, err);

    c.concern_date = date_of(fm, "concern");
    long sec = form_field(fm, "secondary")->pick;
    c.secondary = sec > 0 ? (fc_id)sec : 0;
    fc_id coordinator = (fc_id)form_field(fm, "coordinator")->pick;
    if (rc == FC_OK)
        rc = fc_case_put(txn, &c, err);
    /* A new coordinator through the store's hand-over, with its rules
     * (the case's team, active, who may hand over). */
    if (rc == FC_OK && coordinator != c.coordinator)
        rc = fc_case_reassign(txn, c.id, coordinator, err);
    return rc;
}

static int save_phase(struct fc_txn *txn, struct save *sv, struct fc_err *err)
{
    struct form *fm = sv->fm;
    struct fc_case c = fm->base;
    sv->case_id = c.id;
    if (fm->phase_to >= 0)
        return fc_case_set_phase(txn, &c, fm->phase_to, form_text(fm, "note"), err);
    c.status = FC_CASE_CLOSED;
    c.closed_date = fm->today;
    int rc = fc_case_put(txn, &c, err);
    if (rc == FC_OK && form_text(fm, "note")[0])
        rc = fc_audit_add(txn, "case.close", "case", c.id, form_text(fm, "note"), err);
    return rc;
}

static int conflict(struct fc_err *err, const char *msg)
{
    err->code = FC_ECONFLICT;
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    return FC_ECONFLICT;
}

/* The rating a row asks for; false when the row is empty. */
static bool row_rating(struct form *fm, int row, const struct row_base *b, struct fc_rating *r)
{
    struct field *rater = row_field(fm, row, "rater"), *scale = row_field(fm, row, "scale");
    if (rater->pick < 0)
        return false;
    bool srs = row_is_srs(fm, row);
    r->rater = (uint8_t)rater->pick;
    r->scale = (uint8_t)(scale->pick >= 0 ? scale->pick : default_scale(fm, (int)rater->pick, srs));
    const char *name = row_field(fm, row, "name")->ed.buf;
    while (*name == ' ')
        name++;
    fc_strlcpy_utf8(r->rater_name, name, sizeof r->rater_name);
    for (size_t n = strlen(r->rater_name); n > 0 && r->rater_name[n - 1] == ' '; n--)
        r->rater_name[n - 1] = '\0';
    bool any = false;
    for (int k = 0; k < FC_ITEMS; k++) {
        char what[4];
        snprintf(what, sizeof what, "i%d", k + 1);
        const char *s = row_field(fm, row, what)->ed.buf;
        int v = FC_ITEM_NONE;
        if (s[0] && fc_item_parse(s, true, &v, &(struct fc_err){ 0 }) == FC_OK)
            any = true;
        r->items[k] = (int16_t)v;
    }
    r->total = FC_ITEM_NONE;
    if (!any && b->id && b->total_only >= 0)
        r->total = (int16_t)b->total_only;
    return true;
}

static bool same_rater(const struct fc_rating *a, const struct fc_rating *b)
{
    return a->scale == b->scale && a->rater == b->rater &&
           strcmp(a->rater_name, b->rater_name) == 0;
}

static bool same_scores(const struct fc_rating *a, const struct fc_rating *b)
{
    return memcmp(a->items, b->items, sizeof a->items) == 0 && a->total == b->total;
}

static bool same_meeting(const struct fc_meeting *a, const struct fc_meeting *b)
{
    if (a->date != b->date || a->kind != b->kind || a->nparticipants != b->nparticipants ||
        strcmp(a->notes, b->notes) != 0 || strcmp(a->agreements, b->agreements) != 0)
        return false;
    for (int i = 0; i < a->nparticipants && i < FC_LIST_MAX; i++)
        if (strcmp(a->participants[i], b->participants[i]) != 0)
            return false;
    return true;
}

struct rvec {
    struct fc_rating *v;
    size_t n;
    bool oom;
};

static int on_current(const struct fc_rating *r, void *ctx)
{
    struct rvec *rv = ctx;
    struct fc_rating *v = realloc(rv->v, (rv->n + 1) * sizeof *v);
    if (!v) {
        rv->oom = true;
        return 1;
    }
    rv->v = v;
    v[rv->n++] = *r;
    return 0;
}

static struct fc_rating *find_rating(struct rvec *rv, fc_id id)
{
    for (size_t i = 0; id && i < rv->n; i++)
        if (rv->v[i].id == id)
            return &rv->v[i];
    return NULL;
}

/* Whether the meeting's ratings are still those the form was opened on:
 * each row's rating at its version, and no rating the form did not see. */
static bool ratings_unchanged(struct form *fm, struct rvec *cur, const struct row_base *rb)
{
    for (int row = ROW_ORS; row < rows_end(fm); row++) {
        const struct fc_rating *c = find_rating(cur, rb[row].id);
        if (rb[row].id && (!c || c->version != rb[row].version))
            return false;
    }
    for (size_t i = 0; i < cur->n; i++) {
        bool seen = false;
        for (int row = ROW_ORS; row < rows_end(fm) && !seen; row++)
            seen = rb[row].id == cur->v[i].id;
        /* Ratings beyond the form's rows were left alone, not seen. */
        for (size_t k = 0; k < fm->nratings && !seen; k++)
            seen = fm->ratings[k].id == cur->v[i].id &&
                   fm->ratings[k].version == cur->v[i].version;
        if (!seen)
            return false;
    }
    return true;
}

/* A new meeting, or the changes to one: the meeting record if it changed,
 * then the ratings removed, changed and added, all in this one write
 * transaction. A rating whose rater, name or scale changed is removed and
 * added anew (so two rows may swap raters). */
static int save_meeting(struct fc_txn *txn, struct save *sv, struct fc_err *err)
{
    struct form *fm = sv->fm;
    struct row_base rb[RATING_ROWS_MAX * 2 + 2];
    uint32_t mversion;
    read_base(fm, &mversion, rb, RATING_ROWS_MAX * 2 + 2);
    sv->added = sv->changed = sv->removed = 0;
    sv->nothing = false;
    sv->case_id = fm->case_id;
    struct fc_meeting *m = calloc(1, sizeof *m), *cur = calloc(1, sizeof *cur);
    struct rvec rv = { 0 };
    int rc = m && cur ? FC_OK : FC_EFULL;
    if (rc != FC_OK)
        snprintf(err->msg, sizeof err->msg, "%s", _("out of memory"));
    if (rc == FC_OK && fm->meeting_id) {
        rc = fc_meeting_get(txn, fm->meeting_id, cur, err);
        if (rc == FC_ENOTFOUND)
            rc = conflict(err, _("Someone else deleted this meeting after you opened it."));
        if (rc == FC_OK && fc_ratings_of_meeting(txn, cur->id, on_current, &rv) != 0)
            rc = conflict(err, _("The meeting's ratings cannot be read."));
        if (rc == FC_OK && !fm->force &&
            (cur->version != mversion || !ratings_unchanged(fm, &rv, rb)))
            rc = conflict(err, _("Someone else changed this meeting after you opened it."));
    }
    if (rc == FC_OK && fm->deleting) {
        rc = fc_meeting_delete(txn, cur->id, err);
        sv->removed = (int)rv.n;
        goto out;
    }
    if (rc != FC_OK)
        goto out;
    *m = fm->meeting_id ? *cur : (struct fc_meeting){ .case_id = fm->case_id };
    m->date = date_of(fm, "date");
    m->kind = (uint8_t)form_field(fm, "kind")->pick;
    bool too_long;
    m->nparticipants = (uint8_t)split_list(form_text(fm, "participants"), m->participants,
                                           FC_LIST_MAX, &too_long);
    fc_strlcpy_utf8(m->notes, form_text(fm, "notes"), sizeof m->notes);
    fc_strlcpy_utf8(m->agreements, form_text(fm, "agreements"), sizeof m->agreements);
    bool meeting_changed = !fm->meeting_id || !same_meeting(m, cur);
    if (meeting_changed)
        rc = fc_meeting_put(txn, m, err);

    /* What each row asks for against what is stored. */
    struct fc_rating want[RATING_ROWS_MAX * 2 + 2];
    bool has[RATING_ROWS_MAX * 2 + 2], add_it[RATING_ROWS_MAX * 2 + 2];
    const struct fc_rating *was[RATING_ROWS_MAX * 2 + 2];
    bool used[64] = { false };
    for (int row = ROW_ORS; rc == FC_OK && row < rows_end(fm); row++) {
        memset(&want[row], 0, sizeof want[row]);
        has[row] = row_rating(fm, row, &rb[row], &want[row]);
        was[row] = find_rating(&rv, rb[row].id);
        add_it[row] = false;
        if (was[row] && (size_t)(was[row] - rv.v) < 64)
            used[was[row] - rv.v] = true;
        if (was[row] && (!has[row] || !same_rater(&want[row], was[row]))) {
            rc = fc_rating_delete(txn, was[row]->id, err);
            sv->removed += !has[row];
            sv->changed += has[row];
            add_it[row] = has[row];
        } else if (!was[row]) {
            add_it[row] = has[row];
            sv->added += has[row];
        }
    }
    /* Saving yours over theirs: what only they added goes. */
    for (size_t i = 0; rc == FC_OK && fm->force && i < rv.n && i < 64; i++) {
        bool unshown = false;
        for (size_t k = 0; k < fm->nratings; k++)
            unshown |= fm->ratings[k].id == rv.v[i].id;
        for (int row = ROW_ORS; row < rows_end(fm); row++)
            unshown &= rb[row].id != rv.v[i].id;
        if (!used[i] && !unshown) {
            rc = fc_rating_delete(txn, rv.v[i].id, err);
            sv->removed++;
        }
    }
    for (int row = ROW_ORS; rc == FC_OK && row < rows_end(fm); row++) {
        if (!has[row])
            continue;
        struct fc_rating r = want[row];
        r.case_id = fm->case_id;
        r.meeting_id = m->id;
        r.date = m->date;
        if (was[row] && !add_it[row]) {
            struct fc_rating keep = *was[row];
            keep.total = r.total;
            memcpy(keep.items, r.items, sizeof keep.items);
            if (fc_rating_normalize(&keep, err) != FC_OK)
                rc = err->code;
            else if (same_scores(&keep, was[row]))
                continue;
            else
                rc = fc_rating_put(txn, &keep, err);
            sv->changed++;
            continue;
        }
        if (!add_it[row])
            continue;
        rc = fc_rating_normalize(&r, err);
        if (rc == FC_OK)
            rc = fc_rating_put(txn, &r, err);
    }
    if (rc == FC_OK && fm->meeting_id) {
        if (!meeting_changed && !sv->added && !sv->changed && !sv->removed) {
            sv->nothing = true;
            rc = SAVE_NOTHING;
        } else {
            char detail[128];
            snprintf(detail, sizeof detail, "ratings: %d added, %d changed, %d removed%s",
                     sv->added, sv->changed, sv->removed, meeting_changed ? "; meeting changed" : "");
            rc = fc_audit_add(txn, "meeting.edit", "meeting", m->id, detail, err);
        }
    }
out:
    free(rv.v);
    free(m);
    free(cur);
    return rc;
}

static int on_day(const struct fc_absence *a, void *ctx)
{
    *(int *)ctx = a->kind;
    return 0;
}

/* Each school day of the range: added, changed to the kind given, or
 * (kind "not absent") removed; days already so are counted apart. */
static int save_absence(struct fc_txn *txn, struct save *sv, struct fc_err *err)
{
    struct form *fm = sv->fm;
    fc_date a = date_of(fm, "from"), b = date_of(fm, "to");
    if (b == FC_DATE_NONE)
        b = a;
    long kind = form_field(fm, "kind")->pick;
    sv->added = sv->skipped = sv->changed = sv->removed = 0;
    sv->nothing = false;
    sv->case_id = fm->case_id;
    for (fc_date d = a; d <= b; d++) {
        if (!school_day(fm, d))
            continue;
        int now = -1, rc = FC_OK;
        if (fc_absence_of_pupil(txn, fm->pupil.id, d, d, on_day, &now) < 0)
            return err->code = FC_ESTORE;
        if (kind == ABS_REMOVE) {
            if (now < 0) {
                sv->skipped++;
                continue;
            }
            rc = fc_absence_delete(txn, fm->pupil.id, d, err);
            sv->removed++;
        } else if (now == kind) {
            sv->skipped++;
            continue;
        } else {
            if (now >= 0) {
                rc = fc_absence_delete(txn, fm->pupil.id, d, err);
                sv->changed++;
            } else {
                sv->added++;
            }
            struct fc_absence ab = { .pupil_id = fm->pupil.id, .date = d, .kind = (uint8_t)kind };
            if (rc == FC_OK)
                rc = fc_absence_put(txn, &ab, err);
        }
        if (rc != FC_OK)
            return rc;
    }
    if (!sv->added && !sv->changed && !sv->removed) {
        sv->nothing = true;
        return SAVE_NOTHING;
    }
    return FC_OK;
}

static int write_fn(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct save *sv = ctx;
    switch (sv->fm->kind) {
    case FORM_CASE_NEW:  return save_case_new(txn, sv, err);
    case FORM_CASE_EDIT: return save_case_edit(txn, sv, err);
    case FORM_PHASE:     return save_phase(txn, sv, err);
    case FORM_MEETING:   return save_meeting(txn, sv, err);
    case FORM_ABSENCE:   return save_absence(txn, sv, err);
    default:             return FC_EINVAL;
    }
}

struct imp {
    struct tui_lines *l;
    int shown, more;
};

/* Problems as the import reports them, FILE:LINE: column: what; the
 * first 500 shown, the rest counted. */
static void imp_report(const char *msg, void *ctx)
{
    struct imp *im = ctx;
    if (im->shown < 500) {
        lines_add(im->l, A_NORMAL, "  %s", msg);
        im->shown++;
    } else {
        im->more++;
    }
}

static void imp_more(struct imp *im)
{
    if (im->more)
        lines_add(im->l, A_NORMAL,
                  ngettext("  ... and %d more problem.", "  ... and %d more problems.", im->more),
                  im->more);
}

/* The import of `fitcase import` (src/io/csv_import.c): a dry run first,
 * which reads and checks every row against the store; only when it finds
 * nothing wrong (or the good rows are to go in) the import proper. The
 * outcome, or the problems, go to fm->both for the user to scroll. */
static int run_import(struct tui *t, struct form *fm, struct fc_err *err)
{
    char path[LEDIT_MAX + 256];
    import_path(fm, path, sizeof path);
    long kind = form_field(fm, "kind")->pick;
    bool skip = form_field(fm, "skip")->pick == 1;
    const char *who = t->opts->login ? t->opts->login : "";
    lines_clear(&fm->both);
    struct imp im = { .l = &fm->both };
    struct fc_import_opts o = { .dry_run = true, .skip_bad = skip, .report = imp_report,
                                .ctx = &im };
    struct fc_import_summary sum = { 0 };
    tui_message(t, _("Checking %s ..."), path);
    tui_update(t);
    /* As fitcase import: an administrator's import writes where its file
     * says (the store turns this on for administrators only); off again
     * before the screen goes on. */
    fc_store_set_bulk(t->st, true);
    lines_add(&fm->both, A_BOLD, _("Import of %s from %s"), _(csv_kind_labels[kind]), path);
    lines_add(&fm->both, A_NORMAL, "%s", "");
    /* The file is the user's: opened with the user's rights, never the
     * store's group's (a setgid fitcase), and once, for both runs. */
    struct cli_priv priv;
    cli_priv_drop(&priv);
    FILE *in = fopen(path, "rb");
    int open_errno = errno;
    cli_priv_restore(&priv);
    int rc = FC_EINVAL;
    if (in)
        rc = fc_csv_import_stream(t->st, who, (enum fc_csv_kind)kind, path, in, &o, &sum, err);
    else
        snprintf(err->msg, sizeof err->msg, _("%s: cannot open: %s"), path,
                 strerror(open_errno));
    if (rc != FC_OK || (sum.bad && !skip)) {
        if (in)
            fclose(in);
        /* Nothing written: the store is as it was. */
        struct tui_lines problems = fm->both;
        fm->both = (struct tui_lines){ 0 };
        lines_add(&fm->both, A_BOLD, "%s", problems.v[0].text);
        lines_add(&fm->both, A_NORMAL, "%s", "");
        if (sum.bad)
            lines_add(&fm->both, A_BOLD,
                      ngettext("Nothing was imported: %llu of %llu rows has a problem.",
                               "Nothing was imported: %llu of %llu rows have problems.",
                               (unsigned long)sum.bad),
                      (unsigned long long)sum.bad, (unsigned long long)sum.read);
        else
            lines_add(&fm->both, A_BOLD, _("Nothing was imported: %s"), err->msg);
        lines_add(&fm->both, A_NORMAL, "%s", "");
        for (size_t i = 2; i < problems.n; i++)
            lines_add(&fm->both, problems.v[i].attr, "%s", problems.v[i].text);
        imp_more(&im);
        lines_clear(&problems);
        t->message[0] = '\0';
        *err = (struct fc_err){ 0 };
        fc_store_set_bulk(t->st, false);
        return FC_OK;
    }
    /* The checks passed: the import proper, which checks each row again. */
    lines_clear(&fm->both);
    im = (struct imp){ .l = &fm->both };
    lines_add(&fm->both, A_BOLD, _("Import of %s from %s"), _(csv_kind_labels[kind]), path);
    lines_add(&fm->both, A_NORMAL, "%s", "");
    size_t head = fm->both.n;
    tui_message(t, _("Importing %s ..."), path);
    tui_update(t);
    o.dry_run = false;
    if (fseeko(in, 0, SEEK_SET) == 0) {
        rc = fc_csv_import_stream(t->st, who, (enum fc_csv_kind)kind, path, in, &o, &sum, err);
    } else {
        /* A pipe named as the file: the check read it all. */
        sum = (struct fc_import_summary){ 0 };
        rc = FC_ESTORE;
        snprintf(err->msg, sizeof err->msg, _("%s: cannot read the file again: %s"), path,
                 strerror(errno));
    }
    fclose(in);
    fc_store_set_bulk(t->st, false);
    t->message[0] = '\0';
    struct tui_lines problems = { 0 };
    for (size_t i = head; i < fm->both.n; i++)
        lines_add(&problems, fm->both.v[i].attr, "%s", fm->both.v[i].text);
    while (fm->both.n > head)
        free(fm->both.v[--fm->both.n].text);
    if (rc != FC_OK)
        lines_add(&fm->both, A_BOLD, _("The import stopped: %s"), err->msg);
    lines_add(&fm->both, A_BOLD,
              _("%llu rows read: %llu imported, %llu already there, %llu repeated in the file, "
                "%llu left out."),
              (unsigned long long)sum.read, (unsigned long long)sum.imported,
              (unsigned long long)sum.unchanged, (unsigned long long)sum.duplicates,
              (unsigned long long)sum.skipped);
    lines_add(&fm->both, A_NORMAL, _("The file is %s, its fields separated by %s."),
              sum.encoding == FC_CSV_CP1252 ? "Windows-1252" : "UTF-8",
              sum.delimiter == ';' ? _("semicolons") : sum.delimiter == '\t' ? _("tabs")
                                                                             : _("commas"));
    if (problems.n) {
        lines_add(&fm->both, A_NORMAL, "%s", "");
        lines_add(&fm->both, A_BOLD, "%s", _("Rows left out and warnings:"));
        for (size_t i = 0; i < problems.n; i++)
            lines_add(&fm->both, problems.v[i].attr, "%s", problems.v[i].text);
        imp_more(&im);
    }
    lines_clear(&problems);
    *err = (struct fc_err){ 0 };
    return FC_OK;
}

int forms_save(struct tui *t, struct form *fm, struct fc_err *err)
{
    if (fm->kind == FORM_IMPORT)
        return run_import(t, fm, err);
    struct save sv = { .t = t, .fm = fm };
    int rc = fc_store_write(t->st, t->opts->login ? t->opts->login : "", write_fn, &sv, err);
    if (rc != FC_OK && sv.nothing) {
        *err = (struct fc_err){ 0 };
        if (fm->kind == FORM_ABSENCE)
            snprintf(fm->done, sizeof fm->done,
                     ngettext("Nothing to save: the %d school day is recorded so already.",
                              "Nothing to save: the %d school days are recorded so already.",
                              sv.skipped),
                     sv.skipped);
        else
            snprintf(fm->done, sizeof fm->done, "%s",
                     _("Nothing was changed, so nothing was saved."));
        return FC_OK;
    }
    if (rc != FC_OK)
        return rc;
    fm->case_id = sv.case_id;
    char day[11];
    fc_date_format_dk(fm->meeting.date, day);
    if (fm->kind == FORM_MEETING && fm->deleting)
        snprintf(fm->done, sizeof fm->done,
                 ngettext("The meeting of %s was deleted, with its %d rating.",
                          "The meeting of %s was deleted, with its %d ratings.", sv.removed),
                 day, sv.removed);
    else if (fm->kind == FORM_MEETING && fm->meeting_id && (sv.added || sv.changed || sv.removed))
        snprintf(fm->done, sizeof fm->done,
                 _("The meeting was saved; ratings: %d added, %d changed, %d removed."),
                 sv.added, sv.changed, sv.removed);
    if (fm->kind == FORM_ABSENCE && !sv.changed && !sv.removed)
        snprintf(fm->done, sizeof fm->done,
                 ngettext("%d absence day saved; %d were recorded already.",
                          "%d absence days saved; %d were recorded already.", sv.added),
                 sv.added, sv.skipped);
    else if (fm->kind == FORM_ABSENCE)
        snprintf(fm->done, sizeof fm->done,
                 _("Absence saved: %d days added, %d changed, %d removed; %d were so already."),
                 sv.added, sv.changed, sv.removed, sv.skipped);
    return FC_OK;
}

/* ---- conflicts ----------------------------------------------------------------------- */

/* Moves a freshly built form into fm, keeping fm's address (the pick
 * fields point at choices inside the form). */
static void form_move(struct form *fm, struct form *fresh)
{
    struct form old = *fm;
    *fm = *fresh;
    for (int i = 0; i < fm->n; i++)
        if (fm->f[i].ch) {
            ptrdiff_t off = (const char *)fm->f[i].ch - (const char *)fresh;
            fm->f[i].ch = (const struct choices *)((const char *)fm + off);
        }
    free(fresh);
    struct form *shell = malloc(sizeof *shell);
    if (shell) {
        *shell = old;
        form_free(shell);
    }
}

int forms_reload(struct tui *t, struct form *fm, struct fc_err *err)
{
    struct form *fresh = forms_new(t, fm->kind, fm->case_id, fm->arg, err);
    if (!fresh)
        return err->code;
    form_move(fm, fresh);
    return FC_OK;
}

int forms_take_over(struct tui *t, struct form *fm, struct fc_err *err)
{
    if (fm->kind == FORM_MEETING) {
        /* The save makes the meeting what the form says, whatever is
         * stored now (save_meeting). */
        fm->force = true;
        return FC_OK;
    }
    struct form *fresh = forms_new(t, fm->kind, fm->case_id, fm->arg, err);
    if (!fresh)
        return err->code;
    fm->base = fresh->base;
    fm->pupil.version = fresh->pupil.version;
    if (fm->kind == FORM_CASE_EDIT)
        form_set(fm, "base", form_text(fresh, "base"));
    form_free(fresh);
    return FC_OK;
}

void forms_both(struct tui *t, struct form *fm)
{
    struct fc_err err = { 0 };
    lines_clear(&fm->both);
    struct form *fresh = forms_new(t, fm->kind, fm->case_id, fm->arg, &err);
    lines_add(&fm->both, A_BOLD, "%s",
              _("Yours (typed here) and saved (by someone else since you opened the form):"));
    lines_add(&fm->both, A_NORMAL, "%s", "");
    if (!fresh) {
        lines_add(&fm->both, A_NORMAL, "%s", err.msg);
        return;
    }
    if (fm->kind == FORM_PHASE) {
        lines_add(&fm->both, A_NORMAL, _("Phase when you opened the form: %s"),
                  phase_name(fm, fm->base.phase));
        lines_add(&fm->both, A_NORMAL, _("Phase saved now:                %s"),
                  phase_name(fresh, fresh->base.phase));
    }
    int shown = 0;
    for (int i = 0; i < fm->n; i++) {
        struct field *mine = &fm->f[i], *theirs = form_field(fresh, mine->key);
        const char *s = theirs ? theirs->ed.buf : "";
        if (mine->kind == FK_HIDDEN || strcmp(mine->ed.buf, s) == 0)
            continue;
        lines_add(&fm->both, A_BOLD, "%s", mine->label ? mine->label : mine->key);
        lines_add(&fm->both, A_NORMAL, "  %-7s %s", _("yours"), mine->ed.buf);
        lines_add(&fm->both, A_NORMAL, "  %-7s %s", _("saved"), s);
        shown++;
    }
    if (!shown && fm->kind != FORM_PHASE)
        lines_add(&fm->both, A_NORMAL, "%s",
                  _("The fields of this form are the same; the change is elsewhere in the case."));
    form_free(fresh);
}
