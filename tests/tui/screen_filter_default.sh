#!/bin/sh
# The case list starts on the filter the role needs (issue 7): a caseworker
# on her own cases (coordinator or secondary contact), a team lead and an
# administrator in a team on the team's, an administrator in no team on all
# (which holds nothing for them); the title line says which. f still cycles
# mine, team, all. A search looks within the filter; when it finds nothing
# there but in a wider one, the list says so, Enter shows those and Esc
# comes back. `fixture colleagues` adds kirsten's two cases to Nord, so
# mette's own cases and her team's differ:
#   mette   mine 16 open (her 10 in Nord, lars's 6 in Syd as secondary),
#           team 12 (Nord: her 10 and kirsten's 2), all 18
#   lone    Nord's lead: team 12
#   kirsten mine 2 (Bo Hansen, Sigrid Kofoed), team 12
#   lars    mine 16 (his 6 and mette's 10 as secondary); never kirsten's
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
fixture "$tmp/db" colleagues

# has FILE REGEX WHAT / hasnt: a line of the dump matches, or none does.
has() { grep -Eq -- "$2" "$1" || fail "$3: no line /$2/ in $(basename "$1"):
$(cat "$1")"; }
hasnt() { ! grep -Eq -- "$2" "$1" || fail "$3: a line /$2/ in $(basename "$1"):
$(cat "$1")"; }

# first USER [LANG]: the first screen as USER at 80x24, in $tmp/first-USER.txt.
first() {
    printf ':dump %s\nq\n' "$tmp/first-$1.txt" >"$tmp/first-$1.keys"
    (cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_LANG=${2:-en} FITCASE_SCRIPT="$tmp/first-$1.keys" \
        "$FITCASE" --db db --user "$1" >"$tmp/first-$1.out" 2>"$tmp/first-$1.err") ||
        fail "fitcase exited $? as $1: $(cat "$tmp/first-$1.err")"
    [ ! -s "$tmp/first-$1.err" ] || fail "as $1: $(cat "$tmp/first-$1.err")"
}

# ---- mette, a caseworker: the whole walk, compared screen by screen -----------
run_keys filter-default
expect_screens filter-default
o=$tmp/out/filter-default
has "$o/start.txt" '^fitcase  mette  db +open, mine, by name  1/16$' "mette starts on hers"
hasnt "$o/start.txt" 'Kofoed|Bo Hansen' "kirsten's cases in mette's own"
has "$o/start.txt" '^ Åse Brøndum ' "lars's case, mette its secondary, in hers"
has "$o/team.txt" ' open, team, by name  1/12$' "f: the team's"
has "$o/team.txt" '^ Bo Hansen ' "kirsten's case in the team's"
hasnt "$o/team.txt" 'Åse' "a Syd case in Nord's"
has "$o/all.txt" ' open, all, by name  1/18$' "f f: all"
has "$o/kofo.txt" '/kofo +open, mine, by name  0/0$' "the search within hers"
has "$o/kofo.txt" "^ None of your cases matches; 1 of the team's does\. Enter widens the filter\.$" \
    "where the search would find it"
has "$o/kofo-enter.txt" '/kofo +open, team, by name  1/1$' "Enter: the team's"
has "$o/kofo-enter.txt" '^>Sigrid Kofoed ' "the colleague's case found and selected"
has "$o/kofo-enter.txt" '^Not in your cases; the team has 1 match for "kofo"\. Esc goes back\.$' \
    "what Enter did"
has "$o/kofo-esc.txt" '^fitcase  mette  db +open, mine, by name  1/16$' "Esc: her own again"
has "$o/kofo-esc.txt" '^Search cleared; the filter is as before\.$' "what Esc did"
has "$o/hansen.txt" '/hansen +open, mine, by name  1/1$' "her own Hansen"
has "$o/hansen.txt" '^1 of your cases matches "hansen"; the team has more: f shows them\.$' \
    "the team's Hansen told of"
has "$o/hansen-f.txt" '/hansen +open, team, by name  1/1$' "f on a search"
has "$o/hansen-f.txt" '^>Bo Hansen ' "the team's Hansen"
has "$o/anna.txt" '/anna +open, team, by name  0/0$' "a search within the team's"
has "$o/anna.txt" '^ No case in this filter matches; 1 of all cases does\. Enter widens the filter\.$' \
    "all would find her"
has "$o/anna-enter.txt" '/anna +open, all, by name  1/1$' "Enter: all"
has "$o/anna-esc.txt" ' open, team, by name  1/12$' "Esc: the team's again"
has "$o/help-end.txt" '^The list starts on your own cases \(coordinator or secondary contact\), a team$' \
    "the help on the filters"

# ---- the others' first screens --------------------------------------------------
first lone
has "$tmp/first-lone.txt" '^fitcase  lone  db +open, team, by name  1/12$' "a lead starts on the team's"
has "$tmp/first-lone.txt" '^ Bo Hansen ' "lone sees kirsten's case"
first kirsten
has "$tmp/first-kirsten.txt" '^fitcase  kirsten  db +open, mine, by name  1/2$' "kirsten starts on hers"
has "$tmp/first-kirsten.txt" '^>Bo Hansen ' "kirsten's own"
hasnt "$tmp/first-kirsten.txt" 'Søren' "mette's case in kirsten's own"
first lars
has "$tmp/first-lars.txt" '^fitcase  lars  db +open, mine, by name  1/16$' "lars starts on his"
first anne
has "$tmp/first-anne.txt" '^fitcase  anne  db +open, team, by name  1/12$' "an admin in a team"
first adam
has "$tmp/first-adam.txt" '^fitcase  adam  db +open, all, by name  0/0$' "an admin in no team"
has "$tmp/first-adam.txt" '^ No cases: an administrator sees cases only as a member of a team\.$' \
    "why adam's list is empty"
# In Danish: the title and the list's word for where the search would find.
first mette da
has "$tmp/first-mette.txt" '^fitcase  mette  db +åbne, mine, efter navn  1/16$' "the title in Danish"
printf '/kofo\n:dump %s\n<Enter>\n:dump %s\nq\n' "$tmp/da-kofo.txt" "$tmp/da-enter.txt" >"$tmp/da.keys"
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_LANG=da FITCASE_SCRIPT="$tmp/da.keys" \
    "$FITCASE" --db db --user mette >/dev/null 2>"$tmp/da.err") || fail "exit $?: $(cat "$tmp/da.err")"
has "$tmp/da-kofo.txt" '^ Ingen af dine forløb passer; 1 af teamets gør\. Enter udvider filteret\.$' \
    "the hint in Danish"
has "$tmp/da-enter.txt" '^Ikke blandt dine forløb; teamet har 1, der passer på "kofo"\. Esc går tilbage\.$' \
    "what Enter did, in Danish"
pass
