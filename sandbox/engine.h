// The isolation engines: what differs between full, userns and rlimits,
// behind one small interface, so that run() (sandbox.cpp) reads as the same
// short sequence of steps whichever engine does the work.
//
// Each engine has a file of its own, the way nsjail gives each kernel concern
// one: engine_full.cpp (root: namespaces, a uid of its own, a cgroup, keepers
// made ahead), engine_userns.cpp (not root: a user namespace of the keeper's,
// the caller's ids) and engine_rlimits.cpp (resource limits, the filter where
// the kernel allows it, a watching parent). An engine object lives for one
// run in the parent and owns what only that engine needs (the uid lease, the
// cgroup, the root's plan); the orchestrator owns what every run has (Run,
// RunKeeper), and the steps that every engine takes are named functions here,
// written once: handing a freshly forked keeper its plan (fork_keeper), and
// the reason a run has less than full isolation.
//
// The engine's hooks are called in the parent's order, P3..P8 (sandbox.cpp).
// An engine is destroyed after the run's keeper (the keeper's tree is dead
// before the cgroup is removed and the uid handed back) and before the
// run's standard streams.
#pragma once

#include "sandbox/arena.h"
#include "sandbox/exec_plan.h"
#include "sandbox/fds.h"
#include "sandbox/keeper.h"
#include "sandbox/policy.h"
#include "sandbox/seccomp.h"
#include "sandbox/supervise.h"
#include "sandbox/verdict.h"
#include "sandbox/workdir.h"

#include <cstdint>
#include <memory>
#include <string>

namespace wb::sandbox::detail {

// What every run has, whatever its engine, built by the orchestrator's
// steps before the keeper is forked. Its addresses must not change after
// that (the keeper's copy of this process has them): it is never moved.
struct Run {
    explicit Run(const Policy& p) : policy(p), workdir(p.workdir.string()) {}
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    const Policy& policy;
    Isolation isolation = Isolation::rlimits; // the engine, read once (P1b)
    ExecPlan exec;
    StdStreams streams;
    std::string workdir;      // the host's path; isolated and private: private_workdir
    TempWorkdir temp_workdir; // private without namespaces: removed with the run
    Watch watch;
    ChildPlan plan;
};

// The run's keeper and what the parent holds to talk to it.
struct RunKeeper {
    KeeperProcess keeper;
    UniqueFd channel;      // the parent's end
    PlanArena arena;       // a keeper made ahead: where its plan is
    SeccompProgram filter; // a keeper forked now: what its plan points at
};

class Engine {
  public:
    virtual ~Engine() = default;

    // P3. What the engine needs before the plan: the program's ids, the
    //     work directory given to them, the root planned. "" or what failed.
    virtual std::string prepare(const Run& run) = 0;
    // P4. How many tasks of the caller's real uid RLIMIT_NPROC must allow
    //     for besides the run's own (the rlimits engine shares the uid).
    virtual std::uint64_t tasks_already() const = 0;
    // P5. The engine's part of the program's plan.
    virtual void add_to_plan(ChildPlan& plan) const = 0;
    // P6. The keeper, with the plan handed over: "" or what failed;
    //     *refused when the kernel refused the engine's namespaces (the run
    //     is then done again with the next engine).
    virtual std::string start_keeper(Run& run, RunKeeper& k, bool* refused) = 0;
    // P6b. What follows once the keeper has its plan (full: the cgroup).
    virtual std::string keeper_has_plan(Run&, RunKeeper&) { return {}; }
    // P7. The parent closes what only the program needed.
    virtual void close_program_fds() noexcept {}
    // P8. Not "": the kernel gave the namespaces but refused what the
    //     keeper had to do in them; the run is done again with the next engine.
    virtual std::string refused_inside(const Outcome&) { return {}; }
    // P8. The engine's part of what the verdict weighs.
    virtual void add_to_verdict(VerdictInputs& in) = 0;
    // P8. Result::warning: "" or why the run had less than full isolation.
    virtual std::string warning(const Run& run, const Outcome& outcome) const = 0;
    // The end, before the keeper is handed back: the cgroup removed.
    virtual void end() {}
};

std::unique_ptr<Engine> full_engine();
std::unique_ptr<Engine> userns_engine();
std::unique_ptr<Engine> rlimits_engine();

// ---- the steps every engine shares ----

// The run's seccomp filter for the argv the keeper will pass (`argv`, in the
// keeper's memory); without a pid namespace of its own the program may not
// kill(-1).
SysResult<SeccompProgram> filter_for(const Run& run, char* const* argv);

// P6 without a keeper made ahead: the channel made, the keeper forked (it
// has the plan in its copy of this process), the plan handed over. uid and
// gid are the program's ids inside a user namespace (KeeperSetup).
std::string fork_keeper(Run& run, RunKeeper& k, long uid, long gid, bool* refused);

// The isolated engines' part of the plan: the root and the program's ids.
void add_isolation_to_plan(ChildPlan& plan, const MountPlan& root, long uid, long gid);

// Why a run has less than full isolation in this process: "isolation was
// not asked for", or what the kernel or the caller's privileges refused.
std::string why_less_isolation(bool isolate);

} // namespace wb::sandbox::detail
