// Output checking: does the file a program wrote match the expected output?
//
// The grader, not the program, decides. These comparators read both files
// with the formats of docs/mp-format.md and report the first mismatch in
// words a student can act on ("element 17: expected 3.5, got 3.25").
// Whatever the program wrote is untrusted input: a malformed or missing file
// is a wrong answer with a clear message, never a crash. A malformed
// *expected* file is the MP author's error and throws InputError.
#pragma once

#include "core/mp.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace wb::core {

struct CheckResult {
    bool correct = false;
    std::string message;        // empty when correct; else the first mismatch or the problem
    std::int64_t position = -1; // index of the first mismatching element, -1 if none/not applicable
    std::string expected;       // the expected value at `position` as text, if any
    std::string got;            // the produced value at `position` as text, if any
    // Image mode, when asked for: the difference picture of a wrong answer
    // (core/image_diff.h) as PNG bytes, and what to say with it; or, when
    // there is none, why (picture empty, note saying so).
    std::string picture;
    std::string picture_note;
};

struct CheckOptions {
    // Image mode: draw a wrong answer's difference picture with panels of
    // at most this many pixels a side; 0 draws none.
    int picture_max_side = 0;
    // The tokens mode's rules (core/mp.h, TokenRules); the tolerance given
    // to check_output applies to numbers only when tokens.numeric.
    TokenRules tokens;
    // The produced file is the program's standard output ([run] io =
    // "stdio"): messages say so instead of naming an output file.
    bool stdout_output = false;
};

CheckResult check_output(CheckMode mode, const Tolerance& tol,
                         const std::filesystem::path& expected,
                         const std::filesystem::path& produced, const CheckOptions& options = {});

// The float comparison every float mode uses (see docs/mp-format.md):
// within abs or within rel * |expected|; NaN equals only NaN; an infinity
// equals only the same infinity. It is libwb's (libwb/wb_format.h), so that
// wbSolution's local verdict is the grader's.
bool values_match(double expected, double got, const Tolerance& tol);

} // namespace wb::core
