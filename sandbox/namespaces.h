// Namespaces: which ones a sandbox gets, whether this process may create
// them, and the clone that creates them.
//
// The keeper is cloned straight into new pid, mount, network, ipc and uts
// namespaces: it is pid 1 of the new pid namespace, so when it dies the
// kernel kills everything the program started, and nothing can outlive a
// run. (On cgroup v2 the program also gets a cgroup namespace, which it
// unshares itself once it is in its run cgroup, so that it sees that cgroup
// as "/"; see sandbox.cpp, C2b.) There is no user namespace: the engine runs
// as root and drops to an unprivileged uid itself (identity.h); a user
// namespace would only add a second root to reason about.
//
// Creating a network namespace is the expensive part of a clone (the kernel
// sets up and later tears down a loopback device, with RCU waits: about a
// millisecond each way); an ipc namespace costs a mount of its own (mqueue)
// and its teardown. Every sandbox therefore joins one empty network, ipc and
// uts namespace: the network one has only a loopback that is down, the
// profiles allow no socket and no SysV or POSIX IPC call, and no
// sethostname, so sharing them gives a program nothing to reach or change;
// the uts one is named "wbtool-sandbox" once. They are prepared once per
// boot and kept as /run/wbtool/{net,ipc,uts}ns, nsfs bind mounts (what `ip
// netns add` does), so that a new wbtool process only opens them; the
// sandbox never sees /run. release_prepared() (sandbox.h) removes them.
// Where that cannot be done, each process makes its own.
//
// Whether namespaces are permitted is not probed with a clone of its own:
// the first keeper's clone is the probe. If the kernel refuses it, the
// process remembers why and runs with rlimits from then on.
#pragma once

#include <sys/types.h>

#include <string>

namespace wb::sandbox::detail {

// Whether this process may isolate: root, and no keeper clone was refused.
bool namespaces_available() noexcept;
// Records that the kernel refused a keeper's clone (errno `err`).
void namespaces_refused(int err) noexcept;
// Whether `err` from the keeper's clone means "no namespaces here" (as
// opposed to a transient failure such as EAGAIN).
bool namespace_refusal(int err) noexcept;
// Why namespaces_available() is false ("" when it is true).
std::string isolation_unavailable_reason();

// Descriptors of the shared namespaces the keeper joins (setns); -1 for one
// that could not be made: then each keeper gets its own.
struct SharedNamespaces {
    int net = -1, ipc = -1, uts = -1;
};
const SharedNamespaces& shared_namespaces() noexcept;

// The CLONE_NEW* flags of a sandbox's keeper: pid and mount, and each of
// network, ipc and uts that is not shared.
int keeper_clone_flags(const SharedNamespaces& shared) noexcept;

// Unmounts and removes the prepared namespaces (/run/wbtool/*ns). Processes
// that hold them keep them until they end. Returns "" or what failed.
std::string release_shared_namespaces();

// fork() with extra clone flags: returns 0 in the child, the pid in the
// parent, -1 with errno. Raw syscall: no atfork handlers run in the child.
pid_t clone_with_flags(int flags) noexcept;

} // namespace wb::sandbox::detail
