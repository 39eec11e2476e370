// Identity: who the program runs as.
//
// Parent side: a uid (and gid, the same number) of its own for each run,
// the lowest free one of the policy's pool, 60000..60999 unless it
// names another (its slot: cgroups.h keeps a cgroup
// per slot), so that no two sandboxes running at the same time
// share one: one program could otherwise signal, ptrace-inspect or fill the
// RLIMIT_NPROC of another. The lease is an abstract unix socket bound to
// "wbtool-uid-<n>": the kernel keeps those names unique machine-wide (in the
// host network namespace) and frees one the moment its socket is closed,
// even when the process dies; no lock file is ever left behind.
//
// Program side, after the root is built and before the rlimits: no
// supplementary groups (except in a user namespace of a caller that is not
// root, where the kernel denies setgroups; see namespaces.h), gid and uid
// (real, effective, saved) set, then every
// capability gone: the bounding set emptied while CAP_SETPCAP is still held,
// ambient cleared, the permitted/effective/inheritable sets zeroed, and
// no_new_privs so that no setuid binary or file capability gives any back.
#pragma once

#include "sandbox/syscall_result.h"
#include "sandbox/unique_fd.h"

namespace wb::sandbox::detail {

class UidLease {
  public:
    // Takes the lowest free uid of first..first+count-1; fails only when
    // all are in use.
    static SysResult<UidLease> acquire(long first, long count);
    long uid() const noexcept { return uid_; }
    // Keeps the uid taken for as long as this process lives: a process of
    // the run that would not die still has it.
    void keep_for_process() noexcept { (void)lock_.release(); }

  private:
    long uid_ = -1;
    UniqueFd lock_;
};

// Keeper side: empties the capability bounding set, every capability the
// kernel knows. The keeper keeps the capabilities it has (the bounding set
// only limits what an execve may grant, and the keeper never calls one), so
// it does this before its run is known, and the program, which inherits
// the empty set, has one system call to make where it had forty.
// Returns 0 or an errno.
int drop_bounding_set() noexcept;

// Program side. Returns 0 or an errno. `keep_groups`: in a user namespace
// of a caller that is not root, where setgroups is denied (namespaces.h),
// the supplementary groups cannot be dropped and are left as they are.
// The bounding set is emptied here too unless `bounding_set_empty` says the
// keeper already did (drop_bounding_set).
int drop_identity(long uid, long gid, bool keep_groups = false,
                  bool bounding_set_empty = false) noexcept;

} // namespace wb::sandbox::detail
