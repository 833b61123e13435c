# Shared helpers for the shell tests: a scratch directory, running a command
# with its output captured, and assertions that say what they expected.
: "${FITCASE:?FITCASE must name the fitcase binary}"
FITCASE_TODAY=${FITCASE_TODAY:-2026-11-20}
FITCASE_NOW=${FITCASE_NOW:-1795600000}
LC_ALL=${LC_ALL:-C.UTF-8}
TZ=${TZ:-Europe/Copenhagen}
# The screen speaks Danish unless told otherwise; these tests read English.
FITCASE_LANG=en
export FITCASE_TODAY FITCASE_NOW LC_ALL TZ FITCASE_LANG
unset FITCASE_DB LANGUAGE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fitcase-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
test_name=$(basename "$0")

fail() { echo "FAIL $test_name: $*" >&2; exit 1; }
skip() { echo "SKIP $test_name: $*" >&2; exit 77; }
pass() { echo "PASS $test_name"; exit 0; }

# run CMD...: runs it, keeping status, stdout and stderr.
run() {
    last_cmd="$*"
    "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
}
expect_status() {
    [ "$status" -eq "$1" ] ||
        fail "'$last_cmd' exited $status, expected $1; stderr: $(cat "$tmp/err")"
}
expect_out() {
    grep -q -- "$1" "$tmp/out" || fail "'$last_cmd' printed no '$1' on stdout: $(head -c 400 "$tmp/out")"
}
expect_err() {
    grep -q -- "$1" "$tmp/err" || fail "'$last_cmd' printed no '$1' on stderr: $(cat "$tmp/err")"
}
