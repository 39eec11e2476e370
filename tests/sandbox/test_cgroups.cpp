// Cgroup detection without a kernel: /proc/self/cgroup parsing, controller
// lists, the choice of where run cgroups go on v2 and v1, and the sweep of
// stale run cgroups, all against fake trees in a temporary directory. A fake
// kernel (FakeCgroupFs) enforces what the real one would: a controller can
// be enabled in subtree_control only if the cgroup has it and, unless it is
// the root, holds no process ("no internal processes"); a new cgroup's
// controllers are its parent's subtree_control.
#include "sandbox/cgroups.h"
#include "sandbox/identity.h"
#include "sandbox/verdict.h"
#include "sandbox_test.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <set>

using namespace wb::sandbox::detail;
using wb::test::contains;

namespace {

void put(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

class FakeCgroupFs : public CgroupFs {
  public:
    explicit FakeCgroupFs(std::filesystem::path root) : root_(std::move(root)) {}

    // A cgroup directory with its controllers, what it delegates, its processes.
    void cgroup(const std::string& rel, const std::string& controllers,
                const std::string& subtree = "", const std::string& procs = "") {
        const auto dir = root_ / rel;
        put(dir / "cgroup.controllers", controllers);
        put(dir / "cgroup.subtree_control", subtree);
        put(dir / "cgroup.procs", procs);
    }

    bool write(const std::string& path, const std::string& text) override {
        writes.push_back(path + " <- " + text);
        const std::filesystem::path p(path);
        if (p.filename() != "cgroup.subtree_control") return CgroupFs::write(path, text);
        const auto dir = p.parent_path();
        if (dir != root_ && !wb::test::slurp(dir / "cgroup.procs").empty()) {
            errno = EBUSY; // no internal processes
            return false;
        }
        const std::string have = wb::test::slurp(dir / "cgroup.controllers");
        std::string now = wb::test::slurp(p);
        std::istringstream words(text);
        for (std::string w; words >> w;) {
            const std::string name = w.substr(1);
            if (w[0] != '+' || !lists_all(have, {name})) {
                errno = ENOENT;
                return false;
            }
            if (!lists_all(now, {name})) now += (now.empty() ? "" : " ") + name;
        }
        std::ofstream(p) << now;
        return true;
    }

    bool make_dir(const std::string& path) override {
        const std::filesystem::path p(path);
        if (std::filesystem::exists(p)) return true;
        if (!std::filesystem::create_directory(p)) return false;
        put(p / "cgroup.controllers", wb::test::slurp(p.parent_path() / "cgroup.subtree_control"));
        put(p / "cgroup.subtree_control", "");
        put(p / "cgroup.procs", "");
        return true;
    }

    bool remove_dir(const std::string& path) override {
        if (!wb::test::slurp(std::filesystem::path(path) / "cgroup.procs").empty()) {
            errno = EBUSY;
            return false;
        }
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
        return !ec;
    }

    std::vector<std::string> writes;

  private:
    std::filesystem::path root_;
};

} // namespace

TEST_CASE("cgroups: our cgroup is read from /proc/self/cgroup", "[sandbox][cgroups]") {
    const std::string v1 = "12:pids:/user.slice/a\n"
                           "4:memory:/process_api/1fa1\n"
                           "3:cpu,cpuacct:/x\n"
                           "1:name=systemd:/sys\n"
                           "0::/unified/path\n";
    CHECK(own_cgroup(v1, "memory") == "/process_api/1fa1");
    CHECK(own_cgroup(v1, "pids") == "/user.slice/a");
    CHECK(own_cgroup(v1, "cpuacct") == "/x");
    CHECK(own_cgroup(v1, "cpu") == "/x");
    CHECK(own_cgroup(v1, "") == "/unified/path");
    CHECK(own_cgroup(v1, "blkio").empty());
    CHECK(own_cgroup("0::/\n", "") == "/");
    CHECK(own_cgroup("0::/a:b\n", "") == "/a:b"); // a colon inside the path
    CHECK(own_cgroup("garbage\n\n", "").empty());
}

TEST_CASE("cgroups: controller lists are matched on whole words", "[sandbox][cgroups]") {
    CHECK(lists_all("cpuset cpu io memory hugetlb pids rdma misc\n", {"memory", "pids"}));
    CHECK(lists_all("pids memory", {"memory", "pids"}));
    CHECK_FALSE(lists_all("cpu io memory\n", {"memory", "pids"}));
    CHECK_FALSE(lists_all("memory_x pidsy", {"memory"}));
    CHECK_FALSE(lists_all("", {"memory"}));
    CHECK(lists_all("", {}));
}

TEST_CASE("cgroups v2: a non-root cgroup with processes is not used, runs go under <root>/wbtool",
          "[sandbox][cgroups]") {
    wb::test::TempDir dir;
    const std::string root = (dir / "cg").string();
    FakeCgroupFs fs(root);
    fs.cgroup("", "cpuset cpu io memory pids", "");
    fs.cgroup("system.slice/wbtool.service", "memory pids", "", "1234\n");
    CgroupLayout l = detect_v2(fs, root, "/system.slice/wbtool.service");
    INFO(l.problem);
    REQUIRE(l.usable);
    CHECK(l.v2);
    CHECK(l.v2_base == root + "/wbtool");
    // Never a write to our own cgroup's subtree_control: the kernel refuses it.
    for (const auto& w : fs.writes)
        CHECK_FALSE(contains(w, "wbtool.service"));
    CHECK(lists_all(wb::test::slurp(dir / "cg/cgroup.subtree_control"), {"memory", "pids"}));
    CHECK(lists_all(wb::test::slurp(dir / "cg/wbtool/cgroup.subtree_control"), {"memory", "pids"}));
    CHECK(l.bases() == std::vector<std::string>{root + "/wbtool"});

    // Detected again (another process): nothing left to enable.
    fs.writes.clear();
    l = detect_v2(fs, root, "/system.slice/wbtool.service");
    CHECK(l.usable);
    CHECK(fs.writes.empty());
}

TEST_CASE("cgroups v2: a cgroup that already delegates memory and pids is used as it is",
          "[sandbox][cgroups]") {
    wb::test::TempDir dir;
    const std::string root = (dir / "cg").string();
    FakeCgroupFs fs(root);
    fs.cgroup("", "cpu io memory pids", "memory pids");
    // Our process at the root (in a container's cgroup namespace, say).
    CgroupLayout l = detect_v2(fs, root, "/");
    REQUIRE(l.usable);
    CHECK(l.v2_base == root);
    CHECK(fs.writes.empty());
}

TEST_CASE("cgroups v2: a hierarchy without memory or pids is used for what it has, and says so",
          "[sandbox][cgroups]") {
    struct Case {
        const char* offered;  // the root's controllers
        const char* partial;  // what the layout says is missing ("" none)
        const char* base;     // where runs go, under the root
        const char* delegate; // <root>/wbtool/cgroup.subtree_control ("" untouched)
    };
    // A hybrid host's unified hierarchy has neither (they are v1's): with
    // nothing to delegate, our own cgroup will do, processes and all.
    for (const Case c : {Case{"cpu io", "the memory and pids controllers", "/user.slice", ""},
                         Case{"cpu memory", "the pids controller", "/wbtool", "memory"},
                         Case{"pids", "the memory controller", "/wbtool", "pids"},
                         Case{"memory pids", "", "/wbtool", "memory pids"}}) {
        INFO(c.offered);
        wb::test::TempDir dir;
        const std::string root = (dir / "cg").string();
        FakeCgroupFs fs(root);
        fs.cgroup("", c.offered, "");
        fs.cgroup("user.slice", c.offered, "", "42\n");
        CgroupLayout l = detect_v2(fs, root, "/user.slice");
        INFO(l.problem);
        REQUIRE(l.usable);
        CHECK(l.memory == contains(c.offered, "memory"));
        CHECK(l.pids == contains(c.offered, "pids"));
        CHECK(l.v2_base == root + c.base);
        CHECK(l.partial == (*c.partial ? std::string("cgroup v2 without ") + c.partial +
                                             " (not in " + root + "/cgroup.controllers)"
                                       : std::string()));
        if (*c.delegate)
            CHECK(wb::test::slurp(dir / "cg/wbtool/cgroup.subtree_control") == c.delegate);
        else
            CHECK(fs.writes.empty());
    }
}

TEST_CASE("cgroups v2: a refused subtree_control write names the file and the error",
          "[sandbox][cgroups]") {
    wb::test::TempDir dir;
    const std::string root = (dir / "cg").string();
    FakeCgroupFs fs(root);
    fs.cgroup("", "memory pids", "");
    // The root of this view holds processes and is not the real root (a
    // container's cgroup namespace): the fake kernel refuses as the real one.
    put(dir / "cg/cgroup.procs", "1\n");
    struct Refusing : FakeCgroupFs {
        using FakeCgroupFs::FakeCgroupFs;
        bool write(const std::string&, const std::string&) override {
            errno = EBUSY;
            return false;
        }
    } refusing(root);
    CgroupLayout l = detect_v2(refusing, root, "/");
    CHECK_FALSE(l.usable);
    CHECK(contains(l.problem,
                   "cannot enable memory and pids in " + root + "/cgroup.subtree_control"));
    CHECK(contains(l.problem, "busy"));
}

TEST_CASE("cgroups v1: each controller under our own cgroup", "[sandbox][cgroups]") {
    wb::test::TempDir dir;
    const std::string root = (dir / "cg").string();
    std::filesystem::create_directories(dir / "cg/memory/process_api/abc");
    std::filesystem::create_directories(dir / "cg/pids");
    std::filesystem::create_directories(dir / "cg/cpuacct");
    FakeCgroupFs fs(root);
    const std::string text = "8:pids:/\n4:memory:/process_api/abc\n2:cpuacct:/\n0::/\n";
    CgroupLayout l = detect_v1(fs, root, text);
    INFO(l.problem);
    REQUIRE(l.usable);
    CHECK_FALSE(l.v2);
    CHECK(l.memory_base == root + "/memory/process_api/abc");
    CHECK(l.pids_base == root + "/pids");
    CHECK(l.cpu_base == root + "/cpuacct");

    std::filesystem::remove_all(dir / "cg/pids");
    l = detect_v1(fs, root, text);
    CHECK_FALSE(l.usable);
    CHECK(l.problem == "cgroup v1: no pids hierarchy at " + root + "/pids");
}

TEST_CASE("cgroups: stale run cgroups of dead processes are swept, live ones kept",
          "[sandbox][cgroups]") {
    wb::test::TempDir dir;
    const std::string base = (dir / "memory").string(), other = (dir / "pids").string();
    FakeCgroupFs fs(dir.path());
    for (const char* name :
         {"wbtool-100-0", "wbtool-100-7", "wbtool-200-0", "wbtool-x-1", "wbtool-300", "keep-100-0"})
        fs.cgroup(std::string("memory/") + name, "");
    fs.cgroup("pids/wbtool-100-0", "");
    // A run cgroup with a process still inside: killed (a pid that cannot
    // exist, so that nothing real is signalled), then removed.
    struct Emptying : FakeCgroupFs {
        using FakeCgroupFs::FakeCgroupFs;
        int busy = 2;
        bool remove_dir(const std::string& path) override {
            if (path.ends_with("wbtool-100-7") && busy-- > 0) {
                errno = EBUSY;
                return false;
            }
            return FakeCgroupFs::remove_dir(path);
        }
    } emptying(dir.path());
    const std::set<long> alive = {200};
    const std::size_t removed = sweep_stale_cgroups(emptying, {base, other},
                                                    [&](long pid) { return alive.count(pid) > 0; });
    CHECK(removed == 3);
    CHECK_FALSE(std::filesystem::exists(dir / "memory/wbtool-100-0"));
    CHECK_FALSE(std::filesystem::exists(dir / "memory/wbtool-100-7"));
    CHECK_FALSE(std::filesystem::exists(dir / "pids/wbtool-100-0"));
    CHECK(std::filesystem::exists(dir / "memory/wbtool-200-0"));
    CHECK(std::filesystem::exists(dir / "memory/wbtool-x-1"));
    CHECK(std::filesystem::exists(dir / "memory/wbtool-300"));
    CHECK(std::filesystem::exists(dir / "memory/keep-100-0"));
}

TEST_CASE("cgroups: a fully isolated run without a cgroup says so", "[sandbox][cgroups]") {
    wb::sandbox::Limits limits;
    const std::string prog = "prog";
    Outcome o;
    o.end = Outcome::End::finished;
    o.wait_status = 0;
    VerdictInputs in{limits, 7, 0, prog, "/w"};
    in.isolation = wb::sandbox::Isolation::full;
    in.no_cgroup = true;
    auto r = classify(o, in);
    CHECK(r.status == wb::sandbox::Status::ok);
    CHECK(r.message == "exited with code 0 (no cgroup: CPU and memory limits by sampling only)");
    in.no_cgroup = false;
    CHECK(classify(o, in).message == "exited with code 0");
}

TEST_CASE("cgroups: a slot's cgroup is kept for its next run, which starts from zero",
          "[sandbox][cgroups]") {
    if (geteuid() != 0) wb::test::skip("needs root for cgroups");
    if (!cgroup_layout().usable)
        wb::test::skip("no usable cgroups here: " + cgroup_layout().problem);
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.isolate = true;
    p.binds.push_back({SANDBOX_PROG_DIR, {}, false});
    p.limits.cpu_s = 1;
    p.limits.wall_s = 20;
    p.limits.memory_kib = 64 * 1024;
    // Runs one after another get the same slot, the lowest free uid: this
    // run learns it from the program, and its cgroup stays. A pool of this
    // test's own, so that tests running beside it (ctest -j) take no slot
    // of it between its runs.
    p.uid_pool_first = 61000;
    p.uid_pool_size = 10;
    auto r = run(p, {"/usr/bin/id", "-u"});
    REQUIRE(r.status == wb::sandbox::Status::ok);
    if (r.isolation != wb::sandbox::Isolation::full) wb::test::skip("no full isolation here");
    const std::string uid = wb::test::slurp(dir / "stdout").substr(0, 5);
    const auto base = cgroup_layout().bases().front();
    const std::string kept = base + "/wbtool-slot-" + uid;
    INFO(kept);
    CHECK(std::filesystem::is_directory(kept));
    CHECK(wb::test::slurp(kept + "/cgroup.procs").empty());

    // CPU time: 0.7 s twice under a limit of 1 s. Counted from the slot's
    // total, the second run would be over it.
    for (int i = 0; i < 2; ++i) {
        r = run(p, {wb::test::program("busy"), "700"});
        INFO(i << ": " << r.message);
        CHECK(r.status == wb::sandbox::Status::ok);
        CHECK(r.cpu_s() < 0.9);
    }
    // An OOM kill is the run's own: the next run is not a memory_limit.
    r = run(p, {wb::test::program("memory_hog"), "200"});
    CHECK(r.status == wb::sandbox::Status::memory_limit);
    r = run(p, {wb::test::program("exit_code"), "0"});
    INFO(r.message);
    CHECK(r.status == wb::sandbox::Status::ok);
    // Limits are each run's: no memory limit after one of 64 MiB.
    p.limits.memory_kib = 0;
    r = run(p, {wb::test::program("memory_hog"), "128"});
    INFO(r.message);
    CHECK(r.status == wb::sandbox::Status::ok);
    CHECK(r.max_rss_kib > 100 * 1024);
    // And a higher one after a lower one (v1: memsw is opened first).
    p.limits.memory_kib = 32 * 1024;
    CHECK(run(p, {wb::test::program("exit_code"), "0"}).status == wb::sandbox::Status::ok);
    p.limits.memory_kib = 256 * 1024;
    r = run(p, {wb::test::program("memory_hog"), "128"});
    INFO(r.message);
    CHECK(r.status == wb::sandbox::Status::ok);

    // Page cache an earlier run left (a file it wrote) is reclaimed: the
    // slot is still used.
    auto cgroup_of_next_run = [&](wb::sandbox::Policy q) {
        q.stdout_path = dir / "cgroup";
        REQUIRE(run(q, {"/bin/cat", "/proc/self/cgroup"}).status == wb::sandbox::Status::ok);
        return wb::test::slurp(dir / "cgroup");
    };
    REQUIRE(run(p, {wb::test::program("write_file"), "cache", "16777216"}).status ==
            wb::sandbox::Status::ok);
    // Written back first: reclaim drops clean pages at once, but dirty ones
    // only after the flusher has written them (seconds), so without this
    // the check would depend on the disk's speed. (Dirty pages left in a
    // slot give the next run a cgroup of its own: correct, only slower.)
    {
        const int fd = ::open((dir / "cache").c_str(), O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        CHECK(fsync(fd) == 0);
        ::close(fd);
    }
    CHECK(contains(cgroup_of_next_run(p), "/wbtool-slot-" + uid));
}

TEST_CASE("cgroups: releasing what runs keep leaves the slot a run holds now",
          "[sandbox][cgroups][release]") {
    if (!cgroup_layout().usable)
        wb::test::skip("no usable cgroups here: " + cgroup_layout().problem);
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.isolate = true;
    p.uid_pool_first = 61030; // a pool of its own, as above
    p.uid_pool_size = 1;
    auto r = run(p, {"/bin/true"});
    REQUIRE(r.status == wb::sandbox::Status::ok);
    if (r.isolation != wb::sandbox::Isolation::full) wb::test::skip("no full isolation here");
    const std::string kept = cgroup_layout().bases().front() + "/wbtool-slot-61030";
    INFO(kept);
    REQUIRE(std::filesystem::is_directory(kept));
    {
        // A run holding the slot's uid (its lease), between making its
        // cgroup and joining it: the cgroup is empty, and must stay.
        auto held = UidLease::acquire(61030, 1);
        REQUIRE(held);
        CHECK(wb::sandbox::release_prepared().empty());
        CHECK(std::filesystem::is_directory(kept));
    }
    CHECK(wb::sandbox::release_prepared().empty());
    CHECK_FALSE(std::filesystem::exists(kept));
}

TEST_CASE("cgroups: memory an earlier run left in its slot gives the next run a cgroup of its own",
          "[sandbox][cgroups]") {
    if (geteuid() != 0) wb::test::skip("needs root for cgroups");
    if (!cgroup_layout().usable)
        wb::test::skip("no usable cgroups here: " + cgroup_layout().problem);
    // A work directory on a tmpfs (in this test process's own mount
    // namespace): what a run writes there stays in memory, charged to it.
    REQUIRE(unshare(CLONE_NEWNS) == 0);
    REQUIRE(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
    wb::test::TempDir dir;
    REQUIRE(mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=64m") == 0);
    auto p = wb::test::test_policy(dir);
    p.isolate = true;
    p.binds.push_back({SANDBOX_PROG_DIR, {}, false});
    p.uid_pool_first = 61010; // a pool of its own, as above
    p.uid_pool_size = 10;
    auto r = run(p, {wb::test::program("write_file"), "held", "33554432"});
    INFO(r.message);
    REQUIRE(r.status == wb::sandbox::Status::ok);
    if (r.isolation != wb::sandbox::Isolation::full) wb::test::skip("no full isolation here");
    p.stdout_path = dir / "cgroup";
    r = run(p, {"/bin/cat", "/proc/self/cgroup"});
    INFO(r.message);
    CHECK(r.status == wb::sandbox::Status::ok);
    const std::string cgroups = wb::test::slurp(dir / "cgroup");
    INFO(cgroups);
    CHECK(!contains(cgroups, "wbtool-slot-"));
    CHECK(contains(cgroups, "/wbtool-" + std::to_string(getpid()) + "-"));
    umount2(dir.path().c_str(), MNT_DETACH);
}
