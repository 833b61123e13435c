## tests for store
