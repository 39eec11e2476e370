#include <stdio.h>

int main(void) {
    for (;;) fputs("Hello, World!\n", stdout);
}
