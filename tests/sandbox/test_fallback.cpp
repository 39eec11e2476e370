// The rlimits engine, hardened: no_new_privs and the seccomp filter apply
// without namespaces too (kill(-1), ptrace and sockets are still refused),
// the result's warning says why isolation fell back, and a process that is
// not root (where a student's laptop is) gets the same. Attacks that would
// be harmful if they got through are the harmless forms (kill(-1, 0)).
#include "sandbox_test.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace wb::sandbox;
using wb::test::contains;
using wb::test::program;

namespace {

std::string abuse() {
    return std::string(SANDBOX_ABUSE_DIR) + "/abuse";
}

} // namespace

TEST_CASE("fallback: the seccomp filter applies without namespaces", "[sandbox][fallback]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir); // isolate = false
    Result r = run(p, {abuse(), "ptrace_parent"});
    INFO(r.message);
    CHECK(r.isolation == Isolation::rlimits);
    CHECK(r.status == Status::forbidden_syscall);
    CHECK(contains(r.message, "forbidden system call 'ptrace'"));
    CHECK(contains(r.message, "(isolation: rlimits only)"));

    r = run(p, {abuse(), "signal_all"});
    INFO(r.message);
    CHECK(r.status == Status::forbidden_syscall);
    CHECK(contains(r.message, "'kill'"));

    r = run(p, {abuse(), "tcp_connect", "9"});
    CHECK(r.status == Status::forbidden_syscall);
    CHECK(contains(r.message, "'socket'"));
}

TEST_CASE("fallback: the warning says why and what is missing", "[sandbox][fallback]") {
    wb::test::TempDir dir;
    Result r = run(wb::test::test_policy(dir), {program("exit_code"), "0"});
    CHECK(r.status == Status::ok);
    CHECK(r.warning == "isolation: rlimits only (isolation was not asked for): no namespaces, "
                       "private root, cgroup or uid of its own; the seccomp filter still applies");
}

TEST_CASE("fallback: full isolation leaves kill(-1) to the pid namespace", "[sandbox][fallback]") {
    if (geteuid() != 0) wb::test::skip("needs root for namespaces");
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.isolate = true;
    p.binds.push_back({SANDBOX_ABUSE_DIR, {}, false});
    Result r = run(p, {abuse(), "signal_all"});
    if (r.isolation != Isolation::full) wb::test::skip("namespaces are not permitted here");
    INFO(r.message);
    // Not refused by the filter: in its own pid namespace there is simply
    // nobody else to signal (the keeper, its init, is exempt).
    CHECK(r.status == Status::runtime_error);
    CHECK(r.exit_code == 3);
    CHECK(contains(wb::test::slurp(dir / "stdout"), "denied: kill: No such process"));
    CHECK(r.warning.empty());
}

TEST_CASE("fallback: not root, isolation asked for: rlimits, filter, warning",
          "[sandbox][fallback]") {
    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    wb::test::TempDir dir;
    REQUIRE(chown(dir.path().c_str(), 65534, 65534) == 0);
    // In a child that becomes nobody; it reports through its exit code.
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (setgroups(0, nullptr) != 0 || setresgid(65534, 65534, 65534) != 0 ||
            setresuid(65534, 65534, 65534) != 0)
            _exit(10);
        auto p = wb::test::test_policy(dir);
        p.isolate = true;
        Result ok = run(p, {program("exit_code"), "0"});
        if (ok.status != Status::ok) _exit(11);
        if (ok.isolation != Isolation::rlimits) _exit(12);
        if (ok.warning.find("wbtool is not running as root") == std::string::npos) _exit(13);
        if (isolation_unavailable_reason() != "wbtool is not running as root") _exit(14);
        Result attack = run(p, {abuse(), "ptrace_parent"});
        if (attack.status != Status::forbidden_syscall) _exit(15);
        attack = run(p, {abuse(), "signal_all"});
        if (attack.status != Status::forbidden_syscall) _exit(16);
        _exit(0);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
