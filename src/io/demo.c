/* The demo municipality. A small deterministic generator (xorshift) so the
 * same seed and "today" give the same store: screen tests rely on that. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "fitcase/date.h"
#include "fitcase/demo.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/score.h"

enum { DEMO_PUPILS = 300, DEMO_CASES = 120, DEMO_TEAMS = 2 };

static const char *const first_names[] = {
    "Søren", "Åse", "Bjørn", "Mathilde", "Emil", "Freja", "Magnus", "Ida",
    "Oliver", "Clara", "Noah", "Sofie", "William", "Laura", "Lukas", "Ella",
    "Frederik", "Karla", "Malthe", "Alma", "Viktor", "Agnes", "Jens", "Maja",
    "Mikkel", "Anna", "Rasmus", "Signe", "Tobias", "Cecilie", "Asger", "Liv",
    "Søs", "Jørgen", "Æbbe", "Østen", "Nikolaj", "Josefine", "Sebastian", "Emma",
};
static const char *const last_names[] = {
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen",
    "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen",
    "Kristensen", "Olsen", "Thomsen", "Poulsen", "Møller", "Mortensen",
    "Kjær", "Bæk", "Østergaard", "Dahl", "Lund", "Holm", "Brøndum", "Ågaard",
};
static const char *const adult_first[] = {
    "Mette", "Lars", "Hanne", "Peter", "Susanne", "Henrik", "Louise", "Thomas",
    "Birgitte", "Morten", "Camilla", "Jesper", "Tina", "Kim", "Pia", "Ole",
};
static const char *const schools[] = {
    "Ærø Skole", "Nørrebro Skole", "Søndervangskolen", "Højvangskolen",
    "Østerbro Skole", "Bakkeskolen", "Lindeskolen", "Vestre Skole",
    "Fjordskolen", "Kildeskolen",
};
static const struct { const char *login, *name; enum fc_role role; int team; } staff[] = {
    { "mette", "Mette Kjærgaard", FC_ROLE_CASEWORKER, 0 },
    { "lars", "Lars Bøgh", FC_ROLE_CASEWORKER, 0 },
    { "sofie", "Sofie Ravn", FC_ROLE_CASEWORKER, 0 },
    { "anders", "Anders Lykke", FC_ROLE_CASEWORKER, 1 },
    { "hanne", "Hanne Støvring", FC_ROLE_CASEWORKER, 1 },
    { "jens", "Jens Ærenlund", FC_ROLE_LEAD, 1 },
    { "admin", "Administrator", FC_ROLE_ADMIN, 0 },
};
static const char *const goals[] = {
    "Møde i skole tre dage om ugen",
    "Deltage i første time hver mandag",
    "Spise frokost med klassen",
    "Sige til en voksen, når det bliver svært",
    "Komme med i skolebussen alene",
    "Deltage i idræt en gang om ugen",
};
static const char *const interventions[] = {
    "Kortlægning af fraværet", "Langsom eksponering", "Følges til skole",
    "Besøg i klassen", "SMS morgen og aften", "Voksen til stede i skolen",
    "Individuel skoleplan", "Familievejledning",
};

struct rng { uint64_t s; };

static uint32_t rnd(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 16);
}

static int rnd_range(struct rng *r, int lo, int hi)    /* inclusive */
{
    return lo + (int)(rnd(r) % (uint32_t)(hi - lo + 1));
}

#define PICK(r, arr) (arr[rnd(r) % (sizeof arr / sizeof arr[0])])

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

struct demo {
    const struct fc_demo_opts *opts;
    struct rng rng;
    fc_id teams[DEMO_TEAMS];
    fc_id staff_ids[sizeof staff / sizeof staff[0] + 1];
    size_t nstaff;
    fc_id lead_self;          /* the running login's staff id */
    fc_id school_ids[sizeof schools / sizeof schools[0]];
    fc_id pupil_ids[DEMO_PUPILS];
    int npupils, ncases;
};

static int add_people(struct fc_txn *txn, struct demo *d, struct fc_err *err)
{
    for (int t = 0; t < DEMO_TEAMS; t++) {
        struct fc_team team = { 0 };
        snprintf(team.name, sizeof team.name, t == 0 ? "FIT-team Nord" : "FIT-team Syd");
        if (fc_team_put(txn, &team, err) != FC_OK)
            return err->code;
        d->teams[t] = team.id;
    }
    bool self_listed = false;
    for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
        struct fc_staff s = { .role = (uint8_t)staff[i].role, .active = true,
                              .team_id = d->teams[staff[i].team] };
        snprintf(s.login, sizeof s.login, "%s", staff[i].login);
        snprintf(s.name, sizeof s.name, "%s", staff[i].name);
        if (strcmp(s.login, d->opts->login) == 0)
            self_listed = true;
        if (fc_staff_put(txn, &s, err) != FC_OK)
            return err->code;
        d->staff_ids[d->nstaff++] = s.id;
    }
    /* Whoever builds the demo gets to use it: as a lead of the first team. */
    if (!self_listed && d->opts->login && *d->opts->login) {
        struct fc_staff s = { .role = FC_ROLE_LEAD, .active = true, .team_id = d->teams[0] };
        snprintf(s.login, sizeof s.login, "%s", d->opts->login);
        snprintf(s.name, sizeof s.name, "%s", d->opts->login);
        if (fc_staff_put(txn, &s, err) != FC_OK)
            return err->code;
        d->staff_ids[d->nstaff++] = s.id;
        d->lead_self = s.id;
    }
    for (size_t i = 0; i < sizeof schools / sizeof schools[0]; i++) {
        struct fc_school s = { 0 };
        snprintf(s.name, sizeof s.name, "%s", schools[i]);
        if (fc_school_put(txn, &s, err) != FC_OK)
            return err->code;
        d->school_ids[i] = s.id;
    }
    return FC_OK;
}

static int add_pupils(struct fc_txn *txn, struct demo *d, struct fc_err *err)
{
    int y, m, day;
    fc_date_to_ymd(d->opts->today, &y, &m, &day);
    for (int i = 0; i < d->npupils; i++) {
        struct fc_pupil p = { 0 };
        const char *last = PICK(&d->rng, last_names);
        snprintf(p.name, sizeof p.name, "%s %s", PICK(&d->rng, first_names), last);
        /* FIT targets grades 4-10; a few younger pupils too. */
        p.grade = (int8_t)(rnd(&d->rng) % 5 == 0 ? rnd_range(&d->rng, 1, 3)
                                                  : rnd_range(&d->rng, 4, 10));
        fc_date jan1;
        fc_date_from_ymd(y - 6 - p.grade - (m < 8 ? 1 : 0), 1, 1, &jan1);
        p.birth_date = jan1 + rnd_range(&d->rng, 0, 364);
        p.school_id = d->school_ids[rnd(&d->rng) % (sizeof schools / sizeof schools[0])];
        p.nguardians = (uint8_t)rnd_range(&d->rng, 1, 2);
        for (int g = 0; g < p.nguardians; g++)
            snprintf(p.guardians[g], sizeof p.guardians[g], "%s %s",
                     PICK(&d->rng, adult_first), last);
        if (fc_pupil_put(txn, &p, err) != FC_OK)
            return err->code;
        d->pupil_ids[i] = p.id;
    }
    return FC_OK;
}

/* Danish school holidays, roughly: autumn week 42, Christmas, winter week 7,
 * Easter, summer from late June to mid August. Enough to make school days
 * differ from weekdays in the demo. */
static int add_holidays(struct fc_txn *txn, struct demo *d, struct fc_err *err)
{
    int y, m, day;
    fc_date_to_ymd(d->opts->today, &y, &m, &day);
    for (int year = y - 1; year <= y + 1; year++) {
        static const struct { int m1, d1, m2, d2; const char *what; } spans[] = {
            { 1, 1, 1, 2, "Nytår" },
            { 2, 12, 2, 16, "Vinterferie" },
            { 3, 30, 4, 6, "Påskeferie" },
            { 6, 27, 8, 10, "Sommerferie" },
            { 10, 13, 10, 17, "Efterårsferie" },
            { 12, 22, 12, 31, "Juleferie" },
        };
        for (size_t s = 0; s < sizeof spans / sizeof spans[0]; s++) {
            fc_date a, b;
            fc_date_from_ymd(year, spans[s].m1, spans[s].d1, &a);
            fc_date_from_ymd(year, spans[s].m2, spans[s].d2, &b);
            for (fc_date x = a; x <= b; x++) {
                if (fc_date_weekday(x) >= 5)
                    continue;
                struct fc_holiday h = { .date = x };
                snprintf(h.description, sizeof h.description, "%s", spans[s].what);
                if (fc_holiday_put(txn, &h, err) != FC_OK)
                    return err->code;
            }
        }
    }
    return FC_OK;
}

static int add_absence(struct fc_txn *txn, struct demo *d, fc_id pupil, fc_date around,
                       int heavy, struct fc_err *err)
{
    /* Pupils with a case have runs of absence before the concern; others a
     * few sick days. */
    int runs = heavy ? rnd_range(&d->rng, 3, 7) : rnd_range(&d->rng, 0, 2);
    for (int r = 0; r < runs; r++) {
        fc_date start = around - rnd_range(&d->rng, 0, heavy ? 80 : 150);
        int len = heavy ? rnd_range(&d->rng, 1, 6) : rnd_range(&d->rng, 1, 2);
        uint8_t kind = (uint8_t)(heavy ? rnd(&d->rng) % FC_ABS_KIND_COUNT : FC_ABS_SICK);
        for (fc_date x = start; x < start + len && x < d->opts->today; x++) {
            if (fc_date_weekday(x) >= 5)
                continue;
            struct fc_absence a = { .pupil_id = pupil, .date = x, .kind = kind };
            int rc = fc_absence_put(txn, &a, err);
            if (rc == FC_EEXIST)
                continue;
            if (rc != FC_OK)
                return rc;
        }
    }
    return FC_OK;
}

struct rater_plan {
    enum fc_rater rater;
    int intake;      /* tenths */
    int slope;       /* tenths per meeting */
};

static int add_rating(struct fc_txn *txn, struct demo *d, const struct fc_meeting *mt,
                      enum fc_scale scale, enum fc_rater rater, int target,
                      struct fc_err *err)
{
    struct fc_rating r = { .case_id = mt->case_id, .meeting_id = mt->id,
                           .scale = (uint8_t)scale, .rater = (uint8_t)rater };
    target = clamp(target, 0, 400);
    int left = target;
    for (int i = 0; i < FC_ITEMS; i++) {
        int share = i == FC_ITEMS - 1 ? left
                  : clamp(target / 4 + rnd_range(&d->rng, -12, 12), 0, 100);
        share = clamp(share, 0, 100);
        if (share > left)
            share = left;
        r.items[i] = (int16_t)share;
        left -= share;
    }
    r.total = -1;
    return fc_rating_put(txn, &r, err);
}

static int add_meetings(struct fc_txn *txn, struct demo *d, const struct fc_case *c,
                        const struct fc_pupil *p, fc_date until, struct fc_err *err)
{
    struct rater_plan plan[4];
    int nplan = 0;
    int intake = rnd_range(&d->rng, 120, 300);
    int slope = rnd_range(&d->rng, -8, 25);
    plan[nplan++] = (struct rater_plan){ FC_RATER_CHILD, intake, slope };
    plan[nplan++] = (struct rater_plan){ FC_RATER_MOTHER, intake - rnd_range(&d->rng, -30, 40),
                                         slope + rnd_range(&d->rng, -5, 5) };
    if (rnd(&d->rng) % 2)
        plan[nplan++] = (struct rater_plan){ FC_RATER_FATHER, intake + rnd_range(&d->rng, -40, 30),
                                             slope + rnd_range(&d->rng, -5, 5) };
    plan[nplan++] = (struct rater_plan){ FC_RATER_TEACHER, intake + rnd_range(&d->rng, -20, 60),
                                         slope / 2 };
    bool srs_always_max = rnd(&d->rng) % 12 == 0;
    static const enum fc_meeting_kind cycle[] = {
        FC_MEET_DEVELOPMENT, FC_MEET_PARENT, FC_MEET_NETWORK, FC_MEET_DEVELOPMENT,
        FC_MEET_HOME_VISIT, FC_MEET_STATUS, FC_MEET_PHONE, FC_MEET_ACTION_PLAN,
    };
    fc_date when = c->concern_date + rnd_range(&d->rng, 2, 6);
    for (int n = 0; when < until && n < 16; n++) {
        while (fc_date_weekday(when) >= 5)
            when++;
        if (when >= until)
            break;
        struct fc_meeting mt = { .case_id = c->id, .date = when };
        mt.kind = (uint8_t)(n == 0 ? FC_MEET_ENROLMENT : n == 1 ? FC_MEET_STARTUP
                                    : cycle[rnd(&d->rng) % (sizeof cycle / sizeof cycle[0])]);
        snprintf(mt.participants[mt.nparticipants++], FC_NAME_MAX, "%s", p->name);
        for (int g = 0; g < p->nguardians && mt.nparticipants < FC_LIST_MAX; g++)
            snprintf(mt.participants[mt.nparticipants++], FC_NAME_MAX, "%s", p->guardians[g]);
        snprintf(mt.notes, sizeof mt.notes, "Samtale %d. Vi talte om de seneste uger.", n + 1);
        if (n % 3 == 1)
            snprintf(mt.agreements, sizeof mt.agreements, "%s",
                     PICK(&d->rng, goals));
        if (fc_meeting_put(txn, &mt, err) != FC_OK)
            return err->code;

        int age = fc_age_years(p->birth_date, when);
        bool network = mt.kind == FC_MEET_NETWORK;
        for (int k = 0; k < nplan; k++) {
            /* Partners rate at network meetings, the family at the others;
             * the child rates at both. */
            bool teacher = plan[k].rater == FC_RATER_TEACHER;
            bool rates = network ? teacher || plan[k].rater == FC_RATER_CHILD : !teacher;
            if (!rates)
                continue;
            enum fc_scale scale = plan[k].rater == FC_RATER_CHILD && age < 13 ? FC_CORS : FC_ORS;
            int score = plan[k].intake + plan[k].slope * n + rnd_range(&d->rng, -20, 20);
            if (add_rating(txn, d, &mt, scale, plan[k].rater, score, err) != FC_OK)
                return err->code;
        }
        if (!network && mt.kind != FC_MEET_PHONE) {
            enum fc_scale srs = age < 13 ? FC_CSRS : FC_SRS;
            int s1 = srs_always_max ? 400 : rnd_range(&d->rng, 330, 400);
            int s2 = srs_always_max ? 400 : rnd_range(&d->rng, 320, 400);
            if (add_rating(txn, d, &mt, srs, FC_RATER_CHILD, s1, err) != FC_OK ||
                add_rating(txn, d, &mt, srs, FC_RATER_MOTHER, s2, err) != FC_OK)
                return err->code;
        }
        when += n == 0 ? 21 : rnd_range(&d->rng, 6, 14);
    }
    return FC_OK;
}

static void fill_case_text(struct demo *d, struct fc_case *c, const struct fc_pupil *p)
{
    snprintf(c->consent[c->nconsent++], FC_NAME_MAX, "%s", "Skolen");
    snprintf(c->consent[c->nconsent++], FC_NAME_MAX, "%s", "PPR");
    for (int g = 0; g < p->nguardians && c->nconsent < FC_LIST_MAX; g++)
        snprintf(c->consent[c->nconsent++], FC_NAME_MAX, "%s", p->guardians[g]);
    c->ngoals = (uint8_t)rnd_range(&d->rng, 1, 3);
    for (int g = 0; g < c->ngoals; g++)
        snprintf(c->goals[g], sizeof c->goals[g], "%s", goals[(g * 2 + rnd(&d->rng)) % 6]);
    c->ninterventions = (uint8_t)rnd_range(&d->rng, 1, 3);
    for (int k = 0; k < c->ninterventions; k++) {
        struct fc_intervention *iv = &c->interventions[k];
        snprintf(iv->kind, sizeof iv->kind, "%s", PICK(&d->rng, interventions));
        iv->start = c->concern_date + 7 + 14 * k;
        iv->end = FC_DATE_NONE;
        snprintf(iv->who, sizeof iv->who, "%s", staff[rnd(&d->rng) % 5].name);
    }
}

static int add_case(struct fc_txn *txn, struct demo *d, int i, struct fc_err *err)
{
    static const char *const models[] = { "fit", "fit", "fit", "roskilde", "roskilde", "national" };
    const struct fc_phase_model *model = fc_builtin_model_find(models[i % 6]);
    struct fc_pupil p;
    if (fc_pupil_get(txn, d->pupil_ids[(i * 7) % d->npupils], &p, err) != FC_OK)
        return err->code;

    struct fc_case c = { .pupil_id = p.id, .status = FC_CASE_OPEN,
                         .closed_date = FC_DATE_NONE };
    snprintf(c.model_id, sizeof c.model_id, "%s", model->id);
    int age_days = rnd_range(&d->rng, 3, i % 5 == 0 ? 240 : 130);
    c.concern_date = d->opts->today - age_days;
    size_t caseworkers = 5 + (d->lead_self ? 1 : 0);
    size_t who = (size_t)i % caseworkers;
    c.coordinator = who == 5 ? d->lead_self : d->staff_ids[who];
    c.secondary = d->staff_ids[(who + 1) % 5];
    c.team_id = d->teams[who == 5 ? 0 : staff[who].team];
    fill_case_text(d, &c, &p);
    if (fc_case_put(txn, &c, err) != FC_OK)
        return err->code;

    /* Walk the phases as the deadlines pass; some lag behind (overdue). */
    int target = 0;
    for (int ph = 0; ph + 1 < model->nphases; ph++) {
        fc_date dl;
        if (fc_phase_deadline(model, ph, c.concern_date, &dl) && dl < d->opts->today
            && rnd(&d->rng) % 4 != 0)
            target = ph + 1;
    }
    for (int ph = 1; ph <= target; ph++) {
        char note[64];
        snprintf(note, sizeof note, "Videre til %s", model->phases[ph].name);
        if (fc_case_set_phase(txn, &c, ph, note, err) != FC_OK)
            return err->code;
    }
    fc_date until = d->opts->today;
    if (age_days > 120 && target == model->nphases - 1 && rnd(&d->rng) % 2) {
        c.status = FC_CASE_CLOSED;
        c.closed_date = d->opts->today - rnd_range(&d->rng, 1, age_days - 100);
        until = c.closed_date;
        snprintf(c.summary_interventions, sizeof c.summary_interventions,
                 "Følges til skole og langsom eksponering over otte uger.");
        snprintf(c.summary_hypotheses, sizeof c.summary_hypotheses,
                 "Fraværet hang sammen med uro i klassen og søvnproblemer.");
        snprintf(c.summary_agreements, sizeof c.summary_agreements,
                 "Skolen holder statusmøde med familien hver fjerde uge.");
        if (fc_case_put(txn, &c, err) != FC_OK)
            return err->code;
    }
    if (add_absence(txn, d, p.id, c.concern_date, 1, err) != FC_OK)
        return err->code;
    return add_meetings(txn, d, &c, &p, until, err);
}

static int fill(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    struct demo *d = ctx;
    d->rng.s = d->opts->seed ? d->opts->seed : 0x9e3779b97f4a7c15ull;
    d->nstaff = 0;
    d->lead_self = 0;
    int rc;
    if ((rc = add_people(txn, d, err)) != FC_OK || (rc = add_pupils(txn, d, err)) != FC_OK ||
        (rc = add_holidays(txn, d, err)) != FC_OK)
        return rc;
    for (int i = 0; i < d->ncases; i++)
        if ((rc = add_case(txn, d, i, err)) != FC_OK)
            return rc;
    for (int i = 0; i < d->npupils; i++)
        if (i % 7 != 0 && (rc = add_absence(txn, d, d->pupil_ids[i], d->opts->today, 0, err)) != FC_OK)
            return rc;
    return FC_OK;
}

int fc_demo_fill(struct fc_store *st, const struct fc_demo_opts *opts, struct fc_err *err)
{
    struct demo d = { .opts = opts };
    d.npupils = opts->pupils > 0 && opts->pupils <= DEMO_PUPILS ? opts->pupils : DEMO_PUPILS;
    d.ncases = opts->cases > 0 ? opts->cases : DEMO_CASES;
    if (d.ncases > d.npupils)
        d.ncases = d.npupils;
    return fc_store_write(st, opts->login ? opts->login : "demo", fill, &d, err);
}
