// What runs prepare ahead and keep (sandbox.h, release_prepared): the shared
// network, ipc and uts namespaces at /run/wbtool/*ns and the compiled seccomp
// filters. They are there after a run, the program cannot see them,
// release_prepared() removes them, and runs go on.
// Needs root and namespaces; skips without them.
#include "sandbox_test.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <sys/statfs.h>
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
