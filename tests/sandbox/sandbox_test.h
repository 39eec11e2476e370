// Shared helpers of the sandbox tests: where the test programs are, a policy
// with short limits inside a temporary directory, reading files back.
//
// The programs in programs/ are treated as untrusted: they are only ever run
// through wb::sandbox::run, never directly.
#pragma once

#include "sandbox/sandbox.h"
#include "skip.h"
#include "text_files.h"
#include "tmpdir.h"

#include <grp.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
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

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Becomes uid and gid `id` with no supplementary groups (from root);
// false if any step failed.
inline bool become_user(uid_t id) {
    return setgroups(0, nullptr) == 0 && setresgid(id, id, id) == 0 && setresuid(id, id, id) == 0;
}

// WBTOOL_TEST_USER=<uid> (CTest sets it for the abuse suite's second run):
// a test process that is root becomes that uid and gid, with no
// supplementary groups, so that the sandbox sees a caller that is not root.
// Irreversible; each test case runs in a process of its own.
inline void become_test_user() {
    const char* want = std::getenv("WBTOOL_TEST_USER");
    if (!want || !*want || geteuid() != 0) return;
    const auto id = static_cast<uid_t>(std::strtoul(want, nullptr, 10));
    if (!become_user(id))
        throw std::runtime_error("cannot become the test user " + std::string(want));
}

// Whether the kernel lets this process, as it is, make a user namespace
// (with the pid and mount namespaces a sandbox needs): asked in a child.
inline bool kernel_allows_userns() {
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) _exit(unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS) == 0 ? 0 : 1);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// How many descriptors this process has open now.
// Full isolation, and a profile under which /bin/sh may run programs; the
// test programs bound read-only.
inline wb::sandbox::Policy isolated_policy(const TempDir& dir) {
    wb::sandbox::Policy p = test_policy(dir);
    p.isolate = true;
    p.profile = wb::sandbox::Profile::compile;
    p.binds.push_back({SANDBOX_PROG_DIR, {}, false});
    return p;
}

// Skips the test (exit 77) where full isolation is not to be had: not root,
// or the kernel refuses the namespaces.
inline void need_full_isolation() {
    if (geteuid() != 0) skip("needs root for namespaces");
    TempDir dir;
    if (wb::sandbox::run(isolated_policy(dir), {program("exit_code"), "0"}).isolation !=
        wb::sandbox::Isolation::full)
        skip("namespaces are not permitted here");
}

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
