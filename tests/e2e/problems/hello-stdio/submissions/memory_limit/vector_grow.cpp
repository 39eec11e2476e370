#include <cstdio>
#include <vector>

int main() {
    std::vector<long> v;
    for (long i = 0; i < (1L << 30); ++i) v.push_back(i);
    std::printf("%zu\n", v.size());
}
