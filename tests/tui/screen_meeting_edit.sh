#!/bin/sh
# A saved meeting edited from the keyboard: selected in the meetings tab,
# opened with e, its date, kind, participants, notes and agreements and
# its ratings changed, removed (C-x) and added in one save, one
# transaction, audited with what changed; a save without changes writes
# nothing; refusals as in a new meeting; another user's change meets the
# conflict dialog (reload, show both, or explicitly yours over theirs);
# a draft keeps the versions it was typed against; d deletes a meeting
# after a question.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
db=$tmp/db
meetings() { fixture "$db" meetings 1; }

# ---- the happy path ------------------------------------------------------
fixture "$db" audit >"$tmp/audit0"
run_keys meeting-edit
expect_screens meeting-edit
o=$tmp/out/meeting-edit
grep -q 'Meeting of 25-09-2026: Søren Østergaard #1' "$o/form.txt" || fail "e did not open 25-09"
grep -q 'The meeting was saved; ratings: 2 added, 1 changed, 1 removed' "$o/saved.txt" ||
    fail "save: $(tail -n 1 "$o/saved.txt")"
grep -q 'Nothing was changed, so nothing was saved' "$o/unchanged.txt" ||
    fail "an unchanged save: $(tail -n 1 "$o/unchanged.txt")"
meetings >"$tmp/m1"
grep -q '^meeting 2 v2 2026-09-25 kind 5; 1 participants; notes Opstart med lærer og skole.; agreed Lærer ringer fredag$' "$tmp/m1" ||
    fail "the meeting record: $(cat "$tmp/m1")"
grep -q '^  rating 4 v2 ORS child 60 60 50 60 = 230$' "$tmp/m1" || fail "the child's ORS: $(cat "$tmp/m1")"
grep -q 'rating 5 ' "$tmp/m1" && fail "the teacher's rating is still there"
grep -q '^  rating [0-9]* v1 ORS other (Bente) 70 70 70 70 = 280$' "$tmp/m1" || fail "no ORS by Bente"
grep -q '^  rating [0-9]* v1 SRS child 90 90 90 90 = 360$' "$tmp/m1" || fail "no SRS by the child"
fixture "$db" audit >"$tmp/audit1"
diff "$tmp/audit0" "$tmp/audit1" | sed -n 's/^> [0-9]* //p' >"$tmp/new"
for want in 'mette meeting.update meeting 2 changed: kind, participants, notes, agreements' \
            'mette rating.update rating 4 changed: items, total' \
            'mette rating.delete rating 5 meeting 2, case 1' \
            'mette meeting.edit meeting 2 ratings: 2 added, 1 changed, 1 removed; meeting changed'; do
    grep -qF "$want" "$tmp/new" || fail "audit lacks '$want':
$(cat "$tmp/new")"
done
[ "$(grep -c 'rating.add' "$tmp/new")" -eq 2 ] || fail "audit: two ratings added: $(cat "$tmp/new")"

# ---- refusals: the store stays as it is -------------------------------------
store_snapshot before
# Meeting 2's rows now: child, other (Bente) whose name is a stop, an
# empty third.
edit2='/sor<Enter><Enter><Tab>je<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>'
refuse same-other "${edit2}anden<Tab>Bente<Tab>"
grep -q 'other (Bente) has already rated ORS in this meeting' "$tmp/same-other.txt" ||
    fail "a second Bente was not refused: $(cat "$tmp/same-other.txt")"
refuse no-name "${edit2}anden<Tab><Tab>5<Tab>5<Tab>5<Tab>5<C-s>"
grep -q 'Who is the other rater? Write the name' "$tmp/no-name.txt" ||
    fail "other without a name was saved: $(cat "$tmp/no-name.txt")"
refuse item "/sor<Enter><Enter><Tab>je<Tab><Tab><Tab><Tab><Tab><Tab>10.1<Tab>"
grep -q '10.1 is out of range' "$tmp/item.txt" || fail "10.1 was not refused"
refuse cancel "/sor<Enter><Enter><Tab>je<C-u>01-10-2026<Esc>"
grep -q 'Discard what you typed in this form?' "$tmp/cancel.txt" || fail "Esc did not ask"
refuse keep "/sor<Enter><Enter><Tab>Gdn"
grep -q '^04-09-2026  Enrolment conversation' "$tmp/keep.txt" || fail "d n did not keep the meeting"

# ---- two writers ------------------------------------------------------------
live_start mette
# Mette opens the newest meeting (06-11) and writes a note; Lars changes
# its notes and adds the father's ORS meanwhile.
step mine '/sor<Enter><Enter><Tab>e<Tab><Tab><Tab><C-u>Mettes note'
fixture "$db" edit-meeting 3
store_snapshot theirs
step conflict '<C-s>'
grep -q 'Someone else changed this meeting after you opened the form' "$tmp/conflict.txt" ||
    fail "no conflict dialog: $(cat "$tmp/conflict.txt")"
store_snapshot after-conflict
store_unchanged theirs after-conflict
step both 'b'
grep -q 'yours   Mettes note' "$tmp/both.txt" && grep -q 'saved   Lars: far var med.' "$tmp/both.txt" ||
    fail "show both: $(cat "$tmp/both.txt")"
grep -q 'saved   father' "$tmp/both.txt" || fail "show both lacks the father's rating"
step over 'o'
printf 'q\n' >&3
live_end
meetings >"$tmp/m2"
grep -q '^meeting 3 v3 .* notes Mettes note;' "$tmp/m2" || fail "yours over theirs: $(cat "$tmp/m2")"
grep -q 'ORS father' "$tmp/m2" && fail "yours over theirs kept the father's rating"

# ---- a draft keeps the versions it was typed against ----------------------------
cat >"$tmp/k1" <<KEYS
/sor<Enter><Enter><Tab>e<Tab><Tab><Tab><C-u>Halvt skrevet
:hangup
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/k1" "$FITCASE" --db db --user mette) ||
    fail "exit $? after the hangup"
fixture "$db" edit-meeting 3
store_snapshot theirs2
cat >"$tmp/k2" <<KEYS
<Enter>
:dump $tmp/restored.txt
<C-s>
:dump $tmp/draft-conflict.txt
r
:dump $tmp/draft-reloaded.txt
<Esc>q
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/k2" "$FITCASE" --db db --user mette) ||
    fail "exit $? with the draft"
grep -q 'Halvt skrevet' "$tmp/restored.txt" || fail "the draft did not come back"
grep -q 'Someone else changed this meeting' "$tmp/draft-conflict.txt" ||
    fail "the draft was saved over another user's change: $(cat "$tmp/draft-conflict.txt")"
grep -q 'Lars: far var med.' "$tmp/draft-reloaded.txt" || fail "reload: $(cat "$tmp/draft-reloaded.txt")"
store_snapshot after-draft
store_unchanged theirs2 after-draft

# ---- deleting -----------------------------------------------------------------
cat >"$tmp/k3" <<KEYS
/sor<Enter><Enter><Tab>Gd
:dump $tmp/ask-delete.txt
y
:dump $tmp/deleted.txt
q
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/k3" "$FITCASE" --db db --user mette) ||
    fail "exit $? deleting"
grep -q 'Delete the meeting of 04-09-2026 (Enrolment conversation)' "$tmp/ask-delete.txt" &&
    grep -q 'and its 3 ratings? It cannot be undone.' "$tmp/ask-delete.txt" ||
    fail "d did not ask: $(cat "$tmp/ask-delete.txt")"
grep -q 'The meeting of 04-09-2026 was deleted, with its 3 ratings' "$tmp/deleted.txt" ||
    fail "not deleted: $(cat "$tmp/deleted.txt")"
meetings | grep -q '^meeting 1 ' && fail "meeting 1 is still stored"
fixture "$db" audit | grep -q ' mette meeting.delete meeting 1 case 1, 3 rating(s)$' ||
    fail "the deletion is not in the audit log"
pass
