## tests for the command line
CLI_TESTS = tests/cli/cli_basic.sh tests/cli/samples.sh tests/cli/access.sh \
	tests/cli/crash_import.sh tests/cli/disk_full.sh tests/cli/setgid.sh \
	tests/cli/audit_lead.sh tests/cli/import_stdin.sh \
	tests/cli/setgid_store.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) tests/cli/lib.sh
EXTRA_DIST += samples/README samples/staff.csv samples/calendar.csv \
	samples/pupils.csv samples/cases.csv samples/meetings.csv \
	samples/ratings.csv samples/absence.csv

# A fitcase that reads its list of stores from fitcase-stores in the
# working directory, not from the configured file under /etc: the setgid
# tests install a copy of it beside the list they write (never installed).
check_PROGRAMS += tests/cli/fitcase-cwd
tests_cli_fitcase_cwd_SOURCES = src/cli/main.c
tests_cli_fitcase_cwd_CPPFLAGS = $(AM_CPPFLAGS) -DFITCASE_TEST_STORES_FILE='"fitcase-stores"'
tests_cli_fitcase_cwd_LDADD = $(FITCASE_LIBS)
