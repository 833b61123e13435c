#!/bin/sh
# Issue 4 done, in Danish (the default language; TUI_LANG=da here): on
# the fixture store a user opens a case, adds a meeting with ORS from the
# child, the mother and the teacher and SRS from the child and the mother,
# advances the phase, restarts and sees all of it. Every screen is
# compared with its expected dump.
set -u
TUI_LANG=da
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys danish
expect_screens danish
run_keys danish-restart
expect_screens danish-restart
o=$tmp/out/danish-restart
grep -q 'Faser (FIT-forløb)' "$o/case.txt" || fail "no Danish phase heading: $(cat "$o/case.txt")"
grep -q '\[>\] Undersøgende' "$o/case.txt" || fail "the phase advance is gone"
grep -q 'Forældresamtale' "$o/meetings.txt" || fail "the meeting is gone"
grep -q 'ORS barn 30.5 mor 26.5\* lærer 20.0\*' "$o/meetings.txt" ||
    fail "the ORS ratings are gone: $(cat "$o/meetings.txt")"
grep -q 'SRS barn 36.0 mor 35.5\*' "$o/meetings.txt" || fail "the SRS ratings are gone"
# No English left on the screens a user saw.
for f in "$tmp"/out/danish/*.txt "$o"/*.txt; do
    if grep -E -q 'meeting|Meeting|phase|Phase|Save|saved|Rater|child|mother|teacher' "$f"; then
        fail "English on $(basename "$f"): $(grep -E 'meeting|Meeting|phase|Phase|Save|saved|Rater|child|mother|teacher' "$f")"
    fi
done
# The help in Danish: the arrows and the space bar by their Danish names;
# a key list wider than its column gets a line of its own.
printf '?\n:dump %s\nq\nq\n' "$tmp/help.txt" >"$tmp/help.keys"
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/help.keys" \
    "$FITCASE" --db db --user mette) || fail "help"
grep -q '^  k, Op  *Én linje op$' "$tmp/help.txt" || fail "no Danish arrow name: $(cat "$tmp/help.txt")"
grep -q '^  PgDn, C-f, Mellemrum$' "$tmp/help.txt" || fail "the long key list is not on its own line"
grep -q '^                     Én side ned$' "$tmp/help.txt" || fail "its text is not under the column"
pass
