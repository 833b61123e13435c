/* The columns of every CSV kind with their Danish aliases, header mapping,
 * the codes of meeting kinds and staff roles, and a compact key set. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/csv_internal.h"
#include "fitcase/i18n.h"
#include "fitcase/text.h"

#define COLS(a) a, sizeof a / sizeof a[0]

static const struct fc_csv_col pupil_cols[] = {
    { "pupil_id", "elev_id/elevid/elevnr/id", true },
    { "name", "navn/elevnavn", true },
    { "birth_date", "fødselsdato/født/foedselsdato", true },
    { "grade", "klasse/klassetrin", true },
    { "school", "skole", true },
    { "guardians", "forældre/foraeldre/værger", false },
};
static const struct fc_csv_col case_cols[] = {
    { "case_id", "sag_id/sagsnr/forløb_id/forloeb_id", true },
    { "pupil_id", "elev_id/elevid/elevnr", true },
    { "concern_date", "bekymringsdato/bekymring", true },
    { "phase_model", "model/fasemodel", true },
    { "phase", "fase", true },
    { "coordinator", "tovholder/koordinator", true },
    { "status", "", false },
    { "closed_date", "lukket/lukkedato/afsluttet", false },
};
static const struct fc_csv_col meeting_cols[] = {
    { "case_id", "sag_id/sagsnr/forløb_id", true },
    { "date", "dato/mødedato", true },
    { "kind", "type/mødetype/slags", true },
    { "participants", "deltagere", false },
    { "notes", "noter/referat", false },
    { "agreements", "aftaler", false },
};
static const struct fc_csv_col rating_cols[] = {
    { "case_id", "sag_id/sagsnr/forløb_id", true },
    { "date", "dato", true },
    { "scale", "skala", true },
    { "rater", "bedømmer/scorer", true },
    { "rater_name", "bedømmer_navn/navn", false },
    { "item1", "punkt1/spørgsmål1", false },
    { "item2", "punkt2/spørgsmål2", false },
    { "item3", "punkt3/spørgsmål3", false },
    { "item4", "punkt4/spørgsmål4", false },
    { "total", "samlet/sum/score", false },
};
static const struct fc_csv_col absence_cols[] = {
    { "pupil_id", "elev_id/elevid/elevnr", true },
    { "date", "dato/fraværsdato", true },
    { "kind", "type/fraværstype/årsag", true },
};
static const struct fc_csv_col calendar_cols[] = {
    { "date", "dato", true },
    { "description", "beskrivelse/tekst", false },
};
static const struct fc_csv_col staff_cols[] = {
    { "login", "brugernavn/bruger", true },
    { "name", "navn", true },
    { "role", "rolle", true },
    { "team", "hold", false },
};

const struct fc_csv_kind_def fc_csv_kinds[FC_CSV_KIND_COUNT] = {
    [FC_CSV_PUPILS] = { "pupils", COLS(pupil_cols) },
    [FC_CSV_CASES] = { "cases", COLS(case_cols) },
    [FC_CSV_MEETINGS] = { "meetings", COLS(meeting_cols) },
    [FC_CSV_RATINGS] = { "ratings", COLS(rating_cols) },
    [FC_CSV_ABSENCE] = { "absence", COLS(absence_cols) },
    [FC_CSV_CALENDAR] = { "calendar", COLS(calendar_cols) },
    [FC_CSV_STAFF] = { "staff", COLS(staff_cols) },
};

const char *fc_csv_kind_name(enum fc_csv_kind k)
{
    return (unsigned)k < FC_CSV_KIND_COUNT ? fc_csv_kinds[k].name : "?";
}

/* Folds for matching and drops blanks, '_' and '-', so "Pupil ID",
 * "pupil_id" and "PUPIL-ID" are one name, and "Fødselsdato" matches
 * "fodselsdato". */
static void name_key(const char *s, char *out, size_t cap)
{
    char folded[256];
    fc_fold(s, folded, sizeof folded);
    size_t j = 0;
    for (const char *p = folded; *p && j + 1 < cap; p++)
        if (*p != ' ' && *p != '_' && *p != '-' && *p != '.')
            out[j++] = *p;
    out[j] = '\0';
}

/* True if s names one of the '/'-separated words (folded). */
static bool matches(const char *key, const char *name, const char *aliases)
{
    char k[128];
    name_key(name, k, sizeof k);
    if (strcmp(k, key) == 0)
        return true;
    const char *p = aliases;
    while (p && *p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char word[128];
        if (n < sizeof word) {
            memcpy(word, p, n);
            word[n] = '\0';
            name_key(word, k, sizeof k);
            if (strcmp(k, key) == 0)
                return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

int fc_csv_kind_lookup(const char *name)
{
    static const char *const danish[FC_CSV_KIND_COUNT] = {
        "elever", "sager/forløb", "møder", "scorer/bedømmelser", "fravær",
        "kalender/ferie/fridage", "personale/medarbejdere",
    };
    char key[128];
    name_key(name, key, sizeof key);
    for (int k = 0; k < FC_CSV_KIND_COUNT; k++)
        if (matches(key, fc_csv_kinds[k].name, danish[k]))
            return k;
    return -1;
}

static const char *const meeting_codes[FC_MEET_KIND_COUNT][2] = {
    [FC_MEET_ENROLMENT] = { "enrolment", "indskrivningssamtale/indskrivning/enrollment" },
    [FC_MEET_STARTUP] = { "startup", "opstartssamtale/opstart/start-up" },
    [FC_MEET_PARENT] = { "parent", "forældresamtale/forældremøde" },
    [FC_MEET_DEVELOPMENT] = { "development", "udviklingssamtale/udvikling" },
    [FC_MEET_HOME_VISIT] = { "home_visit", "hjemmebesøg" },
    [FC_MEET_NETWORK] = { "network", "netværksmøde/netværk" },
    [FC_MEET_ACTION_PLAN] = { "action_plan", "handleplanssamtale/handleplansmøde/handleplan" },
    [FC_MEET_STATUS] = { "status", "statusmøde/opfølgning/opfølgningsmøde/follow-up" },
    [FC_MEET_PHONE] = { "phone", "telefon/telefonsamtale/akut/akut samtale" },
};

const char *fc_meeting_kind_code(enum fc_meeting_kind k)
{
    return (unsigned)k < FC_MEET_KIND_COUNT ? meeting_codes[k][0] : "?";
}

int fc_meeting_kind_lookup(const char *s)
{
    char key[128];
    name_key(s, key, sizeof key);
    for (int k = 0; k < FC_MEET_KIND_COUNT; k++)
        if (matches(key, meeting_codes[k][0], meeting_codes[k][1]))
            return k;
    return -1;
}

static const char *const role_codes[FC_ROLE_COUNT][2] = {
    [FC_ROLE_CASEWORKER] = { "caseworker", "rådgiver/sagsbehandler/medarbejder" },
    [FC_ROLE_LEAD] = { "lead", "leder/teamleder/afdelingsleder" },
    [FC_ROLE_ADMIN] = { "admin", "administrator" },
};

const char *fc_role_code(enum fc_role r)
{
    return (unsigned)r < FC_ROLE_COUNT ? role_codes[r][0] : "?";
}

int fc_role_lookup(const char *s)
{
    char key[128];
    name_key(s, key, sizeof key);
    for (int r = 0; r < FC_ROLE_COUNT; r++)
        if (matches(key, role_codes[r][0], role_codes[r][1]))
            return r;
    return -1;
}

static void reportf(void (*report)(const char *, void *), void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reportf(void (*report)(const char *, void *), void *ctx, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    report(msg, ctx);
}

int fc_csv_map_header(const struct fc_csv_kind_def *k, const struct fc_csv_row *hdr,
                      const char *file, int map[FC_CSV_MAX_COLS],
                      void (*report)(const char *msg, void *ctx), void *ctx)
{
    int errors = 0;
    for (size_t c = 0; c < FC_CSV_MAX_COLS; c++)
        map[c] = -1;
    for (size_t f = 0; f < hdr->n; f++) {
        char key[128];
        name_key(hdr->field[f], key, sizeof key);
        if (!key[0])
            continue;
        size_t c = 0;
        while (c < k->ncols && !matches(key, k->cols[c].name, k->cols[c].aliases))
            c++;
        if (c == k->ncols) {
            reportf(report, ctx, _("%s:%llu: warning: column '%s' is not a %s column; it is ignored"),
                    file, (unsigned long long)hdr->line, hdr->field[f], k->name);
        } else if (map[c] >= 0) {
            reportf(report, ctx, _("%s:%llu: %s: the column appears twice (fields %d and %zu)"),
                    file, (unsigned long long)hdr->line, k->cols[c].name, map[c] + 1, f + 1);
            errors++;
        } else {
            map[c] = (int)f;
        }
    }
    for (size_t c = 0; c < k->ncols; c++)
        if (k->cols[c].required && map[c] < 0) {
            reportf(report, ctx, _("%s:%llu: %s: missing column (a %s file needs a header row with it)"),
                    file, (unsigned long long)hdr->line, k->cols[c].name, k->name);
            errors++;
        }
    return errors;
}

int fc_csv_split_list(const char *s, char *items, size_t cap, size_t max)
{
    size_t n = 0;
    while (*s) {
        const char *end = strchr(s, '|');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *a = s, *b = s + len;
        while (a < b && (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r' || b[-1] == '\n'))
            b--;
        if (b > a) {
            if (n == max || (size_t)(b - a) >= cap)
                return -1;
            memcpy(items + n * cap, a, (size_t)(b - a));
            items[n * cap + (size_t)(b - a)] = '\0';
            n++;
        }
        if (!end)
            break;
        s = end + 1;
    }
    return (int)n;
}

/* ---- key set ------------------------------------------------------------ */

static size_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (size_t)k;
}

bool fc_keyset_init(struct fc_keyset *s, size_t expected)
{
    size_t cap = 64;
    while (cap < expected + expected / 2 + 1)
        cap <<= 1;
    s->slot = calloc(cap, sizeof *s->slot);
    s->mask = cap - 1;
    s->n = 0;
    return s->slot != NULL;
}

void fc_keyset_free(struct fc_keyset *s)
{
    free(s->slot);
    s->slot = NULL;
    s->n = 0;
}

void fc_keyset_clear(struct fc_keyset *s)
{
    memset(s->slot, 0, (s->mask + 1) * sizeof *s->slot);
    s->n = 0;
}

static int grow(struct fc_keyset *s)
{
    struct fc_keyset bigger;
    if (!fc_keyset_init(&bigger, (s->mask + 1) * 2))
        return -1;
    for (size_t i = 0; i <= s->mask; i++)
        if (s->slot[i])
            fc_keyset_add(&bigger, s->slot[i]);
    free(s->slot);
    *s = bigger;
    return 0;
}

int fc_keyset_add(struct fc_keyset *s, uint64_t key)
{
    if ((s->n + 1) * 4 > (s->mask + 1) * 3 && grow(s) != 0)
        return -1;
    for (size_t i = mix(key) & s->mask;; i = (i + 1) & s->mask) {
        if (s->slot[i] == key)
            return 0;
        if (!s->slot[i]) {
            s->slot[i] = key;
            s->n++;
            return 1;
        }
    }
}

bool fc_keyset_has(const struct fc_keyset *s, uint64_t key)
{
    for (size_t i = mix(key) & s->mask;; i = (i + 1) & s->mask) {
        if (s->slot[i] == key)
            return true;
        if (!s->slot[i])
            return false;
    }
}

uint64_t fc_hash64(const void *data, size_t len, uint64_t seed)
{
    /* Eight bytes at a time, multiply and fold: fast enough to run twice
     * per row of a million-row file, good enough to tell rows apart. */
    const unsigned char *p = data;
    uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ull);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        p += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, len);
    h = (h ^ w) * 0x94d049bb133111ebull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return h ? h : 1;
}
