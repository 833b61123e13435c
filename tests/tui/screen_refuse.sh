#!/bin/sh
# Every refusal on the spot, with its reason beside the field, and the
# store byte for byte unchanged (mdb_dump of every database, audit log
# included) after each refused or cancelled save.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
store_snapshot before
# run NAME KEYS: headless, dumps $tmp/NAME.txt after the keys.
run() {
    printf '%s\n:dump %s\n<Esc>y<Esc>q\n' "$2" "$tmp/$1.txt" >"$tmp/$1.keys"
    (cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/$1.keys" \
        "$FITCASE" --db db --user mette 2>"$tmp/$1.err") || fail "$1: exit $?"
    store_snapshot "$1"
    store_unchanged before "$1"
}
meeting='/sor<Enter><Enter>m<Tab>par<Tab><Tab><Tab><Tab>'
run item "${meeting}chi<Tab>10.1<Tab>"
grep -q '10.1 is out of range; items run 0.0-10.0' "$tmp/item.txt" || fail "10.1 was not refused"
run abc "${meeting}chi<Tab>abc<Tab>"
grep -q '"abc" is not a number' "$tmp/abc.txt" || fail "abc was not refused"
run date "/sor<Enter><Enter>m<C-u>31-02-2025<Tab>"
grep -q '31-02-2025 is not a date: month 2 of 2025 has 28 days' "$tmp/date.txt" ||
    fail "31-02-2025 was not refused: $(cat "$tmp/date.txt")"
run duplicate "${meeting}mo<Tab>5<Tab>5<Tab>5<Tab>5<Tab>mother<Tab>"
grep -q 'mother has already rated ORS in this meeting' "$tmp/duplicate.txt" ||
    fail "a duplicate rater was not refused"
run save-refused "${meeting}chi<Tab>5<Tab>5<C-s>"
grep -q 'Not saved: 1 field needs attention' "$tmp/save-refused.txt" ||
    fail "a rating with two items was saved"
run saturday "/sor<Enter><Enter>a<C-u>21-11-2026<Tab>"
grep -q '21-11-2026 is a Saturday, not a school day' "$tmp/saturday.txt" ||
    fail "absence on a Saturday was not refused: $(cat "$tmp/saturday.txt")"
run closed "o/jens<Enter><Enter>>"
grep -q 'The case is closed.' "$tmp/closed.txt" || fail "a closed case advanced"
run noreason "n<C-u>Ny Elev<Tab>01-02-2015<Tab>5<Tab>ærø<Tab><Tab><Tab><Tab><Tab><Tab><Tab><C-u>ja<Tab><C-s>"
grep -q 'A yes to an intake question' "$tmp/noreason.txt" || fail "an intake yes without a reason saved"
run consent "${meeting}far<Tab>"
grep -q 'Warning: father is not on' "$tmp/consent.txt" ||
    fail "no consent warning for the father"
# Cancelling with nothing typed asks nothing; with something typed it asks.
run cancel "/sor<Enter><Enter>m<Tab>par<Esc>"
grep -q 'Discard what you typed in this form?' "$tmp/cancel.txt" || fail "Esc did not ask"
# Closing needs the closing summary: Søren moved by another user to the
# last phase first.
fixture "$tmp/db" advance 1
fixture "$tmp/db" advance 1
store_snapshot before
run close "/sor<Enter><Enter>>Slut<Enter>"
grep -q 'Closing needs the closing summary' "$tmp/close.txt" || fail "closed without a summary"
pass
