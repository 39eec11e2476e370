// The output validator of sum-pair, with the Kattis interface:
//     validator INPUT ANSWER FEEDBACK_DIR/ [nonnegative] < program_output
// Exits 42 when the program printed two integers (and nothing else) that
// sum to N, 43 otherwise, with the reason in FEEDBACK_DIR/judgemessage.txt.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace {

std::string feedback_dir;

[[noreturn]] void verdict(int code, const std::string& message) {
    std::ofstream(feedback_dir + "judgemessage.txt") << message << "\n";
    std::exit(code);
}

bool read_integer(const std::string& token, long long& v) {
    if (token.empty() || token.size() > 19) return false;
    std::size_t i = token[0] == '-' ? 1 : 0;
    if (i == token.size()) return false;
    for (std::size_t k = i; k < token.size(); ++k)
        if (token[k] < '0' || token[k] > '9') return false;
    v = std::stoll(token);
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: validator INPUT ANSWER FEEDBACK_DIR [nonnegative]\n");
        return 1;
    }
    feedback_dir = argv[3];
    bool nonnegative = false;
    for (int i = 4; i < argc; ++i)
        nonnegative = nonnegative || std::strcmp(argv[i], "nonnegative") == 0;
    long long n = 0;
    if (!(std::ifstream(argv[1]) >> n)) {
        std::fprintf(stderr, "cannot read N from %s\n", argv[1]);
        return 1;
    }
    std::string a, b, extra;
    long long x = 0, y = 0;
    if (!(std::cin >> a)) verdict(43, "expected two integers, got nothing");
    if (!(std::cin >> b)) verdict(43, "expected two integers, got one token");
    if (!read_integer(a, x) || !read_integer(b, y))
        verdict(43, "expected two integers, got '" + a + "' and '" + b + "'");
    if (std::cin >> extra) verdict(43, "more than two tokens: '" + extra + "' after the pair");
    if (nonnegative && (x < 0 || y < 0))
        verdict(43, "the numbers must not be negative, got " + a + " and " + b);
    if (x + y != n)
        verdict(43, a + " + " + b + " = " + std::to_string(x + y) + ", not " + std::to_string(n));
    return 42;
}
