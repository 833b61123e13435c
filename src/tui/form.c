/* The form engine: moving between fields, the line editor in each, pick
 * lists filtered as you type, errors beside the field as typed, saving,
 * and the dialogs (discard? intake exclusion, conflict, draft). Forms are
 * an overlay like help: the panes keep their text underneath. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fitcase/i18n.h"
#include "fitcase/text.h"
#include "form.h"

/* ---- fields and choices --------------------------------------------------- */

struct field *form_add(struct form *fm, enum fkind kind, const char *key, const char *label)
{
    if (fm->n >= FORM_FIELDS_MAX)
        return NULL;
    struct field *f = &fm->f[fm->n++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    snprintf(f->key, sizeof f->key, "%s", key);
    f->label = label;
    f->pick = -1;
    f->hi = 100;
    return f;
}

struct field *form_field(struct form *fm, const char *key)
{
    for (int i = 0; i < fm->n; i++)
        if (strcmp(fm->f[i].key, key) == 0)
            return &fm->f[i];
    return NULL;
}

const char *form_text(struct form *fm, const char *key)
{
    struct field *f = form_field(fm, key);
    return f ? f->ed.buf : "";
}

void form_set(struct form *fm, const char *key, const char *text)
{
    struct field *f = form_field(fm, key);
    if (!f)
        return;
    ledit_set(&f->ed, text);
    if (f->ch)
        f->pick = text[0] && choices_match(f->ch, text) >= 0
                      ? f->ch->id[choices_match(f->ch, text)] : -1;
}

void form_label(struct form *fm, int y, int x, attr_t a, const char *s)
{
    if (fm->nlabels >= (int)(sizeof fm->labels / sizeof fm->labels[0]))
        return;
    struct form_label *l = &fm->labels[fm->nlabels++];
    l->y = y;
    l->x = x;
    l->attr = a;
    snprintf(l->s, sizeof l->s, "%s", s);
}

void choices_add(struct choices *c, const char *label, long id)
{
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 16;
        char **l = realloc(c->label, (size_t)cap * sizeof *l);
        if (l)
            c->label = l;
        char **f = realloc(c->fold, (size_t)cap * sizeof *f);
        if (f)
            c->fold = f;
        long *ids = realloc(c->id, (size_t)cap * sizeof *ids);
        if (ids)
            c->id = ids;
        if (!l || !f || !ids)
            return;
        c->cap = cap;
    }
    size_t n = strlen(label);
    char *copy = malloc(n + 1), *fold = malloc(n * 3 + 1);
    if (!copy || !fold) {
        free(copy);
        free(fold);
        return;
    }
    memcpy(copy, label, n + 1);
    fc_fold(label, fold, n * 3 + 1);
    c->label[c->n] = copy;
    c->fold[c->n] = fold;
    c->id[c->n] = id;
    c->n++;
}

void choices_free(struct choices *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->label[i]);
        free(c->fold[i]);
    }
    free(c->label);
    free(c->fold);
    free(c->id);
    memset(c, 0, sizeof *c);
}

/* Indices of the choices containing text (folded), at most max. */
static int choices_filter(const struct choices *c, const char *text, int *out, int max)
{
    char fold[LEDIT_MAX * 3];
    fc_fold(text, fold, sizeof fold);
    size_t flen = strlen(fold);
    int n = 0;
    /* Those that start with the text first: "j" offers "ja" before "nej". */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < c->n && n < max; i++) {
            bool prefix = strncmp(c->fold[i], fold, flen) == 0;
            if (pass == 0 ? prefix : !prefix && fc_fold_contains(c->fold[i], fold))
                out[n++] = i;
        }
    return n;
}

int choices_match(const struct choices *c, const char *text)
{
    char fold[LEDIT_MAX * 3];
    fc_fold(text, fold, sizeof fold);
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->fold[i], fold) == 0)
            return i;
    int one[2];
    return choices_filter(c, text, one, 2) == 1 ? one[0] : -1;
}

void form_free(struct form *fm)
{
    if (!fm)
        return;
    struct choices *cs[] = { &fm->schools, &fm->staff, &fm->pupils, &fm->models,
                             &fm->kinds, &fm->raters, &fm->abs_kinds, &fm->yesno,
                             &fm->oscales, &fm->sscales, &fm->csv_kinds };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
        choices_free(cs[i]);
    free(fm->holidays);
    free(fm->ratings);
    free(fm->pupil_recs);
    lines_clear(&fm->both);
    fc_draft_free(&fm->draft);
    free(fm);
}

bool form_unsaved(const struct tui *t)
{
    return t->form && t->form->touched;
}

/* ---- opening and closing ---------------------------------------------------- */

void form_open(struct tui *t, struct form *fm)
{
    form_free(t->form);
    t->form = fm;
    fm->top = 0;
    int lw = 0;
    for (int i = 0; i < fm->n; i++)
        if (fm->f[i].label && text_width(t, fm->f[i].label) > lw)
            lw = text_width(t, fm->f[i].label);
    for (int i = 0; i < fm->n; i++)
        if (fm->f[i].label && fm->f[i].x == 0)
            fm->f[i].x = 2 + lw + 2;
    for (int i = 0; i < fm->nlabels; i++)
        if (fm->labels[i].y + 1 > fm->rows)
            fm->rows = fm->labels[i].y + 1;
    for (int i = 0; i < fm->n; i++)
        if (fm->f[i].y + 1 > fm->rows)
            fm->rows = fm->f[i].y + 1;
    fm->fresh = true;
    t->form_dirty = t->status_dirty = true;
    t->message[0] = '\0';
}

void form_close(struct tui *t)
{
    form_free(t->form);
    t->form = NULL;
    if (t->formwin) {
        delwin(t->formwin);
        t->formwin = NULL;
    }
    for (int i = 0; i < PANE_COUNT; i++)
        if (t->panes[i].win) {
            touchwin(t->panes[i].win);
            t->panes[i].dirty |= DIRTY_TOUCH;
        }
    t->title_dirty = t->status_dirty = true;
}

/* ---- checking ------------------------------------------------------------------ */

static bool refused(const struct field *f)
{
    return f->err[0] && !f->warn;
}

/* Leaving a pick field takes the highlighted match; an item is shown the
 * way it was read ("75" becomes "7.5"). */
static void normalize(struct tui *t, struct form *fm, int i)
{
    struct field *f = &fm->f[i];
    if ((f->kind == FK_PICK || f->kind == FK_COMBO) && f->ch) {
        if (!f->ed.buf[0]) {
            f->pick = -1;
        } else {
            int m[1];
            int n = choices_filter(f->ch, f->ed.buf, m, 1);
            int exact = choices_match(f->ch, f->ed.buf);
            int k = -1;
            if (f->kind == FK_PICK || fm->pnav) {
                int all[512];
                int na = choices_filter(f->ch, f->ed.buf, all, 512);
                k = exact >= 0 && !fm->pnav ? exact : na > 0 ? all[fm->psel < na ? fm->psel : na - 1] : -1;
            } else if (exact >= 0) {
                k = exact;
            }
            if (k < 0 && f->ch->alias)
                for (int a = f->ch->alias(f->ed.buf), j = 0; a >= 0 && j < f->ch->n; j++)
                    if (f->ch->id[j] == a)
                        k = j;
            (void)n;
            if (k >= 0) {
                ledit_set(&f->ed, f->ch->label[k]);
                f->pick = f->ch->id[k];
            } else {
                f->pick = -1;
            }
        }
    }
    forms_check(t, fm, i, true);
}

/* ---- saving -------------------------------------------------------------------- */

static void go_to(struct form *fm, int i)
{
    fm->cur = i;
    fm->psel = 0;
    fm->pnav = false;
    fm->fresh = true;
}

/* Short fields whose whole text the first letter typed replaces, as in a
 * form whose records are being corrected: a rater, an item, a date. Free
 * text (notes, names, lists) is added to instead. */
static bool replaces(const struct field *f)
{
    return f->kind == FK_PICK || f->kind == FK_ITEM || f->kind == FK_DATE ||
           f->kind == FK_NUMBER;
}

static void try_save(struct tui *t)
{
    struct form *fm = t->form;
    normalize(t, fm, fm->cur);
    int first = -1, bad = 0;
    for (int i = 0; i < fm->n; i++) {
        if (i != fm->cur)
            forms_check(t, fm, i, true);
        if (refused(&fm->f[i]) && bad++ == 0)
            first = i;
    }
    if (!bad && !forms_check_all(t, fm))
        for (int i = 0; i < fm->n; i++)
            if (refused(&fm->f[i]) && bad++ == 0)
                first = i;
    t->form_dirty = t->status_dirty = true;
    if (bad) {
        go_to(fm, first);
        tui_message(t, ngettext("Not saved: %d field needs attention (%s).",
                                "Not saved: %d fields need attention (first: %s).", bad),
                    bad, fm->f[first].err);
        return;
    }
    if (forms_needs_confirm(fm) && !fm->confirmed) {
        fm->mode = FM_ASK_EXCLUSION;
        return;
    }
    struct fc_err err = { 0 };
    int rc = forms_save(t, fm, &err);
    /* A save may have drawn (an import says what it is doing). */
    t->form_dirty = t->status_dirty = true;
    if (rc == FC_ECONFLICT) {
        fm->mode = FM_CONFLICT;
        return;
    }
    if (rc != FC_OK) {
        tui_message(t, _("Not saved: %s"), err.msg);
        return;
    }
    fc_id open = fm->case_id;
    enum form_kind kind = fm->kind;
    char said[256];
    snprintf(said, sizeof said, "%s", fm->done);
    if (kind == FORM_IMPORT) {
        /* The outcome stays on the screen until read. */
        fm->mode = FM_RESULT;
        fm->both_top = 0;
        tui_poll(t);
        return;
    }
    enum pane_id back = t->focus;
    form_close(t);
    tui_poll(t);
    if (open) {
        list_rebuild(t, open);
        tui_show_case(t, open);
        /* An edit begun in the meetings or absence tab ends there. */
        if (back == PANE_DETAIL)
            tui_focus(t, PANE_DETAIL);
    }
    static const char *const done[FORM_KIND_COUNT] = {
        N_("The case was saved."), N_("The case was saved."), N_("The phase was changed."),
        N_("The meeting was saved."), N_("The absence was saved."), N_("The import is done."),
    };
    tui_message(t, "%s", said[0] ? said : _(done[kind]));
}

/* ---- keys ------------------------------------------------------------------------ */

static bool is_pick(const struct field *f)
{
    return (f->kind == FK_PICK || f->kind == FK_COMBO) && f->ch;
}

static void next_field(struct tui *t, struct form *fm, bool save_at_end)
{
    normalize(t, fm, fm->cur);
    if (refused(&fm->f[fm->cur])) {
        tui_message(t, "%s", fm->f[fm->cur].err);
        return;
    }
    int next = fm->cur + 1;
    while (next < fm->n && forms_skip(fm, next, true))
        next++;
    if (next < fm->n)
        go_to(fm, next);
    else if (save_at_end)
        try_save(t);
}

/* S-Tab and Up: every field but hidden ones, so the columns Tab passes
 * over (a rating's name and scale) are reached this way. */
static void prev_field(struct tui *t, struct form *fm)
{
    normalize(t, fm, fm->cur);
    int prev = fm->cur - 1;
    while (prev >= 0 && forms_skip(fm, prev, false))
        prev--;
    if (prev >= 0)
        go_to(fm, prev);
}

static void dialog_key(struct tui *t, int key)
{
    struct form *fm = t->form;
    bool yes = key == 'y' || key == 'j' || key == 'Y' || key == 'J';
    bool esc = key == TK_ESC || key == TK_CTRL('g');
    bool no = key == 'n' || key == 'N' || esc;
    struct fc_err err = { 0 };
    switch (fm->mode) {
    case FM_ASK_CANCEL:
        if (yes)
            form_close(t);
        else if (no)
            fm->mode = FM_EDIT;
        break;
    case FM_ASK_QUIT:
        if (yes)
            t->quit = true;
        else if (no)
            fm->mode = FM_EDIT;
        break;
    case FM_ASK_DELETE:
        if (yes) {
            fm->mode = FM_EDIT;
            try_save(t);
            return;
        } else if (no) {
            form_close(t);
            return;
        }
        break;
    case FM_RESULT:
        if (key == TK_FN(KEY_DOWN) || key == 'j')
            fm->both_top++;
        else if (key == TK_FN(KEY_UP) || key == 'k')
            fm->both_top -= fm->both_top > 0;
        else if (key == TK_FN(KEY_NPAGE) || key == ' ' || key == TK_CTRL('f'))
            fm->both_top += t->rows - 4;
        else if (key == TK_FN(KEY_PPAGE) || key == TK_CTRL('b'))
            fm->both_top = fm->both_top > t->rows - 4 ? fm->both_top - (t->rows - 4) : 0;
        else if (key == TK_FN(KEY_HOME) || key == 'g')
            fm->both_top = 0;
        else if (key == TK_FN(KEY_END) || key == 'G')
            fm->both_top = 1 << 20;
        else if (esc || key == 'q' || key == '\r' || key == '\n' || key == TK_FN(KEY_ENTER)) {
            form_close(t);
            return;
        }
        break;
    case FM_ASK_EXCLUSION:
        if (yes) {
            fm->confirmed = true;
            fm->mode = FM_EDIT;
            try_save(t);
        } else if (no) {
            fm->mode = FM_EDIT;
        }
        break;
    case FM_CONFLICT:
    case FM_BOTH:
        if (key == 'r' || key == 'R') {
            if (forms_reload(t, fm, &err) != FC_OK) {
                tui_message(t, "%s", err.msg);
                fm->mode = FM_EDIT;
            } else {
                tui_message(t, "%s", _("Reloaded: the form shows what is saved now."));
                /* A reloaded delete asks again, about what is there now. */
                fm->mode = fm->deleting ? FM_ASK_DELETE : FM_EDIT;
            }
        } else if (fm->mode == FM_CONFLICT && (key == 'b' || key == 'B')) {
            forms_both(t, fm);
            fm->both_top = 0;
            fm->mode = FM_BOTH;
        } else if (fm->mode == FM_BOTH && (key == 'o' || key == 'O')) {
            /* Explicit: the user saw both and chose theirs to go. */
            if (forms_take_over(t, fm, &err) != FC_OK) {
                tui_message(t, "%s", err.msg);
                break;
            }
            fm->mode = FM_EDIT;
            try_save(t);
            return;
        } else if (fm->mode == FM_BOTH && (key == TK_FN(KEY_DOWN) || key == 'j')) {
            fm->both_top++;
        } else if (fm->mode == FM_BOTH && (key == TK_FN(KEY_UP) || key == 'k')) {
            fm->both_top -= fm->both_top > 0;
        } else if (esc) {
            fm->mode = FM_EDIT;
        }
        break;
    case FM_OFFER_DRAFT:
        if (key == '\r' || key == '\n' || key == TK_FN(KEY_ENTER) || yes) {
            fm->mode = FM_EDIT;
            fm->touched = true;
            draft_remove(t);
        } else if (key == 'd' || key == 'D' || key == 'n' || key == 'N') {
            draft_remove(t);
            form_close(t);
            tui_message(t, "%s", _("The draft was discarded."));
            return;
        } else if (esc) {
            form_close(t);
            tui_message(t, "%s", _("The draft is kept; it is offered again at the next start."));
            return;
        }
        break;
    case FM_EDIT:
        break;
    }
    t->form_dirty = t->status_dirty = true;
}

void form_key(struct tui *t, int key)
{
    struct form *fm = t->form;
    if (fm->mode != FM_EDIT) {
        dialog_key(t, key);
        return;
    }
    struct field *f = &fm->f[fm->cur];
    t->form_dirty = t->status_dirty = true;
    switch (key) {
    case TK_CTRL('s'):
        try_save(t);
        return;
    case TK_ESC: case TK_CTRL('g'):
        if (fm->touched)
            fm->mode = FM_ASK_CANCEL;
        else
            form_close(t);
        return;
    case TK_CTRL('q'):
        if (fm->touched)
            fm->mode = FM_ASK_QUIT;
        else
            t->quit = true;
        return;
    case TK_CTRL('l'):
        tui_repaint(t);
        return;
    case TK_CTRL('x'):
        /* A grid row (a rating, an intervention) emptied at once: saved
         * empty, its record goes. */
        if (f->row) {
            for (int i = 0; i < fm->n; i++)
                if (fm->f[i].row == f->row) {
                    ledit_set(&fm->f[i].ed, "");
                    fm->f[i].pick = -1;
                    fm->f[i].err[0] = '\0';
                    fm->f[i].autoset = false;
                }
            for (int i = 0; i < fm->n; i++)
                if (fm->f[i].row == f->row) {
                    go_to(fm, i);
                    break;
                }
            fm->touched = true;
        }
        return;
    case '\t':
        next_field(t, fm, false);
        return;
    case '\r': case '\n': case TK_FN(KEY_ENTER):
        next_field(t, fm, true);
        return;
    case TK_FN(KEY_BTAB):
        prev_field(t, fm);
        return;
    case TK_FN(KEY_DOWN):
        if (is_pick(f)) {
            fm->psel++;
            fm->pnav = true;
        }
        else
            next_field(t, fm, false);
        return;
    case TK_FN(KEY_UP):
        if (is_pick(f) && fm->psel > 0) {
            fm->psel--;
            fm->pnav = true;
        } else {
            prev_field(t, fm);
        }
        return;
    default:
        break;
    }
    bool printable = key >= 32 && key != 127 && key < 0x110000;
    if (fm->fresh && printable && replaces(f))
        ledit_set(&f->ed, "");
    fm->fresh = false;
    bool changed;
    if (ledit_key(&f->ed, key, &changed) && changed) {
        fm->touched = true;
        fm->psel = 0;
        fm->pnav = false;
        f->autoset = false;
        if (f->ch)
            f->pick = -1;
        forms_check(t, fm, fm->cur, false);
    }
}

/* ---- drawing ------------------------------------------------------------------ */

static int body_rows(const struct tui *t)
{
    return t->rows - 3;   /* title line, form heading, status line */
}

/* Width of the first n bytes of s. */
static int prefix_width(const struct tui *t, const char *s, size_t n)
{
    char buf[LEDIT_MAX];
    memcpy(buf, s, n);
    buf[n] = '\0';
    return text_width(t, buf);
}

static void draw_field(struct tui *t, WINDOW *w, struct form *fm, int i, int y)
{
    struct field *f = &fm->f[i];
    bool cur = i == fm->cur && fm->mode == FM_EDIT;
    if (f->label)
        draw_text(t, w, y, 2, f->x - 3, cur ? A_BOLD : A_NORMAL, false, f->label);
    int width = f->x + f->w <= t->cols ? f->w : t->cols - f->x;
    if (width <= 0)
        return;
    /* Scroll the text so the cursor shows. */
    size_t start = 0;
    while (cur && start < f->ed.cur &&
           prefix_width(t, f->ed.buf + start, f->ed.cur - start) >= width) {
        start++;
        while (start < f->ed.len && ((unsigned char)f->ed.buf[start] & 0xc0) == 0x80)
            start++;
    }
    /* Text a letter would replace shows in reverse. */
    attr_t a = cur && fm->fresh && replaces(f) && f->ed.buf[0] ? A_REVERSE : A_UNDERLINE;
    draw_text(t, w, y, f->x, width, a, true, f->ed.buf + start);
    if (cur) {
        int cx = f->x + prefix_width(t, f->ed.buf + start, f->ed.cur - start);
        size_t next = f->ed.cur;
        if (next < f->ed.len)
            next++;
        while (next < f->ed.len && ((unsigned char)f->ed.buf[next] & 0xc0) == 0x80)
            next++;
        char c[8] = " ";
        if (f->ed.cur < f->ed.len) {
            memcpy(c, f->ed.buf + f->ed.cur, next - f->ed.cur);
            c[next - f->ed.cur] = '\0';
        }
        if (cx < t->cols)
            draw_text(t, w, y, cx, 2, A_REVERSE, false, c);
    }
    if (f->err[0] && !f->row) {
        int ex = f->x + width + 1;
        if (ex < t->cols - 4)
            draw_text(t, w, y, ex, t->cols - ex, f->warn ? A_NORMAL : A_BOLD, false,
                      f->warn ? f->err : f->err);
    }
}

/* Rows of the rating grid: the live total and the row's first error. */
static void draw_row_extras(struct tui *t, WINDOW *w, struct form *fm, int row, int y)
{
    int total = forms_row_total(fm, row);
    if (total >= 0 && fm->total_x < t->cols) {
        char buf[8];
        format_tenths(total, buf);
        char s[12];
        snprintf(s, sizeof s, "%5s", buf);
        draw_text(t, w, y, fm->total_x, 6, A_BOLD, false, s);
    }
    for (int i = 0; i < fm->n; i++)
        if (fm->f[i].row == row && fm->f[i].err[0]) {
            if (fm->err_x < t->cols - 4)
                draw_text(t, w, y, fm->err_x, t->cols - fm->err_x,
                          fm->f[i].warn ? A_NORMAL : A_BOLD, false, fm->f[i].err);
            break;
        }
}

static void draw_popup(struct tui *t, WINDOW *w, struct form *fm, int y)
{
    struct field *f = &fm->f[fm->cur];
    int m[512];
    int n = choices_filter(f->ch, f->ed.buf, m, 512);
    if (n == 0)
        return;
    if (fm->psel >= n)
        fm->psel = n - 1;
    int h = n < POPUP_ROWS ? n : POPUP_ROWS;
    int wd = 0;
    for (int i = 0; i < n; i++) {
        int tw = text_width(t, f->ch->label[m[i]]);
        wd = tw > wd ? tw : wd;
    }
    wd += 2;
    if (wd < f->w)
        wd = f->w;
    int x = f->x;
    if (x + wd > t->cols)
        wd = t->cols - x;
    int maxy = getmaxy(w);
    int py = y + 1 + h <= maxy ? y + 1 : y - h;
    if (py < 1)
        py = 1;
    int first = fm->psel >= h ? fm->psel - h + 1 : 0;
    for (int r = 0; r < h; r++) {
        int k = first + r;
        char line[FC_NAME_MAX * 2];
        snprintf(line, sizeof line, " %s", f->ch->label[m[k]]);
        draw_text(t, w, py + r, x, wd, k == fm->psel ? A_REVERSE : A_NORMAL, true, line);
    }
}

static void wrap_lines(struct tui *t, struct tui_lines *l, int width, const char *text)
{
    lines_add_wrapped(t, l, A_NORMAL, width, 0, text);
}

static void draw_dialog(struct tui *t, WINDOW *w, const char *text, const char *keys)
{
    int wd = t->cols - 8 > 64 ? 64 : t->cols - 4;
    struct tui_lines l = { 0 };
    wrap_lines(t, &l, wd - 4, text);
    int h = (int)l.n + 4;
    int maxy = getmaxy(w);
    int y = (maxy - h) / 2, x = (t->cols - wd) / 2;
    if (y < 0)
        y = 0;
    for (int r = 0; r < h && y + r < maxy; r++)
        draw_text(t, w, y + r, x, wd, A_NORMAL, true, "");
    draw_hline(t, w, y, x, wd);
    draw_hline(t, w, y + h - 1, x, wd);
    for (size_t i = 0; i < l.n; i++)
        draw_text(t, w, y + 1 + (int)i, x + 2, wd - 4, A_NORMAL, false, l.v[i].text);
    draw_text(t, w, y + h - 2, x + 2, wd - 4, A_BOLD, false, keys);
    lines_clear(&l);
}

static void draw_both(struct tui *t, WINDOW *w, struct form *fm)
{
    int h = getmaxy(w) - 1;
    int max = (int)fm->both.n > h ? (int)fm->both.n - h : 0;
    if (fm->both_top > max)
        fm->both_top = max;
    for (int r = 0; r < h && (size_t)(fm->both_top + r) < fm->both.n; r++)
        draw_text(t, w, 1 + r, 1, t->cols - 2, fm->both.v[fm->both_top + r].attr, false,
                  fm->both.v[fm->both_top + r].text);
}

void form_draw(struct tui *t)
{
    struct form *fm = t->form;
    int h = t->rows - 2;
    if (!t->formwin)
        t->formwin = newwin(h, t->cols, 1, 0);
    WINDOW *w = t->formwin;
    if (!w)
        return;
    leaveok(w, TRUE);
    werase(w);
    draw_hline(t, w, 0, 0, t->cols);
    char head[300];
    snprintf(head, sizeof head, " %s ", fm->title);
    draw_text(t, w, 0, 1, t->cols - 2, A_BOLD, false, head);
    if (fm->mode == FM_BOTH || fm->mode == FM_RESULT) {
        draw_both(t, w, fm);
        wnoutrefresh(w);
        return;
    }
    int body = body_rows(t);
    int cy = fm->f[fm->cur].y;
    /* Keep the current field, and a rating row's neighbours, in view. */
    if (cy < fm->top)
        fm->top = cy > 1 ? cy - 1 : 0;
    if (cy >= fm->top + body - 1)
        fm->top = cy - body + 2;
    if (fm->top < 0)
        fm->top = 0;
    for (int i = 0; i < fm->nlabels; i++) {
        int y = fm->labels[i].y - fm->top + 1;
        if (y >= 1 && y <= body)
            draw_text(t, w, y, fm->labels[i].x, t->cols - fm->labels[i].x,
                      fm->labels[i].attr, false, fm->labels[i].s);
    }
    int last_row = -1;
    for (int i = 0; i < fm->n; i++) {
        int y = fm->f[i].y - fm->top + 1;
        if (y < 1 || y > body || fm->f[i].kind == FK_HIDDEN)
            continue;
        draw_field(t, w, fm, i, y);
        if (fm->f[i].row && fm->f[i].row != last_row) {
            last_row = fm->f[i].row;
            draw_row_extras(t, w, fm, last_row, y);
        }
    }
    if (fm->mode == FM_EDIT && is_pick(&fm->f[fm->cur]))
        draw_popup(t, w, fm, cy - fm->top + 1);
    switch (fm->mode) {
    case FM_ASK_CANCEL:
        draw_dialog(t, w, _("Discard what you typed in this form?"),
                    _("y discard   n keep editing"));
        break;
    case FM_ASK_QUIT:
        draw_dialog(t, w, _("Quit fitcase and discard what you typed in this form?"),
                    _("y quit   n keep editing"));
        break;
    case FM_ASK_EXCLUSION:
        draw_dialog(t, w, fm->ask, _("y save anyway   n back to the form"));
        break;
    case FM_CONFLICT:
        draw_dialog(t, w, fm->kind == FORM_MEETING
                              ? _("Someone else changed this meeting after you opened the form. "
                                  "Nothing was saved.")
                              : _("Someone else saved this case after you opened the form. "
                                  "Nothing was saved."),
                    _("r reload theirs   b show both   Esc back"));
        break;
    case FM_OFFER_DRAFT:
        draw_dialog(t, w, fm->ask, _("Enter continue   d discard   Esc later"));
        break;
    case FM_ASK_DELETE:
        draw_dialog(t, w, fm->ask, _("y delete   n keep it"));
        break;
    default:
        break;
    }
    wnoutrefresh(w);
}

void form_status(struct tui *t, WINDOW *w)
{
    struct form *fm = t->form;
    const char *s;
    if (t->message[0])
        s = t->message;
    else if (fm->mode == FM_BOTH)
        s = _("o save yours over theirs   r reload theirs   Esc back to your form");
    else if (fm->mode == FM_RESULT)
        s = _("Up/Down, PgUp/PgDn scroll   Enter or Esc closes");
    else if (fm->mode != FM_EDIT)
        s = "";
    else if (fm->f[fm->cur].err[0])
        s = fm->f[fm->cur].err;
    else if (is_pick(&fm->f[fm->cur]))
        s = _("Type to filter, Up/Down choose, Tab take   C-s save   Esc cancel");
    else if (fm->f[fm->cur].row)
        s = _("Tab next   S-Tab back   C-x empties the row   C-s save   Esc cancel");
    else
        s = _("Tab next   S-Tab back   Enter on the last field or C-s saves   Esc cancel");
    draw_text(t, w, 0, 0, t->cols, A_NORMAL, false, s);
}
