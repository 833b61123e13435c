## bench: benchmarks at national scale (docs/bench.md). Never built by
## `make` or `make check`: `make bench` builds the generator and the timing
## tools, generates (once) a store under bench/data/ and prints the table.
## BENCH_SCALE=0.01 for a quick run; BENCH_RUNS for the runs per median.
EXTRA_PROGRAMS = bench/gen/fitcase-gen bench/tui/stamp
bench_gen_fitcase_gen_SOURCES = bench/gen/gen.c
bench_gen_fitcase_gen_LDADD = $(FITCASE_LIBS)
bench_tui_stamp_SOURCES = bench/tui/stamp.c
CLEANFILES += $(EXTRA_PROGRAMS) bench/tui/keytime.so

# A preloaded library, so a plain rule rather than libtool.
bench/tui/keytime.so: $(srcdir)/bench/tui/keytime.c
	$(CC) $(CFLAGS) -std=c11 -Wall -Wextra $(WERROR_CFLAGS) -fPIC -shared \
		-o $@ $(srcdir)/bench/tui/keytime.c -ldl

BENCH_SCALE = 1
BENCH_RUNS = 5
bench: src/fitcase bench/gen/fitcase-gen bench/tui/stamp bench/tui/keytime.so
	$(srcdir)/bench/run.sh --scale $(BENCH_SCALE) --runs $(BENCH_RUNS)

EXTRA_DIST += bench/run.sh bench/gen/gen.c bench/tui/keytime.c bench/tui/stamp.c \
	bench/mem/owners.py
.PHONY: bench
