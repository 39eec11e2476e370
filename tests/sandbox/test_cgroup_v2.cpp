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
    wb::test::need_full_isolation();
    REQUIRE(cgroup_layout().v2);
    return cgroup_layout();
}

// The CPU time (s) of every run cgroup under the base, from cpu.stat.
double cpu_of_run_cgroups(const CgroupLayout& l) {
    CgroupFs fs;
    double total = 0;
    for (const auto& name : fs.list(l.v2_base)) {
        if (name.rfind("wbtool-", 0) != 0) continue;
        const std::string stat = fs.read(l.v2_base + "/" + name + "/cpu.stat");
        if (auto at = stat.find("usage_usec "); at != std::string::npos)
            total += static_cast<double>(std::strtoull(stat.c_str() + at + 11, nullptr, 10)) * 1e-6;
    }
    return total;
}

} // namespace

TEST_CASE("cgroups v2 on the kernel: the program is in a cgroup namespace, its tree's CPU time "
          "counted by cpu.stat",
          "[sandbox][cgroups][v2]") {
    const CgroupLayout& l = use_real_v2();
    wb::test::TempDir dir;
    auto p = wb::test::isolated_policy(dir);
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

    // 200 ms of CPU in a child the program forks: the tree's, from the
    // cgroup, which counted it too.
    const double before = cpu_of_run_cgroups(l);
    r = run(p, {program("busy"), "200", "fork"});
    INFO(r.message);
    REQUIRE(r.status == Status::ok);
    CHECK(r.cpu_s() >= 0.19);
    CHECK(r.cpu_s() < 0.4);
    const double counted = cpu_of_run_cgroups(l) - before;
    CHECK(counted >= 0.19);
    CHECK(counted == Approx(r.cpu_s()).margin(0.05));

    // The CPU limit holds for the tree: the child burns, the parent waits.
    p.limits.cpu_s = 0.3;
    r = run(p, {program("busy"), "-1", "fork"});
    INFO(r.message);
    CHECK(r.status == Status::time_limit);
    CHECK(r.cpu_s() >= 0.3);
    CHECK(r.cpu_s() < 0.8);
    CHECK(remove_slot_cgroups().empty());
}

TEST_CASE("cgroups v2 on the kernel: what the program leaves is killed and its cgroup removed",
          "[sandbox][cgroups][v2]") {
    const CgroupLayout& l = use_real_v2();
    wb::test::TempDir dir;
    auto p = wb::test::isolated_policy(dir);
    // An explicit uid: no slot, a cgroup of the run's own, removed at the end.
    auto lease = UidLease::acquire(p.uid_pool_first, p.uid_pool_size);
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
}

TEST_CASE("cgroups v2 on the kernel: a limit of a controller the hierarchy lacks is sampled",
          "[sandbox][cgroups][v2]") {
    const CgroupLayout& l = use_real_v2();
    if (l.memory) wb::test::skip("this hierarchy has the memory controller");
    wb::test::TempDir dir;
    auto p = wb::test::isolated_policy(dir);
    p.limits.memory_kib = 64 * 1024;
    Result r = run(p, {program("memory_hog"), "400", "4"});
    INFO(r.message);
    CHECK(r.status == Status::memory_limit);
    CHECK(contains(r.warning, "memory is limited by sampling"));
    CHECK(remove_slot_cgroups().empty());
}
