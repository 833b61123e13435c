## tests for the command line
CLI_TESTS = tests/cli/cli_basic.sh tests/cli/samples.sh tests/cli/access.sh \
	tests/cli/crash_import.sh tests/cli/disk_full.sh tests/cli/setgid.sh \
	tests/cli/audit_lead.sh tests/cli/import_stdin.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) tests/cli/lib.sh
EXTRA_DIST += samples/README samples/staff.csv samples/calendar.csv \
	samples/pupils.csv samples/cases.csv samples/meetings.csv \
	samples/ratings.csv samples/absence.csv
