#!/bin/sh
# make check's share of the fuzzing: the fuzz target, built as a plain
# program against the library (so a change that breaks it shows here, not
# only in CI's fuzz run), replays the CSV fixtures and the fuzz corpus:
# every assertion of the target (our splitter agrees with libcsv, fields
# are valid UTF-8, round trips read back) holds on each.
set -eu
srcdir=${srcdir:-.}
builddir=${builddir:-.}
"$builddir/tests/fuzz/fuzz_replay" "$srcdir"/tests/data/csv/*.csv "$srcdir"/tests/fuzz/corpus/*
