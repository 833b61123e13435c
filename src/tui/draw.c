/* Text on windows by display columns: UTF-8 decoded by hand (the store is
 * UTF-8 whatever the locale), wide characters counted as two columns, and
 * a plain-ASCII rendering when the locale is not UTF-8. */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui.h"

/* Decodes one code point; bad bytes read as U+FFFD one byte at a time. */
static uint32_t utf8_next(const char **ps)
{
    const unsigned char *s = (const unsigned char *)*ps;
    uint32_t c = s[0];
    int n = c < 0x80 ? 0 : c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;
    if (n < 0 || (c >= 0xe0 && n == 1)) {
        *ps += 1;
        return 0xfffd;
    }
    if (n > 0)
        c &= 0x3f >> n;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *ps += 1;
            return 0xfffd;
        }
        c = c << 6 | (s[i] & 0x3f);
    }
    *ps += n + 1;
    return c;
}

/* ASCII for Latin-1 letters, matching how fc_fold reads them (ø as o). */
static const char *const latin1[64] = {
    "A", "A", "A", "A", "A", "Aa", "Ae", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O", "x", "O", "U", "U", "U", "U", "Y", "Th", "ss",
    "a", "a", "a", "a", "a", "aa", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "/", "o", "u", "u", "u", "u", "y", "th", "y",
};

static const char *ascii_for(uint32_t c, char one[2])
{
    if (c >= 0x20 && c < 0x7f) {
        one[0] = (char)c;
        one[1] = '\0';
        return one;
    }
    if (c >= 0xc0 && c <= 0xff)
        return latin1[c - 0xc0];
    switch (c) {
    case 0x2013: case 0x2014: case 0x2212: return "-";
    case 0x2018: case 0x2019: return "'";
    case 0x201c: case 0x201d: return "\"";
    case 0x2026: return "...";
    case 0xa0: case '\t': case '\n': case '\r': return " ";
    default: return c < 0x20 || (c >= 0x300 && c < 0x370) ? "" : "?";
    }
}

static int cp_width(uint32_t c)
{
    if (c < 0x20 || c == 0x7f)
        return 1;                    /* shown as a blank */
    int w = wcwidth((wchar_t)c);
    return w < 0 ? 1 : w;
}

int text_width(const struct tui *t, const char *s)
{
    int cols = 0;
    char one[2];
    while (*s) {
        uint32_t c = utf8_next(&s);
        cols += t->utf8 ? cp_width(c) : (int)strlen(ascii_for(c, one));
    }
    return cols;
}

static void pad_to(WINDOW *w, int n)
{
    static const char blanks[] = "                                ";
    while (n > 0) {
        int k = n < (int)sizeof blanks - 1 ? n : (int)sizeof blanks - 1;
        waddnstr(w, blanks, k);
        n -= k;
    }
}

static int draw_wide(WINDOW *w, int width, const char *s)
{
    wchar_t buf[512];
    int n = 0, cols = 0;
    bool cut = false;
    const char *p = s;
    while (*p && n < (int)(sizeof buf / sizeof buf[0]) - 2) {
        uint32_t c = utf8_next(&p);
        int cw = cp_width(c);
        if (cols + cw > width) {
            cut = true;
            break;
        }
        if (c < 0x20 || c == 0x7f)
            c = ' ';
        if (cw < 0 || wcwidth((wchar_t)c) < 0)
            c = '?';
        buf[n++] = (wchar_t)c;
        cols += cw;
    }
    if (cut && width > 0) {
        /* Room for the ellipsis: drop characters until one column is free. */
        while (n > 0 && cols + 1 > width)
            cols -= cp_width((uint32_t)buf[--n]);
        while (n > 0 && wcwidth(buf[n - 1]) == 0)
            n--;
        buf[n++] = 0x2026;
        cols++;
    }
    if (n > 0)
        waddnwstr(w, buf, n);
    return cols;
}

static int draw_ascii(WINDOW *w, int width, const char *s)
{
    char buf[1024];
    size_t n = 0;
    char one[2];
    const char *p = s;
    while (*p && n < sizeof buf - 4) {
        const char *a = ascii_for(utf8_next(&p), one);
        size_t k = strlen(a);
        if ((int)(n + k) > width) {
            while (n > 0 && (int)n + 1 > width)
                n--;
            buf[n++] = '~';
            break;
        }
        memcpy(buf + n, a, k);
        n += k;
    }
    if (n > 0)
        waddnstr(w, buf, (int)n);
    return (int)n;
}

int draw_text(struct tui *t, WINDOW *w, int y, int x, int width, attr_t a,
              bool pad, const char *s)
{
    if (width <= 0)
        return 0;
    wmove(w, y, x);
    wattrset(w, a);
    int cols = t->utf8 ? draw_wide(w, width, s) : draw_ascii(w, width, s);
    if (pad && cols < width) {
        pad_to(w, width - cols);
        cols = width;
    }
    wattrset(w, A_NORMAL);
    return cols;
}

void draw_hline(struct tui *t, WINDOW *w, int y, int x, int n)
{
    (void)t;
    wattrset(w, A_NORMAL);
    mvwhline(w, y, x, ACS_HLINE, n);
}

void draw_vline(struct tui *t, WINDOW *w, int y, int x, int n)
{
    (void)t;
    wattrset(w, A_NORMAL);
    mvwvline(w, y, x, ACS_VLINE, n);
}

attr_t attr_alert(const struct tui *t)
{
    return t->color ? COLOR_PAIR(1) : A_NORMAL;
}

/* ---- text lines ---------------------------------------------------------- */

void lines_clear(struct tui_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].text);
    free(l->v);
    *l = (struct tui_lines){ 0 };
}

static void lines_push(struct tui_lines *l, attr_t attr, char *text)
{
    if (!text)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        struct tui_line *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            free(text);
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct tui_line){ text, attr };
}

void lines_add(struct tui_lines *l, attr_t attr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    lines_push(l, attr, n < 0 ? NULL : s);
}

void lines_add_wrapped(const struct tui *t, struct tui_lines *l, attr_t attr,
                       int width, int indent, const char *text)
{
    size_t cap = strlen(text) + (size_t)indent + 2;
    char *line = malloc(cap * 2 + 64);
    if (!line)
        return;
    size_t len = 0;
    int col = 0;
    bool empty = true;            /* no word on this line yet */
    const char *p = text;
    while (*p) {
        if (*p == '\n') {
            line[len] = '\0';
            lines_push(l, attr, strdup(line));
            len = (size_t)indent;
            memset(line, ' ', len);
            col = indent;
            empty = true;
            p++;
            continue;
        }
        /* Blanks are kept as written (columns line up), except where a
         * line breaks. */
        size_t sp = strspn(p, " ");
        const char *word = p + sp;
        size_t wl = strcspn(word, " \n");
        if (wl == 0) {
            p = word;
            continue;
        }
        char buf[FC_TEXT_MAX];
        size_t k = wl < sizeof buf - 1 ? wl : sizeof buf - 1;
        memcpy(buf, word, k);
        buf[k] = '\0';
        int ww = text_width(t, buf);
        if (!empty && col + (int)sp + ww > width) {
            line[len] = '\0';
            lines_push(l, attr, strdup(line));
            len = (size_t)indent;
            memset(line, ' ', len);
            col = indent;
            sp = 0;
        }
        memset(line + len, ' ', sp);
        len += sp;
        memcpy(line + len, buf, k);
        len += k;
        col += (int)sp + ww;
        empty = false;
        p = word + wl;
    }
    if (!empty) {
        line[len] = '\0';
        lines_push(l, attr, strdup(line));
    }
    free(line);
}
