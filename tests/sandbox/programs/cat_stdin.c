/* Untrusted test program (run only through the sandbox): copies stdin to
 * stdout and prints how many bytes it read on stderr. */
#include <unistd.h>

#include <stdio.h>

int main(void) {
    char buf[4096];
    long total = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        if (write(1, buf, (size_t)n) != n) return 1;
        total += n;
    }
    fprintf(stderr, "read %ld\n", total);
    return n < 0;
}
