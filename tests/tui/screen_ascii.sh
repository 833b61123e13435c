#!/bin/sh
# LC_ALL=C on a vt100: Danish letters and wide names degrade to ASCII, the
# screen keeps its columns, and nothing needs colour.
set -u
TUI_LC_ALL=C TUI_TERM=vt100
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys ascii
expect_screens ascii
LC_ALL=C grep -q '[^ -~]' "$tmp/out/ascii/"*.txt && fail "a dump holds non-ASCII bytes"
pass
