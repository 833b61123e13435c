/* Timing for the headless TUI without touching it: preloaded into
 * `fitcase` run with FITCASE_SCRIPT, it notes the moment the TUI asks for
 * each line of the key script. The TUI asks for the next line only after it
 * has handled the previous line's keys and drawn (one doupdate per cycle),
 * so the gap between two requests is the time of that line's keys, and the
 * first request comes when the first full screen is drawn.
 *
 * FCBENCH_LOG=FILE receives
 *   T <ns since start> <the script line read>   (one per line read)
 *   E <ns since start>                           (end of the script)
 *   M <peak resident kB (VmHWM)>                 (at exit)
 *   A <largest private resident kB (RssAnon)>    (at exit)
 *   S <kB of data.mdb mapped in (Rss)>           (when the store's map goes)
 * VmHWM counts the pages of the store LMDB maps in (shared page cache), so
 * the private memory is sampled too: RssAnon after each script line, the
 * time that takes left out of the T figures. S is the map's Rss just
 * before LMDB unmaps it (at fc_store_close): the map only grows while the
 * TUI runs, so that is its peak.
 *
 * FCBENCH_PAGES=FILE also writes, at the same moment, the page numbers of
 * data.mdb this process has mapped in (from /proc/self/pagemap), one a
 * line, for bench/mem/owners.py to say which database each belongs to.
 * "start" is FCBENCH_T0 (CLOCK_MONOTONIC ns, set by bench/tui/stamp just
 * before it execs fitcase), else the moment this library was loaded. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static FILE *script, *logf;
static int64_t t0, overhead;
static long anon_max;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static FILE *real_fopen(const char *path, const char *mode)
{
    static FILE *(*fn)(const char *, const char *);
    if (!fn)
        fn = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
    return fn(path, mode);
}

/* VmHWM and RssAnon from /proc/self/status, in kB. */
static void status_kb(long *hwm, long *anon)
{
    FILE *f = real_fopen("/proc/self/status", "r");
    char line[256];
    FILE *keep = script;
    script = NULL;     /* its FILE may be closed and reused by now */
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmHWM:", 6) == 0)
            *hwm = strtol(line + 6, NULL, 10);
        else if (strncmp(line, "RssAnon:", 8) == 0)
            *anon = strtol(line + 8, NULL, 10);
    }
    script = keep;
    if (f)
        fclose(f);
}

static void sample_anon(void)
{
    long hwm = 0, anon = 0;
    status_kb(&hwm, &anon);
    if (anon > anon_max)
        anon_max = anon;
}

static void peak_memory(void)
{
    long hwm = 0, anon = 0;
    script = NULL;
    status_kb(&hwm, &anon);
    if (anon > anon_max)
        anon_max = anon;
    if (logf) {
        fprintf(logf, "M %ld\nA %ld\n", hwm, anon_max);
        fclose(logf);
    }
    logf = NULL;
}

/* ---- the store's map ---------------------------------------------------- */

/* The Rss of the mapping of data.mdb at addr (kB), from /proc/self/smaps;
 * -1 if addr begins no such mapping. With pages (FCBENCH_PAGES) the
 * mapped-in page numbers go there. */
static long store_map_kb(void *addr, const char *pages)
{
    FILE *f = real_fopen("/proc/self/smaps", "r");
    char line[512];
    long kb = -1;
    unsigned long lo = 0, hi = 0, off = 0;
    bool in = false;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long a, b, o;
        size_t n = strlen(line);
        if (sscanf(line, "%lx-%lx %*s %lx", &a, &b, &o) == 3 && strchr(line, '-') <
            strchr(line, ' ')) {
            in = a == (unsigned long)addr && n > 9 && strcmp(line + n - 10, "/data.mdb\n") == 0;
            if (in) {
                lo = a;
                hi = b;
                off = o;
            }
        } else if (in && strncmp(line, "Rss:", 4) == 0) {
            kb = strtol(line + 4, NULL, 10);
        }
    }
    if (f)
        fclose(f);
    if (kb < 0 || !pages || !*pages)
        return kb;
    FILE *out = real_fopen(pages, "w");
    int pm = open("/proc/self/pagemap", O_RDONLY);
    for (unsigned long a = lo; out && pm >= 0 && a < hi; a += 4096) {
        uint64_t e;
        if (pread(pm, &e, sizeof e, (off_t)(a / 4096 * sizeof e)) != sizeof e)
            break;
        if (e >> 63)
            fprintf(out, "%lu\n", (a - lo + off) / 4096);
    }
    if (pm >= 0)
        close(pm);
    if (out)
        fclose(out);
    return kb;
}

/* LMDB unmaps the store at close: note what it had mapped in. Only maps
 * of 64 MiB and more are looked at (the store's is at least that), so
 * malloc's unmapping costs nothing. */
int munmap(void *addr, size_t len)
{
    static int (*fn)(void *, size_t);
    if (!fn)
        fn = (int (*)(void *, size_t))dlsym(RTLD_NEXT, "munmap");
    if (logf && len >= ((size_t)64 << 20)) {
        long kb = store_map_kb(addr, getenv("FCBENCH_PAGES"));
        if (kb >= 0)
            fprintf(logf, "S %ld\n", kb);
    }
    return fn(addr, len);
}

__attribute__((constructor)) static void start(void)
{
    const char *s = getenv("FCBENCH_T0"), *log = getenv("FCBENCH_LOG");
    t0 = s ? strtoll(s, NULL, 10) : now_ns();
    if (log && *log && (logf = real_fopen(log, "w")) != NULL) {
        setvbuf(logf, NULL, _IOFBF, 1 << 16);
        atexit(peak_memory);
    }
}

FILE *fopen(const char *path, const char *mode)
{
    FILE *f = real_fopen(path, mode);
    const char *want = getenv("FITCASE_SCRIPT");
    if (f && !script && want && strcmp(path, want) == 0)
        script = f;
    return f;
}

FILE *fopen64(const char *path, const char *mode)
{
    return fopen(path, mode);
}

char *fgets(char *buf, int n, FILE *f)
{
    static char *(*fn)(char *, int, FILE *);
    if (!fn)
        fn = (char *(*)(char *, int, FILE *))dlsym(RTLD_NEXT, "fgets");
    if (f != script || !logf)
        return fn(buf, n, f);
    int64_t t = now_ns() - t0 - overhead;
    sample_anon();
    overhead = now_ns() - t0 - t;
    char *r = fn(buf, n, f);
    if (r)
        fprintf(logf, "T %lld %.*s\n", (long long)t, (int)strcspn(buf, "\r\n"), buf);
    else
        fprintf(logf, "E %lld\n", (long long)t);
    return r;
}
