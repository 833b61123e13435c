#!/bin/sh
# Which stores a setgid fitcase opens for staff (docs/deployment.md,
# section 6): only those root lists, never a backup of the group (where a
# deactivated login is still active), never by a link of the user's, and
# without upgrading anything; the operator is not bound by the list. And a
# fitcase installed without its setgid bit says so instead of "no store".
# Needs root (to make setgid copies and switch user); uses the accounts
# every Debian has: nobody, group nogroup, and the group mail standing in
# for the store's group. The setgid copy is tests/cli/fitcase-cwd, the
# build's fitcase that reads its list from ./fitcase-stores instead of the
# configured file.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to install a setgid copy"
# A setgid process is not dumpable: the sanitizers cannot inspect it (or
# read their options from its /proc), so the sanitizer build skips this.
if ldd "$FITCASE" 2>/dev/null | grep -q 'libasan\|libubsan'; then
    skip "a sanitizer build cannot run setgid"
fi
command -v setpriv >/dev/null 2>&1 || skip "no setpriv"
command -v mdb_dump >/dev/null 2>&1 || skip "no mdb_dump (lmdb-utils)"
getent group mail >/dev/null && getent passwd nobody >/dev/null || skip "no mail group or nobody"

chmod 755 "$tmp"
cd "$tmp" || fail "cannot enter $tmp"
cp "$builddir/tests/cli/fitcase-cwd" "$tmp/fitcase"
cp "$FITCASE" "$tmp/fitcase-installed"
cp "$FITCASE" "$tmp/fitcase-plain"          # a misinstall: no setgid bit
chgrp mail "$tmp/fitcase" "$tmp/fitcase-installed"
chmod 2755 "$tmp/fitcase" "$tmp/fitcase-installed"
mkdir -m 2770 "$tmp/srv"
chgrp mail "$tmp/srv"
store=$tmp/srv/store
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
# The store's own account: real and effective group the store's.
as_owner() { setpriv --reuid=nobody --regid=mail --clear-groups -- "$@"; }
F() { "$tmp/fitcase" "$@"; }
listed() { printf '%s\n' "$@" >"$tmp/fitcase-stores"; chmod 644 "$tmp/fitcase-stores"; }
sum() { md5sum "$1/data.mdb" | cut -d' ' -f1; }
# stamp_schema DIR VERSION: the store's schema version, as an older
# fitcase left it (its databases as they are).
stamp_schema() {
    mdb_dump -s meta "$1" | grep -v '^db_pagesize=' | awk -v v="$(printf '%08x' "$2")" '
        next_is_version { print " " v; next_is_version = 0; next }
        $0 == " 736368656d615f76657273696f6e" { next_is_version = 1 }
        { print }' >"$tmp/meta.dump" && mdb_load -s meta "$1" <"$tmp/meta.dump" ||
        fail "cannot stamp the schema of $1"
}

# The operator makes the store, nobody is on its staff; the night's backup
# goes to a directory of the same group.
run F --db "$store" --user tester init --demo
expect_status 0
run F --db "$store" --user admin staff add nobody "No Body" --team "FIT-team Nord"
expect_status 0
run F --db "$store" backup "$tmp/srv/backup"
expect_status 0
chgrp -R mail "$tmp/srv"
listed "$store"

run as_nobody "$tmp/fitcase" --db "$store" export cases
[ "$status" -ne 0 ] && grep -q "not a store file\|not a store directory" "$tmp/err" &&
    skip "setgid does not take effect here (nosuid mount?): $(cat "$tmp/err")"
expect_status 0
cases=$(wc -l <"$tmp/out")
[ "$cases" -gt 1 ] || fail "nobody exported no case of team Nord"

# nobody leaves; in the backup he is still active.
run F --db "$store" --user admin staff deactivate nobody --reassign-to sofie
expect_status 0
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 1
expect_err "nobody has been deactivated"

# The backup is a store of the group, but not a listed one: refused, and
# left as it was (no lock file of nobody's, nothing upgraded).
bk=$tmp/srv/backup
before=$(sum "$bk")
run as_nobody "$tmp/fitcase" --db "$bk" export cases
expect_status 1
expect_err "$bk is not a store listed in fitcase-stores, and this fitcase opens only those"
[ -s "$tmp/out" ] && fail "the backup gave nobody data: $(head -3 "$tmp/out")"
[ -e "$bk/lock.mdb" ] && fail "refusing the backup left a lock file: $(ls -l "$bk/lock.mdb")"
[ "$(sum "$bk")" = "$before" ] || fail "refusing the backup changed it"
# Named otherwise: FITCASE_DB, a trailing slash, a link of his own.
run as_nobody env FITCASE_DB="$bk" "$tmp/fitcase" export cases
expect_status 1
expect_err "is not a store listed in fitcase-stores"
run as_nobody "$tmp/fitcase" --db "$bk/" export cases
expect_status 1
expect_err "is not a store listed"
mkdir -m 777 "$tmp/mine"
as_nobody ln -s "$bk" "$tmp/mine/bk" || fail "nobody cannot make a link"
run as_nobody "$tmp/fitcase" --db "$tmp/mine/bk" export cases
expect_status 1
expect_err "is not a store listed"

# Back on the staff: the listed store, however named (a trailing slash,
# a link of his own, a detour), or not named at all, is opened by the name
# root listed.
run F --db "$store" --user admin staff activate nobody
expect_status 0
as_nobody ln -s "$store" "$tmp/mine/store" || fail "nobody cannot make a link"
for db in "$store/" "$tmp/mine/store" "$tmp/srv/../srv/store"; do
    run as_nobody "$tmp/fitcase" --db "$db" export cases
    expect_status 0
    [ "$(wc -l <"$tmp/out")" -eq "$cases" ] || fail "--db $db gave another list of cases"
done
run as_nobody "$tmp/fitcase" export cases
expect_status 0
[ "$(wc -l <"$tmp/out")" -eq "$cases" ] || fail "no --db did not open the listed store"
# A refusal names the listed path, not the link: nothing was opened by it.
run as_nobody "$tmp/fitcase" --db "$tmp/mine/store" --user admin export cases
expect_status 1
expect_err "active administrator of the store in $store\$"

# The list must be root's and writable by nobody else, and so must its
# directory; a missing list lists nothing; a relative line is refused.
chmod 664 "$tmp/fitcase-stores"
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 1
expect_err "fitcase-stores must belong to root and be writable by root only"
listed "$store"
chmod 775 "$tmp"
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 1
expect_err "must belong to root"
chmod 755 "$tmp"
chown nobody "$tmp/fitcase-stores"
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 1
expect_err "must belong to root"
rm "$tmp/fitcase-stores"
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 1
expect_err "no store is listed in fitcase-stores"
listed "# the team's store" "" "srv/store"
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 1
expect_err "fitcase-stores:3: 'srv/store' is not an absolute path"
listed "# the team's store" "" "  $store/  "
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 0

# The installed build reads its configured list: this store is not in it.
run as_nobody "$tmp/fitcase-installed" --db "$store" export cases
expect_status 1
expect_err "is not a store listed in /\|no store is listed in /\|in /[^ ]* must belong to root"

# Listed by mistake, an old backup is still not upgraded for a user (nor
# written): that is the operator's, who may open anything.
stamp_schema "$bk" 3
touch "$bk/lock.mdb"
chgrp mail "$bk/lock.mdb"
chmod 660 "$bk/lock.mdb"
before=$(sum "$bk")
listed "$store" "$bk"
run as_nobody "$tmp/fitcase" --db "$bk" export cases
expect_status 1
expect_err "schema version 3 and must be upgraded to [0-9]* by the account that owns it"
[ "$(sum "$bk")" = "$before" ] || fail "a user's opening changed the old backup"
listed "$store"
run as_owner "$tmp/fitcase" --db "$bk" verify
expect_status 0
expect_out "the store is consistent"
run F --db "$bk" --user admin audit
expect_out "store.migrate *store 0 *schema 3 -> 4"

# A lock file is the operator's to make: a listed store without one is
# refused rather than given one of nobody's.
rm "$store/lock.mdb"
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 1
expect_err "the store in $store has no lock file"
[ -e "$store/lock.mdb" ] && fail "nobody's run made a lock file"
run as_owner "$tmp/fitcase" --db "$store" verify
expect_status 0
run as_nobody "$tmp/fitcase" --db "$store" export cases
expect_status 0

# Without the setgid bit the store cannot be reached at all: say why, not
# "no store" (the directory it is in is the group's, as in /srv/fitcase).
run as_nobody "$tmp/fitcase-plain" --db "$store" export cases
expect_status 1
expect_err "the store files in $store cannot be read: Permission denied; fitcase must be installed setgid to the store's group mail"
grep -q "no store in" "$tmp/err" && fail "a misinstall still says there is no store"
pass
