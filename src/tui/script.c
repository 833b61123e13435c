/* Headless mode for tests (after tig): keystrokes come from a script file
 * and curses renders into memory (a terminal on /dev/null); `:dump FILE`
 * writes the virtual screen as text.
 *
 * Script lines:  text and <Key> names (<Down> <Enter> <Esc> <C-g> <Tab>
 * <S-Tab> <PgDn> <BS> <lt> ...), one or many keys to a line;  `:dump FILE`,
 * `:dump-attrs FILE` (R reverse, B bold, U underline per cell),
 * `:resize WxH`, `:poll` (look for other users' changes now), `:hangup`
 * (SIGHUP to itself, as when the link drops);  `#` comments. */
#include <config.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "tui.h"

struct script {
    FILE *f;
    char path[4096];
    int lineno;
    int keys[512];
    size_t n, pos;
};

int script_open(struct tui *t, const char *path, struct fc_err *err)
{
    struct script *s = calloc(1, sizeof *s);
    if (!s || !(s->f = fopen(path, "r"))) {
        free(s);
        err->code = FC_EINVAL;
        snprintf(err->msg, sizeof err->msg, "cannot read the key script %s", path);
        return err->code;
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    t->script = s;
    return FC_OK;
}

void script_close(struct tui *t)
{
    if (t->script) {
        fclose(t->script->f);
        free(t->script);
        t->script = NULL;
    }
}

static const struct { const char *name; int key; } key_names[] = {
    { "Up", TK_FN(KEY_UP) },       { "Down", TK_FN(KEY_DOWN) },
    { "Left", TK_FN(KEY_LEFT) },   { "Right", TK_FN(KEY_RIGHT) },
    { "PgUp", TK_FN(KEY_PPAGE) },  { "PgDn", TK_FN(KEY_NPAGE) },
    { "Home", TK_FN(KEY_HOME) },   { "End", TK_FN(KEY_END) },
    { "S-Tab", TK_FN(KEY_BTAB) },  { "BS", TK_FN(KEY_BACKSPACE) },
    { "Del", TK_FN(KEY_DC) },      { "Enter", '\r' },
    { "Esc", TK_ESC },             { "Tab", '\t' },
    { "Space", ' ' },              { "lt", '<' },
};

static int named_key(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (strlen(key_names[i].name) == len && strncmp(key_names[i].name, name, len) == 0)
            return key_names[i].key;
    if (len == 3 && name[0] == 'C' && name[1] == '-')
        return TK_CTRL(name[2]);
    if (len >= 2 && len <= 3 && name[0] == 'F') {
        int n = atoi(name + 1);
        if (n >= 1 && n <= 12)
            return TK_FN(KEY_F(n));
    }
    return 0;
}

static void parse_keys(struct script *s, const char *line)
{
    s->n = s->pos = 0;
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    const char *p = line;
    while (*p && s->n < sizeof s->keys / sizeof s->keys[0]) {
        const char *close = *p == '<' ? strchr(p, '>') : NULL;
        int key = close ? named_key(p + 1, (size_t)(close - p - 1)) : 0;
        if (key) {
            s->keys[s->n++] = key;
            p = close + 1;
            continue;
        }
        /* Plain text, UTF-8 whatever the locale. */
        const unsigned char *u = (const unsigned char *)p;
        int len = u[0] < 0x80 ? 1 : u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
        uint32_t c = len == 1 ? u[0] : u[0] & (0x7f >> len);
        for (int i = 1; i < len && u[i]; i++)
            c = c << 6 | (u[i] & 0x3f);
        s->keys[s->n++] = (int)c;
        p += len;
        while (*p && ((unsigned char)*p & 0xc0) == 0x80)
            p++;
    }
}

static void command(struct tui *t, struct script *s, char *line)
{
    char *arg = strchr(line, ' ');
    if (arg)
        *arg++ = '\0';
    int w, h;
    if (strcmp(line, ":dump") == 0 && arg) {
        tui_dump(t, arg, false);
    } else if (strcmp(line, ":dump-attrs") == 0 && arg) {
        tui_dump(t, arg, true);
    } else if (strcmp(line, ":resize") == 0 && arg && sscanf(arg, "%dx%d", &w, &h) == 2) {
        resize_term(h, w);
        s->keys[0] = TK_RESIZE;
        s->n = 1;
        s->pos = 0;
    } else if (strcmp(line, ":hangup") == 0) {
        /* As when the SSH link drops: a real signal to this process. */
        kill(getpid(), SIGHUP);
    } else if (strcmp(line, ":poll") == 0) {
        tui_poll(t);
        tui_update(t);
    } else {
        fprintf(stderr, "%s:%d: unknown script command %s\n", s->path, s->lineno, line);
    }
}

int script_next_key(struct tui *t)
{
    struct script *s = t->script;
    char line[4096];
    while (s->pos >= s->n) {
        if (!fgets(line, sizeof line, s->f))
            return -2;
        s->lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        s->n = s->pos = 0;
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (line[0] == ':')
            command(t, s, line);
        else
            parse_keys(s, line);
    }
    return s->keys[s->pos++];
}

static size_t put_utf8(char *out, wchar_t c)
{
    uint32_t u = (uint32_t)c;
    if (u < 0x80) {
        out[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        out[0] = (char)(0xc0 | u >> 6);
        out[1] = (char)(0x80 | (u & 0x3f));
        return 2;
    }
    if (u < 0x10000) {
        out[0] = (char)(0xe0 | u >> 12);
        out[1] = (char)(0x80 | (u >> 6 & 0x3f));
        out[2] = (char)(0x80 | (u & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | u >> 18);
    out[1] = (char)(0x80 | (u >> 12 & 0x3f));
    out[2] = (char)(0x80 | (u >> 6 & 0x3f));
    out[3] = (char)(0x80 | (u & 0x3f));
    return 4;
}

/* Line drawing (the alternate character set) as the plain characters a
 * reader of the dump expects. */
static wchar_t acs_plain(wchar_t c)
{
    switch (c) {
    case 'q': return '-';
    case 'x': return '|';
    default:  return '+';
    }
}

/* The screen as curses believes the terminal shows it (curscr). */
int tui_dump(struct tui *t, const char *path, bool attrs)
{
    (void)t;
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rows, cols;
    getmaxyx(curscr, rows, cols);
    char *line = cols > 0 ? malloc((size_t)cols * 16 + 2) : NULL;
    for (int y = 0; line && y < rows; y++) {
        size_t len = 0, end = 0;
        for (int x = 0; x < cols; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1] = { 0 };
            attr_t a = 0;
            short pair = 0;
            mvwin_wch(curscr, y, x, &cc);
            getcchar(&cc, wch, &a, &pair, NULL);
            if (attrs) {
                line[len++] = a & A_REVERSE ? 'R' : a & A_BOLD ? 'B' : a & A_UNDERLINE ? 'U' : ' ';
            } else if (a & A_ALTCHARSET) {
                len += put_utf8(line + len, acs_plain(wch[0]));
            } else {
                for (int k = 0; k < CCHARW_MAX && wch[k]; k++)
                    len += put_utf8(line + len, wch[k]);
                if (!wch[0])
                    line[len++] = ' ';
                if (wch[0] && wcwidth(wch[0]) == 2)
                    x++;
            }
            if (line[len - 1] != ' ')
                end = len;
        }
        fwrite(line, 1, end, f);
        fputc('\n', f);
    }
    free(line);
    return fclose(f) == 0 ? 0 : -1;
}
