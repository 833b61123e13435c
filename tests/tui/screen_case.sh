#!/bin/sh
# Opening a case: the case pane with phases and deadlines, the meetings with
# ORS/SRS by rater, the absence strip and tier, the chart placeholder.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys case
expect_screens case
pass
