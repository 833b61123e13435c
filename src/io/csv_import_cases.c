/* Import of cases, meetings and ratings: the records that hang off a case.
 * A rating joins the meeting of its case on its date, which is created
 * when the case has none that day. */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/csv_internal.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/score.h"
#include "fitcase/text.h"

static const char *store_msg(const struct fc_err *err)
{
    return err->msg[0] ? err->msg : _("store error");
}

/* ---- what a transaction knows about the current case --------------------- */

struct meeting_ref {
    fc_id id;
    fc_date date;
    uint8_t kind;
};

struct case_cache {
    fc_id case_id;                   /* 0: nothing loaded */
    bool with_ratings;
    size_t nm, capm, nr, capr;
    struct meeting_ref *m;
    struct fc_rating *r;
};

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 32;
    void *q = realloc(*p, c * size);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static int add_meeting_ref(const struct fc_meeting *m, void *ctx)
{
    struct case_cache *cc = ctx;
    if (!grow((void **)&cc->m, &cc->capm, cc->nm, sizeof *cc->m))
        return 1;
    cc->m[cc->nm++] = (struct meeting_ref){ m->id, m->date, m->kind };
    return 0;
}

static int add_rating(const struct fc_rating *r, void *ctx)
{
    struct case_cache *cc = ctx;
    if (!grow((void **)&cc->r, &cc->capr, cc->nr, sizeof *cc->r))
        return 1;
    cc->r[cc->nr++] = *r;
    return 0;
}

static void case_cache_reset(struct fc_imp *im)
{
    struct case_cache *cc = im->cache;
    if (cc)
        cc->case_id = 0;
}

static void case_cache_fini(struct fc_imp *im)
{
    struct case_cache *cc = im->cache;
    if (cc) {
        free(cc->m);
        free(cc->r);
    }
    free(cc);
    im->cache = NULL;
}

/* Loads the case's meetings (and ratings) unless they are loaded; reports
 * an unknown case on column col. */
static struct case_cache *load_case(struct fc_imp *im, struct fc_txn *txn, fc_id case_id,
                                    int col, bool with_ratings)
{
    struct case_cache *cc = im->cache;
    if (!cc && !(cc = im->cache = calloc(1, sizeof *cc))) {
        fc_imp_bad(im, -1, "%s", _("out of memory"));
        return NULL;
    }
    if (cc->case_id == case_id)
        return cc;
    cc->case_id = 0;
    cc->nm = cc->nr = 0;
    struct fc_case c;
    struct fc_err err = { 0 };
    int rc = fc_case_get(txn, case_id, &c, &err);
    if (rc == FC_ENOTFOUND) {
        fc_imp_bad(im, col, _("no case %u in the store (import the cases first)"), case_id);
        return NULL;
    }
    if (rc != FC_OK || fc_meetings_of_case(txn, case_id, add_meeting_ref, cc) != 0 ||
        (with_ratings && fc_ratings_of_case(txn, case_id, add_rating, cc) != 0)) {
        fc_imp_bad(im, col, "%s", rc != FC_OK ? store_msg(&err)
                                              : _("cannot read the case's meetings"));
        return NULL;
    }
    cc->case_id = case_id;
    cc->with_ratings = with_ratings;
    return cc;
}

/* ---- cases ----------------------------------------------------------------- */

enum { C_ID, C_PUPIL, C_CONCERN, C_MODEL, C_PHASE, C_COORD, C_STATUS, C_CLOSED };

struct case_rec {
    fc_id id, pupil;
    fc_date concern, closed;
    int status;
    char model[FC_MODEL_ID_MAX];
    char phase[FC_SHORT_MAX];
    char coord[FC_LOGIN_MAX];
    /* resolved */
    int phase_idx;
    fc_id coord_id, team_id;
    bool exists;
    struct fc_case old;
};

static int status_lookup(const char *s)
{
    char f[32];
    fc_fold(s, f, sizeof f);
    if (!strcmp(f, "open") || !strcmp(f, "aaben") || !strcmp(f, "aben") || !strcmp(f, "igang"))
        return FC_CASE_OPEN;
    if (!strcmp(f, "closed") || !strcmp(f, "lukket") || !strcmp(f, "afsluttet"))
        return FC_CASE_CLOSED;
    return -1;
}

static bool case_parse(struct fc_imp *im, void *rec)
{
    struct case_rec *c = rec;
    bool ok = fc_imp_id(im, C_ID, &c->id);
    ok &= fc_imp_id(im, C_PUPIL, &c->pupil);
    ok &= fc_imp_date(im, C_CONCERN, true, &c->concern);
    ok &= fc_imp_text(im, C_MODEL, true, c->model, sizeof c->model);
    ok &= fc_imp_text(im, C_PHASE, true, c->phase, sizeof c->phase);
    ok &= fc_imp_text(im, C_COORD, true, c->coord, sizeof c->coord);
    ok &= fc_imp_date(im, C_CLOSED, false, &c->closed);
    c->status = fc_imp_has(im, C_STATUS) ? status_lookup(fc_imp_col(im, C_STATUS))
              : c->closed != FC_DATE_NONE ? FC_CASE_CLOSED : FC_CASE_OPEN;
    if (c->status < 0) {
        fc_imp_bad(im, C_STATUS, _("'%s' is not a status (open, closed; åben, lukket)"),
                   fc_imp_col(im, C_STATUS));
        return false;
    }
    if (!ok)
        return false;
    if (c->status == FC_CASE_CLOSED && c->closed == FC_DATE_NONE) {
        fc_imp_bad(im, C_CLOSED, "%s", _("empty; a closed case needs the date it closed"));
        return false;
    }
    if (c->status == FC_CASE_OPEN && c->closed != FC_DATE_NONE) {
        fc_imp_bad(im, C_CLOSED, "%s", _("an open case has no closing date"));
        return false;
    }
    if (c->closed != FC_DATE_NONE && c->closed < c->concern) {
        fc_imp_bad(im, C_CLOSED, "%s", _("the case closes before the concern date"));
        return false;
    }
    return true;
}

static uint64_t case_identity(const void *rec)
{
    return ((const struct case_rec *)rec)->id;
}

/* A phase by number (1 = first) or by name, case- and accent-insensitively. */
static int phase_lookup(const struct fc_phase_model *m, const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (end != s && !*end)
        return n >= 1 && n <= m->nphases ? (int)n - 1 : -1;
    char want[FC_SHORT_MAX * 3], have[FC_SHORT_MAX * 3];
    fc_fold(s, want, sizeof want);
    for (int i = 0; i < m->nphases; i++) {
        fc_fold(m->phases[i].name, have, sizeof have);
        if (strcmp(want, have) == 0)
            return i;
    }
    return -1;
}

static void phase_names(const struct fc_phase_model *m, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < m->nphases && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%d %s", i ? ", " : "", i + 1,
                                m->phases[i].name);
}

static enum fc_row_verdict case_check(struct fc_imp *im, struct fc_txn *txn, void *rec)
{
    struct case_rec *c = rec;
    struct fc_err err = { 0 };
    struct fc_pupil p;
    int rc = fc_pupil_get(txn, c->pupil, &p, &err);
    if (rc != FC_OK) {
        if (rc == FC_ENOTFOUND)
            fc_imp_bad(im, C_PUPIL, _("no pupil %u in the store (import the pupils first)"),
                       c->pupil);
        else
            fc_imp_bad(im, C_PUPIL, "%s", store_msg(&err));
        return FC_ROW_BAD;
    }
    struct fc_phase_model m;
    if (fc_model_get(txn, c->model, &m, &err) != FC_OK) {
        const struct fc_phase_model *b = fc_builtin_model_find(c->model);
        if (!b) {
            fc_imp_bad(im, C_MODEL, _("no phase model '%s' (the shipped ones are fit, "
                                      "roskilde and national)"), c->model);
            return FC_ROW_BAD;
        }
        m = *b;
    }
    c->phase_idx = phase_lookup(&m, c->phase);
    if (c->phase_idx < 0) {
        char names[400];
        phase_names(&m, names, sizeof names);
        fc_imp_bad(im, C_PHASE, _("'%s' is not a phase of model %s (%s)"), c->phase, m.id,
                   names);
        return FC_ROW_BAD;
    }
    struct fc_staff s;
    rc = fc_staff_by_login(txn, c->coord, &s, &err);
    if (rc != FC_OK) {
        if (rc == FC_ENOTFOUND)
            fc_imp_bad(im, C_COORD, _("no staff member with login '%s' (import the staff "
                                      "first)"), c->coord);
        else
            fc_imp_bad(im, C_COORD, "%s", store_msg(&err));
        return FC_ROW_BAD;
    }
    c->coord_id = s.id;
    c->team_id = s.team_id;
    rc = fc_case_get(txn, c->id, &c->old, &err);
    if (rc == FC_ENOTFOUND) {
        c->exists = false;
        return FC_ROW_OK;
    }
    if (rc != FC_OK) {
        fc_imp_bad(im, C_ID, "%s", store_msg(&err));
        return FC_ROW_BAD;
    }
    c->exists = true;
    const struct fc_case *o = &c->old;
    bool same = o->pupil_id == c->pupil && o->concern_date == c->concern &&
                strcmp(o->model_id, c->model) == 0 && o->phase == c->phase_idx &&
                o->coordinator == c->coord_id && o->status == c->status &&
                (c->status == FC_CASE_OPEN || o->closed_date == c->closed);
    return same ? FC_ROW_SAME : FC_ROW_OK;
}

static int case_write(struct fc_imp *im, struct fc_txn *txn, void *rec, struct fc_err *err)
{
    (void)im;
    struct case_rec *c = rec;
    struct fc_case n;
    bool phase_event = false;
    if (c->exists) {
        n = c->old;
        phase_event = strcmp(n.model_id, c->model) == 0 && n.phase != c->phase_idx;
    } else {
        memset(&n, 0, sizeof n);
        n.id = c->id;
        n.team_id = c->team_id;
    }
    n.pupil_id = c->pupil;
    n.concern_date = c->concern;
    snprintf(n.model_id, sizeof n.model_id, "%s", c->model);
    if (!phase_event)
        n.phase = (uint8_t)c->phase_idx;
    n.coordinator = c->coord_id;
    n.status = (uint8_t)c->status;
    n.closed_date = c->status == FC_CASE_CLOSED ? c->closed : FC_DATE_NONE;
    int rc = fc_case_put(txn, &n, err);
    if (rc == FC_OK && phase_event)
        rc = fc_case_set_phase(txn, &n, c->phase_idx, _("phase set by CSV import"), err);
    return rc;
}

const struct fc_imp_ops fc_imp_cases = {
    .rec_size = sizeof(struct case_rec),
    .parsed_size = offsetof(struct case_rec, phase_idx),
    .parse = case_parse,
    .identity = case_identity,
    .reset = case_cache_reset,
    .check = case_check,
    .write = case_write,
    .fini = case_cache_fini,
};

/* ---- meetings ----------------------------------------------------------------- */

enum { M_CASE, M_DATE, M_KIND, M_PARTICIPANTS, M_NOTES, M_AGREEMENTS };

struct meeting_rec {
    fc_id case_id;
    fc_date date;
    uint8_t kind;
    bool has_participants, has_notes, has_agreements;
    uint8_t nparticipants;
    char participants[FC_LIST_MAX][FC_NAME_MAX];
    char notes[FC_TEXT_MAX];
    char agreements[FC_TEXT_MAX];
    /* resolved */
    fc_id id;
    struct fc_meeting old;
};

static bool meeting_parse(struct fc_imp *im, void *rec)
{
    struct meeting_rec *m = rec;
    bool ok = fc_imp_id(im, M_CASE, &m->case_id);
    ok &= fc_imp_date(im, M_DATE, true, &m->date);
    int k = fc_imp_lookup(im, M_KIND, fc_meeting_kind_lookup);
    if (k < 0) {
        fc_imp_bad(im, M_KIND, _("'%s' is not a kind of meeting (enrolment, startup, "
                                 "parent, development, home_visit, network, action_plan, "
                                 "status, phone)"), fc_imp_col(im, M_KIND));
        ok = false;
    }
    m->kind = (uint8_t)(k < 0 ? 0 : k);
    m->has_participants = im->map[M_PARTICIPANTS] >= 0;
    m->has_notes = im->map[M_NOTES] >= 0;
    m->has_agreements = im->map[M_AGREEMENTS] >= 0;
    ok &= fc_imp_list(im, M_PARTICIPANTS, m->participants[0], FC_NAME_MAX, &m->nparticipants);
    ok &= fc_imp_text(im, M_NOTES, false, m->notes, sizeof m->notes);
    ok &= fc_imp_text(im, M_AGREEMENTS, false, m->agreements, sizeof m->agreements);
    return ok;
}

static uint64_t meeting_identity(const void *rec)
{
    const struct meeting_rec *m = rec;
    uint64_t k[2] = { (uint64_t)m->case_id << 32 | (uint32_t)m->date, m->kind };
    return fc_hash64(k, sizeof k, 0x3ee7);
}

static const struct meeting_ref *find_meeting(const struct case_cache *cc, fc_date d, int kind)
{
    for (size_t i = 0; i < cc->nm; i++)
        if (cc->m[i].date == d && (kind < 0 || cc->m[i].kind == kind))
            return &cc->m[i];
    return NULL;
}

static bool same_names(uint8_t na, const char (*a)[FC_NAME_MAX], uint8_t nb,
                       const char (*b)[FC_NAME_MAX])
{
    if (na != nb)
        return false;
    for (uint8_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static enum fc_row_verdict meeting_check(struct fc_imp *im, struct fc_txn *txn, void *rec)
{
    struct meeting_rec *m = rec;
    struct case_cache *cc = load_case(im, txn, m->case_id, M_CASE, false);
    if (!cc)
        return FC_ROW_BAD;
    const struct meeting_ref *ref = find_meeting(cc, m->date, m->kind);
    m->id = ref ? ref->id : 0;
    if (!ref)
        return FC_ROW_OK;
    struct fc_err err = { 0 };
    if (fc_meeting_get(txn, ref->id, &m->old, &err) != FC_OK) {
        fc_imp_bad(im, M_DATE, "%s", store_msg(&err));
        return FC_ROW_BAD;
    }
    const struct fc_meeting *o = &m->old;
    bool same = (!m->has_participants || same_names(o->nparticipants, o->participants,
                                                    m->nparticipants, m->participants)) &&
                (!m->has_notes || strcmp(o->notes, m->notes) == 0) &&
                (!m->has_agreements || strcmp(o->agreements, m->agreements) == 0);
    return same ? FC_ROW_SAME : FC_ROW_OK;
}

static int meeting_write(struct fc_imp *im, struct fc_txn *txn, void *rec, struct fc_err *err)
{
    struct meeting_rec *m = rec;
    struct fc_meeting n = { .case_id = m->case_id, .date = m->date, .kind = m->kind };
    if (m->id)
        n = m->old;
    if (m->has_participants) {
        n.nparticipants = m->nparticipants;
        memcpy(n.participants, m->participants, sizeof n.participants);
    }
    if (m->has_notes)
        memcpy(n.notes, m->notes, sizeof n.notes);
    if (m->has_agreements)
        memcpy(n.agreements, m->agreements, sizeof n.agreements);
    int rc = fc_meeting_put(txn, &n, err);
    if (rc == FC_OK && !m->id && im->cache && add_meeting_ref(&n, im->cache) != 0)
        case_cache_reset(im);
    return rc;
}

const struct fc_imp_ops fc_imp_meetings = {
    .rec_size = sizeof(struct meeting_rec),
    .parsed_size = offsetof(struct meeting_rec, id),
    .parse = meeting_parse,
    .identity = meeting_identity,
    .reset = case_cache_reset,
    .check = meeting_check,
    .write = meeting_write,
    .fini = case_cache_fini,
};

/* ---- ratings --------------------------------------------------------------------- */

enum { R_CASE, R_DATE, R_SCALE, R_RATER, R_RATER_NAME, R_ITEM1, R_TOTAL = R_ITEM1 + 4 };

struct rating_rec {
    fc_id case_id;
    fc_date date;
    uint8_t scale, rater;
    int16_t items[FC_ITEMS];
    int16_t total;
    char rater_name[FC_NAME_MAX];
    /* resolved */
    fc_id meeting_id;
};

/* The plain forms "7", "10", "7.5", "7,5", "22.5" read here without a trip
 * through gettext; anything else (and every error) goes to core's parser. */
static bool score_fast(const char *s, int max, int *tenths)
{
    int v = 0, n = 0;
    while (s[n] >= '0' && s[n] <= '9' && n < 3)
        v = v * 10 + (s[n++] - '0');
    if (n == 0 || n > 2)
        return false;
    v *= 10;
    if (s[n] == '.' || s[n] == ',') {
        if (s[n + 1] < '0' || s[n + 1] > '9' || s[n + 2] != '\0')
            return false;
        v += s[n + 1] - '0';
    } else if (s[n] != '\0') {
        return false;
    }
    if (v > max)
        return false;
    *tenths = v;
    return true;
}

static bool rating_parse(struct fc_imp *im, void *rec)
{
    struct rating_rec *r = rec;
    bool ok = fc_imp_id(im, R_CASE, &r->case_id);
    ok &= fc_imp_date(im, R_DATE, true, &r->date);
    int scale = fc_imp_lookup(im, R_SCALE, fc_scale_lookup);
    if (scale < 0) {
        fc_imp_bad(im, R_SCALE, _("'%s' is not a scale (ORS, CORS, SRS, CSRS)"),
                   fc_imp_col(im, R_SCALE));
        ok = false;
    }
    int rater = fc_imp_lookup(im, R_RATER, fc_rater_lookup);
    if (rater < 0) {
        fc_imp_bad(im, R_RATER, _("'%s' is not a rater (child, mother, father, guardian, "
                                  "teacher, pedagogue, caseworker, other; barn, mor, far, "
                                  "værge, lærer, pædagog, rådgiver, anden)"),
                   fc_imp_col(im, R_RATER));
        ok = false;
    }
    r->scale = (uint8_t)(scale < 0 ? 0 : scale);
    r->rater = (uint8_t)(rater < 0 ? 0 : rater);
    ok &= fc_imp_text(im, R_RATER_NAME, false, r->rater_name, sizeof r->rater_name);

    int given = 0, missing = -1;
    for (int i = 0; i < FC_ITEMS; i++) {
        r->items[i] = FC_ITEM_NONE;
        if (!fc_imp_has(im, R_ITEM1 + i)) {
            missing = i;
            continue;
        }
        int t;
        struct fc_err err = { 0 };
        if (!score_fast(fc_imp_col(im, R_ITEM1 + i), 100, &t) &&
            fc_item_parse(fc_imp_col(im, R_ITEM1 + i), false, &t, &err) != FC_OK) {
            fc_imp_bad(im, R_ITEM1 + i, "%s", err.msg);
            ok = false;
            continue;
        }
        r->items[i] = (int16_t)t;
        given++;
    }
    r->total = -1;
    if (fc_imp_has(im, R_TOTAL)) {
        int t;
        struct fc_err err = { 0 };
        if (!score_fast(fc_imp_col(im, R_TOTAL), 400, &t) &&
            fc_total_parse(fc_imp_col(im, R_TOTAL), &t, &err) != FC_OK) {
            fc_imp_bad(im, R_TOTAL, "%s", err.msg);
            return false;
        }
        r->total = (int16_t)t;
    }
    if (!ok)
        return false;
    if (given > 0 && given < FC_ITEMS) {
        fc_imp_bad(im, R_ITEM1 + missing, "%s", _("empty; give all four items, or only "
                                                  "the total"));
        return false;
    }
    if (given == 0 && r->total < 0) {
        fc_imp_bad(im, R_TOTAL, "%s", _("empty, and so are the items; give item1-item4, "
                                        "the total, or both"));
        return false;
    }
    struct fc_rating tmp = { .case_id = r->case_id, .date = r->date, .scale = r->scale,
                             .rater = r->rater, .total = r->total };
    memcpy(tmp.items, r->items, sizeof tmp.items);
    struct fc_err err = { 0 };
    if (fc_rating_normalize(&tmp, &err) != FC_OK) {
        fc_imp_bad(im, R_TOTAL, "%s", err.msg);
        return false;
    }
    r->total = tmp.total;
    return true;
}

/* Files come sorted by case and date: the rows of one record share this. */
static uint64_t rating_order(const void *rec)
{
    const struct rating_rec *r = rec;
    return (uint64_t)r->case_id << 32 | ((uint32_t)r->date ^ 0x80000000u);
}

static uint64_t rating_identity(const void *rec)
{
    const struct rating_rec *r = rec;
    uint64_t h = fc_hash64(r->rater_name, strlen(r->rater_name), r->scale << 8 | r->rater);
    uint64_t k[2] = { (uint64_t)r->case_id << 32 | (uint32_t)r->date, h };
    return fc_hash64(k, sizeof k, 0x4a71);
}

static const struct fc_rating *find_rating(const struct case_cache *cc,
                                           const struct rating_rec *r)
{
    for (size_t i = 0; i < cc->nr; i++) {
        const struct fc_rating *o = &cc->r[i];
        if (o->meeting_id == r->meeting_id && o->scale == r->scale && o->rater == r->rater &&
            strcmp(o->rater_name, r->rater_name) == 0)
            return o;
    }
    return NULL;
}

static enum fc_row_verdict rating_check(struct fc_imp *im, struct fc_txn *txn, void *rec)
{
    struct rating_rec *r = rec;
    struct case_cache *cc = load_case(im, txn, r->case_id, R_CASE, true);
    if (!cc)
        return FC_ROW_BAD;
    const struct meeting_ref *ref = find_meeting(cc, r->date, -1);
    r->meeting_id = ref ? ref->id : 0;
    const struct fc_rating *o = ref ? find_rating(cc, r) : NULL;
    if (!o)
        return FC_ROW_OK;
    bool same = o->total == r->total;
    for (int i = 0; i < FC_ITEMS && same; i++)
        same = r->items[i] == FC_ITEM_NONE || r->items[i] == o->items[i];
    if (same)
        return FC_ROW_SAME;
    char total[8];
    fc_tenths_format(o->total, '.', total);
    fc_imp_bad(im, R_TOTAL, _("this case already has a %s rating by %s%s%s on this date "
                              "with other scores (total %s)"),
               fc_scale_code(r->scale), fc_rater_code(r->rater), r->rater_name[0] ? " " : "",
               r->rater_name, total);
    return FC_ROW_BAD;
}

static int rating_write(struct fc_imp *im, struct fc_txn *txn, void *rec, struct fc_err *err)
{
    (void)txn;
    struct rating_rec *r = rec;
    struct case_cache *cc = im->cache;
    int rc;
    if (!r->meeting_id) {
        /* No meeting that day: the rating's own, as a status meeting. */
        struct fc_meeting *m = calloc(1, sizeof *m);
        if (!m) {
            err->code = FC_ESTORE;
            snprintf(err->msg, sizeof err->msg, "%s", _("out of memory"));
            return FC_ESTORE;
        }
        m->case_id = r->case_id;
        m->date = r->date;
        m->kind = FC_MEET_STATUS;
        rc = fc_bulk_meeting(im->bulk, m, err);
        if (rc == FC_OK) {
            r->meeting_id = m->id;
            if (cc && cc->case_id == r->case_id && add_meeting_ref(m, cc) != 0)
                case_cache_reset(im);
        }
        free(m);
        if (rc != FC_OK)
            return rc;
    }
    struct fc_rating n = { .case_id = r->case_id, .meeting_id = r->meeting_id,
                           .date = r->date, .scale = r->scale, .rater = r->rater,
                           .total = r->total };
    memcpy(n.items, r->items, sizeof n.items);
    memcpy(n.rater_name, r->rater_name, sizeof n.rater_name);
    if ((rc = fc_bulk_rating(im->bulk, &n, err)) != FC_OK)
        return rc;
    if (cc && cc->case_id == r->case_id && add_rating(&n, cc) != 0)
        case_cache_reset(im);
    return FC_OK;
}

const struct fc_imp_ops fc_imp_ratings = {
    .rec_size = sizeof(struct rating_rec),
    .parsed_size = offsetof(struct rating_rec, meeting_id),
    .journal = true,
    .parse = rating_parse,
    .order = rating_order,
    .identity = rating_identity,
    .reset = case_cache_reset,
    .check = rating_check,
    .write = rating_write,
    .fini = case_cache_fini,
};
