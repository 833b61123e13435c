/* The demo municipality: schools, staff, pupils with Danish names, cases in
 * every phase with meetings, parallel ORS/SRS ratings and absence. Built
 * from a fixed seed so every demo store is the same for the same "today". */
#ifndef FITCASE_DEMO_H
#define FITCASE_DEMO_H

#include "fitcase/store.h"

struct fc_demo_opts {
    fc_date today;          /* cases and meetings lie before this date */
    const char *login;      /* this login becomes a lead in the first team */
    unsigned seed;          /* 0 = the default seed */
    int pupils;             /* 0 = default (300) */
    int cases;              /* 0 = default (120) */
};

/* Fills an empty store in one write transaction. */
int fc_demo_fill(struct fc_store *st, const struct fc_demo_opts *opts,
                 struct fc_err *err);

#endif
