#include <stdio.h>

int main(void) {
    long long n = 0;
    if (scanf("%lld", &n) != 1) return 1;
    for (;;) printf("%lld 0\n", n);
    return 0;
}
