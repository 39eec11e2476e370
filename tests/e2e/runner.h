// Runs the real wbtool binary with arguments and captures what a user sees:
// exit code, stdout and stderr. Each test gets its own data and cache
// directories so tests never share state.
#pragma once

#include "tmpdir.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace wb::test {

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
    nlohmann::json json() const; // parses out; fails the test if it is not JSON
};

// Runs `argv[0]` (any program) with stdout/stderr captured.
Run run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {});

struct RunOptions {
    std::filesystem::path cwd;
    // Set in the child; an empty value unsets the variable.
    std::vector<std::pair<std::string, std::string>> env;
    std::string input; // standard input (else /dev/null)
};
Run run_process(const std::vector<std::string>& argv, const RunOptions& options);

class Wbtool {
  public:
    Wbtool();
    // wbtool --data <tmp>/data --cache <tmp>/cache ARGS...
    Run operator()(const std::vector<std::string>& args) const;
    const TempDir& tmp() const { return tmp_; }
    std::filesystem::path data_dir() const { return tmp_ / "data"; }
    std::filesystem::path cache_dir() const { return tmp_ / "cache"; }

  private:
    TempDir tmp_;
};

std::filesystem::path source_dir();
std::filesystem::path example(const std::string& name); // examples/mps/<name>
void write_text(const std::filesystem::path& path, const std::string& text);
// Copies a bundle directory recursively (for tests that change a copy).
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace wb::test
