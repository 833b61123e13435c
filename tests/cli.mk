## tests for cli
