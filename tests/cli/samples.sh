#!/bin/sh
# The shipped samples (Danish Excel style) import into a new store intact,
# a second import adds nothing, and the case they describe charts.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"

db="$tmp/db"
samples="${srcdir:-.}/samples"
run "$FITCASE" --db "$db" --user tester init
expect_status 0

for kind in staff calendar pupils cases meetings ratings absence; do
    run "$FITCASE" --db "$db" --user tester import "$kind" "$samples/$kind.csv"
    expect_status 0
    expect_out "0 skipped"
done

run "$FITCASE" --db "$db" --user tester import ratings "$samples/ratings.csv"
expect_status 0
expect_out "0 imported, 9 unchanged"

run "$FITCASE" --db "$db" verify
expect_status 0

# tester made the store and imported as its admin, but works in no team of
# these cases: an admin sees no case content. mette of FIT-team Nord does.
run "$FITCASE" --db "$db" --user tester export pupils
expect_status 0
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "the admin sees pupils: $(cat "$tmp/out")"

run "$FITCASE" --db "$db" --user mette export pupils
expect_status 0
expect_out "^1,Søren Østergaard,2013-03-14,6,Ærø Skole,Hanne Østergaard|Peter Østergaard$"
expect_out '^3,"Mikkel ""Mikki"" Bæk",2012-02-29,7,'

# Decimal commas arrive as tenths; a total-only row keeps its total.
run "$FITCASE" --db "$db" --user mette export ratings
expect_status 0
expect_out "^1,2025-09-08,CORS,child,,4.5,6.0,3.2,5.1,18.8$"
expect_out "^1,2025-09-29,ORS,mother,,,,,,23.4$"

# A quoted line break inside a note survives.
run "$FITCASE" --db "$db" --user mette export meetings
expect_status 0
expect_out "^Næste møde om fire uger.\",$"

run "$FITCASE" --db "$db" --user mette chart 1 --width 60 --height 20 --ascii
expect_status 0
expect_out "Søren Østergaard"
expect_out "32$"

pass
