/* Untrusted test program (run only through the sandbox): reports what it
 * inherited. Lines: "fd N" for every open descriptor 3..1023 (it tries to
 * read each), "blocked N" and "ignored N" per signal, "own_group 0|1",
 * "cpus N" (how many CPUs it may run on), and "rlimit NAME SOFT HARD"
 * (-1 = unlimited). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <stdio.h>

static void limit(const char *name, int resource) {
    struct rlimit rl;
    getrlimit(resource, &rl);
    printf("rlimit %s %lld %lld\n", name,
           rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur,
           rl.rlim_max == RLIM_INFINITY ? -1LL : (long long)rl.rlim_max);
}

int main(void) {
    char c;
    for (int fd = 3; fd < 1024; ++fd)
        if (fcntl(fd, F_GETFD) != -1) {
            ssize_t n = read(fd, &c, 1);
            printf("fd %d (read %zd)\n", fd, n);
        }
    sigset_t mask;
    sigprocmask(SIG_SETMASK, NULL, &mask);
    for (int sig = 1; sig < 65; ++sig) {
        struct sigaction sa;
        if (sigismember(&mask, sig) == 1) printf("blocked %d\n", sig);
        if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) printf("ignored %d\n", sig);
    }
    printf("own_group %d\n", getpgrp() == getpid());
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) printf("cpus %d\n", CPU_COUNT(&cpus));
    limit("CPU", RLIMIT_CPU);
    limit("DATA", RLIMIT_DATA);
    limit("AS", RLIMIT_AS);
    limit("STACK", RLIMIT_STACK);
    limit("NPROC", RLIMIT_NPROC);
    limit("FSIZE", RLIMIT_FSIZE);
    limit("NOFILE", RLIMIT_NOFILE);
    limit("CORE", RLIMIT_CORE);
    return 0;
}
