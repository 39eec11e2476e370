// 1 GiB, touched, under a limit of 256 MiB.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    for (int i = 0; i < 64; ++i) {
        char* p = malloc(16 << 20);
        if (!p) return 1;
        memset(p, 1, 16 << 20);
    }
    puts("Hello");
    return 0;
}
