#!/bin/sh
# Fuzzes the CSV reader. With clang's libFuzzer: builds tests/fuzz/fuzz_csv.c
# with ASan and UBSan and runs it for SECONDS (default 60), seeded with the
# CSV fixtures and tests/fuzz/corpus; a crash leaves its input in the build
# directory (copy it to tests/fuzz/corpus as a regression case). Without
# libFuzzer: builds a replay program (gcc, ASan, UBSan) and runs the seeds.
#   tests/fuzz/run.sh [SECONDS]        CI: tests/fuzz/run.sh 30
# Needs no ./configure; FUZZ_BUILD sets the build directory.
set -eu
seconds=${1:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-${TMPDIR:-/tmp}/fitcase-fuzz}
mkdir -p "$build/corpus" "$build/seeds"
cat > "$build/config.h" <<'H'
#define _GNU_SOURCE 1
#define PACKAGE "fitcase"
H
cp "$top"/tests/data/csv/*.csv "$build/seeds/"
if [ -n "$(ls -A "$top/tests/fuzz/corpus" 2>/dev/null)" ]; then
    cp "$top"/tests/fuzz/corpus/* "$build/seeds/"
fi
srcs="$top/tests/fuzz/fuzz_csv.c $top/src/io/csv_read.c $top/src/io/csv_write.c $top/src/io/csv_spool.c"
srcs="$srcs $(ls "$top"/src/core/*.c)"
flags="-std=c11 -g -O1 -I$build -I$top/include -fno-omit-frame-pointer"

if command -v clang >/dev/null &&
   echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' |
       clang -x c -fsanitize=fuzzer -o "$build/probe" - 2>/dev/null; then
    # shellcheck disable=SC2086
    clang $flags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        $srcs -lcsv -lm -o "$build/fuzz_csv"
    cd "$build"
    exec ./fuzz_csv -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -print_final_stats=1 corpus seeds
fi

echo "fuzz: no libFuzzer here; replaying the seeds under ASan and UBSan" >&2
# shellcheck disable=SC2086
${CC:-cc} $flags -DFUZZ_REPLAY -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    $srcs -lcsv -lm -o "$build/fuzz_csv_replay"
"$build/fuzz_csv_replay" "$build"/seeds/*
