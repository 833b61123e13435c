#!/bin/sh
# Opening a case is recorded in the audit log once per opening (not per
# redraw, poll, tab or form); browsing writes nothing to the store.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
db=$tmp/db
fixture "$db" audit >"$tmp/audit0"
store_snapshot before
# Browsing without opening: moves, search, sort, filters, help, redraw.
cat >"$tmp/browse.keys" <<KEYS
jjjkG<PgUp>g
/sor<Enter><Esc>
ssffoo
?<Esc><C-l><Tab><Tab><Tab>
:poll
q
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/browse.keys" \
    "$FITCASE" --db db --user mette) || fail "browse"
store_snapshot browsed
store_unchanged before browsed
# Two openings of Søren's case and one of Åse's, with tabs, scrolling,
# polls and a cancelled form in between.
cat >"$tmp/open.keys" <<KEYS
/sor<Enter><Enter>
<Tab><Right><Right>jjk
:poll
m<Esc>
<Esc><Enter>
:poll
<Esc><Esc>/åse<Enter><Enter>
G
q
KEYS
(cd "$tmp" && COLUMNS=80 LINES=24 FITCASE_SCRIPT="$tmp/open.keys" \
    "$FITCASE" --db db --user mette) || fail "open"
fixture "$db" audit >"$tmp/audit1"
diff "$tmp/audit0" "$tmp/audit1" | sed -n 's/^> //p' >"$tmp/new"
n=$(wc -l <"$tmp/new")
[ "$n" -eq 3 ] || fail "expected 3 new audit entries, got $n:
$(cat "$tmp/new")"
[ "$(grep -c ' mette case.open case 1 $' "$tmp/new")" -eq 2 ] ||
    fail "Søren's case was not logged as opened twice: $(cat "$tmp/new")"
[ "$(grep -c ' mette case.open case 2 $' "$tmp/new")" -eq 1 ] ||
    fail "Åse's case was not logged as opened once: $(cat "$tmp/new")"
# Nothing but the openings was written.
store_snapshot opened
store_unchanged before opened
pass
