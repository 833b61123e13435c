/* The domain's forms: which fields, what each accepts, and the one write
 * transaction a save is. Lookups and the edited records are read in one
 * short read transaction when a form opens; the version read then is the
 * one the save checks, so nobody's later save is silently overwritten. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/absence.h"
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

enum { ROW_ORS = 1, ROW_SRS = 1 + RATING_ROWS_ORS, ROW_INTERVENTION = 100,
       INTERVENTION_ROWS = 5, GOAL_ROWS = 6 };

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

static void build_meeting(struct form *fm)
{
    snprintf(fm->title, sizeof fm->title, _("New meeting: %s #%u"), fm->pupil.name,
             (unsigned)fm->case_id);
    for (int k = 0; k < FC_MEET_KIND_COUNT; k++)
        choices_add(&fm->kinds, label_meeting_kind(k), k);
    for (int r = 0; r < FC_RATER_COUNT; r++)
        choices_add(&fm->raters, label_rater(r), r);
    fm->raters.alias = fc_rater_lookup;
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
    int rows[2] = { RATING_ROWS_ORS, RATING_ROWS_SRS };
    fm->total_x = 47;
    fm->err_x = 54;
    for (int s = 0; s < 2; s++) {
        form_label(fm, y++, 2, A_BOLD, _(heads[s]));
        char colhead[128];
        /* Padded by characters: "Bedømmer" has more bytes than letters. */
        int pad = 16 - (int)fc_utf8_len(_("Rater"));
        snprintf(colhead, sizeof colhead, "%s%*s %-5s %-5s %-5s %-5s %s", _("Rater"),
                 pad > 0 ? pad : 0, "", "1", "2", "3", "4", _("Total"));
        form_label(fm, y++, 4, A_NORMAL, colhead);
        for (int i = 0; i < rows[s]; i++, y++) {
            int row = (s ? ROW_SRS : ROW_ORS) + i;
            char key[24];
            snprintf(key, sizeof key, "%s%d.rater", s ? "srs" : "ors", i + 1);
            f = cell(fm, FK_PICK, key, y, 4, 16, row);
            f->ch = &fm->raters;
            for (int k = 0; k < FC_ITEMS; k++) {
                snprintf(key, sizeof key, "%s%d.i%d", s ? "srs" : "ors", i + 1, k + 1);
                cell(fm, FK_ITEM, key, y, 21 + 6 * k, 5, row);
            }
        }
    }
    set_date(fm, "date", fm->today);
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
    fm->abs_kinds.alias = fc_absence_kind_lookup;
    add(fm, FK_DATE, "from", _("From"), 0, 12, true);
    add(fm, FK_DATE, "to", _("To (empty: one day)"), 1, 12, false);
    struct field *f = add(fm, FK_PICK, "kind", _("Kind"), 2, 26, true);
    f->ch = &fm->abs_kinds;
    form_label(fm, 4, 2, A_NORMAL,
               _("School days only: weekends and holidays in a range are skipped."));
    set_date(fm, "from", fm->today);
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
    fm->kind = kind;
    fm->case_id = case_id;
    fm->arg = arg;
    fm->today = t->opts->today;
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
    case FORM_MEETING:   build_meeting(fm); break;
    case FORM_ABSENCE:   build_absence(fm); break;
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

static void check_rater(struct form *fm, struct field *f)
{
    if (f->pick < 0)
        return;
    bool srs = f->row >= ROW_SRS;
    for (int i = 0; i < fm->n; i++) {
        struct field *g = &fm->f[i];
        if (g != f && g->row && (g->row >= ROW_SRS) == srs && g->kind == FK_PICK &&
            g->pick == f->pick && g->row < f->row) {
            seterr(f, false, _("%s has already rated %s in this meeting"),
                   label_rater((int)f->pick), srs ? "SRS" : "ORS");
            return;
        }
    }
    if (!rater_consented(fm, (int)f->pick))
        seterr(f, true, _("Warning: %s is not on the consent list"), label_rater((int)f->pick));
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
                          : strncmp(f->key, "goal", 4) == 0 ? FC_NAME_MAX * 2
                          : FC_TEXT_MAX))
            seterr(f, false, "%s", _("Too long"));
        break;
    }
    if (f->err[0])
        return;
    if (fm->kind == FORM_MEETING && f->row && f->kind == FK_PICK && leaving)
        check_rater(fm, f);
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
    if (fm->kind == FORM_MEETING) {
        for (int row = ROW_ORS; row < ROW_SRS + RATING_ROWS_SRS; row++) {
            struct field *rater = NULL, *missing = NULL;
            int filled = 0;
            for (int i = 0; i < fm->n; i++) {
                struct field *f = &fm->f[i];
                if (f->row != row)
                    continue;
                if (f->kind == FK_PICK)
                    rater = f;
                else if (f->ed.buf[0])
                    filled++;
                else if (!missing)
                    missing = f;
            }
            if (rater && rater->pick >= 0 && missing) {
                seterr(missing, false, _("Four items are needed; item %c is missing"),
                       missing->key[strlen(missing->key) - 1]);
                ok = false;
            } else if (rater && rater->pick < 0 && filled) {
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
    int added, skipped;        /* absence days */
};

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
    return fc_case_put(txn, &c, err);
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

static int save_meeting(struct fc_txn *txn, struct save *sv, struct fc_err *err)
{
    struct form *fm = sv->fm;
    struct fc_meeting m = { .case_id = fm->case_id, .date = date_of(fm, "date"),
                            .kind = (uint8_t)form_field(fm, "kind")->pick };
    bool too_long;
    m.nparticipants = (uint8_t)split_list(form_text(fm, "participants"), m.participants,
                                          FC_LIST_MAX, &too_long);
    fc_strlcpy_utf8(m.notes, form_text(fm, "notes"), sizeof m.notes);
    fc_strlcpy_utf8(m.agreements, form_text(fm, "agreements"), sizeof m.agreements);
    int rc = fc_meeting_put(txn, &m, err);
    for (int row = ROW_ORS; rc == FC_OK && row < ROW_SRS + RATING_ROWS_SRS; row++) {
        struct fc_rating r = { .case_id = fm->case_id, .meeting_id = m.id, .date = m.date,
                               .scale = row >= ROW_SRS ? FC_SRS : FC_ORS,
                               .total = FC_ITEM_NONE };
        int k = 0;
        bool has = false;
        for (int i = 0; i < fm->n; i++) {
            struct field *f = &fm->f[i];
            if (f->row != row)
                continue;
            if (f->kind == FK_PICK) {
                has = f->pick >= 0;
                r.rater = (uint8_t)(has ? f->pick : 0);
            } else if (k < FC_ITEMS) {
                int v = 0;
                fc_item_parse(f->ed.buf, true, &v, &(struct fc_err){ 0 });
                r.items[k++] = (int16_t)v;
            }
        }
        if (!has)
            continue;
        rc = fc_rating_normalize(&r, err);
        if (rc == FC_OK)
            rc = fc_rating_put(txn, &r, err);
    }
    sv->case_id = fm->case_id;
    return rc;
}

static int save_absence(struct fc_txn *txn, struct save *sv, struct fc_err *err)
{
    struct form *fm = sv->fm;
    fc_date a = date_of(fm, "from"), b = date_of(fm, "to");
    if (b == FC_DATE_NONE)
        b = a;
    sv->added = sv->skipped = 0;
    for (fc_date d = a; d <= b; d++) {
        if (!school_day(fm, d))
            continue;
        struct fc_absence ab = { .pupil_id = fm->pupil.id, .date = d,
                                 .kind = (uint8_t)form_field(fm, "kind")->pick };
        int rc = fc_absence_put(txn, &ab, err);
        if (rc == FC_EEXIST) {
            sv->skipped++;
            continue;
        }
        if (rc != FC_OK)
            return rc;
        sv->added++;
    }
    sv->case_id = fm->case_id;
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

int forms_save(struct tui *t, struct form *fm, struct fc_err *err)
{
    struct save sv = { .t = t, .fm = fm };
    int rc = fc_store_write(t->st, t->opts->login ? t->opts->login : "", write_fn, &sv, err);
    if (rc != FC_OK)
        return rc;
    fm->case_id = sv.case_id;
    if (fm->kind == FORM_ABSENCE)
        snprintf(fm->done, sizeof fm->done,
                 ngettext("%d absence day saved; %d were recorded already.",
                          "%d absence days saved; %d were recorded already.", sv.added),
                 sv.added, sv.skipped);
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
        if (strcmp(mine->ed.buf, s) == 0)
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
