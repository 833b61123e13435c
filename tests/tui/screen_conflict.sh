#!/bin/sh
# Two writers: the form opened before another user's phase advance is not
# saved over it. The save meets the conflict dialog, "show both" lists
# the difference, nothing is written until the user chooses; reload then
# shows what is stored.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
live_start mette
step form '/sor<Enter><Enter>>' 'Mette rykker'
fixture "$tmp/db" advance 1
store_snapshot theirs
step conflict '<Enter>'
grep -q 'Someone else saved this case after you opened the form' "$tmp/conflict.txt" ||
    fail "no conflict dialog: $(cat "$tmp/conflict.txt")"
store_snapshot after-conflict
store_unchanged theirs after-conflict
step both 'b'
grep -q 'Phase saved now: *Undersøgende' "$tmp/both.txt" || fail "show both: $(cat "$tmp/both.txt")"
step reloaded 'r'
grep -q 'From Undersøgende to Inkluderende/overdragende' "$tmp/reloaded.txt" ||
    fail "reload: $(cat "$tmp/reloaded.txt")"
store_snapshot after-reload
store_unchanged theirs after-reload
printf '<Esc>q\n' >&3
live_end
pass
