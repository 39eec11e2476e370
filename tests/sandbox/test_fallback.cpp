// The rlimits engine, hardened: no_new_privs and the seccomp filter apply
// without namespaces too (kill(-1), ptrace and sockets are still refused),
// the result's warning says why isolation fell back, and a process that is
// not root (where a student's laptop is) gets the same. Attacks that would
// be harmful if they got through are the harmless forms (kill(-1, 0)).
// Not root, a caller gets a user namespace where the kernel allows one, and
// rlimits where it refuses one, saying why.
#include "sandbox_test.h"
#include "skip.h"

#include <catch2/catch.hpp>
#include <seccomp.h>

#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

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
    // The pid as a 64-bit -1: still -1 to the kernel, still refused.
    r = run(p, {abuse(), "signal_all_wide"});
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

namespace {

// Runs `body` in a child that has become nobody (owner of `dir`), and
// checks its exit code: the child reports what failed through it.
void as_nobody(const wb::test::TempDir& dir, const std::function<int()>& body) {
    REQUIRE(chown(dir.path().c_str(), 65534, 65534) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (!wb::test::become_user(65534)) _exit(10);
        _exit(body());
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

// A filter of the test's own, as a container runtime or AppArmor would
// have it: `call` fails with EPERM (clone and unshare: only when asked
// for a user namespace). Loaded by an unprivileged process: no_new_privs.
bool refuse(int call) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) return false;
    int rc = call == SCMP_SYS(mount)
                 ? seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), call, 0)
                 : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), call, 1,
                                    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
    rc = rc == 0 ? seccomp_load(ctx) : rc;
    seccomp_release(ctx);
    return rc == 0;
}

// as_nobody in a fresh directory (skipping where this test is not root):
// `body` gets it, the isolated test policy for it, and whether the kernel
// gives nobody a user namespace.
void as_nobody_isolated(
    const std::function<int(const wb::test::TempDir&, Policy&, bool userns)>& body) {
    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    wb::test::TempDir dir;
    as_nobody(dir, [&] {
        auto p = wb::test::isolated_policy(dir);
        return body(dir, p, wb::test::kernel_allows_userns());
    });
}

// Skips unless this test can become nobody and have the kernel refuse it
// the user namespace it would otherwise give.
void need_userns_to_refuse() {
    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    if (!wb::test::kernel_allows_userns()) wb::test::skip("no user namespaces here to refuse");
}

// as_nobody, with `call` refused by refuse() first.
void as_nobody_refused(const wb::test::TempDir& dir, int call, const std::function<int()>& body) {
    as_nobody(dir, [&] {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || !refuse(call)) return 20;
        return body();
    });
}

} // namespace

TEST_CASE("fallback: not root, isolation asked for: a user namespace, the filter, a warning",
          "[sandbox][fallback]") {
    as_nobody_isolated([&](const wb::test::TempDir& dir, Policy& p, bool userns) {
        p.binds.push_back({SANDBOX_ABUSE_DIR, {}, false});
        if (available_isolation() != (userns ? Isolation::userns : Isolation::rlimits)) return 11;
        Result ok = run(p, {program("exit_code"), "0"});
        if (ok.status != Status::ok) return 12;
        if (ok.isolation != (userns ? Isolation::userns : Isolation::rlimits)) return 13;
        if (ok.warning.find(userns ? "isolation: user namespace only (wbtool is not running as "
                                     "root): namespaces, a private root and the seccomp filter, "
                                     "but no cgroup"
                                   : "isolation: rlimits only (wbtool is not running as root") ==
            std::string::npos)
            return 14;
        if (isolation_unavailable_reason() != "wbtool is not running as root") return 15;
        Result attack = run(p, {abuse(), "ptrace_parent"});
        if (attack.status != Status::forbidden_syscall) return 16;
        attack = run(p, {abuse(), "signal_all"});
        // In a pid namespace of its own there is nobody to signal; without
        // one the filter refuses kill(-1).
        if (attack.status != (userns ? Status::runtime_error : Status::forbidden_syscall))
            return 17;
        attack = run(p, {abuse(), "signal_all_wide"}); // a 64-bit -1 is -1
        if (attack.status != (userns ? Status::runtime_error : Status::forbidden_syscall))
            return 21;
        if (!userns) return 0;
        // The host's files: only the binds are there, and the work
        // directory is written as the caller.
        attack = run(p, {abuse(), "read", WBTOOL_SOURCE_DIR "/README.md"});
        if (attack.exit_code != 3 || !contains(wb::test::slurp(dir / "stdout"), "No such file"))
            return 18;
        Result wrote = run(p, {program("write_file"), "out", "4"});
        struct stat st {};
        if (wrote.status != Status::ok || stat((dir / "out").c_str(), &st) != 0 ||
            st.st_uid != 65534)
            return 19;
        return 0;
    });
}

TEST_CASE("fallback: a user namespace the kernel refuses: rlimits, and the warning says why",
          "[sandbox][fallback]") {
    need_userns_to_refuse();
    // Refused at the clone (a container's filter), and refused inside it
    // (AppArmor's restriction lets the clone through but not the mounts).
    for (int call : {SCMP_SYS(clone), SCMP_SYS(mount)}) {
        wb::test::TempDir dir;
        const std::string why = call == SCMP_SYS(mount) ? "(mount: " : "(clone: ";
        INFO(why);
        as_nobody_refused(dir, call, [&] {
            auto p = wb::test::test_policy(dir);
            p.isolate = true;
            Result r = run(p, {program("exit_code"), "0"});
            if (r.status != Status::ok || r.isolation != Isolation::rlimits) return 21;
            if (r.warning.find("isolation: rlimits only (wbtool is not running as root, and "
                               "the kernel refused a user namespace " +
                               why + "Operation not permitted))") == std::string::npos)
                return 22;
            // Remembered: the next run does not try again.
            if (available_isolation() != Isolation::rlimits) return 23;
            return run(p, {program("exit_code"), "0"}).isolation == Isolation::rlimits ? 0 : 24;
        });
    }
}

TEST_CASE("fallback: in a user namespace a bind brings the mounts under it, read-only too",
          "[sandbox][fallback]") {
    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    if (!wb::test::kernel_allows_userns()) wb::test::skip("no user namespaces here");
    // A host directory with a mount under it (in this test process's own
    // mount namespace): the kernel locks it to the directory in a user
    // namespace, so a bind of the directory alone is refused.
    REQUIRE(unshare(CLONE_NEWNS) == 0);
    REQUIRE(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
    wb::test::TempDir dir, src;
    std::filesystem::permissions(
        src.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                        std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                        std::filesystem::perms::others_exec);
    std::filesystem::create_directory(src / "sub");
    REQUIRE(mount("tmpfs", (src / "sub").c_str(), "tmpfs", 0, "size=1m,mode=1777") == 0);
    std::ofstream(src / "sub" / "file") << "under";
    as_nobody(dir, [&] {
        auto p = wb::test::test_policy(dir);
        p.isolate = true;
        p.profile = Profile::compile;
        p.binds.push_back({src.path(), {}, false});
        const std::string sub = (src / "sub").string();
        Result r = run(p, {"/bin/sh", "-c", "cat " + sub + "/file; touch " + sub + "/new"});
        if (r.isolation != Isolation::userns) return 30;
        if (wb::test::slurp(dir / "stdout") != "under") return 31;
        if (r.status != Status::runtime_error ||
            !contains(wb::test::slurp(dir / "stderr"), "Read-only file system"))
            return 32;
        return 0;
    });
    umount2((src / "sub").c_str(), MNT_DETACH);
}

// ---- Policy::minimum_isolation: less is refused before anything runs ----

TEST_CASE("fallback: a run below its minimum isolation is refused, and nothing of it runs",
          "[sandbox][fallback]") {
    CHECK(weaker(Isolation::rlimits, Isolation::userns));
    CHECK(weaker(Isolation::userns, Isolation::full));
    CHECK_FALSE(weaker(Isolation::full, Isolation::full));
    CHECK_FALSE(weaker(Isolation::full, Isolation::rlimits));
    Isolation parsed = Isolation::rlimits;
    CHECK(parse_isolation("userns", parsed));
    CHECK(parsed == Isolation::userns);
    CHECK_FALSE(parse_isolation("Full", parsed));
    CHECK(parsed == Isolation::userns);

    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir); // isolate = false: rlimits
    p.minimum_isolation = Isolation::full;
    Result r = run(p, {program("write_file"), "out", "4"});
    CHECK(r.status == Status::internal_error);
    CHECK(r.isolation == Isolation::rlimits);
    CHECK(r.message == "refused: this run needs full isolation, and this process can give only "
                       "rlimits (isolation was not asked for); ask for isolation, or accept "
                       "rlimits isolation for code that is trusted");
    CHECK(r.message == isolation_refusal(Isolation::full, false));
    CHECK_FALSE(std::filesystem::exists(dir / "out"));

    // The minimum met: the run goes on as before.
    p.minimum_isolation = Isolation::rlimits;
    r = run(p, {program("write_file"), "out", "4"});
    CHECK(r.status == Status::ok);
    CHECK(std::filesystem::exists(dir / "out"));
    CHECK(isolation_refusal(Isolation::rlimits, false).empty());

    if (geteuid() == 0 && available_isolation() == Isolation::full) {
        wb::test::TempDir full_dir;
        auto f = wb::test::isolated_policy(full_dir);
        f.minimum_isolation = Isolation::full;
        r = run(f, {program("exit_code"), "0"});
        INFO(r.message);
        CHECK(r.status == Status::ok);
        CHECK(r.isolation == Isolation::full);
        CHECK(isolation_refusal(Isolation::full).empty());
    }
}

TEST_CASE("fallback: not root, a run that needs full isolation is refused and says what to do",
          "[sandbox][fallback]") {
    as_nobody_isolated([&](const wb::test::TempDir& dir, Policy& p, bool userns) {
        p.minimum_isolation = Isolation::full;
        Result r = run(p, {program("write_file"), "out", "4"});
        if (r.status != Status::internal_error) return 40;
        const std::string got = userns ? "userns" : "rlimits";
        if (r.message.rfind("refused: this run needs full isolation, and this process can give "
                            "only " +
                                got + " (wbtool is not running as root",
                            0) != 0)
            return 41;
        if (!contains(r.message, "; run wbtool as root, or accept " + got +
                                     " isolation for code that is trusted"))
            return 42;
        if (std::filesystem::exists(dir / "out")) return 43;
        // userns is what a user namespace gives.
        p.minimum_isolation = Isolation::userns;
        r = run(p, {program("write_file"), "out", "4"});
        if (userns) {
            if (r.status != Status::ok || r.isolation != Isolation::userns) return 44;
        } else if (r.status != Status::internal_error ||
                   !contains(r.message, "or where the kernel allows unprivileged user "
                                        "namespaces, or accept rlimits")) {
            return 45;
        }
        return 0;
    });
}

TEST_CASE("fallback: a user namespace refused at the first run: the run that needs it is refused",
          "[sandbox][fallback]") {
    need_userns_to_refuse();
    wb::test::TempDir dir;
    as_nobody_refused(dir, SCMP_SYS(clone), [&] {
        auto p = wb::test::isolated_policy(dir);
        p.minimum_isolation = Isolation::userns;
        // Known only when the keeper's clone is refused: the run is not
        // then retried with rlimits, as it is without a minimum.
        if (available_isolation() != Isolation::userns) return 51;
        Result r = run(p, {program("write_file"), "out", "4"});
        if (r.status != Status::internal_error || r.isolation != Isolation::rlimits) return 52;
        if (!contains(r.message, "refused: this run needs userns isolation, and this process can "
                                 "give only rlimits (wbtool is not running as root, and the "
                                 "kernel refused a user namespace (clone: Operation not "
                                 "permitted))"))
            return 53;
        if (std::filesystem::exists(dir / "out")) return 54;
        return 0;
    });
}
