/* The chart renderer: chart data into a grid of cells. Layout from the top:
 * title, ORS area (0-40, cut-off line per meeting), an SRS band when there
 * is room, the x axis with meeting dates, the weekly absence strip, and
 * the legend. Pure: no curses, no store. */
#include <config.h>

#include <string.h>

#include "fitcase/chart.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/score.h"

/* ---- glyphs ------------------------------------------------------------- */

struct glyphs {
    uint32_t vline, hline, corner, tick, ytick, cutoff, expected, lower;
    uint32_t up, down, clinical;
    uint32_t marks[FC_RATER_COUNT];
    const char *spare;           /* for a second rater of the same kind */
    const char *absence;         /* 0..5 days absent in a week */
};

static const struct glyphs ascii = {
    '|', '-', '+', '+', '+', '-', '.', ':', '^', 'v', '!',
    { '*', 'o', 'x', 'g', '#', 'p', 'c', '+' },
    "%&@=$?", ".12345",
};

static const struct glyphs utf8 = {
    0x2502, 0x2500, 0x2514, 0x2534, 0x2524, 0x254C, 0x25E6, 0x00B7,
    0x2191, 0x2193, 0x2605,
    { 0x25CF, 0x25CB, 0x00D7, 0x25C7, 0x25A0, 0x25A1, 0x25C6, 0x25B3 },
    "%&@=$?", NULL,
};

static const uint32_t utf8_absence[6] = { 0x00B7, 0x2581, 0x2582, 0x2583, 0x2585, 0x2587 };

/* ---- grid helpers ------------------------------------------------------- */

static struct fc_cell *cell(struct fc_grid *g, int x, int y)
{
    if (x < 0 || y < 0 || x >= g->width || y >= g->height)
        return NULL;
    return &g->cells[(size_t)y * (size_t)g->width + (size_t)x];
}

static void put(struct fc_grid *g, int x, int y, uint32_t ch, int role, int series)
{
    struct fc_cell *c = cell(g, x, y);
    if (c)
        *c = (struct fc_cell){ ch, (uint8_t)role, (uint8_t)series };
}

static int role_at(struct fc_grid *g, int x, int y)
{
    struct fc_cell *c = cell(g, x, y);
    return c ? c->role : -1;
}

/* Decodes one UTF-8 character; bad bytes come out as '?'. */
static uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
            : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0) {
        *s += 1;
        return '?';
    }
    if (len > 1)
        c &= 0xFFu >> (len + 1);
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += i;
            return '?';
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    *s += len;
    return c;
}

static int text_width(const char *s)
{
    int n = 0;
    while (*s) {
        utf8_next(&s);
        n++;
    }
    return n;
}

/* Writes text from column x, at most max columns; returns columns used. */
static int put_text(struct fc_grid *g, int x, int y, const char *s, int max)
{
    int n = 0;
    while (*s && n < max) {
        uint32_t c = utf8_next(&s);
        put(g, x + n, y, c, FC_CELL_TEXT, 0);
        n++;
    }
    return n;
}

static size_t utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

size_t fc_grid_row_utf8(const struct fc_grid *g, int row, char *buf, size_t cap)
{
    size_t len = 0, keep = 0;
    if (cap == 0)
        return 0;
    for (int x = 0; row >= 0 && row < g->height && x < g->width; x++) {
        uint32_t c = g->cells[(size_t)row * (size_t)g->width + (size_t)x].ch;
        char tmp[4];
        size_t n = utf8_put(c ? c : ' ', tmp);
        if (len + n + 1 > cap)
            break;
        memcpy(buf + len, tmp, n);
        len += n;
        if (c != ' ' && c != 0)
            keep = len;
    }
    buf[keep] = '\0';
    return keep;
}

void fc_grid_print(const struct fc_grid *g, FILE *f)
{
    char buf[4 * 1024 + 1];
    for (int y = 0; y < g->height; y++) {
        fc_grid_row_utf8(g, y, buf, sizeof buf);
        fprintf(f, "%s\n", buf);
    }
}

/* ---- labels ------------------------------------------------------------- */

static const char *const rater_labels[FC_RATER_COUNT] = {
    N_("child"), N_("mother"), N_("father"), N_("guardian"), N_("teacher"),
    N_("pedagogue"), N_("caseworker"), N_("other"),
};

void fc_chart_who_label(const struct fc_chart *ch, int who, char *buf, size_t cap)
{
    if (who < 0 || who >= ch->nwho) {
        snprintf(buf, cap, "?");
        return;
    }
    const struct fc_chart_who *w = &ch->who[who];
    if (w->rater_name[0])
        snprintf(buf, cap, "%s", w->rater_name);
    else
        snprintf(buf, cap, "%s", w->rater < FC_RATER_COUNT ? _(rater_labels[w->rater]) : "?");
}

/* Each legend entry's mark: the rater's own, or a spare one when two
 * entries share a rater (two named teachers). */
static void assign_marks(const struct fc_chart *ch, const struct glyphs *gl, uint32_t *marks)
{
    int spare = 0;
    for (int w = 0; w < ch->nwho; w++) {
        uint32_t m = ch->who[w].rater < FC_RATER_COUNT ? gl->marks[ch->who[w].rater] : '?';
        for (int v = 0; v < w; v++)
            if (marks[v] == m) {
                m = gl->spare[spare] ? (uint32_t)(unsigned char)gl->spare[spare++] : '?';
                v = -1;
            }
        marks[w] = m;
    }
}

/* ---- layout ------------------------------------------------------------- */

struct area {
    int top, rows;               /* rows of the area in the grid */
    int lo, hi;                  /* value range, tenths */
    bool outcome;                /* ORS/CORS, else SRS/CSRS */
};

struct layout {
    int px0, px1;                /* plot columns */
    int first;                   /* first visible slot */
    int xs[FC_CHART_SLOTS];      /* column of each visible slot (index - first) */
    int nx;
    struct area ors, srs;        /* rows = 0: not drawn */
    int sep_row, axis_row, date_row, strip_row, legend_row, legend_rows, title_row;
};

static int value_row(const struct area *a, int v)
{
    if (v < a->lo)
        v = a->lo;
    if (v > a->hi)
        v = a->hi;
    int span = a->hi - a->lo;
    return a->top + ((a->hi - v) * (a->rows - 1) * 2 + span) / (2 * span);
}

static void place_slots(const struct fc_chart *ch, struct layout *L)
{
    int inner = L->px1 - L->px0 - 1;        /* one column of padding each side */
    int m = ch->nslots;
    L->first = m > inner ? m - inner : 0;
    L->nx = m - L->first;
    for (int j = 0; j < L->nx; j++)
        L->xs[j] = L->nx == 1 ? L->px0 + 1 + (inner - 1) / 2
                 : L->px0 + 1 + (j * (inner - 1) * 2 + (L->nx - 1)) / (2 * (L->nx - 1));
}

static int slot_x(const struct layout *L, int slot)
{
    int j = slot - L->first;
    return j >= 0 && j < L->nx ? L->xs[j] : -1;
}

/* ---- legend ------------------------------------------------------------- */

enum { LEGEND_TOKENS = 40, TOKEN_MAX = 200 };

struct legend {
    int n;
    char text[LEGEND_TOKENS][TOKEN_MAX];
    int who[LEGEND_TOKENS];      /* the entry whose mark starts the token, or -1 */
};

static void legend_add(struct legend *lg, int who, const char *text)
{
    if (lg->n < LEGEND_TOKENS) {
        snprintf(lg->text[lg->n], TOKEN_MAX, "%s", text);
        lg->who[lg->n++] = who;
    }
}

static bool has_scale(const struct fc_chart *ch, bool outcome)
{
    for (int i = 0; i < ch->nseries; i++)
        if (fc_scale_is_outcome(ch->series[i].scale) == outcome)
            return true;
    return false;
}

/* The classification an entry's latest outcome series ends with, as a
 * marker glyph (0 = none). */
static uint32_t who_mark(const struct fc_chart *ch, int who, const struct glyphs *gl)
{
    int last = -1;
    for (int i = 0; i < ch->nseries; i++)
        if (ch->series[i].who == who && fc_scale_is_outcome(ch->series[i].scale))
            last = i;
    if (last < 0)
        return 0;
    const struct fc_chart_series *cs = &ch->series[last];
    if (cs->clinically_significant)
        return gl->clinical;
    return cs->reliable == FC_CHANGE_IMPROVED ? gl->up
         : cs->reliable == FC_CHANGE_DETERIORATED ? gl->down : 0;
}

static void glyph_str(uint32_t c, char *buf)
{
    buf[utf8_put(c, buf)] = '\0';
}

static bool who_shown(const struct fc_chart *ch, int who, int view, bool srs_hidden)
{
    for (int i = 0; i < ch->nseries; i++) {
        bool outcome = fc_scale_is_outcome(ch->series[i].scale);
        if (ch->series[i].who == who
            && (view == FC_VIEW_SRS ? !outcome : outcome || !srs_hidden))
            return true;
    }
    return false;
}

static void build_legend(const struct fc_chart *ch, const struct glyphs *gl,
                         const uint32_t *marks, int view, bool srs_hidden, bool curve_drawn,
                         struct legend *lg)
{
    char tok[TOKEN_MAX], label[FC_NAME_MAX], m[5], k[5];
    bool any_mark = false, outcome = view != FC_VIEW_SRS;
    for (int w = 0; w < ch->nwho; w++) {
        if (!who_shown(ch, w, view, srs_hidden))
            continue;
        fc_chart_who_label(ch, w, label, sizeof label);
        glyph_str(marks[w], m);
        uint32_t cls = outcome ? who_mark(ch, w, gl) : 0;
        if (cls) {
            glyph_str(cls, k);
            snprintf(tok, sizeof tok, "%s %s %s", m, label, k);
            any_mark = true;
        } else {
            snprintf(tok, sizeof tok, "%s %s", m, label);
        }
        legend_add(lg, w, tok);
    }
    if (curve_drawn) {
        glyph_str(gl->expected, m);
        glyph_str(gl->lower, k);
        snprintf(tok, sizeof tok, _("%s expected (n=%d)  %s lower 25%%"), m,
                 ch->expected.cohort, k);
        legend_add(lg, -1, tok);
    } else if (ch->no_curve[0] && outcome) {
        legend_add(lg, -1, ch->no_curve);
    }
    for (int i = 0; i < ch->nseries && !any_mark && outcome; i++)
        any_mark = ch->series[i].mark != FC_MARK_NONE;
    if (any_mark) {
        char c[5];
        glyph_str(gl->up, m);
        glyph_str(gl->down, k);
        glyph_str(gl->clinical, c);
        snprintf(tok, sizeof tok, _("%s/%s reliable change  %s clinically significant"), m, k, c);
        legend_add(lg, -1, tok);
    }
    if (srs_hidden)
        legend_add(lg, -1, _("SRS not shown: too little room"));
    if (ch->nslots > 0) {
        snprintf(tok, sizeof tok, _("abs: days absent a week, %d in the 8 weeks before"),
                 ch->absent_before);
        legend_add(lg, -1, tok);
    }
}

/* Wraps tokens into lines of width w, two blanks apart; returns the line
 * count, and when draw is set writes at most rows lines from row y. */
static int legend_lines(struct fc_grid *g, const struct legend *lg, int y, int rows, bool draw,
                        const uint32_t *marks)
{
    int line = 0, x = 0, w = g->width;
    for (int t = 0; t < lg->n; t++) {
        int tw = text_width(lg->text[t]);
        if (x > 0 && x + 2 + tw > w) {
            line++;
            x = 0;
        }
        if (x > 0)
            x += 2;
        if (draw && line < rows) {
            put_text(g, x, y + line, lg->text[t], w - x);
            if (lg->who[t] >= 0)
                put(g, x, y + line, marks[lg->who[t]], FC_CELL_SERIES, lg->who[t]);
        }
        x += tw;
    }
    return lg->n ? line + 1 : 0;
}

/* ---- drawing the areas -------------------------------------------------- */

static void draw_area_axis(struct fc_grid *g, const struct area *a, const struct layout *L,
                           const struct glyphs *gl)
{
    static const int order[] = { 400, 0, 200, 100, 300 };
    for (int y = a->top; y < a->top + a->rows; y++)
        put(g, L->px0 - 1, y, gl->vline, FC_CELL_AXIS, 0);
    int labelled[64] = { 0 };
    int wanted[7], nw = 0;
    wanted[nw++] = a->hi;
    wanted[nw++] = a->lo;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (order[i] > a->lo && order[i] < a->hi)
            wanted[nw++] = order[i];
    for (int i = 0; i < nw; i++) {
        int y = value_row(a, wanted[i]);
        int r = y - a->top;
        if (r < 0 || r >= 64 || labelled[r])
            continue;
        /* a label's row must not touch another's, or the axis reads wrong */
        if ((r > 0 && labelled[r - 1]) || (r + 1 < 64 && labelled[r + 1]))
            continue;
        labelled[r] = 1;
        char buf[12];
        snprintf(buf, sizeof buf, "%2d", wanted[i] / 10);
        put_text(g, 0, y, buf, 2);
        put(g, L->px0 - 1, y, gl->ytick, FC_CELL_AXIS, 0);
    }
}

static int cutoff_at_column(const struct fc_chart *ch, const struct layout *L,
                            const struct area *a, int x)
{
    if (!a->outcome || L->nx == 0)
        return ch->srs_cutoff;
    int j = 0;
    while (j + 1 < L->nx && x >= L->xs[j + 1])
        j++;
    return ch->ors_cutoff[L->first + j];
}

static void draw_cutoff(struct fc_grid *g, const struct fc_chart *ch, const struct layout *L,
                        const struct area *a, const struct glyphs *gl)
{
    int prev = -1;
    if (a->outcome && L->nx == 0)
        return;                 /* no meeting, no age: no cut-off to show */
    for (int x = L->px0; x <= L->px1; x++) {
        int cut = cutoff_at_column(ch, L, a, x);
        put(g, x, value_row(a, cut), gl->cutoff, FC_CELL_CUTOFF, 0);
        if (cut != prev) {
            char buf[12];
            snprintf(buf, sizeof buf, "%2d", (cut + 5) / 10);
            put_text(g, g->width - 2, value_row(a, cut), buf, 2);
            prev = cut;
        }
    }
}

/* A line through points (x[i], v[i]) with glyph c, under the series. */
static void draw_curve(struct fc_grid *g, const struct area *a, const int *xs, const int *vs,
                       int n, uint32_t c, int role)
{
    for (int i = 0; i < n; i++) {
        int x0 = xs[i], x1 = i + 1 < n ? xs[i + 1] : xs[i];
        for (int x = x0; x <= x1; x++) {
            int v = x1 == x0 ? vs[i] : vs[i] + (vs[i + 1] - vs[i]) * (x - x0) / (x1 - x0);
            int y = value_row(a, v);
            int r = role_at(g, x, y);
            if (r == FC_CELL_BLANK || r == FC_CELL_CUTOFF || r == FC_CELL_LOWER)
                put(g, x, y, c, role, 0);
        }
    }
}

static void draw_expected(struct fc_grid *g, const struct fc_chart *ch, const struct layout *L,
                          const struct area *a, const struct glyphs *gl)
{
    if (ch->ref < 0 || ch->expected.n < 2 || !a->outcome)
        return;
    const struct fc_chart_series *cs = &ch->series[ch->ref];
    int xs[FC_COHORT_POINTS], med[FC_COHORT_POINTS], low[FC_COHORT_POINTS], n = 0;
    for (int k = 0; k < cs->n && k < ch->expected.n; k++) {
        int x = slot_x(L, cs->slot[k]);
        if (x < 0)
            continue;
        xs[n] = x;
        med[n] = ch->expected.median[k];
        low[n] = ch->expected.lower[k];
        n++;
    }
    draw_curve(g, a, xs, low, n, gl->lower, FC_CELL_LOWER);
    draw_curve(g, a, xs, med, n, gl->expected, FC_CELL_EXPECTED);
}

static void draw_series(struct fc_grid *g, const struct fc_chart *ch, const struct layout *L,
                        const struct area *a, const struct glyphs *gl, const uint32_t *marks)
{
    /* Backwards, so the child (the first entry) is drawn last, on top. */
    for (int i = ch->nseries - 1; i >= 0; i--) {
        const struct fc_chart_series *cs = &ch->series[i];
        if (fc_scale_is_outcome(cs->scale) != a->outcome)
            continue;
        for (int k = 0; k < cs->n; k++) {
            int x = slot_x(L, cs->slot[k]);
            if (x >= 0)
                put(g, x, value_row(a, cs->total[k]), marks[cs->who], FC_CELL_SERIES, cs->who);
        }
    }
    for (int i = 0; i < ch->nseries; i++) {
        const struct fc_chart_series *cs = &ch->series[i];
        if (fc_scale_is_outcome(cs->scale) != a->outcome || cs->reliable_at < 0)
            continue;
        int x = slot_x(L, cs->slot[cs->reliable_at]);
        if (x < 0)
            continue;
        int y = value_row(a, cs->total[cs->reliable_at]);
        bool down = cs->mark == FC_MARK_DOWN;
        int my = down ? y + 1 : y - 1;
        if (my < a->top || my >= a->top + a->rows || role_at(g, x, my) == FC_CELL_SERIES)
            continue;
        uint32_t c = cs->mark == FC_MARK_CLINICAL ? gl->clinical : down ? gl->down : gl->up;
        put(g, x, my, c, FC_CELL_MARKER, cs->who);
    }
}

static void draw_area(struct fc_grid *g, const struct fc_chart *ch, const struct layout *L,
                      const struct area *a, const struct glyphs *gl, const uint32_t *marks)
{
    draw_area_axis(g, a, L, gl);
    draw_cutoff(g, ch, L, a, gl);
    draw_expected(g, ch, L, a, gl);
    draw_series(g, ch, L, a, gl, marks);
}

/* ---- the x axis, dates and absence ------------------------------------ */

static void draw_axis(struct fc_grid *g, const struct fc_chart *ch, const struct layout *L,
                      const struct glyphs *gl)
{
    put(g, L->px0 - 1, L->axis_row, gl->corner, FC_CELL_AXIS, 0);
    for (int x = L->px0; x <= L->px1; x++)
        put(g, x, L->axis_row, gl->hline, FC_CELL_AXIS, 0);
    for (int j = 0; j < L->nx; j++)
        put(g, L->xs[j], L->axis_row, gl->tick, FC_CELL_AXIS, 0);
    if (L->nx == 0)
        return;
    /* Dates dd/mm under their tick where they fit: the last one first,
     * then from the left, one blank between labels. */
    int placed_end = -2, last_start;
    char buf[16];
    int d, m, y;
    int jl = L->nx - 1;
    last_start = L->xs[jl] - 2;
    if (last_start + 5 > g->width)
        last_start = g->width - 5;
    if (last_start < 0)
        last_start = 0;
    for (int j = 0; j < L->nx; j++) {
        int start = j == jl ? last_start : L->xs[j] - 2;
        if (start < 0)
            start = 0;
        if (j != jl && (start <= placed_end + 1 || start + 5 >= last_start))
            continue;
        fc_date_to_ymd(ch->slot_date[L->first + j], &y, &m, &d);
        snprintf(buf, sizeof buf, "%02d/%02d", d, m);
        put_text(g, start, L->date_row, buf, 5);
        placed_end = start + 4;
    }
}

static int absent_in_week(const struct fc_chart *ch, fc_date monday)
{
    int n = 0;
    for (int i = 0; i < ch->nabsent; i++)
        if (ch->absent[i] >= monday && ch->absent[i] < monday + 7)
            n++;
    return n > 5 ? 5 : n;
}

static void draw_strip(struct fc_grid *g, const struct fc_chart *ch, const struct layout *L,
                       const struct glyphs *gl, bool use_utf8)
{
    if (L->strip_row < 0 || L->nx == 0)
        return;
    put_text(g, 0, L->strip_row, _("abs"), 3);
    int x0 = L->xs[0], x1 = L->xs[L->nx - 1];
    for (int x = x0; x <= x1; x++) {
        int j = 0;
        while (j + 1 < L->nx && x >= L->xs[j + 1])
            j++;
        fc_date d = ch->slot_date[L->first + j];
        if (j + 1 < L->nx) {
            fc_date e = ch->slot_date[L->first + j + 1];
            d += (fc_date)((int64_t)(e - d) * (x - L->xs[j]) / (L->xs[j + 1] - L->xs[j]));
        }
        int days = absent_in_week(ch, d - fc_date_weekday(d));
        uint32_t c = use_utf8 ? utf8_absence[days] : (uint32_t)gl->absence[days];
        put(g, x, L->strip_row, c, FC_CELL_ABSENCE, 0);
    }
}

/* ---- the whole ---------------------------------------------------------- */

/* Gives an area the most rows that put every 10 points on a whole row
 * (so 30 and the cut-off 32 never share one); the rows left over stay
 * blank above it. */
static void fit_area(struct area *a, int top, int rows)
{
    int steps = (a->hi - a->lo) / 100;
    int k = (rows - 1) / steps;
    int fit = k > 0 ? k * steps + 1 : rows;
    a->top = top + rows - fit;
    a->rows = fit;
}

static void srs_range(const struct fc_chart *ch, struct area *a)
{
    int min = 400;
    for (int i = 0; i < ch->nseries; i++)
        if (!fc_scale_is_outcome(ch->series[i].scale))
            for (int k = 0; k < ch->series[i].n; k++)
                if (ch->series[i].total[k] < min)
                    min = ch->series[i].total[k];
    a->lo = min >= 300 ? 300 : min >= 200 ? 200 : (min / 100) * 100;
    a->hi = 400;
    a->outcome = false;
}

int fc_chart_render(const struct fc_chart *ch, const struct fc_chart_opts *o,
                    struct fc_grid *g)
{
    if (g->width < FC_CHART_MIN_WIDTH || g->height < FC_CHART_MIN_HEIGHT)
        return FC_EINVAL;
    const struct glyphs *gl = o->utf8 ? &utf8 : &ascii;
    for (size_t i = 0; i < (size_t)g->width * (size_t)g->height; i++)
        g->cells[i] = (struct fc_cell){ ' ', FC_CELL_BLANK, 0 };

    struct layout L = { .px0 = 3, .px1 = g->width - 4 };
    place_slots(ch, &L);
    uint32_t marks[FC_CHART_RATERS];
    assign_marks(ch, gl, marks);

    /* Rows: title, areas, axis, dates, strip, legend. The legend gets what
     * it needs up to a share of the height; the areas the rest. */
    int H = g->height;
    L.title_row = H >= 16 && ch->title[0] ? 0 : -1;
    int fixed = (L.title_row >= 0) + 2 + (ch->nslots > 0);
    bool want_srs = o->view == FC_VIEW_BOTH && has_scale(ch, false);
    bool band = want_srs && H - fixed - 4 >= 18;
    bool srs_hidden = want_srs && !band;
    bool curve = ch->ref >= 0 && ch->expected.n >= 2 && ch->series[ch->ref].n >= 2
                 && o->view != FC_VIEW_SRS;
    struct legend lg = { 0 };
    build_legend(ch, gl, marks, o->view, srs_hidden, curve, &lg);
    int need = legend_lines(g, &lg, 0, 0, false, marks);
    int max_legend = H >= 20 ? 5 : 2;
    L.legend_rows = need < max_legend ? need : max_legend;
    int plot = H - fixed - L.legend_rows;
    if (plot < 5) {
        L.legend_rows -= 5 - plot;
        plot = 5;
    }

    int y = L.title_row >= 0 ? 1 : 0;
    struct area *main_area = &L.ors;
    if (o->view == FC_VIEW_SRS) {
        main_area = &L.srs;
        srs_range(ch, &L.srs);
    } else {
        L.ors = (struct area){ .lo = 0, .hi = 400, .outcome = true };
    }
    if (band) {
        int brows = plot / 3 < 5 ? 5 : plot / 3;
        fit_area(&L.ors, y, plot - brows - 1);
        L.ors.top = y;          /* rows the ORS area leaves go to the band */
        L.sep_row = y + L.ors.rows;
        srs_range(ch, &L.srs);
        fit_area(&L.srs, L.sep_row + 1, plot - L.ors.rows - 1);
    } else {
        L.sep_row = -1;
        fit_area(main_area, y, plot);
    }
    L.axis_row = y + plot;
    L.date_row = L.axis_row + 1;
    L.strip_row = ch->nslots > 0 ? L.date_row + 1 : -1;
    L.legend_row = (L.strip_row >= 0 ? L.strip_row : L.date_row) + 1;

    if (L.title_row >= 0)
        put_text(g, 0, 0, ch->title, g->width);
    if (L.ors.rows)
        draw_area(g, ch, &L, &L.ors, gl, marks);
    if (L.srs.rows)
        draw_area(g, ch, &L, &L.srs, gl, marks);
    if (L.sep_row >= 0) {
        put(g, L.px0 - 1, L.sep_row, gl->vline, FC_CELL_AXIS, 0);
        put_text(g, L.px0 + 1, L.sep_row, "SRS", 3);
    }
    draw_axis(g, ch, &L, gl);
    draw_strip(g, ch, &L, gl, o->utf8);
    if (ch->nslots == 0) {
        const char *msg = _("no scores yet");
        int w = text_width(msg);
        put_text(g, L.px0 + (L.px1 - L.px0 + 1 - w) / 2, y + plot / 2, msg, L.px1 - L.px0 + 1);
    }
    legend_lines(g, &lg, L.legend_row, L.legend_rows, true, marks);
    return FC_OK;
}
