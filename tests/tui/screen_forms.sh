#!/bin/sh
# Every form's happy path, typed as a user would: a meeting with ORS from
# three raters and SRS from two, a phase advance with a note, case details,
# absence over a weekend, a new case; and all of it still there after a
# restart.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys forms
expect_screens forms
cat >"$tmp/again.keys" <<KEYS
/sor<Enter><Enter>
:dump $tmp/again-case.txt
G
:dump $tmp/again-case-end.txt
<Tab>
:dump $tmp/again-meetings.txt
q
KEYS
(cd "$tmp" && COLUMNS=100 LINES=60 FITCASE_SCRIPT="$tmp/again.keys" \
    "$FITCASE" --db db --user mette) || fail "restart"
grep -q '\[>\] Undersøgende' "$tmp/again-case.txt" || fail "the phase advance is gone"
grep -q "Spise frokost med klassen" "$tmp/again-case-end.txt" || fail "the goal is gone"
grep -q 'ORS child 30.5 mother 26.5\* teacher 20.0\*' "$tmp/again-meetings.txt" ||
    fail "the ORS ratings are gone: $(cat "$tmp/again-meetings.txt")"
grep -q 'SRS child 36.0 mother 35.5\*' "$tmp/again-meetings.txt" || fail "the SRS ratings are gone"
(cd "$tmp" && "$FITCASE" --db db --user mette export pupils) >"$tmp/pupils.csv" || fail "export"
grep -q "Karla Nielsen" "$tmp/pupils.csv" || fail "the new case is not in the export"
pass
