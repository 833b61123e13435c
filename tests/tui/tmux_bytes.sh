#!/bin/sh
# Bytes on the wire at 80x24, read from the pty with pipe-pane: a one-row
# move (in the list or the meetings tab) at most 150, a pane switch at most
# 2000; an idle screen, and another
# user's write that changes nothing visible, send nothing at all. The
# figures go to the log.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store

for term in screen xterm-256color; do
    echo "TERM=$term, 80x24:"
    rm -f "$tmp/go" "$tmp/tmux.status" "$tmp/bytes"
    : >"$tmp/bytes"
    tmux_start 80x24 $term
    tmux -S "$tmux_sock" pipe-pane -O -t t "cat >>'$tmp/bytes'"
    tmux_go
    wait_screen '? help' "the first screen"
    quiet
    printf '%-28s %6d bytes\n' "start" "$(size)"

    measure "one-row move" 150 ' 2/16$' j
    measure "ten rows" - ' 12/16$' j j j j j j j j j j
    measure "page down" - ' 16/16$' NPage
    measure "page up" - ' 8/16$' PPage
    measure "pane switch, no case open" 2000 'e edit' Tab
    measure "back to the list (Esc)" 2000 'Enter open' Escape
    measure "search /sor" - '^>Søren' / s o r
    measure "open a case" - 'Phases (FIT' Enter Enter
    measure "pane switch, case to meetings" 2000 'meetings, newest first' Tab
    measure "pane switch, meetings to list" 2000 'Enter open' Tab
    measure "pane switch, list to case" 2000 'Phases (FIT' Tab
    # The selected meeting moves by its heading's attributes alone.
    measure "to the meetings again" - 'meetings, newest first' Tab
    measure "select the next meeting" 150 'meetings, newest first' j
    measure "back to the case (S-Tab)" - 'Phases (FIT' BTab

    before=$(size)
    sleep 2.5
    [ "$(size)" = "$before" ] || fail "an idle screen wrote $(($(size) - before)) bytes"
    printf '%-28s %6d bytes\n' "idle 2.5 s" 0
    fixture "$tmp/db" touch
    sleep 2.5
    [ "$(size)" = "$before" ] ||
        fail "a write nothing shows cost $(($(size) - before)) bytes"
    printf '%-28s %6d bytes\n' "invisible write, 2.5 s" 0
    fixture "$tmp/db" advance 1
    start=$(date +%s)
    wait_screen '\[>\] Undersøgende' "the phase advance by another user"
    [ $(($(date +%s) - start)) -le 3 ] || fail "another user's advance took over 2 s to show"
    quiet
    printf '%-28s %6d bytes\n' "another user's advance" $(($(size) - before))
    tmux_keys q
    wait_exit
    tmux -S "$tmux_sock" kill-server 2>/dev/null
done
pass
