#!/bin/sh
# Times `fitcase import absence` and `fitcase import ratings` of ROWS rows
# (default 1,000,000) against sqlite3 importing the same file into an
# in-memory table (`sqlite3 :memory: '.import'`), in the same run, and
# prints rows per second, the ratio, and fitcase's peak memory.
#   bench/import/run.sh [ROWS] [FITCASE]       (FITCASE: default src/fitcase)
# RUNS=N (default 1) imports each file N times, each time into a fresh
# copy of the set-up store, alternating with sqlite3, and keeps the best
# time of each: on a shared machine the best of a few runs is the figure
# that other work on the machine disturbs least.
# Not part of `make check`. Needs sqlite3 (Debian package sqlite3); peak
# memory needs GNU time (package time), else it is left out.
set -eu
rows=${1:-1000000}
runs=${RUNS:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
fitcase=${2:-$top/src/fitcase}
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is not installed" >&2; exit 1; }
[ -x "$fitcase" ] || { echo "bench: no $fitcase; build first (make)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/fitcase-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

echo "generating $rows rows of absence and ratings in $work ..."
"$top/bench/import/generate.sh" "$work" "$rows"
base=$work/base
"$fitcase" --db "$base" --user bench init >/dev/null
for k in staff pupils cases; do
    "$fitcase" --db "$base" --user bench import "$k" "$work/$k.csv" >/dev/null
done

gnutime=
[ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null && gnutime=/usr/bin/time

printf '%-8s %9s %10s %12s %10s %12s %7s %9s\n' kind rows fitcase_s fitcase_r/s \
    sqlite3_s sqlite3_r/s ratio peak_MB
for kind in absence ratings; do
    file=$work/$kind.csv
    f= s= peak=-
    i=0
    while [ $i -lt "$runs" ]; do
        rm -rf "$work/db"
        cp -r "$base" "$work/db"
        sync
        t0=$(now)
        if [ -n "$gnutime" ]; then
            $gnutime -f %M -o "$work/mem" "$fitcase" --db "$work/db" --user bench \
                import "$kind" "$file" >/dev/null
        else
            "$fitcase" --db "$work/db" --user bench import "$kind" "$file" >/dev/null
        fi
        t1=$(now)
        sqlite3 :memory: ".import --csv $file $kind" "select count(*) from $kind;" >/dev/null
        t2=$(now)
        [ -n "$gnutime" ] && peak=$(( $(cat "$work/mem") / 1024 ))
        f=$(min "$f" "$(calc "$t1 - $t0")")
        s=$(min "$s" "$(calc "$t2 - $t1")")
        i=$((i + 1))
    done
    printf '%-8s %9d %10.2f %12.0f %10.2f %12.0f %7.2f %9s\n' "$kind" "$rows" "$f" \
        "$(calc "$rows / $f")" "$s" "$(calc "$rows / $s")" \
        "$(calc "$s / $f")" "$peak"
done
echo "ratio = sqlite3 time / fitcase time (1.00 or more: fitcase is as fast)"
