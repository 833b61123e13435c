# Shared by the TUI tests: pinned locale, zone, terminal, size and days, a
# scratch directory, the fixture store, headless runs and dump comparison.
: "${FITCASE:?FITCASE must name the fitcase binary}"
srcdir=${srcdir:-.}
builddir=${builddir:-.}
FITCASE_TODAY=2026-11-20
FITCASE_NOW=1795176000          # 2026-11-20 12:00 UTC
LC_ALL=${TUI_LC_ALL:-C.UTF-8}
TZ=Europe/Copenhagen
TERM=${TUI_TERM:-xterm-256color}
# English screens unless a test asks for Danish (TUI_LANG=da); the catalogue
# from the build tree; drafts in the scratch directory.
FITCASE_LANG=${TUI_LANG:-en}
FITCASE_LOCALEDIR=$builddir/locale
export FITCASE_TODAY FITCASE_NOW LC_ALL TZ TERM FITCASE_LANG FITCASE_LOCALEDIR
unset FITCASE_DB FITCASE_SCRIPT ESCDELAY NO_COLOR LANG LANGUAGE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fitcase-tui.XXXXXX")
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME
cleanup() { [ -n "${tmux_sock:-}" ] && tmux -S "$tmux_sock" kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
test_name=$(basename "$0" .sh)

fail() { echo "FAIL $test_name: $*" >&2; exit 1; }
skip() { echo "SKIP $test_name: $*" >&2; exit 77; }
pass() { echo "PASS $test_name"; exit 0; }

fixture() { "$builddir/tests/tui/fixture" "$@" || fail "fixture $*"; }

# make_store: the fixture store in $tmp/db.
make_store() { fixture "$tmp/db" build; }

# run_keys NAME [COLSxROWS]: runs tests/tui/keys/NAME.keys headless as
# mette; ':dump @x' in the script writes $tmp/out/NAME/x.
run_keys() {
    size=${2:-80x24}
    mkdir -p "$tmp/out/$1"
    sed "/^:dump/s|@|$tmp/out/$1/|" "$srcdir/tests/tui/keys/$1.keys" >"$tmp/$1.keys"
    # From $tmp, so the title shows the store as "db" on every machine.
    (cd "$tmp" && COLUMNS=${size%x*} LINES=${size#*x} FITCASE_SCRIPT="$tmp/$1.keys" \
        "$FITCASE" --db db --user mette >"$tmp/$1.stdout" 2>"$tmp/$1.stderr") ||
        fail "fitcase exited $? on keys $1: $(cat "$tmp/$1.stderr")"
    [ ! -s "$tmp/$1.stderr" ] || fail "keys $1: $(cat "$tmp/$1.stderr")"
}

# expect_screens NAME: every dump of run NAME equals its expected file.
# TUI_UPDATE=1 writes the expected files instead (run by hand, then review).
expect_screens() {
    [ -d "$tmp/out/$1" ] || fail "no dumps from $1"
    for got in "$tmp/out/$1"/*; do
        want="$srcdir/tests/tui/expected/$1/$(basename "$got")"
        if [ -n "${TUI_UPDATE:-}" ]; then
            mkdir -p "$(dirname "$want")" && cp "$got" "$want"
            continue
        fi
        [ -f "$want" ] || fail "no expected screen $want"
        diff -u "$want" "$got" >"$tmp/diff" ||
            fail "screen $1/$(basename "$got") differs:
$(cat "$tmp/diff")"
    done
}

# ---- tmux: a real pty for what only a terminal shows ----------------------

# tmux_start COLSxROWS TERM: fitcase on the fixture store in a detached tmux
# session "t". It waits for $tmp/go, so pipe-pane can be attached first.
tmux_start() {
    command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
    tmux_sock="$tmp/tmux.sock"
    cat >"$tmp/run.sh" <<RUN
#!/bin/sh
while [ ! -e "$tmp/go" ]; do sleep 0.05; done
cd "$tmp" && env LC_ALL=$LC_ALL TZ=$TZ TERM=$2 FITCASE_TODAY=$FITCASE_TODAY \
    FITCASE_LANG=$FITCASE_LANG FITCASE_LOCALEDIR=$FITCASE_LOCALEDIR XDG_STATE_HOME=$XDG_STATE_HOME \
    FITCASE_NOW=$FITCASE_NOW "$FITCASE" --db db --user mette 2>"$tmp/tmux.stderr"
echo \$? >"$tmp/tmux.status"
RUN
    chmod +x "$tmp/run.sh"
    tmux -S "$tmux_sock" -f /dev/null new-session -d -s t -x "${1%x*}" -y "${1#*x}" \
        "$tmp/run.sh" || fail "tmux cannot start"
    tmux -S "$tmux_sock" set-option -g status off >/dev/null
    tmux -S "$tmux_sock" set-window-option -g window-size manual >/dev/null 2>&1 || true
}
tmux_go() { : >"$tmp/go"; }
tmux_keys() { tmux -S "$tmux_sock" send-keys -t t "$@"; }
tmux_screen() { tmux -S "$tmux_sock" capture-pane -p -t t; }

# wait_screen REGEX [what]: until the pane shows REGEX (10 s at most).
wait_screen() {
    i=0
    while ! tmux_screen | grep -q -- "$1"; do
        i=$((i + 1))
        [ $i -le 100 ] || fail "the screen never showed '${2:-$1}':
$(tmux_screen)"
        sleep 0.1
    done
}

# wait_exit: until fitcase has quit; fails on a nonzero status.
wait_exit() {
    i=0
    while [ ! -s "$tmp/tmux.status" ]; do
        i=$((i + 1))
        [ $i -le 100 ] || fail "fitcase did not quit"
        sleep 0.1
    done
    [ "$(cat "$tmp/tmux.status")" = 0 ] ||
        fail "fitcase exited $(cat "$tmp/tmux.status"): $(cat "$tmp/tmux.stderr")"
}

# store_snapshot NAME: every database of $tmp/db but the audit log, as
# mdb_dump prints it (when installed), and the audit log without the
# openings of cases (case.open: looking is recorded, and changes nothing).
# Every write adds to the audit log, so without mdb_dump that still tells.
store_snapshot() {
    if command -v mdb_dump >/dev/null 2>&1 && command -v mdb_stat >/dev/null 2>&1; then
        for name in $(mdb_stat -a "$tmp/db" | sed -n 's/^Status of //p'); do
            case $name in Main|DB|audit) continue ;; esac
            mdb_dump -s "$name" "$tmp/db" || fail "mdb_dump $name"
        done >"$tmp/$1.dump"
    else
        : >"$tmp/$1.dump"
    fi
    fixture "$tmp/db" audit | cut -d' ' -f2- | grep -v '^[^ ]* case\.open ' >>"$tmp/$1.dump"
}
# store_unchanged A B: the two snapshots are the same.
store_unchanged() {
    cmp -s "$tmp/$1.dump" "$tmp/$2.dump" || fail "the store changed between $1 and $2"
}

# ---- bytes on the wire: tmux pipe-pane appends the pty's output to
# $tmp/bytes (tmux_bytes.sh, tmux_leader.sh) --------------------------------

size() { wc -c <"$tmp/bytes" | tr -d ' '; }
# quiet: until no byte has come for 0.5 s.
quiet() {
    last=-1
    while [ "$(size)" != "$last" ]; do
        last=$(size)
        sleep 0.5
    done
}
# measure NAME BUDGET REGEX KEYS...: sends the keys, waits for REGEX on the
# screen and for quiet, checks the bytes written against BUDGET.
measure() {
    name=$1 budget=$2 regex=$3
    shift 3
    before=$(size)
    tmux_keys "$@"
    wait_screen "$regex" "$name"
    quiet
    bytes=$(($(size) - before))
    printf '%-28s %6d bytes (budget %s)\n' "$name" "$bytes" "$budget"
    [ "$budget" = - ] || [ "$bytes" -le "$budget" ] ||
        fail "$name wrote $bytes bytes, more than $budget"
}

# ---- a live session: keys fed through a FIFO, so a test decides when
# another user writes (screen_poll, screen_conflict, ...) -------------------

# live_start LOGIN: fitcase as LOGIN at 80x24 on the fixture store, reading
# its key script from the FIFO $tmp/live (written through fd 3).
live_start() {
    mkfifo "$tmp/live"
    (cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/live" \
        "$FITCASE" --db db --user "$1" >"$tmp/stdout" 2>"$tmp/stderr") &
    live_pid=$!
    exec 3>"$tmp/live"
}
# step NAME KEYS...: sends the keys, dumps the screen to ${out:-$tmp}/NAME.txt
# and waits until the dump is written (a second dump marks it done).
step() {
    name=$1
    shift
    for k in "$@"; do printf '%s\n' "$k" >&3; done
    printf ':dump %s\n:dump %s\n' "${out:-$tmp}/$name.txt" "$tmp/$name.done" >&3
    i=0
    while [ ! -e "$tmp/$name.done" ]; do
        i=$((i + 1))
        [ $i -le 200 ] || fail "no screen $name after 20 s"
        sleep 0.1
    done
    rm -f "$tmp/$name.done"
}
# live_end: closes the key script; fitcase must quit cleanly.
live_end() {
    exec 3>&-
    wait $live_pid || fail "fitcase exited $?: $(cat "$tmp/stderr")"
}

# refuse NAME KEYS: runs KEYS headless as mette, dumps $tmp/NAME.txt,
# cancels whatever form is open and quits; the store must be as the
# snapshot "before" has it (store_snapshot before first).
refuse() {
    printf '%s\n:dump %s\n<Esc>y<Esc>q\n' "$2" "$tmp/$1.txt" >"$tmp/$1.keys"
    (cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/$1.keys" \
        "$FITCASE" --db db --user mette 2>"$tmp/$1.err") || fail "$1: exit $?"
    store_snapshot "$1"
    store_unchanged before "$1"
}
