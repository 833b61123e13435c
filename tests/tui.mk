## tests: tui. Screen tests run the interface headless (FITCASE_SCRIPT) on a
## fixed fixture store and compare screen dumps with tests/tui/expected;
## the tmux tests drive a real pty and measure the bytes written.
check_PROGRAMS += tests/tui/fixture tests/check_tui_lineedit tests/check_tui_draft
TESTS += tests/check_tui_lineedit tests/check_tui_draft
tests_check_tui_lineedit_SOURCES = tests/check_tui_lineedit.c
tests_check_tui_lineedit_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_tui_lineedit_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
tests_check_tui_draft_SOURCES = tests/check_tui_draft.c
tests_check_tui_draft_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_tui_draft_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
tests_tui_fixture_SOURCES = tests/tui/fixture.c
tests_tui_fixture_LDADD = $(FITCASE_LIBS)

TUI_TESTS = \
	tests/tui/screen_list.sh \
	tests/tui/screen_search.sh \
	tests/tui/screen_search_letters.sh \
	tests/tui/screen_case.sh \
	tests/tui/screen_resize.sh \
	tests/tui/screen_ascii.sh \
	tests/tui/screen_help.sh \
	tests/tui/screen_poll.sh \
	tests/tui/screen_demo.sh \
	tests/tui/screen_forms.sh \
	tests/tui/screen_refuse.sh \
	tests/tui/screen_conflict.sh \
	tests/tui/screen_hangup.sh \
	tests/tui/screen_audit_open.sh \
	tests/tui/screen_meeting_edit.sh \
	tests/tui/screen_import.sh \
	tests/tui/screen_edit_records.sh \
	tests/tui/screen_danish.sh \
	tests/tui/screen_scales.sh \
	tests/tui/screen_leader.sh \
	tests/tui/screen_filter_default.sh \
	tests/tui/tmux_smoke.sh \
	tests/tui/tmux_bytes.sh \
	tests/tui/tmux_leader.sh
TESTS += $(TUI_TESTS)
# Listed rather than the whole directory: an in-tree build leaves objects
# and logs in tests/tui that must not ship.
EXTRA_DIST += $(TUI_TESTS) tests/tui/lib.sh tests/tui/keys tests/tui/expected
