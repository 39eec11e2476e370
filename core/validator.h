// Output validators: a program of the bundle decides whether an answer is
// right (`[check] mode = "validator"`, or a Kattis package's
// `validation: custom`), with the Kattis output validator interface:
//
//     validator INPUT ANSWER FEEDBACK_DIR/ [FLAGS...] < program_output
//
// exit 42 accepts, 43 rejects, anything else (another code, a signal, a
// limit) is the validator's failure: internal_error, never the student's.
// FEEDBACK_DIR/judgemessage.txt, if written, is the dataset's message.
//
// The validator is the bundle author's code, but it reads what a student's
// program wrote, so it runs sandboxed like a program and is compiled, and
// cached, like one (core/compile.h).
#pragma once

#include "core/compile.h"
#include "core/mp.h"
#include "core/verdict.h"
#include "sandbox/policy.h"

#include <filesystem>
#include <string>

namespace wb::core {

// Compiles mp.validator with mp.validator_toolchain. A validator that does
// not compile is the bundle's fault: its verdict is internal_error, with
// the compiler's first error in the message.
CompileResult compile_validator(const Mp& mp, const std::filesystem::path& cache_dir,
                                sandbox::Isolation minimum);

struct ValidatorVerdict {
    Verdict verdict = Verdict::internal_error; // correct, wrong_answer or internal_error
    std::string message;                       // empty when correct and the validator said nothing
};

// Runs the compiled validator `exe` on `produced` (what the program wrote
// for `ds`, in its work directory `dir`), in a fresh directory of the job
// directory beside `dir`, which the program never saw, on a copy of the
// output read without following links.
ValidatorVerdict run_validator(const Mp& mp, const std::filesystem::path& exe, const Dataset& ds,
                               const std::filesystem::path& produced,
                               const std::filesystem::path& dir, sandbox::Isolation minimum);

// Exit codes of the interface.
inline constexpr int validator_accept = 42;
inline constexpr int validator_reject = 43;

} // namespace wb::core
