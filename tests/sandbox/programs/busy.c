/* Untrusted test program (run only through the sandbox).
 * busy [ms [fork]]: burns CPU for ms milliseconds of CPU time (forever
 * without ms). With "fork", a child burns it while the parent just waits. */
#include <sys/wait.h>
#include <unistd.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    double ms = argc > 1 ? atof(argv[1]) : -1;
    if (argc > 2 && strcmp(argv[2], "fork") == 0) {
        pid_t pid = fork();
        if (pid > 0) {
            int status;
            waitpid(pid, &status, 0);
            return 0;
        }
    }
    volatile unsigned long x = 0;
    while (ms < 0 || cpu_ms() < ms)
        for (int i = 0; i < 100000; ++i)
            x += i;
    return 0;
}
