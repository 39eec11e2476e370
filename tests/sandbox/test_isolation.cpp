// Full isolation: the program's view (its uid, its root, its /proc, its own
// /tmp), the CPU time it reads compared with the bare figure, and the result
// fields. Needs root and namespaces; skips (exit 77) without them.
#include "sandbox/identity.h"
#include "sandbox_test.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

using namespace wb::sandbox;
using wb::test::contains;
using wb::test::program;

namespace {

Policy isolated(const wb::test::TempDir& dir) {
    return wb::test::isolated_policy(dir);
}

void need_isolation() {
    wb::test::need_full_isolation();
}

} // namespace

TEST_CASE("isolated: a program runs as its own user in its own root", "[sandbox][isolation]") {
    need_isolation();
    wb::test::TempDir dir;
    Result r = run(isolated(dir),
                   {"/bin/sh", "-c",
                    "id -u; hostname; ls /; cat /etc/passwd | wc -l; touch here /tmp/t && echo "
                    "wrote; ls /proc | grep -c '^[0-9]'"});
    INFO(r.message << "\n" << wb::test::slurp(dir / "stderr"));
    REQUIRE(r.status == Status::ok);
    CHECK(r.isolation == Isolation::full);
    CHECK(r.message == "exited with code 0");
    auto lines = wb::test::lines_of(wb::test::slurp(dir / "stdout"));
    REQUIRE(lines.size() >= 4);
    CHECK(std::stol(lines[0]) >= 60000);
    CHECK(lines[1] == "wbtool-sandbox");
    CHECK(std::find(lines.begin(), lines.end(), "usr") != lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "root") == lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "home") == lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "wrote") != lines.end());
    CHECK(std::filesystem::exists(dir / "here"));
}

TEST_CASE("isolated: without a work directory the program works in a private tmpfs of its own",
          "[sandbox][isolation]") {
    need_isolation();
    wb::test::TempDir dir;
    auto p = isolated(dir);
    p.workdir.clear();
    p.workdir_kib = 1024;
    // Empty, the program's, writable up to its size, and the same for a
    // second run: nothing of the first is left in it.
    const std::vector<std::string> look = {
        "/bin/sh", "-c",
        "pwd; ls -A | wc -l; stat -c '%u %a' .; "
        "echo one > f; head -c 2000000 /dev/zero > big || echo full; "
        "df -k . | tail -1 | tr -s ' ' | cut -d' ' -f2"};
    for (int i = 0; i < 2; ++i) {
        Result r = run(p, look);
        INFO(r.message << "\n" << wb::test::slurp(dir / "stderr"));
        REQUIRE(r.status == Status::ok);
        CHECK(r.isolation == Isolation::full);
        const auto lines = wb::test::lines_of(wb::test::slurp(dir / "stdout"));
        REQUIRE(lines.size() == 5);
        CHECK(lines[0] == "/box");
        CHECK(lines[1] == "0");
        CHECK(std::stol(lines[2].substr(0, lines[2].find(' '))) >= 60000);
        CHECK(lines[2].ends_with(" 755"));
        CHECK(lines[3] == "full");
        CHECK(lines[4] == "1024");
    }
    // Nothing of it on the host: no temporary directory of this process's.
    for (const auto& e :
         std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
        CHECK_FALSE(e.path().filename().string().starts_with("wbtool-sandbox-" +
                                                             std::to_string(getpid()) + "-"));
    // A job's bind at /box goes over it: the program starts in what was bound.
    std::filesystem::create_directories(dir / "bound");
    std::ofstream(dir / "bound" / "marker") << "x";
    p.binds.push_back({dir / "bound", "/box", false});
    Result r = run(p, {"/bin/sh", "-c", "pwd; ls"});
    INFO(r.message << "\n" << wb::test::slurp(dir / "stderr"));
    REQUIRE(r.status == Status::ok);
    CHECK(wb::test::lines_of(wb::test::slurp(dir / "stdout")) ==
          std::vector<std::string>{"/box", "marker"});
}

TEST_CASE("isolated: the uid comes from the policy's pool, one run per uid on the host",
          "[sandbox][isolation]") {
    need_isolation();
    wb::test::TempDir dir;
    Policy p = isolated(dir);
    p.uid_pool_first = 61020; // a pool no other test uses
    p.uid_pool_size = 1;
    Result r = run(p, {"/usr/bin/id", "-u"});
    INFO(r.message);
    REQUIRE(r.status == Status::ok);
    CHECK(wb::test::slurp(dir / "stdout") == "61020\n");

    // The uid is taken by another run (its lease): a pool of one has no uid
    // left, and says which.
    auto held = wb::sandbox::detail::UidLease::acquire(61020, 1);
    REQUIRE(held);
    r = run(p, {"/usr/bin/id", "-u"});
    CHECK(r.status == Status::internal_error);
    CHECK(contains(r.message, "cannot allocate a sandbox uid: all 1 of 61020..61020 are in use"));
    // A pool of two: the next one.
    p.uid_pool_size = 2;
    r = run(p, {"/usr/bin/id", "-u"});
    CHECK(r.status == Status::ok);
    CHECK(wb::test::slurp(dir / "stdout") == "61021\n");

    p.uid_pool_first = 0;
    r = run(p, {"/usr/bin/id", "-u"});
    CHECK(r.status == Status::internal_error);
    CHECK(contains(r.message, "the sandbox uid pool (uid_pool_first 0, uid_pool_size 2) must "
                              "start above 0"));
}

TEST_CASE("isolated: the run profile allows one execve only", "[sandbox][isolation]") {
    need_isolation();
    wb::test::TempDir dir;
    auto p = isolated(dir);
    p.profile = Profile::run;
    Result r = run(p, {program("exit_code"), "4"});
    CHECK(r.status == Status::runtime_error);
    CHECK(r.exit_code == 4);
    r = run(p, {"/bin/sh", "-c", "/bin/true"});
    CHECK(r.status == Status::forbidden_syscall);
    CHECK(contains(r.message, "'execve'"));
}

TEST_CASE("isolated: CPU time of a 200 ms loop matches the bare figure", "[sandbox][isolation]") {
    need_isolation();
    wb::test::TempDir dir;
    auto p = isolated(dir);
    p.profile = Profile::run;
    Result r = run(p, {program("busy"), "200"});
    REQUIRE(r.status == Status::ok);
    CHECK(r.cpu_s() >= 0.18);
    CHECK(r.cpu_s() <= 0.40);
    CHECK(r.max_rss_kib > 0);
}

TEST_CASE("isolated: a missing bind is an error that names it", "[sandbox][isolation]") {
    need_isolation();
    wb::test::TempDir dir;
    auto p = isolated(dir);
    p.binds.push_back({"/nonexistent/input.raw", {}, false});
    Result r = run(p, {program("exit_code"), "0"});
    CHECK(r.status == Status::internal_error);
    CHECK(contains(r.message, "/nonexistent/input.raw"));
}

TEST_CASE("isolated: a bind keeps the noexec and read-only flags of the mount it comes from",
          "[sandbox][isolation]") {
    need_isolation();
    // A noexec, read-only mount of the test's own, in a mount namespace of
    // this test process only (each test case runs in a process of its own).
    REQUIRE(unshare(CLONE_NEWNS) == 0);
    REQUIRE(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
    wb::test::TempDir dir, host;
    REQUIRE(mount("tmpfs", host.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m") == 0);
    std::filesystem::copy_file(program("exit_code"), host / "exit_code");
    REQUIRE(mount(nullptr, host.path().c_str(), nullptr,
                  MS_REMOUNT | MS_RDONLY | MS_NOEXEC | MS_NOSUID | MS_NODEV, nullptr) == 0);
    auto p = isolated(dir);
    p.binds.push_back({host.path(), {}, true}); // asked for writable, too
    Result r = run(p, {(host / "exit_code").string(), "0"});
    INFO(r.message);
    CHECK(r.isolation == Isolation::full);
    CHECK(r.status == Status::internal_error);
    CHECK(contains(r.message,
                   "cannot execute '" + (host / "exit_code").string() + "': Permission denied"));
    r = run(p, {"/bin/sh", "-c", "touch " + (host / "new").string()});
    CHECK(r.status == Status::runtime_error);
    CHECK(contains(wb::test::slurp(dir / "stderr"), "Read-only file system"));
    umount2(host.path().c_str(), MNT_DETACH);
}
