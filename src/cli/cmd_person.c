/* fitcase export person NAME [--csv] [-o FILE]: everything the store holds
 * about one person, for a request for access (aktindsigt). A pupil of
 * that name: their record, absence, cases, phase events, meetings and
 * ratings. Anyone else (a guardian, a teacher who rated): where they are
 * named (guardian, consent, participant) and the ratings they gave; a
 * guardian also gets the unnamed mother/father/guardian ratings of their
 * child's cases. Only what the login may see: the team's own cases. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fitcase/csv.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/report.h"
#include "fitcase/score.h"
#include "fitcase/text.h"

int cli_export_person(struct cli *c, int argc, char **argv);

struct person {
    struct fc_txn *txn;
    FILE *out;
    bool csv;
    char want[FC_NAME_MAX * 3];   /* folded */
    char last[64];                /* the record the text output is in */
    size_t lines;
    struct fc_vec pupils, guarded;   /* fc_id each: the person's, the guarded */
};

static bool same_name(const struct person *p, const char *name)
{
    char f[FC_NAME_MAX * 3];
    fc_fold(name, f, sizeof f);
    return f[0] && strcmp(f, p->want) == 0;
}

static void put(struct person *p, const char *record, fc_id id, fc_id case_id, fc_date date,
                const char *field, const char *value)
{
    char d[11] = "", head[64];
    if (date != FC_DATE_NONE)
        fc_date_format(date, d);
    p->lines++;
    if (p->csv) {
        char ids[2][12];
        snprintf(ids[0], sizeof ids[0], "%u", (unsigned)id);
        snprintf(ids[1], sizeof ids[1], "%u", (unsigned)case_id);
        fc_csv_field(p->out, true, record);
        fc_csv_field(p->out, false, ids[0]);
        fc_csv_field(p->out, false, case_id ? ids[1] : "");
        fc_csv_field(p->out, false, d);
        fc_csv_field(p->out, false, field);
        fc_csv_field(p->out, false, value);
        fputc('\n', p->out);
        return;
    }
    /* Absence days share their pupil's id: the date goes on each line. */
    bool per_line = strcmp(record, "absence") == 0;
    snprintf(head, sizeof head, "%s %u", record, (unsigned)id);
    if (strcmp(head, p->last) != 0) {
        snprintf(p->last, sizeof p->last, "%s", head);
        fprintf(p->out, "\n%s%s%s\n", head, d[0] && !per_line ? ", " : "", per_line ? "" : d);
    }
    if (per_line)
        fprintf(p->out, "  %s %s: %s\n", d, field, value);
    else
        fprintf(p->out, "  %s: %s\n", field, value);
}

static void put_list(struct person *p, const char *record, fc_id id, fc_id case_id,
                     const char *field, const char (*items)[FC_NAME_MAX], int n)
{
    for (int i = 0; i < n; i++)
        put(p, record, id, case_id, FC_DATE_NONE, field, items[i]);
}

static void put_date(struct person *p, const char *record, fc_id id, fc_id case_id,
                     const char *field, fc_date d)
{
    char s[11] = "";
    if (d != FC_DATE_NONE)
        fc_date_format(d, s);
    put(p, record, id, case_id, FC_DATE_NONE, field, s);
}

static int on_absence(const struct fc_absence *a, void *ctx)
{
    struct person *p = ctx;
    put(p, "absence", a->pupil_id, 0, a->date, "kind", fc_absence_kind_code(a->kind));
    return 0;
}

static void put_pupil(struct person *p, const struct fc_pupil *x)
{
    char n[16];
    struct fc_school s = { 0 };
    put(p, "pupil", x->id, 0, FC_DATE_NONE, "name", x->name);
    put_date(p, "pupil", x->id, 0, "birth_date", x->birth_date);
    snprintf(n, sizeof n, "%d", x->grade);
    put(p, "pupil", x->id, 0, FC_DATE_NONE, "grade", n);
    if (x->school_id && fc_school_get(p->txn, x->school_id, &s, NULL) == FC_OK)
        put(p, "pupil", x->id, 0, FC_DATE_NONE, "school", s.name);
    put_list(p, "pupil", x->id, 0, "guardian", x->guardians, x->nguardians);
    fc_absence_of_pupil(p->txn, x->id, FC_DATE_NONE, FC_DATE_NONE, on_absence, p);
}

static void put_case(struct person *p, const struct fc_case *k)
{
    char v[64];
    struct fc_staff s;
    put_date(p, "case", k->id, k->id, "concern_date", k->concern_date);
    put_date(p, "case", k->id, k->id, "closed_date", k->closed_date);
    put(p, "case", k->id, k->id, FC_DATE_NONE, "status", k->status == FC_CASE_OPEN ? "open" : "closed");
    snprintf(v, sizeof v, "%s %d", k->model_id, k->phase + 1);
    put(p, "case", k->id, k->id, FC_DATE_NONE, "phase", v);
    if (k->coordinator && fc_staff_get(p->txn, k->coordinator, &s, NULL) == FC_OK)
        put(p, "case", k->id, k->id, FC_DATE_NONE, "coordinator", s.name);
    if (k->exclusions || k->exclusion_reason[0])
        put(p, "case", k->id, k->id, FC_DATE_NONE, "exclusion_reason", k->exclusion_reason);
    put_list(p, "case", k->id, k->id, "consent", k->consent, k->nconsent);
    for (int i = 0; i < k->ngoals; i++)
        put(p, "case", k->id, k->id, FC_DATE_NONE, "goal", k->goals[i]);
    for (int i = 0; i < k->ninterventions; i++)
        put(p, "case", k->id, k->id, k->interventions[i].start, "intervention",
            k->interventions[i].kind);
    put(p, "case", k->id, k->id, FC_DATE_NONE, "summary_interventions", k->summary_interventions);
    put(p, "case", k->id, k->id, FC_DATE_NONE, "summary_hypotheses", k->summary_hypotheses);
    put(p, "case", k->id, k->id, FC_DATE_NONE, "summary_agreements", k->summary_agreements);
}

static int on_event(const struct fc_phase_event *e, void *ctx)
{
    struct person *p = ctx;
    char v[FC_TEXT_MAX + 64];
    snprintf(v, sizeof v, "%d -> %d by %s: %s", e->from_phase + 1, e->to_phase + 1, e->who,
             e->note);
    put(p, "phase_event", e->seq, e->case_id, fc_date_from_unix(e->when), "phase", v);
    return 0;
}

static void put_meeting(struct person *p, const struct fc_meeting *m)
{
    put(p, "meeting", m->id, m->case_id, m->date, "kind", fc_meeting_kind_code(m->kind));
    put_list(p, "meeting", m->id, m->case_id, "participant", m->participants, m->nparticipants);
    put(p, "meeting", m->id, m->case_id, m->date, "notes", m->notes);
    put(p, "meeting", m->id, m->case_id, m->date, "agreements", m->agreements);
}

static void put_rating(struct person *p, const struct fc_rating *r)
{
    char v[256], t[5][8];
    for (int i = 0; i < FC_ITEMS; i++) {
        if (r->items[i] == FC_ITEM_NONE)
            snprintf(t[i], sizeof t[i], "-");
        else
            fc_tenths_format(r->items[i], '.', t[i]);
    }
    fc_tenths_format(r->total, '.', t[4]);
    snprintf(v, sizeof v, "%s by %s%s%s: %s %s %s %s = %s", fc_scale_code(r->scale),
             fc_rater_code(r->rater), r->rater_name[0] ? " " : "", r->rater_name, t[0], t[1],
             t[2], t[3], t[4]);
    put(p, "rating", r->id, r->case_id, r->date, "rating", v);
}

/* ---- walking what the login may see ---------------------------------------- */

static bool has_id(const struct fc_vec *v, fc_id id)
{
    const fc_id *ids = v->data;
    for (size_t i = 0; i < v->n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static int on_pupil(const struct fc_pupil *x, void *ctx)
{
    struct person *p = ctx;
    if (same_name(p, x->name)) {
        put_pupil(p, x);
        return fc_vec_push(&p->pupils, &x->id, sizeof x->id) ? 1 : 0;
    }
    for (int i = 0; i < x->nguardians; i++)
        if (same_name(p, x->guardians[i])) {
            put(p, "pupil", x->id, 0, FC_DATE_NONE, "guardian", x->guardians[i]);
            return fc_vec_push(&p->guarded, &x->id, sizeof x->id) ? 1 : 0;
        }
    return 0;
}

struct in_case {
    struct person *p;
    bool whole;               /* the person is the pupil */
    bool parent;              /* the person is a guardian of the pupil */
};

static int on_meeting(const struct fc_meeting *m, void *ctx)
{
    struct in_case *ic = ctx;
    bool named = false;
    for (int i = 0; i < m->nparticipants; i++)
        named |= same_name(ic->p, m->participants[i]);
    if (ic->whole || named)
        put_meeting(ic->p, m);
    return 0;
}

static bool parent_rater(int r)
{
    return r == FC_RATER_MOTHER || r == FC_RATER_FATHER || r == FC_RATER_GUARDIAN;
}

static int on_rating(const struct fc_rating *r, void *ctx)
{
    struct in_case *ic = ctx;
    if (ic->whole || same_name(ic->p, r->rater_name) ||
        (ic->parent && parent_rater(r->rater) && !r->rater_name[0]))
        put_rating(ic->p, r);
    return 0;
}

static int on_case(const struct fc_case *k, void *ctx)
{
    struct person *p = ctx;
    struct in_case ic = { .p = p, .whole = has_id(&p->pupils, k->pupil_id),
                          .parent = has_id(&p->guarded, k->pupil_id) };
    if (ic.whole) {
        put_case(p, k);
        fc_phase_events_of_case(p->txn, k->id, on_event, p);
    } else {
        for (int i = 0; i < k->nconsent; i++)
            if (same_name(p, k->consent[i]))
                put(p, "case", k->id, k->id, FC_DATE_NONE, "consent", k->consent[i]);
    }
    fc_meetings_of_case(p->txn, k->id, on_meeting, &ic);
    fc_ratings_of_case(p->txn, k->id, on_rating, &ic);
    return 0;
}

struct person_job {
    const char *name;
    bool csv;
};

static int write_person(struct cli *c, const char *name, bool csv, FILE *out,
                        struct fc_err *err)
{
    struct person p = { .out = out, .csv = csv };
    fc_fold(name, p.want, sizeof p.want);
    if (!p.want[0]) {
        snprintf(err->msg, sizeof err->msg, _("export person needs a name"));
        return err->code = FC_EINVAL;
    }
    if (fc_read_begin(c->st, &p.txn, err) != FC_OK)
        return err->code;
    char today[11];
    fc_date_format(cli_today(), today);
    if (csv)
        fputs("record,id,case_id,date,field,value\n", out);
    else
        fprintf(out, _("Everything stored about \"%s\" that %s may see, %s (request for "
                       "access)\n"), name, c->user, today);
    int rc = fc_pupils_each(p.txn, on_pupil, &p);
    if (rc == 0)
        rc = fc_cases_each(p.txn, on_case, &p);
    fc_read_end(p.txn);
    fc_vec_free(&p.pupils);
    fc_vec_free(&p.guarded);
    if (rc != 0) {
        snprintf(err->msg, sizeof err->msg, _("the store cannot be read; run fitcase verify"));
        return err->code = FC_ESTORE;
    }
    if (!csv && p.lines == 0)
        fprintf(out, _("\nNothing is stored about this name.\n"));
    return FC_OK;
}

static int write_person_to(struct cli *c, FILE *f, void *ctx, struct fc_err *err)
{
    const struct person_job *j = ctx;
    return write_person(c, j->name, j->csv, f, err);
}

/* Called by `fitcase export` for the kind "person". */
int cli_export_person(struct cli *c, int argc, char **argv)
{
    static const char usage[] = "export person NAME [--csv] [-o FILE]";
    const char *name = NULL, *path = NULL;
    bool csv = false;
    int i = 2;
    while (i < argc) {
        if (cli_opt_value(argc, argv, &i, "-o", &path) ||
            cli_opt_value(argc, argv, &i, "--output", &path))
            continue;
        if (strcmp(argv[i], "--csv") == 0)
            csv = true;
        else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else
            return cli_usage(usage);
        i++;
    }
    if (!name)
        return cli_usage(usage);
    if (cli_open(c, false) != 0)
        return 1;
    return cli_write_output(c, path, write_person_to, &(struct person_job){ name, csv });
}
