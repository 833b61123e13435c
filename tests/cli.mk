## tests for the command line
TESTS += tests/cli/cli_basic.sh
EXTRA_DIST += tests/cli/lib.sh
