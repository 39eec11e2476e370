// Reporting a test as skipped, not passed, when the machine lacks what it
// needs (a GPU, nvcc, root). Each Catch2 test case runs as its own CTest
// test, registered with SKIP_RETURN_CODE 77, so exiting with 77 marks it
// skipped in CTest's summary.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace wb::test {

[[noreturn]] inline void skip(const std::string& reason) {
    std::fprintf(stderr, "SKIPPED: %s\n", reason.c_str());
    std::fflush(nullptr);
    std::_Exit(77);
}

} // namespace wb::test
