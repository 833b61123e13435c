#!/bin/sh
# A full disk: imports into a store on a 3 MiB tmpfs until the disk is full;
# the refused import says so and saved nothing, everything imported before
# is still there, and the store verifies. Needs root (mount); skips otherwise.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"
[ "$(id -u)" = 0 ] || skip "mounting a small tmpfs needs root"
command -v mdb_stat >/dev/null 2>&1 || skip "mdb_stat (lmdb-utils) missing"
mkdir "$tmp/small"
mount -t tmpfs -o size=3m tmpfs "$tmp/small" 2>/dev/null || skip "cannot mount a tmpfs here"
trap 'umount "$tmp/small" 2>/dev/null; rm -rf "$tmp"' EXIT

db="$tmp/small/db"
rows=1000
"$FITCASE" --db "$db" --user tester init >/dev/null || fail "init"
pupils() { mdb_stat -s pupils "$db" | awk '/Entries:/ { print $2 }'; }
i=0
while [ $i -lt 100 ]; do
    awk -v off=$((i * rows)) -v n=$rows 'BEGIN {
        print "elev_id;navn;fødselsdato;klasse;skole;forældre"
        for (k = 1; k <= n; k++)
            printf "%d;Elev %d %s;14-03-2013;6.b;Ærø Skole;Forælder %d\n", off + k, off + k,
                   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", off + k
    }' >"$tmp/p.csv"
    run "$FITCASE" --db "$db" --user tester import pupils "$tmp/p.csv"
    [ "$status" -eq 0 ] || break
    i=$((i + 1))
done
[ $i -lt 100 ] || fail "3 MiB never filled up"
expect_status 1
expect_err "is full"
expect_err "nothing of this action was saved"
[ "$(pupils)" -eq $((i * rows)) ] || fail "$(pupils) pupils after $i whole imports of $rows"
run "$FITCASE" --db "$db" verify
expect_status 0
pass
