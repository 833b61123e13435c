#!/bin/sh
# kill -9 at random points of CSV imports: afterwards the store opens,
# verifies, and holds each file wholly or not at all (a file this size is
# one write transaction; bigger ones commit in chunks of whole rows), and
# importing the file again finishes it. CRASH_RUNS sets how many (default 12).
set -u
. "${srcdir:-.}/tests/cli/lib.sh"
command -v mdb_stat >/dev/null 2>&1 || skip "mdb_stat (lmdb-utils) missing"

db="$tmp/db"
rows=5000
runs=${CRASH_RUNS:-12}
"$FITCASE" --db "$db" --user tester init >/dev/null || fail "init"
pupils() { mdb_stat -s pupils "$db" | awk '/Entries:/ { print $2 }'; }

killed=0
run_no=0
while [ $run_no -lt "$runs" ]; do
    awk -v off=$((run_no * rows)) -v n=$rows 'BEGIN {
        print "elev_id;navn;fødselsdato;klasse;skole;forældre"
        for (i = 1; i <= n; i++)
            printf "%d;Elev %d;14-03-2013;6.b;Ærø Skole;Forælder %d\n", off + i, off + i, off + i
    }' >"$tmp/p.csv"
    "$FITCASE" --db "$db" --user tester import pupils "$tmp/p.csv" >/dev/null 2>&1 &
    pid=$!
    ms=$(( $(od -An -N2 -tu2 /dev/urandom) % 45 ))
    sleep "0.$(printf %03d $ms)"
    kill -9 $pid 2>/dev/null && killed=$((killed + 1))
    wait $pid 2>/dev/null
    run "$FITCASE" --db "$db" verify
    expect_status 0
    n=$(pupils)
    [ $((n % rows)) -eq 0 ] || fail "run $run_no: $n pupils, not a whole number of files of $rows"
    run "$FITCASE" --db "$db" --user tester import pupils "$tmp/p.csv"
    expect_status 0
    [ "$(pupils)" -eq $(((run_no + 1) * rows)) ] || fail "run $run_no: the import again left $(pupils) pupils"
    run_no=$((run_no + 1))
done
echo "crash_import: $runs runs, $killed killed mid-import, $(pupils) pupils kept"
pass
