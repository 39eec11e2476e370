// Identity: the uid lease (parent) and dropping privileges (program). See
// identity.h.
#include "sandbox/identity.h"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace wb::sandbox::detail {

SysResult<UidLease> UidLease::acquire(long first, long count) {
    // The lowest free one: runs one after another then have the same slot,
    // and so reuse its cgroup (cgroups.h).
    for (long uid = first; uid < first + count; ++uid) {
        UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!fd) {
            int e = errno;
            return sys_error("cannot allocate a sandbox uid (socket)", e);
        }
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        int n = std::snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "wbtool-uid-%ld", uid);
        socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + n);
        if (bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) == 0) {
            UidLease lease;
            lease.uid_ = uid;
            lease.lock_ = std::move(fd);
            return lease;
        }
        if (errno != EADDRINUSE) {
            int e = errno;
            return sys_error("cannot allocate a sandbox uid (bind)", e);
        }
    }
    return sys_error("cannot allocate a sandbox uid: all " + std::to_string(count) + " of " +
                         std::to_string(first) + ".." + std::to_string(first + count - 1) +
                         " are in use",
                     EAGAIN);
}

// The set*id calls are made as raw system calls: glibc's wrappers change
// the ids of every thread glibc believes the process has (a signal to each),
// and the program, cloned with the keeper's memory from a copy of a
// multi-threaded wbtool, has only itself.
int drop_bounding_set() noexcept {
    // Every capability the kernel knows (up to the first EINVAL:
    // CAP_LAST_CAP + 1), none skipped.
    for (int cap = 0; cap <= 63; ++cap)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            if (errno != EINVAL) return errno;
            if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) break; // past the last one
        }
    return 0;
}

int drop_identity(long uid, long gid, bool keep_groups, bool bounding_set_empty) noexcept {
    if (!keep_groups && syscall(SYS_setgroups, 0, nullptr) != 0) return errno;
    if (syscall(SYS_setresgid, gid, gid, gid) != 0) return errno;
    // The bounding set first: dropping from it needs CAP_SETPCAP, which the
    // change of uid below takes away.
    if (!bounding_set_empty)
        if (int e = drop_bounding_set()) return e;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return errno;
    if (syscall(SYS_setresuid, uid, uid, uid) != 0) return errno;
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capset, &header, data) != 0) return errno;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
    return 0;
}

} // namespace wb::sandbox::detail
