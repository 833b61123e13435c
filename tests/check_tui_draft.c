/* Drafts: what a form held survives format and parse byte for byte;
 * damaged text is refused, never half-read. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/draft.h"
#include "suite_run.h"

START_TEST(round_trip)
{
    struct fc_draft d = { 0 }, back = { 0 };
    struct fc_err err = { 0 };
    snprintf(d.form, sizeof d.form, "meeting");
    snprintf(d.store, sizeof d.store, "/srv/fitcase db");
    d.case_id = 4000000000u;
    d.version = 7;
    d.current = 12;
    ck_assert(fc_draft_set(&d, "date", "20-11-2026"));
    ck_assert(fc_draft_set(&d, "notes", "Line one\nline two \\n not a newline\r\n"));
    ck_assert(fc_draft_set(&d, "participants", "Mor, Lærer Hanne, 林美"));
    ck_assert(fc_draft_set(&d, "ors1.i1", ""));
    ck_assert(fc_draft_set(&d, "date", "21-11-2026"));   /* replaces */
    ck_assert_uint_eq(d.n, 4);
    char *text;
    size_t len;
    ck_assert_int_eq(fc_draft_format(&d, &text, &len, &err), FC_OK);
    ck_assert_int_eq(fc_draft_parse(text, len, &back, &err), FC_OK);
    ck_assert_str_eq(back.form, "meeting");
    ck_assert_str_eq(back.store, "/srv/fitcase db");
    ck_assert_uint_eq(back.case_id, 4000000000u);
    ck_assert_uint_eq(back.version, 7);
    ck_assert_int_eq(back.current, 12);
    ck_assert_uint_eq(back.n, d.n);
    for (size_t i = 0; i < d.n; i++)
        ck_assert_str_eq(fc_draft_get(&back, d.fields[i].key), d.fields[i].value);
    ck_assert_str_eq(fc_draft_get(&back, "date"), "21-11-2026");
    ck_assert_ptr_null(fc_draft_get(&back, "nothing"));
    free(text);
    fc_draft_free(&d);
    fc_draft_free(&back);
}
END_TEST

START_TEST(refuses_damage)
{
    static const char *const bad[] = {
        "",
        "not a draft\n",
        "fitcase-draft 2\n",
        "fitcase-draft 1\nform meeting\nfield notes bad \\q escape\n",
        "fitcase-draft 1\ncase -1\n",
        "fitcase-draft 1\nversion 99999999999\n",
        "fitcase-draft 1\nsurprise 1\n",
        "fitcase-draft 1\nfield\n",
        "fitcase-draft 1\nnotes trailing \\",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fc_draft d = { 0 };
        struct fc_err err = { 0 };
        ck_assert_msg(fc_draft_parse(bad[i], strlen(bad[i]), &d, &err) == FC_EINVAL,
                      "accepted: %s", bad[i]);
        ck_assert(strstr(err.msg, "draft line") != NULL);
        fc_draft_free(&d);
    }
}
END_TEST

START_TEST(refuses_bad_keys)
{
    struct fc_draft d = { 0 };
    struct fc_err err = { 0 };
    char *text = NULL;
    size_t len;
    ck_assert(fc_draft_set(&d, "two words", "x"));
    ck_assert_int_eq(fc_draft_format(&d, &text, &len, &err), FC_EINVAL);
    ck_assert_ptr_null(text);
    fc_draft_free(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tui_draft");
    TCase *tc = tcase_create("draft");
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, refuses_damage);
    tcase_add_test(tc, refuses_bad_keys);
    suite_add_tcase(s, tc);
    return check_run(s, CK_NORMAL);
}
