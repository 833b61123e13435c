#!/bin/sh
# The done-when of the TUI on the demo store: find a Søren with / and four
# letters, open the case, read its phases and meetings, quit; on xterm and
# on vt100. Loose checks: the demo's content may change, its shape not.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
(cd "$tmp" && "$FITCASE" --db db --user mette init --demo >/dev/null) || fail "init --demo"
for term in xterm-256color vt100; do
    rm -rf "$tmp/out"
    cat >"$tmp/keys" <<KEYS
/sore
:dump $tmp/found.txt
<Enter><Enter>
:dump $tmp/case.txt
<Tab>
:dump $tmp/meetings.txt
q
KEYS
    (cd "$tmp" && TERM=$term COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/keys" \
        "$FITCASE" --db db --user mette >"$tmp/stdout" 2>"$tmp/stderr") ||
        fail "$term: fitcase exited $?: $(cat "$tmp/stderr")"
    grep -q '^>.*Søren\|^ .*Søren' "$tmp/found.txt" || fail "$term: /sore finds no Søren"
    grep -q 'Phases (' "$tmp/case.txt" || fail "$term: the case pane shows no phases"
    grep -q '\[>\]\|\[x\]' "$tmp/case.txt" || fail "$term: no phase timeline"
    grep -q 'meetings, newest first' "$tmp/meetings.txt" || fail "$term: no meetings tab"
    grep -q 'ORS\|CORS' "$tmp/meetings.txt" || fail "$term: no ORS scores in the meetings"
done
pass
