/* Import of pupils, staff, the school calendar and absence days: each
 * kind's row parser, its identity, its check against the store, its write. */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/absence.h"
#include "fitcase/csv_internal.h"
#include "fitcase/i18n.h"

static const char *store_msg(const struct fc_err *err)
{
    return err->msg[0] ? err->msg : _("store error");
}

/* ---- pupils --------------------------------------------------------------- */

enum { P_ID, P_NAME, P_BIRTH, P_GRADE, P_SCHOOL, P_GUARDIANS };

struct pupil_rec {
    fc_id id;
    fc_date birth;
    int grade;
    bool has_guardians;
    uint8_t nguardians;
    char name[FC_NAME_MAX];
    char school[FC_NAME_MAX];
    char guardians[FC_LIST_MAX][FC_NAME_MAX];
    /* resolved by check */
    fc_id school_id;
    bool exists;
    struct fc_pupil old;
};

/* "7", "7.b", "7b", "7. klasse": the grade is the leading number, 0-10. */
static bool parse_grade(struct fc_imp *im, int c, int *grade)
{
    const char *s = fc_imp_col(im, c);
    int v = 0, n = 0;
    while (s[n] >= '0' && s[n] <= '9' && n < 3)
        v = v * 10 + (s[n++] - '0');
    if (n == 0 || n > 2 || v > 10 || (s[n] >= '0' && s[n] <= '9')) {
        fc_imp_bad(im, c, _("'%s' is not a grade; grades run 0-10"), s);
        return false;
    }
    *grade = v;
    return true;
}

static bool pupil_parse(struct fc_imp *im, void *rec)
{
    struct pupil_rec *p = rec;
    bool ok = fc_imp_id(im, P_ID, &p->id);
    ok &= fc_imp_text(im, P_NAME, true, p->name, sizeof p->name);
    ok &= fc_imp_date(im, P_BIRTH, true, &p->birth);
    ok &= parse_grade(im, P_GRADE, &p->grade);
    ok &= fc_imp_text(im, P_SCHOOL, true, p->school, sizeof p->school);
    p->has_guardians = im->map[P_GUARDIANS] >= 0;
    ok &= fc_imp_list(im, P_GUARDIANS, p->guardians[0], FC_NAME_MAX, &p->nguardians);
    return ok;
}

static uint64_t pupil_identity(const void *rec)
{
    return ((const struct pupil_rec *)rec)->id;
}

static void no_cache(struct fc_imp *im)
{
    (void)im;
}

static bool same_list(uint8_t na, const char (*a)[FC_NAME_MAX], uint8_t nb,
                      const char (*b)[FC_NAME_MAX])
{
    if (na != nb)
        return false;
    for (uint8_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static enum fc_row_verdict pupil_check(struct fc_imp *im, struct fc_txn *txn, void *rec)
{
    struct pupil_rec *p = rec;
    struct fc_err err = { 0 };
    struct fc_school school;
    int rc = fc_school_by_name(txn, p->school, &school, &err);
    if (rc != FC_OK && rc != FC_ENOTFOUND) {
        fc_imp_bad(im, P_SCHOOL, "%s", store_msg(&err));
        return FC_ROW_BAD;
    }
    p->school_id = rc == FC_OK ? school.id : 0;
    rc = fc_pupil_get(txn, p->id, &p->old, &err);
    if (rc == FC_ENOTFOUND) {
        p->exists = false;
        return FC_ROW_OK;
    }
    if (rc != FC_OK) {
        fc_imp_bad(im, P_ID, "%s", store_msg(&err));
        return FC_ROW_BAD;
    }
    p->exists = true;
    const struct fc_pupil *o = &p->old;
    bool same = strcmp(o->name, p->name) == 0 && o->birth_date == p->birth &&
                o->grade == p->grade && p->school_id && o->school_id == p->school_id &&
                (!p->has_guardians ||
                 same_list(o->nguardians, o->guardians, p->nguardians, p->guardians));
    return same ? FC_ROW_SAME : FC_ROW_OK;
}

static int pupil_write(struct fc_imp *im, struct fc_txn *txn, void *rec, struct fc_err *err)
{
    (void)im;
    struct pupil_rec *p = rec;
    if (!p->school_id) {
        struct fc_school s = { 0 };
        int rc = fc_school_by_name(txn, p->school, &s, err);
        if (rc == FC_ENOTFOUND) {
            memset(&s, 0, sizeof s);
            snprintf(s.name, sizeof s.name, "%s", p->school);
            rc = fc_school_put(txn, &s, err);
        }
        if (rc != FC_OK)
            return rc;
        p->school_id = s.id;
    }
    struct fc_pupil n = { 0 };
    if (p->exists)
        n = p->old;
    else
        n.id = p->id;
    snprintf(n.name, sizeof n.name, "%s", p->name);
    n.birth_date = p->birth;
    n.grade = (int8_t)p->grade;
    n.school_id = p->school_id;
    if (p->has_guardians) {
        n.nguardians = p->nguardians;
        memcpy(n.guardians, p->guardians, sizeof n.guardians);
    }
    return fc_pupil_put(txn, &n, err);
}

const struct fc_imp_ops fc_imp_pupils = {
    .rec_size = sizeof(struct pupil_rec),
    .parsed_size = offsetof(struct pupil_rec, school_id),
    .parse = pupil_parse,
    .identity = pupil_identity,
    .reset = no_cache,
    .check = pupil_check,
    .write = pupil_write,
};

/* ---- staff ------------------------------------------------------------------- */

enum { S_LOGIN, S_NAME, S_ROLE, S_TEAM };

struct staff_rec {
    char login[FC_LOGIN_MAX];
    char name[FC_NAME_MAX];
    char team[FC_NAME_MAX];
    int role;
    bool has_team;
    /* resolved */
    fc_id team_id;
    bool exists;
    struct fc_staff old;
};

static bool staff_parse(struct fc_imp *im, void *rec)
{
    struct staff_rec *s = rec;
    bool ok = fc_imp_text(im, S_LOGIN, true, s->login, sizeof s->login);
    for (const char *p = s->login; ok && *p; p++)
        if (*p == ' ' || *p == '\t' || *p == '\n') {
            fc_imp_bad(im, S_LOGIN, _("'%s' has a blank; a login is one word"), s->login);
            ok = false;
        }
    ok &= fc_imp_text(im, S_NAME, true, s->name, sizeof s->name);
    s->role = fc_imp_lookup(im, S_ROLE, fc_role_lookup);
    if (s->role < 0) {
        fc_imp_bad(im, S_ROLE, _("'%s' is not a role (caseworker, lead, admin; rådgiver, "
                                 "leder, administrator)"), fc_imp_col(im, S_ROLE));
        ok = false;
    }
    s->has_team = im->map[S_TEAM] >= 0;
    ok &= fc_imp_text(im, S_TEAM, false, s->team, sizeof s->team);
    return ok;
}

static uint64_t staff_identity(const void *rec)
{
    const struct staff_rec *s = rec;
    return fc_hash64(s->login, strlen(s->login), 0x57aff);
}

struct team_cache {
    size_t n, cap;
    struct fc_team *t;
};

static int collect_team(const struct fc_team *t, void *ctx)
{
    struct team_cache *tc = ctx;
    if (tc->n == tc->cap) {
        size_t cap = tc->cap ? tc->cap * 2 : 16;
        struct fc_team *n = realloc(tc->t, cap * sizeof *n);
        if (!n)
            return 1;
        tc->t = n;
        tc->cap = cap;
    }
    tc->t[tc->n++] = *t;
    return 0;
}

static void staff_reset(struct fc_imp *im)
{
    struct team_cache *tc = im->cache;
    if (tc)
        tc->n = (size_t)-1;    /* load on first use in the next transaction */
}

static struct team_cache *teams(struct fc_imp *im, struct fc_txn *txn)
{
    struct team_cache *tc = im->cache;
    if (!tc) {
        tc = im->cache = calloc(1, sizeof *tc);
        if (!tc)
            return NULL;
        tc->n = (size_t)-1;
    }
    if (tc->n == (size_t)-1) {
        tc->n = 0;
        if (fc_teams_each(txn, collect_team, tc) != 0)
            return NULL;
    }
    return tc;
}

static fc_id team_by_name(struct team_cache *tc, const char *name)
{
    for (size_t i = 0; i < tc->n; i++)
        if (strcmp(tc->t[i].name, name) == 0)
            return tc->t[i].id;
    return 0;
}

static enum fc_row_verdict staff_check(struct fc_imp *im, struct fc_txn *txn, void *rec)
{
    struct staff_rec *s = rec;
    struct fc_err err = { 0 };
    struct team_cache *tc = teams(im, txn);
    if (!tc) {
        fc_imp_bad(im, S_TEAM, "%s", _("cannot read the teams"));
        return FC_ROW_BAD;
    }
    s->team_id = s->team[0] ? team_by_name(tc, s->team) : 0;
    int rc = fc_staff_by_login(txn, s->login, &s->old, &err);
    if (rc == FC_ENOTFOUND) {
        s->exists = false;
        return FC_ROW_OK;
    }
    if (rc != FC_OK) {
        fc_imp_bad(im, S_LOGIN, "%s", store_msg(&err));
        return FC_ROW_BAD;
    }
    s->exists = true;
    bool same_team = !s->has_team || (s->team[0] ? s->team_id && s->old.team_id == s->team_id
                                                 : s->old.team_id == 0);
    return strcmp(s->old.name, s->name) == 0 && s->old.role == s->role && same_team
               ? FC_ROW_SAME : FC_ROW_OK;
}

static int staff_write(struct fc_imp *im, struct fc_txn *txn, void *rec, struct fc_err *err)
{
    struct staff_rec *s = rec;
    if (s->team[0] && !s->team_id) {
        struct fc_team t = { 0 };
        snprintf(t.name, sizeof t.name, "%s", s->team);
        int rc = fc_team_put(txn, &t, err);
        if (rc != FC_OK)
            return rc;
        s->team_id = t.id;
        struct team_cache *tc = im->cache;
        if (tc && tc->n != (size_t)-1 && collect_team(&t, tc) != 0)
            tc->n = (size_t)-1;
    }
    struct fc_staff n = { .active = true };
    if (s->exists)
        n = s->old;
    snprintf(n.login, sizeof n.login, "%s", s->login);
    snprintf(n.name, sizeof n.name, "%s", s->name);
    n.role = (uint8_t)s->role;
    if (s->has_team)
        n.team_id = s->team_id;
    return fc_staff_put(txn, &n, err);
}

static void free_cache(struct fc_imp *im)
{
    struct team_cache *tc = im->cache;
    if (tc)
        free(tc->t);
    free(tc);
    im->cache = NULL;
}

const struct fc_imp_ops fc_imp_staff = {
    .rec_size = sizeof(struct staff_rec),
    .parsed_size = offsetof(struct staff_rec, team_id),
    .parse = staff_parse,
    .identity = staff_identity,
    .reset = staff_reset,
    .check = staff_check,
    .write = staff_write,
    .fini = free_cache,
};

/* ---- calendar ------------------------------------------------------------------ */

enum { H_DATE, H_DESCRIPTION };

struct holiday_rec {
    fc_date date;
    char description[FC_NAME_MAX];
    /* resolved */
    bool exists;
};

struct holiday_cache {
    bool loaded;
    size_t n, cap;
    struct fc_holiday *h;
};

static bool holiday_parse(struct fc_imp *im, void *rec)
{
    struct holiday_rec *h = rec;
    bool ok = fc_imp_date(im, H_DATE, true, &h->date);
    ok &= fc_imp_text(im, H_DESCRIPTION, false, h->description, sizeof h->description);
    return ok;
}

static uint64_t holiday_identity(const void *rec)
{
    return (uint32_t)((const struct holiday_rec *)rec)->date;
}

static int collect_holiday(const struct fc_holiday *h, void *ctx)
{
    struct holiday_cache *hc = ctx;
    if (hc->n == hc->cap) {
        size_t cap = hc->cap ? hc->cap * 2 : 256;
        struct fc_holiday *n = realloc(hc->h, cap * sizeof *n);
        if (!n)
            return 1;
        hc->h = n;
        hc->cap = cap;
    }
    hc->h[hc->n++] = *h;
    return 0;
}

static void holiday_reset(struct fc_imp *im)
{
    struct holiday_cache *hc = im->cache;
    if (hc)
        hc->loaded = false;
}

static const struct fc_holiday *holiday_find(struct holiday_cache *hc, fc_date d)
{
    for (size_t i = 0; i < hc->n; i++)
        if (hc->h[i].date == d)
            return &hc->h[i];
    return NULL;
}

static enum fc_row_verdict holiday_check(struct fc_imp *im, struct fc_txn *txn, void *rec)
{
    struct holiday_rec *h = rec;
    struct holiday_cache *hc = im->cache;
    if (!hc && !(hc = im->cache = calloc(1, sizeof *hc))) {
        fc_imp_bad(im, -1, "%s", _("out of memory"));
        return FC_ROW_BAD;
    }
    if (!hc->loaded) {
        hc->n = 0;
        if (fc_holidays_each(txn, collect_holiday, hc) != 0) {
            fc_imp_bad(im, -1, "%s", _("cannot read the school calendar"));
            return FC_ROW_BAD;
        }
        hc->loaded = true;
    }
    const struct fc_holiday *old = holiday_find(hc, h->date);
    h->exists = old != NULL;
    return old && strcmp(old->description, h->description) == 0 ? FC_ROW_SAME : FC_ROW_OK;
}

static int holiday_write(struct fc_imp *im, struct fc_txn *txn, void *rec, struct fc_err *err)
{
    struct holiday_rec *h = rec;
    struct fc_holiday n = { .date = h->date };
    snprintf(n.description, sizeof n.description, "%s", h->description);
    int rc;
    if (h->exists && (rc = fc_holiday_delete(txn, h->date, err)) != FC_OK)
        return rc;
    if ((rc = fc_holiday_put(txn, &n, err)) != FC_OK)
        return rc;
    struct holiday_cache *hc = im->cache;
    struct fc_holiday *old = hc ? (struct fc_holiday *)holiday_find(hc, h->date) : NULL;
    if (old)
        *old = n;
    else if (hc && collect_holiday(&n, hc) != 0)
        hc->loaded = false;
    return FC_OK;
}

static void holiday_fini(struct fc_imp *im)
{
    struct holiday_cache *hc = im->cache;
    if (hc)
        free(hc->h);
    free(hc);
    im->cache = NULL;
}

const struct fc_imp_ops fc_imp_calendar = {
    .rec_size = sizeof(struct holiday_rec),
    .parsed_size = offsetof(struct holiday_rec, exists),
    .parse = holiday_parse,
    .identity = holiday_identity,
    .reset = holiday_reset,
    .check = holiday_check,
    .write = holiday_write,
    .fini = holiday_fini,
};

/* ---- absence ----------------------------------------------------------------------
 * The kind of huge files: the record is 12 bytes, pupils already checked
 * in this transaction are remembered in a key set. */

enum { A_PUPIL, A_DATE, A_KIND };

struct absence_rec {
    fc_id pupil;
    fc_date date;
    uint8_t kind;
};

static bool absence_parse(struct fc_imp *im, void *rec)
{
    struct absence_rec *a = rec;
    bool ok = fc_imp_id(im, A_PUPIL, &a->pupil);
    ok &= fc_imp_date(im, A_DATE, true, &a->date);
    int k = fc_imp_lookup(im, A_KIND, fc_absence_kind_lookup);
    if (k < 0) {
        fc_imp_bad(im, A_KIND, _("'%s' is not a kind of absence (sick, legal, illegal; syg, "
                                 "lovligt, ulovligt)"), fc_imp_col(im, A_KIND));
        return false;
    }
    a->kind = (uint8_t)k;
    return ok;
}

static uint64_t absence_identity(const void *rec)
{
    const struct absence_rec *a = rec;
    return (uint64_t)a->pupil << 32 | (uint32_t)a->date;
}

/* The store's order: by pupil, then date (the sign bit flipped, as in
 * the keys, so that dates before 1970 come first). */
static uint64_t absence_order(const void *rec)
{
    const struct absence_rec *a = rec;
    return (uint64_t)a->pupil << 32 | ((uint32_t)a->date ^ 0x80000000u);
}

static void absence_reset(struct fc_imp *im)
{
    struct fc_keyset *ks = im->cache;
    if (ks)
        fc_keyset_clear(ks);
}

static int found_one(const struct fc_absence *a, void *ctx)
{
    (void)a;
    (void)ctx;
    return 1;
}

static enum fc_row_verdict absence_check(struct fc_imp *im, struct fc_txn *txn, void *rec)
{
    struct absence_rec *a = rec;
    struct fc_keyset *ks = im->cache;
    if (!ks) {
        ks = im->cache = malloc(sizeof *ks);
        if (!ks || !fc_keyset_init(ks, 1024)) {
            free(ks);
            im->cache = NULL;
            fc_imp_bad(im, -1, "%s", _("out of memory"));
            return FC_ROW_BAD;
        }
    }
    if (!fc_keyset_has(ks, a->pupil)) {
        struct fc_pupil p;
        struct fc_err err = { 0 };
        int rc = fc_pupil_get(txn, a->pupil, &p, &err);
        if (rc == FC_ENOTFOUND) {
            fc_imp_bad(im, A_PUPIL, _("no pupil %u in the store (import the pupils first)"),
                       a->pupil);
            return FC_ROW_BAD;
        }
        if (rc != FC_OK) {
            fc_imp_bad(im, A_PUPIL, "%s", store_msg(&err));
            return FC_ROW_BAD;
        }
        if (fc_keyset_add(ks, a->pupil) < 0) {
            fc_imp_bad(im, -1, "%s", _("out of memory"));
            return FC_ROW_BAD;
        }
    }
    /* A day already stored is refused by the put (FC_EEXIST, counted as
     * unchanged), so only a dry run, which never puts, needs to look. */
    if (!im->dry_run)
        return FC_ROW_OK;
    return fc_absence_of_pupil(txn, a->pupil, a->date, a->date, found_one, NULL) == 1
               ? FC_ROW_SAME : FC_ROW_OK;
}

static int absence_write(struct fc_imp *im, struct fc_txn *txn, void *rec, struct fc_err *err)
{
    (void)txn;
    const struct absence_rec *a = rec;
    struct fc_absence n = { .pupil_id = a->pupil, .date = a->date, .kind = a->kind };
    return fc_bulk_absence(im->bulk, &n, err);
}

static void absence_fini(struct fc_imp *im)
{
    struct fc_keyset *ks = im->cache;
    if (ks)
        fc_keyset_free(ks);
    free(ks);
    im->cache = NULL;
}

const struct fc_imp_ops fc_imp_absence = {
    .rec_size = sizeof(struct absence_rec),
    .parsed_size = sizeof(struct absence_rec),
    .dup_is_identity = true,
    .journal = true,
    .parse = absence_parse,
    .order = absence_order,
    .identity = absence_identity,
    .reset = absence_reset,
    .check = absence_check,
    .write = absence_write,
    .fini = absence_fini,
};

