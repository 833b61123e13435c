## tests: chart
