/* The line editor: a byte buffer edited a character at a time. */
#include <config.h>

#include <string.h>

#include "lineedit.h"
#include "tui.h"

static size_t cap_of(const struct ledit *e)
{
    return e->cap && e->cap <= LEDIT_MAX ? e->cap : LEDIT_MAX;
}

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t prev_char(const struct ledit *e, size_t at)
{
    if (at == 0)
        return 0;
    at--;
    while (at > 0 && is_cont(e->buf[at]))
        at--;
    return at;
}

static size_t next_char(const struct ledit *e, size_t at)
{
    if (at >= e->len)
        return e->len;
    at++;
    while (at < e->len && is_cont(e->buf[at]))
        at++;
    return at;
}

void ledit_set(struct ledit *e, const char *s)
{
    size_t cap = cap_of(e), n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && is_cont(s[n]))
            n--;
    }
    memmove(e->buf, s, n);
    e->buf[n] = '\0';
    e->len = e->cur = n;
}

static void cut(struct ledit *e, size_t from, size_t to)
{
    memmove(e->buf + from, e->buf + to, e->len - to + 1);
    e->len -= to - from;
    e->cur = from;
}

bool ledit_insert(struct ledit *e, unsigned c)
{
    char enc[4];
    size_t n;
    if (c < 0x80) {
        enc[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        enc[0] = (char)(0xc0 | c >> 6);
        enc[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        enc[0] = (char)(0xe0 | c >> 12);
        enc[1] = (char)(0x80 | (c >> 6 & 0x3f));
        enc[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        enc[0] = (char)(0xf0 | c >> 18);
        enc[1] = (char)(0x80 | (c >> 12 & 0x3f));
        enc[2] = (char)(0x80 | (c >> 6 & 0x3f));
        enc[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    if (e->len + n >= cap_of(e))
        return false;
    memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
    memcpy(e->buf + e->cur, enc, n);
    e->len += n;
    e->cur += n;
    return true;
}

/* Ctrl-W: blanks before the cursor, then the word. */
static size_t word_start(const struct ledit *e)
{
    size_t at = e->cur;
    while (at > 0 && e->buf[at - 1] == ' ')
        at--;
    while (at > 0 && e->buf[at - 1] != ' ')
        at--;
    return at;
}

bool ledit_key(struct ledit *e, int key, bool *changed)
{
    size_t len = e->len;
    *changed = false;
    if (e->cur > e->len)
        e->cur = e->len;
    switch (key) {
    case TK_FN(KEY_HOME): case TK_CTRL('a'):
        e->cur = 0;
        return true;
    case TK_FN(KEY_END): case TK_CTRL('e'):
        e->cur = e->len;
        return true;
    case TK_FN(KEY_LEFT): case TK_CTRL('b'):
        e->cur = prev_char(e, e->cur);
        return true;
    case TK_FN(KEY_RIGHT): case TK_CTRL('f'):
        e->cur = next_char(e, e->cur);
        return true;
    case TK_FN(KEY_BACKSPACE): case 127: case TK_CTRL('h'):
        cut(e, prev_char(e, e->cur), e->cur);
        break;
    case TK_FN(KEY_DC): case TK_CTRL('d'):
        cut(e, e->cur, next_char(e, e->cur));
        break;
    case TK_CTRL('u'):
        cut(e, 0, e->cur);
        break;
    case TK_CTRL('k'):
        cut(e, e->cur, e->len);
        break;
    case TK_CTRL('w'):
        cut(e, word_start(e), e->cur);
        break;
    default:
        if (key < 32 || key == 127 || key >= 0x110000 || (key >= 0xd800 && key < 0xe000))
            return false;
        ledit_insert(e, (unsigned)key);
        *changed = true;
        return true;
    }
    *changed = e->len != len;
    return true;
}
