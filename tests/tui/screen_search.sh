#!/bin/sh
# Search: "sor" finds Søren, "aase" finds Åse, "#3" a case number; Esc and
# C-g cancel; a search that finds nothing says how to get out.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys search
expect_screens search
pass
