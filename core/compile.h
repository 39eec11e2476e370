// Compiling a program, with a cache: grading the same program twice compiles
// once. The key covers everything that changes the executable: toolchain,
// compiler version, the full command line (flags), libwb's hash and the
// program's hash. A compile error is cached too (it is deterministic); a
// compile that ran out of time or failed inside the sandbox is not.
#pragma once

#include "core/mp.h"
#include "core/program.h"
#include "core/verdict.h"
#include "sandbox/sandbox.h"

#include <filesystem>
#include <string>

namespace wb::core {

struct CompileResult {
    Verdict verdict = Verdict::internal_error; // correct (compiled), compile_error, time_limit, ...
    bool cached = false;
    std::filesystem::path executable; // valid when verdict == correct
    std::string output;               // the compiler's messages, truncated
    std::string message;              // one line for the user
    double wall_s = 0;
    std::string key; // the cache key
};

// The compiler runs sandboxed with at least `minimum` isolation (a run
// refused for less is internal_error, not cached).
// The sources among a program of several's files, in order (empty for one
// file). Throws InputError for a file that is neither source nor header,
// or when there is no source.
std::vector<std::string> program_sources(const Mp& mp, const Program& program);

CompileResult compile_program(const Mp& mp, const Program& program,
                              const std::filesystem::path& cache_dir,
                              sandbox::Isolation minimum = sandbox::Isolation::rlimits);

} // namespace wb::core
