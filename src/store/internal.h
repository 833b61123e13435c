/* The store's private face: the environment and transaction structs, the
 * database table, key building, the value codec and the shared helpers
 * the record, index, verify and audit files build on. */
#ifndef FITCASE_STORE_INTERNAL_H
#define FITCASE_STORE_INTERNAL_H

#include <lmdb.h>
#include <stdarg.h>

#include "fitcase/err.h"
#include "fitcase/store.h"

/* ---- databases ------------------------------------------------------- */

#define FCS_DB_LIST(X) \
    X(META, "meta") X(SETTINGS, "settings") X(TEAMS, "teams") \
    X(STAFF, "staff") X(STAFF_LOGIN, "staff_login") X(SCHOOLS, "schools") \
    X(SCHOOL_NAME, "school_name") X(PUPILS, "pupils") \
    X(PUPIL_NAME, "pupil_name") X(CASES, "cases") X(CASE_PUPIL, "case_pupil") \
    X(CASE_COORD, "case_coord") X(CASE_SCHOOL, "case_school") \
    X(CASE_PHASE, "case_phase") X(EVENTS, "events") X(MODELS, "models") \
    X(MEETINGS, "meetings") X(MEETING_CASE, "meeting_case") \
    X(RATINGS, "ratings") X(RATING_CASE, "rating_case") \
    X(RATING_MEETING, "rating_meeting") X(ABSENCE, "absence") \
    X(HOLIDAYS, "holidays") X(AUDIT, "audit") \
    X(CASE_TEAM, "case_team") X(CASE_SECOND, "case_second") X(SERIES, "series")

#define FCS_DB_ENUM(id, name) FCS_DB_##id,
enum fcs_db { FCS_DB_LIST(FCS_DB_ENUM) FCS_DB_COUNT };
#undef FCS_DB_ENUM

extern const char *const fcs_db_names[FCS_DB_COUNT];

/* Who acts on the store (fc_store_set_actor); !set = the system. */
struct fcs_actor {
    bool set;
    bool bulk;              /* an admin's import: no case checks */
    struct fc_staff s;
};

struct fc_store {
    MDB_env *env;
    struct fcs_actor actor;
    MDB_dbi dbi[FCS_DB_COUNT];
    bool read_only;
    bool in_write;          /* a write transaction of ours is running */
    int readers;            /* live read transactions of ours */
    MDB_txn *pool;          /* a reset read transaction kept for renewal */
    size_t map_max;         /* growth stops here (FC_EFULL); FITCASE_MAP_MAX */
    char path[4096];
};

struct fc_txn {
    struct fc_store *st;
    MDB_txn *txn;
    bool write;
    bool map_full;          /* some put hit MDB_MAP_FULL: grow and rerun */
    int64_t now;
    char who[FC_LOGIN_MAX];
};

static inline MDB_dbi fcs_dbi(const struct fc_txn *t, enum fcs_db db)
{
    return t->st->dbi[db];
}

/* ---- errors ------------------------------------------------------------ */

/* Fills err (may be NULL) and returns code: the core's fc_fail, under the
 * store's prefix. */
#define fcs_fail fc_fail
/* Translates an LMDB or errno result into an fc error; notes MAP_FULL in
 * the transaction so fc_store_write grows the map and runs fn again. */
int fcs_mdb_fail(struct fc_txn *t, int rc, const char *what, struct fc_err *err);
/* A record that does not decode. */
int fcs_corrupt(struct fc_err *err, const char *db, const MDB_val *key);
int fcs_need_write(const struct fc_txn *t, struct fc_err *err);

/* ---- keys ---------------------------------------------------------------
 * Keys are big-endian fixed-width fields concatenated, built from a format
 * string: 'B' u8, 'I' u32, 'D' fc_date (sign bit flipped so dates sort),
 * 'Q' u64, 'F' model id as FC_MODEL_ID_MAX bytes zero-padded, 'S' a string
 * with its bytes only, 'Z' a string followed by one zero byte. */

enum { FCS_KEY_MAX = 511 };

struct fcs_key {
    size_t len;
    uint8_t b[FCS_KEY_MAX];
};

void fcs_key(struct fcs_key *k, const char *fmt, ...);
static inline MDB_val fcs_kval(const struct fcs_key *k)
{
    return (MDB_val){ .mv_size = k->len, .mv_data = (void *)k->b };
}
uint32_t fcs_get_u32(const void *p);
uint64_t fcs_get_u64(const void *p);
fc_date fcs_get_date(const void *p);
void fcs_put_u32(void *p, uint32_t v);
void fcs_put_u64(void *p, uint64_t v);
/* The key holds at least prefix and starts with it. */
bool fcs_has_prefix(const MDB_val *key, const struct fcs_key *prefix);
/* Folds a name for the name indexes; false when the folded name is empty. */
bool fcs_fold(const char *name, char *out, size_t cap);
enum { FCS_FOLD_MAX = FC_NAME_MAX * 3 };

/* ---- values: a table per record type -----------------------------------
 * A value is a format byte then the fields in table order: integers
 * big-endian at their width, strings as u16 length + bytes, lists as u8
 * count + items. Decoding checks every length against the struct's
 * buffers, so a bad value is refused, never copied past a buffer. */

enum fcs_kind { FK_U8, FK_I8, FK_BOOL, FK_I16, FK_I16ARR, FK_U32, FK_I32, FK_I64,
                FK_STR, FK_STRLIST, FK_SUBLIST };

struct fcs_layout;

struct fcs_field {
    const char *name;
    enum fcs_kind kind;
    size_t off;              /* of the field in the struct */
    size_t size;             /* FK_STR buffer; FK_STRLIST item; FK_I16ARR count */
    size_t count_off;        /* lists: the uint8_t count */
    size_t max;              /* lists: capacity */
    const struct fcs_layout *sub;
};

struct fcs_layout {
    uint8_t format;
    size_t size;             /* of the struct */
    size_t nfields;
    const struct fcs_field *fields;
};

size_t fcs_encoded_size(const struct fcs_layout *l, const void *rec);
void fcs_encode(const struct fcs_layout *l, const void *rec, uint8_t *out);
/* Zeroes rec and fills it; false if the value is malformed. */
bool fcs_decode(const struct fcs_layout *l, const void *data, size_t len, void *rec);
/* Appends the names of fields that differ (but "version") to out,
 * comma-separated; returns how many differ. */
/* The name of a list whose count exceeds its capacity, or NULL. */
const char *fcs_bad_list(const struct fcs_layout *l, const void *rec);
int fcs_diff(const struct fcs_layout *l, const void *a, const void *b, char *out,
             size_t cap);

extern const struct fcs_layout fcs_team_layout, fcs_staff_layout, fcs_school_layout,
    fcs_pupil_layout, fcs_case_layout, fcs_event_layout, fcs_model_layout,
    fcs_meeting_layout, fcs_rating_layout, fcs_holiday_layout, fcs_audit_layout;

/* ---- low-level access ----------------------------------------------------
 * All return FC_OK, FC_ENOTFOUND (get/del only, err untouched), or an error
 * filled in err. */

int fcs_get(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k, MDB_val *val,
            struct fc_err *err);
int fcs_put_raw(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
                const void *data, size_t len, unsigned flags, struct fc_err *err);
int fcs_del(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
            struct fc_err *err);
/* Encodes rec with layout l straight into the database page (MDB_RESERVE). */
int fcs_put_rec(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
                const struct fcs_layout *l, const void *rec, struct fc_err *err);
/* Gets and decodes; FC_ECORRUPT if it does not decode. */
int fcs_get_rec(struct fc_txn *t, enum fcs_db db, const struct fcs_key *k,
                const struct fcs_layout *l, void *rec, struct fc_err *err);
/* Index entries: key only, empty value. Moving deletes the old key (if
 * old->len) and adds the new one (if new->len), unless both are equal. */
int fcs_idx_move(struct fc_txn *t, enum fcs_db db, const struct fcs_key *old,
                 const struct fcs_key *new_key, struct fc_err *err);

/* The ids stored as u32 at offset id_off of every key with prefix. The
 * caller frees *ids. Lets us delete what we list without cursor tricks. */
int fcs_collect_ids(struct fc_txn *t, enum fcs_db db, const struct fcs_key *prefix,
                    size_t id_off, fc_id **ids, size_t *n, struct fc_err *err);

/* ---- meta ----------------------------------------------------------------- */

int fcs_meta_get_u32(struct fc_txn *t, const char *name, uint32_t *v, struct fc_err *err);
int fcs_meta_put_u32(struct fc_txn *t, const char *name, uint32_t v, struct fc_err *err);
/* Next id from the counter "last_id.<entity>". */
int fcs_next_id(struct fc_txn *t, const char *entity, fc_id *id, struct fc_err *err);

#define FCS_META_SCHEMA "schema_version"
#define FCS_META_GENERATION "generation"

/* ---- records ---------------------------------------------------------------- */

/* A versioned record type with a u32 id key. */
struct fcs_entity {
    const char *name;          /* "case": audit entity and id counter */
    const char *noun;          /* N_("case") for messages */
    enum fcs_db db;
    const struct fcs_layout *layout;
    size_t id_off, version_off;
};

extern const struct fcs_entity fcs_team_ent, fcs_staff_ent, fcs_school_ent,
    fcs_pupil_ent, fcs_case_ent, fcs_meeting_ent, fcs_rating_ent;

int fcs_rec_get(struct fc_txn *t, const struct fcs_entity *e, fc_id id, void *rec,
                struct fc_err *err);
/* First half of a put: for an update loads the stored record into old and
 * checks the version (FC_ECONFLICT). *is_new tells which it is. */
int fcs_rec_check(struct fc_txn *t, const struct fcs_entity *e, const void *rec,
                  void *old, bool *is_new, struct fc_err *err);
/* Second half: assigns the id of a new record, bumps the version and
 * writes. The struct's id and version change only here. */
int fcs_rec_write(struct fc_txn *t, const struct fcs_entity *e, void *rec,
                  bool is_new, struct fc_err *err);
/* Writes the audit entry of a put: "<entity>.add" or "<entity>.update" with
 * the names of changed fields. */
int fcs_rec_audit(struct fc_txn *t, const struct fcs_entity *e, const void *rec,
                  const void *old, bool is_new, struct fc_err *err);

/* Keys of the indexes, shared by the writers, the iterators and verify.
 * An empty key (len 0) means "no entry" (coordinator 0, school 0). */
void fcs_key_pupil_name(struct fcs_key *k, const char *name, fc_id id);
void fcs_key_case_phase(struct fcs_key *k, const char *model, int phase, fc_id id);
/* The school of a pupil (0 if none or missing), for case_school. */
int fcs_pupil_school(struct fc_txn *t, fc_id pupil, fc_id *school, struct fc_err *err);

/* Deletes every key of db that starts with prefix (counted in *count when
 * not NULL), seeking afresh after each delete. */
int fcs_delete_prefix(struct fc_txn *t, enum fcs_db db, const struct fcs_key *prefix,
                      size_t *count, struct fc_err *err);
int fcs_case_delete(struct fc_txn *t, fc_id id, size_t *nmeetings, size_t *nratings,
                    struct fc_err *err);

/* ---- lists and series (schema 4; cases.c, iterate.c) ----------------------
 * case_team (team, case) and case_second (secondary, case) let a list read
 * only the cases its actor may see; a case_team entry carries the case's
 * head and its pupil's list fields (fcs_team_entry_encode), so a team's
 * list is one range read, with no pupil looked up; series
 * holds every outcome series (one rater's ratings on ORS or CORS in one case)
 * under (team, case, scale, rater, rater name Z), value: format byte,
 * pupil u32, n u32 (ratings in the series), intake date i32, latest date
 * i32 and rating id u32, count u8, then the totals (i16) of the first
 * min(n, 32) ratings in (date, id) order: the expected-change cohort in one
 * range read. The rating writers keep it, in the same transaction. */
enum { FCS_SERIES_POINTS = 32, FCS_SERIES_FORMAT = 2 };

struct fcs_series {
    fc_id pupil;
    uint32_t n;
    fc_date intake;          /* date of the first rating */
    fc_date last_date;       /* the latest rating (of all n) */
    fc_id last_id;
    uint8_t npoints;
    int16_t total[FCS_SERIES_POINTS];
};

void fcs_key_series(struct fcs_key *k, fc_id team, fc_id case_id, const struct fc_rating *r);
bool fcs_series_decode(const void *data, size_t len, struct fcs_series *s);
/* A new rating, already written with its index entries: adds its point to
 * its series (outcome scales only); one later than the series' latest is
 * appended, an earlier one makes the series again from the case's ratings.
 * Team and pupil are the case's; 0 and 0 read them from the case. For a
 * writer that adds ratings without fc_rating_put (a bulk import). */
int fcs_series_add(struct fc_txn *t, const struct fc_rating *r, fc_id team, fc_id pupil,
                   struct fc_err *err);
/* A point of a series: a rating's date, id and total. */
struct fcs_point {
    fc_date date;
    fc_id id;
    int16_t total;
};
/* fcs_series_add of n new ratings of one series (like's case, scale, rater
 * and name), already written, in the order they were added: one read and
 * one write of the series, and the series ends as adding them one by one
 * would leave it. Team and pupil are the case's. */
int fcs_series_add_many(struct fc_txn *t, const struct fc_rating *like,
                        const struct fcs_point *p, size_t n, fc_id team, fc_id pupil,
                        struct fc_err *err);
/* Makes the series of r's case, scale, rater and name again from the
 * case's ratings (after a change or a delete). */
int fcs_series_rebuild(struct fc_txn *t, const struct fc_rating *r, struct fc_err *err);
/* Fills case_team, case_second and series from the cases and ratings (the
 * migration to schema 2). */
int fcs_lists_build(struct fc_txn *t, struct fc_err *err);
/* Makes every case_team entry again from the cases and pupils (the
 * migration to schema 4). */
int fcs_team_entries_build(struct fc_txn *t, struct fc_err *err);
/* verify: each case_team entry carries its case's head, each series
 * matches the ratings, each outcome rating has its series. */
typedef void (*fcs_problem_fn)(void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int fcs_lists_verify(struct fc_txn *t, fcs_problem_fn problem, void *ctx,
                     struct fc_err *err);
/* The fields of a case before its texts (id .. exclusions): what lists and
 * access checks need, without zeroing and filling 13 kB of texts. The
 * texts and lists of *c are left as they were. */
bool fcs_decode_case_head(const void *data, size_t len, struct fc_case *c);
/* The head of a case as it begins the case's record: a case_team entry's
 * value, read back with fcs_decode_case_head. Its length, 0 if over cap. */
enum { FCS_CASE_HEAD_MAX = 64 };
size_t fcs_encode_case_head(const struct fc_case *c, uint8_t *out, size_t cap);
/* A pupil without the guardians (nguardians 0). */
bool fcs_decode_pupil_head(const void *data, size_t len, struct fc_pupil *p);

/* What a case_team entry copies of the case's pupil: the fields a list
 * shows, sorts and searches on. have: false when the pupil record is
 * missing (verify reports that case). */
struct fcs_pupil_copy {
    bool have;
    fc_date birth;
    int8_t grade;
    fc_id school;
    char name[FC_NAME_MAX];
};

/* The pupil's copy as the store has it now; have false if missing. */
int fcs_pupil_copy_get(struct fc_txn *t, fc_id pupil, struct fcs_pupil_copy *p,
                       struct fc_err *err);
void fcs_pupil_copy_of(const struct fc_pupil *src, struct fcs_pupil_copy *p);
/* A case_team entry's value: format byte FCS_TEAM_FORMAT, have u8, birth
 * i32, grade i8, school u32, name length u8 and its bytes, then the case's
 * head as it begins the case's record (fcs_encode_case_head). Its length,
 * 0 if over cap. */
enum { FCS_TEAM_FORMAT = 4, FCS_TEAM_PUPIL_FIXED = 12,
       FCS_TEAM_ENTRY_MAX = FCS_TEAM_PUPIL_FIXED + FC_NAME_MAX + FCS_CASE_HEAD_MAX };
size_t fcs_team_entry_encode(const struct fc_case *c, const struct fcs_pupil_copy *p,
                             uint8_t *out, size_t cap);
/* Reads an entry back: the head into *c (as fcs_decode_case_head), the
 * pupil's fields into *p; false if it does not decode. */
bool fcs_team_entry_decode(const void *data, size_t len, struct fc_case *c,
                           struct fcs_pupil_copy *p);
/* A pupil changed (old: as stored before): when a field the entries copy
 * changed, the case_team entry of each of the pupil's cases is written
 * again, in the same transaction. For every writer of pupils. */
int fcs_team_entries_pupil(struct fc_txn *t, const struct fc_pupil *old,
                           const struct fc_pupil *p, struct fc_err *err);
int fcs_case_head_get(struct fc_txn *t, fc_id id, struct fc_case *c, struct fc_err *err);

/* Room for any record, for code that walks several kinds. */
union fcs_any {
    struct fc_team team;
    struct fc_staff staff;
    struct fc_school school;
    struct fc_pupil pupil;
    struct fc_case kase;
    struct fc_phase_event event;
    struct fc_meeting meeting;
    struct fc_rating rating;
    struct fc_absence absence;
    struct fc_holiday holiday;
    struct fc_phase_model model;
    struct fc_audit audit;
};

/* ---- transactions --------------------------------------------------------- */

int fcs_read_begin(struct fc_store *st, struct fc_txn *t, struct fc_err *err);
void fcs_read_end(struct fc_txn *t);
/* fc_store_write without bumping the generation: for writes that change
 * nothing a screen shows (the audit of a case opening). */
int fcs_store_write_quiet(struct fc_store *st, const char *who, fc_write_fn fn, void *ctx,
                          struct fc_err *err);

/* ---- access (access.c) ---------------------------------------------------
 * The checks of docs/store.md "Access". All pass while the system acts. */

bool fcs_checks_on(const struct fc_txn *t);
bool fcs_sees_case(const struct fc_txn *t, const struct fc_case *c);
/* FC_OK when the case is in reach or does not exist (the caller reports
 * a missing case its own way); FC_EDENIED with a message otherwise. */
int fcs_case_reach(struct fc_txn *t, fc_id case_id, struct fc_err *err);
bool fcs_sees_pupil(struct fc_txn *t, fc_id pupil);
int fcs_pupil_reach(struct fc_txn *t, fc_id pupil, struct fc_err *err);
/* The actor must be an admin (or the system) to change `what`. */
int fcs_need_admin(const struct fc_txn *t, const char *what, struct fc_err *err);
/* Admin or lead. */
int fcs_need_lead(const struct fc_txn *t, const char *what, struct fc_err *err);

/* ---- schema ----------------------------------------------------------------- */

int fcs_migrate(struct fc_txn *t, uint32_t from, struct fc_err *err);
/* How many other processes hold a reader slot of env: every fitcase
 * session does from its first read until it quits (a restore over a
 * store, and an upgrade, wait for none); -1 when it cannot be told. */
int fcs_env_sessions(MDB_env *env);

#endif
