#!/bin/sh
# Search takes every letter: "Ida Kjær" is found by typing /ida kjær (a k,
# a j and a space, which move the list outside the prompt), "jens" finds
# Jens and Jensen; Down still moves in the narrowed list, and a q in the
# prompt is a letter, not quit.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys search-letters
expect_screens search-letters
o=$tmp/out/search-letters
head -1 "$o/ida.txt" | grep -q '/ida kjær .* 1/1$' || fail "/ida kjær: $(head -3 "$o/ida.txt")"
grep -q '^>Ida Kjær' "$o/ida.txt" || fail "Ida Kjær is not found and selected"
grep -q 'Ida Kjær #' "$o/ida-open.txt" || fail "Enter did not open Ida's case"
head -1 "$o/jens.txt" | grep -q '/jens .* 1/2$' || fail "/jens: $(head -1 "$o/jens.txt")"
grep -q '^>Jens Ærenlund' "$o/jens.txt" && grep -q '^ Viktor Jensen' "$o/jens.txt" ||
    fail "/jens does not list Jens and Jensen"
head -1 "$o/jens-down.txt" | grep -q '/jens .* 2/2$' ||
    fail "Down after /jens did not move to the second: $(head -1 "$o/jens-down.txt")"
tail -1 "$o/q.txt" | grep -q ':  q$' || fail "q in the prompt was not typed"
pass
