// The sandbox a compiler runs in, for a student's program (compile.cpp) and
// for libwb's object (libwb_object.cpp): one policy, so that both compiles
// see the same toolchain, the same libwb files and the same limits on
// memory, processes and output; only their CPU time differs, since a
// program's is the MP's to set and libwb's is the grader's. And how both
// read what the compiler said.
#pragma once

#include "sandbox/policy.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace wb::core {

struct CompilerSandbox {
    std::filesystem::path workdir;   // private and writable: sources, outputs, compile.log
    std::filesystem::path libwb_dir; // libwb's files, each bound read-only
    std::vector<std::filesystem::path> read_only; // more files to bind (libwb.o)
    double cpu_s = 10;
    sandbox::Isolation minimum = sandbox::Isolation::rlimits;
};

// The compiler's stdout and stderr go to workdir / "compile.log".
sandbox::Policy compiler_policy(const CompilerSandbox& box);

inline constexpr std::size_t max_compiler_output_bytes = 16 * 1024;

// compile.log, truncated, with the private build directory's path taken
// out of it: the user knows the file names, not where they were compiled.
std::string compiler_output(const std::filesystem::path& workdir, std::size_t max_bytes);

// The first line that says "error", else the first line.
std::string first_error_line(const std::string& output);

} // namespace wb::core
