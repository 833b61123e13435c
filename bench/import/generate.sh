#!/bin/sh
# Writes the benchmark's CSV files into DIR: staff, pupils and cases to set
# up a store, and ROWS rows each of absence and ratings (default 1,000,000).
# Deterministic: the same ROWS gives the same files.
#   bench/import/generate.sh DIR [ROWS]
set -eu
dir=${1:?usage: generate.sh DIR [ROWS]}
rows=${2:-1000000}
mkdir -p "$dir"
# One pupil (and one case) per 50 rows, so absence days and ratings per
# pupil look like a school year's worth.
pupils=$(( (rows + 49) / 50 ))

printf 'login,name,role,team\nbench,Bench Mark,admin,FIT Bench\n' > "$dir/staff.csv"

awk -v n="$pupils" 'BEGIN {
    print "pupil_id,name,birth_date,grade,school";
    for (i = 1; i <= n; i++)
        printf "%d,Elev %d Ågaard,%04d-%02d-%02d,%d,Skole %d\n", i, i,
               2008 + i % 8, 1 + i % 12, 1 + i % 28, i % 11, i % 40;
}' > "$dir/pupils.csv"

awk -v n="$pupils" 'BEGIN {
    print "case_id,pupil_id,concern_date,phase_model,phase,coordinator";
    for (i = 1; i <= n; i++)
        printf "%d,%d,2024-08-%02d,fit,%d,bench\n", i, i, 1 + i % 28, 1 + i % 4;
}' > "$dir/cases.csv"

# Absence: 50 school days per pupil (weekdays from 2024-08-12), kinds mixed.
awk -v rows="$rows" 'BEGIN {
    print "pupil_id,date,kind";
    split("31 28 31 30 31 30 31 31 30 31 30 31", mdays, " ");
    kinds[0] = "sick"; kinds[1] = "legal"; kinds[2] = "illegal";
    # the 50 weekdays from Monday 2024-08-12
    y = 2024; m = 8; d = 12; wd = 0; k = 0;
    while (k < 50) {
        if (wd < 5) days[k++] = sprintf("%04d-%02d-%02d", y, m, d);
        d++; wd = (wd + 1) % 7;
        if (d > mdays[m]) { d = 1; m++; if (m > 12) { m = 1; y++; } }
    }
    for (r = 0; r < rows; r++)
        printf "%d,%s,%s\n", 1 + int(r / 50), days[r % 50], kinds[(r * 7) % 3];
}' > "$dir/absence.csv"

# Ratings: per case 10 meeting dates x (ORS by child, mother, father,
# teacher; SRS by child) = 50 rows; half item by item, half totals only.
awk -v rows="$rows" 'BEGIN {
    print "case_id,date,scale,rater,rater_name,item1,item2,item3,item4,total";
    split("child mother father teacher child", rater, " ");
    for (r = 0; r < rows; r++) {
        c = 1 + int(r / 50); k = r % 50; meet = int(k / 5); who = k % 5;
        date = sprintf("2024-%02d-%02d", 9 + int(meet / 4), 2 + (meet % 4) * 7);
        scale = who == 4 ? "SRS" : "ORS";
        a = (r * 7) % 90 + 10; b = (r * 11) % 90 + 10; cc = (r * 13) % 90 + 10; dd = (r * 17) % 90 + 10;
        if (r % 2)
            printf "%d,%s,%s,%s,,%d.%d,%d.%d,%d.%d,%d.%d,\n", c, date, scale, rater[who + 1],
                   a / 10, a % 10, b / 10, b % 10, cc / 10, cc % 10, dd / 10, dd % 10;
        else
            printf "%d,%s,%s,%s,,,,,,%d.%d\n", c, date, scale, rater[who + 1],
                   (a + b + cc + dd) / 10, (a + b + cc + dd) % 10;
    }
}' > "$dir/ratings.csv"
