/* The ORS/SRS chart: a pure renderer that draws a case's scores, cut-offs,
 * change markers, expected curve and weekly absence into a caller-owned grid
 * of cells (no curses), used by the TUI chart tab, `fitcase chart` and reports. */
#ifndef FITCASE_CHART_H
#define FITCASE_CHART_H

#include <stdio.h>

#include "fitcase/cohort.h"
#include "fitcase/settings.h"
#include "fitcase/types.h"

/* ---- the grid ---------------------------------------------------------- */

/* What a cell shows, so a terminal can colour it; the character alone is
 * always enough to read the chart (monochrome, TERM=vt100). */
enum fc_cell_role {
    FC_CELL_BLANK, FC_CELL_TEXT, FC_CELL_AXIS, FC_CELL_CUTOFF, FC_CELL_EXPECTED,
    FC_CELL_LOWER, FC_CELL_SERIES, FC_CELL_MARKER, FC_CELL_ABSENCE,
};

struct fc_cell {
    uint32_t ch;                 /* a Unicode code point, one column wide */
    uint8_t role;                /* enum fc_cell_role */
    uint8_t series;              /* for SERIES/MARKER: the legend entry (0-based) */
};

/* cells holds width * height cells, row-major; the caller owns it. */
struct fc_grid {
    int width, height;
    struct fc_cell *cells;
};

enum { FC_CHART_MIN_WIDTH = 30, FC_CHART_MIN_HEIGHT = 10 };

/* Row `row` as UTF-8 without trailing blanks; returns the bytes written
 * (always NUL-terminated; cap of 4 * width + 1 is always enough). */
size_t fc_grid_row_utf8(const struct fc_grid *g, int row, char *buf, size_t cap);
/* Every row, each ending in a newline. */
void fc_grid_print(const struct fc_grid *g, FILE *f);

/* ---- the chart data ---------------------------------------------------- */

enum { FC_CHART_SLOTS = 64, FC_CHART_SERIES = 16, FC_CHART_ABSENCE = 400,
       FC_CHART_RATERS = 10 };

struct fc_chart_series {
    uint8_t scale;               /* enum fc_scale */
    uint8_t rater;               /* enum fc_rater */
    char rater_name[FC_NAME_MAX];
    int who;                     /* legend entry (one per rater and name) */
    int n;
    int slot[FC_CHART_SLOTS];    /* x position: index into the meetings */
    int total[FC_CHART_SLOTS];   /* tenths */
    int cutoff[FC_CHART_SLOTS];  /* the cut-off on that date, tenths */
    /* where change first became reliable (or clinically significant) against
     * the first score: point index, -1 if never */
    int reliable_at;
    enum { FC_MARK_NONE, FC_MARK_UP, FC_MARK_DOWN, FC_MARK_CLINICAL } mark;
    /* first vs last, as the outcomes export has it */
    int change;
    int reliable;                /* enum fc_change */
    bool clinically_significant;
};

struct fc_chart_who {
    uint8_t rater;
    char rater_name[FC_NAME_MAX];
};

struct fc_chart {
    char title[160];
    int nslots;                  /* meetings with ratings, in date order */
    fc_date slot_date[FC_CHART_SLOTS];
    int ors_cutoff[FC_CHART_SLOTS];  /* per meeting: the child's age band's cut-off */
    int srs_cutoff;
    int nwho;
    struct fc_chart_who who[FC_CHART_RATERS];
    int nseries;
    struct fc_chart_series series[FC_CHART_SERIES];
    /* the expected curve follows series `ref` (the child's first outcome
     * series, else the first outcome series); -1 for none */
    int ref;
    struct fc_expected expected; /* n = 0: no curve */
    char no_curve[160];          /* why there is no curve, for the legend */
    int nabsent;                 /* the pupil's absent school days, sorted */
    fc_date absent[FC_CHART_ABSENCE];
    /* absent school days in the 8 weeks before the first meeting: the
     * absence that opened the case is mostly there, off the x axis */
    int absent_before;
};

struct fc_chart_input {
    const struct fc_settings *settings;
    fc_id case_id;
    fc_date birth;
    const struct fc_rating *ratings;  /* of the case, any order */
    size_t nratings;
    const fc_date *absent;            /* absent school days, sorted ascending */
    size_t nabsent;
    const struct fc_cohort *cohort;   /* NULL: no expected curve */
    const char *title;                /* may be NULL */
};

/* Builds the chart data: meetings, series (at most FC_CHART_SERIES, by
 * rater), cut-offs per meeting, markers, and the expected curve. Pure. */
void fc_chart_build(const struct fc_chart_input *in, struct fc_chart *out);

/* ---- rendering --------------------------------------------------------- */

enum fc_chart_view {
    FC_VIEW_BOTH,                /* ORS area and, if tall enough, an SRS band */
    FC_VIEW_ORS,                 /* outcome scales only */
    FC_VIEW_SRS,                 /* session scales only, 0-40 */
};

struct fc_chart_opts {
    bool utf8;                   /* box drawing and finer marks; else ASCII */
    int view;                    /* enum fc_chart_view */
};

/* Draws the chart into g (any size from 30x10 up; every cell is written).
 * Returns FC_OK, or FC_EINVAL for a grid smaller than 30x10. */
int fc_chart_render(const struct fc_chart *ch, const struct fc_chart_opts *o,
                    struct fc_grid *g);

/* The legend label of entry `who` ("child", "mother", "teacher Hansen"). */
void fc_chart_who_label(const struct fc_chart *ch, int who, char *buf, size_t cap);

/* ---- from the store (src/io/chart_load.c) ------------------------------ */

struct fc_txn;
/* The cohort of every series in the store, for expected curves and alerts.
 * Free it with fc_cohort_free. */
int fc_cohort_load(struct fc_txn *txn, const struct fc_settings *s,
                   struct fc_cohort *out, struct fc_err *err);
/* The chart of one case. person: NULL, or only what that person rated
 * (a rater name, or a rater such as "mother"). cohort may be NULL. */
int fc_chart_load(struct fc_txn *txn, const struct fc_settings *s,
                  const struct fc_cohort *cohort, fc_id case_id, const char *person,
                  struct fc_chart *out, struct fc_err *err);
/* True when rating r was made by person (see fc_chart_load). */
bool fc_rating_by_person(const struct fc_rating *r, const char *person);

#endif
