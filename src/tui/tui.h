/* Inside the TUI: the application state, panes as tables of operations,
 * the one request table keys, help and hints come from, and the owned
 * copies of store data that panes draw from (recalc apart from repaint). */
#ifndef TUI_TUI_H
#define TUI_TUI_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdio.h>

#include "fitcase/absence.h"
#include "fitcase/settings.h"
#include "fitcase/tui.h"
#include "fitcase/types.h"

/* ---- keys and requests ---------------------------------------------------
 * A key is a Unicode code point, or a curses KEY_ code moved past Unicode so
 * the two never collide. Panes handle requests, never raw keys. */
#define TK_FN(k) ((k) + 0x110000)
#define TK_CTRL(c) ((c) & 0x1f)
#define TK_ESC 27
#define TK_NONE (-1)        /* no key within the poll interval */
#define TK_RESIZE TK_FN(KEY_RESIZE)

/* Where a request's hint shows on the status line. */
enum { IN_LIST = 1, IN_CASE = 2, IN_DETAIL = 4, IN_ALL = 7 };

/* id, config name, hint shown in, hint label, help text, up to three keys.
 * The one table: the enum, the bindings, the help screen and the status
 * line hints all come from here, so they cannot drift apart. */
#define TUI_REQUESTS(R) \
    R(UP,        "up",          0,         NULL,             N_("Move up one line"),                    'k', TK_FN(KEY_UP), 0) \
    R(DOWN,      "down",        0,         NULL,             N_("Move down one line"),                  'j', TK_FN(KEY_DOWN), 0) \
    R(PAGE_UP,   "page-up",     0,         NULL,             N_("Move up one page"),                    TK_FN(KEY_PPAGE), TK_CTRL('b'), 0) \
    R(PAGE_DOWN, "page-down",   0,         NULL,             N_("Move down one page"),                  TK_FN(KEY_NPAGE), TK_CTRL('f'), ' ') \
    R(FIRST,     "first",       0,         NULL,             N_("Go to the first line"),                TK_FN(KEY_HOME), 'g', 0) \
    R(LAST,      "last",        0,         NULL,             N_("Go to the last line"),                 TK_FN(KEY_END), 'G', 0) \
    R(OPEN,      "open",        IN_LIST,   N_("open"),       N_("Open the selected case"),              '\r', '\n', TK_FN(KEY_ENTER)) \
    R(NEW_CASE,  "new-case",    IN_LIST,   N_("new"),        N_("New case (new or existing pupil)"),    'n', 0, 0) \
    R(MEETING,   "meeting",     IN_CASE | IN_DETAIL, N_("meeting"), N_("New meeting with ORS and SRS for the case"), 'm', 0, 0) \
    R(ABSENCE,   "absence",     IN_CASE | IN_DETAIL, N_("absence"), N_("Enter absence days for the pupil"), 'a', 0, 0) \
    R(PHASE_NEXT, "phase-next", IN_CASE,   N_("phase"),      N_("Advance the case to the next phase (or close it after the last)"), '>', 0, 0) \
    R(PHASE_BACK, "phase-back", 0,         NULL,             N_("Step the case back one phase"),        '<', 0, 0) \
    R(EDIT_CASE, "edit-case",   IN_CASE | IN_DETAIL, N_("edit"), N_("Edit: the case details (consent, goals, interventions, closing summary, the pupil, who works the case); in the meetings tab the selected meeting, in the absence tab the absence"), 'e', 0, 0) \
    R(DELETE,    "delete",      IN_DETAIL, N_("delete"),     N_("In the meetings tab: delete the selected meeting (asks first)"), 'd', TK_FN(KEY_DC), 0) \
    R(SAVE,      "save",        0,         NULL,             N_("In a form: save (also Enter on the last field)"), TK_CTRL('s'), 0, 0) \
    R(FORM_QUIT, "form-quit",   0,         NULL,             N_("In a form: quit fitcase (asks when something was typed)"), TK_CTRL('q'), 0, 0) \
    R(CLEAR_ROW, "clear-row",   0,         NULL,             N_("In a form: empty a rating or intervention row (saved empty, its record goes)"), TK_CTRL('x'), 0, 0) \
    R(SEARCH,    "search",      IN_LIST,   N_("search"),     N_("Search pupil, school or case number; the list narrows as you type"), '/', 0, 0) \
    R(SORT,      "sort",        IN_LIST,   N_("sort"),       N_("Sort by name, deadline, school or phase"), 's', 0, 0) \
    R(SCOPE,     "scope",       IN_LIST,   N_("mine/team/all"), N_("Show my cases, my team's or all"), 'f', 0, 0) \
    R(STATUS,    "open-closed", IN_LIST,   N_("open/closed"), N_("Show open, closed or all cases"),     'o', 0, 0) \
    R(LEADER,    "figures",     IN_LIST,   N_("figures"),    N_("Figures of my cases or my team's, and the cases at risk"), 't', 0, 0) \
    R(TAB_NEXT,  "tab-next",    IN_CASE | IN_DETAIL, N_("next tab"), N_("Next tab (case, meetings, absence, chart)"), TK_FN(KEY_RIGHT), 'l', ']') \
    R(TAB_PREV,  "tab-prev",    0,         NULL,             N_("Previous tab"),                        TK_FN(KEY_LEFT), 'h', '[') \
    R(NEXT_PANE, "next-pane",   IN_ALL,    N_("pane"),       N_("Next pane"),                           '\t', 0, 0) \
    R(PREV_PANE, "prev-pane",   0,         NULL,             N_("Previous pane"),                       TK_FN(KEY_BTAB), 0, 0) \
    R(CANCEL,    "cancel",      IN_CASE | IN_DETAIL, N_("back"), N_("Cancel: end the search, close help, back to the list"), TK_ESC, TK_CTRL('g'), 0) \
    R(HELP,      "help",        IN_ALL,    N_("help"),       N_("Show the keys (this screen)"),         '?', 0, 0) \
    R(REDRAW,    "redraw",      0,         NULL,             N_("Repaint the whole screen"),            TK_CTRL('l'), 0, 0) \
    R(QUIT,      "quit",        IN_ALL,    N_("quit"),       N_("Quit"),                                'q', 0, 0) \
    R(IMPORT,    "import",      IN_LIST,   N_("import"),     N_("Import a CSV file: pupils, cases, meetings, ratings, absence, calendar or staff"), 'I', 0, 0)

enum request {
#define R(id, name, in, hint, help, k1, k2, k3) REQ_##id,
    TUI_REQUESTS(R)
#undef R
    REQ_COUNT,
    REQ_NONE = REQ_COUNT
};

struct request_info {
    const char *name;
    unsigned hint_in;
    const char *hint;        /* untranslated; NULL = no hint */
    const char *help;        /* untranslated */
    int keys[3];             /* 0 = none */
};
extern const struct request_info tui_requests[REQ_COUNT];

enum request tui_key_request(int key);
/* "j", "Down", "C-g", "Tab", "Esc" ... into buf. */
const char *tui_key_name(int key, char *buf, size_t cap);

/* ---- owned data: what panes draw from ------------------------------------ */

enum tui_flag { FLAG_ORS_LOW = 1, FLAG_SRS_LOW = 2, FLAG_FIT_ABSENCE = 4 };

/* One case in the list. Plain bytes (no pointers) so two loads compare
 * with memcmp: a reload that changes nothing visible repaints nothing. */
struct tui_row {
    fc_id case_id;
    fc_id pupil_id;          /* 0 when the pupil record is missing */
    fc_date birth;
    bool detailed;           /* ors and flags read (data_fill_rows) */
    fc_id coordinator, secondary, team;
    char pupil[FC_NAME_MAX];
    char school[FC_NAME_MAX];
    char phase[FC_SHORT_MAX];
    int grade;
    int phase_index;
    bool open;
    bool has_deadline;
    int days_left;           /* negative = overdue */
    int ors, ors_cutoff;     /* tenths; ors < 0 = no ORS yet */
    unsigned flags;          /* enum tui_flag */
    char key[FC_NAME_MAX * 6 + 16]; /* folded name, school and #id, for search */
};

struct tui_list_data {
    struct tui_row *rows;
    size_t n;
    fc_id me, my_team;       /* the acting user's staff id and team, 0 if unknown */
};

/* One named rating shown in the meetings tab. */
struct tui_score {
    fc_id meeting_id;
    uint8_t scale, rater;
    char rater_name[FC_NAME_MAX];
    int total, cutoff;       /* tenths */
};

enum { ABS_STRIP = 60 };

/* The opened case, everything the case pane and detail tabs show. */
struct tui_case_view {
    bool loaded;
    bool missing;            /* the case was erased since it was opened */
    struct fc_case c;
    struct fc_pupil p;
    char school[FC_NAME_MAX];
    char coordinator[FC_NAME_MAX];
    char secondary[FC_NAME_MAX];
    struct fc_phase_model model;
    struct fc_phase_event *events;
    size_t nevents;
    struct fc_meeting *meetings;   /* date order */
    size_t nmeetings;
    struct tui_score *scores;
    size_t nscores;
    fc_date strip_from;            /* first of the last 60 school days */
    fc_date strip_day[ABS_STRIP];
    signed char strip_kind[ABS_STRIP]; /* enum fc_absence_kind, -1 present */
    struct fc_absence_status abs;
    bool has_deadline;
    int days_left;
    struct fc_chart *chart;        /* NULL when it could not be built */
    int nalerts;                   /* the case's alerts, described */
    char alerts[12][256];
};

struct fc_chart;

/* ---- text lines: what the case pane and detail tabs scroll through ------- */

struct tui_line {
    char *text;              /* UTF-8, owned */
    attr_t attr;
};
struct tui_lines {
    struct tui_line *v;
    size_t n, cap;
};
void lines_clear(struct tui_lines *l);
void lines_add(struct tui_lines *l, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds text word-wrapped to width columns, continuation lines indented. */
struct tui;
void lines_add_wrapped(const struct tui *t, struct tui_lines *l, attr_t attr,
                       int width, int indent, const char *text);

/* ---- panes -------------------------------------------------------------- */

enum pane_id { PANE_LIST, PANE_CASE, PANE_DETAIL, PANE_COUNT };
enum detail_tab { TAB_MEETINGS, TAB_ABSENCE, TAB_CHART, TAB_COUNT };
enum layout { LAYOUT_COMPACT, LAYOUT_STACKED, LAYOUT_WIDE };
/* What a pane must do at the next update: repaint the selected rows, all of
 * it, or only copy its unchanged window back (after help covered it). */
enum { DIRTY_ROWS = 1, DIRTY_ALL = 2, DIRTY_TOUCH = 4 };

struct tui;
struct pane;

/* A pane is a table of operations (tig's view_ops, htop's Panel). reflow
 * rebuilds the pane's text from the owned data (after a load or a width
 * change); draw paints the window from that text and nothing else;
 * request handles one request and says whether it did. */
struct pane_ops {
    unsigned scope;          /* IN_LIST, IN_CASE, IN_DETAIL: which hints show */
    void (*reflow)(struct tui *t, struct pane *p);
    void (*draw)(struct tui *t, struct pane *p);
    bool (*request)(struct tui *t, struct pane *p, enum request r);
};

struct pane {
    const struct pane_ops *ops;
    WINDOW *win;
    int y, x, h, w;
    bool shown;
    unsigned dirty;
    int top;                  /* first text line shown (case, detail) */
    struct tui_lines lines;
};

extern const struct pane_ops list_pane_ops, case_pane_ops, detail_pane_ops;

enum sort_key { SORT_NAME, SORT_DEADLINE, SORT_SCHOOL, SORT_PHASE, SORT_COUNT };
enum scope { SCOPE_ALL, SCOPE_TEAM, SCOPE_MINE, SCOPE_COUNT };
enum status_filter { SHOW_OPEN, SHOW_CLOSED, SHOW_BOTH, SHOW_COUNT };

struct script;
struct form;
struct ledit;

struct tui {
    struct fc_store *st;
    const struct fc_tui_opts *opts;
    struct fc_settings settings;
    bool utf8;                /* the locale speaks UTF-8; else ASCII only */
    bool color;
    SCREEN *screen;
    FILE *term_out, *term_in; /* headless: /dev/null */
    struct script *script;

    int rows, cols;
    bool too_small;
    enum layout layout;
    WINDOW *title, *status, *help;
    struct pane panes[PANE_COUNT];
    enum pane_id focus;
    enum pane_id lower;       /* compact layout: CASE or DETAIL shares the lower area */
    enum detail_tab tab;

    /* data (recalc) */
    uint64_t gen;
    struct tui_list_data data;
    struct tui_case_view cv;
    fc_id open_case;

    /* the list's view of the data: filter, search, sort, selection */
    size_t *vis;
    size_t nvis;
    size_t sel, top, drawn_sel;
    enum sort_key sort;
    enum scope scope;
    /* Enter on a search that found nothing in the filter widened it (to the
     * team's, or all); clearing the search goes back to scope_before. */
    bool scope_widened;
    enum scope scope_before;
    enum status_filter show;
    bool prompting;
    char query[128], query_fold[384];
    char saved_query[128];
    fc_id saved_case;

    struct leader *leader;    /* the leader's view (leader.c), an overlay like help */
    fc_id sel_meeting;        /* the meetings tab's selected meeting; 0 = the newest */
    size_t *meeting_line;     /* the meetings tab: the line of each meeting's heading, */
    size_t nmeeting_line;     /* in cv.meetings order */
    struct form *form;        /* the open form, an overlay like help */
    WINDOW *formwin;
    bool form_dirty;
    struct ledit *prompt;     /* the search prompt's editor */

    char message[256];
    bool title_dirty, status_dirty, help_dirty;
    bool help_shown;
    int help_top;
    bool quit;
};

/* data.c: the only code that reads the store (short read transactions). */
int data_load_list(struct tui *t, struct tui_list_data *out, struct fc_err *err);
void data_free_list(struct tui_list_data *d);
/* Reads the ORS column and the flags of the rows vis[from..to) that do not
 * have them yet: the list reads them only for the rows it shows. */
void data_fill_rows(struct tui *t, size_t from, size_t to);
bool data_list_equal(const struct tui_list_data *a, const struct tui_list_data *b);
int data_load_case(struct tui *t, fc_id id, struct tui_case_view *out, struct fc_err *err);
void data_free_case(struct tui_case_view *cv);

/* draw.c: width-aware text on windows, ASCII in a non-UTF-8 locale. */
/* Puts UTF-8 s at (y, x), at most width columns, padding with blanks to
 * width when pad; returns the columns used. */
int draw_text(struct tui *t, WINDOW *w, int y, int x, int width, attr_t a,
              bool pad, const char *s);
int text_width(const struct tui *t, const char *s);
void draw_hline(struct tui *t, WINDOW *w, int y, int x, int n);
void draw_vline(struct tui *t, WINDOW *w, int y, int x, int n);
/* Red for what is overdue, when there is colour; A_NORMAL without. */
attr_t attr_alert(const struct tui *t);

/* list.c: the list's view of the data. */
void list_rebuild(struct tui *t, fc_id keep);
fc_id list_selected_case(const struct tui *t);
/* The filter f goes to from s: mine, team, all, mine again. */
enum scope list_scope_after(enum scope s);
/* The cases the search and the open/closed filter let through in scope s
 * that the current scope leaves out. */
size_t list_count_beyond(const struct tui *t, enum scope s);
/* When a search leaves the list empty: the first wider filter, in f's
 * order up to all, where it finds cases, with how many in *n; else the
 * current filter (and *n 0). */
enum scope list_wider_match(const struct tui *t, size_t *n);

/* app.c helpers shared by panes */
/* Opens a case as the user asked: logged (case.open), then shown. */
/* Ctrl-L: the whole terminal sent again at the next update, for a screen
 * garbled by line noise. The only full repaint fitcase ever sends, and
 * only when the user asks (issue 3); everything else is diffed. */
void tui_repaint(struct tui *t);
void tui_open_case(struct tui *t, fc_id id);
/* Shows a case again (after a save) without logging an opening. */
void tui_show_case(struct tui *t, fc_id id);
void tui_focus(struct tui *t, enum pane_id p);
void tui_set_tab(struct tui *t, int delta);
void tui_message(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Scrolls a text pane; true when it moved. */
bool pane_scroll_request(struct pane *p, enum request r);
void pane_draw_lines(struct tui *t, struct pane *p, int first_row);
/* Header of the case and detail panes (a tab bar in the compact layout). */
void pane_draw_tabs(struct tui *t, struct pane *p);

/* detail.c: the meeting selected in the meetings tab (0 when none). */
fc_id detail_selected_meeting(const struct tui *t);

/* "ORS child 23.4* mother 19.0  SRS child 38.0": one meeting's scores,
 * a star marking a total below its cut-off. */
void scores_line(const struct tui_case_view *cv, fc_id meeting, bool outcome,
                 bool srs, char *out, size_t cap);

/* Labels for the domain's enums, translated. */
const char *label_rater(int rater);
const char *label_meeting_kind(int kind);
const char *label_tier(int tier);
void format_date(fc_date d, char buf[static 11]);
void format_tenths(int tenths, char buf[static 8]);

/* script.c: headless mode (keys from a file, screen dumps). */
int script_open(struct tui *t, const char *path, struct fc_err *err);
void script_close(struct tui *t);
/* Next key from the script, running its commands (:dump, :resize, :poll)
 * on the way; TK_NONE for a poll tick; -2 at the end. */
int script_next_key(struct tui *t);
int tui_dump(struct tui *t, const char *path, bool attrs);

/* app.c entry points the script uses */
void tui_relayout(struct tui *t);
void tui_poll(struct tui *t);
void tui_update(struct tui *t);

#endif
