#!/bin/sh
# The case list at 80x24: columns, selection, paging, sort and filters.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys list
expect_screens list
pass
