#!/bin/sh
# Team operations from the command line: logins that are not staff are
# refused, --user is for the operator or an admin, two teams see different
# cases, staff changes, audit, erasure after retention, stats, backup and
# restore (of an older schema too), export person.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"

db="$tmp/db"
F() { "$FITCASE" --db "$db" "$@"; }

run F --user tester init --demo
expect_status 0

# Not on the staff: a clear refusal naming the login and the fix, also for the TUI.
run F --user ghost export cases
expect_status 1
expect_err "ghost is not on the staff"
expect_err "fitcase staff add ghost"
run F --user ghost
expect_status 1
expect_err "ghost is not on the staff"

# Two teams, two different case lists; nobody sees the other team's case.
run F --user mette export cases
expect_status 0
cp "$tmp/out" "$tmp/nord"
run F --user anders export cases
expect_status 0
cmp -s "$tmp/out" "$tmp/nord" && fail "mette (Nord) and anders (Syd) see the same cases"
nord_case=$(sed -n 2p "$tmp/nord" | cut -d, -f1)
grep -q "^$nord_case," "$tmp/out" && fail "anders sees case $nord_case of team Nord"
run F --user anders report "$nord_case"
expect_status 1
expect_err "belongs to another team"

# Opening a case is audited; leads and admins read the log, caseworkers not.
run F --user mette report "$nord_case"
expect_status 0
run F --user tester audit --case "$nord_case" --user mette
expect_status 0
expect_out "mette *case.open *case $nord_case"
run F --user tester audit --since 2030-01-01
expect_status 0
expect_err "no audit entries match"
run F --user mette audit
expect_status 1
expect_err "only a team lead or an administrator"

# Staff: admins only. A deactivated login is refused; its cases move on.
run F --user mette staff list
expect_status 1
expect_err "only an administrator"
run F --user admin staff add kirsten "Kirsten Holm" --team "FIT-team Syd" --role lead
expect_status 0
run F --user admin staff list
expect_status 0
expect_out "^kirsten  *Kirsten Holm  *lead  *FIT-team Syd  *active"
run F --user admin staff deactivate lars --reassign-to sofie
expect_status 0
expect_out "open case(s) handed to sofie"
run F --user lars export cases
expect_status 1
expect_err "lars has been deactivated"
run F --user admin case reassign "$nord_case" sofie
expect_status 0
run F --user admin case reassign "$nord_case" anders
expect_status 1
expect_err "not in the team"

# --user: when the process could read the files anyway (root, no setgid)
# anyone may be named; otherwise only by a real login that is an admin.
me=$(id -un)
run env FITCASE_NO_OPERATOR=1 "$FITCASE" --db "$db" --user mette export cases
expect_status 1
expect_err "--user is for administrators: $me"
run F --user admin staff add "$me" "Driftsansvarlig" --role admin
expect_status 0
run env FITCASE_NO_OPERATOR=1 "$FITCASE" --db "$db" --user mette export cases
expect_status 0
run env FITCASE_NO_OPERATOR=1 "$FITCASE" --db "$db" backup "$tmp/nope"
expect_status 1
expect_err "run it as the account that owns the store"
run env FITCASE_NO_OPERATOR=1 "$FITCASE" --db "$db" --user mette init --force
expect_status 1
expect_err "only an administrator may use fitcase init"

# Erasure only after the retention period since the last case closed.
closed=$(F --user mette export cases | awk -F, 'NR > 1 && $8 != "" { print $2; exit }')
[ -n "$closed" ] || fail "no closed case in the demo's team Nord"
run F --user tester erase-pupil "$closed"
expect_status 1
expect_err "may be erased from [0-9-]* on"
run F --user mette erase-pupil "$closed"
expect_status 1
expect_err "only a team lead"
run env FITCASE_TODAY=2040-01-01 "$FITCASE" --db "$db" --user tester erase-pupil "$closed"
expect_status 0
run F --user tester audit
expect_out "pupil.erase *pupil $closed  erased with"

# The leader's figures: a caseworker her own, a lead the team.
run F --user sofie stats --csv
expect_status 0
expect_out "^group,id,label,cases,open,closed,ors_series"
[ "$(grep -c '^caseworker,' "$tmp/out")" -eq 1 ] || fail "sofie sees other caseworkers' figures"
run F --user tester stats
expect_status 0
expect_out "Per caseworker"
expect_out "target 90%"
expect_out "At risk"

# Everything about one person, for a request for access.
pupil=$(sed -n 2p "$tmp/nord" | cut -d, -f2)
name=$(F --user mette export pupils | awk -F, -v id="$pupil" '$1 == id { print $2 }')
run F --user mette export person "$name"
expect_status 0
expect_out "name: $name"
expect_out "^meeting "
run F --user mette export person "$name" --csv -o "$tmp/person.csv"
expect_status 0
head -1 "$tmp/person.csv" | grep -q "^record,id,case_id,date,field,value" || fail "person CSV header"

# Backup while the store is in use elsewhere, restore, verify.
run F backup "$tmp/bk"
expect_status 0
expect_out "verified"
run F backup "$tmp/bk"
expect_status 1
expect_err "already holds a store"
run "$FITCASE" --db "$tmp/restored" restore "$tmp/bk"
expect_status 0
run "$FITCASE" --db "$tmp/restored" verify
expect_status 0
run "$FITCASE" --db "$tmp/restored" restore "$tmp/bk"
expect_status 1
expect_err "use --force"
run "$FITCASE" --db "$tmp/restored" restore "$tmp/bk" --force
expect_status 0
a=$(mdb_dump -s cases -p "$db" 2>/dev/null | md5sum)
b=$(mdb_dump -s cases -p "$tmp/restored" 2>/dev/null | md5sum)
[ "$a" = "$b" ] || fail "the restored store's cases differ from the original's"

# A backup taken at an older schema: version 1, before case_team,
# case_second and series (made from the backup with lmdb-utils). Restore
# upgrades the restored copy and verifies it; the backup stays as it was.
schema_of() {
    mdb_dump -s meta "$1" | awk '
        found { print; exit } $0 == " 736368656d615f76657273696f6e" { found = 1 }'
}
if command -v mdb_load >/dev/null 2>&1; then
    v1=$tmp/bk-v1
    mkdir "$v1"
    for d in $(mdb_dump -l "$tmp/bk"); do
        case $d in case_team|case_second|series) continue ;; esac
        # (mdb_load of LMDB 0.9.24 does not know the header line db_pagesize)
        mdb_dump -s "$d" "$tmp/bk" | grep -v '^db_pagesize=' | mdb_load -s "$d" "$v1" ||
            fail "cannot copy $d"
    done
    mdb_dump -s meta "$v1" | grep -v '^db_pagesize=' | awk '
        v { print " 00000001"; v = 0; next } $0 == " 736368656d615f76657273696f6e" { v = 1 }
        { print }' >"$tmp/meta.dump"
    mdb_load -s meta "$v1" <"$tmp/meta.dump" || fail "cannot stamp schema 1"
    [ "$(schema_of "$v1")" = " 00000001" ] || fail "the made backup is not at schema 1"
    rm -f "$v1/lock.mdb"
    before=$(md5sum <"$v1/data.mdb")
    run "$FITCASE" --db "$tmp/from-v1" restore "$v1"
    expect_status 0
    expect_out "restored from $v1, upgraded from schema version 1 to [0-9]*, and verified"
    run "$FITCASE" --db "$tmp/from-v1" verify
    expect_status 0
    F --user mette export cases >"$tmp/mette-now" || fail "mette cannot export"
    run "$FITCASE" --db "$tmp/from-v1" --user mette export cases
    expect_status 0
    cmp -s "$tmp/out" "$tmp/mette-now" || fail "the restored old backup shows mette other cases"
    [ "$(md5sum <"$v1/data.mdb")" = "$before" ] || fail "restoring the old backup changed it"
    [ "$(schema_of "$v1")" = " 00000001" ] || fail "restoring the old backup upgraded it"
    run "$FITCASE" --db "$tmp/from-v1" audit
    expect_out "store.migrate *store 0 *schema 1 -> 2"
    # Over a store, too.
    run "$FITCASE" --db "$tmp/restored" restore "$v1" --force
    expect_status 0
    expect_out "upgraded from schema version 1"
    run "$FITCASE" --db "$tmp/restored" verify
    expect_status 0
else
    echo "access.sh: no mdb_load (lmdb-utils): the restore of an old backup is not tried" >&2
fi

pass
