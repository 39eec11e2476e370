// The keeper: one small process between wbtool and the program, per run.
//
// wbtool forks the keeper; the keeper starts the program (clone with
// CLONE_VM | CLONE_VFORK, as posix_spawn does: keeper.cpp, K3). The keeper is a
// child subreaper (PR_SET_CHILD_SUBREAPER), so every process the program
// starts stays its descendant even when its own parent dies: when the program
// ends, the keeper kills its process group and every orphan it adopted, and
// reaps them all. Nothing is left running, and nothing is left as a zombie
// for an init that may never reap (a container's pid 1 often does not).
// What it reaped is in its RUSAGE_CHILDREN: the CPU time and peak memory of
// the whole tree, exactly. This is also the place where the isolation engine
// will put its pid-namespace init.
//
// The keeper tells wbtool over a SOCK_SEQPACKET channel: "started" (with the
// program's pid) once execve succeeded, "failed" (which step, which errno) if
// a step before execve failed, "finished" (wait status, rusage) at the end.
// Both children run between fork and execve of a multi-threaded parent: only
// async-signal-safe calls, no allocation, everything prepared in ChildPlan.
// The keeper keeps every signal blocked; it only waits.
#pragma once

#include "sandbox/policy.h"
#include "sandbox/rlimits.h"
#include "sandbox/syscall_result.h"
#include "sandbox/unique_fd.h"

#include <linux/filter.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstddef>
#include <ctime>

namespace wb::sandbox::detail {

// The steps before execve, for the message when one fails.
enum class Step : int {
    none,
    keeper_setup, // the keeper's own fds, subreaper, parent-death signal
    keeper_fork,  // the keeper could not fork the program
    process_group,
    parent_death,
    signals,
    stdio,
    close_fds,
    workdir,
    rlimits,
    exec,
    namespaces, // the keeper joining the shared network namespace, hostname
    mounts,     // building the root (detail: the mount operation)
    cgroup,     // the program joining its cgroup
    identity,   // dropping to the sandbox uid, capabilities, no_new_privs
    seccomp,    // loading the filter, handing over its listener
    user_map,   // the keeper mapping the caller's ids into its user namespace
    affinity,   // the program restoring the CPUs the keeper may run on
};
const char* step_text(Step step) noexcept;

struct ChildFailure {
    Step step = Step::none;
    int err = 0;
    int detail = 0; // Step::rlimits: the resource
};

struct MountPlan;

// What the keeper does before its run is known, fixed when it is cloned:
// its channel, its namespaces and, for a keeper made ahead (spares.h), the
// base of the root it prepares (mounts.h). Read-only in the keeper.
struct KeeperSetup {
    int channel_fd = -1; // the keeper's end
    pid_t parent_pid = 0;

    // Full isolation (all unset: the rlimits engine).
    bool isolated = false;
    int clone_flags = 0;                             // CLONE_NEW* for the keeper
    int netns_fd = -1, ipcns_fd = -1, utsns_fd = -1; // shared namespaces to join, or -1
    // Isolation::userns: the keeper is in a new user namespace too, and maps
    // the caller's outside ids to uid/gid there before anything else.
    bool user_namespace = false;
    long outside_uid = -1, outside_gid = -1, uid = -1, gid = -1;

    // Made ahead: the base it mounts before its plan comes (in its arena),
    // and a `ready` message once it has (or `failed`).
    const MountPlan* base = nullptr;
    bool announce_ready = false;
};

// The setup of a keeper for `engine` whose channel end is `channel_fd`:
// full, the shared namespaces joined; userns, the caller's ids mapped to
// uid and gid in a user namespace of its own; rlimits, neither. `root`: the
// mount plan (or base) it will build, if known; with a kept root that its
// job fits into, the keeper is cloned without a mount namespace of its own
// and joins a copy of the kept root instead (mounts.h).
KeeperSetup keeper_setup_for(Isolation engine, int channel_fd, long uid, long gid,
                             const MountPlan* root = nullptr);

// Everything the program needs, and the keeper's part of the root: built by
// the parent, read-only in the keeper, which gets it with the plan message
// (send_plan) and fills in what only it knows (marked "keeper").
struct ChildPlan {
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    const char* const* candidates = nullptr; // paths to try, in order
    std::size_t candidate_count = 0;
    const char* workdir = nullptr;
    RlimitPlan rlimits;
    // Sent with the plan message; the numbers here are the keeper's.
    int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
    // The cgroup comes in a message of its own (send_cgroup), after the
    // plan: the parent makes it while the keeper builds the root.
    bool cgroup_follows = false;
    const int* cgroup_fds = nullptr; // keeper: cgroup.procs (v1: tasks) of each hierarchy
    std::size_t cgroup_fd_count = 0;
    int channel_fd = -1; // keeper: its end of the channel
    // keeper: the CPUs to restore first (it started the program on its own
    // CPU: keeper.cpp, K3), or null.
    const cpu_set_t* affinity = nullptr;

    // Full isolation (unset: the rlimits engine).
    const MountPlan* mounts = nullptr;
    bool cgroup_namespace = false;   // keeper: unshare one after joining (v2: send_cgroup)
    long uid = -1, gid = -1;         // -1: stay as is
    bool user_namespace = false;     // keeper: KeeperSetup::user_namespace
    bool bounding_set_empty = false; // keeper: it emptied it (identity.h)

    // Both engines.
    const sock_fprog* seccomp = nullptr; // loaded last, before execve
    bool seccomp_optional = false;       // rlimits engine: go on without it
};

// The parent's messages to the keeper. plan: where its plan is (in the
// keeper's memory: its copy of wbtool's, or its arena), with the plan's
// descriptors attached (SCM_RIGHTS): stdin, stdout, stderr; cgroup: the
// cgroup's descriptors (none: the run has no cgroup after all), and
// whether the program unshares a cgroup namespace once it is in it (v2).
struct PlanMessage {
    enum Kind : int { plan = 1, cgroup };
    Kind kind = plan;
    bool cgroup_namespace = false;
    const ChildPlan* plan_at = nullptr;
    std::size_t fd_count = 0;
};
inline constexpr std::size_t max_plan_fds = 3 + 8;

struct KeeperMessage {
    // listener: sent by the program itself, with the seccomp listener
    // descriptor attached (SCM_RIGHTS), or, where the filter could not be
    // loaded and it was optional, without one and failure.err set. started: when isolated, the
    // program's pid rides in SCM_CREDENTIALS, so that the kernel translates
    // it from the sandbox's pid namespace into wbtool's.
    // ready: a keeper made ahead has prepared what it could (KeeperSetup).
    enum Kind : int { started = 1, failed, finished, listener, ready };
    Kind kind = started;
    pid_t program_pid = 0;        // started
    ChildFailure failure;         // failed; listener: why there is no filter
    int wait_status = 0;          // finished: the program's
    struct rusage usage {};       // finished: the whole tree's
    struct timespec exited_at {}; // finished: CLOCK_MONOTONIC
    int leftovers = 0;            // finished: processes that would not die in time
};

// Sends `len` bytes of `m` on the channel, with one control message of
// SOL_SOCKET `type` (SCM_RIGHTS, SCM_CREDENTIALS) carrying `data_len` bytes
// (at most 64) of `data` when data_len > 0. Async-signal-safe; retries on
// EINTR; returns sendmsg's result.
long send_with_control(int fd, const void* m, std::size_t len, int type, const void* data,
                       std::size_t data_len) noexcept;
inline long send_keeper_message(int fd, const KeeperMessage& m, int type, const void* data,
                                std::size_t len) noexcept {
    return send_with_control(fd, &m, sizeof m, type, data, len);
}

// The program's steps from fork to execve, in their fixed order; defined in
// sandbox.cpp, the orchestrator. Reports a failure on `status_fd` (a
// close-on-exec pipe to the keeper) and exits 127.
[[noreturn]] void program_main(const ChildPlan& plan, pid_t keeper, int status_fd) noexcept;

// The keeper process, owned by the parent: the destructor kills the program's
// group and the keeper, and reaps the keeper, unless reap() already did.
class KeeperProcess {
  public:
    KeeperProcess() = default;
    KeeperProcess(pid_t pid, UniqueFd pidfd) noexcept : pid_(pid), pidfd_(std::move(pidfd)) {}
    KeeperProcess(KeeperProcess&& other) noexcept;
    KeeperProcess& operator=(KeeperProcess&& other) noexcept;
    KeeperProcess(const KeeperProcess&) = delete;
    KeeperProcess& operator=(const KeeperProcess&) = delete;
    ~KeeperProcess();

    pid_t pid() const noexcept { return pid_; }
    int pidfd() const noexcept { return pidfd_.get(); } // -1 on kernels before 5.3
    pid_t program() const noexcept { return program_; }
    void set_program(pid_t pid) noexcept { program_ = pid; }

    // SIGKILL to the program's whole process group; before the program is
    // known, to the keeper (the program then dies of its parent-death signal).
    void kill_program() noexcept;
    // SIGKILL to the keeper itself, for a keeper that stopped answering.
    void kill_keeper() noexcept;
    // Waits for the keeper to end; returns its wait status.
    int reap() noexcept;

  private:
    pid_t pid_ = -1;
    pid_t program_ = -1;
    UniqueFd pidfd_;
};

// Forks the keeper with every signal blocked (so no handler of wbtool ever
// runs in it). The parent closes its copies of the child's descriptors itself.
SysResult<KeeperProcess> spawn_keeper(const KeeperSetup& setup);

// Hands the keeper its plan: `plan` is where the keeper finds it, the
// descriptors are those of `fds` (the parent's numbers). Returns 0 or an
// errno.
int send_plan(int channel, const ChildPlan* plan, const ChildPlan& fds) noexcept;
// The cgroup of a plan with cgroup_follows: its join descriptors, and
// whether the program unshares a cgroup namespace in it.
int send_cgroup(int channel, const int* fds, std::size_t count, bool cgroup_namespace) noexcept;

} // namespace wb::sandbox::detail
