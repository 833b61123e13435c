## tests: csv
check_PROGRAMS += tests/check_csv
TESTS += tests/check_csv
tests_check_csv_SOURCES = tests/check_csv.c
tests_check_csv_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_csv_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/check_csv_cli
TESTS += tests/check_csv_cli
tests_check_csv_cli_SOURCES = tests/check_csv_cli.c
tests_check_csv_cli_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_csv_cli_LDADD = $(CHECK_LIBS)

# The fuzz target as a plain program: make check replays the fixtures and
# the corpus through it (tests/fuzz/replay.sh).
check_PROGRAMS += tests/fuzz/fuzz_replay
TESTS += tests/fuzz/replay.sh
tests_fuzz_fuzz_replay_SOURCES = tests/fuzz/fuzz_csv.c
tests_fuzz_fuzz_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_REPLAY
tests_fuzz_fuzz_replay_LDADD = $(FITCASE_LIBS)

# The CSV reader's fuzz target is built only on request: `make fuzz`
# (FUZZ_SECONDS=60 by default); CI runs tests/fuzz/run.sh 30.
FUZZ_SECONDS = 60
fuzz:
	$(SHELL) $(top_srcdir)/tests/fuzz/run.sh $(FUZZ_SECONDS)
.PHONY: fuzz
EXTRA_DIST += tests/fuzz/fuzz_csv.c tests/fuzz/run.sh tests/fuzz/replay.sh tests/fuzz/corpus \
	bench/import/generate.sh bench/import/run.sh
