#!/bin/sh
# The CSV import from the screen (I): kind and file asked for, the same
# import as `fitcase import`, checked first. A file with bad rows imports
# nothing and lists the problems as FILE:LINE: column: what, scrollable;
# a good file imports and says how many; twice adds nothing; the good rows
# alone when asked; an unreadable file is refused at its field. As with
# `fitcase import`, leads and administrators only: lone, Nord's lead,
# imports; mette, a caseworker, is told she may not.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
# as USER NAME KEYS...: headless at 80x24 as USER, keys from the arguments.
as() {
    user=$1 name=$2
    shift 2
    printf '%s\n' "$@" >"$tmp/$name.keys"
    (cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/$name.keys" \
        "$FITCASE" --db db --user "$user" 2>"$tmp/$name.err") || fail "$name: exit $?"
    [ ! -s "$tmp/$name.err" ] || fail "$name: $(cat "$tmp/$name.err")"
}
printf 'pupil_id;name;birth_date;grade;school\r\n900;Lise Holm;01-02-2014;6;Ærø Skole\r\n901;Bo Berg;31-02-2014;6;Ærø Skole\r\n902;Ulla Ny;01-02-2014;11;Ærø Skole\r\n' >"$tmp/bad.csv"
printf 'pupil_id;name;birth_date;grade;school\n900;Lise Holm;01-02-2014;6;Ærø Skole\n901;Bo Berg;02-02-2014;6;Bakkeskolen\n' >"$tmp/good.csv"
{
    echo 'elev_id,navn,fødselsdato,klasse,skole'
    i=0
    while [ $i -lt 600 ]; do echo "$((2000 + i)),Elev $i,01-02-2014,12,Ærø Skole"; i=$((i + 1)); done
} >"$tmp/many.csv"
store_snapshot before
as mette caseworker I ":dump $tmp/caseworker.txt" q
grep -q 'Only a team lead or an administrator may import; mette is a caseworker.' \
    "$tmp/caseworker.txt" || fail "a caseworker could import: $(cat "$tmp/caseworker.txt")"
# run_keys, as lone.
mkdir -p "$tmp/out/import"
sed "/^:dump/s|@|$tmp/out/import/|" "$srcdir/tests/tui/keys/import.keys" >"$tmp/import.keys"
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/import.keys" \
    "$FITCASE" --db db --user lone >"$tmp/import.stdout" 2>"$tmp/import.stderr") ||
    fail "fitcase exited $? on keys import: $(cat "$tmp/import.stderr")"
expect_screens import
o=$tmp/out/import
grep -q 'bad.csv:3: birth_date: ' "$o/bad.txt" && grep -q 'bad.csv:4: grade: ' "$o/bad.txt" ||
    fail "the problems are not listed: $(cat "$o/bad.txt")"
grep -q 'Nothing was imported: 2 of 3 rows have problems' "$o/bad.txt" || fail "bad: $(cat "$o/bad.txt")"
grep -q 'Cannot read nosuch.csv' "$o/nosuch.txt" || fail "an unreadable file: $(cat "$o/nosuch.txt")"
grep -q 'and 400 more problems not listed' "$o/many-end.txt" || fail "600 problems: $(cat "$o/many-end.txt")"
store_snapshot after-bad
store_unchanged before after-bad
# Then the good file, twice, and the good row of the bad file alone.
as lone good 'Ipup<Tab>good.csv<Tab><Enter>' ":dump $tmp/good.txt" \
    '<Enter>Ipup<Tab>good.csv<Tab><Enter>' ":dump $tmp/again.txt" \
    '<Enter>Ipup<Tab>bad.csv<Tab>yes<Enter>' ":dump $tmp/skip.txt" '<Enter>q'
grep -q '2 rows read: 2 imported, 0 already there' "$tmp/good.txt" || fail "good: $(cat "$tmp/good.txt")"
grep -q '2 rows read: 0 imported, 2 already there' "$tmp/again.txt" || fail "again: $(cat "$tmp/again.txt")"
grep -q '3 rows read: 0 imported, 1 already there, 0 repeated in the file, 2 left out' "$tmp/skip.txt" &&
    grep -q 'bad.csv:4: grade: ' "$tmp/skip.txt" || fail "skip: $(cat "$tmp/skip.txt")"
(cd "$tmp" && "$FITCASE" --db db --user lone export pupils) >"$tmp/pupils.csv" || fail "export"
grep -q '^900,Lise Holm,2014-02-01,6,' "$tmp/pupils.csv" && grep -q '^901,Bo Berg,' "$tmp/pupils.csv" ||
    fail "the pupils are not in the store: $(grep -c . "$tmp/pupils.csv") rows"
pass
