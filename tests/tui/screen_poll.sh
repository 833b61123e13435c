#!/bin/sh
# Another user's writes show up at the next poll: a new meeting, a phase
# advance. A write that changes nothing visible leaves the screen alone.
# The key script is a FIFO, so the test decides when the writes happen.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
out="$tmp/out/poll"
mkdir -p "$out"
live_start mette

# mette starts on her own cases; f f: all, as the screens were made.
step before 'ff' '/sor<Enter><Enter>' '<Tab>'
fixture "$tmp/db" touch
step touched ':poll'
cmp -s "$out/before.txt" "$out/touched.txt" || fail "a write nothing shows changed the screen"
rm "$out/touched.txt"
fixture "$tmp/db" add-meeting 1
step meeting ':poll'
fixture "$tmp/db" advance 1
step advanced ':poll' '<Left>'
printf 'q\n' >&3
live_end
expect_screens poll
pass
