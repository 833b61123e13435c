#!/bin/sh
# Times `fitcase import absence` and `fitcase import ratings` of ROWS rows
# (default 1,000,000) against sqlite3 importing the same file into an
# in-memory table (`sqlite3 :memory: '.import'`), in the same run, and
# prints rows per second, the ratio, and fitcase's peak memory.
#   bench/import/run.sh [ROWS] [FITCASE]       (FITCASE: default src/fitcase)
# Not part of `make check`. Needs sqlite3 (Debian package sqlite3); peak
# memory needs GNU time (package time), else it is left out.
set -eu
rows=${1:-1000000}
top=$(cd "$(dirname "$0")/../.." && pwd)
fitcase=${2:-$top/src/fitcase}
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is not installed" >&2; exit 1; }
[ -x "$fitcase" ] || { echo "bench: no $fitcase; build first (make)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/fitcase-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }

echo "generating $rows rows of absence and ratings in $work ..."
"$top/bench/import/generate.sh" "$work" "$rows"
db=$work/db
"$fitcase" --db "$db" --user bench init >/dev/null
for k in staff pupils cases; do
    "$fitcase" --db "$db" --user bench import "$k" "$work/$k.csv" >/dev/null
done

gnutime=
[ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null && gnutime=/usr/bin/time

printf '%-8s %9s %10s %12s %10s %12s %7s %9s\n' kind rows fitcase_s fitcase_r/s \
    sqlite3_s sqlite3_r/s ratio peak_MB
for kind in absence ratings; do
    file=$work/$kind.csv
    t0=$(now)
    if [ -n "$gnutime" ]; then
        $gnutime -f %M -o "$work/mem" "$fitcase" --db "$db" --user bench import "$kind" "$file" >/dev/null
        peak=$(( $(cat "$work/mem") / 1024 ))
    else
        "$fitcase" --db "$db" --user bench import "$kind" "$file" >/dev/null
        peak=-
    fi
    t1=$(now)
    sqlite3 :memory: ".import --csv $file $kind" "select count(*) from $kind;" >/dev/null
    t2=$(now)
    f=$(calc "$t1 - $t0")
    s=$(calc "$t2 - $t1")
    printf '%-8s %9d %10.2f %12.0f %10.2f %12.0f %7.2f %9s\n' "$kind" "$rows" "$f" \
        "$(calc "$rows / $f")" "$s" "$(calc "$rows / $s")" \
        "$(calc "$s / $f")" "$peak"
done
echo "ratio = sqlite3 time / fitcase time (1.00 or more: fitcase is as fast)"
