/* stamp CMD [ARGS]: puts the time now (CLOCK_MONOTONIC ns) in FCBENCH_T0
 * and execs CMD, so bench/tui/keytime.so measures from the exec on,
 * dynamic loading and the store's opening included. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: stamp CMD [ARGS]\n");
        return 2;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)ts.tv_sec * 1000000000 + ts.tv_nsec);
    setenv("FCBENCH_T0", buf, 1);
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    return 127;
}
