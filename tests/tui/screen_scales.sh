#!/bin/sh
# Rating rows choose the scale: CORS/CSRS for the child under 13, ORS/SRS
# for the others and for a child of 13 (Søren); a scale picked by hand
# stays; the rater "other" is refused without a name and shown with it.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
db=$tmp/db
run_keys scales
expect_screens scales
o=$tmp/out/scales
grep -q 'Who is the other rater? Write the name' "$o/refused.txt" ||
    fail "other without a name: $(cat "$o/refused.txt")"
# The same keys to the refusal (which puts the cursor in the name), then
# the name and the save.
cat >"$tmp/name.keys" <<KEYS
$(grep -v '^#\|^:dump\|^<Esc>$' "$srcdir/tests/tui/keys/scales.keys")
Bente Holm<C-s>
<Tab>
:dump $tmp/shown.txt
q
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/name.keys" "$FITCASE" --db db --user mette) ||
    fail "exit $?"
grep -q 'ORS mother 24.0\* other (Bente Holm) 28.0\*  CORS child 20.0\* teacher 32.0' "$tmp/shown.txt" ||
    fail "the meetings tab: $(cat "$tmp/shown.txt")"
grep -q 'CSRS child 36.0' "$tmp/shown.txt" || fail "no CSRS: $(cat "$tmp/shown.txt")"
fixture "$db" meetings 2 >"$tmp/m"
for want in 'CORS child 50 50 50 50 = 200' 'ORS mother 60 60 60 60 = 240' \
            'ORS other (Bente Holm) 70 70 70 70 = 280' 'CORS teacher 80 80 80 80 = 320' \
            'CSRS child 90 90 90 90 = 360'; do
    grep -q "v1 $want\$" "$tmp/m" || fail "not stored: $want
$(cat "$tmp/m")"
done
# Søren is 13: his own rows take ORS and SRS.
cat >"$tmp/soren.keys" <<KEYS
/sor<Enter><Enter>m<Tab>sta<Tab><Tab><Tab><Tab>barn<Tab>5<Tab>5<Tab>5<Tab>5$(printf '<Tab>%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21)
barn<Tab>9<Tab>9<Tab>9<Tab>9
:dump $tmp/soren.txt
<C-s>q
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/soren.keys" "$FITCASE" --db db --user mette) ||
    fail "exit $?"
grep -q '^    child              ORS   5.0' "$tmp/soren.txt" && grep -q '^    child              SRS   9.0' "$tmp/soren.txt" ||
    fail "Søren's scales: $(cat "$tmp/soren.txt")"
fixture "$db" meetings 1 | grep -q 'v1 ORS child 50 50 50 50 = 200$' || fail "Søren's ORS not stored"
pass
