## tests: csv
