// Spares: keepers made ahead, so that a run does not wait for one.
//
// Most of what a run with full isolation costs comes before its program:
// the keeper's clone into new pid and mount namespaces (the kernel copies
// the host's mount table), its joining of the shared namespaces, emptying
// the bounding set, and the base of the root (the toolchain binds, /dev,
// /proc: mounts.h). None of that depends on the job, so with
// prepare_ahead(n) (sandbox.h) a thread of the sandbox makes n keepers
// ahead, each with the base of the last run's root already mounted, waiting
// for a plan. A run whose base is the same takes one, copies its plan into
// the keeper's arena (arena.h) and sends it; the keeper mounts the job's
// part and starts the program. The thread then makes the next.
//
// A spare is only used while it is fresh (max_spare_age_s: the binds it
// holds are the host's paths as they were), alive, and made for the same
// base; otherwise it is ended, off the caller's path, and the run makes its
// keeper as it would without spares. Spares are children of the sandbox's
// thread and die with the process (their parent-death signal); they hold no
// cgroup, no uid and nothing of a job.
#pragma once

#include "sandbox/arena.h"
#include "sandbox/keeper.h"
#include "sandbox/policy.h"
#include "sandbox/unique_fd.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace wb::sandbox::detail {

struct MountPlan;

inline constexpr double max_spare_age_s = 10;

struct Spare {
    KeeperProcess keeper;
    UniqueFd channel;                // the parent's end
    PlanArena arena;                 // shared with the keeper
    const MountPlan* base = nullptr; // in the arena: the base it mounted, resolved
    double made_at = 0;
};

// A spare made for these system binds, or none (prepare_ahead is 0, none is
// ready, or the spares are for other system binds). Its base is the run's:
// MountPlanner::build takes it instead of resolving the binds again.
std::optional<Spare> take_spare(const std::vector<Bind>& system_binds);

// start_next_keeper (sandbox.h): a keeper cloned now, on the caller's
// thread, for that thread's next run with these system binds; it mounts the
// base and waits, and says nothing until its plan comes (a failure then is
// the run's). take_spare gives it to a run of that thread first (its
// parent-death signal comes when that thread ends, so no other thread's run
// may have it); a run of that thread with other binds ends it, and so does
// end_early, which run() calls once its run is over.
void start_early(const Policy& policy);
void end_early();

// A run that found no spare resolved its own plan: the next spares are made
// with its base, for its system binds (those of other binds are ended).
void offer_base(const std::vector<Bind>& system_binds, const MountPlan& plan);

// A run with full isolation is over: the maker may make the next spare
// (made while the run goes on, it would take the run's CPU). `keeper`, its
// program's tree killed and reaped and its report read, is left to end:
// with spares, the sandbox's thread reaps it (its exit tears down the mount
// and pid namespaces, a few hundred microseconds); otherwise it is reaped
// here.
void run_ended(KeeperProcess keeper);

// Waits until the spares asked for are made and the keepers left to end
// are reaped (true), or for `timeout_s`; for the benchmark, which times a
// run that finds its keeper ready, and no other work going on.
bool wait_for_spares(double timeout_s);

// How many spares runs of this process have used (note_spare_used: the
// plan was handed to it), for tests and the benchmark, which must know that
// they measured what they say.
void note_spare_used();
std::uint64_t spares_taken();

// prepare_ahead (sandbox.h). With 0, every spare is ended and reaped before
// it returns.
void set_spare_count(int count);
int spare_count();

// limit_ahead (sandbox.h): spares for at most `runs` more runs.
void set_runs_left(int runs);

} // namespace wb::sandbox::detail
