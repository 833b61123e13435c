/* The LMDB store: one environment shared by every logged-in user's process.
 * Records, secondary indexes kept in the same write transaction, audit log,
 * schema version, map growth, and an integrity check. */
#ifndef FITCASE_STORE_H
#define FITCASE_STORE_H

#include "fitcase/settings.h"
#include "fitcase/types.h"

#define FC_SCHEMA_VERSION 4

struct fc_store;
struct fc_txn;

struct fc_store_opts {
    size_t initial_map;   /* bytes; 0 = default (64 MiB). Tests use tiny maps. */
    bool create;          /* create the directory and store if missing */
    bool read_only;
    bool keep_schema;     /* refuse (FC_ESTORE) rather than upgrade an older
                             schema: only the operator upgrades */
};

/* Opens (and with opts->create makes) the store in directory dir: opens every
 * named database once, clears stale reader slots, checks or migrates the
 * schema. Files are created group-readable/writable (0660). An older schema
 * is upgraded only while no other process has the store open (FC_ESTORE
 * naming how many do); a newer one is refused, at open and, should a newer
 * fitcase upgrade the store meanwhile, at every later write. */
int fc_store_open(const char *dir, const struct fc_store_opts *opts,
                  struct fc_store **out, struct fc_err *err);
/* The schema version of the store in dir, read without opening it as a
 * store (an older one lacks databases) and without changing it. */
int fc_store_schema_at(const char *dir, uint32_t *version, struct fc_err *err);
void fc_store_close(struct fc_store *st);
const char *fc_store_path(const struct fc_store *st);
size_t fc_store_map_size(const struct fc_store *st);

/* ---- who is acting ------------------------------------------------------
 * A store starts with the system acting (init, the demo, tests, verify):
 * no checks. fc_store_set_actor makes a staff member act; from then on
 * every read and write of case content is checked (docs/store.md, "Access"):
 *   caseworker  cases of their team, and cases they coordinate or are the
 *               secondary contact of; pupils of those cases, and pupils
 *               without any case
 *   lead        the same, plus erasing pupils of their team
 *   admin       teams, staff, phase models, settings, holidays and any
 *               erasure; case content only as a caseworker of their team
 * Case lists and walks skip what the actor may not see; a get or a
 * change of something out of reach gives FC_EDENIED. Unknown or
 * deactivated logins give FC_EDENIED. login NULL: the system again. */
int fc_store_set_actor(struct fc_store *st, const char *login, struct fc_err *err);
/* An import by an admin writes wherever its file says (it shows only
 * counts and line errors): turns the case checks off for this actor. */
void fc_store_set_bulk(struct fc_store *st, bool bulk);
/* The acting staff member, or NULL while the system acts. */
const struct fc_staff *fc_store_actor(const struct fc_store *st);
const struct fc_staff *fc_txn_actor(const struct fc_txn *txn);
/* Whether the actor may see this case (true for the system). */
bool fc_case_visible(struct fc_txn *txn, const struct fc_case *c);
/* Records that the actor opened a case (TUI case pane, report, chart):
 * "case.open" in the audit log, in its own short write transaction that
 * does not bump the generation (an opening changes nothing on screen).
 * FC_EDENIED, and nothing logged, when the case is out of reach. */
int fc_case_open_audit(struct fc_store *st, fc_id case_id, struct fc_err *err);
/* Moves an open case to another coordinator (a staff member of the case's
 * team, active); the old coordinator becomes nothing. Audited. */
int fc_case_reassign(struct fc_txn *txn, fc_id case_id, fc_id to_staff,
                     struct fc_err *err);
/* Hands every open case coordinated by `from` to `to` (admins and leads;
 * an admin need not see the cases). *n gets how many. */
int fc_cases_reassign_all(struct fc_txn *txn, fc_id from, fc_id to, size_t *n,
                          struct fc_err *err);
/* How many open cases `staff` coordinates, seen or not (for a warning). */
int fc_staff_open_cases(struct fc_txn *txn, fc_id staff, size_t *n, struct fc_err *err);
/* Whether the pupil may be erased today: every case closed, and the last
 * closed at least settings retention_days ago. FC_EDENIED otherwise, with
 * the date it becomes possible (or the open case) in the message and, when
 * known, in *from. Reads cases the actor may not see: it tells dates only. */
int fc_pupil_erasable(struct fc_txn *txn, fc_id pupil, fc_date today, fc_date *from,
                      struct fc_err *err);

/* ---- backup ----------------------------------------------------------------
 * A compact, consistent copy of the store into directory dir (created if
 * absent; must not hold a store) while others keep working; the copy is
 * then opened read-only and verified. *bytes gets the copy's size. */
int fc_store_backup(struct fc_store *st, const char *dir, size_t *bytes,
                    struct fc_err *err);
/* Copies the store in from_dir into dir. dir must be absent, empty, or
 * (force) hold a store nobody has open. The copy is verified before it
 * replaces anything; a store that does not verify is refused. A backup of
 * an older schema is upgraded in the copy, never in from_dir. */
int fc_store_restore(const char *from_dir, const char *dir, bool force,
                     struct fc_err *err);

/* ---- transactions ------------------------------------------------------ */

/* A short read transaction. Never hold one while waiting for a key. */
int fc_read_begin(struct fc_store *st, struct fc_txn **out, struct fc_err *err);
void fc_read_end(struct fc_txn *txn);

/* One action = one write transaction. fn runs inside it; if fn returns
 * FC_OK the transaction commits, else it aborts and fn's error stands.
 * When the map is full the transaction is aborted, the map grown and fn run
 * again from the start, so fn must not keep state between attempts other
 * than through ctx it resets itself (a put writes the new id and version
 * into its struct: put a copy made inside fn, or reset them at its start).
 * `who` is the login for the audit log.
 * Growing needs no read transaction of this process open: end them first.
 * A full disk or map limit gives FC_EFULL; earlier commits stay intact. */
typedef int (*fc_write_fn)(struct fc_txn *txn, void *ctx, struct fc_err *err);
int fc_store_write(struct fc_store *st, const char *who, fc_write_fn fn,
                   void *ctx, struct fc_err *err);

/* The login that runs the write transaction ("" in a read transaction). */
const char *fc_txn_who(const struct fc_txn *txn);
/* "Now" for records written in this transaction (Unix seconds); fixed per
 * transaction. Tests may pin it with FITCASE_NOW=seconds in the environment. */
int64_t fc_txn_now(const struct fc_txn *txn);

/* ---- meta and settings --------------------------------------------------- */

int fc_schema_version(struct fc_txn *txn, uint32_t *version, struct fc_err *err);
int fc_settings_load(struct fc_txn *txn, struct fc_settings *s, struct fc_err *err);
int fc_settings_store(struct fc_txn *txn, const struct fc_settings *s,
                      struct fc_err *err);

/* ---- records ------------------------------------------------------------
 * put: id 0 assigns the next id (written back into the struct) and inserts;
 * an id not in the store, with version 0, inserts under that id (CSV
 * imports keep their ids; later ids are assigned after it); an existing id
 * updates, but only if rec->version equals the stored version
 * (else FC_ECONFLICT: someone saved since it was read). On success version is
 * incremented in the struct. Every put and delete writes an audit entry.
 * get: FC_ENOTFOUND if absent. */

int fc_team_put(struct fc_txn *txn, struct fc_team *t, struct fc_err *err);
int fc_team_get(struct fc_txn *txn, fc_id id, struct fc_team *t, struct fc_err *err);

int fc_staff_put(struct fc_txn *txn, struct fc_staff *s, struct fc_err *err);
int fc_staff_get(struct fc_txn *txn, fc_id id, struct fc_staff *s, struct fc_err *err);
int fc_staff_by_login(struct fc_txn *txn, const char *login, struct fc_staff *s,
                      struct fc_err *err);

int fc_school_put(struct fc_txn *txn, struct fc_school *s, struct fc_err *err);
int fc_school_get(struct fc_txn *txn, fc_id id, struct fc_school *s, struct fc_err *err);
int fc_school_by_name(struct fc_txn *txn, const char *name, struct fc_school *s,
                      struct fc_err *err);

int fc_pupil_put(struct fc_txn *txn, struct fc_pupil *p, struct fc_err *err);
int fc_pupil_get(struct fc_txn *txn, fc_id id, struct fc_pupil *p, struct fc_err *err);
/* Removes the pupil and everything about them: cases, phase events,
 * meetings, ratings, absence; their index entries too. */
int fc_pupil_erase(struct fc_txn *txn, fc_id id, struct fc_err *err);

int fc_case_put(struct fc_txn *txn, struct fc_case *c, struct fc_err *err);
int fc_case_get(struct fc_txn *txn, fc_id id, struct fc_case *c, struct fc_err *err);
/* Moves the case to phase `to` (any phase of its model), appends a phase
 * event with who/when/note; checks the version like put. */
int fc_case_set_phase(struct fc_txn *txn, struct fc_case *c, int to,
                      const char *note, struct fc_err *err);

int fc_model_put(struct fc_txn *txn, const struct fc_phase_model *m, struct fc_err *err);
int fc_model_get(struct fc_txn *txn, const char *id, struct fc_phase_model *m,
                 struct fc_err *err);

int fc_meeting_put(struct fc_txn *txn, struct fc_meeting *m, struct fc_err *err);
int fc_meeting_get(struct fc_txn *txn, fc_id id, struct fc_meeting *m, struct fc_err *err);
int fc_meeting_delete(struct fc_txn *txn, fc_id id, struct fc_err *err);

/* Refuses (FC_EEXIST) a second rating by the same rater (and rater_name)
 * on the same scale in the same meeting; validates items. */
int fc_rating_put(struct fc_txn *txn, struct fc_rating *r, struct fc_err *err);
int fc_rating_get(struct fc_txn *txn, fc_id id, struct fc_rating *r, struct fc_err *err);
int fc_rating_delete(struct fc_txn *txn, fc_id id, struct fc_err *err);

/* Absence: keyed by (pupil, date); put of an existing day returns FC_EEXIST
 * and changes nothing. */
int fc_absence_put(struct fc_txn *txn, const struct fc_absence *a, struct fc_err *err);
int fc_absence_delete(struct fc_txn *txn, fc_id pupil, fc_date date, struct fc_err *err);

int fc_holiday_put(struct fc_txn *txn, const struct fc_holiday *h, struct fc_err *err);
int fc_holiday_delete(struct fc_txn *txn, fc_date date, struct fc_err *err);

/* Appends to the audit log (also done by every put/delete). */
int fc_audit_add(struct fc_txn *txn, const char *action, const char *entity,
                 fc_id entity_id, const char *detail, struct fc_err *err);

/* ---- iteration ----------------------------------------------------------
 * Callbacks get a pointer valid only during the call (a decoded copy, not
 * LMDB memory); return nonzero to stop (that value is returned). A record
 * that does not decode stops the walk with -FC_ECORRUPT, an LMDB failure
 * with -FC_ESTORE; index walks skip entries whose record is missing (verify
 * reports those). Do not change the store from inside a callback. */

typedef int (*fc_each_team_fn)(const struct fc_team *t, void *ctx);
typedef int (*fc_each_staff_fn)(const struct fc_staff *s, void *ctx);
typedef int (*fc_each_school_fn)(const struct fc_school *s, void *ctx);
typedef int (*fc_each_pupil_fn)(const struct fc_pupil *p, void *ctx);
typedef int (*fc_each_case_fn)(const struct fc_case *c, void *ctx);
typedef int (*fc_each_event_fn)(const struct fc_phase_event *e, void *ctx);
typedef int (*fc_each_meeting_fn)(const struct fc_meeting *m, void *ctx);
typedef int (*fc_each_rating_fn)(const struct fc_rating *r, void *ctx);
typedef int (*fc_each_absence_fn)(const struct fc_absence *a, void *ctx);
typedef int (*fc_each_holiday_fn)(const struct fc_holiday *h, void *ctx);
typedef int (*fc_each_model_fn)(const struct fc_phase_model *m, void *ctx);
typedef int (*fc_each_audit_fn)(const struct fc_audit *a, void *ctx);

int fc_teams_each(struct fc_txn *txn, fc_each_team_fn fn, void *ctx);
int fc_staff_each(struct fc_txn *txn, fc_each_staff_fn fn, void *ctx);
int fc_schools_each(struct fc_txn *txn, fc_each_school_fn fn, void *ctx);
int fc_pupils_each(struct fc_txn *txn, fc_each_pupil_fn fn, void *ctx);
int fc_models_each(struct fc_txn *txn, fc_each_model_fn fn, void *ctx);
/* All cases in id order. */
int fc_cases_each(struct fc_txn *txn, fc_each_case_fn fn, void *ctx);
/* Through the indexes. */
int fc_cases_of_pupil(struct fc_txn *txn, fc_id pupil, fc_each_case_fn fn, void *ctx);
int fc_cases_of_coordinator(struct fc_txn *txn, fc_id staff, fc_each_case_fn fn, void *ctx);
int fc_cases_of_school(struct fc_txn *txn, fc_id school, fc_each_case_fn fn, void *ctx);
int fc_cases_in_phase(struct fc_txn *txn, const char *model_id, int phase,
                      fc_each_case_fn fn, void *ctx);
/* Pupils whose folded name starts with the folded prefix (name index). */
int fc_pupils_by_name_prefix(struct fc_txn *txn, const char *prefix,
                             fc_each_pupil_fn fn, void *ctx);
int fc_phase_events_of_case(struct fc_txn *txn, fc_id case_id, fc_each_event_fn fn,
                            void *ctx);
/* Meetings of a case in date order; ratings of a case in (meeting date,
 * meeting, rating id) order; ratings of one meeting. */
int fc_meetings_of_case(struct fc_txn *txn, fc_id case_id, fc_each_meeting_fn fn,
                        void *ctx);
int fc_ratings_of_case(struct fc_txn *txn, fc_id case_id, fc_each_rating_fn fn,
                       void *ctx);
int fc_ratings_of_meeting(struct fc_txn *txn, fc_id meeting_id, fc_each_rating_fn fn,
                          void *ctx);
int fc_ratings_each(struct fc_txn *txn, fc_each_rating_fn fn, void *ctx);
/* Absence of a pupil from..to inclusive (FC_DATE_NONE = open end), by date. */
int fc_absence_of_pupil(struct fc_txn *txn, fc_id pupil, fc_date from, fc_date to,
                        fc_each_absence_fn fn, void *ctx);
int fc_absence_each(struct fc_txn *txn, fc_each_absence_fn fn, void *ctx);
int fc_holidays_each(struct fc_txn *txn, fc_each_holiday_fn fn, void *ctx);
/* Audit entries in order, from seq `from` on: none for a caseworker; for a
 * lead, those by their team or about records within their reach. */
int fc_audit_each(struct fc_txn *txn, uint64_t from, fc_each_audit_fn fn, void *ctx);

/* A counter bumped by every committed write: a cheap "did anything change"
 * poll for the TUI (one read transaction, one key). */
int fc_store_generation(struct fc_store *st, uint64_t *gen, struct fc_err *err);

/* Walks every database and index; reports each inconsistency through
 * report (may be NULL) and returns the number found (0 = consistent). */
typedef void (*fc_verify_report_fn)(const char *problem, void *ctx);
int fc_store_verify(struct fc_store *st, fc_verify_report_fn report, void *ctx,
                    struct fc_err *err);

#endif
