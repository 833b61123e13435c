#!/bin/sh
# kill -9 at random points of CSV imports. A file written in one write
# transaction (pupils here) is afterwards in the store wholly or not at all.
# A huge absence or ratings file, written in chunks with an undo journal
# (FITCASE_IMPORT_CHUNK makes small files huge), may leave chunks behind
# the kill, with the journal that names them; the next fitcase to open the
# store (verify here) takes them out, so the store is again exactly as it
# was (its export byte for byte), and the audit log says so. Either way
# the store verifies, and importing the file again completes it.
# CRASH_RUNS sets how many runs of each (default 12).
set -u
. "${srcdir:-.}/tests/cli/lib.sh"
command -v mdb_stat >/dev/null 2>&1 || skip "mdb_stat (lmdb-utils) missing"
command -v mdb_dump >/dev/null 2>&1 || skip "mdb_dump (lmdb-utils) missing"

db="$tmp/db"
rows=5000
runs=${CRASH_RUNS:-12}
"$FITCASE" --db "$db" --user tester init >/dev/null || fail "init"
entries() { mdb_stat -s "$1" "$db" | awk '/Entries:/ { print $2 }'; }
journals() { mdb_dump -s meta -p "$db" | grep -c '^ import/[0-9a-f]*$'; }
# a random pause of 0 to $1 milliseconds
pause() { sleep "$(awk -v r="$(od -An -N2 -tu2 /dev/urandom)" -v m="$1" \
    'BEGIN { printf "%.3f", (r % m) / 1000 }')"; }

# ---- one transaction: whole or nothing ----------------------------------------

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
    pause 45
    kill -9 $pid 2>/dev/null && killed=$((killed + 1))
    wait $pid 2>/dev/null
    n=$(entries pupils)
    [ $((n % rows)) -eq 0 ] || fail "run $run_no: $n pupils, not a whole number of files of $rows"
    run "$FITCASE" --db "$db" verify
    expect_status 0
    run "$FITCASE" --db "$db" --user tester import pupils "$tmp/p.csv"
    expect_status 0
    [ "$(entries pupils)" -eq $(((run_no + 1) * rows)) ] ||
        fail "run $run_no: the import again left $(entries pupils) pupils"
    run_no=$((run_no + 1))
done
echo "crash_import: pupils: $runs runs, $killed killed mid-import, $(entries pupils) pupils kept"

# ---- chunks with a journal: taken out at the next open ------------------------

# Cases 1-100 for pupils 1-100; 40,000 absence days and 10,000 ratings
# (on days without a meeting, so each brings its status meeting along).
awk 'BEGIN {
    print "sag_id;elev_id;bekymringsdato;model;fase;tovholder"
    for (i = 1; i <= 100; i++)
        printf "%d;%d;01-08-2024;fit;1;tester\n", i, i
}' >"$tmp/cases.csv"
run "$FITCASE" --db "$db" --user tester import cases "$tmp/cases.csv"
expect_status 0
awk 'BEGIN {
    print "elev_id;dato;type"
    for (p = 1; p <= 100; p++)
        for (d = 0; d < 400; d++)
            printf "%d;%04d-%02d-%02d;%s\n", p, 2030 + int(d / 28 / 12), 1 + int(d / 28) % 12,
                   1 + d % 28, d % 3 ? "syg" : "ulovligt"
}' >"$tmp/absence.csv"
awk 'BEGIN {
    print "sag_id;dato;skala;bedømmer;samlet"
    split("barn mor far lærer barn", rater, " ")
    for (c = 1; c <= 100; c++)
        for (k = 0; k < 100; k++)
            printf "%d;2031-%02d-%02d;%s;%s;%d,%d\n", c, 1 + int(k / 5 / 28), 1 + int(k / 5) % 28,
                   k % 5 == 4 ? "SRS" : "ORS", rater[k % 5 + 1], 10 + k % 25, k % 10
}' >"$tmp/ratings.csv"
cp -r "$db" "$tmp/base"
meta0=$(entries meta)

# Kills the import once its journal is in the store (it has committed a
# chunk), after a further random pause; or whenever it has finished.
chunked() {
    kind=$1 records=$2 full=$3 chunk=$4
    undone=0 whole=0
    run_no=0
    while [ $run_no -lt "$runs" ]; do
        rm -rf "$db"
        cp -r "$tmp/base" "$db"
        "$FITCASE" --db "$db" --user tester export "$kind" -o "$tmp/before.csv" ||
            fail "export $kind"
        FITCASE_IMPORT_CHUNK=$chunk "$FITCASE" --db "$db" --user tester import "$kind" \
            "$tmp/$kind.csv" >/dev/null 2>&1 &
        pid=$!
        while kill -0 $pid 2>/dev/null && [ "$(entries meta)" -le "$meta0" ]; do
            sleep 0.002
        done
        pause 30
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        left=$(entries "$records")
        j=$(journals)
        run "$FITCASE" --db "$db" verify      # opens the store: the journal is undone
        expect_status 0
        [ "$(journals)" -eq 0 ] || fail "$kind run $run_no: a journal is still there"
        "$FITCASE" --db "$db" --user tester export "$kind" -o "$tmp/after.csv" ||
            fail "export $kind"
        if [ "$j" -gt 0 ]; then
            undone=$((undone + 1))
            [ "$left" -gt "$(entries "$records")" ] ||
                fail "$kind run $run_no: killed with a journal, but no $records taken out"
            cmp -s "$tmp/before.csv" "$tmp/after.csv" ||
                fail "$kind run $run_no: killed with $left $records, not as before after the undo"
            run "$FITCASE" --db "$db" --user tester audit
            expect_out "csv.import.undone"
        else
            whole=$((whole + 1))
            [ "$(entries "$records")" -eq "$full" ] ||
                fail "$kind run $run_no: no journal, but $(entries "$records") $records"
        fi
        run "$FITCASE" --db "$db" --user tester import "$kind" "$tmp/$kind.csv"
        expect_status 0
        [ "$(entries "$records")" -eq "$full" ] ||
            fail "$kind run $run_no: the import again left $(entries "$records") $records"
        run "$FITCASE" --db "$db" verify
        expect_status 0
        run_no=$((run_no + 1))
    done
    echo "crash_import: $kind: $runs runs: $undone killed between chunks and taken out" \
        "at the next open, $whole finished first"
    [ "$undone" -gt 0 ] || fail "$kind: no kill fell between two chunks"
}
chunked absence absence 40000 100
chunked ratings ratings 10000 50
pass
