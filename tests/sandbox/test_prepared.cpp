// What runs prepare ahead and keep (sandbox.h, release_prepared): the shared
// network, ipc and uts namespaces at /run/wbtool/*ns, the compiled seccomp
// filters, the sandbox's /dev and the kept roots (mounts.h). They are there
// after a run, the program cannot see them (the /dev only as its /dev, a
// kept root only as its root), release_prepared() removes them, and runs go
// on.
// Needs root and namespaces; skips without them.
#include "sandbox/mounts.h" // detail::kept_dev_dir, kept_roots_dir
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

#include <functional>

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

// A directory of the test's that the sandbox's uid may read.
void open_to_sandbox(const wb::test::TempDir& dir) {
    using std::filesystem::perms;
    std::filesystem::permissions(dir.path(), perms::owner_all | perms::group_read |
                                                 perms::group_exec | perms::others_read |
                                                 perms::others_exec);
}

// A directory of the test's with a file `mark` ("bound") in it, both
// readable by the sandbox's uid.
void mark_for_sandbox(const wb::test::TempDir& dir) {
    open_to_sandbox(dir);
    std::ofstream(dir / "mark") << "bound\n";
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
    open_to_sandbox(shm);
    Policy p = isolated(dir);
    p.binds.push_back({shm.path(), "/dev/shm", false});
    Result r = run(p, {"/bin/sh", "-c", "cat /dev/shm/mark; echo $(ls -A /dev)"});
    INFO(r.message);
    CHECK(r.status == Status::ok);
    CHECK(wb::test::slurp(dir / "stdout") ==
          "bound\nfd full null random shm stderr stdin stdout urandom zero\n");
}

namespace {

// Full isolation that binds nothing of the host's but the system binds
// (the shell and its tools) and the work directory `dir` (under /tmp).
Policy plain(const wb::test::TempDir& dir) {
    Policy p = wb::test::test_policy(dir);
    p.isolate = true;
    p.profile = Profile::compile;
    return p;
}

// Skips without root, or where the kernel refuses the namespaces.
void need_namespaces(const wb::test::TempDir& dir) {
    if (geteuid() != 0) wb::test::skip("needs root for namespaces");
    if (run(plain(dir), {"/bin/true"}).isolation != Isolation::full)
        wb::test::skip("namespaces are not permitted here");
}

// Runs `body` in a child of this test, in a mount namespace of its own with
// a /run/wbtool of its own (an empty tmpfs): nothing it prepares, breaks or
// remembers is seen outside. Returns the child's exit status (`body`'s
// value; 10: the namespace could not be made).
int with_own_prepared(const std::function<int()>& body) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (unshare(CLONE_NEWNS) != 0 ||
            mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            mount("tmpfs", "/run/wbtool", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,size=1m") != 0)
            _exit(10);
        _exit(body());
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Whether the mount table `mountinfo` has a mount at `path`.
bool mounted_at(const std::string& mountinfo, const std::string& path) {
    return contains(wb::test::slurp(mountinfo), " " + path + " ");
}

// `script` run by /bin/sh under `p`: its stdout after a first line that says
// whether the root was a copy of a kept root ("1": its /etc/passwd is bound
// over the kept root's empty one) or built for the run ("0": written into
// the run's own tmpfs).
std::string run_script(const Policy& p, const wb::test::TempDir& dir, const std::string& script) {
    Result r = run(p, {"/bin/sh", "-c", "grep -c ' /etc/passwd ' /proc/self/mountinfo; " + script});
    INFO(r.message);
    return r.status == Status::ok ? wb::test::slurp(dir / "stdout") : "failed: " + r.message;
}

// The same in a copy of a kept root: another test process may release the
// kept roots just as a run starts, and that run builds its root, so it is
// run again, up to five times. "" if none ran in one.
std::string in_kept_root(const Policy& p, const wb::test::TempDir& dir, const std::string& script) {
    for (int i = 0; i < 5; ++i) {
        const std::string out = run_script(p, dir, script);
        if (out.rfind("1\n", 0) == 0) return out.substr(2);
        INFO(out);
        if (out.rfind("0\n", 0) != 0) return out;
    }
    return "";
}

std::size_t kept_roots() {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(detail::kept_roots_dir, ec))
        n += e.path().filename().string().starts_with("root-") && is_nsfs(e.path().c_str());
    return n;
}

// What a run sees of the root it is given: who it is, a /tmp of its own,
// with nothing in it but its work directory (bound at its host path), that
// it may write; a read-only root; its own pid namespace's /proc.
constexpr const char* root_script =
    "id -un; grep -c \"^sandbox:x:$(id -u):$(id -g):\" /etc/passwd; "
    "ls -A /tmp | grep -c -v '^wbtool-test-'; echo t > /tmp/t && cat /tmp/t; "
    "touch /x 2>/dev/null || echo read-only; echo $$";
constexpr const char* root_seen = "sandbox\n1\n0\nt\nread-only\n2\n";

} // namespace

TEST_CASE("prepared: the base of the root is kept, and each run mounts its own /proc, /tmp and "
          "users",
          "[sandbox][prepared][release]") {
    wb::test::TempDir dir;
    need_namespaces(dir);
    CHECK(in_kept_root(plain(dir), dir, root_script) == root_seen);
    // Nothing of the last run is left: its /tmp was its own.
    CHECK(in_kept_root(plain(dir), dir, root_script) == root_seen);

    CHECK(release_prepared().empty());
    CHECK(kept_roots() == 0);
    // The next run makes it again.
    CHECK(in_kept_root(plain(dir), dir, root_script) == root_seen);
    CHECK(kept_roots() >= 1);
}

TEST_CASE("prepared: a kept root follows the host's files, a file replaced gets a new one",
          "[sandbox][prepared]") {
    wb::test::TempDir dir, files;
    need_namespaces(dir);
    open_to_sandbox(files);
    const std::filesystem::path marker = files / "marker";
    std::ofstream(marker) << "one\n";
    Policy p = plain(dir);
    p.system_binds.push_back({marker, "/etc/wbtool-marker", false});
    CHECK(in_kept_root(p, dir, "cat /etc/wbtool-marker") == "one\n");
    // Replaced as ldconfig replaces ld.so.cache: a new file renamed over it.
    std::ofstream(files / "new") << "two\n";
    std::filesystem::rename(files / "new", marker);
    CHECK(in_kept_root(p, dir, "cat /etc/wbtool-marker") == "two\n");
    // Written in place: the same file, seen as it is now.
    std::ofstream(marker, std::ios::trunc) << "three\n";
    CHECK(in_kept_root(p, dir, "cat /etc/wbtool-marker") == "three\n");
}

TEST_CASE("prepared: binds at new top directories go into a kept root, in read-only tmpfs of "
          "their own",
          "[sandbox][prepared]") {
    wb::test::TempDir dir, in;
    need_namespaces(dir);
    mark_for_sandbox(in);
    Policy p = plain(dir);
    p.binds.push_back({in.path(), "/wbtool-test-top/in", false});
    p.binds.push_back({in.path(), "/wbtool-test-whole", false});
    p.binds.push_back({in / "mark", "/tmp/in/mark", false});
    // A top that is a link in the base (/sbin -> usr/sbin on a merged /usr):
    // the bind goes where it leads, as mount(2) takes it.
    struct stat sbin {};
    const bool sbin_link = lstat("/sbin", &sbin) == 0 && S_ISLNK(sbin.st_mode);
    if (sbin_link) {
        Policy q = plain(dir);
        q.binds.push_back({in.path(), "/sbin", false});
        CHECK(run_script(q, dir, "cat /sbin/mark").ends_with("\nbound\n"));
    }
    CHECK(in_kept_root(p, dir,
                       "cat /wbtool-test-top/in/mark /wbtool-test-whole/mark /tmp/in/mark; "
                       "touch /wbtool-test-top/x 2>/dev/null || echo read-only; "
                       "grep ' /wbtool-test-top ' /proc/self/mountinfo | grep -c ' ro,'") ==
          "bound\nbound\nbound\nread-only\n1\n");
}

TEST_CASE("prepared: a run whose binds have no place in a kept root, or whose kept root is not "
          "one, builds its root",
          "[sandbox][prepared]") {
    wb::test::TempDir dir, files;
    need_namespaces(dir);
    open_to_sandbox(files);
    std::ofstream(files / "extra") << "extra\n";
    // A new file in /etc, a directory of the kept root's own.
    Policy p = plain(dir);
    p.binds.push_back({files / "extra", "/etc/wbtool-extra", false});
    CHECK(run_script(p, dir, std::string("cat /etc/wbtool-extra; ") + root_script) ==
          std::string("0\nextra\n") + root_seen);

    // Every kept root replaced by another kind of namespace, which the
    // parent cannot tell from a mount namespace and the keeper can (setns
    // refuses it).
    CHECK(with_own_prepared([&] {
              if (in_kept_root(plain(dir), dir, "echo kept") != "kept\n") return 11;
              std::size_t replaced = 0;
              std::error_code ec;
              for (const auto& e :
                   std::filesystem::directory_iterator(detail::kept_roots_dir, ec)) {
                  if (!e.path().filename().string().starts_with("root-") ||
                      !is_nsfs(e.path().c_str()))
                      continue;
                  if (umount2(e.path().c_str(), MNT_DETACH) != 0 ||
                      mount("/proc/self/ns/net", e.path().c_str(), nullptr, MS_BIND, nullptr) != 0)
                      return 12;
                  ++replaced;
              }
              if (replaced == 0) return 13;
              if (run_script(plain(dir), dir, root_script) != std::string("0\n") + root_seen)
                  return 14;
              return 0;
          }) == 0);
}

TEST_CASE("prepared: on shared mounts, a kept root is kept and a run's binds stay its own",
          "[sandbox][prepared]") {
    // As on a systemd host: every mount shared, with a peer in another
    // namespace. The kernel binds no mount namespace onto such a mount, and
    // a copy of a shared mount joins its peer group.
    wb::test::TempDir dir, in;
    need_namespaces(dir);
    mark_for_sandbox(in);
    CHECK(with_own_prepared([&] {
              if (mount(nullptr, "/", nullptr, MS_REC | MS_SHARED, nullptr) != 0) return 11;
              int hold[2];
              if (pipe(hold) != 0) return 12;
              const pid_t peer = fork();
              if (peer == 0) {
                  char c;
                  if (unshare(CLONE_NEWNS) == 0) (void)!read(hold[0], &c, 1);
                  _exit(0);
              }
              usleep(100'000); // the peer has unshared
              // The work directory is bound at its own path, and a bind goes
              // into it: onto a copy of the host's shared mount.
              Policy p = plain(dir);
              p.binds.push_back({in.path(), dir / "sub", false});
              const std::string seen = in_kept_root(p, dir, "cat " + (dir / "sub/mark").string());
              const std::string sub = (dir / "sub").string();
              const bool leaked = mounted_at("/proc/self/mountinfo", sub) ||
                                  mounted_at("/proc/" + std::to_string(peer) + "/mountinfo", sub);
              (void)!write(hold[1], "x", 1);
              waitpid(peer, nullptr, 0);
              if (seen != "bound\n") return 13;
              return leaked ? 14 : 0;
          }) == 0);
}

TEST_CASE("prepared: without a kept /dev, a bind under /dev still goes into the run's /dev",
          "[sandbox][prepared]") {
    wb::test::TempDir dir, shm;
    need_namespaces(dir);
    mark_for_sandbox(shm);
    CHECK(with_own_prepared([&] {
              // Where the kept /dev goes, a file: none can be made.
              std::ofstream(detail::kept_dev_dir) << "";
              Policy p = plain(dir);
              p.binds.push_back({shm.path(), "/dev/shm", false});
              const std::string seen = run_script(p, dir, "cat /dev/shm/mark");
              return seen.ends_with("\nbound\n") ? 0 : 11;
          }) == 0);
}

TEST_CASE("prepared: a kept root that could not be made is not tried again until a release",
          "[sandbox][prepared][release]") {
    wb::test::TempDir dir;
    need_namespaces(dir);
    CHECK(with_own_prepared([&] {
              // The kept root this policy gets, and then a failure to make
              // it, as a run that could not make it remembers one.
              if (in_kept_root(plain(dir), dir, "echo kept") != "kept\n" || kept_roots() != 1)
                  return 11;
              std::string name;
              std::error_code ec;
              for (const auto& e : std::filesystem::directory_iterator(detail::kept_roots_dir, ec))
                  if (is_nsfs(e.path().c_str())) name = e.path().string();
              // (Removed alone: a release would make a new kept /dev, and
              // with it a new key.)
              if (name.empty() || umount2(name.c_str(), MNT_DETACH) != 0 ||
                  unlink(name.c_str()) != 0)
                  return 12;
              std::ofstream(name + ".failed") << "";
              // Not made, and the run builds its root.
              if (run_script(plain(dir), dir, root_script) != std::string("0\n") + root_seen)
                  return 13;
              if (kept_roots() != 0) return 14;
              // Forgotten with the rest.
              if (release_prepared() != "" || std::filesystem::exists(name + ".failed")) return 15;
              return in_kept_root(plain(dir), dir, root_script) == root_seen ? 0 : 16;
          }) == 0);
}

TEST_CASE("prepared: at most 16 kept roots are kept", "[sandbox][prepared]") {
    wb::test::TempDir dir, in;
    need_namespaces(dir);
    open_to_sandbox(in);
    CHECK(with_own_prepared([&] {
              // A bind at a top directory of its own per run: a kept root each.
              for (int i = 0; i < 18; ++i) {
                  Policy p = plain(dir);
                  p.binds.push_back({in.path(), "/wbtool-test-" + std::to_string(i), false});
                  if (in_kept_root(p, dir, "echo kept") != "kept\n") return 11;
                  if (kept_roots() > 16) return 12;
              }
              return kept_roots() >= 1 ? 0 : 13;
          }) == 0);
}
