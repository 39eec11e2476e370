// Namespaces: which ones a sandbox gets, whether this process may create
// them, and the clone that creates them.
//
// The keeper is cloned straight into new pid and mount namespaces (for a
// kept root, mounts.h, it joins a copy of that instead of copying the
// host's), and joins shared network, ipc and uts ones (below): it is pid 1
// of the new pid namespace, so when it dies the
// kernel kills everything the program started, and nothing can outlive a
// run. (On cgroup v2 the program also gets a cgroup namespace, which it
// unshares itself once it is in its run cgroup, so that it sees that cgroup
// as "/"; see sandbox.cpp, C2b.) As root there is no user namespace: the
// engine drops to an unprivileged uid of its own itself (identity.h); a user
// namespace would only add a second root to reason about.
//
// Not root, the keeper is cloned into a new user namespace as well, where
// the kernel allows an unprivileged one (Isolation::userns). The keeper then
// holds every capability inside it, enough to build the root and name the
// host; it maps one id, the caller's own, to itself (map_user, before
// anything else), and the program drops every capability as it does as
// root. What the caller has no right to is absent: no cgroup (its limits are
// the rlimits and the parent's sampling), no uid of its own outside (the
// program is the caller's uid to the host, alone in its pid namespace), and
// its supplementary groups stay, since setgroups is denied in such a
// namespace. Its network, ipc and uts namespaces are its own: the shared
// ones belong to root's user namespace and cannot be joined from another.
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

#include "sandbox/policy.h"

#include <sys/types.h>

#include <string>

namespace wb::sandbox::detail {

// The strongest isolation this process may have, as far as is known before
// a run: full (root, and no keeper's clone refused), userns (not root, the
// kernel allows unprivileged user namespaces, none refused), else rlimits.
Isolation available_isolation() noexcept;
// Records that the kernel refused `engine` (full or userns): the keeper's
// clone failed with errno `err`, or, in a user namespace, `what` (say
// "mount") failed with it. Later runs of the process use the next engine.
void namespaces_refused(Isolation engine, int err, const char* what = "clone") noexcept;
// Whether `err` from the keeper's clone means "no namespaces here" (as
// opposed to a transient failure such as EAGAIN).
bool namespace_refusal(int err) noexcept;
// Why full isolation is not available ("" when it is), and, not root, why
// the user-namespace engine is not either.
std::string isolation_unavailable_reason();
// Not root: why the user-namespace engine is not available ("" when it is).
std::string userns_unavailable_reason();

// Whether RLIMIT_NPROC counts only the tasks inside a user namespace (its
// own ucounts, Linux 5.14) rather than every task of the uid on the host.
bool nproc_per_user_namespace() noexcept;

// The CLONE_NEW* flags of a keeper in a user namespace: user, pid, mount,
// network, ipc and uts, all new.
int userns_clone_flags() noexcept;

// Keeper side, in its new user namespace and before anything else: maps
// the caller's uid and gid (outside) to uid and gid (inside), with
// setgroups denied first (the kernel's condition for an unprivileged
// gid_map). Async-signal-safe. Returns 0 or an errno.
int map_user(long outside_uid, long outside_gid, long uid, long gid) noexcept;

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

// A child in new namespaces (`flags`) that runs `setup(arg)` (async-signal-
// safe: 0 or an errno) and then waits to be ended (end_holder), or dies
// with this process; its namespaces are /proc/<pid>/ns/* until then.
// Returns its pid, or -1 with errno (setup's, if that failed).
pid_t ns_holder(int flags, int (*setup)(const void*) noexcept, const void* arg) noexcept;
void end_holder(pid_t pid) noexcept;
// Keeps the namespace `ns` ("net", "mnt") of process `pid` as `file`, an
// nsfs bind mount on an empty file made for it (root's, 0600; what `ip
// netns add` does): it lives as long as the mount does.
bool keep_namespace(pid_t pid, const char* ns, const char* file) noexcept;

// fork() with extra clone flags: returns 0 in the child, the pid in the
// parent, -1 with errno. Raw syscall: no atfork handlers run in the child.
pid_t clone_with_flags(int flags) noexcept;

} // namespace wb::sandbox::detail
