#include <stdio.h>

int main(void) {
    long long n = 0;
    if (scanf("%lld", &n) != 1) return 1;
    /* print two numbers that sum to n */
    return 0;
}
