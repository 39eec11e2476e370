// The abuse suite: each attack (abuse.c, one mode each) must be denied, and
// the test checks which denial it was; afterwards the host must be clean: no
// process, cgroup or mount left by the run. Runs as root (full isolation)
// and, where CTest sets WBTOOL_TEST_USER, again as that user (the user
// namespace engine); skips (exit 77) where neither engine is permitted.
#include "../sandbox_test.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <arpa/inet.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <optional>

using namespace wb::sandbox;
using wb::test::contains;

namespace {

std::string abuse() {
    return std::string(SANDBOX_ABUSE_DIR) + "/abuse";
}

Policy isolated(const wb::test::TempDir& dir) {
    Policy p = wb::test::test_policy(dir);
    p.isolate = true;
    p.limits.cpu_s = 1;
    p.limits.wall_s = 5; // what the attacks that wait are stopped by
    p.limits.memory_kib = 64 * 1024;
    p.limits.processes = 16;
    p.limits.output_bytes = 1 << 20;
    p.limits.file_bytes = 1 << 20;
    p.tmp_kib = 1024;
    p.binds.push_back({SANDBOX_ABUSE_DIR, {}, false});
    // A mark every process of the runs carries, for the leftover check.
    p.env.push_back("WBTOOL_ABUSE_TEST=" + std::to_string(getpid()));
    return p;
}

// The engine every attack must meet: full as root, userns otherwise.
Isolation expected = Isolation::full;

void need_isolation() {
    wb::test::become_test_user();
    expected = geteuid() == 0 ? Isolation::full : Isolation::userns;
    if (expected == Isolation::userns && !wb::test::kernel_allows_userns())
        wb::test::skip("not root, and the kernel allows no user namespace here");
    wb::test::TempDir dir;
    Result r = run(isolated(dir), {abuse(), "probe_fds"});
    if (expected == Isolation::full && r.isolation != Isolation::full)
        wb::test::skip("namespaces are not permitted here");
}

// Whether /proc/<pid>/environ holds the mark of this test's runs.
bool marked(const std::filesystem::path& proc_dir, const std::string& mark) {
    std::ifstream in(proc_dir / "environ", std::ios::binary);
    for (std::string var; std::getline(in, var, '\0');)
        if (var == mark) return true;
    return false;
}

// Every cgroup directory and process of this test process's runs: in a
// cgroup of theirs, or carrying their mark.
std::size_t leftovers() {
    const std::string mark = "WBTOOL_ABUSE_TEST=" + std::to_string(getpid());
    const std::string tag = "wbtool-" + std::to_string(getpid()) + "-";
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(
             "/sys/fs/cgroup", std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_directory(ec) && it->path().filename().string().starts_with(tag)) ++n;
        if (it.depth() > 3) it.disable_recursion_pending();
    }
    for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
        std::ifstream in(e.path() / "cgroup");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (text.find(tag) != std::string::npos || marked(e.path(), mark)) ++n;
    }
    return n;
}

// The host's mounts, less the namespaces the sandbox keeps prepared in
// /run/wbtool on purpose (made by the first run of a boot, or again after
// another test released them): only what a run leaves behind counts.
std::size_t mount_count() {
    std::ifstream in("/proc/self/mountinfo");
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
        if (line.find(" /run/wbtool/") == std::string::npos) ++n;
    return n;
}

struct Expect {
    Status status;
    std::string in_message; // what the message must say ("" = anything)
    // A second denial that is as right (a fork bomb may exhaust memory
    // before CPU time, depending on the kernel's accounting and the load).
    std::optional<Status> or_status = std::nullopt;
    std::string or_message = {};
};

Result attack(Policy p, const std::vector<std::string>& argv, const Expect& want) {
    const std::size_t mounts = mount_count();
    Result r = run(p, argv);
    INFO(argv[1] << ": " << to_string(r.status) << ": " << r.message
                 << "\nstdout: " << wb::test::slurp(p.workdir / "stdout"));
    CHECK(r.isolation == expected);
    if (want.or_status && r.status == *want.or_status) {
        CHECK(contains(r.message, want.or_message));
    } else {
        CHECK(r.status == want.status);
        if (!want.in_message.empty()) CHECK(contains(r.message, want.in_message));
    }
    CHECK(leftovers() == 0);
    CHECK(mount_count() == mounts);
    return r;
}

// A tree's peak memory (ru_maxrss) includes the resident memory of the
// image its program had until its execve: the keeper's, a copy of this
// process. Without a cgroup (as nobody) a program that dies near 90% of the
// limit is judged out of memory, and under AddressSanitizer this process
// alone is close to 64 MiB (its shadow memory and quarantine): an attack
// that is not about memory (a SIGSEGV, a refused thread) would come out as
// memory_limit. For those the limit leaves room above this process, which
// the normal build has anyway. (Counting only the program's own memory
// without a cgroup is the hot-path issue's.)
Policy above_own_image(Policy p) {
    rusage self{};
    getrusage(RUSAGE_SELF, &self);
    p.limits.memory_kib = std::max<std::uint64_t>(p.limits.memory_kib,
                                                  2 * static_cast<std::uint64_t>(self.ru_maxrss));
    return p;
}

} // namespace

TEST_CASE("abuse: resource attacks hit their limits", "[sandbox][abuse]") {
    need_isolation();
    wb::test::TempDir dir;
    auto p = isolated(dir);
    // CPU-bound attacks must meet the CPU limit: a wall-clock backstop far
    // above it, since under ctest -j a loop got 0.93 s of CPU in 5 s.
    auto cpu_bound = p;
    cpu_bound.limits.wall_s = 30;
    attack(cpu_bound, {abuse(), "fork_bomb"},
           {Status::time_limit, "CPU time", Status::memory_limit, "memory limit of 64 MiB"});
    // The kernel's limit in a cgroup; without one (a user namespace) the
    // parent's sampling.
    attack(p, {abuse(), "memory_hog"},
           {Status::memory_limit,
            expected == Isolation::full ? "memory limit of 64 MiB" : "over the limit of 64 MiB"});
    attack(cpu_bound, {abuse(), "busy_loop"}, {Status::time_limit, "over the limit of 1 s"});
    attack(p, {abuse(), "sleep_forever"}, {Status::wall_time_limit, "wall-clock"});
    attack(cpu_bound, {abuse(), "close_stdout_loop"}, {Status::time_limit, ""});
    auto discard = p;
    discard.stdout_path.clear();
    discard.stderr_path.clear();
    attack(discard, {abuse(), "flood_stdout"}, {Status::output_limit, "over the limit of 1 MiB"});
    attack(discard, {abuse(), "flood_stderr"}, {Status::output_limit, "over the limit of 1 MiB"});
    attack(p, {abuse(), "huge_file"}, {Status::output_limit, ""});
    Result r = attack(above_own_image(p), {abuse(), "thread_bomb"}, {Status::runtime_error, ""});
    CHECK(r.exit_code == 3);
    auto small_tmp = above_own_image(p);
    small_tmp.tmp_kib = 256; // below the file size limit: the tmpfs fills first
    r = attack(small_tmp, {abuse(), "fill_tmp"}, {Status::runtime_error, ""});
    CHECK(contains(wb::test::slurp(dir / "stdout"), "No space left on device"));
    auto small_stack = above_own_image(p);
    small_stack.limits.stack_kib = 8 * 1024; // below the memory limit: the stack ends first
    attack(small_stack, {abuse(), "stack_overflow"}, {Status::signaled, "SIGSEGV"});
}

TEST_CASE("abuse: the host's files are out of reach", "[sandbox][abuse]") {
    need_isolation();
    wb::test::TempDir dir, outside;
    std::ofstream(outside / "secret") << "secret";
    std::ofstream(outside / "readonly") << "ro";
    // Writable by anyone: only the read-only bind stands in the way.
    std::filesystem::permissions(outside / "readonly", std::filesystem::perms::all);
    auto p = isolated(dir);
    auto expect_denied = [&](const std::vector<std::string>& argv, const std::string& error) {
        attack(p, argv, {Status::runtime_error, "exited with code 3"});
        INFO(argv[2] << ": " << wb::test::slurp(dir / "stdout"));
        CHECK(contains(wb::test::slurp(dir / "stdout"), error));
    };
    expect_denied({abuse(), "read", "/etc/shadow"}, "No such file or directory");
    expect_denied({abuse(), "read", (outside / "secret").string()}, "No such file or directory");
    expect_denied({abuse(), "read", "/proc/1/environ"}, "denied");
    p.binds.push_back({outside / "readonly", {}, false});
    expect_denied({abuse(), "write", (outside / "readonly").string()}, "Read-only file system");
    CHECK(wb::test::slurp(outside / "readonly") == "ro");
}

TEST_CASE("abuse: forbidden system calls are named", "[sandbox][abuse]") {
    need_isolation();
    wb::test::TempDir dir;
    // The i386 attack's SIGSEGV must not be taken for memory (above_own_image).
    auto p = above_own_image(isolated(dir));
    // A real listener on loopback: the program must not reach it.
    int server = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(server, 1) == 0);
    socklen_t len = sizeof addr;
    getsockname(server, reinterpret_cast<sockaddr*>(&addr), &len);
    const std::string port = std::to_string(ntohs(addr.sin_port));

    auto forbidden = [&](const std::vector<std::string>& argv, const std::string& call) {
        attack(p, argv, {Status::forbidden_syscall, "forbidden system call '" + call + "'"});
    };
    forbidden({abuse(), "tcp_connect", port}, "socket");
    forbidden({abuse(), "udp_send", port}, "socket");
    forbidden({abuse(), "ptrace_parent"}, "ptrace");
    forbidden({abuse(), "mount"}, "mount");
    forbidden({abuse(), "unshare"}, "unshare");
    forbidden({abuse(), "setns"}, "setns");
    forbidden({abuse(), "prlimit_keeper"}, "prlimit64");
    forbidden({abuse(), "chroot_escape"}, "chroot");
    forbidden({abuse(), "setuid_root"}, "setuid");
    forbidden({abuse(), "exec", "/usr/bin/passwd"}, "execve");
    // No terminal to push keystrokes into, and the request itself is refused.
    forbidden({abuse(), "tiocsti"}, "ioctl");
    forbidden({abuse(), "tiocsti_wide"}, "ioctl");
    // The filter kills an i386 entry; a kernel without IA32 emulation
    // refuses it itself with SIGSEGV. Either way nothing ran.
    Result r = run(p, {abuse(), "i386_syscall"});
    INFO(r.message);
    CHECK((r.status == Status::forbidden_syscall ||
           (r.status == Status::signaled && r.signal == SIGSEGV)));
    CHECK(r.exit_code != 4);
    CHECK(leftovers() == 0);
    // An x32 entry (the syscall number with bit 30 set) is another
    // architecture to the filter: killed, never run as the native call.
    r = run(p, {abuse(), "x32_syscall"});
    INFO(r.message);
    CHECK(r.status == Status::forbidden_syscall);
    CHECK(r.exit_code != 4);
    CHECK(leftovers() == 0);
    close(server);
}

TEST_CASE("abuse: the tree is contained and nothing leaks in", "[sandbox][abuse]") {
    need_isolation();
    wb::test::TempDir dir;
    auto p = isolated(dir);
    attack(p, {abuse(), "kill_all"}, {Status::ok, ""});
    attack(p, {abuse(), "daemon"}, {Status::ok, ""});
    attack(p, {abuse(), "probe_fds"}, {Status::ok, ""});
    CHECK(wb::test::slurp(dir / "stdout").empty());
}
