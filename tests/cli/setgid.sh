#!/bin/sh
# A setgid fitcase, as docs/deployment.md installs it, run by a staff member
# who is not in the store's group: the store is reachable only through the
# program, and the files the user names (export -o) are created with the
# user's own rights, so the program cannot be used to write where only the
# store's group may. Needs root (to make the setgid copy and switch user);
# uses the accounts every Debian has: nobody, group nogroup, and the group
# mail standing in for the store's group.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to install a setgid copy"
command -v setpriv >/dev/null 2>&1 || skip "no setpriv"
getent group mail >/dev/null && getent passwd nobody >/dev/null || skip "no mail group or nobody"

chmod 755 "$tmp"
cp "$FITCASE" "$tmp/fitcase"
chgrp mail "$tmp/fitcase"
chmod 2755 "$tmp/fitcase"
mkdir -m 2770 "$tmp/store" "$tmp/groupdir"
chgrp mail "$tmp/store" "$tmp/groupdir"
mkdir -m 777 "$tmp/mine"
# The operator (root) makes the store; its admin adds nobody as a lead.
run "$tmp/fitcase" --db "$tmp/store" --user tester init --demo
expect_status 0
chgrp -R mail "$tmp/store"
run "$tmp/fitcase" --db "$tmp/store" --user admin staff add nobody "No Body" --team "FIT-team Nord" --role lead
expect_status 0
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }

# Through the program, nobody reads the store...
run as_nobody "$tmp/fitcase" --db "$tmp/store" export pupils
[ "$status" -ne 0 ] && grep -q "setgid\|not a store file\|group" "$tmp/err" &&
    skip "setgid does not take effect here (nosuid mount?): $(cat "$tmp/err")"
expect_status 0
expect_out "pupil_id"
# ...but cannot read its files without it.
run as_nobody cat "$tmp/store/data.mdb"
[ "$status" -ne 0 ] || fail "nobody read the store without fitcase"

# export -o into a directory only the store's group may write: refused.
run as_nobody "$tmp/fitcase" --db "$tmp/store" export pupils -o "$tmp/groupdir/x.csv"
expect_status 1
expect_err "cannot write $tmp/groupdir/x.csv.tmp: Permission denied"
[ ! -e "$tmp/groupdir/x.csv" ] && [ ! -e "$tmp/groupdir/x.csv.tmp" ] ||
    fail "export -o wrote into the store group's directory"
# Nor over the store itself.
run as_nobody "$tmp/fitcase" --db "$tmp/store" export pupils -o "$tmp/store/data.mdb"
expect_status 1
run "$tmp/fitcase" --db "$tmp/store" --user admin verify
expect_status 0

# Into the user's own directory: written, owned by the user's own group.
run as_nobody "$tmp/fitcase" --db "$tmp/store" export pupils -o "$tmp/mine/p.csv"
expect_status 0
[ "$(stat -c %G "$tmp/mine/p.csv")" = nogroup ] ||
    fail "the export belongs to group $(stat -c %G "$tmp/mine/p.csv"), not the user's"
pass
