#!/bin/sh
# Records other than meetings corrected from the keyboard: the pupil and
# who works the case in the case details (e), one transaction with the
# goals and the rest; a hand-over the store refuses saves nothing; and
# absence days changed to another kind or removed ("not absent") from
# the absence tab, a save that changes nothing writing nothing.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
db=$tmp/db
# run NAME KEYS: headless at 80x24, the screen dumped to $tmp/NAME.txt.
run() {
    printf '%s\n:dump %s\nq\n' "$2" "$tmp/$1.txt" >"$tmp/$1.keys"
    (cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/$1.keys" \
        "$FITCASE" --db db --user mette 2>"$tmp/$1.err") || fail "$1: exit $?"
}
tabs() { i=0; while [ $i -lt "$1" ]; do printf '<Tab>'; i=$((i + 1)); done; }
# The case details: consent, 6 goals, 5 interventions of 4 cells and the
# 3 lines of the summary come first (30 fields); then the pupil.
pupil="/sor<Enter><Enter>e<Tab>Spise med klassen$(tabs 29)"

# Goal, grade, school, a guardian and a hand-over to Lars, who is in
# another team (and no secondary then): the store refuses the hand-over
# and nothing is saved.
store_snapshot before
run refused "${pupil}<Tab><Tab>8<Tab>bakke<Tab>, Ole Østergaard<Tab><Tab>lars<Tab><C-u><C-s>"
grep -q 'Not saved: lars is not in the team of case 1' "$tmp/refused.txt" ||
    fail "the hand-over was not refused: $(cat "$tmp/refused.txt")"
store_snapshot after-refused
store_unchanged before after-refused

# The same without the hand-over: all of it saved in one transaction.
fixture "$db" audit >"$tmp/audit0"
run saved "${pupil}<Tab><Tab>8<Tab>bakke<Tab>, Ole Østergaard<Tab><C-s>"
grep -q 'The case was saved.' "$tmp/saved.txt" || fail "not saved: $(cat "$tmp/saved.txt")"
grep -q '^>Søren Østergaard        Bakkeskolen         8 ' "$tmp/saved.txt" ||
    fail "the list does not show grade 8 at Bakkeskolen: $(head -3 "$tmp/saved.txt")"
grep -q 'Guardians: Hanne Østergaard, Peter Østergaard, Ole Østergaard' "$tmp/saved.txt" ||
    fail "the guardian: $(cat "$tmp/saved.txt")"
fixture "$db" audit >"$tmp/audit1"
diff "$tmp/audit0" "$tmp/audit1" | sed -n 's/^> [0-9]* //p' >"$tmp/new"
grep -q '^mette pupil.update pupil 1 changed: grade, school_id, guardians' "$tmp/new" &&
    grep -q '^mette case.update case 1 changed: goals' "$tmp/new" ||
    fail "audit: $(cat "$tmp/new")"
[ "$(grep -c . "$tmp/new")" -eq 3 ] || fail "audit: more than the opening and two updates: $(cat "$tmp/new")"

# Absence from the absence tab (e there): 26-28 October sick becomes
# legal, 29 October is removed, 30 October sick again changes nothing.
absence='/sor<Enter><Enter><Tab><Right>e<C-u>'
run legal "${absence}26-10-2026<Tab>28-10-2026<Tab>leg<Enter>"
grep -q 'Absence saved: 0 days added, 3 changed, 0 removed; 0 were so already.' "$tmp/legal.txt" ||
    fail "legal: $(tail -n 1 "$tmp/legal.txt")"
run removed "${absence}29-10-2026<Tab><Tab>not<Enter>"
grep -q 'Absence saved: 0 days added, 0 changed, 1 removed; 0 were so already.' "$tmp/removed.txt" ||
    fail "removed: $(tail -n 1 "$tmp/removed.txt")"
store_snapshot before-same
run same "${absence}30-10-2026<Tab><Tab>syg<Enter>"
grep -q 'Nothing to save: the 1 school day is recorded so already.' "$tmp/same.txt" ||
    fail "same: $(tail -n 1 "$tmp/same.txt")"
store_snapshot after-same
store_unchanged before-same after-same
(cd "$tmp" && "$FITCASE" --db db --user mette export absence --case 1) >"$tmp/absence.csv" ||
    fail "export absence"
cat >"$tmp/want.csv" <<CSV
pupil_id,date,kind
1,2026-10-26,legal
1,2026-10-27,legal
1,2026-10-28,legal
1,2026-10-30,sick
1,2026-11-17,illegal
CSV
diff -u "$tmp/want.csv" "$tmp/absence.csv" || fail "the absence stored"
grep -q '^  ..... ..... ..... ..... ..... ..... ..... ..... LLL\.S ..... ..... \.U\.\.\.$' "$tmp/same.txt" ||
    fail "the absence strip: $(cat "$tmp/same.txt")"
grep -q 'Longest run: 3 ' "$tmp/same.txt" || fail "the longest run is not 3 now"
pass
