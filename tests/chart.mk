## tests: chart (golden charts), alerts and cohort statistics, exports, the leader's figures
check_PROGRAMS += tests/check_chart tests/check_alert tests/check_chart_export tests/check_stats
TESTS += tests/check_chart tests/check_alert tests/check_chart_export tests/check_stats

tests_check_chart_SOURCES = tests/check_chart.c
tests_check_chart_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_chart_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)

tests_check_alert_SOURCES = tests/check_alert.c
tests_check_alert_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_alert_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)

tests_check_chart_export_SOURCES = tests/check_chart_export.c
tests_check_chart_export_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_chart_export_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)

tests_check_stats_SOURCES = tests/check_stats.c
tests_check_stats_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_stats_LDADD = $(FITCASE_LIBS) $(CHECK_LIBS)
