#!/bin/sh
# Another user's writes show up at the next poll: a new meeting, a phase
# advance. A write that changes nothing visible leaves the screen alone.
# The key script is a FIFO, so the test decides when the writes happen.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
out="$tmp/out/poll"
mkdir -p "$out"
mkfifo "$tmp/keys"
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/keys" \
    "$FITCASE" --db db --user mette >"$tmp/stdout" 2>"$tmp/stderr") &
pid=$!
exec 3>"$tmp/keys"

# step NAME KEYS...: sends the keys, dumps to NAME.txt and waits for it.
step() {
    name=$1
    shift
    for k in "$@"; do printf '%s\n' "$k" >&3; done
    printf ':dump %s\n:dump %s\n' "$out/$name.txt" "$tmp/$name.done" >&3
    i=0
    while [ ! -e "$tmp/$name.done" ]; do
        i=$((i + 1))
        [ $i -le 200 ] || fail "no screen $name after 20 s"
        sleep 0.1
    done
}

step before '/sor<Enter><Enter>' '<Tab>'
fixture "$tmp/db" touch
step touched ':poll'
cmp -s "$out/before.txt" "$out/touched.txt" || fail "a write nothing shows changed the screen"
rm "$out/touched.txt"
fixture "$tmp/db" add-meeting 1
step meeting ':poll'
fixture "$tmp/db" advance 1
step advanced ':poll' '<Left>'
printf 'q\n' >&3
exec 3>&-
wait $pid || fail "fitcase exited $?: $(cat "$tmp/stderr")"
expect_screens poll
pass
