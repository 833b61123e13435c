#!/bin/sh
# The leader's view on a real pty at 80x24: opening it and switching its
# tabs cost a bounded number of bytes; an idle view, and another user's
# write that changes no figure, send nothing; a write that changes one
# shows at the next poll.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store

: >"$tmp/bytes"
tmux_start 80x24 xterm-256color
tmux -S "$tmux_sock" pipe-pane -O -t t "cat >>'$tmp/bytes'"
tmux_go
wait_screen '? help' "the first screen"
quiet
measure "open the view" 2500 '^All cases .*+9\.3  *2\.91$' t
measure "the at-risk tab" 2500 '^9 cases with alerts' Right
measure "one case down" 150 '^>#3 ' j
before=$(size)
sleep 2.5
[ "$(size)" = "$before" ] || fail "an idle view wrote $(($(size) - before)) bytes"
fixture "$tmp/db" touch
sleep 2.5
[ "$(size)" = "$before" ] || fail "a write no figure shows cost $(($(size) - before)) bytes"
printf '%-28s %6d bytes\n' "idle, invisible write" 0
measure "back to the figures" 2500 '^All cases .*+9\.3  *2\.91$' Left
fixture "$tmp/db" add-meeting 1
start=$(date +%s)
wait_screen '^All cases .*+12\.3  *3\.85$' "the figures after another user's meeting"
[ $(($(date +%s) - start)) -le 3 ] || fail "another user's meeting took over 2 s to show"
quiet
measure "closed (Esc)" 2500 'Enter open' Escape
tmux_keys q
wait_exit
pass
