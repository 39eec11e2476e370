#include <math.h>
#include <stdio.h>

int main(void) {
    int n = 0;
    if (scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; ++i) {
        double r = 0;
        if (scanf("%lf", &r) != 1) return 1;
        printf("%.8g\n", M_PI * r * r);
    }
    return 0;
}
