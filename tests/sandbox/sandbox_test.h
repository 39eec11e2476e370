// Shared helpers of the sandbox tests: where the test programs are, a policy
// with short limits inside a temporary directory, reading files back.
//
// The programs in programs/ are treated as untrusted: they are only ever run
// through wb::sandbox::run, never directly.
#pragma once

#include "sandbox/sandbox.h"
#include "tmpdir.h"

#include <dirent.h>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace wb::test {

inline std::string program(const std::string& name) {
    return std::string(SANDBOX_PROG_DIR) + "/" + name;
}

// Short limits, output into files in the directory, a tiny environment.
inline wb::sandbox::Policy test_policy(const TempDir& dir) {
    wb::sandbox::Policy p;
    p.workdir = dir.path();
    p.limits.cpu_s = 2;
    p.limits.wall_s = 5;
    p.limits.memory_kib = 256 * 1024;
    p.isolate = false; // the rlimits engine; test_isolation.cpp covers the other
    p.stdout_path = dir / "stdout";
    p.stderr_path = dir / "stderr";
    p.env = {"PATH=/usr/bin:/bin", "LANG=C"};
    return p;
}

inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// How many descriptors this process has open now.
inline int open_fd_count() {
    int n = 0;
    if (DIR* d = opendir("/proc/self/fd")) {
        while (readdir(d))
            ++n;
        closedir(d);
    }
    return n;
}

} // namespace wb::test
