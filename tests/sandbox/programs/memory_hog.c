/* Untrusted test program (run only through the sandbox).
 * memory_hog MIB [CHUNK_MIB [LAST_MIB]]: allocates MIB MiB in chunks and
 * touches every page, then (if LAST_MIB) asks for LAST_MIB MiB more at once.
 * Aborts when an allocation is refused, as a C++ program would. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 1024;
    long chunk = argc > 2 ? atol(argv[2]) : 8;
    long last = argc > 3 ? atol(argv[3]) : 0;
    for (long done = 0; done < mib; done += chunk) {
        char *p = malloc((size_t)chunk << 20);
        if (!p) abort();
        memset(p, 1, (size_t)chunk << 20);
    }
    if (last > 0) {
        char *p = malloc((size_t)last << 20);
        if (!p) abort();
        p[0] = 1;
    }
    return 0;
}
