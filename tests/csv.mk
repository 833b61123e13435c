## tests: csv
check_PROGRAMS += tests/check_csv
TESTS += tests/check_csv
tests_check_csv_SOURCES = tests/check_csv.c
tests_check_csv_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_csv_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
