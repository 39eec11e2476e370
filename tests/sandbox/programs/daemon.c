/* Untrusted test program (run only through the sandbox).
 * daemon PIDFILE [setsid]: forks a child that writes its pid to PIDFILE and
 * sleeps forever (in a new session with "setsid"); the parent exits 0 as soon
 * as the pid file is there. The child keeps stdout and stderr open. */
#include <fcntl.h>
#include <unistd.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        if (argc > 2 && strcmp(argv[2], "setsid") == 0) setsid();
        FILE *f = fopen(tmp, "w");
        if (!f) return 1;
        fprintf(f, "%d\n", (int)getpid());
        fclose(f);
        rename(tmp, argv[1]);
        for (;;)
            pause();
    }
    while (access(argv[1], F_OK) != 0)
        usleep(1000);
    return 0;
}
