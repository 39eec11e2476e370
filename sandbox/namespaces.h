// Namespaces: which ones a sandbox gets, whether this process may create
// them, and the clone that creates them.
//
// The keeper is cloned straight into new pid, mount, network, ipc and uts
// namespaces (and a cgroup namespace on cgroup v2): it is pid 1 of the new
// pid namespace, so when it dies the kernel kills everything the program
// started, and nothing can outlive a run. There is no user namespace: the
// engine runs as root and drops to an unprivileged uid itself (identity.h);
// a user namespace would only add a second root to reason about.
//
// Creating a network namespace is the expensive part of a clone (the
// kernel sets up and later tears down a loopback device, with RCU waits).
// Every sandbox of a process therefore joins one empty network namespace,
// created once: it has only a loopback that is down, and the run profile
// allows no socket at all, so sharing it gives a program nothing to reach.
#pragma once

#include <sys/types.h>

namespace wb::sandbox::detail {

// Whether this process may isolate (root, namespaces permitted); probed
// once by cloning a child that exits at once.
bool namespaces_available() noexcept;

// The CLONE_NEW* flags of a sandbox's keeper (without CLONE_NEWNET when the
// shared network namespace is used).
int keeper_clone_flags(bool cgroup_namespace, bool new_network) noexcept;

// A descriptor of the shared, empty network namespace (-1 if it could not be
// made: then each keeper gets its own).
int shared_netns_fd() noexcept;

// fork() with extra clone flags: returns 0 in the child, the pid in the
// parent, -1 with errno. Raw syscall: no atfork handlers run in the child.
pid_t clone_with_flags(int flags) noexcept;

} // namespace wb::sandbox::detail
