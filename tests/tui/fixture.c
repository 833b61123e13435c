/* A small, fixed store for the screen tests, built with the store API so
 * expected screens do not move when the demo generator changes; and the
 * writes "another user" makes while a screen is open.
 *
 *   fixture DIR build           a new store: 18 cases, Danish and wide names
 *   fixture DIR add-meeting ID  a status meeting with ORS today on case ID
 *   fixture DIR advance ID      moves case ID to its next phase
 *   fixture DIR touch           a write nothing on the screen shows
 *   fixture DIR edit-meeting ID new notes on meeting ID and an ORS by the father
 *   fixture DIR audit [SEQ]     prints the audit log (from entry SEQ on)
 *   fixture DIR meetings ID     prints case ID's meetings and ratings
 *   fixture DIR colleagues      kirsten, a third caseworker in Nord, and two
 *                               open cases of hers naming neither mette nor
 *                               lars (Sigrid Kofoed #19, Bo Hansen #20); anne,
 *                               an administrator in Nord; adam, one in no team */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/date.h"
#include "fitcase/score.h"
#include "fitcase/store.h"

static fc_date today;

static fc_date day(const char *iso)
{
    fc_date d;
    struct fc_err err;
    if (fc_date_parse(iso, &d, &err) != FC_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(1);
    }
    return d;
}

#define TRY(call) do { if ((call) != FC_OK) return err->code; } while (0)

static int rating(struct fc_txn *txn, const struct fc_meeting *m, enum fc_scale scale,
                  enum fc_rater rater, int a, int b, int c, int d, struct fc_err *err)
{
    struct fc_rating r = { .case_id = m->case_id, .meeting_id = m->id, .date = m->date,
                           .scale = (uint8_t)scale, .rater = (uint8_t)rater,
                           .items = { (int16_t)a, (int16_t)b, (int16_t)c, (int16_t)d },
                           .total = -1 };
    return fc_rating_put(txn, &r, err);
}

static int meeting(struct fc_txn *txn, fc_id case_id, const char *date,
                   enum fc_meeting_kind kind, const char *notes, struct fc_meeting *m,
                   struct fc_err *err)
{
    *m = (struct fc_meeting){ .case_id = case_id, .date = day(date), .kind = (uint8_t)kind };
    snprintf(m->notes, sizeof m->notes, "%s", notes);
    return fc_meeting_put(txn, m, err);
}

struct ids {
    fc_id team[2], mette, lars, school[4];
};

static int people(struct fc_txn *txn, struct ids *ids, struct fc_err *err)
{
    static const char *const teams[] = { "FIT-team Nord", "FIT-team Syd" };
    for (int i = 0; i < 2; i++) {
        struct fc_team t = { 0 };
        snprintf(t.name, sizeof t.name, "%s", teams[i]);
        TRY(fc_team_put(txn, &t, err));
        ids->team[i] = t.id;
    }
    struct fc_staff m = { .role = FC_ROLE_CASEWORKER, .active = true, .team_id = ids->team[0] };
    snprintf(m.login, sizeof m.login, "mette");
    snprintf(m.name, sizeof m.name, "Mette Kjærgaard");
    TRY(fc_staff_put(txn, &m, err));
    ids->mette = m.id;
    struct fc_staff l = { .role = FC_ROLE_CASEWORKER, .active = true, .team_id = ids->team[1] };
    snprintf(l.login, sizeof l.login, "lars");
    snprintf(l.name, sizeof l.name, "Lars Bøgh");
    TRY(fc_staff_put(txn, &l, err));
    ids->lars = l.id;
    /* Nord's lead: the leader's view of a team. Coordinates nothing. */
    struct fc_staff lead = { .role = FC_ROLE_LEAD, .active = true, .team_id = ids->team[0] };
    snprintf(lead.login, sizeof lead.login, "lone");
    snprintf(lead.name, sizeof lead.name, "Lone Holst");
    TRY(fc_staff_put(txn, &lead, err));
    static const char *const schools[] = {
        "Ærø Skole", "Nørrebro Skole", "Bakkeskolen", "Østerbro Skole",
    };
    for (int i = 0; i < 4; i++) {
        struct fc_school s = { 0 };
        snprintf(s.name, sizeof s.name, "%s", schools[i]);
        TRY(fc_school_put(txn, &s, err));
        ids->school[i] = s.id;
    }
    static const char *const holidays[] = { "2026-10-12", "2026-10-13", "2026-10-14",
                                            "2026-10-15", "2026-10-16" };
    for (int i = 0; i < 5; i++) {
        struct fc_holiday h = { .date = day(holidays[i]) };
        snprintf(h.description, sizeof h.description, "Efterårsferie");
        TRY(fc_holiday_put(txn, &h, err));
    }
    return FC_OK;
}

struct spec {
    const char *name, *born, *concern, *model;
    int grade, school, phase;
    bool lars, closed;
};

static const struct spec specs[] = {
    { "Søren Østergaard", "2013-03-14", "2026-09-01", "fit", 7, 0, 1, false, false },
    { "Åse Brøndum", "2015-06-02", "2026-05-04", "roskilde", 5, 1, 1, true, false },
    { "Mei Lin 林美", "2012-11-30", "2026-10-05", "national", 8, 1, 0, false, false },
    { "Jens Ærenlund", "2011-01-20", "2026-02-02", "fit", 9, 2, 3, false, true },
    { "Anna Hansen", "2014-08-08", "2026-10-26", "fit", 6, 3, 0, true, false },
    { "Mikkel Dahl", "2013-05-05", "2026-09-14", "fit", 7, 2, 2, false, false },
    { "Freja Lund", "2012-02-12", "2026-08-24", "roskilde", 8, 0, 2, false, false },
    { "Oliver Holm", "2014-04-04", "2026-11-02", "fit", 6, 3, 0, true, false },
    { "Clara Madsen", "2015-09-09", "2026-09-28", "national", 5, 1, 1, false, false },
    { "Noah Poulsen", "2011-12-12", "2026-07-01", "fit", 9, 0, 2, true, false },
    { "Ida Kjær", "2013-07-17", "2026-10-19", "fit", 7, 2, 0, false, false },
    { "Emil Bæk", "2012-10-10", "2026-06-15", "roskilde", 8, 3, 2, false, false },
    { "Laura Thomsen", "2014-01-31", "2026-09-07", "fit", 6, 0, 1, true, false },
    { "Magnus Olsen", "2013-11-11", "2026-08-03", "national", 7, 1, 2, false, false },
    { "Sofie Møller", "2015-03-03", "2026-10-12", "fit", 5, 2, 0, false, false },
    { "William Larsen", "2012-06-06", "2026-09-21", "roskilde", 8, 3, 1, true, false },
    { "Agnes Dahl", "2014-12-24", "2026-11-09", "fit", 6, 0, 0, false, false },
    { "Viktor Jensen", "2011-09-19", "2026-04-06", "fit", 9, 1, 3, false, true },
};

static int add_case(struct fc_txn *txn, const struct ids *ids, const struct spec *s,
                    fc_id *case_id, fc_id *pupil_id, struct fc_err *err)
{
    struct fc_pupil p = { .birth_date = day(s->born), .grade = (int8_t)s->grade,
                          .school_id = ids->school[s->school], .nguardians = 2 };
    snprintf(p.name, sizeof p.name, "%s", s->name);
    const char *last = strrchr(s->name, ' ');
    snprintf(p.guardians[0], FC_NAME_MAX, "Hanne%s", last ? last : "");
    snprintf(p.guardians[1], FC_NAME_MAX, "Peter%s", last ? last : "");
    TRY(fc_pupil_put(txn, &p, err));
    struct fc_case c = { .pupil_id = p.id, .status = FC_CASE_OPEN,
                         .concern_date = day(s->concern), .closed_date = FC_DATE_NONE,
                         .coordinator = s->lars ? ids->lars : ids->mette,
                         .secondary = s->lars ? ids->mette : ids->lars,
                         .team_id = ids->team[s->lars ? 1 : 0], .nconsent = 2, .ngoals = 1,
                         .ninterventions = 1 };
    snprintf(c.model_id, sizeof c.model_id, "%s", s->model);
    snprintf(c.consent[0], FC_NAME_MAX, "Skolen");
    snprintf(c.consent[1], FC_NAME_MAX, "%s", p.guardians[0]);
    snprintf(c.goals[0], sizeof c.goals[0], "Møde i skole tre dage om ugen");
    c.interventions[0] = (struct fc_intervention){ .start = c.concern_date + 7,
                                                   .end = FC_DATE_NONE };
    snprintf(c.interventions[0].kind, sizeof c.interventions[0].kind, "Følges til skole");
    snprintf(c.interventions[0].who, sizeof c.interventions[0].who, "Lars Bøgh");
    TRY(fc_case_put(txn, &c, err));
    for (int ph = 1; ph <= s->phase; ph++)
        TRY(fc_case_set_phase(txn, &c, ph, "Videre", err));
    if (s->closed) {
        c.status = FC_CASE_CLOSED;
        c.closed_date = c.concern_date + 100;
        snprintf(c.summary_interventions, sizeof c.summary_interventions, "Følges til skole.");
        snprintf(c.summary_hypotheses, sizeof c.summary_hypotheses, "Uro i klassen.");
        snprintf(c.summary_agreements, sizeof c.summary_agreements, "Statusmøde hver fjerde uge.");
        TRY(fc_case_put(txn, &c, err));
    }
    *case_id = c.id;
    *pupil_id = p.id;
    return FC_OK;
}

/* Søren: three meetings with parallel ratings and five absent days in a
 * row (FIT-eligible); Åse: SRS below 36. */
static int histories(struct fc_txn *txn, const fc_id *cases, const fc_id *pupils,
                     struct fc_err *err)
{
    struct fc_meeting m;
    TRY(meeting(txn, cases[0], "2026-09-04", FC_MEET_ENROLMENT, "Første samtale i hjemmet.", &m, err));
    TRY(rating(txn, &m, FC_ORS, FC_RATER_CHILD, 40, 50, 45, 50, err));
    TRY(rating(txn, &m, FC_ORS, FC_RATER_MOTHER, 30, 35, 40, 35, err));
    TRY(rating(txn, &m, FC_SRS, FC_RATER_CHILD, 90, 90, 85, 90, err));
    TRY(meeting(txn, cases[0], "2026-09-25", FC_MEET_STARTUP, "Opstart med skolen.", &m, err));
    TRY(rating(txn, &m, FC_ORS, FC_RATER_CHILD, 55, 60, 50, 60, err));
    TRY(rating(txn, &m, FC_ORS, FC_RATER_TEACHER, 60, 60, 55, 60, err));
    TRY(meeting(txn, cases[0], "2026-11-06", FC_MEET_PARENT,
                "Søren kommer nu tre dage om ugen. Mor oplever mere ro om morgenen.", &m, err));
    TRY(rating(txn, &m, FC_ORS, FC_RATER_CHILD, 65, 70, 60, 70, err));
    TRY(rating(txn, &m, FC_ORS, FC_RATER_MOTHER, 60, 65, 60, 60, err));
    TRY(rating(txn, &m, FC_SRS, FC_RATER_CHILD, 95, 90, 95, 95, err));
    TRY(rating(txn, &m, FC_SRS, FC_RATER_MOTHER, 90, 90, 90, 95, err));
    static const char *const absent[] = { "2026-10-26", "2026-10-27", "2026-10-28",
                                          "2026-10-29", "2026-10-30", "2026-11-17" };
    for (int i = 0; i < 6; i++) {
        struct fc_absence a = { .pupil_id = pupils[0], .date = day(absent[i]),
                                .kind = i == 5 ? FC_ABS_ILLEGAL : FC_ABS_SICK };
        TRY(fc_absence_put(txn, &a, err));
    }
    TRY(meeting(txn, cases[1], "2026-06-10", FC_MEET_STATUS, "Status.", &m, err));
    TRY(rating(txn, &m, FC_ORS, FC_RATER_CHILD, 80, 80, 75, 80, err));
    TRY(rating(txn, &m, FC_SRS, FC_RATER_MOTHER, 80, 80, 80, 80, err));
    return FC_OK;
}

static int build(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    (void)ctx;
    struct ids ids;
    fc_id cases[sizeof specs / sizeof specs[0]], pupils[sizeof specs / sizeof specs[0]];
    TRY(people(txn, &ids, err));
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        TRY(add_case(txn, &ids, &specs[i], &cases[i], &pupils[i], err));
    return histories(txn, cases, pupils, err);
}

static int add_meeting(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    fc_id id = *(fc_id *)ctx;
    struct fc_meeting m = { .case_id = id, .date = today, .kind = FC_MEET_STATUS };
    snprintf(m.notes, sizeof m.notes, "Statusmøde: det går fremad.");
    TRY(fc_meeting_put(txn, &m, err));
    return rating(txn, &m, FC_ORS, FC_RATER_CHILD, 80, 80, 80, 85, err);
}

static int advance(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct fc_case c;
    TRY(fc_case_get(txn, *(fc_id *)ctx, &c, err));
    return fc_case_set_phase(txn, &c, c.phase + 1, "Videre", err);
}

static int edit_meeting(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct fc_meeting m;
    TRY(fc_meeting_get(txn, *(fc_id *)ctx, &m, err));
    snprintf(m.notes, sizeof m.notes, "Lars: far var med.");
    TRY(fc_meeting_put(txn, &m, err));
    return rating(txn, &m, FC_ORS, FC_RATER_FATHER, 50, 50, 50, 50, err);
}

static int staff(struct fc_txn *txn, const char *login, const char *name, enum fc_role role,
                 fc_id team, fc_id *id, struct fc_err *err)
{
    struct fc_staff s = { .role = (uint8_t)role, .active = true, .team_id = team };
    snprintf(s.login, sizeof s.login, "%s", login);
    snprintf(s.name, sizeof s.name, "%s", name);
    TRY(fc_staff_put(txn, &s, err));
    *id = s.id;
    return FC_OK;
}

/* mette's own cases and her team's are the same in the fixture (lars's
 * name her as secondary): kirsten's two make them differ. Søren's school. */
static int colleagues(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    (void)ctx;
    struct fc_staff mette;
    struct fc_case soren;
    struct fc_pupil sp;
    TRY(fc_staff_by_login(txn, "mette", &mette, err));
    TRY(fc_case_get(txn, 1, &soren, err));
    TRY(fc_pupil_get(txn, soren.pupil_id, &sp, err));
    fc_id kirsten, admin;
    TRY(staff(txn, "kirsten", "Kirsten Vang", FC_ROLE_CASEWORKER, mette.team_id, &kirsten, err));
    TRY(staff(txn, "anne", "Anne Admin", FC_ROLE_ADMIN, mette.team_id, &admin, err));
    TRY(staff(txn, "adam", "Adam Admin", FC_ROLE_ADMIN, 0, &admin, err));
    static const struct { const char *name, *born, *concern; int grade; } kids[] = {
        { "Sigrid Kofoed", "2013-02-02", "2026-10-01", 7 },
        { "Bo Hansen", "2012-05-05", "2026-09-15", 8 },
    };
    for (int i = 0; i < 2; i++) {
        struct fc_pupil p = { .birth_date = day(kids[i].born), .grade = (int8_t)kids[i].grade,
                              .school_id = sp.school_id, .nguardians = 1 };
        snprintf(p.name, sizeof p.name, "%s", kids[i].name);
        snprintf(p.guardians[0], FC_NAME_MAX, "Hanne%s", strrchr(kids[i].name, ' '));
        TRY(fc_pupil_put(txn, &p, err));
        struct fc_case c = { .pupil_id = p.id, .status = FC_CASE_OPEN,
                             .concern_date = day(kids[i].concern), .closed_date = FC_DATE_NONE,
                             .coordinator = kirsten, .team_id = mette.team_id };
        snprintf(c.model_id, sizeof c.model_id, "fit");
        TRY(fc_case_put(txn, &c, err));
    }
    return FC_OK;
}

static int touch(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    (void)ctx;
    return fc_audit_add(txn, "test.touch", "store", 0, "nothing visible", err);
}

static int print_audit(const struct fc_audit *a, void *ctx)
{
    (void)ctx;
    printf("%llu %s %s %s %u %s\n", (unsigned long long)a->seq, a->who, a->action, a->entity,
           (unsigned)a->entity_id, a->detail);
    return 0;
}

static int print_rating(const struct fc_rating *r, void *ctx)
{
    (void)ctx;
    printf("  rating %u v%u %s %s%s%s%s %d %d %d %d = %d\n", (unsigned)r->id,
           (unsigned)r->version, fc_scale_code((enum fc_scale)r->scale),
           fc_rater_code((enum fc_rater)r->rater), r->rater_name[0] ? " (" : "", r->rater_name,
           r->rater_name[0] ? ")" : "", r->items[0], r->items[1], r->items[2], r->items[3],
           r->total);
    return 0;
}

static int print_meeting(const struct fc_meeting *m, void *ctx)
{
    char d[11];
    fc_date_format(m->date, d);
    printf("meeting %u v%u %s kind %u; %u participants; notes %s; agreed %s\n",
           (unsigned)m->id, (unsigned)m->version, d, (unsigned)m->kind,
           (unsigned)m->nparticipants, m->notes, m->agreements);
    return fc_ratings_of_meeting(ctx, m->id, print_rating, NULL);
}

/* Read-only looks, as the system: the fixture's staff are caseworkers. */
static int look(struct fc_store *st, const char *what, unsigned long arg)
{
    struct fc_txn *txn;
    struct fc_err err = { 0 };
    int rc = fc_read_begin(st, &txn, &err);
    if (rc != FC_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return 1;
    }
    if (strcmp(what, "audit") == 0)
        rc = fc_audit_each(txn, arg, print_audit, NULL);
    else
        rc = fc_meetings_of_case(txn, (fc_id)arg, print_meeting, txn);
    fc_read_end(txn);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fixture DIR build|add-meeting ID|advance ID|touch|audit [SEQ]|"
                        "meetings ID|edit-meeting ID|colleagues\n");
        return 2;
    }
    const char *t = getenv("FITCASE_TODAY");
    today = day(t && *t ? t : "2026-11-20");
    bool create = strcmp(argv[2], "build") == 0;
    struct fc_store_opts opts = { .create = create };
    struct fc_store *st;
    struct fc_err err = { 0 };
    if (fc_store_open(argv[1], &opts, &st, &err) != FC_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return 1;
    }
    fc_id id = argc > 3 ? (fc_id)strtoul(argv[3], NULL, 10) : 0;
    if (strcmp(argv[2], "audit") == 0 || strcmp(argv[2], "meetings") == 0) {
        int r = look(st, argv[2], id);
        fc_store_close(st);
        return r;
    }
    fc_write_fn fn = create ? build : strcmp(argv[2], "add-meeting") == 0 ? add_meeting
                   : strcmp(argv[2], "advance") == 0 ? advance
                   : strcmp(argv[2], "edit-meeting") == 0 ? edit_meeting
                   : strcmp(argv[2], "colleagues") == 0 ? colleagues : touch;
    int rc = fc_store_write(st, "lars", fn, &id, &err);
    if (rc != FC_OK)
        fprintf(stderr, "fixture: %s\n", err.msg);
    fc_store_close(st);
    return rc == FC_OK ? 0 : 1;
}
