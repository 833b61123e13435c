/* Forms: fields edited with the one line editor, pick lists that filter as
 * you type, errors beside the field, dialogs (discard? conflict, draft),
 * and the concrete forms of the domain (new case, case details, phase,
 * meeting with ORS/SRS rows, absence). One save = one fc_store_write. */
#ifndef TUI_FORM_H
#define TUI_FORM_H

#include "fitcase/draft.h"
#include "lineedit.h"
#include "tui.h"

enum fkind {
    FK_TEXT,      /* free text */
    FK_LIST,      /* free text, a comma-separated list */
    FK_DATE,      /* dd-mm-yyyy or yyyy-mm-dd */
    FK_NUMBER,    /* a whole number within lo..hi */
    FK_PICK,      /* one of the choices, filtered as you type */
    FK_COMBO,     /* one of the choices or new text (the pupil) */
    FK_ITEM,      /* an ORS/SRS item: 7.5, 7,5 or 75 (mm) */
    FK_HIDDEN,    /* not shown, never visited: what the form was opened on
                   * (versions), kept in drafts with the typed fields */
};

/* A list of choices a pick field offers: labels with an id each. */
struct choices {
    char **label;
    char **fold;
    long *id;
    int n, cap;
    /* Other names for a choice (Danish or English codes: "mor", "syg"),
     * tried when no label matches; -1 if none. */
    int (*alias)(const char *s);
};

enum { FORM_FIELDS_MAX = 128, POPUP_ROWS = 6 };

struct field {
    enum fkind kind;
    char key[24];             /* name in a draft */
    const char *label;        /* translated; NULL in a grid row */
    int y, x, w;              /* form row, edit column and width */
    struct ledit ed;
    const struct choices *ch; /* pick and combo */
    long pick;                /* the chosen id; -1 none */
    int lo, hi;               /* number range */
    bool required;
    int row;                  /* rating row (1..), 0 for other fields */
    char err[256];
    bool warn;                /* err is only a warning */
    bool autoset;             /* the program filled it (a scale from the
                               * rater and age); typing makes it the user's */
};

/* FORM_MEETING: arg 0 a new meeting, arg > 0 edits meeting arg, arg < 0
 * deletes meeting -arg (after a question). FORM_IMPORT: a CSV file. */
enum form_kind { FORM_CASE_NEW, FORM_CASE_EDIT, FORM_PHASE, FORM_MEETING, FORM_ABSENCE,
                 FORM_IMPORT, FORM_KIND_COUNT };
enum form_mode { FM_EDIT, FM_ASK_CANCEL, FM_ASK_QUIT, FM_ASK_EXCLUSION, FM_CONFLICT,
                 FM_BOTH, FM_OFFER_DRAFT, FM_ASK_DELETE, FM_RESULT };

/* Rating rows of a meeting form: at least these many, and one free row
 * more than a meeting being edited has ratings, up to RATING_ROWS_MAX. */
enum { RATING_ROWS_ORS = 5, RATING_ROWS_SRS = 4, RATING_ROWS_MAX = 8 };

/* A rating row's stored rating when the form opened (id 0: none). */
struct row_base {
    fc_id id;
    uint32_t version;
    int total_only;           /* the total when only a total is stored, else -1 */
};

struct form {
    enum form_kind kind;
    enum form_mode mode;
    char title[256];
    struct field f[FORM_FIELDS_MAX];
    int n, cur;
    int rows;                 /* form rows in use */
    int top;                  /* first form row shown */
    int psel;                 /* selection in the pick popup */
    bool pnav;                /* the user moved in the popup */
    bool touched;             /* the user typed something */
    bool fresh;               /* the cursor just came into the field: a letter
                               * typed into a short field replaces what it holds */
    bool confirmed;           /* the exclusion warning was confirmed */
    struct tui_lines both;    /* "show both": yours and the stored */
    int both_top;
    char ask[600];            /* the open dialog's text */
    struct form_label {       /* fixed text: headings, column names */
        int y, x;
        attr_t attr;
        char s[160];
    } labels[24];
    int nlabels;
    int total_x, err_x;       /* rating rows: where the total and errors go */
    int arg;                  /* FORM_PHASE: +1 advance, -1 step back; FORM_MEETING above */
    int ors_rows, srs_rows;   /* FORM_MEETING: rows 1..ors_rows are ORS/CORS, then SRS/CSRS */
    fc_id meeting_id;         /* FORM_MEETING: the meeting edited or deleted; 0 new */
    bool deleting;            /* FORM_MEETING: delete the meeting */
    bool force;               /* the user chose to save theirs over the stored */
    struct fc_meeting meeting;     /* as read when the form opened */
    struct fc_rating *ratings;     /* the meeting's ratings then */
    size_t nratings;
    struct row_base rows_base[RATING_ROWS_MAX * 2 + 2];

    /* What the form edits, as read when it opened (version included). */
    fc_id case_id;
    struct fc_case base;
    struct fc_pupil pupil;
    struct fc_phase_model model;
    int phase_to;             /* FORM_PHASE: the target, or -1 = close the case */
    fc_date today;

    /* Lookups loaded at open. */
    struct choices schools, staff, pupils, models, kinds, raters, abs_kinds, yesno,
        oscales, sscales, csv_kinds;
    fc_date *holidays;
    size_t nholidays;
    struct fc_pupil *pupil_recs;   /* FORM_CASE_NEW: existing pupils */
    size_t npupil_recs;
    char model_ids[32][FC_MODEL_ID_MAX];
    char done[256];           /* what the status line says after saving */
    /* The draft waiting to be offered (FM_OFFER_DRAFT). */
    struct fc_draft draft;
};

/* form.c: the engine */
struct field *form_add(struct form *fm, enum fkind kind, const char *key, const char *label);
struct field *form_field(struct form *fm, const char *key);
void form_label(struct form *fm, int y, int x, attr_t a, const char *s);
const char *form_text(struct form *fm, const char *key);
void form_set(struct form *fm, const char *key, const char *text);
void choices_add(struct choices *c, const char *label, long id);
void choices_free(struct choices *c);
/* The choice whose label folds equal to text, else the only choice that
 * contains it; -1 if none or many. */
int choices_match(const struct choices *c, const char *text);
void form_free(struct form *fm);
void form_open(struct tui *t, struct form *fm);
void form_close(struct tui *t);
void form_key(struct tui *t, int key);
void form_draw(struct tui *t);
void form_status(struct tui *t, WINDOW *w);
bool form_unsaved(const struct tui *t);

/* forms.c: the concrete forms */
struct form *forms_new(struct tui *t, enum form_kind kind, fc_id case_id, int arg,
                       struct fc_err *err);
/* Checks field i as typed (or when left with leaving); sets its err. */
void forms_check(struct tui *t, struct form *fm, int i, bool leaving);
/* Whole-form checks before a save; false with errors set on fields. */
bool forms_check_all(struct tui *t, struct form *fm);
/* Needs the intake-exclusion confirmation first? */
bool forms_needs_confirm(const struct form *fm);
/* The one write transaction. FC_ECONFLICT when the record changed. */
int forms_save(struct tui *t, struct form *fm, struct fc_err *err);
/* Conflict: the stored record beside what was typed; reload from it. */
void forms_both(struct tui *t, struct form *fm);
int forms_reload(struct tui *t, struct form *fm, struct fc_err *err);
/* A rating row's total so far (tenths), -1 when no item is valid. */
int forms_row_total(const struct form *fm, int row);
/* Whether Tab and Enter pass over field i (hidden, or a rating row's name
 * and scale columns while they need nothing; S-Tab reaches those). */
bool forms_skip(const struct form *fm, int i, bool forward);
/* The user saw both and chose to save theirs: the form takes the stored
 * versions so the save goes through. */
int forms_take_over(struct tui *t, struct form *fm, struct fc_err *err);
/* FORM_IMPORT: runs the import; the outcome goes to fm->both (FM_RESULT). */

/* draft_file.c: drafts on disk, one per user, 0600. */
int draft_write(struct tui *t, const struct form *fm);
/* Loads this user's draft for this store; false when there is none. */
bool draft_read(struct tui *t, struct fc_draft *d);
void draft_remove(struct tui *t);
void draft_apply(struct form *fm, const struct fc_draft *d);
const char *form_kind_code(enum form_kind k);
int form_kind_lookup(const char *s);

#endif
