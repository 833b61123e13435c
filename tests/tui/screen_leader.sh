#!/bin/sh
# The leader's view (t): the figures of `fitcase stats` for the login, by
# hand count on the fixture; a caseworker sees the cases they coordinate
# only, a lead the team's; the at-risk list opens a case with Enter; 40x12
# shows every column; the poll recomputes, and an invisible write changes
# nothing on the screen.
#
# The hand count (fixture.c, today 20-11-2026). mette coordinates 12 cases
# in Nord (lars's 6 in Syd name her as secondary, so her list shows 16
# open), 2 of them closed (Jens, Viktor). One has meetings: Søren, 3. His
# ORS series with 2+ ratings: child 18.5 -> 26.5 (+8.0, reliable; the
# youth cut-off 28 not crossed), mother 14.0 -> 24.5 (+10.5, reliable; the
# adult cut-off 25 not crossed): improved 2 of 2, clinically significant 0,
# deteriorated 0, mean change +9.25 (shown +9.3), effect size 9.25 / SD of
# the intakes 18.5 and 14.0 (3.182) = 2.91. Meetings 3 / 12 = 0.25 (0.3).
# Days, concern to today (closed: to concern + 100): 80 46 100 67 88 53 32
# 158 109 39 11 100 = 883 / 12 = 73.6. Overdue: the 10 open cases but Agnes
# (deadline in 3 days) = 9, all at risk. FIT (ORS and SRS): Søren only, 1 of
# 12 = 8.3%; families scoring: Søren's mother, 8.3%.
# lars coordinates 6, all open, no series; Åse has one meeting with an ORS
# and a mother's SRS: FIT and family 1 of 6 = 16.7%, meetings 0.2; days 200
# 25 18 142 74 60 = 519 / 6 = 86.5; all 6 overdue.
# lone leads Nord and coordinates nothing: the team's 12 cases, mette's.
# After a meeting today on Søren with a child ORS of 32.5: the child series
# is 18.5 -> 32.5 (+14.0, above the cut-off: clinically significant), mean
# change (14.0 + 10.5) / 2 = 12.25 (+12.3), ES 12.25 / 3.182 = 3.85, Clin%
# 1 of 2 = 50.0; his mother's latest ORS (24.5) keeps him at risk.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store

# has FILE REGEX WHAT: a line of the dump matches.
has() { grep -Eq -- "$2" "$1" || fail "$3: no line /$2/ in $(basename "$1"):
$(cat "$1")"; }
hasnt() { ! grep -Eq -- "$2" "$1" || fail "$3: a line /$2/ in $(basename "$1"):
$(cat "$1")"; }

# run_as USER NAME SIZE: run_keys as another login.
run_as() {
    mkdir -p "$tmp/out/$2"
    sed "/^:dump/s|@|$tmp/out/$2/|" "$srcdir/tests/tui/keys/$2.keys" >"$tmp/$2.keys"
    (cd "$tmp" && COLUMNS=${3%x*} LINES=${3#*x} FITCASE_SCRIPT="$tmp/$2.keys" \
        "$FITCASE" --db db --user "$1" >"$tmp/$2.stdout" 2>"$tmp/$2.stderr") ||
        fail "fitcase exited $? on keys $2: $(cat "$tmp/$2.stderr")"
    [ ! -s "$tmp/$2.stderr" ] || fail "keys $2: $(cat "$tmp/$2.stderr")"
}

# ---- mette, a caseworker, 80x24 ----------------------------------------------
run_keys leader
o=$tmp/out/leader
has "$o/figures.txt" '^- Figures - At risk \(9\) -' "the view's tabs"
has "$o/figures.txt" '^Figures for mette: the cases you coordinate, as of 20-11-2026$' "whose"
has "$o/figures.txt" '^FIT used \(ORS and SRS\): 1 of 12 cases, 8\.3%; the target of 90% is not met$' "FIT"
has "$o/figures.txt" '^Families scoring: 1 of 12 cases, 8\.3%; the target of 90% is not met$' "families"
has "$o/figures.txt" '^All cases +12 +10 +2 +2 +100\.0 +0\.0 +0\.0 +\+9\.3 +2\.91$' "outcomes"
has "$o/figures.txt" '^  mette +12 +10 +2 +2 +100\.0 ' "mette's row"
has "$o/figures.txt" '^  Følges til skole +12 ' "the intervention kind"
hasnt "$o/figures.txt" '^  lars ' "a caseworker's figures"
has "$o/figures-end.txt" '^All cases +0\.3 +73\.6 +9 +9 +8\.3 +8\.3$' "work and FIT"
has "$o/figures.txt" 'open, all, by name  1/16$' "mette's list"
has "$o/risk.txt" '^9 cases with alerts; Enter opens the selected case\.$' "at risk"
has "$o/risk.txt" '^>#1 +Søren Østergaard +ORS below cut-off, phase overdue$' "Søren at risk"
hasnt "$o/risk.txt" 'Åse|#2 ' "lars's case in mette's figures"
has "$o/risk-moved.txt" '^>#6 +Mikkel Dahl +no recent ORS, phase overdue$' "the selection"
has "$o/help.txt" '^Keys \(q, \? or Esc closes this help\)$' "help over the view"
cmp -s "$o/risk-moved.txt" "$o/help-closed.txt" || fail "closing help did not bring the view back"
# Enter opened the selected case, and the opening is in the audit log.
has "$o/opened.txt" ' Mikkel Dahl #6 -$' "the opened case"
has "$o/opened.txt" '^Case #6, ' "the opened case"
fixture "$tmp/db" audit | grep -Eq '^[0-9]+ mette case\.open case 6 ' ||
    fail "opening case 6 from the view is not in the audit log: $(fixture "$tmp/db" audit)"
# t again: the view as it was left; Esc: the list and the case again.
has "$o/again.txt" '^>#6 +Mikkel Dahl ' "the view reopened"
hasnt "$o/closed.txt" 'Figures - At risk' "the view closed"
has "$o/closed.txt" ' Mikkel Dahl #6 -$' "the case pane after the view"
# Those three show other panes' work: checked above, not compared.
mv "$o/help.txt" "$o/opened.txt" "$o/closed.txt" "$tmp/"
expect_screens leader

# ---- lars, a caseworker in Syd ----------------------------------------------------
run_as lars leader-lars 80x24
o=$tmp/out/leader-lars
has "$o/figures.txt" '^Figures for lars: the cases you coordinate, as of 20-11-2026$' "whose"
has "$o/figures.txt" '^FIT used \(ORS and SRS\): 1 of 6 cases, 16\.7%; the target of 90% is not met$' "FIT"
has "$o/figures.txt" '^All cases +6 +6 +0 +0 +- +- +- +- +-$' "outcomes"
has "$o/figures.txt" '^  FIT-team Syd +6 ' "lars's team"
hasnt "$o/figures.txt" 'Nord|mette' "another team in lars's figures"
has "$o/figures-end.txt" '^All cases +0\.2 +86\.5 +6 +6 +16\.7 +16\.7$' "work and FIT"
has "$o/risk.txt" '^6 cases with alerts' "at risk"
has "$o/risk.txt" '^>#2 +Åse Brøndum +ORS below cut-off, SRS below cut-off,' "Åse at risk"
hasnt "$o/risk.txt" 'Søren|#1 ' "mette's case in lars's figures"
expect_screens leader-lars

# ---- lone, Nord's lead, 40x12 -------------------------------------------------------
run_as lone leader-lone 40x12
o=$tmp/out/leader-lone
has "$o/figures.txt" '^Figures for lone: the cases of your$' "a lead's figures"
has "$o/figures-2.txt" '^All cases +12 +10 +2 +2$' "the first table at 40 columns"
has "$o/risk.txt" '^>#1 +Søren Øste… +mette$' "whose case, for a lead"
has "$o/risk.txt" '^     ORS below cut-off, phase overdue$' "the alerts below at 40 columns"
expect_screens leader-lone

# ---- the poll: recomputed when the store changed ---------------------------------------
out="$tmp/out/poll"
mkdir -p "$out"
live_start lone
step before t
has "$out/before.txt" '^Figures for lone: the cases of your team, as of 20-11-2026$' "lone's view"
has "$out/before.txt" '^All cases +12 +10 +2 +2 +100\.0 +0\.0 +0\.0 +\+9\.3 +2\.91$' "lone: the team's figures"
has "$out/before.txt" '^  mette +12 ' "lone: mette's row"
fixture "$tmp/db" touch
step touched ':poll'
cmp -s "$out/before.txt" "$out/touched.txt" || fail "a write nothing shows changed the view"
fixture "$tmp/db" add-meeting 1
step meeting ':poll'
has "$out/meeting.txt" '^All cases +12 +10 +2 +2 +100\.0 +50\.0 +0\.0 +\+12\.3 +3\.85$' "after a meeting"
step meeting-risk '<Right>'
has "$out/meeting-risk.txt" '^>#1 +Søren Østergaard +mette +ORS below cut-off, phase overdue$' "Søren"
printf 'q\n' >&3
live_end
pass
