/* Untrusted test program (run only through the sandbox): prints its argv,
 * its working directory and its environment, one per line. */
#include <unistd.h>

#include <stdio.h>

extern char **environ;

int main(int argc, char **argv) {
    for (int i = 0; i < argc; ++i)
        printf("argv=%s\n", argv[i]);
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) printf("cwd=%s\n", cwd);
    for (char **e = environ; *e; ++e)
        printf("env=%s\n", *e);
    return 0;
}
