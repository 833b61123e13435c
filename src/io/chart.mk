## io: charts, reports, outcome exports (issue 6). The pure statistics and
## alert rules live in core; the store loaders and commands here.
libfitcase_a_SOURCES += \
	src/core/cohort.c src/core/alert.c \
	src/io/chart.c src/io/chart_build.c src/io/chart_load.c \
	src/io/alert_load.c src/io/report.c src/io/outcome_export.c \
	src/cli/cmd_chart.c src/cli/cmd_report.c
noinst_HEADERS += \
	include/fitcase/cohort.h include/fitcase/alert.h \
	include/fitcase/chart.h include/fitcase/report.h \
	include/fitcase/cohort_load.h include/fitcase/store_list.h
