## tests for core: the pure domain, one tcase per module
check_PROGRAMS += tests/check_core
TESTS += tests/check_core
tests_check_core_SOURCES = tests/check_core.c
tests_check_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_core_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
noinst_HEADERS += tests/suite_run.h
noinst_HEADERS += tests/store_util.h
