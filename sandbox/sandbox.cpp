// The orchestrator: run(policy, argv) from start to Result.
//
// Three engines behind one path. Full isolation, when the process may
// create namespaces (root): the keeper is cloned into new namespaces and
// builds the root (namespaces, mounts), the program joins a cgroup of its own
// (cgroups), drops to a uid of its own (identity) and loads its seccomp
// filter last (seccomp). Not root, where the kernel allows it, the same in a
// user namespace of the keeper's, which maps the caller's ids first: no
// cgroup, no uid of its own (namespaces.h). Otherwise, or when the policy
// asks (isolate = false), rlimits, no_new_privs, the seccomp filter where
// the kernel allows an unprivileged one, and a watching parent. Anything
// below full says so in every message, and Result::warning says why. If the
// kernel refuses an engine (the first keeper's clone, or in a user
// namespace the mounts), the run is done again with the next, and so are
// all later ones of the process. The parent's steps
// (P1..P8) and the program's steps between fork and execve (C1..C12) are
// each written once, here, in their fixed order; each concern lives in its
// own file (fds, rlimits, exec_plan, keeper, supervise, proc_stats, verdict,
// namespaces, mounts, cgroups, identity, seccomp).
//
// Processes: wbtool -> keeper -> program (keeper.h says why there is a
// keeper). Nothing the program did escapes run() as an exception; only
// std::bad_alloc does. run() is safe to call from several threads at once: it
// keeps no global state, installs no signal handler, and waits only for its
// own processes (never waitpid(-1) in wbtool, or runs would steal each
// other's children).
#include "sandbox/sandbox.h"

#include "sandbox/arena.h"
#include "sandbox/cgroups.h"
#include "sandbox/exec_plan.h"
#include "sandbox/fds.h"
#include "sandbox/identity.h"
#include "sandbox/keeper.h"
#include "sandbox/mounts.h"
#include "sandbox/namespaces.h"
#include "sandbox/proc_stats.h"
#include "sandbox/rlimits.h"
#include "sandbox/seccomp.h"
#include "sandbox/spares.h"
#include "sandbox/supervise.h"
#include "sandbox/verdict.h"

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <exception>
#include <new>
#include <optional>

namespace wb::sandbox {

namespace detail {
namespace {

[[noreturn]] void fail(int status_fd, Step step, int err, int detail = 0) noexcept {
    ChildFailure f{step, err, detail};
    while (write(status_fd, &f, sizeof f) < 0 && errno == EINTR) {
    }
    _exit(127);
}

// Whether the keeper of a user-namespace run failed because the kernel
// would not let it map its user, name its host or mount in the namespace.
bool userns_refused(const Outcome& o) noexcept {
    if (o.end != Outcome::End::setup_failed) return false;
    const Step step = o.failure.step;
    return (step == Step::user_map || step == Step::namespaces || step == Step::mounts) &&
           (o.failure.err == EPERM || o.failure.err == EACCES);
}

bool keep_looking(int err) noexcept {
    return err == ENOENT || err == ENOTDIR || err == ESTALE || err == ENODEV || err == ETIMEDOUT;
}

} // namespace

// The program's steps, from fork to execve. Async-signal-safe only. Every
// signal is blocked on entry (spawn_keeper blocked them before forking).
[[noreturn]] void program_main(const ChildPlan& plan, pid_t keeper, int status_fd) noexcept {
    // C1. A session of its own (and so a process group of its own, so that
    //     one kill stops the whole tree): no controlling terminal, so the
    //     program can neither read wbtool's terminal nor push keystrokes into
    //     it (TIOCSTI), and a terminal's ^C to wbtool does not reach it.
    if (setsid() < 0) fail(status_fd, Step::process_group, errno);

    // C2. Die with the keeper, even if wbtool and the keeper die unannounced.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(status_fd, Step::parent_death, errno);
    if (getppid() != keeper) _exit(127);

    // C2b. Into the run's cgroup, before anything is allocated: everything
    //      the program starts is then counted and limited with it.
    //      On v2, then a cgroup namespace whose root is that cgroup (the
    //      keeper stays outside it: it is trusted and not counted).
    for (std::size_t i = 0; i < plan.cgroup_fd_count; ++i)
        if (write(plan.cgroup_fds[i], "0", 1) != 1) fail(status_fd, Step::cgroup, errno);
    if (plan.cgroup_namespace && unshare(CLONE_NEWCGROUP) != 0)
        fail(status_fd, Step::cgroup, errno);

    // C3. Default dispositions: a signal wbtool ignores (SIGPIPE, say) must
    //     not stay ignored through execve. The mask stays full until C11.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &dfl, nullptr); // EINVAL for glibc's own

    // C4. The standard streams.
    if (int e = install_stdio(plan.stdin_fd, plan.stdout_fd, plan.stderr_fd))
        fail(status_fd, Step::stdio, e);

    // C5. Nothing else from wbtool; the status pipe closes itself at execve.
    //     With seccomp, the channel stays until C10 hands the listener over.
    int keep[] = {status_fd, plan.channel_fd};
    if (int e = close_fds_except(keep, plan.seccomp ? 2 : 1)) fail(status_fd, Step::close_fds, e);

    // C6. (namespaces and the root: done by the keeper, K2b, before the fork)

    // C7. The work directory.
    if (chdir(plan.workdir) != 0) fail(status_fd, Step::workdir, errno);

    // C8. The sandbox's own uid and gid, no groups, no capabilities,
    //     no_new_privs; the rlimits engine keeps the caller's uid but gets
    //     no_new_privs too (no setuid binary gives it more, and it lets an
    //     unprivileged process load the filter).
    if (plan.uid >= 0) {
        if (int e = drop_identity(plan.uid, plan.gid, plan.user_namespace, plan.bounding_set_empty))
            fail(status_fd, Step::identity, e);
    } else if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        fail(status_fd, Step::identity, errno);
    }

    // C9. Resource limits, after everything above that needs resources.
    int resource = 0;
    if (int e = apply_rlimits(plan.rlimits, &resource)) fail(status_fd, Step::rlimits, e, resource);

    // C10. Seccomp, the last step before execve: the filter, and its
    //      listener handed to the parent (over the channel, SCM_RIGHTS), which
    //      is told of every forbidden call. Nothing is allowed to fail after
    //      this that the filter would not allow.
    //      The rlimits engine goes on without a filter the kernel refuses
    //      (no user notification before Linux 5.0, a container's own
    //      filter), and says so in a listener message without a descriptor.
    if (plan.seccomp) {
        int listener = load_seccomp(plan.seccomp);
        if (listener < 0 && !plan.seccomp_optional) fail(status_fd, Step::seccomp, errno);
        KeeperMessage m;
        m.kind = KeeperMessage::listener;
        if (listener < 0) m.failure.err = errno;
        const long sent = send_keeper_message(plan.channel_fd, m, SCM_RIGHTS, &listener,
                                              listener >= 0 ? sizeof listener : 0);
        if (sent < 0 && listener >= 0) fail(status_fd, Step::seccomp, errno);
        if (listener >= 0) ::close(listener);
        ::close(plan.channel_fd);
    }

    // C11. Signals unblocked: the program starts with an empty mask.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);

    // C12. execve, trying the PATH candidates in order like execvp: a
    //      candidate that is not there is skipped; one that is there but may
    //      not be executed is remembered (EACCES) and skipped; anything else
    //      ends the search.
    int err = ENOENT;
    bool denied = false;
    for (std::size_t i = 0; i < plan.candidate_count; ++i) {
        execve(plan.candidates[i], plan.argv, plan.envp);
        err = errno;
        if (err == EACCES)
            denied = true;
        else if (!keep_looking(err))
            break;
    }
    fail(status_fd, Step::exec, denied && keep_looking(err) ? EACCES : err);
}

namespace {

std::string check_policy(const Policy& p) {
    const Limits& l = p.limits;
    if (!std::isfinite(l.cpu_s) || l.cpu_s < 0)
        return "the CPU time limit must be 0 or more seconds";
    if (!std::isfinite(l.wall_s) || l.wall_s < 0)
        return "the wall-clock limit must be 0 or more seconds";
    if (p.workdir.empty()) return "no work directory";
    // Above 0 (not root), and the pool within the 32-bit ids below -1.
    if (p.uid_pool_first < 1 || p.uid_pool_size < 1 ||
        p.uid_pool_first + p.uid_pool_size > 4294967295L)
        return "the sandbox uid pool (uid_pool_first " + std::to_string(p.uid_pool_first) +
               ", uid_pool_size " + std::to_string(p.uid_pool_size) +
               ") must start above 0, hold at least one uid and end below 4294967295";
    for (const auto& e : p.env)
        if (e.find('=') == std::string::npos) return "environment entry '" + e + "' has no '='";
    return {};
}

constexpr std::string_view refused_prefix = "refused: ";

// isolation_refusal() for a run whose engine is `have`. Full isolation
// counts as full only with the cgroup's limits: without a cgroup, or
// without its memory or pids controller, memory and processes are limited
// by sampling and rlimits, which is what userns gives.
std::string refusal_for(Isolation have, Isolation minimum, bool isolate) {
    if (!weaker(have, minimum)) {
        if (minimum != Isolation::full) return {};
        const CgroupLayout& l = cgroup_layout();
        if (l.usable && l.memory && l.pids) return {};
        return std::string(refused_prefix) +
               "this run needs full isolation, and this process can give it only without the "
               "cgroup's memory and process limits (" +
               (l.usable ? l.partial : "no cgroup: " + l.problem) +
               "); give wbtool a cgroup hierarchy with the memory and pids controllers, or "
               "accept userns isolation for code that is trusted";
    }
    std::string why = "isolation was not asked for", fix = "ask for isolation";
    if (isolate) {
        why = isolation_unavailable_reason();
        if (geteuid() == 0) {
            fix = "run wbtool where the kernel lets it create namespaces";
        } else {
            if (std::string u = userns_unavailable_reason(); !u.empty()) why += ", and " + u;
            fix = "run wbtool as root";
            if (minimum == Isolation::userns)
                fix += " or where the kernel allows unprivileged user namespaces";
        }
    }
    const std::string need(to_string(minimum)), got(to_string(have));
    return std::string(refused_prefix) + "this run needs " + need +
           " isolation, and this process can give only " + got + " (" + why + "); " + fix +
           ", or accept " + got + " isolation for code that is trusted";
}

// One attempt. *refused: the kernel refused the keeper's namespaces (the
// caller then runs again with rlimits).
Result run_checked(const Policy& policy, const std::vector<std::string>& argv, bool* refused) {
    // P1. The policy and the command.
    if (std::string problem = check_policy(policy); !problem.empty())
        return internal_error("bad sandbox policy: " + problem);
    ExecPlan exec;
    if (std::string problem = exec.build(argv, policy.env); !problem.empty())
        return internal_error(problem);

    // P1b. Less isolation than the caller accepts: refused, before anything
    //      of the run is made. The engine is read once, here: another
    //      thread's refused clone may lower it meanwhile.
    const Isolation engine = policy.isolate ? available_isolation() : Isolation::rlimits;
    if (std::string refusal = refusal_for(engine, policy.minimum_isolation, policy.isolate);
        !refusal.empty()) {
        Result r = internal_error(std::move(refusal));
        r.isolation = engine;
        return r;
    }

    // P2. The standard streams, opened here so that a bad path is an error
    //     message and not a dead child.
    auto streams = open_std_streams(policy.stdin_path, policy.stdout_path, policy.stderr_path);
    if (!streams) return internal_error(streams.error().message());
    StdStreams& s = streams.value();

    // P3. Isolation, as strong as this process may have it. As root: a uid
    //     of its own, the work directory made its, the root planned, a
    //     cgroup, the filter. Not root, in a user namespace: the caller's ids
    //     mapped, the root planned, the filter (no cgroup, nothing chowned).
    const bool isolated = engine != Isolation::rlimits;
    const bool userns = engine == Isolation::userns;
    std::optional<UidLease> lease;
    std::optional<Cgroup> cgroup;
    MountPlanner mounts;
    std::optional<Spare> spare;
    long uid = -1, gid = -1;
    if (userns) {
        uid = policy.uid >= 0 ? policy.uid : static_cast<long>(geteuid());
        gid = policy.gid >= 0   ? policy.gid
              : policy.uid >= 0 ? policy.uid
                                : static_cast<long>(getegid());
        if (auto r = mounts.build(policy, uid, gid); !r) return internal_error(r.error().message());
    } else if (isolated) {
        uid = policy.uid;
        gid = policy.gid >= 0 ? policy.gid : policy.uid;
        if (uid < 0) {
            auto l = UidLease::acquire(policy.uid_pool_first, policy.uid_pool_size);
            if (!l) return internal_error(l.error().message());
            lease = std::move(l.value());
            uid = lease->uid();
            gid = policy.gid >= 0 ? policy.gid : uid;
        }
        if (chown(policy.workdir.c_str(), static_cast<uid_t>(uid), static_cast<gid_t>(gid)) != 0) {
            int e = errno;
            return internal_error("cannot give the work directory '" + policy.workdir.string() +
                                  "' to the sandbox user: " + errno_text(e));
        }
        // A keeper made ahead (spares.h) has the base of the root resolved
        // and mounted; without one, the next are made with this run's.
        spare = take_spare(policy.system_binds);
        if (auto r = mounts.build(policy, uid, gid, spare ? spare->base : nullptr); !r)
            return internal_error(r.error().message());
        if (!spare) offer_base(policy.system_binds, mounts.plan());
    }
    // The cgroup is made once the keeper has its plan (P6b).
    const bool cgroup_follows = engine == Isolation::full && cgroup_layout().usable;

    // P4. The limits: what the child sets, what the parent watches.
    const Limits& lim = policy.limits;
    //     RLIMIT_NPROC counts every task of the real uid: the caller's
    //     others too in the rlimits engine, so they are added; in a user
    //     namespace only those inside it, the keeper one of them (before
    //     Linux 5.14, all of the caller's, as in the rlimits engine).
    std::uint64_t tasks = 0;
    if (userns && nproc_per_user_namespace())
        tasks = 1;
    else if ((userns || !isolated) && geteuid() != 0)
        tasks = count_tasks_of_user(getuid());
    Watch watch;
    watch.cpu_s = lim.cpu_s;
    watch.wall_s = lim.wall_s > 0 ? lim.wall_s : lim.cpu_s > 0 ? 2 * lim.cpu_s + 1 : 0;
    watch.memory_kib = lim.memory_kib; // with a cgroup, the kernel's (P6b)
    watch.output_bytes = lim.output_bytes;
    watch.cancel_fd = policy.cancel_fd;

    // P5. The plan.
    const std::string workdir = policy.workdir.string();
    ChildPlan plan;
    plan.argv = exec.argv();
    plan.envp = exec.envp();
    plan.candidates = exec.candidates();
    plan.candidate_count = exec.candidate_count();
    plan.workdir = workdir.c_str();
    plan.rlimits = plan_rlimits(lim, tasks);
    plan.stdin_fd = s.in.get();
    plan.stdout_fd = s.out.get();
    plan.stderr_fd = s.err.get();
    plan.seccomp_optional = !isolated;
    if (isolated) {
        plan.mounts = &mounts.plan();
        plan.cgroup_follows = cgroup_follows;
        plan.cgroup_namespace = cgroup_follows && cgroup_layout().v2;
        plan.uid = uid;
        plan.gid = gid;
    }

    // P6. The keeper: one made ahead for this root's base (spares.h), the
    //     plan copied into its arena; else one forked now, which has the
    //     plan in its copy of this process (keeper.cpp, then C1..C12). The
    //     filter, in both engines, names the argv the keeper will pass;
    //     without a pid namespace of its own the program may not kill(-1).
    auto make_filter = [&](char* const* passed) {
        return SeccompProgram::for_run(policy.profile, passed, isolated);
    };
    KeeperProcess keeper;
    UniqueFd ours;
    PlanArena arena;
    SeccompProgram filter;
    if (spare) {
        ChildPlan* copy = copy_child_plan(plan, spare->arena);
        auto f = make_filter(copy ? copy->argv : exec.argv());
        if (!f) return internal_error(f.error().message());
        if (copy) copy->seccomp = copy_filter(*f.value().fprog(), spare->arena);
        // Too large for its arena, or the keeper is gone (killed from
        // outside since it was taken): ended, and one forked as without.
        watch.started = monotonic_seconds();
        if (copy && copy->seccomp && send_plan(spare->channel.get(), copy, plan) == 0) {
            keeper = std::move(spare->keeper);
            ours = std::move(spare->channel);
            arena = std::move(spare->arena);
            note_spare_used();
        }
        spare.reset();
    }
    if (keeper.pid() < 0) {
        auto f = make_filter(exec.argv());
        if (!f) return internal_error(f.error().message());
        filter = std::move(f.value());
        plan.seccomp = filter.fprog();
        auto channel = make_channel(isolated);
        if (!channel) return internal_error(channel.error().message());
        ours = std::move(channel.value().first);
        UniqueFd theirs = std::move(channel.value().second);
        watch.started = monotonic_seconds();
        auto spawned = spawn_keeper(keeper_setup_for(engine, theirs.get(), uid, gid));
        if (!spawned) {
            if (isolated && namespace_refusal(spawned.error().err)) {
                namespaces_refused(engine, spawned.error().err);
                *refused = true;
            }
            return internal_error(spawned.error().message());
        }
        keeper = std::move(spawned.value());
        if (int e = send_plan(ours.get(), &plan, plan))
            return internal_error("cannot hand the sandbox keeper its plan: " + errno_text(e));
    }

    // P6b. The run's cgroup (a slot's, kept from its last run), made while
    //      the keeper builds the root, and sent to it; the program joins it
    //      first thing (C2b).
    if (cgroup_follows) {
        auto cg = Cgroup::create(policy.limits, lease ? lease->uid() : -1);
        if (!cg) return internal_error(cg.error().message());
        cgroup = std::move(cg.value());
        const std::vector<int> none;
        const std::vector<int>& fds = cgroup ? cgroup->join_fds() : none;
        if (int e = send_cgroup(ours.get(), fds.data(), fds.size()))
            return internal_error("cannot hand the sandbox keeper its cgroup: " + errno_text(e));
        if (cgroup) {
            if (cgroup_layout().memory) watch.memory_kib = 0; // the kernel enforces it
            watch.cgroup = &*cgroup;
        }
    }

    // P7. The parent keeps only what it reads: the channel, the pipe of
    //     discarded output, and the output files (to measure them).
    s.in.reset();
    if (cgroup) cgroup->close_join_fds();
    if (!s.out_is_file) s.out.reset();
    if (!s.err_is_file || s.err_same_as_out) s.err.reset();
    OutputMeter meter;
    meter.out_file = s.out.get();
    meter.err_file = s.err.get();
    meter.sink = s.sink.get();
    meter.forward = policy.forward_fd;

    // P8. Watch until the end, then judge; the cgroup's figures are read
    //     before it is removed, and the keeper is reaped last.
    Outcome outcome = supervise(keeper, ours, meter, watch);
    if (userns && userns_refused(outcome)) {
        // The kernel gave the user namespace but not what the keeper must do
        // in it (AppArmor's restriction, a container's /proc): rlimits
        // from now on, and this run again with them.
        namespaces_refused(engine, outcome.failure.err,
                           outcome.failure.step == Step::mounts     ? "mount"
                           : outcome.failure.step == Step::user_map ? "uid_map"
                                                                    : "setns");
        *refused = true;
        return internal_error("the kernel refused the sandbox's user namespace");
    }
    VerdictInputs in{lim, watch.wall_s, data_limit_kib(lim), exec.name(), workdir.c_str()};
    in.isolation = engine;
    in.profile = policy.profile;
    in.mounts = isolated ? &mounts.plan() : nullptr;
    in.no_cgroup = engine == Isolation::full && !cgroup;
    in.cgroup_memory = cgroup && cgroup_layout().memory;
    std::optional<CgroupStats> stats;
    if (cgroup) stats = cgroup->stats();
    in.cgroup = stats ? &*stats : nullptr;
    Result r = classify(outcome, in);

    // What the caller should be warned of.
    if (userns) {
        r.warning = "isolation: user namespace only (" + isolation_unavailable_reason() +
                    "): namespaces, a private root and the seccomp filter, but no cgroup (CPU "
                    "time and memory are limited by rlimits and sampling, which a fast-growing "
                    "process tree can outrun) and no uid of its own (the program is uid " +
                    std::to_string(geteuid()) + " to the host)";
    } else if (!isolated) {
        std::string why = "isolation was not asked for";
        if (policy.isolate) {
            why = isolation_unavailable_reason();
            if (std::string u = userns_unavailable_reason(); geteuid() != 0 && !u.empty())
                why += ", and " + u;
        }
        r.warning = "isolation: rlimits only (" + why +
                    "): no namespaces, private root, cgroup or uid of its own; ";
        r.warning += outcome.seccomp_error ? "and no seccomp filter either (" +
                                                 errno_text(outcome.seccomp_error) + ")"
                                           : "the seccomp filter still applies";
    } else if (!cgroup) {
        r.warning = "no cgroup (" + cgroup_layout().problem +
                    "): CPU time and memory are limited by sampling, which a fast-growing "
                    "process tree can outrun";
    } else if (const CgroupLayout& l = cgroup_layout(); !l.memory || !l.pids) {
        // What the missing controllers leave to sampling and rlimits, of the
        // limits this run has.
        std::string left;
        if (!l.memory && lim.memory_kib > 0)
            left = "memory is limited by sampling, which a fast-growing process tree can outrun";
        if (!l.pids && lim.processes > 0)
            left += std::string(left.empty() ? "" : "; ") +
                    "processes and threads are limited by RLIMIT_NPROC of the run's uid only";
        if (!left.empty()) r.warning = l.partial + ": " + left;
    }
    // The end: the cgroup removed (a slot's emptied), then the keeper
    // reaped (its exit ran meanwhile; with keepers made ahead, the
    // sandbox's thread reaps it: spares.h). Nothing of the program's tree
    // is left when run() returns, and nothing of the run is visible on the
    // host; if a process of it would not die, its uid is not handed out
    // again by this process.
    if (cgroup && lease && !cgroup->empty_kept()) lease->keep_for_process();
    cgroup.reset();
    run_ended(std::move(keeper));
    return r;
}

} // namespace
} // namespace detail

Result run(const Policy& policy, const std::vector<std::string>& argv) {
    try {
        bool refused = false;
        Result r = detail::run_checked(policy, argv, &refused);
        if (refused) r = detail::run_checked(policy, argv, &refused);
        return r;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        return detail::internal_error(std::string("sandbox failure: ") + e.what());
    } catch (...) {
        return detail::internal_error("sandbox failure: unknown exception");
    }
}

std::string isolation_unavailable_reason() {
    return detail::isolation_unavailable_reason();
}

Isolation available_isolation() {
    return detail::available_isolation();
}

std::string isolation_refusal(Isolation minimum, bool isolate) {
    return detail::refusal_for(isolate ? detail::available_isolation() : Isolation::rlimits,
                               minimum, isolate);
}

bool is_refusal(std::string_view message) {
    return message.substr(0, detail::refused_prefix.size()) == detail::refused_prefix;
}

void prepare_ahead(int count) {
    detail::set_spare_count(count);
}

int prepared_ahead() {
    return detail::spare_count();
}

std::string release_prepared() {
    std::string problem = detail::release_shared_namespaces();
    if (std::string p = detail::remove_cached_filters(); problem.empty()) problem = p;
    if (std::string p = detail::remove_slot_cgroups(); problem.empty()) problem = p;
    const detail::CgroupLayout& l = detail::cgroup_layout();
    if (l.usable && l.v2 && l.v2_base == "/sys/fs/cgroup/wbtool" && rmdir(l.v2_base.c_str()) != 0 &&
        errno != ENOENT && errno != EBUSY && problem.empty())
        problem = "cannot remove " + l.v2_base + ": " + detail::errno_text(errno);
    return problem;
}

} // namespace wb::sandbox
