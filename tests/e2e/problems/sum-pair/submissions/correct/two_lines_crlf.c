#include <stdio.h>

int main(void) {
    long long n = 0;
    if (scanf("%lld", &n) != 1) return 1;
    printf("%lld\r\n0\r\n", n);
    return 0;
}
