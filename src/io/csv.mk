## io: CSV import/export (libcsv)
