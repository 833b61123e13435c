#!/bin/sh
# A setgid fitcase, as docs/deployment.md installs it, run by a staff member
# who is not in the store's group: the store is reachable only through the
# program, and the files the user names (export -o, import FILE) are
# created and read with the user's own rights, so the program cannot be
# used to write or read where only the store's group may. Needs root (to
# make the setgid copy and switch user); uses the accounts every Debian
# has: nobody, group nogroup, and the group mail standing in for the
# store's group.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to install a setgid copy"
# A setgid process is not dumpable: the sanitizers cannot inspect it (or
# read their options from its /proc), so the sanitizer build skips this.
if ldd "$FITCASE" 2>/dev/null | grep -q 'libasan\|libubsan'; then
    skip "a sanitizer build cannot run setgid"
fi
command -v setpriv >/dev/null 2>&1 || skip "no setpriv"
getent group mail >/dev/null && getent passwd nobody >/dev/null || skip "no mail group or nobody"

chmod 755 "$tmp"
# The build's fitcase that reads its list of stores (docs/deployment.md,
# section 6) from ./fitcase-stores: the store below is listed there.
cp "$builddir/tests/cli/fitcase-cwd" "$tmp/fitcase"
chgrp mail "$tmp/fitcase"
chmod 2755 "$tmp/fitcase"
mkdir -m 2770 "$tmp/store" "$tmp/groupdir"
chgrp mail "$tmp/store" "$tmp/groupdir"
mkdir -m 777 "$tmp/mine"
printf '%s\n' "$tmp/store" >"$tmp/fitcase-stores"
cd "$tmp" || fail "cannot enter $tmp"
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

# import FILE opens the file with the user's rights too: a file only the
# store's group may read is refused, and nothing of it shows (its header
# would be quoted as unknown columns, its rows as bad ones). One in a
# directory others may enter, one in the group's own directory.
mkdir -m 755 "$tmp/probe"
for f in "$tmp/probe/secret.csv" "$tmp/groupdir/secret.csv"; do
    printf 'SECRET_HEADER;cpr\nSECRET_ROW;0101011234\n' >"$f"
    chgrp mail "$f"
    chmod 640 "$f"
    run as_nobody cat "$f"
    [ "$status" -ne 0 ] || fail "nobody reads $f without fitcase"
    for opt in --dry-run --skip-bad; do
        run as_nobody "$tmp/fitcase" --db "$tmp/store" import pupils "$f" $opt
        expect_status 1
        expect_err "$f: cannot open: Permission denied"
        ! grep -q "SECRET\|0101011234" "$tmp/out" "$tmp/err" ||
            fail "import $opt of a group-only file showed its content: $(cat "$tmp/out" "$tmp/err")"
    done
done
# The store's own files are no more readable through import.
run as_nobody "$tmp/fitcase" --db "$tmp/store" import pupils "$tmp/store/data.mdb" --dry-run
expect_status 1
expect_err "cannot open: Permission denied"

# The user's own file imports: by name, as "-" and as /dev/stdin (whose
# temporary copy a pipe needs is made in /tmp: TMPDIR is not heeded).
run as_nobody "$tmp/fitcase" --db "$tmp/store" import pupils "$tmp/mine/p.csv"
expect_status 0
n=$(sed -n 's/^.*: \([1-9][0-9]*\) rows read; 0 imported, \1 unchanged, .*/\1/p' "$tmp/out")
[ -n "$n" ] || fail "importing the user's own export changed something: $(cat "$tmp/out")"
run as_nobody sh -c 'cat "$1" | "$2" --db "$3" import pupils - --dry-run' sh \
    "$tmp/mine/p.csv" "$tmp/fitcase" "$tmp/store"
expect_status 0
expect_out "^stdin: $n rows read; would import 0, $n unchanged"
run as_nobody sh -c '"$2" --db "$3" import pupils /dev/stdin <"$1"' sh \
    "$tmp/mine/p.csv" "$tmp/fitcase" "$tmp/store"
expect_status 0
expect_out "^/dev/stdin: $n rows read; 0 imported, $n unchanged"

pass
