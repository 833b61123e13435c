#!/bin/sh
# The audit log for a lead: their team's work and the records they may see,
# not another team's (which case numbers exist there, who opened what).
# Admins read it all; caseworkers none of it.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"
db="$tmp/db"
F() { "$FITCASE" --db "$db" "$@"; }
run F --user tester init --demo
expect_status 0
# mette (Nord) opens case 1 (Nord); anders (Syd) opens case 4 (Syd).
run F --user mette report 1
expect_status 0
run F --user anders report 4
expect_status 0

# jens leads Syd: anders's opening, not mette's.
run F --user jens audit
expect_status 0
expect_out "anders  *case.open  *case 4"
! grep -q "mette\|case.open  *case 1$" "$tmp/out" || fail "jens read Nord's entries: $(grep mette "$tmp/out" | head -3)"
# Not even when asked for by name or number.
run F --user jens audit --user mette
grep -q "case.open" "$tmp/out" && fail "jens read mette's openings"
run F --user jens audit --case 1
grep -q "case.open" "$tmp/out" && fail "jens read the openings of Nord's case 1"

# tester leads Nord: mette's opening, not anders's.
run F --user tester audit
expect_status 0
expect_out "mette  *case.open  *case 1"
! grep -q "anders  *case.open" "$tmp/out" || fail "tester read Syd's openings"

# The admin reads both.
run F --user admin audit
expect_out "mette  *case.open  *case 1"
expect_out "anders  *case.open  *case 4"
pass
