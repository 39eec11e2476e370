/* Untrusted test program (run only through the sandbox).
 * flood out|err|both [bytes]: writes bytes of 'x' to stdout, stderr or each
 * (forever without bytes). */
#include <unistd.h>

#include <stdlib.h>
#include <string.h>

static void put(int fd, long long n) {
    static char buf[65536];
    memset(buf, 'x', sizeof buf);
    while (n != 0) {
        size_t chunk = n < 0 || n > (long long)sizeof buf ? sizeof buf : (size_t)n;
        ssize_t w = write(fd, buf, chunk);
        if (w <= 0) exit(1);
        if (n > 0) n -= w;
    }
}

int main(int argc, char **argv) {
    const char *which = argc > 1 ? argv[1] : "out";
    long long n = argc > 2 ? atoll(argv[2]) : -1;
    if (strcmp(which, "both") == 0) {
        put(1, n);
        put(2, n);
    } else {
        put(strcmp(which, "err") == 0 ? 2 : 1, n);
    }
    return 0;
}
