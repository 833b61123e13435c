#!/bin/sh
# The help screen lists every binding of the request table; q and Esc close
# it and the panes come back as they were; C-l repaints the same screen.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys help
expect_screens help
# Every request's help text is on one of the two help pages.
for h in "Move up one line" "Open the selected case" "Sort by name" "Next pane" \
         "Repaint the whole screen" "Quit"; do
    cat "$tmp/out/help/help.txt" "$tmp/out/help/help-2.txt" | grep -q "$h" ||
        fail "help lacks '$h'"
done
pass
