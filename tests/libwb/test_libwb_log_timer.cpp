// wbLog and wbTime_start/stop: lines on stderr, stdout left alone, and a
// mismatched timer is a warning, not a crash.
#include "libwb_test_util.h"

#include <cctype>
#include <sstream>

using Catch::Matchers::Contains;
using libwb_test::runHelper;
using wb::test::TempDir;

namespace {

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// True when `text` is `pattern` with each '#' standing for one or more
// digits. (std::regex trips a GCC 12 -Wmaybe-uninitialized false positive
// under the sanitizers, which would break -Werror builds.)
bool like(const std::string& text, const std::string& pattern) {
    size_t t = 0;
    for (size_t p = 0; p < pattern.size(); ++p) {
        if (pattern[p] == '#') {
            size_t start = t;
            while (t < text.size() && std::isdigit(static_cast<unsigned char>(text[t])))
                ++t;
            if (t == start) return false;
        } else if (t >= text.size() || text[t++] != pattern[p]) {
            return false;
        }
    }
    return t == text.size();
}

} // namespace

TEST_CASE("wbLog prints [LEVEL] file:line message on stderr") {
    TempDir dir;
    auto r = runHelper(dir, {"log"});
    CHECK(r.exitCode == 0);
    CHECK(r.out.empty());
    auto lines = linesOf(r.err);
    REQUIRE(lines.size() == 3); // OFF prints nothing
    CHECK(like(lines[0], "[TRACE] libwb_helper.cpp:# The input length is 42"));
    CHECK(like(lines[1], "[ERROR] libwb_helper.cpp:# error 1.5 text"));
    CHECK(like(lines[2], "[INFO] libwb_helper.cpp:# missing: (null)"));
}

TEST_CASE("wbString concatenates any streamable values") {
    CHECK(wbString() == "");
    CHECK(wbString("n = ", 3, ", x = ", 2.5, ' ', std::string("s")) == "n = 3, x = 2.5 s");
    const char* none = nullptr;
    CHECK(wbString("p: ", none) == "p: (null)");
}

TEST_CASE("timers print elapsed milliseconds on stop and survive mismatches") {
    TempDir dir;
    auto r = runHelper(dir, {"timer"});
    CHECK(r.exitCode == 0);
    CHECK(r.out == "still running\n");
    auto lines = linesOf(r.err);
    REQUIRE(lines.size() == 5);
    std::string ms = " libwb_helper.cpp:# #.# ms ";
    CHECK(like(lines[0], "[TIME] GPU" + ms + "Doing GPU memory allocation"));
    CHECK(like(lines[1], "[TIME] Compute" + ms + "kernel 3"));
    CHECK(like(lines[2], "[TIME] GPU" + ms + "Doing GPU Computation (memory + compute)"));
    CHECK_THAT(lines[3], Contains("libwb: warning: wbTime_stop(Copy, \"never started\") at "
                                  "libwb_helper.cpp:"));
    CHECK_THAT(lines[3], Contains("has no matching wbTime_start"));
    CHECK(like(lines[4], "[TIME] IO" + ms + "left open"));
}
