#!/bin/sh
# The link drops (SIGHUP) in the middle of a meeting form: what was typed
# is kept as the user's draft (0600), offered back at the next start, and
# saved from there. Then the same through a real pty: tmux kills the
# session, as sshd does when the link goes.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
draft="$XDG_STATE_HOME/fitcase/drafts/mette.draft"
cat >"$tmp/k1" <<KEYS
/sor<Enter><Enter>m<Tab>par<Tab>Hanne Østergaard<Tab>Halvt skrevet<Tab><Tab>chi<Tab>7.5<Tab>8<Tab>6<Tab>7
:hangup
KEYS
store_snapshot before
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/k1" "$FITCASE" --db db --user mette) ||
    fail "exit $? after the hangup"
[ -f "$draft" ] || fail "no draft after the hangup"
[ "$(stat -c %a "$draft")" = 600 ] || fail "the draft is not 0600"
grep -q 'Halvt skrevet' "$draft" || fail "the draft lost the notes"
store_snapshot after-hangup
store_unchanged before after-hangup
cat >"$tmp/k2" <<KEYS
:dump $tmp/offered.txt
<Enter>
:dump $tmp/restored.txt
<C-s>
:dump $tmp/saved.txt
q
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/k2" "$FITCASE" --db db --user mette) ||
    fail "exit $? with the draft"
grep -q 'When the connection dropped you were filling in' "$tmp/offered.txt" ||
    fail "the draft was not offered: $(cat "$tmp/offered.txt")"
grep -q 'Halvt skrevet' "$tmp/restored.txt" || fail "the draft did not come back"
grep -q 'The meeting was saved' "$tmp/saved.txt" || fail "the restored form did not save: $(cat "$tmp/saved.txt")"
[ ! -e "$draft" ] || fail "the draft is still there after it was taken up"

# A real pty: the session ends under the running form.
tmux_start 80x24 xterm-256color
tmux_go
wait_screen 'Pupil.*School'
tmux_keys /sor Enter Enter m
wait_screen 'New meeting'
tmux_keys Tab par Tab 'Ringede fra toget'
wait_screen 'Ringede fra toget'
tmux -S "$tmux_sock" kill-server
i=0
while [ ! -f "$draft" ]; do
    i=$((i + 1))
    [ $i -le 100 ] || fail "no draft after tmux ended the session"
    sleep 0.1
done
grep -q 'Ringede fra toget' "$draft" || fail "the tmux draft lost the notes"
pass
