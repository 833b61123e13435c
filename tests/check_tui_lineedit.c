/* The line editor: UTF-8 by character, the emacs keys, limits. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../src/tui/lineedit.h"
#include "../src/tui/tui.h"
#include "suite_run.h"

static struct ledit ed;

static void type(const char *keys)
{
    bool changed;
    /* ASCII keys, or "\xc3\xb8"-style UTF-8 decoded to one code point. */
    const unsigned char *p = (const unsigned char *)keys;
    while (*p) {
        unsigned c = *p;
        int n = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
        if (n)
            c &= 0x3f >> n;
        for (int i = 1; i <= n; i++)
            c = c << 6 | (p[i] & 0x3f);
        ledit_key(&ed, (int)c, &changed);
        p += n + 1;
    }
}

static void key(int k)
{
    bool changed;
    ck_assert(ledit_key(&ed, k, &changed));
}

static void setup(void)
{
    memset(&ed, 0, sizeof ed);
}

START_TEST(typing_and_utf8)
{
    type("Søren");
    ck_assert_str_eq(ed.buf, "Søren");
    ck_assert_uint_eq(ed.len, 6);
    key(TK_FN(KEY_LEFT));
    key(TK_FN(KEY_LEFT));
    key(TK_FN(KEY_LEFT));
    key(TK_FN(KEY_LEFT));   /* before ø: one character, two bytes */
    ck_assert_uint_eq(ed.cur, 1);
    key(TK_FN(KEY_DC));
    ck_assert_str_eq(ed.buf, "Sren");
    type("ø");
    ck_assert_str_eq(ed.buf, "Søren");
    key(TK_FN(KEY_END));
    key(TK_FN(KEY_BACKSPACE));
    ck_assert_str_eq(ed.buf, "Søre");
    key(TK_FN(KEY_HOME));
    key(TK_FN(KEY_RIGHT));
    key(TK_FN(KEY_RIGHT));
    ck_assert_uint_eq(ed.cur, 3);
    key(127);               /* BS as the terminal sends it */
    ck_assert_str_eq(ed.buf, "Sre");
}
END_TEST

START_TEST(emacs_keys)
{
    type("Mette Kjærgaard lærer");
    key(TK_CTRL('w'));
    ck_assert_str_eq(ed.buf, "Mette Kjærgaard ");
    key(TK_CTRL('w'));
    ck_assert_str_eq(ed.buf, "Mette ");
    key(TK_CTRL('a'));
    ck_assert_uint_eq(ed.cur, 0);
    type("> ");
    ck_assert_str_eq(ed.buf, "> Mette ");
    key(TK_CTRL('e'));
    ck_assert_uint_eq(ed.cur, ed.len);
    key(TK_FN(KEY_LEFT));
    key(TK_CTRL('u'));
    ck_assert_str_eq(ed.buf, " ");
    ck_assert_uint_eq(ed.cur, 0);
    type("x");
    key(TK_CTRL('k'));
    ck_assert_str_eq(ed.buf, "x");
}
END_TEST

START_TEST(edges_and_limits)
{
    key(TK_FN(KEY_BACKSPACE));
    key(TK_FN(KEY_DC));
    key(TK_FN(KEY_LEFT));
    key(TK_CTRL('w'));
    ck_assert_str_eq(ed.buf, "");
    bool changed;
    ck_assert(!ledit_key(&ed, '\t', &changed));
    ck_assert(!ledit_key(&ed, TK_FN(KEY_F(1)), &changed));
    ed.cap = 6;             /* five bytes and the NUL */
    type("abcæø");
    ck_assert_str_eq(ed.buf, "abcæ");   /* ø does not fit whole */
    ledit_set(&ed, "æææ");
    ck_assert_str_eq(ed.buf, "ææ");     /* cut at a character */
    ck_assert_uint_eq(ed.cur, 4);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tui_lineedit");
    TCase *tc = tcase_create("lineedit");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, typing_and_utf8);
    tcase_add_test(tc, emacs_keys);
    tcase_add_test(tc, edges_and_limits);
    suite_add_tcase(s, tc);
    return check_run(s, CK_NORMAL);
}
