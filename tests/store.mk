## tests for store
check_PROGRAMS += tests/check_store
TESTS += tests/check_store
tests_check_store_SOURCES = tests/check_store.c
tests_check_store_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_store_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
## access, the leader's figures, backup and the map limit
check_PROGRAMS += tests/check_store_access
TESTS += tests/check_store_access
tests_check_store_access_SOURCES = tests/check_store_access.c
tests_check_store_access_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_store_access_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
## concurrency and kill -9; `make check-long` runs the long forms
check_PROGRAMS += tests/check_store_survive
TESTS += tests/check_store_survive
tests_check_store_survive_SOURCES = tests/check_store_survive.c
tests_check_store_survive_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_store_survive_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)

check-long: tests/check_store_survive
	FITCASE_HAMMER_SECONDS=30 FITCASE_CRASH_RUNS=300 CK_DEFAULT_TIMEOUT=600 \
	    ./tests/check_store_survive
.PHONY: check-long
## the indexes lists read and the cohort's series (schema 2)
check_PROGRAMS += tests/check_store_index
TESTS += tests/check_store_index
tests_check_store_index_SOURCES = tests/check_store_index.c
tests_check_store_index_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_store_index_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
