#!/bin/sh
# The CSV import from the screen (I): kind and file asked for, the same
# import as `fitcase import`, checked first. A file with bad rows imports
# nothing and lists the problems as FILE:LINE: column: what, scrollable;
# a good file imports and says how many; twice adds nothing; the good rows
# alone when asked; an unreadable file is refused at its field.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
printf 'pupil_id;name;birth_date;grade;school\r\n900;Lise Holm;01-02-2014;6;Ærø Skole\r\n901;Bo Berg;31-02-2014;6;Ærø Skole\r\n902;Ulla Ny;01-02-2014;11;Ærø Skole\r\n' >"$tmp/bad.csv"
printf 'pupil_id;name;birth_date;grade;school\n900;Lise Holm;01-02-2014;6;Ærø Skole\n901;Bo Berg;02-02-2014;6;Bakkeskolen\n' >"$tmp/good.csv"
{
    echo 'elev_id,navn,fødselsdato,klasse,skole'
    i=0
    while [ $i -lt 600 ]; do echo "$((2000 + i)),Elev $i,01-02-2014,12,Ærø Skole"; i=$((i + 1)); done
} >"$tmp/many.csv"
store_snapshot before
run_keys import
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
cat >"$tmp/good.keys" <<KEYS
Ipup<Tab>good.csv<Tab><Enter>
:dump $tmp/good.txt
<Enter>Ipup<Tab>good.csv<Tab><Enter>
:dump $tmp/again.txt
<Enter>Ipup<Tab>bad.csv<Tab>yes<Enter>
:dump $tmp/skip.txt
<Enter>q
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/good.keys" "$FITCASE" --db db --user mette) ||
    fail "good: exit $?"
grep -q '2 rows read: 2 imported, 0 already there' "$tmp/good.txt" || fail "good: $(cat "$tmp/good.txt")"
grep -q '2 rows read: 0 imported, 2 already there' "$tmp/again.txt" || fail "again: $(cat "$tmp/again.txt")"
grep -q '3 rows read: 0 imported, 1 already there, 0 repeated in the file, 2 left out' "$tmp/skip.txt" &&
    grep -q 'bad.csv:4: grade: ' "$tmp/skip.txt" || fail "skip: $(cat "$tmp/skip.txt")"
(cd "$tmp" && "$FITCASE" --db db --user mette export pupils) >"$tmp/pupils.csv" || fail "export"
grep -q '^900,Lise Holm,2014-02-01,6,' "$tmp/pupils.csv" && grep -q '^901,Bo Berg,' "$tmp/pupils.csv" ||
    fail "the pupils are not in the store: $(grep -c . "$tmp/pupils.csv") rows"
pass
