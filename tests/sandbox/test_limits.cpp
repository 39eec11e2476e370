// Each limit stops the program soon after it is crossed and is reported as
// such: CPU time (of the whole tree), wall-clock time, memory, output.
// CPU-time windows are tight (they do not depend on load); wall-clock bounds
// are loose, because on a loaded machine (load 8 on 2 cores is common here) a
// program gets a fraction of a core and 1 s of CPU takes 3 s of wall time.
#include "sandbox_test.h"

#include <catch2/catch.hpp>

#include <signal.h>

using namespace wb::sandbox;
using wb::test::contains;
using wb::test::program;

TEST_CASE("a CPU-bound program is stopped soon after its CPU limit", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.cpu_s = 1;
    p.limits.wall_s = 20; // time_limit below means it ended well before this
    Result r = run(p, {program("busy")});
    CHECK(r.status == Status::time_limit);
    CHECK(r.cpu_s() >= 1.0);
    CHECK(r.cpu_s() < 1.3); // stopped by the parent, not by RLIMIT_CPU at 2 s
    CHECK(r.signal == SIGKILL);
    CHECK(contains(r.message, "CPU time 1."));
    CHECK(contains(r.message, " s over the limit of 1 s (isolation: rlimits only)"));
}

TEST_CASE("CPU time of child processes counts", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.cpu_s = 0.5;
    p.limits.wall_s = 20;
    Result r = run(p, {program("busy"), "-1", "fork"}); // the child spins, the parent waits
    CHECK(r.status == Status::time_limit);
    CHECK(r.cpu_s() >= 0.5);
    CHECK(r.cpu_s() < 1.0); // the tree is looked at every 100 ms
    CHECK(contains(r.message, "over the limit of 0.5 s"));
}

TEST_CASE("a program that waits is stopped at the wall-clock limit", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.cpu_s = 5;
    p.limits.wall_s = 0.5;
    Result r = run(p, {program("sleeper")});
    CHECK(r.status == Status::wall_time_limit);
    CHECK(r.wall_s >= 0.5);
    CHECK(r.wall_s < 1.5);
    CHECK(r.cpu_s() < 0.1);
    CHECK(contains(r.message, "wall-clock time 0."));
    CHECK(contains(r.message, "over the limit of 0.5 s"));
}

TEST_CASE("the wall-clock limit defaults to twice the CPU limit plus one second",
          "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.cpu_s = 0.2;
    p.limits.wall_s = 0;
    Result r = run(p, {program("sleeper")});
    CHECK(r.status == Status::wall_time_limit);
    CHECK(r.wall_s >= 1.4);
    CHECK(r.wall_s < 2.4);
    CHECK(contains(r.message, "over the limit of 1.4 s"));
}

TEST_CASE("memory over the limit is a memory limit", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.memory_kib = 64 * 1024;
    Result r = run(p, {program("memory_hog"), "400", "4"});
    CHECK(r.status == Status::memory_limit);
    CHECK(r.max_rss_kib >= 64 * 1024);
    CHECK(contains(r.message, "over the limit of 64 MiB"));
    CHECK(r.wall_s < 5);
}

TEST_CASE("memory under the limit is fine", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.memory_kib = 64 * 1024;
    Result r = run(p, {program("memory_hog"), "16", "4"});
    CHECK(r.status == Status::ok);
    CHECK(r.max_rss_kib >= 16 * 1024);
    CHECK(r.max_rss_kib < 64 * 1024);
}

TEST_CASE("a crash after a refused allocation near the limit is a memory limit",
          "[sandbox][limits]") {
    // 60 MiB touched, then 4 GiB asked for at once: RLIMIT_DATA refuses it,
    // the program aborts, and its peak was within 10% of the limit.
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.memory_kib = 64 * 1024;
    Result r = run(p, {program("memory_hog"), "60", "4", "4096"});
    CHECK(r.status == Status::memory_limit);
    CHECK(r.signal == SIGABRT);
    CHECK(contains(r.message, "killed by signal 6 (SIGABRT"));
    CHECK(contains(r.message, "near the limit of 64 MiB: probably out of memory"));
}

TEST_CASE("a refused allocation far below the limit is reported as the crash it is",
          "[sandbox][limits]") {
    // The blind spot of rlimits: one allocation larger than all the room left
    // leaves no trace. The cgroup engine will see it.
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.memory_kib = 64 * 1024;
    Result r = run(p, {program("memory_hog"), "8", "4", "4096"});
    CHECK(r.status == Status::signaled);
    CHECK(r.signal == SIGABRT);
}

TEST_CASE("many threads with large stacks fit under the default limits", "[sandbox][limits]") {
    // RLIMIT_DATA counts each thread's whole stack (glibc sizes it from RLIMIT_STACK);
    // an exact 512 MiB RLIMIT_DATA would refuse the eighth thread.
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits = Limits{};
    p.limits.cpu_s = 2;
    Result r = run(p, {program("threads"), "12"});
    INFO(wb::test::slurp(dir / "stderr"));
    CHECK(r.status == Status::ok);
}

TEST_CASE("flooding stdout into a file is an output limit", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.output_bytes = 1 << 20;
    p.limits.file_bytes = 64 << 20;
    Result r = run(p, {program("flood"), "out"});
    CHECK(r.status == Status::output_limit);
    CHECK(r.bytes_written > (1u << 20));
    CHECK(contains(r.message, "over the limit of 1 MiB"));
    CHECK(r.wall_s < 5);
}

TEST_CASE("flooding a discarded stderr is an output limit", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.stderr_path.clear();
    p.limits.output_bytes = 1 << 20;
    Result r = run(p, {program("flood"), "err"});
    CHECK(r.status == Status::output_limit);
    CHECK(r.bytes_written > (1u << 20));
    CHECK(contains(r.message, "output of "));
    CHECK(r.wall_s < 5);
}

TEST_CASE("output is counted, to files and discarded alike", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);

    SECTION("two files") {
        Result r = run(p, {program("flood"), "both", "1000"});
        CHECK(r.status == Status::ok);
        CHECK(r.bytes_written == 2000);
        CHECK(wb::test::slurp(dir / "stdout").size() == 1000);
        CHECK(wb::test::slurp(dir / "stderr").size() == 1000);
    }
    SECTION("discarded") {
        p.stdout_path.clear();
        p.stderr_path.clear();
        Result r = run(p, {program("flood"), "both", "300000"});
        CHECK(r.status == Status::ok);
        CHECK(r.bytes_written == 600000);
    }
    SECTION("one file for both, like 2>&1") {
        p.stderr_path = p.stdout_path;
        Result r = run(p, {program("flood"), "both", "1000"});
        CHECK(r.status == Status::ok);
        CHECK(r.bytes_written == 2000);
        CHECK(wb::test::slurp(dir / "stdout").size() == 2000);
    }
    SECTION("exactly at the limit is fine") {
        p.limits.output_bytes = 2000;
        Result r = run(p, {program("flood"), "both", "1000"});
        CHECK(r.status == Status::ok);
    }
}

TEST_CASE("a file over the file size limit is an output limit (SIGXFSZ)", "[sandbox][limits]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.file_bytes = 1 << 20;
    p.limits.output_bytes = 1 << 20;
    Result r = run(p, {program("write_file"), "big", std::to_string(4 << 20)});
    CHECK(r.status == Status::output_limit);
    CHECK(r.signal == SIGXFSZ);
    CHECK(r.message ==
          "a file reached the size limit of 1 MiB (SIGXFSZ) (isolation: rlimits only)");
    CHECK(std::filesystem::file_size(dir / "big") == (1u << 20));
}
