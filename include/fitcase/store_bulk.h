/* The store's bulk write path, for imports of huge files: absence days,
 * meetings and ratings written with a cursor each, existence and access
 * checked once per run of rows for one pupil or case, ids taken from
 * counters read once per transaction, and one audit entry per run that
 * lists what was added. An import that spans several write transactions
 * keeps an undo journal in the store, so that one that dies half way is
 * taken out again (fc_bulk_recover). See docs/csv.md, "All or nothing". */
#ifndef FITCASE_STORE_BULK_H
#define FITCASE_STORE_BULK_H

#include "fitcase/store.h"

struct fc_bulk;

/* A bulk writer for one import. what names it in the audit log and the
 * journal ("absence FILE"). journal: the import will span several write
 * transactions; the first writes a journal, each commits its part of it
 * with its rows, and the last drops it. Only records the writer adds
 * (absence days, meetings, ratings) can be undone. */
int fc_bulk_new(struct fc_store *st, const char *what, bool journal, struct fc_bulk **out,
                struct fc_err *err);
void fc_bulk_free(struct fc_bulk *b);

/* The writer's part of one write transaction: begin first thing in the
 * fc_store_write callback (a run again after the map grew starts afresh),
 * end last. end writes the audit entries of the runs, the id counters and,
 * with a journal, this transaction's undo record; last: the import ends in
 * this transaction, so its journal goes. Call committed after
 * fc_store_write returned FC_OK. */
int fc_bulk_begin(struct fc_bulk *b, struct fc_txn *txn, struct fc_err *err);
int fc_bulk_end(struct fc_bulk *b, bool last, struct fc_err *err);
void fc_bulk_committed(struct fc_bulk *b);

/* Adds an absence day. FC_EEXIST (err untouched, nothing changed) when the
 * pupil has that day already; FC_EINVAL when the pupil does not exist. */
int fc_bulk_absence(struct fc_bulk *b, const struct fc_absence *a, struct fc_err *err);
/* Adds a new meeting (m->id 0): id and version are written into m. */
int fc_bulk_meeting(struct fc_bulk *b, struct fc_meeting *m, struct fc_err *err);
/* Adds a new rating (r->id 0) to an existing meeting of its case, as
 * fc_rating_put does: normalised, one per rater (and name) and scale in a
 * meeting (FC_EEXIST), the date set to the meeting's. */
int fc_bulk_rating(struct fc_bulk *b, struct fc_rating *r, struct fc_err *err);

/* Takes out what the committed transactions of this writer's journaled
 * import added (after a failure; outside any transaction). Records that
 * someone changed since, and meetings that got other ratings, are kept. */
int fc_bulk_undo(struct fc_bulk *b, struct fc_err *err);

/* Undoes every journaled import whose process is gone (killed, crashed,
 * the machine restarted): fc_store_open runs it, and so does every import.
 * *undone (may be NULL) gets how many. Outside any transaction. */
int fc_bulk_recover(struct fc_store *st, unsigned *undone, struct fc_err *err);

/* How many journaled imports are in the store, alive or not (tests). */
int fc_bulk_pending(struct fc_store *st, unsigned *n, struct fc_err *err);

#endif
