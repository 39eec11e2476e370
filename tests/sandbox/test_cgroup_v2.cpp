// Cgroup v2 on the real kernel. This machine kind mounts the memory and pids
// controllers as v1, with a cgroup2 hierarchy at /sys/fs/cgroup/unified
// that has neither; runs use v1 there. These cases point the process's
// runs at that hierarchy instead (use_cgroup_layout, before any run), so
// that the v2 path meets a real kernel: the program joins its cgroup
// through cgroup.procs and unshares a cgroup namespace, the tree's CPU time
// comes from cpu.stat, what the program leaves is killed and its cgroup
// removed, and the limits of a missing controller fall back to sampling.
// Where /sys/fs/cgroup itself is cgroup2 (a v2 host), the same cases run
// on it with memory and pids. Each case runs in a process of its own
// (CTest), so the layout does not reach the other tests.
#include "sandbox/cgroups.h"
#include "sandbox/identity.h"
#include "sandbox_test.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

using namespace wb::sandbox;
using namespace wb::sandbox::detail;
using wb::test::contains;
using wb::test::program;

namespace {

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

bool is_cgroup2(const char* path) {
    struct statfs st {};
    return statfs(path, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

// Points this process's runs at a real cgroup2 hierarchy, or skips.
const CgroupLayout& use_real_v2() {
    if (geteuid() != 0) wb::test::skip("needs root for cgroups");
    std::string root;
    for (const char* p : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"})
        if (root.empty() && is_cgroup2(p)) root = p;
    if (root.empty()) wb::test::skip("no cgroup2 hierarchy mounted here");
    CgroupFs fs;
    CgroupLayout l = detect_v2(fs, root, own_cgroup(fs.read("/proc/self/cgroup"), ""));
    if (!l.usable) wb::test::skip("cgroup v2 here cannot be used: " + l.problem);
    // CTest runs each case alone; run together, the first case set it.
    if (!use_cgroup_layout(l) && cgroup_layout().v2_base != l.v2_base)
        wb::test::skip("this process's runs already use another cgroup layout");
    REQUIRE(cgroup_layout().v2);
    return cgroup_layout();
}

// A policy whose runs have the slot `uid` alone: a pool of one, of its own
// among the tests, so that its cgroup is this case's.
Policy slot_policy(const wb::test::TempDir& dir, long uid) {
    auto p = wb::test::isolated_policy(dir);
    p.uid_pool_first = uid;
    p.uid_pool_size = 1;
    return p;
}

// Skips where the policy's runs do not get full isolation (namespaces refused).
void need_full_isolation(const Policy& p) {
    if (run(p, {program("exit_code"), "0"}).isolation != Isolation::full)
        wb::test::skip("namespaces are not permitted here");
}

std::string slot_dir(const CgroupLayout& l, long uid) {
    return l.v2_base + "/wbtool-slot-" + std::to_string(uid);
}

// The CPU time (s) cpu.stat gives for a cgroup directory (0 if none).
double cpu_stat_s(const std::string& dir) {
    CgroupFs fs;
    const std::string stat = fs.read(dir + "/cpu.stat");
    const auto at = stat.find("usage_usec ");
    return at == std::string::npos
               ? 0
               : static_cast<double>(std::strtoull(stat.c_str() + at + 11, nullptr, 10)) * 1e-6;
}

// Removes the case's own slot cgroup (not the others': they may be in use).
void remove_slot(const CgroupLayout& l, long uid) {
    const std::string dir = slot_dir(l, uid);
    CHECK((rmdir(dir.c_str()) == 0 || errno == ENOENT));
}

} // namespace

TEST_CASE("cgroups v2 on the kernel: the program is in a cgroup namespace, its tree's CPU time "
          "counted by cpu.stat",
          "[sandbox][cgroups][v2]") {
    const CgroupLayout& l = use_real_v2();
    wb::test::TempDir dir;
    auto p = slot_policy(dir, 61040);
    need_full_isolation(p);
    Result r = run(p, {"/bin/cat", "/proc/self/cgroup"});
    INFO(r.message << "\n" << r.warning);
    REQUIRE(r.status == Status::ok);
    CHECK(r.isolation == Isolation::full);
    // Its own cgroup is the root of what it can see.
    const auto lines = wb::test::lines_of(wb::test::slurp(dir / "stdout"));
    CHECK(std::find(lines.begin(), lines.end(), "0::/") != lines.end());
    if (l.partial.empty())
        CHECK(r.warning.empty());
    else
        CHECK_THAT(r.warning, Catch::StartsWith(l.partial + ": "));
    REQUIRE(std::filesystem::is_directory(slot_dir(l, 61040)));

    // 200 ms of CPU in a child the program forks: the tree's, from the
    // slot's cgroup, which counted it too.
    const double before = cpu_stat_s(slot_dir(l, 61040));
    r = run(p, {program("busy"), "200", "fork"});
    INFO(r.message);
    REQUIRE(r.status == Status::ok);
    CHECK(r.cpu_s() >= 0.19);
    CHECK(r.cpu_s() < 0.4);
    const double counted = cpu_stat_s(slot_dir(l, 61040)) - before;
    CHECK(counted >= 0.19);
    CHECK(counted == Approx(r.cpu_s()).margin(0.02));

    // The CPU limit holds for the tree: the child burns, the parent waits.
    p.limits.cpu_s = 0.3;
    r = run(p, {program("busy"), "-1", "fork"});
    INFO(r.message);
    CHECK(r.status == Status::time_limit);
    CHECK(r.cpu_s() >= 0.3);
    CHECK(r.cpu_s() < 0.8);
    remove_slot(l, 61040);
}

TEST_CASE("cgroups v2 on the kernel: what the program leaves is killed and its cgroup removed",
          "[sandbox][cgroups][v2]") {
    const CgroupLayout& l = use_real_v2();
    wb::test::TempDir dir;
    auto p = slot_policy(dir, 61041);
    need_full_isolation(p);
    // An explicit uid: no slot, a cgroup of the run's own, removed at the end.
    auto lease = UidLease::acquire(61041, 1);
    REQUIRE(lease);
    p.uid = lease.value().uid();
    Result r = run(p, {program("daemon"), "pid", "setsid"});
    INFO(r.message);
    CHECK(r.status == Status::ok);
    CHECK(std::filesystem::exists(dir / "pid"));
    // The cgroup is gone, which the kernel allows only once it is empty.
    const std::string mine = "wbtool-" + std::to_string(getpid()) + "-";
    CgroupFs fs;
    for (const auto& name : fs.list(l.v2_base))
        CHECK(name.rfind(mine, 0) != 0);
    remove_slot(l, 61041); // the isolation check's
}

TEST_CASE("cgroups v2 on the kernel: limits of controllers the hierarchy lacks are sampled or "
          "rlimits",
          "[sandbox][cgroups][v2]") {
    const CgroupLayout& l = use_real_v2();
    if (l.memory && l.pids) wb::test::skip("this hierarchy has the memory and pids controllers");
    wb::test::TempDir dir;
    auto p = slot_policy(dir, 61042);
    need_full_isolation(p);
    if (!l.memory) {
        p.limits.memory_kib = 64 * 1024;
        Result r = run(p, {program("memory_hog"), "400", "4"});
        INFO(r.message);
        CHECK(r.status == Status::memory_limit);
        CHECK(contains(r.warning, "memory is limited by sampling"));
    }
    if (!l.pids) {
        // 16 tasks of the slot's uid: the program and 15 threads.
        p.limits.processes = 16;
        Result r = run(p, {program("threads"), "40"});
        INFO(r.message);
        CHECK(r.status == Status::runtime_error);
        CHECK_THAT(wb::test::slurp(dir / "stderr"), Catch::StartsWith("thread 15: "));
        CHECK(contains(r.warning, "limited by RLIMIT_NPROC of the run's uid only"));
    }
    // No limit set: nothing to warn of.
    p.limits.memory_kib = 0;
    p.limits.processes = 0;
    Result r = run(p, {program("exit_code"), "0"});
    CHECK(r.status == Status::ok);
    CHECK(r.warning.empty());
    remove_slot(l, 61042);
}

TEST_CASE("cgroups v2 on the kernel: full isolation without the cgroup's limits does not meet a "
          "minimum of full",
          "[sandbox][cgroups][v2]") {
    const CgroupLayout& l = use_real_v2();
    if (l.memory && l.pids) wb::test::skip("this hierarchy has the memory and pids controllers");
    wb::test::TempDir dir;
    auto p = slot_policy(dir, 61043);
    need_full_isolation(p);
    p.minimum_isolation = Isolation::full;
    Result r = run(p, {program("write_file"), "out", "4"});
    CHECK(r.status == Status::internal_error);
    CHECK(r.message == "refused: this run needs full isolation, and this process can give it "
                       "only without the cgroup's memory and process limits (" +
                           l.partial +
                           "); give wbtool a cgroup hierarchy with the memory and pids "
                           "controllers, or accept userns isolation for code that is trusted");
    CHECK(r.message == isolation_refusal(Isolation::full));
    CHECK_FALSE(std::filesystem::exists(dir / "out"));
    // userns is met: the run goes on, with full isolation as it is here.
    p.minimum_isolation = Isolation::userns;
    r = run(p, {program("write_file"), "out", "4"});
    CHECK(r.status == Status::ok);
    CHECK(r.isolation == Isolation::full);
    remove_slot(l, 61043);
}
