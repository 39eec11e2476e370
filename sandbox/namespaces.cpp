// Namespaces: the flags, the shared network, ipc and uts namespaces
// (prepared once per boot), refusals, and the clone. See namespaces.h.
#include "sandbox/namespaces.h"

#include "sandbox/prepared.h"
#include "sandbox/syscall_result.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <mutex>

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

std::atomic<int> refused_errno{0};

// A child in new network, ipc and uts namespaces (the host named) that waits
// to be killed. Returns its pid (the namespaces are /proc/<pid>/ns/* until
// it dies), or -1.
pid_t holder() noexcept {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return -1;
    pid_t pid = clone_with_flags(CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS);
    if (pid == 0) {
        char c = sethostname(sandbox_hostname, sizeof sandbox_hostname - 1) == 0 ? 1 : 0;
        (void)!write(ready[1], &c, 1);
        pause();
        _exit(0);
    }
    ::close(ready[1]);
    char c = 0;
    if (pid > 0 && (read(ready[0], &c, 1) != 1 || c != 1)) {
        ::kill(pid, SIGKILL);
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid = -1;
    }
    ::close(ready[0]);
    return pid;
}

void end_holder(pid_t pid) noexcept {
    ::kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

int open_ns_of(pid_t pid, const char* ns) noexcept {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/ns/%s", static_cast<int>(pid), ns);
    return ::open(path, O_RDONLY | O_CLOEXEC);
}

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
            int file = ::open(kinds[i].file, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
            if (file < 0) continue;
            ::close(file);
            char path[64];
            std::snprintf(path, sizeof path, "/proc/%d/ns/%s", static_cast<int>(pid), kinds[i].ns);
            if (mount(path, kinds[i].file, nullptr, MS_BIND, nullptr) == 0)
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

void namespaces_refused(int err) noexcept {
    int none = 0;
    refused_errno.compare_exchange_strong(none, err ? err : EPERM);
}

bool namespaces_available() noexcept {
    return geteuid() == 0 && refused_errno.load() == 0;
}

std::string isolation_unavailable_reason() {
    if (geteuid() != 0) return "wbtool is not running as root";
    if (int e = refused_errno.load())
        return "the kernel refused new namespaces (clone: " + errno_text(e) + ")";
    return {};
}

} // namespace wb::sandbox::detail
