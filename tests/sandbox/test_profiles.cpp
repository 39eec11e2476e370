// The cuda profile beside run (the calls the CUDA driver adds, a socket
// refused quietly), the devices a policy adds to /dev, and --audit-syscalls'
// mode that lets calls through and lists them. No GPU needed: the calls and
// nodes are the kernel's, whatever device they would reach.
#include "sandbox_test.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using wb::sandbox::Isolation;
using wb::sandbox::Policy;
using wb::sandbox::Profile;
using wb::sandbox::Result;
using wb::sandbox::run;
using wb::sandbox::Status;

TEST_CASE("profiles: cuda allows the NUMA policy calls and refuses a socket quietly, run does "
          "not",
          "[sandbox]") {
    wb::test::TempDir dir;
    Policy p = wb::test::test_policy(dir);
    p.profile = Profile::cuda;
    Result r = run(p, {wb::test::program("cuda_calls")});
    INFO(r.message << "\n" << wb::test::slurp(dir / "stderr"));
    REQUIRE(r.status == Status::ok);
    const auto out = wb::test::slurp(dir / "stdout");
    CHECK_THAT(out, Catch::Contains("socket EACCES"));
    CHECK_THAT(out, Catch::StartsWith("mempolicy "));

    p.profile = Profile::run;
    r = run(p, {wb::test::program("cuda_calls")});
    CHECK(r.status == Status::forbidden_syscall);
    CHECK_THAT(r.message, Catch::Contains("forbidden system call 'get_mempolicy'"));
    CHECK_THAT(r.message, Catch::Contains("run profile"));
}

TEST_CASE("profiles: auditing lets calls outside the profile through and lists each once",
          "[sandbox]") {
    wb::test::TempDir dir;
    Policy p = wb::test::test_policy(dir);
    p.audit_syscalls = true;
    Result r = run(p, {wb::test::program("cuda_calls")});
    INFO(r.message);
    REQUIRE(r.status == Status::ok);
    CHECK(r.audited_syscalls == std::vector<std::string>{"get_mempolicy", "socket"});
    CHECK_THAT(wb::test::slurp(dir / "stdout"), Catch::Contains("socket opened"));

    p.audit_syscalls = false;
    p.profile = Profile::cuda;
    r = run(p, {wb::test::program("cuda_calls")});
    CHECK(r.audited_syscalls.empty());
}

TEST_CASE("profiles: a policy's devices appear in the sandbox's /dev, and only /dev nodes are "
          "taken",
          "[sandbox][isolation]") {
    wb::test::need_full_isolation();
    struct stat st {};
    if (stat("/dev/ptmx", &st) != 0 || !S_ISCHR(st.st_mode)) wb::test::skip("no /dev/ptmx here");
    wb::test::TempDir dir;
    Policy p = wb::test::isolated_policy(dir);
    const std::vector<std::string> probe = {"/bin/sh", "-c",
                                            "test -c /dev/ptmx && echo present || echo absent"};
    Result r = run(p, probe);
    REQUIRE(r.status == Status::ok);
    CHECK(wb::test::slurp(dir / "stdout") == "absent\n");

    p.devices = {"/dev/ptmx"};
    r = run(p, probe);
    INFO(r.message);
    REQUIRE(r.status == Status::ok);
    CHECK(r.isolation == Isolation::full);
    CHECK(wb::test::slurp(dir / "stdout") == "present\n");

    p.devices = {dir / "stdout"}; // not a device, not in /dev
    r = run(p, probe);
    CHECK(r.status == Status::internal_error);
    CHECK_THAT(r.message, Catch::Contains("not a character device /dev/NAME"));
}
