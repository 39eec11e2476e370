// The right answer on stdout, and a flood on stderr alone.
#include <stdio.h>

int main(void) {
    puts("Hello, World!");
    for (long i = 0; i < 10000000; ++i) fputs("diagnostic line\n", stderr);
    return 0;
}
