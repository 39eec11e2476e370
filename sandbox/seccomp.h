// Seccomp: the system calls a program may make, as allow-lists (named with
// libseccomp, compiled by seccomp.cpp into a tree of call-number ranges),
// compiled once per profile and loaded as the program's very last step
// before execve. Arguments the kernel reads as 32 bits are compared on 32
// bits (ioctl's request, kill's pid).
//
// Profiles. `run`: one program and its threads (files, memory, time, signals
// to itself, threads and plain forks; no sockets, no ptrace, mount, unshare,
// setns, keyctl, bpf, personality, no clone with a CLONE_NEW* flag, no
// second program). `compile`: the same plus what a compiler driver needs to
// run its stages (execve, vfork and friends). `cuda`: `run` plus the NUMA
// memory-policy calls of the CUDA driver (get_mempolicy, set_mempolicy,
// mbind), and socket() failing with EACCES as in `compile`, for a runtime
// that probes for its daemons and goes on without them.
//
// A call outside the list is not silently failed: the filter's default
// action is SECCOMP_RET_USER_NOTIF, so the calling thread stops in the
// kernel and the supervising parent, which holds the listener descriptor,
// learns the syscall's number, kills the tree and reports
// forbidden_syscall naming it ("socket", "ptrace"...). The program can
// neither catch nor answer it (RET_TRAP would be a SIGSYS it could handle).
// Without full isolation (the rlimits engine) the program shares wbtool's
// pid namespace, so the filter also refuses kill(-1, ...), which would
// signal every process of its uid; everything else is the same list.
// Foreign architectures (i386 int 0x80, x32) are killed outright
// (SECCOMP_RET_KILL_PROCESS), and clone3 gets ENOSYS so that glibc falls back
// to clone, whose flags a filter can see.
//
// One program, one execve (run profile): the filter allows execve only when
// its argv argument is the exact pointer the sandbox passes, the address of
// the argv array that the parent laid out in its own heap. The program that
// starts gets a fresh address space and never learns that address; even a
// lucky guess would start a program under the same filter, uid and
// no_new_privs. Because the pointer differs per run while the filter is
// compiled once, the compiled program holds a marker constant in its place
// and each run patches a copy (a few hundred instructions, microseconds).
// The compiled programs are also kept in /run/wbtool, so that a new process
// reads them instead of compiling (prepared.h).
// This was chosen over letting the parent approve the first execve through
// the notification: that costs a round trip on every run, and it races with
// a program that calls execve at once.
#pragma once

#include "sandbox/policy.h"
#include "sandbox/syscall_result.h"

#include <linux/filter.h>

#include <cstdint>
#include <string>
#include <vector>

namespace wb::sandbox::detail {

// A filter ready to load: the profile's compiled program, with the run's
// argv pointer patched in.
class SeccompProgram {
  public:
    // `contained`: the program runs in a pid namespace of its own.
    static SysResult<SeccompProgram> for_run(Profile profile, const void* argv,
                                             bool contained = true);
    const sock_fprog* fprog() const noexcept { return &fprog_; }

    SeccompProgram() = default;
    SeccompProgram(SeccompProgram&& other) noexcept;
    SeccompProgram& operator=(SeccompProgram&& other) noexcept;

  private:
    std::vector<sock_filter> insns_;
    sock_fprog fprog_{};
};

// The calls a profile allows by name (seccomp.cpp's lists), whatever the
// arguments; the calls with rules on their arguments are not among them.
std::vector<std::string> profile_calls(Profile profile);

// A profile's compiled program, before a run's argv is patched in.
SysResult<std::vector<sock_filter>> compiled_filter(Profile profile, bool contained);

// Removes the compiled filters kept in /run/wbtool (see seccomp.cpp).
// Returns "" or what failed.
std::string remove_cached_filters();

// Program side: loads the filter with a user-notification listener. Returns
// the listener descriptor, or -1 with errno.
int load_seccomp(const sock_fprog* prog) noexcept;

// Parent side: waits for nothing; reads one pending notification from
// `listener`. Returns the syscall's name, or "" if none could be read.
// `let_through` (Policy::audit_syscalls): the call then runs as if allowed.
std::string read_violation(int listener, bool let_through = false);

} // namespace wb::sandbox::detail
