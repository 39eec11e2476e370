#include <cmath>
#include <cstdio>

int main() {
    int n = 0;
    if (std::scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; ++i) {
        double r = 0;
        if (std::scanf("%lf", &r) != 1) return 1;
        std::printf("%.9f\n", M_PI * r * r);
    }
    return 0;
}
