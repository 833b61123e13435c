## io: charts, reports, outcome exports
