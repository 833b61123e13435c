#!/bin/sh
# The national-scale benchmark (docs/bench.md): generates a store once
# (bench/data/scale-F), then measures the TUI headless (timings, peak
# memory), in tmux (bytes on the wire at 80x24, TERM=xterm-256color), the
# CSV import against sqlite3 (bench/import/run.sh) and the store's size, and
# prints a table against the targets of issue 8, also written to
# bench/results/DATE-COMMIT[-sSCALE].txt.
#
#   bench/run.sh [--scale F] [--runs N] [--import-runs N] [--query WORD]
#                [--no-import] [--no-tmux] [--regen] [--fitcase PATH] [--tag NAME]
#                [--pages] [--evict]
#
# --pages: the last run of the first screen and of the opening also note
# which pages of the store the TUI had mapped in, and the result file gets
# them by database (bench/mem/owners.py; needs python3). --evict: first
# drop the store's pages from the page cache (GNU dd iflag=nocache), so the
# TUI reads them back by its own page faults: the memory the TUI maps in
# depends on how the cache holds the file (docs/bench.md, "TUI memory");
# without it the runs find the file as the generator (or the last run)
# left it.
# --fitcase measures another build of fitcase (say, a prototype in a copy
# of the tree) on the same store; --tag NAME says what it is, in the table
# and the result file's name.
# Every timing is the median of --runs runs (default 5). Needs the programs
# `make bench` builds (src/fitcase, bench/gen/fitcase-gen, bench/tui/stamp,
# bench/tui/keytime.so), tmux for the bytes, sqlite3 and GNU time for the
# import. Not part of `make check`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
scale=1 runs=5 import_runs=3 query=anders do_import=1 do_tmux=1 regen=0 fitcase_arg= tag=
pages=0 evict=0
while [ $# -gt 0 ]; do
    case $1 in
    --scale) scale=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --import-runs) import_runs=$2; shift 2 ;;
    --query) query=$2; shift 2 ;;
    --no-import) do_import=0; shift ;;
    --no-tmux) do_tmux=0; shift ;;
    --regen) regen=1; shift ;;
    --fitcase) fitcase_arg=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --pages) pages=1; shift ;;
    --evict) evict=1; shift ;;
    *) echo "usage: bench/run.sh [--scale F] [--runs N] [--import-runs N] [--query WORD] [--no-import] [--no-tmux] [--regen] [--fitcase PATH] [--tag NAME] [--pages] [--evict]" >&2
       exit 2 ;;
    esac
done

fitcase=${fitcase_arg:-$top/src/fitcase}
gen=$top/bench/gen/fitcase-gen
stamp=$top/bench/tui/stamp
shim=$top/bench/tui/keytime.so
for f in "$fitcase" "$gen" "$stamp" "$shim"; do
    [ -e "$f" ] || { echo "bench: no $f; run 'make bench' (or make it: make ${f#"$top"/})" >&2; exit 1; }
done

# The tools the measurements need, from Debian: installed when missing and
# run as root (as ./quickstart does), else named.
missing=""
[ "$do_tmux" = 0 ] || command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
if [ "$do_import" = 1 ]; then
    command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
    [ -x /usr/bin/time ] || missing="$missing time"
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing:$missing" >&2
        apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "bench: needs the Debian packages:$missing (or --no-tmux / --no-import)" >&2
        exit 1
    fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fitcase-bench.XXXXXX")
tmux_sock=$work/tmux.sock
cleanup() {
    tmux -S "$tmux_sock" kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Private copies: other work in this tree may relink src/fitcase meanwhile.
cp "$fitcase" "$work/fitcase" && fitcase=$work/fitcase
cp "$shim" "$work/keytime.so" && shim=$work/keytime.so

# The screen tests' pins: the same day, clock, locale and terminal.
FITCASE_TODAY=2026-11-20
FITCASE_NOW=1795176000
LC_ALL=C.UTF-8 TZ=Europe/Copenhagen TERM=xterm-256color
export FITCASE_TODAY FITCASE_NOW LC_ALL TZ TERM
unset FITCASE_DB FITCASE_SCRIPT ESCDELAY NO_COLOR LANG LANGUAGE FCBENCH_T0 FCBENCH_LOG
unset FCBENCH_PAGES


say() { echo "bench: $*" >&2; }
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
# median FILE: the median of the numbers in FILE, one a line.
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---- the store ---------------------------------------------------------------

data=$top/bench/data
store=$data/scale-$scale
genlog=$data/scale-$scale.gen.txt
gensum=$(cksum <"$gen" | cut -d' ' -f1)
mkdir -p "$data"
# A store from another generator binary (or half written) is made again.
if [ "$regen" = 1 ] || [ ! -f "$genlog" ] || ! grep -q "^generator $gensum$" "$genlog" ||
   ! grep -q '^total ' "$genlog"; then
    rm -rf "$store" "$genlog"
    say "generating the store at scale $scale in $store (national scale takes a while) ..."
    t0=$(date +%s.%N)
    "$gen" --scale "$scale" --today "$FITCASE_TODAY" "$store" 2>"$work/gen.txt" ||
        { cat "$work/gen.txt" >&2; exit 1; }
    t1=$(date +%s.%N)
    { echo "generator $gensum"; cat "$work/gen.txt"; echo "wall $(calc "$t1 - $t0")"; } >"$genlog"
fi
gen_s=$(awk '$1 == "wall" { printf "%.1f", $2 }' "$genlog")
counts=$(sed -n 's/^fitcase-gen: scale [^:]*: //p' "$genlog")
ncases=$(echo "$counts" | sed -n 's/.* \([0-9]*\) cases.*/\1/p')
mdb_bytes=$(stat -c %s "$store/data.mdb")
mdb_mb=$(calc "$mdb_bytes / 1048576")

# ---- the TUI, headless: times and peak memory ---------------------------------

# tui NAME: runs $work/NAME.keys headless at 80x24 as user bench through
# the timing library; the log goes to $work/NAME.log (with --pages on the
# last run, the store's pages mapped in to $work/NAME.pages).
tui() {
    pages_to=
    [ "$pages" = 0 ] || [ "$run" != "$runs" ] || pages_to=$work/$1.pages
    (cd "$work" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$work/$1.keys" \
        FCBENCH_LOG="$work/$1.log" FCBENCH_PAGES="$pages_to" LD_PRELOAD="$shim" \
        "$stamp" "$fitcase" --db "$store" --user bench >"$work/$1.out" 2>"$work/$1.err") ||
        { say "fitcase failed on $1: $(cat "$work/$1.err")"; exit 1; }
}
# gaps NAME: "LINE ms" for each script line: the time from reading the
# line to reading the next, i.e. handling its keys and drawing.
gaps() {
    awk '$1 == "T" || $1 == "E" { t[++n] = $2; $1 = ""; $2 = ""; line[n] = substr($0, 3) }
         END { for (i = 1; i < n; i++) printf "%s\t%.3f\n", line[i], (t[i + 1] - t[i]) / 1e6 }' "$work/$1.log"
}
first_ms() { awk '$1 == "T" { printf "%.3f\n", $2 / 1e6; exit }' "$work/$1.log"; }
peak_kb() { awk '$1 == "M" { print $2 }' "$work/$1.log"; }
anon_kb() { awk '$1 == "A" { print $2 }' "$work/$1.log"; }
store_kb() { awk '$1 == "S" { print $2 }' "$work/$1.log"; }

echo ":dump $work/first.txt" >"$work/start.keys"
{
    echo /
    echo "$query" | awk '{ for (i = 1; i <= length($0); i++) print substr($0, i, 1) }'
    echo "<Enter>"
} >"$work/search.keys"
# j: one row; PgDn: a page; Home; Enter opens the first case; three Rights
# go Case -> Meetings -> Absence -> Chart (the compact layout at 80x24).
printf '%s\n' j '<PgDn>' '<Home>' '<Enter>' '<Right>' '<Right>' '<Right>' \
    ":dump $work/chart.txt" >"$work/open.keys"

if [ "$evict" = 1 ]; then
    say "dropping the store's pages from the page cache"
    dd if="$store/data.mdb" iflag=nocache count=0 status=none
fi
say "timing the TUI: $runs runs each of start, search /$query, moves and opening a case"
: >"$work/m.first"; : >"$work/m.peak"; : >"$work/m.move"; : >"$work/m.page"
: >"$work/m.open"; : >"$work/m.chart"; : >"$work/m.worst"; : >"$work/m.anon"
: >"$work/m.store"; : >"$work/m.peak1"; : >"$work/m.store1"
nletters=$(printf %s "$query" | awk '{ print length($0) }')
i=1
while [ $i -le "$nletters" ]; do : >"$work/m.letter$i"; i=$((i + 1)); done
run=1
while [ "$run" -le "$runs" ]; do
    tui start
    first_ms start >>"$work/m.first"
    peak_kb start >>"$work/m.peak1"
    store_kb start >>"$work/m.store1"
    tui search
    gaps search | awk -F'\t' -v w="$work" 'NR > 1 && NR <= 1 + '"$nletters"' {
        print $2 >> (w "/m.letter" (NR - 1)); if ($2 > worst) worst = $2 }
        END { print worst >> (w "/m.worst") }'
    tui open
    gaps open | awk -F'\t' -v w="$work" '
        NR == 1 { print $2 >> (w "/m.move") }
        NR == 2 { print $2 >> (w "/m.page") }
        NR == 4 { print $2 >> (w "/m.open") }
        NR == 7 { print $2 >> (w "/m.chart") }'
    peak_kb open >>"$work/m.peak"
    anon_kb open >>"$work/m.anon"
    store_kb open >>"$work/m.store"
    run=$((run + 1))
done
grep -q '? help' "$work/first.txt" || { say "the first screen is not complete:"; cat "$work/first.txt" >&2; exit 1; }
grep -q 'ORS' "$work/chart.txt" || say "warning: the chart tab did not show a chart"

# ---- bytes on the wire, in tmux -------------------------------------------------

bytes_start=- bytes_move=- bytes_ten=- bytes_page=- bytes_pane=- bytes_open=-
bytes_slash=- bytes_letter=-
if [ "$do_tmux" = 1 ] && command -v tmux >/dev/null 2>&1; then
    say "measuring bytes in tmux at 80x24, TERM=$TERM"
    cat >"$work/tmux-run.sh" <<RUN
#!/bin/sh
while [ ! -e "$work/go" ]; do sleep 0.02; done
cd "$work" && "$fitcase" --db "$store" --user bench 2>"$work/tmux.err"
echo \$? >"$work/tmux.status"
RUN
    chmod +x "$work/tmux-run.sh"
    : >"$work/bytes"
    tmux -S "$tmux_sock" -f /dev/null new-session -d -s b -x 80 -y 24 \
        "env TERM=$TERM $work/tmux-run.sh"
    tmux -S "$tmux_sock" set-option -g status off >/dev/null
    tmux -S "$tmux_sock" set-window-option -g window-size manual >/dev/null 2>&1 || true
    tmux -S "$tmux_sock" pipe-pane -O -t b "cat >>'$work/bytes'"
    size() { wc -c <"$work/bytes" | tr -d ' '; }
    # settle BEFORE: until bytes came after BEFORE and none for 0.4 s
    # (120 s at most: a slow key at national scale still counts).
    settle() {
        i=0
        while [ "$(size)" = "$1" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
        last=-1
        while [ "$(size)" != "$last" ]; do last=$(size); sleep 0.4; done
    }
    # measure KEYS...: the bytes the keys cost.
    measure() {
        before=$(size)
        tmux -S "$tmux_sock" send-keys -t b "$@"
        settle "$before"
        echo $(($(size) - before))
    }
    : >"$work/go"
    settle 0
    bytes_start=$(size)
    bytes_move=$(measure j)
    bytes_ten=$(measure j j j j j j j j j j)
    bytes_page=$(measure NPage)
    bytes_pane=$(measure Tab)
    measure Escape >/dev/null
    bytes_open=$(measure Enter)
    measure Escape >/dev/null
    bytes_slash=$(measure /)
    bytes_letter=$(measure "$(printf %s "$query" | cut -c1)")
    tmux -S "$tmux_sock" capture-pane -p -t b >"$work/tmux-screen.txt"
    tmux -S "$tmux_sock" send-keys -t b Escape q
    i=0
    while [ ! -s "$work/tmux.status" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    tmux -S "$tmux_sock" kill-server 2>/dev/null || true
fi

# ---- import against sqlite3 --------------------------------------------------------

imp_rows=- abs_ratio=- rat_ratio=- abs_rs=- rat_rs=- abs_sq=- rat_sq=- imp_peak=-
if [ "$do_import" = 1 ]; then
    imp_rows=$(calc "int(5000000 * $scale + 0.5)")
    [ "$imp_rows" -ge 10000 ] || imp_rows=10000
    say "importing $imp_rows rows of absence and of ratings, against sqlite3 ($import_runs runs)"
    : >"$work/i.abs"; : >"$work/i.rat"; : >"$work/i.abs_sq"; : >"$work/i.rat_sq"
    : >"$work/i.abs_ratio"; : >"$work/i.rat_ratio"; : >"$work/i.peak"
    run=1
    while [ "$run" -le "$import_runs" ]; do
        TMPDIR=$work "$top/bench/import/run.sh" "$imp_rows" "$fitcase" >"$work/import.txt" 2>&1 ||
            { say "bench/import/run.sh failed:"; cat "$work/import.txt" >&2; exit 1; }
        awk -v w="$work" '
            $1 == "absence" { print $4 >> (w "/i.abs"); print $6 >> (w "/i.abs_sq");
                              print $7 >> (w "/i.abs_ratio"); print $8 >> (w "/i.peak") }
            $1 == "ratings" { print $4 >> (w "/i.rat"); print $6 >> (w "/i.rat_sq");
                              print $7 >> (w "/i.rat_ratio"); print $8 >> (w "/i.peak") }' \
            "$work/import.txt"
        run=$((run + 1))
    done
    abs_rs=$(median "$work/i.abs") abs_sq=$(median "$work/i.abs_sq") abs_ratio=$(median "$work/i.abs_ratio")
    rat_rs=$(median "$work/i.rat") rat_sq=$(median "$work/i.rat_sq") rat_ratio=$(median "$work/i.rat_ratio")
    imp_peak=$(sort -g "$work/i.peak" | tail -1)
fi

# ---- the table ---------------------------------------------------------------------

commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ "$commit" != unknown ] || [ ! -f "$top/COMMIT" ] || commit=$(cat "$top/COMMIT")
dirty=
[ -z "$(git -C "$top" status --porcelain --untracked-files=no -- src include 2>/dev/null)" ] ||
    dirty=" (src/ or include/ has uncommitted changes)"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
day=$(date +%F)

# row NAME VALUE UNIT TARGET OP LIMIT: a line of the table; OP is < <= >=
# or - (no target).
row() {
    verdict=
    if [ "$5" != - ] && [ "$2" != - ]; then
        verdict=$(awk -v v="$2" -v l="$6" -v op="$5" 'BEGIN {
            ok = op == "<" ? v < l : op == "<=" ? v <= l : v >= l; print ok ? "ok" : "MISSED" }')
    fi
    printf '%-44s %12s %-5s %-12s %s\n' "$1" "$2" "$3" "$4" "$verdict"
}
fmt() { [ "$1" = - ] && echo - || awk -v v="$1" "BEGIN { printf \"$2\", v }"; }
mb() { [ "$1" = - ] && echo - || awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; }

table() {
    echo "fitcase benchmark, scale $scale: $counts"
    echo "commit $commit$dirty, $day"
    [ -z "$fitcase_arg" ] || echo "fitcase: $fitcase_arg${tag:+ ($tag)}"
    echo "machine: $(nproc) CPUs, $cpu, $mem RAM"
    echo "timings: median of $runs runs, headless at 80x24 (bench/tui/keytime.so); bytes: tmux pipe-pane -O, 80x24, TERM=$TERM"
    [ "$evict" = 0 ] || echo "the store's pages were dropped from the page cache before the runs (--evict)"
    echo
    printf '%-44s %12s %-5s %-12s %s\n' measure value unit target ""
    row "first full screen" "$(fmt "$(median "$work/m.first")" %.1f)" ms "< 100" "<" 100
    i=1
    while [ $i -le "$nletters" ]; do
        row "search keystroke $i: /$(printf %s "$query" | cut -c1-$i)" \
            "$(fmt "$(median "$work/m.letter$i")" %.2f)" ms "< 10" "<" 10
        i=$((i + 1))
    done
    row "search keystroke, worst of the $nletters" "$(fmt "$(median "$work/m.worst")" %.2f)" ms "< 30" "<" 30
    row "open a case (meetings, ratings, chart data)" "$(fmt "$(median "$work/m.open")" %.2f)" ms "< 10" "<" 10
    row "  chart tab drawn" "$(fmt "$(median "$work/m.chart")" %.2f)" ms - -
    row "  one-row move" "$(fmt "$(median "$work/m.move")" %.2f)" ms - -
    row "  page down" "$(fmt "$(median "$work/m.page")" %.2f)" ms - -
    row "bytes: start" "$bytes_start" B "<= 4000" "<=" 4000
    row "bytes: one-row move" "$bytes_move" B "<= 150" "<=" 150
    row "bytes: ten rows, one key each" "$bytes_ten" B - -
    row "bytes: page down" "$bytes_page" B "<= 2500" "<=" 2500
    row "bytes: pane switch (list to case)" "$bytes_pane" B - -
    row "bytes: open a case" "$bytes_open" B - -
    row "bytes: search prompt (/)" "$bytes_slash" B - -
    row "bytes: search keystroke (first letter)" "$bytes_letter" B - -
    row "peak RSS, TUI (list, a case, chart): VmHWM" "$(mb "$(median "$work/m.peak")")" MB "< 64" "<" 64
    row "  private (RssAnon), largest between keys" "$(mb "$(median "$work/m.anon")")" MB "< 64" "<" 64
    row "  the store's pages mapped in (data.mdb)" "$(mb "$(median "$work/m.store")")" MB - -
    row "  after the first screen only: VmHWM" "$(mb "$(median "$work/m.peak1")")" MB - -
    row "    the store's pages mapped in" "$(mb "$(median "$work/m.store1")")" MB - -
    row "peak RSS, largest import ($imp_rows rows)" "$imp_peak" MB - -
    row "import absence, rows/s" "$(fmt "$abs_rs" %.0f)" r/s - -
    row "  sqlite3 .import, rows/s" "$(fmt "$abs_sq" %.0f)" r/s - -
    row "  ratio sqlite3 time / fitcase time" "$abs_ratio" x ">= 1" ">=" 1
    row "import ratings, rows/s" "$(fmt "$rat_rs" %.0f)" r/s - -
    row "  sqlite3 .import, rows/s" "$(fmt "$rat_sq" %.0f)" r/s - -
    row "  ratio sqlite3 time / fitcase time" "$rat_ratio" x ">= 1" ">=" 1
    row "store on disk (data.mdb)" "$(fmt "$mdb_mb" %.1f)" MB - -
    row "  per 1,000 cases" "$(calc "$mdb_mb / ($ncases / 1000)" | awk '{ printf "%.1f", $1 }')" MB - -
    row "generating the store" "$gen_s" s - -
    echo
    echo "generator:"
    grep ' in ' "$genlog" | sed 's/^/  /'
    if [ -s "$work/start.pages" ] && [ -s "$work/open.pages" ]; then
        echo
        echo "the store's pages the TUI had mapped in, by database (bench/mem/owners.py):"
        (cd "$work" && python3 "$top/bench/mem/owners.py" --top 10 "$store/data.mdb" start.pages open.pages) |
            sed 's/^/  /; s/start.pages:/first screen:/; s/open.pages:/list, a case, chart:/'
    fi
}

mkdir -p "$top/bench/results"
suffix=
[ "$scale" = 1 ] || suffix=-s$scale
[ -z "$tag" ] || suffix=$suffix-$tag
out=$top/bench/results/$day-$commit$suffix.txt
table | tee "$out"
echo
echo "written to ${out#"$top"/}"
