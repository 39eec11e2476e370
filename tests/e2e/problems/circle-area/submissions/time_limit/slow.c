#include <math.h>
#include <stdio.h>

int main(void) {
    int n = 0;
    if (scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; ++i) {
        double r = 0;
        if (scanf("%lf", &r) != 1) return 1;
        double s = 0; for (long k = 1; k > 0; ++k) s += 1.0 / k; printf("%f\n", s);
    }
    return 0;
}
