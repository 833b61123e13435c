## tests for the command line
TESTS += tests/cli/cli_basic.sh
EXTRA_DIST += tests/cli/lib.sh
TESTS += tests/cli/samples.sh
EXTRA_DIST += samples/README samples/staff.csv samples/calendar.csv \
	samples/pupils.csv samples/cases.csv samples/meetings.csv \
	samples/ratings.csv samples/absence.csv
