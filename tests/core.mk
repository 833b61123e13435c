## tests for core
