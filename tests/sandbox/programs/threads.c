/* Untrusted test program (run only through the sandbox).
 * threads N: starts N threads with the default stack size, joins them. */
#include <unistd.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *work(void *arg) {
    usleep(10000);
    return arg;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 8;
    pthread_t t[256];
    if (n > 256) n = 256;
    for (int i = 0; i < n; ++i) {
        int e = pthread_create(&t[i], NULL, work, NULL);
        if (e != 0) {
            fprintf(stderr, "thread %d: %s\n", i, strerror(e));
            return 1;
        }
    }
    for (int i = 0; i < n; ++i)
        pthread_join(t[i], NULL);
    return 0;
}
