// What runs prepare ahead and keep (sandbox.h, release_prepared): the shared
// network, ipc and uts namespaces at /run/wbtool/*ns, the compiled seccomp
// filters and the sandbox's /dev. They are there after a run, the program
// cannot see them (the /dev only as its /dev), release_prepared() removes
// them, and runs go on.
// Needs root and namespaces; skips without them.
#include "sandbox/mounts.h" // detail::kept_dev_dir
#include "sandbox_test.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace wb::sandbox;
using wb::test::contains;
using wb::test::program;

namespace {

constexpr long nsfs_magic = 0x6e736673;

std::size_t cached_filters() {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/run/wbtool", ec))
        n += e.path().filename().string().starts_with("seccomp-");
    return n;
}

bool is_nsfs(const char* path) {
    struct statfs fs {};
    return statfs(path, &fs) == 0 && static_cast<long>(fs.f_type) == nsfs_magic;
}

Policy isolated(const wb::test::TempDir& dir) {
    return wb::test::isolated_policy(dir);
}

// What the sandbox's /dev must hold, `ls -A` in one line.
constexpr const char* dev_listing = "fd full null random stderr stdin stdout urandom zero";

// What a run sees of its /dev: its listing, whether a file can be made
// there, whether /dev/null takes a write, and its mount's options.
std::string sandbox_dev(const wb::test::TempDir& dir) {
    Result r =
        run(isolated(dir), {"/bin/sh", "-c",
                            "echo $(ls -A /dev); touch /dev/x 2>/dev/null || echo read-only; "
                            "echo x > /dev/null && echo null; grep ' /dev ' /proc/self/mountinfo"});
    INFO(r.message);
    return r.status == Status::ok ? wb::test::slurp(dir / "stdout") : "failed: " + r.message;
}

} // namespace

TEST_CASE("prepared: the shared network namespace is kept, hidden and releasable",
          "[sandbox][prepared][release]") {
    if (geteuid() != 0) wb::test::skip("needs root for namespaces");
    wb::test::TempDir dir;
    Result r = run(isolated(dir), {program("exit_code"), "0"});
    if (r.isolation != Isolation::full) wb::test::skip("namespaces are not permitted here");
    REQUIRE(r.status == Status::ok);
    // Another test process may have released it a moment ago; runs make it again.
    r = run(isolated(dir), {"/bin/sh", "-c", "ls -d /run /run/wbtool 2>&1"});
    INFO(r.message << "\n" << wb::test::slurp(dir / "stdout"));
    CHECK(r.status == Status::runtime_error);
    CHECK(contains(wb::test::slurp(dir / "stdout"), "No such file or directory"));

    CHECK(release_prepared().empty());
    CHECK_FALSE(is_nsfs("/run/wbtool/netns"));
    CHECK_FALSE(is_nsfs("/run/wbtool/ipcns"));
    CHECK_FALSE(is_nsfs("/run/wbtool/utsns"));
    CHECK(cached_filters() == 0);
    // This process keeps its descriptor of the namespace: runs go on.
    r = run(isolated(dir), {program("exit_code"), "0"});
    CHECK(r.status == Status::ok);
    CHECK(r.isolation == Isolation::full);
    // Joined, not its own: the host name was set once, in the shared one.
    r = run(isolated(dir), {"/bin/sh", "-c", "hostname"});
    CHECK(wb::test::slurp(dir / "stdout") == "wbtool-sandbox\n");
    CHECK(release_prepared().empty()); // twice is fine
}

TEST_CASE("prepared: the sandbox's /dev is made once, read-only, and bound into every root",
          "[sandbox][prepared][release]") {
    if (geteuid() != 0) wb::test::skip("needs root for namespaces");
    wb::test::TempDir dir;
    Result r = run(isolated(dir), {program("exit_code"), "0"});
    if (r.isolation != Isolation::full) wb::test::skip("namespaces are not permitted here");
    const std::string seen = sandbox_dev(dir);
    INFO(seen);
    CHECK(contains(seen, std::string(dev_listing) + "\nread-only\nnull\n"));
    CHECK(contains(seen, " /dev ro,nosuid,noexec,"));
    // On the host: a read-only tmpfs of root's with the same entries (another
    // test process may have released it a moment ago: the run made it again).
    struct statfs fs {};
    if (statfs(detail::kept_dev_dir, &fs) == 0) {
        CHECK(fs.f_type == TMPFS_MAGIC);
        CHECK((fs.f_flags & ST_RDONLY) != 0);
    }

    CHECK(release_prepared().empty());
    struct stat st {};
    CHECK(stat(detail::kept_dev_dir, &st) != 0);
    // The next run makes it again.
    CHECK(contains(sandbox_dev(dir), dev_listing));
}

TEST_CASE("prepared: a kept /dev that is not what it should be is not bound",
          "[sandbox][prepared]") {
    if (geteuid() != 0) wb::test::skip("needs root for namespaces");
    wb::test::TempDir dir;
    if (run(isolated(dir), {program("exit_code"), "0"}).isolation != Isolation::full)
        wb::test::skip("namespaces are not permitted here");
    // In a mount namespace of this test's own: an empty read-only tmpfs in
    // the kept /dev's place, which the parent cannot tell from the real one
    // and the keeper can (no /dev/null in it): it makes the run a /dev.
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr))
            _exit(10);
        umount2(detail::kept_dev_dir, MNT_DETACH);
        mkdir(detail::kept_dev_dir, 0755);
        if (mount("tmpfs", detail::kept_dev_dir, "tmpfs", MS_NOSUID, "size=16k,mode=0755") != 0 ||
            mount(nullptr, detail::kept_dev_dir, nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID,
                  nullptr) != 0)
            _exit(11);
        const std::string seen = sandbox_dev(dir);
        if (!contains(seen, std::string(dev_listing) + "\nread-only\nnull\n")) _exit(12);
        if (!contains(seen, " /dev ro,nosuid,noexec,")) _exit(13);
        _exit(0);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("prepared: a bind under /dev goes into a /dev of the run's own", "[sandbox][prepared]") {
    if (geteuid() != 0) wb::test::skip("needs root for namespaces");
    wb::test::TempDir dir, shm;
    if (run(isolated(dir), {program("exit_code"), "0"}).isolation != Isolation::full)
        wb::test::skip("namespaces are not permitted here");
    std::ofstream(shm / "mark") << "bound\n";
    // Readable by the sandbox's uid.
    std::filesystem::permissions(
        shm.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                        std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                        std::filesystem::perms::others_exec);
    Policy p = isolated(dir);
    p.binds.push_back({shm.path(), "/dev/shm", false});
    Result r = run(p, {"/bin/sh", "-c", "cat /dev/shm/mark; echo $(ls -A /dev)"});
    INFO(r.message);
    CHECK(r.status == Status::ok);
    CHECK(wb::test::slurp(dir / "stdout") ==
          "bound\nfd full null random shm stderr stdin stdout urandom zero\n");
}
