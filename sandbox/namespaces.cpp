// Namespaces: the probe, the flags, the shared network namespace and the
// clone. See namespaces.h.
#include "sandbox/namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

namespace wb::sandbox::detail {

pid_t clone_with_flags(int flags) noexcept {
    // x86_64 and arm64 argument order: flags, stack, parent_tid, child_tid, tls.
    return static_cast<pid_t>(syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, 0));
}

int keeper_clone_flags(bool cgroup_namespace, bool new_network) noexcept {
    int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS;
    if (new_network) flags |= CLONE_NEWNET;
    if (cgroup_namespace) flags |= CLONE_NEWCGROUP;
    return flags;
}

namespace {

// A child in its own network namespace that waits to be killed; its
// /proc/<pid>/ns/net is opened and kept. The child is then killed: the
// namespace lives on as long as the descriptor does.
int make_netns() noexcept {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return -1;
    pid_t pid = clone_with_flags(CLONE_NEWNET);
    if (pid == 0) {
        char c = 0;
        (void)!write(ready[1], &c, 1);
        pause();
        _exit(0);
    }
    ::close(ready[1]);
    int fd = -1;
    if (pid > 0) {
        char c;
        if (read(ready[0], &c, 1) == 1) {
            char path[64];
            snprintf(path, sizeof path, "/proc/%d/ns/net", static_cast<int>(pid));
            fd = ::open(path, O_RDONLY | O_CLOEXEC);
        }
        ::kill(pid, SIGKILL);
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    ::close(ready[0]);
    return fd;
}

} // namespace

int shared_netns_fd() noexcept {
    static std::once_flag once;
    static int fd = -1;
    std::call_once(once, [] { fd = make_netns(); });
    return fd;
}

bool namespaces_available() noexcept {
    static std::once_flag once;
    static bool available = false;
    std::call_once(once, [] {
        if (geteuid() != 0) return;
        pid_t pid = clone_with_flags(keeper_clone_flags(false, true));
        if (pid == 0) _exit(0);
        if (pid < 0) return;
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        available = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    });
    return available;
}

} // namespace wb::sandbox::detail
