// Helpers shared by libwb's tests: files, a throwing failure handler, and
// running libwb_helper as a child process.
//
// libwb ends the process on a fatal error. In-process tests install a
// handler that throws instead (wbInternal::failHandler, a seam libwb keeps
// for exactly this), so that the message can be checked; the exit status
// itself is checked through the helper program.
#pragma once

#include "text_files.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <vector>
#include <wb.h>

extern char** environ;

namespace libwb_test {

struct LibwbError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Turns libwb's fatal errors into LibwbError for the lifetime of the object.
class ThrowOnFail {
  public:
    ThrowOnFail() : previous_(wbInternal::failHandler()) {
        wbInternal::failHandler() = [](const std::string& message) { throw LibwbError(message); };
    }
    ~ThrowOnFail() { wbInternal::failHandler() = previous_; }
    ThrowOnFail(const ThrowOnFail&) = delete;
    ThrowOnFail& operator=(const ThrowOnFail&) = delete;

  private:
    wbInternal::FailHandler previous_;
};

// The message of the libwb error `f` raises; fails the test if none.
template <typename F> std::string errorOf(F&& f) {
    ThrowOnFail guard;
    try {
        f();
    } catch (const LibwbError& e) {
        return e.what();
    }
    FAIL("expected a libwb error");
    return {};
}

inline void writeFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    REQUIRE(out.good());
}

inline std::string readFile(const std::filesystem::path& path) {
    REQUIRE(std::ifstream(path, std::ios::binary).good());
    return wb::test::slurp(path);
}

struct RunResult {
    int exitCode = -1; // -1 if the child did not exit normally
    std::string out;
    std::string err;
};

// Runs libwb_helper (or `helper`) with `args` (pass absolute paths), stdout
// and stderr captured in `dir`, with `env` ("NAME=value") added to the
// environment.
inline RunResult runHelper(const wb::test::TempDir& dir, const std::vector<std::string>& args,
                           const std::vector<std::string>& env = {},
                           const char* helper = LIBWB_HELPER) {
    std::vector<std::string> argvText = {helper};
    argvText.insert(argvText.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argvText)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<std::string> envText = env;
    for (char** e = environ; *e; ++e)
        envText.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : envText)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    std::string outPath = (dir / "child.stdout").string();
    std::string errPath = (dir / "child.stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    RunResult result;
    if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
    result.out = readFile(outPath);
    result.err = readFile(errPath);
    return result;
}

} // namespace libwb_test
