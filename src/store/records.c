/* Versioned records over u32 ids, and the simple record types: teams,
 * staff, schools, pupils, phase models, settings, absence and holidays,
 * each keeping its indexes in step inside the caller's transaction. */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "internal.h"

#define ENTITY(var, nm, dbid, lay, T) \
    const struct fcs_entity var = { nm, N_(nm), dbid, &lay, offsetof(T, id), \
                                    offsetof(T, version) }
ENTITY(fcs_team_ent, "team", FCS_DB_TEAMS, fcs_team_layout, struct fc_team);
ENTITY(fcs_staff_ent, "staff", FCS_DB_STAFF, fcs_staff_layout, struct fc_staff);
ENTITY(fcs_school_ent, "school", FCS_DB_SCHOOLS, fcs_school_layout, struct fc_school);
ENTITY(fcs_pupil_ent, "pupil", FCS_DB_PUPILS, fcs_pupil_layout, struct fc_pupil);
ENTITY(fcs_case_ent, "case", FCS_DB_CASES, fcs_case_layout, struct fc_case);
ENTITY(fcs_meeting_ent, "meeting", FCS_DB_MEETINGS, fcs_meeting_layout, struct fc_meeting);
ENTITY(fcs_rating_ent, "rating", FCS_DB_RATINGS, fcs_rating_layout, struct fc_rating);

/* ---- the generic versioned record ------------------------------------------ */

static fc_id rec_id(const struct fcs_entity *e, const void *rec)
{
    fc_id id;
    memcpy(&id, (const uint8_t *)rec + e->id_off, sizeof id);
    return id;
}

static uint32_t rec_version(const struct fcs_entity *e, const void *rec)
{
    uint32_t v;
    memcpy(&v, (const uint8_t *)rec + e->version_off, sizeof v);
    return v;
}

static void rec_set(const struct fcs_entity *e, void *rec, fc_id id, uint32_t version)
{
    memcpy((uint8_t *)rec + e->id_off, &id, sizeof id);
    memcpy((uint8_t *)rec + e->version_off, &version, sizeof version);
}

int fcs_rec_get(struct fc_txn *t, const struct fcs_entity *e, fc_id id, void *rec,
                struct fc_err *err)
{
    struct fcs_key k;
    fcs_key(&k, "I", id);
    int rc = id ? fcs_get_rec(t, e->db, &k, e->layout, rec, err) : FC_ENOTFOUND;
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_ENOTFOUND, _("%s %u does not exist"), _(e->noun), id);
    if (rc == FC_OK)
        memcpy((uint8_t *)rec + e->id_off, &id, sizeof id);
    return rc;
}

int fcs_rec_check(struct fc_txn *t, const struct fcs_entity *e, const void *rec, void *old,
                  bool *is_new, struct fc_err *err)
{
    int rc = fcs_need_write(t, err);
    if (rc)
        return rc;
    const char *list = fcs_bad_list(e->layout, rec);
    if (list)
        return fcs_fail(err, FC_EINVAL, _("%s: too many entries in %s (at most %d)"),
                        _(e->noun), list, FC_LIST_MAX);
    fc_id id = rec_id(e, rec);
    *is_new = id == 0;
    if (*is_new)
        return FC_OK;
    rc = fcs_rec_get(t, e, id, old, err);
    if (rc == FC_ENOTFOUND && rec_version(e, rec) == 0) {
        /* A new record that brings its own id (a CSV import keeps the ids
         * of the file, so other files can refer to them). */
        *is_new = true;
        return FC_OK;
    }
    if (rc != FC_OK)
        return rc;
    if (rec_version(e, old) != rec_version(e, rec))
        return fcs_fail(err, FC_ECONFLICT,
                        _("%s %u was changed by someone else since you opened it; "
                          "open it again and redo your change"), _(e->noun), id);
    return FC_OK;
}

int fcs_rec_write(struct fc_txn *t, const struct fcs_entity *e, void *rec, bool is_new,
                  struct fc_err *err)
{
    fc_id id0 = rec_id(e, rec), id = id0;
    uint32_t v0 = rec_version(e, rec);
    int rc = FC_OK;
    if (is_new && id0 == 0) {
        rc = fcs_next_id(t, e->name, &id, err);
    } else if (is_new) {
        /* Keep the given id; later ids are assigned after it. */
        char name[64];
        uint32_t last = 0;
        snprintf(name, sizeof name, "last_id.%s", e->name);
        rc = fcs_meta_get_u32(t, name, &last, err);
        if (rc == FC_OK && id0 > last)
            rc = fcs_meta_put_u32(t, name, id0, err);
    }
    if (rc)
        return rc;
    rec_set(e, rec, id, is_new ? 1 : v0 + 1);
    struct fcs_key k;
    fcs_key(&k, "I", id);
    rc = fcs_put_rec(t, e->db, &k, e->layout, rec, err);
    if (rc)
        rec_set(e, rec, id0, v0);
    return rc;
}

int fcs_rec_audit(struct fc_txn *t, const struct fcs_entity *e, const void *rec,
                  const void *old, bool is_new, struct fc_err *err)
{
    char action[FC_SHORT_MAX], detail[FC_TEXT_MAX] = "";
    snprintf(action, sizeof action, "%s.%s", e->name, is_new ? "add" : "update");
    if (!is_new) {
        char fields[FC_TEXT_MAX / 2] = "";
        if (fcs_diff(e->layout, old, rec, fields, sizeof fields) == 0)
            snprintf(detail, sizeof detail, "no change");
        else
            snprintf(detail, sizeof detail, "changed: %s", fields);
    }
    return fc_audit_add(t, action, e->name, rec_id(e, rec), detail, err);
}

/* Restores the caller's id and version when a put fails after writing. */
#define PUT_FAIL(e, rec, id0, v0, rc) \
    do { rec_set(e, rec, id0, v0); return rc; } while (0)

/* ---- unique name indexes: key -> u32 id ---------------------------------- */

static int unique_check(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
                        fc_id self, fc_id *other, struct fc_err *err)
{
    MDB_val val;
    int rc = fcs_get(t, db, k, &val, err);
    *other = 0;
    if (rc == FC_ENOTFOUND)
        return FC_OK;
    if (rc)
        return rc;
    if (val.mv_size == 4 && fcs_get_u32(val.mv_data) != self) {
        *other = fcs_get_u32(val.mv_data);
        return FC_EEXIST;
    }
    return FC_OK;
}

static int unique_move(struct fc_txn *t, enum fcs_db db, const struct fcs_key *old,
                       const struct fcs_key *new_key, fc_id id, struct fc_err *err)
{
    uint8_t b[4];
    if (old->len) {
        if (old->len == new_key->len && memcmp(old->b, new_key->b, old->len) == 0)
            return FC_OK;
        int rc = fcs_del(t, db, old, err);
        if (rc != FC_OK && rc != FC_ENOTFOUND)
            return rc;
    }
    fcs_put_u32(b, id);
    return fcs_put_raw(t, db, new_key, b, 4, 0, err);
}

static int unique_lookup(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
                         const struct fcs_entity *e, void *rec, const char *what,
                         struct fc_err *err)
{
    MDB_val val;
    int rc = k->len ? fcs_get(t, db, k, &val, err) : FC_ENOTFOUND;
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_ENOTFOUND, _("no %s is called %s"), _(e->noun), what);
    if (rc)
        return rc;
    if (val.mv_size != 4) {
        MDB_val key = fcs_kval(k);
        return fcs_corrupt(err, fcs_db_names[db], &key);
    }
    return fcs_rec_get(t, e, fcs_get_u32(val.mv_data), rec, err);
}

static int must_exist(struct fc_txn *t, const struct fcs_entity *e, fc_id id, void *buf,
                      const char *whose, struct fc_err *err)
{
    int rc = fcs_rec_get(t, e, id, buf, err);
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_EINVAL, _("%s: %s %u does not exist"), whose, _(e->noun), id);
    return rc;
}

/* ---- teams ------------------------------------------------------------------- */

int fc_team_put(struct fc_txn *txn, struct fc_team *t, struct fc_err *err)
{
    struct fc_team old;
    bool is_new;
    fc_id id0 = t->id;
    uint32_t v0 = t->version;
    if (!t->name[0])
        return fcs_fail(err, FC_EINVAL, _("a team needs a name"));
    int rc = fcs_need_admin(txn, _("teams"), err);
    if (rc)
        return rc;
    rc = fcs_rec_check(txn, &fcs_team_ent, t, &old, &is_new, err);
    if (rc == FC_OK)
        rc = fcs_rec_write(txn, &fcs_team_ent, t, is_new, err);
    if (rc == FC_OK)
        rc = fcs_rec_audit(txn, &fcs_team_ent, t, &old, is_new, err);
    if (rc)
        PUT_FAIL(&fcs_team_ent, t, id0, v0, rc);
    return FC_OK;
}

int fc_team_get(struct fc_txn *txn, fc_id id, struct fc_team *t, struct fc_err *err)
{
    return fcs_rec_get(txn, &fcs_team_ent, id, t, err);
}

/* ---- staff -------------------------------------------------------------------- */

int fc_staff_put(struct fc_txn *txn, struct fc_staff *s, struct fc_err *err)
{
    struct fc_staff old, other_rec;
    struct fc_team team;
    struct fcs_key oldk = { 0 }, newk;
    bool is_new;
    fc_id id0 = s->id, other;
    uint32_t v0 = s->version;
    if (!s->login[0] || strnlen(s->login, sizeof s->login) >= sizeof s->login)
        return fcs_fail(err, FC_EINVAL, _("a staff member needs a login"));
    if (s->role >= FC_ROLE_COUNT)
        return fcs_fail(err, FC_EINVAL, _("staff %s: unknown role %u"), s->login, s->role);
    int rc = fcs_need_admin(txn, _("staff"), err);
    if (rc == FC_OK && s->team_id)
        rc = must_exist(txn, &fcs_team_ent, s->team_id, &team, s->login, err);
    if (rc == FC_OK)
        rc = fcs_rec_check(txn, &fcs_staff_ent, s, &old, &is_new, err);
    if (rc)
        return rc;
    fcs_key(&newk, "S", s->login);
    rc = unique_check(txn, FCS_DB_STAFF_LOGIN, &newk, s->id, &other, err);
    if (rc == FC_EEXIST) {
        if (fcs_rec_get(txn, &fcs_staff_ent, other, &other_rec, NULL) != FC_OK)
            snprintf(other_rec.name, sizeof other_rec.name, "#%u", other);
        return fcs_fail(err, FC_EEXIST, _("the login %s is already used by %s"), s->login,
                        other_rec.name);
    }
    if (!is_new)
        fcs_key(&oldk, "S", old.login);
    if (rc == FC_OK)
        rc = fcs_rec_write(txn, &fcs_staff_ent, s, is_new, err);
    if (rc == FC_OK)
        rc = unique_move(txn, FCS_DB_STAFF_LOGIN, &oldk, &newk, s->id, err);
    if (rc == FC_OK)
        rc = fcs_rec_audit(txn, &fcs_staff_ent, s, &old, is_new, err);
    if (rc)
        PUT_FAIL(&fcs_staff_ent, s, id0, v0, rc);
    return FC_OK;
}

int fc_staff_get(struct fc_txn *txn, fc_id id, struct fc_staff *s, struct fc_err *err)
{
    return fcs_rec_get(txn, &fcs_staff_ent, id, s, err);
}

int fc_staff_by_login(struct fc_txn *txn, const char *login, struct fc_staff *s,
                      struct fc_err *err)
{
    struct fcs_key k = { 0 };
    if (login[0] && strlen(login) < FC_LOGIN_MAX)
        fcs_key(&k, "S", login);
    return unique_lookup(txn, FCS_DB_STAFF_LOGIN, &k, &fcs_staff_ent, s, login, err);
}

/* ---- schools -------------------------------------------------------------------- */

static void school_key(struct fcs_key *k, const char *name)
{
    char folded[FCS_FOLD_MAX];
    k->len = 0;
    if (fcs_fold(name, folded, sizeof folded))
        fcs_key(k, "S", folded);
}

int fc_school_put(struct fc_txn *txn, struct fc_school *s, struct fc_err *err)
{
    struct fc_school old;
    struct fcs_key oldk = { 0 }, newk;
    bool is_new;
    fc_id id0 = s->id, other;
    uint32_t v0 = s->version;
    school_key(&newk, s->name);
    if (!newk.len)
        return fcs_fail(err, FC_EINVAL, _("a school needs a name"));
    int rc = fcs_rec_check(txn, &fcs_school_ent, s, &old, &is_new, err);
    if (rc == FC_OK)
        rc = unique_check(txn, FCS_DB_SCHOOL_NAME, &newk, s->id, &other, err);
    if (rc == FC_EEXIST)
        return fcs_fail(err, FC_EEXIST, _("a school called %s already exists (school %u)"),
                        s->name, other);
    if (rc)
        return rc;
    if (!is_new)
        school_key(&oldk, old.name);
    rc = fcs_rec_write(txn, &fcs_school_ent, s, is_new, err);
    if (rc == FC_OK)
        rc = unique_move(txn, FCS_DB_SCHOOL_NAME, &oldk, &newk, s->id, err);
    if (rc == FC_OK)
        rc = fcs_rec_audit(txn, &fcs_school_ent, s, &old, is_new, err);
    if (rc)
        PUT_FAIL(&fcs_school_ent, s, id0, v0, rc);
    return FC_OK;
}

int fc_school_get(struct fc_txn *txn, fc_id id, struct fc_school *s, struct fc_err *err)
{
    return fcs_rec_get(txn, &fcs_school_ent, id, s, err);
}

int fc_school_by_name(struct fc_txn *txn, const char *name, struct fc_school *s,
                      struct fc_err *err)
{
    struct fcs_key k;
    school_key(&k, name);
    return unique_lookup(txn, FCS_DB_SCHOOL_NAME, &k, &fcs_school_ent, s, name, err);
}

/* ---- pupils ------------------------------------------------------------------ */

int fcs_pupil_school(struct fc_txn *t, fc_id pupil, fc_id *school, struct fc_err *err)
{
    struct fc_pupil p;
    struct fcs_key k;
    fcs_key(&k, "I", pupil);
    int rc = fcs_get_rec(t, FCS_DB_PUPILS, &k, &fcs_pupil_layout, &p, err);
    *school = rc == FC_OK ? p.school_id : 0;
    return rc == FC_ENOTFOUND ? FC_OK : rc;
}

/* A pupil's school feeds case_school for each of their cases. */
static int move_case_schools(struct fc_txn *t, fc_id pupil, fc_id from, fc_id to,
                             struct fc_err *err)
{
    struct fcs_key prefix, oldk = { 0 }, newk = { 0 };
    fc_id *cases;
    size_t n;
    fcs_key(&prefix, "I", pupil);
    int rc = fcs_collect_ids(t, FCS_DB_CASE_PUPIL, &prefix, 4, &cases, &n, err);
    for (size_t i = 0; rc == FC_OK && i < n; i++) {
        oldk.len = newk.len = 0;
        if (from)
            fcs_key(&oldk, "II", from, cases[i]);
        if (to)
            fcs_key(&newk, "II", to, cases[i]);
        rc = fcs_idx_move(t, FCS_DB_CASE_SCHOOL, &oldk, &newk, err);
    }
    free(cases);
    return rc;
}

int fc_pupil_put(struct fc_txn *txn, struct fc_pupil *p, struct fc_err *err)
{
    struct fc_pupil old;
    struct fc_school school;
    struct fcs_key oldk = { 0 }, newk;
    char folded[FCS_FOLD_MAX];
    bool is_new;
    fc_id id0 = p->id;
    uint32_t v0 = p->version;
    if (!fcs_fold(p->name, folded, sizeof folded))
        return fcs_fail(err, FC_EINVAL, _("a pupil needs a name"));
    if (p->grade < 0 || p->grade > 10)
        return fcs_fail(err, FC_EINVAL, _("%s: grade %d is not a grade; grades run 0-10"),
                        p->name, p->grade);
    int rc = p->id ? fcs_pupil_reach(txn, p->id, err) : FC_OK;
    if (rc == FC_OK && p->school_id)
        rc = must_exist(txn, &fcs_school_ent, p->school_id, &school, p->name, err);
    if (rc == FC_OK)
        rc = fcs_rec_check(txn, &fcs_pupil_ent, p, &old, &is_new, err);
    if (rc == FC_OK)
        rc = fcs_rec_write(txn, &fcs_pupil_ent, p, is_new, err);
    if (rc == FC_OK && !is_new)
        fcs_key_pupil_name(&oldk, old.name, p->id);
    fcs_key_pupil_name(&newk, p->name, p->id);
    if (rc == FC_OK)
        rc = fcs_idx_move(txn, FCS_DB_PUPIL_NAME, &oldk, &newk, err);
    if (rc == FC_OK && !is_new && old.school_id != p->school_id)
        rc = move_case_schools(txn, p->id, old.school_id, p->school_id, err);
    /* The pupil's cases' case_team entries copy the fields a list shows. */
    if (rc == FC_OK && !is_new)
        rc = fcs_team_entries_pupil(txn, &old, p, err);
    if (rc == FC_OK)
        rc = fcs_rec_audit(txn, &fcs_pupil_ent, p, &old, is_new, err);
    if (rc)
        PUT_FAIL(&fcs_pupil_ent, p, id0, v0, rc);
    return FC_OK;
}

int fc_pupil_get(struct fc_txn *txn, fc_id id, struct fc_pupil *p, struct fc_err *err)
{
    int rc = fcs_rec_get(txn, &fcs_pupil_ent, id, p, err);
    return rc ? rc : fcs_pupil_reach(txn, id, err);
}

/* ---- phase models -------------------------------------------------------------- */

int fc_model_get(struct fc_txn *txn, const char *id, struct fc_phase_model *m,
                 struct fc_err *err)
{
    struct fcs_key k;
    int rc = FC_ENOTFOUND;
    if (id[0] && strlen(id) < FC_MODEL_ID_MAX) {
        fcs_key(&k, "S", id);
        rc = fcs_get_rec(txn, FCS_DB_MODELS, &k, &fcs_model_layout, m, err);
    }
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_ENOTFOUND, _("there is no phase model called %s"), id);
    if (rc == FC_OK)
        snprintf(m->id, sizeof m->id, "%s", id);
    return rc;
}

/* A model may lose phases only if no case stands in one of them. */
static int check_dropped_phases(struct fc_txn *t, const struct fc_phase_model *old,
                                const struct fc_phase_model *m, struct fc_err *err)
{
    for (int p = m->nphases; p < old->nphases; p++) {
        struct fcs_key prefix;
        fc_id *cases;
        size_t n;
        fcs_key(&prefix, "FB", m->id, (unsigned)p);
        int rc = fcs_collect_ids(t, FCS_DB_CASE_PHASE, &prefix, FC_MODEL_ID_MAX + 1, &cases,
                                 &n, err);
        if (rc)
            return rc;
        fc_id first = n ? cases[0] : 0;
        free(cases);
        if (n)
            return fcs_fail(err, FC_EINVAL,
                            _("phase model %s: case %u is in the phase \"%s\", which the "
                              "changed model no longer has"), m->id, first,
                            old->phases[p].name);
    }
    return FC_OK;
}

int fc_model_put(struct fc_txn *txn, const struct fc_phase_model *m, struct fc_err *err)
{
    struct fc_phase_model old;
    struct fcs_key k;
    char detail[FC_TEXT_MAX] = "", fields[FC_TEXT_MAX / 2] = "";
    int rc = fcs_need_write(txn, err);
    if (rc == FC_OK)
        rc = fcs_need_admin(txn, _("phase models"), err);
    if (rc)
        return rc;
    if (!m->id[0] || strnlen(m->id, sizeof m->id) >= sizeof m->id)
        return fcs_fail(err, FC_EINVAL, _("a phase model needs a short id (at most %d bytes)"),
                        FC_MODEL_ID_MAX - 1);
    if ((rc = fc_phase_model_validate(m, err)) != FC_OK)
        return rc;
    rc = fc_model_get(txn, m->id, &old, NULL);
    bool is_new = rc == FC_ENOTFOUND;
    if (rc != FC_OK && !is_new)
        return fc_model_get(txn, m->id, &old, err);
    if (!is_new && (rc = check_dropped_phases(txn, &old, m, err)) != FC_OK)
        return rc;
    fcs_key(&k, "S", m->id);
    if ((rc = fcs_put_rec(txn, FCS_DB_MODELS, &k, &fcs_model_layout, m, err)) != FC_OK)
        return rc;
    if (!is_new)
        fcs_diff(&fcs_model_layout, &old, m, fields, sizeof fields);
    snprintf(detail, sizeof detail, "%s%s%s", m->id, fields[0] ? " changed: " : "", fields);
    return fc_audit_add(txn, is_new ? "model.add" : "model.update", "model", 0, detail, err);
}

/* ---- settings: one key per setting name, an int32 value ------------------- */

int fc_settings_load(struct fc_txn *txn, struct fc_settings *s, struct fc_err *err)
{
    fc_settings_default(s);
    for (size_t i = 0; i < fc_settings_count(); i++) {
        const char *name = fc_settings_name(i);
        struct fcs_key k;
        MDB_val val;
        fcs_key(&k, "S", name);
        int rc = fcs_get(txn, FCS_DB_SETTINGS, &k, &val, err);
        if (rc == FC_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        if (val.mv_size != 4) {
            MDB_val key = fcs_kval(&k);
            return fcs_corrupt(err, "settings", &key);
        }
        uint32_t u = fcs_get_u32(val.mv_data);
        int v = u <= INT32_MAX ? (int)u : (int)((int64_t)u - 4294967296LL);
        if ((rc = fc_settings_set(s, name, v, err)) != FC_OK)
            return rc;
    }
    return FC_OK;
}

int fc_settings_store(struct fc_txn *txn, const struct fc_settings *s, struct fc_err *err)
{
    struct fc_settings old;
    char changed[FC_TEXT_MAX] = "";
    int rc = fcs_need_admin(txn, _("settings"), err);
    if (rc == FC_OK)
        rc = fc_settings_load(txn, &old, err);
    for (size_t i = 0; rc == FC_OK && i < fc_settings_count(); i++) {
        const char *name = fc_settings_name(i);
        struct fcs_key k;
        uint8_t b[4];
        int v = 0, was = 0;
        struct fc_settings check = old;
        fc_settings_get(s, name, &v);
        fc_settings_get(&old, name, &was);
        if ((rc = fc_settings_set(&check, name, v, err)) != FC_OK)
            break;
        fcs_key(&k, "S", name);
        fcs_put_u32(b, (uint32_t)v);
        rc = fcs_put_raw(txn, FCS_DB_SETTINGS, &k, b, 4, 0, err);
        if (v != was) {
            size_t used = strlen(changed);
            snprintf(changed + used, sizeof changed - used, "%s%s", used ? ", " : "", name);
        }
    }
    if (rc)
        return rc;
    return fc_audit_add(txn, "settings.update", "settings", 0,
                        changed[0] ? changed : "defaults", err);
}

/* ---- absence and holidays --------------------------------------------------- */

static void audit_day(char *out, size_t cap, fc_date date, const char *what)
{
    char d[11];
    fc_date_format(date, d);
    snprintf(out, cap, "%s%s%s", d, what ? " " : "", what ? what : "");
}

int fc_absence_put(struct fc_txn *txn, const struct fc_absence *a, struct fc_err *err)
{
    struct fc_pupil p;
    struct fcs_key k;
    char day[11], detail[64];
    if (a->kind >= FC_ABS_KIND_COUNT)
        return fcs_fail(err, FC_EINVAL, _("unknown kind of absence %u"), a->kind);
    if (a->date == FC_DATE_NONE)
        return fcs_fail(err, FC_EINVAL, _("an absence day needs a date"));
    int rc = fcs_need_write(txn, err);
    if (rc == FC_OK)
        rc = must_exist(txn, &fcs_pupil_ent, a->pupil_id, &p, _("absence"), err);
    if (rc == FC_OK)
        rc = fcs_pupil_reach(txn, a->pupil_id, err);
    if (rc)
        return rc;
    fcs_key(&k, "ID", a->pupil_id, a->date);
    rc = fcs_put_raw(txn, FCS_DB_ABSENCE, &k, &a->kind, 1, MDB_NOOVERWRITE, err);
    if (rc == FC_EEXIST) {
        fc_date_format(a->date, day);
        return fcs_fail(err, FC_EEXIST, _("%s is already recorded as absent on %s"), p.name,
                        day);
    }
    if (rc)
        return rc;
    /* The date only: the kind (sick...) is health data, and the log
     * outlives an erased pupil. */
    audit_day(detail, sizeof detail, a->date, NULL);
    return fc_audit_add(txn, "absence.add", "pupil", a->pupil_id, detail, err);
}

int fc_absence_delete(struct fc_txn *txn, fc_id pupil, fc_date date, struct fc_err *err)
{
    struct fcs_key k;
    char day[11];
    fcs_key(&k, "ID", pupil, date);
    int rc = fcs_pupil_reach(txn, pupil, err);
    if (rc)
        return rc;
    rc = fcs_del(txn, FCS_DB_ABSENCE, &k, err);
    if (rc == FC_ENOTFOUND) {
        fc_date_format(date, day);
        return fcs_fail(err, FC_ENOTFOUND, _("pupil %u has no absence recorded on %s"), pupil,
                        day);
    }
    if (rc)
        return rc;
    audit_day(day, sizeof day, date, NULL);
    return fc_audit_add(txn, "absence.delete", "pupil", pupil, day, err);
}

int fc_holiday_put(struct fc_txn *txn, const struct fc_holiday *h, struct fc_err *err)
{
    struct fcs_key k;
    struct fc_holiday old;
    char detail[FC_NAME_MAX + 16];
    if (h->date == FC_DATE_NONE)
        return fcs_fail(err, FC_EINVAL, _("a holiday needs a date"));
    int rc = fcs_need_write(txn, err);
    if (rc == FC_OK)
        rc = fcs_need_lead(txn, _("the school calendar"), err);
    if (rc)
        return rc;
    fcs_key(&k, "D", h->date);
    rc = fcs_get_rec(txn, FCS_DB_HOLIDAYS, &k, &fcs_holiday_layout, &old, err);
    if (rc != FC_OK && rc != FC_ENOTFOUND)
        return rc;
    bool is_new = rc == FC_ENOTFOUND;
    if ((rc = fcs_put_rec(txn, FCS_DB_HOLIDAYS, &k, &fcs_holiday_layout, h, err)) != FC_OK)
        return rc;
    audit_day(detail, sizeof detail, h->date, h->description);
    return fc_audit_add(txn, is_new ? "holiday.add" : "holiday.update", "holiday", 0, detail,
                        err);
}

int fc_holiday_delete(struct fc_txn *txn, fc_date date, struct fc_err *err)
{
    struct fcs_key k;
    char day[11];
    fcs_key(&k, "D", date);
    fc_date_format(date, day);
    int rc = fcs_need_lead(txn, _("the school calendar"), err);
    if (rc)
        return rc;
    rc = fcs_del(txn, FCS_DB_HOLIDAYS, &k, err);
    if (rc == FC_ENOTFOUND)
        return fcs_fail(err, FC_ENOTFOUND, _("%s is not a holiday"), day);
    return rc ? rc : fc_audit_add(txn, "holiday.delete", "holiday", 0, day, err);
}
