// The orchestrator: run(policy, argv) from start to Result.
//
// Three engines behind one path, each in a file of its own behind one small
// interface (engine.h). Full isolation, when the process may create
// namespaces (root: engine_full.cpp): the keeper is cloned into new
// namespaces and builds the root (namespaces, mounts), the program joins a
// cgroup of its own (cgroups), drops to a uid of its own (identity) and
// loads its seccomp filter last (seccomp). Not root, where the kernel allows
// it, the same in a user namespace of the keeper's, which maps the caller's
// ids first: no cgroup, no uid of its own (engine_userns.cpp). Otherwise, or
// when the policy asks (isolate = false), rlimits, no_new_privs, the seccomp
// filter where the kernel allows an unprivileged one, and a watching parent
// (engine_rlimits.cpp). Anything below full says so in every message, and
// Result::warning says why. If the kernel refuses an engine (the first
// keeper's clone, or in a user namespace the mounts), the run is done again
// with the next, and so are all later ones of the process. The parent's
// steps (P1..P8, run_checked) and the program's steps between fork and
// execve (C1..C12, program_main) are each written once, here, in their fixed
// order; an engine fills in its part of a step, and each concern lives in its
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

#include "sandbox/cgroups.h"
#include "sandbox/engine.h"
#include "sandbox/fds.h"
#include "sandbox/identity.h"
#include "sandbox/keeper.h"
#include "sandbox/namespaces.h"
#include "sandbox/rlimits.h"
#include "sandbox/seccomp.h"
#include "sandbox/spares.h"
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
#include <memory>
#include <new>

namespace wb::sandbox {

namespace detail {
namespace {

[[noreturn]] void fail(int status_fd, Step step, int err, int detail = 0) noexcept {
    ChildFailure f{step, err, detail};
    while (write(status_fd, &f, sizeof f) < 0 && errno == EINTR) {
    }
    _exit(127);
}

bool keep_looking(int err) noexcept {
    return err == ENOENT || err == ENOTDIR || err == ESTALE || err == ENODEV || err == ETIMEDOUT;
}

// C10: the filter loaded, and its listener handed to the parent over the
// channel (SCM_RIGHTS); a message without a descriptor where the filter was
// optional and refused. The channel is closed after.
void load_filter(const ChildPlan& plan, int status_fd) noexcept {
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

// C12: execve of each PATH candidate in turn, like execvp; returns only
// through fail().
[[noreturn]] void exec_candidates(const ChildPlan& plan, int status_fd) noexcept {
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

} // namespace

// The program's steps, from fork to execve. Async-signal-safe only. Every
// signal is blocked on entry (spawn_keeper blocked them before forking).
[[noreturn]] void program_main(const ChildPlan& plan, pid_t keeper, int status_fd) noexcept {
    // C0. The CPUs the keeper may run on: it started the program on its own
    //     (keeper.cpp, K3).
    if (plan.affinity && sched_setaffinity(0, sizeof *plan.affinity, plan.affinity) != 0)
        fail(status_fd, Step::affinity, errno);

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
    if (plan.seccomp) load_filter(plan, status_fd);

    // C11. Signals unblocked: the program starts with an empty mask.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);

    // C12. execve, trying the PATH candidates in order like execvp: a
    //      candidate that is not there is skipped; one that is there but may
    //      not be executed is remembered (EACCES) and skipped; anything else
    //      ends the search.
    exec_candidates(plan, status_fd);
}

namespace {

std::string check_policy(const Policy& p) {
    const Limits& l = p.limits;
    if (!std::isfinite(l.cpu_s) || l.cpu_s < 0)
        return "the CPU time limit must be 0 or more seconds";
    if (!std::isfinite(l.wall_s) || l.wall_s < 0)
        return "the wall-clock limit must be 0 or more seconds";
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
    const std::string why = why_less_isolation(isolate);
    std::string fix = "ask for isolation";
    if (isolate && geteuid() == 0) {
        fix = "run wbtool where the kernel lets it create namespaces";
    } else if (isolate) {
        fix = "run wbtool as root";
        if (minimum == Isolation::userns)
            fix += " or where the kernel allows unprivileged user namespaces";
    }
    const std::string need(to_string(minimum)), got(to_string(have));
    return std::string(refused_prefix) + "this run needs " + need +
           " isolation, and this process can give only " + got + " (" + why + "); " + fix +
           ", or accept " + got + " isolation for code that is trusted";
}

// P1b. The engine for this run, or the refusal of a run with less
//      isolation than the caller accepts, before anything of it is made.
//      The engine is read once, here: another thread's refused clone may
//      lower it meanwhile.
std::unique_ptr<Engine> choose_engine(Run& run, Result& refused) {
    const Policy& policy = run.policy;
    run.isolation = policy.isolate ? available_isolation() : Isolation::rlimits;
    if (std::string refusal = refusal_for(run.isolation, policy.minimum_isolation, policy.isolate);
        !refusal.empty()) {
        refused = internal_error(std::move(refusal));
        refused.isolation = run.isolation;
        return nullptr;
    }
    switch (run.isolation) {
    case Isolation::full:
        return full_engine();
    case Isolation::userns:
        return userns_engine();
    case Isolation::rlimits:
        break;
    }
    return rlimits_engine();
}

// P4. What the parent watches; the child's rlimits are in the plan (P5).
Watch watch_for(const Policy& policy) {
    const Limits& lim = policy.limits;
    Watch watch;
    watch.cpu_s = lim.cpu_s;
    watch.wall_s = lim.wall_s > 0 ? lim.wall_s : lim.cpu_s > 0 ? 2 * lim.cpu_s + 1 : 0;
    watch.memory_kib = lim.memory_kib; // with a cgroup, the kernel's (P6b)
    watch.output_bytes = lim.output_bytes;
    watch.cancel_fd = policy.cancel_fd;
    watch.audit_syscalls = policy.audit_syscalls;
    return watch;
}

// P5. The program's plan, every engine's part of it; `tasks`: the tasks of
//     the caller's uid that RLIMIT_NPROC must allow for (Engine).
void build_plan(Run& run, std::uint64_t tasks) {
    ChildPlan& plan = run.plan;
    plan.argv = run.exec.argv();
    plan.envp = run.exec.envp();
    plan.candidates = run.exec.candidates();
    plan.candidate_count = run.exec.candidate_count();
    plan.workdir = run.workdir.c_str();
    plan.rlimits = plan_rlimits(run.policy.limits, tasks);
    plan.stdin_fd = run.streams.in.get();
    plan.stdout_fd = run.streams.out.get();
    plan.stderr_fd = run.streams.err.get();
}

// P7. The parent keeps only what it reads: the channel, the pipe of
//     discarded output, and the output files (to measure them).
OutputMeter keep_what_parent_reads(StdStreams& s, int forward_fd) {
    s.in.reset();
    if (!s.out_is_file) s.out.reset();
    if (!s.err_is_file || s.err_same_as_out) s.err.reset();
    OutputMeter meter;
    meter.out_file = s.out.get();
    meter.err_file = s.err.get();
    meter.sink = s.sink.get();
    meter.forward = forward_fd;
    return meter;
}

// P8. The verdict: the outcome weighed against the limits, with what the
//     engine knows (the root, the cgroup's figures) and its warning.
Result judge(const Run& run, Engine& engine, const Outcome& outcome) {
    const Limits& lim = run.policy.limits;
    VerdictInputs in{lim, run.watch.wall_s, data_limit_kib(lim), run.exec.name(),
                     run.workdir.c_str()};
    in.isolation = run.isolation;
    in.profile = run.policy.profile;
    in.cgroup_memory = false;
    engine.add_to_verdict(in);
    Result r = classify(outcome, in);
    r.warning = engine.warning(run, outcome);
    r.audited_syscalls = outcome.audited_syscalls;
    return r;
}

// One attempt. *refused: the kernel refused the engine's namespaces (the
// caller then runs again with the next engine).
Result run_checked(const Policy& policy, const std::vector<std::string>& argv, bool* refused) {
    // P1. The policy and the command.
    if (std::string problem = check_policy(policy); !problem.empty())
        return internal_error("bad sandbox policy: " + problem);
    Run run(policy);
    if (std::string problem = run.exec.build(argv, policy.env); !problem.empty())
        return internal_error(problem);

    // P1b. The engine, or the refusal (choose_engine).
    Result refusal;
    std::unique_ptr<Engine> engine = choose_engine(run, refusal);
    if (!engine) return refusal;

    // P1c. A private work directory, for a policy that names none
    //      (workdir.h): with namespaces, the tmpfs the keeper mounts; without,
    //      a temporary directory of the host's, removed with `run`.
    if (policy.workdir.empty()) {
        if (run.isolation != Isolation::rlimits) {
            run.workdir = private_workdir;
        } else {
            if (std::string problem = run.temp_workdir.make(); !problem.empty())
                return internal_error(problem);
            run.workdir = run.temp_workdir.work().string();
        }
    }

    // P2. The standard streams, opened here so that a bad path is an error
    //     message and not a dead child.
    auto streams = open_std_streams(policy.stdin_path, policy.stdout_path, policy.stderr_path);
    if (!streams) return internal_error(streams.error().message());
    run.streams = std::move(streams.value());

    // P3. Isolation, as strong as this process may have it. As root: a uid
    //     of its own, the work directory made its, the root planned, a
    //     cgroup, the filter. Not root, in a user namespace: the caller's ids
    //     mapped, the root planned, the filter (no cgroup, nothing chowned).
    if (std::string problem = engine->prepare(run); !problem.empty())
        return internal_error(problem);

    // P4. The limits: what the child sets (P5), what the parent watches.
    run.watch = watch_for(policy);

    // P5. The plan.
    build_plan(run, engine->tasks_already());
    engine->add_to_plan(run.plan);

    // P6. The keeper: one made ahead for this root's base (spares.h), the
    //     plan copied into its arena; else one forked now, which has the
    //     plan in its copy of this process (keeper.cpp, then C1..C12).
    //     P6b: what follows the plan (full: the run's cgroup).
    RunKeeper k;
    if (std::string problem = engine->start_keeper(run, k, refused); !problem.empty())
        return internal_error(problem);
    if (std::string problem = engine->keeper_has_plan(run, k); !problem.empty())
        return internal_error(problem);

    // P7. The parent keeps only what it reads.
    OutputMeter meter = keep_what_parent_reads(run.streams, policy.forward_fd);
    engine->close_program_fds();

    // P8. Watch until the end, then judge; the cgroup's figures are read
    //     before it is removed, and the keeper is reaped last.
    Outcome outcome = supervise(k.keeper, k.channel, meter, run.watch);
    if (std::string problem = engine->refused_inside(outcome); !problem.empty()) {
        *refused = true;
        return internal_error(problem);
    }
    Result r = judge(run, *engine, outcome);

    // The end: the cgroup removed (a slot's emptied), what else the run
    // holds let go (the channel, the plan's arena, the engine's uid and
    // mounts plan: 0.02 ms of a run, which the keeper's exit hides), then
    // the keeper reaped (its exit ran meanwhile; with keepers made ahead,
    // the sandbox's thread reaps it: spares.h). Nothing of the program's
    // tree is left when run() returns, and nothing of the run is visible on
    // the host. The engine, which holds the run's uid, goes before the reap
    // only when the keeper killed the whole tree; what would not die in
    // time dies with the keeper's pid namespace, and its uid is not given
    // to another run before.
    engine->end();
    KeeperProcess keeper = std::move(k.keeper);
    k = RunKeeper{};
    if (outcome.leftovers == 0) engine.reset();
    run_ended(std::move(keeper));
    return r;
}

} // namespace
} // namespace detail

Result run(const Policy& policy, const std::vector<std::string>& argv) {
    // A keeper started for this run (start_next_keeper) that it did not take.
    struct EndEarly {
        ~EndEarly() { detail::end_early(); }
    } end_early;
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

void start_next_keeper(const Policy& policy) {
    if (policy.isolate && detail::available_isolation() == Isolation::full)
        detail::start_early(policy);
}

void prepare_ahead(int count) {
    detail::set_spare_count(count);
}

int prepared_ahead() {
    return detail::spare_count();
}

void limit_ahead(int runs) {
    detail::set_runs_left(runs);
}

std::string release_prepared() {
    std::string problem = detail::release_shared_namespaces();
    if (std::string p = detail::remove_cached_filters(); problem.empty()) problem = p;
    if (std::string p = detail::release_kept_roots(); problem.empty()) problem = p;
    if (std::string p = detail::release_kept_dev(); problem.empty()) problem = p;
    if (std::string p = detail::remove_slot_cgroups(); problem.empty()) problem = p;
    const detail::CgroupLayout& l = detail::cgroup_layout();
    if (l.usable && l.v2 && l.v2_base == "/sys/fs/cgroup/wbtool" && rmdir(l.v2_base.c_str()) != 0 &&
        errno != ENOENT && errno != EBUSY && problem.empty())
        problem = "cannot remove " + l.v2_base + ": " + detail::errno_text(errno);
    return problem;
}

} // namespace wb::sandbox
