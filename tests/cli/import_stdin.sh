#!/bin/sh
# import KIND - reads standard input, and any input that cannot be read
# twice (a pipe, /dev/stdin on a pipe, a named pipe) imports as a file
# does: the reader copies it once to an unlinked temporary file in TMPDIR
# and reads that copy again. Messages name it "stdin" (or the name given)
# with the lines of the input.
set -u
. "${srcdir:-.}/tests/cli/lib.sh"

db="$tmp/db"
mkdir "$tmp/t"
TMPDIR="$tmp/t"
export TMPDIR
run "$FITCASE" --db "$db" --user tester init
expect_status 0
samples="${srcdir:-.}/samples"

# Staff through a pipe, the calendar as /dev/stdin on a pipe.
run sh -c 'cat "$1" | "$2" --db "$3" --user tester import staff -' sh \
    "$samples/staff.csv" "$FITCASE" "$db"
expect_status 0
expect_out "^stdin: 3 rows read; 3 imported, 0 unchanged, 0 duplicates, 0 skipped (UTF-8, semicolons)$"
run sh -c 'cat "$1" | "$2" --db "$3" --user tester import calendar /dev/stdin' sh \
    "$samples/calendar.csv" "$FITCASE" "$db"
expect_status 0
expect_out "^/dev/stdin: [1-9][0-9]* rows read; [1-9][0-9]* imported, 0 unchanged"

# A bad row after a quoted line break: reported at its physical line, as
# for a file; nothing imported.
printf '%s\n' 'pupil_id,name,birth_date,grade,school,guardians' \
    '1,Ane,2012-01-01,7,Ærø Skole,"Bo' 'Berit"' \
    '2,Bo,2012-02-31,7,Ærø Skole,' \
    '3,Cai,2012-03-01,7,Ærø Skole,' >"$tmp/pupils.csv"
run sh -c 'cat "$1" | "$2" --db "$3" --user tester import pupils -' sh \
    "$tmp/pupils.csv" "$FITCASE" "$db"
expect_status 1
expect_err "^stdin:4: birth_date: 2012-02-31 is not a date"
expect_err "stdin: 1 bad row; nothing imported"
run "$FITCASE" --db "$db" --user tester import pupils /dev/stdin --dry-run <"$tmp/pupils.csv"
expect_status 1
expect_err "^/dev/stdin:4: birth_date: 2012-02-31 is not a date"
# --skip-bad: both passes read the copy (the second from the spool, or
# from the copy when there is no spool).
run sh -c 'cat "$1" | "$2" --db "$3" --user tester import pupils - --skip-bad' sh \
    "$tmp/pupils.csv" "$FITCASE" "$db"
expect_status 0
expect_err "^stdin:4: birth_date: 2012-02-31 is not a date"
expect_out "^stdin: 3 rows read; 2 imported, 0 unchanged, 0 duplicates, 1 skipped (UTF-8, commas)$"

# The fixed file through a pipe, as a file redirected to /dev/stdin, and
# through a named pipe: imported, then unchanged.
sed 's/2012-02-31/2012-02-28/' "$tmp/pupils.csv" >"$tmp/good.csv"
run sh -c 'cat "$1" | "$2" --db "$3" --user tester import pupils -' sh \
    "$tmp/good.csv" "$FITCASE" "$db"
expect_status 0
expect_out "^stdin: 3 rows read; 1 imported, 2 unchanged"
run "$FITCASE" --db "$db" --user tester import pupils /dev/stdin <"$tmp/good.csv"
expect_status 0
expect_out "^/dev/stdin: 3 rows read; 0 imported, 3 unchanged"
if mkfifo "$tmp/fifo" 2>/dev/null; then
    cat "$tmp/good.csv" >"$tmp/fifo" &
    run "$FITCASE" --db "$db" --user tester import pupils "$tmp/fifo"
    wait
    expect_status 0
    expect_out "^$tmp/fifo: 3 rows read; 0 imported, 3 unchanged"
fi
run "$FITCASE" --db "$db" --user tester export pupils
expect_status 0
expect_out '^1,Ane,2012-01-01,7,Ærø Skole,"Bo$'
expect_out '^2,Bo,2012-02-28,7,Ærø Skole,$'

# Standard input that is a file from its middle: read from where it stands.
run sh -c '{ IFS= read -r skip; "$2" --db "$3" --user tester import pupils - --dry-run; } <"$1"' \
    sh "$tmp/good.csv" "$FITCASE" "$db"
expect_status 1
expect_err "^stdin:1: "

# A pipe larger than the reader's blocks, written in chunks (two passes,
# an undo journal): each row where it belongs, and a bad row far down
# named by its line.
awk 'BEGIN { print "pupil_id;date;kind"
    for (d = 0; d < 4000; d++)
        for (p = 1; p <= 3; p++)
            printf "%d;%04d-%02d-%02d;sick\n", p, 2030 + int(d / 336), int(d % 336 / 28) + 1, d % 28 + 1 }' \
    >"$tmp/absence.csv"
sed '9001s/sick/poorly/' "$tmp/absence.csv" >"$tmp/absence_bad.csv"
run sh -c 'cat "$1" | "$2" --db "$3" --user tester import absence -' sh \
    "$tmp/absence_bad.csv" "$FITCASE" "$db"
expect_status 1
expect_err "^stdin:9001: kind: "
run sh -c 'cat "$1" | FITCASE_IMPORT_CHUNK=1000 "$2" --db "$3" --user tester import absence -' \
    sh "$tmp/absence.csv" "$FITCASE" "$db"
expect_status 0
expect_out "^stdin: 12000 rows read; 12000 imported, 0 unchanged"
run "$FITCASE" --db "$db" --user tester import absence "$tmp/absence.csv" --dry-run
expect_status 0
expect_out "would import 0, 12000 unchanged"

# The copies and spools are unlinked: nothing is left in TMPDIR.
[ -z "$(ls -A "$tmp/t")" ] || fail "left in TMPDIR: $(ls -A "$tmp/t")"

# Nowhere to copy to: said so, for a pipe (a file needs no copy).
run env TMPDIR="$tmp/none" sh -c 'cat "$1" | "$2" --db "$3" --user tester import pupils -' sh \
    "$tmp/good.csv" "$FITCASE" "$db"
expect_status 1
expect_err "stdin: cannot copy the input to a temporary file: No such file or directory"
run env TMPDIR="$tmp/none" "$FITCASE" --db "$db" --user tester import pupils "$tmp/good.csv"
expect_status 0

# Empty standard input.
run "$FITCASE" --db "$db" --user tester import pupils - </dev/null
expect_status 1
expect_err "stdin: the file is empty; a header row is needed"
pass
