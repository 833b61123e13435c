## tests: tui
