/* Untrusted test program (run only through the sandbox).
 * write_file NAME BYTES: writes a file of BYTES bytes in the current directory. */
#include <fcntl.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    long long n = atoll(argv[2]);
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    static char buf[65536];
    memset(buf, 'y', sizeof buf);
    while (n > 0) {
        ssize_t w = write(fd, buf, n > (long long)sizeof buf ? sizeof buf : (size_t)n);
        if (w <= 0) {
            perror("write");
            return 1;
        }
        n -= w;
    }
    return 0;
}
