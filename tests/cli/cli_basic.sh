#!/bin/sh
# The command line: init, demo, verify, help, version and the refusals.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"

db="$tmp/db"

run "$FITCASE" --version
expect_status 0
expect_out "fitcase [0-9]"

run "$FITCASE" --help
expect_status 0
expect_out "init"
expect_out "verify"

run "$FITCASE" --db "$db" frobnicate
expect_status 1
expect_err "unknown command 'frobnicate'"

run "$FITCASE" --db "$db" verify
expect_status 1
expect_err "$db"

# Danish unless FITCASE_LANG says otherwise, whatever LANG says, in the
# build tree too (the catalogue beside src/).
run env -u FITCASE_LANG LANG=en_US.UTF-8 "$FITCASE" --db "$db" verify
expect_status 1
expect_err "ingen database i $db"
run env -u FITCASE_LANG "$FITCASE" --help
expect_out "Kommandoer:"

run "$FITCASE" --db "$db" --user tester init
expect_status 0
expect_out "store created"

run "$FITCASE" --db "$db" --user tester init
expect_status 1
expect_err "already exists"

run "$FITCASE" --db "$db" verify
expect_status 0
expect_out "consistent"

# The leader's figures in Danish: the date as users write it, the column
# heads translated and still over their columns.
run env -u FITCASE_LANG "$FITCASE" --db "$db" --user tester stats
expect_status 0
expect_out "^Tal for tester pr. 20-11-2026"
expect_out "^  *forl. åbne lukk   ORS  pål+%"

run "$FITCASE" --db "$db" --user tester init --demo --force
expect_status 0
expect_out "demo store created"

run "$FITCASE" --db "$db" verify
expect_status 0
expect_out "consistent"

# The demo is a believable municipality: Danish names and enough of it.
command -v mdb_stat >/dev/null 2>&1 || skip "mdb_stat (lmdb-utils) missing"
entries() { mdb_stat -s "$1" "$db" | awk '/Entries:/ {print $2}'; }
[ "$(entries pupils)" -ge 250 ] || fail "demo has $(entries pupils) pupils, want about 300"
[ "$(entries cases)" -ge 100 ] || fail "demo has $(entries cases) cases, want about 120"
[ "$(entries ratings)" -ge 1000 ] || fail "demo has $(entries ratings) ratings"
[ "$(entries schools)" -ge 8 ] || fail "demo has $(entries schools) schools"
[ "$(entries absence)" -ge 500 ] || fail "demo has $(entries absence) absence days"
mdb_dump -s pupils -p "$db" | grep -q "S\\\\c3\\\\b8ren\|Søren" || fail "no Søren in the demo pupils"

# The same seed and day give the same store.
run "$FITCASE" --db "$tmp/db2" --user tester init --demo
expect_status 0
a=$(mdb_dump -s cases -p "$db" | md5sum)
b=$(mdb_dump -s cases -p "$tmp/db2" | md5sum)
[ "$a" = "$b" ] || fail "two demo stores made on the same day differ"

pass
