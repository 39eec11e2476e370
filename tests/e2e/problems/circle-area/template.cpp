#include <cstdio>

int main() {
    int n = 0;
    if (std::scanf("%d", &n) != 1) return 1;
    // For each of the n radii, print the area of its circle.
    return 0;
}
