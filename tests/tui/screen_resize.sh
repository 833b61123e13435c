#!/bin/sh
# Resizing never garbles: 40x12 stays usable, below it says too small and
# recovers, wide terminals put the panes side by side, tall ones stack them.
set -u
. "${srcdir:-.}/tests/tui/lib.sh"
make_store
run_keys resize
expect_screens resize
pass
