#!/bin/sh
# Every refusal on the spot, with its reason beside the field, and the
# store byte for byte unchanged (mdb_dump of every database, audit log
# included) after each refused or cancelled save.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
store_snapshot before
meeting='/sor<Enter><Enter>m<Tab>par<Tab><Tab><Tab><Tab>'
refuse item "${meeting}chi<Tab>10.1<Tab>"
grep -q '10.1 is out of range; items run 0.0-10.0' "$tmp/item.txt" || fail "10.1 was not refused"
refuse abc "${meeting}chi<Tab>abc<Tab>"
grep -q '"abc" is not a number' "$tmp/abc.txt" || fail "abc was not refused"
refuse date "/sor<Enter><Enter>m<C-u>31-02-2025<Tab>"
grep -q '31-02-2025 is not a date: month 2 of 2025 has 28 days' "$tmp/date.txt" ||
    fail "31-02-2025 was not refused: $(cat "$tmp/date.txt")"
refuse duplicate "${meeting}mo<Tab>5<Tab>5<Tab>5<Tab>5<Tab>mother<Tab>"
grep -q 'mother has already rated ORS in this meeting' "$tmp/duplicate.txt" ||
    fail "a duplicate rater was not refused"
refuse save-refused "${meeting}chi<Tab>5<Tab>5<C-s>"
grep -q 'Not saved: 1 field needs attention' "$tmp/save-refused.txt" ||
    fail "a rating with two items was saved"
refuse saturday "/sor<Enter><Enter>a<C-u>21-11-2026<Tab>"
grep -q '21-11-2026 is a Saturday, not a school day' "$tmp/saturday.txt" ||
    fail "absence on a Saturday was not refused: $(cat "$tmp/saturday.txt")"
refuse closed "o/jens<Enter><Enter>>"
grep -q 'The case is closed.' "$tmp/closed.txt" || fail "a closed case advanced"
refuse noreason "n<C-u>Ny Elev<Tab>01-02-2015<Tab>5<Tab>ærø<Tab><Tab><Tab><Tab><Tab><Tab><Tab><C-u>ja<Tab><C-s>"
grep -q 'A yes to an intake question' "$tmp/noreason.txt" || fail "an intake yes without a reason saved"
refuse consent "${meeting}far<Tab>"
grep -q 'Warning: father is not on' "$tmp/consent.txt" ||
    fail "no consent warning for the father"
# Cancelling with nothing typed asks nothing; with something typed it asks.
refuse cancel "/sor<Enter><Enter>m<Tab>par<Esc>"
grep -q 'Discard what you typed in this form?' "$tmp/cancel.txt" || fail "Esc did not ask"
# Closing needs the closing summary: Søren moved by another user to the
# last phase first.
fixture "$tmp/db" advance 1
fixture "$tmp/db" advance 1
store_snapshot before
refuse close "/sor<Enter><Enter>>Slut<Enter>"
grep -q 'Closing needs the closing summary' "$tmp/close.txt" || fail "closed without a summary"
pass
