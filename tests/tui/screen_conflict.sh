#!/bin/sh
# Two writers: the form opened before another user's phase advance is not
# saved over it. The save meets the conflict dialog, "show both" lists
# the difference, nothing is written until the user chooses; reload then
# shows what is stored.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
mkfifo "$tmp/keys"
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/keys" \
    "$FITCASE" --db db --user mette >"$tmp/stdout" 2>"$tmp/stderr") &
pid=$!
exec 3>"$tmp/keys"
step() {
    name=$1
    shift
    for k in "$@"; do printf '%s\n' "$k" >&3; done
    printf ':dump %s\n' "$tmp/$name.txt" >&3
    i=0
    while ! grep -q . "$tmp/$name.txt" 2>/dev/null; do
        i=$((i + 1))
        [ $i -le 200 ] || fail "no screen $name after 20 s"
        sleep 0.1
    done
    sleep 0.1
}
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
exec 3>&-
wait $pid || fail "fitcase exited $?: $(cat "$tmp/stderr")"
pass
