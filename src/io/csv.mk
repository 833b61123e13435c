## io: CSV import/export (libcsv)
libfitcase_a_SOURCES += src/io/csv_read.c src/io/csv_write.c src/io/csv_kind.c \
	src/io/csv_import.c src/io/csv_import_people.c src/io/csv_import_cases.c \
	src/io/csv_export.c src/io/csv_spool.c
noinst_HEADERS += include/fitcase/csv.h include/fitcase/csv_internal.h
