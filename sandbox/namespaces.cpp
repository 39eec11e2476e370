// Namespaces: the flags, the shared network, ipc and uts namespaces
// (prepared once per boot), refusals, and the clone. See namespaces.h.
#include "sandbox/namespaces.h"

#include "sandbox/dirscan.h"
#include "sandbox/prepared.h"
#include "sandbox/syscall_result.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <pthread.h>

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

namespace wb::sandbox::detail {

pid_t clone_with_flags(int flags) noexcept {
    // x86_64 and arm64 argument order: flags, stack, parent_tid, child_tid, tls.
    return static_cast<pid_t>(syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, 0));
}

int keeper_clone_flags(const SharedNamespaces& shared) noexcept {
    int flags = CLONE_NEWPID | CLONE_NEWNS;
    if (shared.net < 0) flags |= CLONE_NEWNET;
    if (shared.ipc < 0) flags |= CLONE_NEWIPC;
    if (shared.uts < 0) flags |= CLONE_NEWUTS;
    return flags;
}

namespace {

constexpr char sandbox_hostname[] = "wbtool-sandbox";

// The namespaces kept: /proc/<pid>/ns/<name>, /run/wbtool/<file>.
struct Kind {
    const char* ns;   // "net"
    const char* file; // "/run/wbtool/netns"
};
constexpr Kind kinds[3] = {
    {"net", "/run/wbtool/netns"}, {"ipc", "/run/wbtool/ipcns"}, {"uts", "/run/wbtool/utsns"}};

// Why each engine was refused in this process (0: it was not), and by what.
std::atomic<int> refused_full{0};
std::atomic<int> refused_userns{0};
std::atomic<const char*> refused_userns_what{"clone"};

int name_host(const void*) noexcept {
    return sethostname(sandbox_hostname, sizeof sandbox_hostname - 1) == 0 ? 0 : errno;
}

// A child in new network, ipc and uts namespaces, the host named.
pid_t holder() noexcept {
    return ns_holder(CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS, name_host, nullptr);
}

int open_ns_of(pid_t pid, const char* ns) noexcept {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/ns/%s", static_cast<int>(pid), ns);
    return ::open(path, O_RDONLY | O_CLOEXEC);
}

} // namespace

pid_t ns_holder(int flags, int (*setup)(const void*) noexcept, const void* arg) noexcept {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return -1;
    const pid_t parent = getpid();
    // Every signal blocked in the child: no handler of wbtool's runs there,
    // and nothing but SIGKILL (end_holder) ends its pause.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = clone_with_flags(flags);
    if (pid == 0) {
        int e = prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == parent ? 0 : ESRCH;
        if (!e) e = setup(arg);
        (void)!write(ready[1], &e, sizeof e);
        if (!e) pause();
        _exit(0);
    }
    const int clone_error = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    ::close(ready[1]);
    if (pid < 0) {
        ::close(ready[0]);
        errno = clone_error;
        return -1;
    }
    int e = EPIPE; // the child died before it said
    if (read(ready[0], &e, sizeof e) != static_cast<long>(sizeof e) || e != 0) {
        end_holder(pid);
        pid = -1;
    }
    ::close(ready[0]);
    if (pid < 0) errno = e;
    return pid;
}

void end_holder(pid_t pid) noexcept {
    ::kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

bool keep_namespace(pid_t pid, const char* ns, const char* file) noexcept {
    int fd = ::open(file, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return false;
    ::close(fd);
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/ns/%s", static_cast<int>(pid), ns);
    return mount(path, file, nullptr, MS_BIND, nullptr) == 0;
}

namespace {

// A prepared namespace, if it is there and really one.
int open_prepared(const char* file) noexcept {
    int fd = ::open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    struct statfs fs {};
    if (fstatfs(fd, &fs) != 0 || fs.f_type != NSFS_MAGIC) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Makes the missing /run/wbtool/*ns (under a lock: several wbtool processes
// may start at once) and opens them; fds[i] stays -1 for any that failed.
void prepare(int fds[3]) noexcept {
    PreparedLock lock;
    if (lock.held()) {
        pid_t pid = -1;
        for (int i = 0; i < 3; ++i) {
            if ((fds[i] = open_prepared(kinds[i].file)) >= 0) continue; // made meanwhile
            if (pid < 0 && (pid = holder()) < 0) break;
            if (keep_namespace(pid, kinds[i].ns, kinds[i].file))
                fds[i] = open_prepared(kinds[i].file);
        }
        if (pid > 0) end_holder(pid);
    }
}

const SharedNamespaces& shared() noexcept {
    static std::once_flag once;
    static SharedNamespaces ns;
    std::call_once(once, [] {
        int fds[3] = {-1, -1, -1};
        bool all = true;
        for (int i = 0; i < 3; ++i)
            all = (fds[i] = open_prepared(kinds[i].file)) >= 0 && all;
        if (!all) {
            for (int& fd : fds)
                if (fd >= 0) ::close(fd), fd = -1;
            prepare(fds);
        }
        // Where they cannot be prepared: this process's own, for as long
        // as it runs.
        if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0) {
            if (pid_t pid = holder(); pid > 0) {
                for (int i = 0; i < 3; ++i)
                    if (fds[i] < 0) fds[i] = open_ns_of(pid, kinds[i].ns);
                end_holder(pid);
            }
        }
        ns.net = fds[0];
        ns.ipc = fds[1];
        ns.uts = fds[2];
    });
    return ns;
}

} // namespace

const SharedNamespaces& shared_namespaces() noexcept {
    return shared();
}

std::string release_shared_namespaces() {
    std::string problem;
    PreparedLock lock;
    for (const Kind& k : kinds) {
        if (umount2(k.file, MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT &&
            problem.empty())
            problem = "cannot unmount " + std::string(k.file) + ": " + errno_text(errno);
        if (unlink(k.file) != 0 && errno != ENOENT && problem.empty())
            problem = "cannot remove " + std::string(k.file) + ": " + errno_text(errno);
    }
    return problem;
}

bool namespace_refusal(int err) noexcept {
    return err == EPERM || err == EINVAL || err == ENOSPC || err == EUSERS || err == ENOSYS ||
           err == EACCES;
}

bool nproc_per_user_namespace() noexcept {
    static const bool per_namespace = [] {
        utsname u{};
        int major = 0, minor = 0;
        if (uname(&u) != 0 || std::sscanf(u.release, "%d.%d", &major, &minor) != 2) return false;
        return major > 5 || (major == 5 && minor >= 14);
    }();
    return per_namespace;
}

int userns_clone_flags() noexcept {
    return CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
}

namespace {

// The first line of a /proc/sys file, or "" when it is not there.
std::string sysctl(const char* path) {
    std::ifstream in(path);
    std::string value;
    std::getline(in, value);
    return value;
}

// Which of the switches that turn unprivileged user namespaces off is on,
// read once: "" when none is (the first keeper's clone is the real probe).
const std::string& userns_switched_off() {
    static std::once_flag once;
    static std::string why;
    std::call_once(once, [] {
        if (sysctl("/proc/sys/user/max_user_namespaces") == "0")
            why = "user namespaces are turned off (/proc/sys/user/max_user_namespaces is 0)";
        else if (sysctl("/proc/sys/kernel/unprivileged_userns_clone") == "0")
            why = "unprivileged user namespaces are turned off "
                  "(/proc/sys/kernel/unprivileged_userns_clone is 0)";
        else if (sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1")
            why = "AppArmor restricts unprivileged user namespaces "
                  "(/proc/sys/kernel/apparmor_restrict_unprivileged_userns is 1)";
    });
    return why;
}

// Writes all of `text` to the /proc file `path`, in one write (a uid_map
// takes only one). Async-signal-safe. Returns 0 or an errno.
int write_proc(const char* path, const char* text) noexcept {
    int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    const std::size_t n = std::strlen(text);
    long written;
    while ((written = write(fd, text, n)) < 0 && errno == EINTR) {
    }
    int e = written == static_cast<long>(n) ? 0 : written < 0 ? errno : EIO;
    ::close(fd);
    return e;
}

// "<inside> <outside> 1\n" into `out`.
bool id_map_line(char* out, std::size_t cap, long inside, long outside) noexcept {
    if (!format_number(out, cap, inside, " ")) return false;
    const std::size_t n = std::strlen(out);
    return format_number(out + n, cap - n, outside, " 1\n");
}

// The maps themselves, setgroups denied first.
int write_maps(long outside_uid, long outside_gid, long uid, long gid) noexcept {
    // Without "deny" here the kernel refuses an unprivileged gid_map (a
    // process could otherwise drop a group that denies it access).
    if (int e = write_proc("/proc/self/setgroups", "deny"); e && e != ENOENT) return e;
    char line[64];
    if (!id_map_line(line, sizeof line, gid, outside_gid)) return EINVAL;
    if (int e = write_proc("/proc/self/gid_map", line)) return e;
    if (!id_map_line(line, sizeof line, uid, outside_uid)) return EINVAL;
    return write_proc("/proc/self/uid_map", line);
}

} // namespace

int map_user(long outside_uid, long outside_gid, long uid, long gid) noexcept {
    // A wbtool that changed its uid (a service dropping root, a test) is
    // not dumpable, and its children's /proc files belong to root, so the
    // keeper could not write its own maps: dumpable for that long only (a
    // dumpable keeper's memory, a copy of wbtool's, would be open to the
    // caller's other processes).
    const int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    if (dumpable != 1 && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) return errno;
    const int e = write_maps(outside_uid, outside_gid, uid, gid);
    if (dumpable == 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 && e == 0) return errno;
    return e;
}

void namespaces_refused(Isolation engine, int err, const char* what) noexcept {
    int none = 0;
    if (engine == Isolation::full) {
        refused_full.compare_exchange_strong(none, err ? err : EPERM);
    } else if (engine == Isolation::userns &&
               refused_userns.compare_exchange_strong(none, err ? err : EPERM)) {
        refused_userns_what.store(what);
    }
}

Isolation available_isolation() noexcept {
    if (geteuid() == 0) return refused_full.load() == 0 ? Isolation::full : Isolation::rlimits;
    try {
        if (refused_userns.load() == 0 && userns_switched_off().empty()) return Isolation::userns;
    } catch (...) { // std::bad_alloc reading a sysctl: no user namespace then
    }
    return Isolation::rlimits;
}

std::string isolation_unavailable_reason() {
    if (geteuid() != 0) return "wbtool is not running as root";
    if (int e = refused_full.load())
        return "the kernel refused new namespaces (clone: " + errno_text(e) + ")";
    return {};
}

std::string userns_unavailable_reason() {
    if (geteuid() == 0) return "wbtool is running as root";
    if (int e = refused_userns.load())
        return "the kernel refused a user namespace (" + std::string(refused_userns_what.load()) +
               ": " + errno_text(e) + ")";
    return userns_switched_off();
}

} // namespace wb::sandbox::detail
