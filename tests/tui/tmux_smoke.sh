#!/bin/sh
# A real terminal: start, search, open, resize to 40x12, too small and back,
# quit; with the keys a terminal really sends (escape sequences, Tab).
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
for term in screen xterm-256color linux vt100; do
    rm -f "$tmp/go" "$tmp/tmux.status"
    tmux_start 80x24 $term
    tmux_go
    wait_screen 'Pupil.*School' "the case list ($term)"
    # Lines are Unicode box characters in UTF-8, whatever the terminal's
    # line-drawing set: never the "qqqq" PuTTY shows for the VT100 set.
    wait_screen '─ Case ─' "the tabs drawn with box characters ($term)"
    tmux_keys /sor
    wait_screen 'Search.*: sor' "the search prompt ($term)"
    wait_screen '^>Søren' "Søren found ($term)"
    tmux_keys Enter Enter
    wait_screen 'Phases (FIT' "the opened case ($term)"
    tmux_keys Tab
    wait_screen 'meetings, newest first' "the meetings tab ($term)"
    tmux -S "$tmux_sock" resize-window -t t -x 40 -y 12
    wait_screen 'Pupil  *Days' "the 40x12 layout ($term)"
    tmux -S "$tmux_sock" resize-window -t t -x 30 -y 10
    wait_screen 'too small' "the too-small notice ($term)"
    tmux -S "$tmux_sock" resize-window -t t -x 80 -y 24
    wait_screen 'Pupil.*School.*Phase' "the 80x24 layout again ($term)"
    wait_screen 'meetings, newest first' "the meetings tab again ($term)"
    tmux_keys Escape
    wait_screen 'Enter open' "the list's hints after Esc ($term)"
    tmux_keys q
    wait_exit
    tmux -S "$tmux_sock" kill-server 2>/dev/null
done
pass
