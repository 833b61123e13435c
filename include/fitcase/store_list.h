/* Reads for lists and the expected-change cohort at the scale of the
 * largest users: only the cases the actor may see, read through the
 * indexes that name them (case_team, case_coord, case_second), never by
 * walking every case of the country; each case with only the fields a
 * list shows; and the cohort's outcome series from the store's own series
 * table, kept by the rating writers. Access is the store's as everywhere
 * (docs/store.md, "Access"): what the actor may not see is never handed
 * out. */
#ifndef FITCASE_STORE_LIST_H
#define FITCASE_STORE_LIST_H

#include "fitcase/store.h"

/* A case as a list shows it: the case's fields before its texts, and its
 * pupil's name, birth date, grade and school. */
struct fc_case_head {
    fc_id id, pupil_id, coordinator, secondary, team_id;
    char model_id[FC_MODEL_ID_MAX];
    uint8_t phase, status;
    fc_date concern_date, closed_date;
    bool have_pupil;                /* false: the pupil record is missing */
    char pupil_name[FC_NAME_MAX];
    fc_date birth_date;
    int8_t grade;
    fc_id school_id;
};

typedef int (*fc_each_case_head_fn)(const struct fc_case_head *h, void *ctx);

/* The cases the actor may see, in id order: with a staff member acting,
 * the cases of their team (case_team), those they coordinate (case_coord)
 * and those they are the secondary contact of (case_second); with the
 * system acting, every case. The team's come from its case_team range,
 * whose entries carry the pupil's fields too (schema 4): no pupil is read
 * for them. Same conventions as the fc_*_each walks. */
int fc_case_heads_each(struct fc_txn *txn, fc_each_case_head_fn fn, void *ctx);

/* The ratings of a case latest first: the reverse of fc_ratings_of_case
 * (meeting date, meeting, rating id, descending). Return nonzero from fn to
 * stop as soon as you have what you need. */
int fc_ratings_of_case_desc(struct fc_txn *txn, fc_id case_id, fc_each_rating_fn fn,
                            void *ctx);

/* One outcome series (one rater's ORS or CORS ratings in one case) as the
 * cohort sees it: the first FC_SERIES_POINTS totals in date order. */
enum { FC_SERIES_POINTS = 32 };

struct fc_series {
    fc_id case_id, team_id, pupil_id;
    fc_date birth;                  /* the pupil's; FC_DATE_NONE if missing */
    uint8_t scale, rater;           /* enum fc_scale (ORS or CORS), fc_rater */
    char rater_name[FC_NAME_MAX];
    fc_date intake;                 /* the date of the first rating */
    unsigned n;                     /* ratings in the series */
    int npoints;                    /* totals kept: min(n, FC_SERIES_POINTS) */
    int16_t totals[FC_SERIES_POINTS];
};

typedef int (*fc_each_series_fn)(const struct fc_series *s, void *ctx);

/* The outcome series of every case the actor may see (the same cases as
 * fc_case_heads_each), grouped by case: one range of the series table
 * for the actor's team, one short range per other case in reach. births:
 * look each pupil's birth date up; false leaves birth FC_DATE_NONE for a
 * caller that knows them already (a list of the same cases). */
int fc_outcome_series_each(struct fc_txn *txn, bool births, fc_each_series_fn fn,
                           void *ctx);

#endif
