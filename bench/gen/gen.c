/* A national-scale store for the benchmarks: 600,000 pupils, 100,000 cases,
 * 1,000,000 meetings, 4,000,000 ratings and 5,000,000 absence days at scale
 * 1, written through the store API (so indexes and the audit log are what a
 * real store carries) in many write transactions of ~10,000 records.
 *
 *   fitcase-gen [--scale F] [--today YYYY-MM-DD] [--seed N] DIR
 *
 * Deterministic: every record is a pure function of its kind, its index and
 * the seed, so a chunk rerun after the map grew writes the same records, and
 * the same arguments give the same store. Not part of `make check`. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fitcase/date.h"
#include "fitcase/phase.h"
#include "fitcase/store.h"

/* Scale 1: the largest users' numbers. */
enum {
    FULL_PUPILS = 600000, FULL_CASES = 100000, FULL_MEETINGS = 1000000,
    FULL_RATINGS = 4000000, FULL_ABSENCE = 5000000,
    FULL_TEAMS = 98, STAFF_PER_TEAM = 10, FULL_SCHOOLS = 1500,
    CHUNK = 10000,           /* records per write transaction */
    CASE_CHUNK = 2000,       /* cases are big and bring their phase events */
    CASE_ABSENCE = 30,       /* school days of absence per pupil with a case */
    RECENT_DAYS = 120,       /* those fall in the last 120 school days */
    OTHER_SPAN = 400,        /* others' absence: school days 120..520 back */
};

static const char *const first_names[] = {
    "Søren", "Åse", "Bjørn", "Mathilde", "Emil", "Freja", "Magnus", "Ida",
    "Oliver", "Clara", "Noah", "Sofie", "William", "Laura", "Lukas", "Ella",
    "Frederik", "Karla", "Malthe", "Alma", "Viktor", "Agnes", "Jens", "Maja",
    "Mikkel", "Anna", "Rasmus", "Signe", "Tobias", "Cecilie", "Asger", "Liv",
    "Søs", "Jørgen", "Æbbe", "Østen", "Nikolaj", "Josefine", "Sebastian", "Emma",
    "Aksel", "Olivia", "Valdemar", "Nora", "Carl", "Astrid", "Elias", "Marie",
};
static const char *const last_names[] = {
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen",
    "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen",
    "Kristensen", "Olsen", "Thomsen", "Poulsen", "Møller", "Mortensen",
    "Kjær", "Bæk", "Østergaard", "Dahl", "Lund", "Holm", "Brøndum", "Ågaard",
    "Skov", "Bach", "Vestergaard", "Lauridsen", "Krogh", "Frandsen",
};
static const char *const adult_first[] = {
    "Mette", "Lars", "Hanne", "Peter", "Susanne", "Henrik", "Louise", "Thomas",
    "Birgitte", "Morten", "Camilla", "Jesper", "Tina", "Kim", "Pia", "Ole",
};
static const char *const school_words[] = {
    "Nørre", "Søndre", "Øster", "Vestre", "Ærø", "Bakke", "Linde", "Fjord",
    "Kilde", "Hede", "Skov", "Strand", "Å", "Mølle", "Bøge", "Egebjerg",
};
static const char *const models[] = { "fit", "fit", "fit", "roskilde", "roskilde", "national" };

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

struct plan {
    double scale;
    unsigned seed;
    fc_date today;
    uint32_t teams, staff, schools, pupils, cases, meetings, ratings, absence;
    uint32_t per_case;        /* meetings per case */
    uint32_t per_meeting;     /* ratings per meeting, at most 4 */
    uint32_t other_per_pupil; /* absence days of a pupil without a case */
    fc_date weekday[OTHER_SPAN + RECENT_DAYS + 1]; /* [k] = k-th weekday before today */
};

/* ---- deterministic numbers: a hash of (seed, kind, index, salt) ---------- */

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint32_t h(const struct plan *p, char kind, uint32_t i, uint32_t salt)
{
    return (uint32_t)(mix(((uint64_t)p->seed << 40) ^ ((uint64_t)(unsigned char)kind << 32) ^
                          mix(((uint64_t)salt << 32) | i)) >> 16);
}

static int range(uint32_t x, int lo, int hi)   /* inclusive */
{
    return lo + (int)(x % (uint32_t)(hi - lo + 1));
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static uint32_t scaled(double scale, uint32_t full, uint32_t min)
{
    double v = full * scale + 0.5;
    return v < min ? min : (uint32_t)v;
}

/* ---- who is who: pure functions of an index ------------------------------ */

/* Pupil i (1-based): name, family name for the guardians. */
static void pupil_name(const struct plan *p, uint32_t i, char *out, size_t cap,
                       const char **family)
{
    const char *last = last_names[h(p, 'p', i, 1) % COUNT(last_names)];
    const char *middle = last_names[h(p, 'p', i, 2) % COUNT(last_names)];
    if (family)
        *family = last;
    if (h(p, 'p', i, 3) % 3 == 0)
        snprintf(out, cap, "%s %s %s", first_names[h(p, 'p', i, 0) % COUNT(first_names)],
                 middle, last);
    else
        snprintf(out, cap, "%s %s", first_names[h(p, 'p', i, 0) % COUNT(first_names)], last);
}

/* Case c (1-based) belongs to one pupil; pupils with a case are spread
 * evenly over all pupils, one per block of pupils/cases. */
static uint32_t case_pupil(const struct plan *p, uint32_t c)
{
    uint32_t block = p->pupils / p->cases;
    return (c - 1) * block + 1 + h(p, 'c', c, 0) % block;
}

static fc_date case_concern(const struct plan *p, uint32_t c)
{
    /* Most cases recent enough to have all their meetings before today. */
    return p->today - range(h(p, 'c', c, 1), (int)p->per_case * 14 + 10, 720);
}

static uint32_t case_staff(const struct plan *p, uint32_t c, uint32_t salt)
{
    return 1 + h(p, 'c', c, 10 + salt) % p->staff;   /* staff ids 1..staff */
}

/* ---- the write chunks ------------------------------------------------------ */

struct chunk {
    const struct plan *p;
    uint32_t from, to;        /* record indexes [from, to), 0-based */
};

static int put_people(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    const struct plan *p = ((struct chunk *)ctx)->p;
    for (uint32_t t = 1; t <= p->teams; t++) {
        struct fc_team team = { .id = t };
        snprintf(team.name, sizeof team.name, "FIT-team %u", t);
        if (fc_team_put(txn, &team, err) != FC_OK)
            return err->code;
    }
    for (uint32_t s = 1; s <= p->staff; s++) {
        struct fc_staff st = { .id = s, .active = true,
                               .role = s % STAFF_PER_TEAM == 0 ? FC_ROLE_LEAD : FC_ROLE_CASEWORKER,
                               .team_id = 1 + (s - 1) / STAFF_PER_TEAM % p->teams };
        snprintf(st.login, sizeof st.login, "r%05u", s);
        snprintf(st.name, sizeof st.name, "%s %s",
                 adult_first[h(p, 's', s, 0) % COUNT(adult_first)],
                 last_names[h(p, 's', s, 1) % COUNT(last_names)]);
        if (fc_staff_put(txn, &st, err) != FC_OK)
            return err->code;
    }
    /* The benchmark's own user: a lead of team 1 with a coordinator's share. */
    struct fc_staff me = { .id = p->staff + 1, .active = true, .role = FC_ROLE_LEAD,
                           .team_id = 1 };
    snprintf(me.login, sizeof me.login, "bench");
    snprintf(me.name, sizeof me.name, "Bench Mark");
    if (fc_staff_put(txn, &me, err) != FC_OK)
        return err->code;
    for (uint32_t s = 1; s <= p->schools; s++) {
        struct fc_school sc = { .id = s };
        snprintf(sc.name, sizeof sc.name, "%s%s Skole %u",
                 school_words[h(p, 'k', s, 0) % COUNT(school_words)],
                 h(p, 'k', s, 1) % 2 ? "bakke" : "vang", s);
        if (fc_school_put(txn, &sc, err) != FC_OK)
            return err->code;
    }
    /* A calendar like the demo's: the school holidays of three years. */
    int y, m, d;
    fc_date_to_ymd(p->today, &y, &m, &d);
    static const struct { int m1, d1, m2, d2; const char *what; } spans[] = {
        { 1, 1, 1, 2, "Nytår" },       { 2, 12, 2, 16, "Vinterferie" },
        { 3, 30, 4, 6, "Påskeferie" }, { 6, 27, 8, 10, "Sommerferie" },
        { 10, 13, 10, 17, "Efterårsferie" }, { 12, 22, 12, 31, "Juleferie" },
    };
    for (int year = y - 2; year <= y; year++)
        for (size_t s = 0; s < COUNT(spans); s++) {
            fc_date a, b;
            fc_date_from_ymd(year, spans[s].m1, spans[s].d1, &a);
            fc_date_from_ymd(year, spans[s].m2, spans[s].d2, &b);
            for (fc_date x = a; x <= b; x++) {
                if (fc_date_weekday(x) >= 5)
                    continue;
                struct fc_holiday hd = { .date = x };
                snprintf(hd.description, sizeof hd.description, "%s", spans[s].what);
                if (fc_holiday_put(txn, &hd, err) != FC_OK)
                    return err->code;
            }
        }
    return FC_OK;
}

static int put_pupils(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    const struct chunk *k = ctx;
    const struct plan *p = k->p;
    int y, m, d;
    fc_date_to_ymd(p->today, &y, &m, &d);
    for (uint32_t i = k->from + 1; i <= k->to; i++) {
        struct fc_pupil pu = { .id = i };
        const char *family;
        pupil_name(p, i, pu.name, sizeof pu.name, &family);
        pu.grade = (int8_t)range(h(p, 'p', i, 4), 0, 10);
        fc_date jan1;
        fc_date_from_ymd(y - 6 - pu.grade - (m < 8 ? 1 : 0), 1, 1, &jan1);
        pu.birth_date = jan1 + range(h(p, 'p', i, 5), 0, 364);
        pu.school_id = 1 + h(p, 'p', i, 6) % p->schools;
        pu.nguardians = (uint8_t)range(h(p, 'p', i, 7), 1, 2);
        for (int g = 0; g < pu.nguardians; g++)
            snprintf(pu.guardians[g], sizeof pu.guardians[g], "%s %s",
                     adult_first[h(p, 'p', i, 8 + (uint32_t)g) % COUNT(adult_first)], family);
        if (fc_pupil_put(txn, &pu, err) != FC_OK)
            return err->code;
    }
    return FC_OK;
}

static int put_cases(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    const struct chunk *k = ctx;
    const struct plan *p = k->p;
    static struct fc_case c;      /* big: keep it off the stack */
    for (uint32_t i = k->from + 1; i <= k->to; i++) {
        const struct fc_phase_model *model =
            fc_builtin_model_find(models[h(p, 'c', i, 2) % COUNT(models)]);
        memset(&c, 0, sizeof c);
        c.id = i;
        c.pupil_id = case_pupil(p, i);
        snprintf(c.model_id, sizeof c.model_id, "%s", model->id);
        c.status = FC_CASE_OPEN;
        c.concern_date = case_concern(p, i);
        c.closed_date = FC_DATE_NONE;
        c.coordinator = h(p, 'c', i, 3) % 50 == 0 ? p->staff + 1 : case_staff(p, i, 0);
        c.secondary = h(p, 'c', i, 4) % 2 ? case_staff(p, i, 1) : 0;
        c.team_id = c.coordinator > p->staff ? 1 : 1 + (c.coordinator - 1) / STAFF_PER_TEAM % p->teams;
        c.nconsent = 2;
        snprintf(c.consent[0], sizeof c.consent[0], "Skolen");
        snprintf(c.consent[1], sizeof c.consent[1], "PPR");
        c.ngoals = 1;
        snprintf(c.goals[0], sizeof c.goals[0], "Møde i skole tre dage om ugen");
        c.ninterventions = 1;
        snprintf(c.interventions[0].kind, sizeof c.interventions[0].kind, "Følges til skole");
        c.interventions[0].start = c.concern_date + 7;
        c.interventions[0].end = FC_DATE_NONE;
        if (fc_case_put(txn, &c, err) != FC_OK)
            return err->code;
        /* Walk the phases whose deadlines passed (some lag: overdue). */
        int target = 0;
        for (int ph = 0; ph + 1 < model->nphases; ph++) {
            fc_date dl;
            if (fc_phase_deadline(model, ph, c.concern_date, &dl) && dl < p->today &&
                h(p, 'c', i, 20 + (uint32_t)ph) % 4 != 0)
                target = ph + 1;
        }
        for (int ph = 1; ph <= target; ph++)
            if (fc_case_set_phase(txn, &c, ph, "Videre", err) != FC_OK)
                return err->code;
        /* A third of the old, finished cases are closed. */
        if (target == model->nphases - 1 && p->today - c.concern_date > 300 &&
            h(p, 'c', i, 5) % 3 != 0) {
            c.status = FC_CASE_CLOSED;
            c.closed_date = c.concern_date + (fc_date)p->per_case * 14 + 30;
            snprintf(c.summary_interventions, sizeof c.summary_interventions,
                     "Følges til skole og langsom eksponering over otte uger.");
            if (fc_case_put(txn, &c, err) != FC_OK)
                return err->code;
        }
    }
    return FC_OK;
}

static int put_meetings(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    const struct chunk *k = ctx;
    const struct plan *p = k->p;
    static struct fc_meeting mt;
    for (uint32_t j = k->from; j < k->to; j++) {
        uint32_t c = j / p->per_case + 1, n = j % p->per_case;
        uint32_t pupil = case_pupil(p, c);
        memset(&mt, 0, sizeof mt);
        mt.id = j + 1;
        mt.case_id = c;
        mt.date = case_concern(p, c) + 3 + 14 * (fc_date)n + range(h(p, 'm', j, 0), 0, 4);
        mt.kind = (uint8_t)(n == 0 ? FC_MEET_ENROLMENT : n == 1 ? FC_MEET_STARTUP
                            : h(p, 'm', j, 1) % FC_MEET_KIND_COUNT);
        const char *family;
        pupil_name(p, pupil, mt.participants[0], sizeof mt.participants[0], &family);
        snprintf(mt.participants[1], sizeof mt.participants[1], "%s %s",
                 adult_first[h(p, 'p', pupil, 8) % COUNT(adult_first)], family);
        mt.nparticipants = 2;
        snprintf(mt.notes, sizeof mt.notes, "Samtale %u. Vi talte om de seneste uger.", n + 1);
        if (n % 3 == 1)
            snprintf(mt.agreements, sizeof mt.agreements, "Spise frokost med klassen");
        if (fc_meeting_put(txn, &mt, err) != FC_OK)
            return err->code;
    }
    return FC_OK;
}

static int put_ratings(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    static const struct { uint8_t scale, rater; } kinds[4] = {
        { FC_ORS, FC_RATER_CHILD }, { FC_ORS, FC_RATER_MOTHER },
        { FC_ORS, FC_RATER_TEACHER }, { FC_SRS, FC_RATER_CHILD },
    };
    const struct chunk *k = ctx;
    const struct plan *p = k->p;
    for (uint32_t r = k->from; r < k->to; r++) {
        uint32_t mj = r / p->per_meeting, which = r % p->per_meeting;
        uint32_t c = mj / p->per_case + 1, n = mj % p->per_case;
        struct fc_rating rt = { .id = r + 1, .case_id = c, .meeting_id = mj + 1,
                                .scale = kinds[which].scale, .rater = kinds[which].rater };
        int target;
        if (rt.scale == FC_SRS)
            target = range(h(p, 'r', r, 0), 300, 400);
        else
            target = range(h(p, 'c', c, 30 + which), 120, 300) +
                     range(h(p, 'c', c, 40), -5, 20) * (int)n + range(h(p, 'r', r, 0), -20, 20);
        target = clampi(target, 0, 400);
        int left = target;
        for (int i = 0; i < FC_ITEMS; i++) {
            int share = i == FC_ITEMS - 1 ? left
                      : clampi(target / 4 + range(h(p, 'r', r, 1 + (uint32_t)i), -12, 12), 0, 100);
            share = clampi(share, 0, 100);
            if (share > left)
                share = left;
            rt.items[i] = (int16_t)share;
            left -= share;
        }
        rt.total = -1;
        if (fc_rating_put(txn, &rt, err) != FC_OK)
            return err->code;
    }
    return FC_OK;
}

/* Absence rows [0, cases * CASE_ABSENCE) belong to the pupils with a case,
 * in the last RECENT_DAYS school days; the rest to every pupil in turn,
 * further back, so no (pupil, day) comes twice. */
static int put_absence(struct fc_txn *txn, void *ctx, struct fc_err *err)
{
    const struct chunk *k = ctx;
    const struct plan *p = k->p;
    uint32_t heavy = p->cases * CASE_ABSENCE;
    for (uint32_t j = k->from; j < k->to; j++) {
        struct fc_absence a;
        if (j < heavy) {
            uint32_t c = j / CASE_ABSENCE + 1, n = j % CASE_ABSENCE;
            /* Runs: every fourth school day from a start, so 30 days span
             * the 120. */
            a.pupil_id = case_pupil(p, c);
            a.date = p->weekday[(h(p, 'a', c, 0) % 4 + n * 4) % RECENT_DAYS];
            a.kind = (uint8_t)(h(p, 'a', j, 1) % FC_ABS_KIND_COUNT);
        } else {
            uint32_t o = j - heavy;
            a.pupil_id = 1 + o % p->pupils;
            uint32_t n = o / p->pupils;
            a.date = p->weekday[RECENT_DAYS + (h(p, 'a', a.pupil_id, 2) % 97 + n * 3) % OTHER_SPAN];
            a.kind = FC_ABS_SICK;
        }
        int rc = fc_absence_put(txn, &a, err);
        if (rc != FC_OK && rc != FC_EEXIST)
            return rc;
    }
    return FC_OK;
}

/* ---- the run ---------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_all(struct fc_store *st, const char *what, fc_write_fn fn,
                     const struct plan *p, uint32_t n, uint32_t chunk)
{
    double t0 = now_s();
    struct fc_err err = { 0 };
    uint32_t from = 0;
    do {
        struct chunk k = { .p = p, .from = from, .to = from + chunk < n ? from + chunk : n };
        if (fc_store_write(st, "bench", fn, &k, &err) != FC_OK) {
            fprintf(stderr, "fitcase-gen: %s %u..%u: %s\n", what, k.from, k.to, err.msg);
            return 1;
        }
    } while ((from += chunk) < n);
    double s = now_s() - t0;
    fprintf(stderr, "%-9s %9u in %7.1f s (%.0f/s)\n", what, n, s, s > 0 ? n / s : 0);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: fitcase-gen [--scale F] [--today YYYY-MM-DD] [--seed N] DIR\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct plan p = { .scale = 1.0, .seed = 1 };
    const char *today = "2026-11-20", *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
            p.scale = atof(argv[++i]);
        else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc)
            today = argv[++i];
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            p.seed = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else
            return usage();
    }
    struct fc_err err = { 0 };
    if (!dir || p.scale <= 0 || p.scale > 10 || fc_date_parse(today, &p.today, &err) != FC_OK)
        return usage();
    struct stat sb;
    if (stat(dir, &sb) == 0 || errno != ENOENT) {
        fprintf(stderr, "fitcase-gen: %s exists; give a new directory\n", dir);
        return 1;
    }
    p.teams = scaled(p.scale, FULL_TEAMS, 1);
    p.staff = p.teams * STAFF_PER_TEAM;
    p.schools = scaled(p.scale, FULL_SCHOOLS, 5);
    p.cases = scaled(p.scale, FULL_CASES, 10);
    p.pupils = scaled(p.scale, FULL_PUPILS, p.cases);
    p.per_case = FULL_MEETINGS / FULL_CASES;
    p.per_meeting = FULL_RATINGS / FULL_MEETINGS;
    p.meetings = p.cases * p.per_case;
    p.ratings = p.meetings * p.per_meeting;
    p.absence = scaled(p.scale, FULL_ABSENCE, p.cases * CASE_ABSENCE);
    if (p.absence < p.cases * CASE_ABSENCE)
        p.absence = p.cases * CASE_ABSENCE;
    fc_date x = p.today;
    for (size_t k = 0; k < COUNT(p.weekday); k++) {
        do
            x--;
        while (fc_date_weekday(x) >= 5);
        p.weekday[k] = x;
    }
    /* The audit log's timestamps too, unless the caller pinned them. */
    setenv("FITCASE_NOW", "1795176000", 0);

    struct fc_store_opts o = { .create = true,
                               .initial_map = (size_t)(p.scale * 16.0 * (1u << 30)) };
    if (o.initial_map < (size_t)256 << 20)
        o.initial_map = (size_t)256 << 20;
    struct fc_store *st;
    if (fc_store_open(dir, &o, &st, &err) != FC_OK) {
        fprintf(stderr, "fitcase-gen: %s\n", err.msg);
        return 1;
    }
    fprintf(stderr, "fitcase-gen: scale %g into %s: %u pupils, %u cases, %u meetings, "
            "%u ratings, %u absence days\n", p.scale, dir, p.pupils, p.cases, p.meetings,
            p.ratings, p.absence);
    double t0 = now_s();
    int rc = write_all(st, "people", put_people, &p, 0, 1) ||
             write_all(st, "pupils", put_pupils, &p, p.pupils, CHUNK) ||
             write_all(st, "cases", put_cases, &p, p.cases, CASE_CHUNK) ||
             write_all(st, "meetings", put_meetings, &p, p.meetings, CHUNK) ||
             write_all(st, "ratings", put_ratings, &p, p.ratings, CHUNK) ||
             write_all(st, "absence", put_absence, &p, p.absence, CHUNK);
    fprintf(stderr, "%-9s %9s in %7.1f s\n", "total", "", now_s() - t0);
    fc_store_close(st);
    return rc;
}
