#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

static char name[256];

static void read_name(void) {
    if (!fgets(name, sizeof name, stdin)) name[0] = 0;
    name[strcspn(name, "\r\n")] = 0;
}

int main(void) {
    read_name();
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    waitpid(pid, NULL, 0);
    printf("Hello, %s!\n", name);
    return 0;
}
