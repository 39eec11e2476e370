// The sandbox's one entry point: policy + argv -> result.
//
// Everything that runs untrusted code (the compiler on a student's program,
// the program itself) goes through run(). The policy says what the process
// may use; the result says how it ended and what it used. Callers never see
// how isolation is achieved, so the engine behind this header can grow from
// rlimits to namespaces, cgroups and seccomp without any caller changing.
//
// run() never throws for anything the program did: a crash, a limit, a
// missing executable are all a Result. It reports status internal_error only
// when the sandbox itself could not do its job (fork failed, bad policy).
#pragma once

#include "sandbox/policy.h"

#include <string>
#include <string_view>
#include <vector>

namespace wb::sandbox {

// Runs argv[0] (looked up in PATH of policy.env if it has no slash) under the
// policy, waits for it and everything it started, and returns the result.
Result run(const Policy& policy, const std::vector<std::string>& argv);

// Why a run with Policy::isolate would have less than full isolation in
// this process ("wbtool is not running as root", a refused clone), or ""
// when full isolation is available as far as is known before a run.
std::string isolation_unavailable_reason();

// The isolation a run with Policy::isolate would have in this process, as
// far as is known before a run (the first run may still find the kernel
// refusing it, and fall back).
Isolation available_isolation();

// "" when a run with Policy::isolate = `isolate` would have at least
// `minimum` isolation in this process, as far as is known before a run;
// else the one line a refused run carries as its message: "refused: ..."
// with what is needed, what this process can give and why, and what to do.
std::string isolation_refusal(Isolation minimum, bool isolate = true);
// Whether a run's message is such a refusal (a caller that stops there).
bool is_refusal(std::string_view message);

// Keeps `count` sandbox keepers made ahead, for runs with full isolation:
// each already in its new pid and mount namespaces, with the shared
// namespaces joined and the base of the root (the system binds, /dev,
// /proc) mounted, so that a run only adds its job's part. A thread of the
// sandbox makes them, one after each run that took one, for the system
// binds of the last run; a run finds none (the first, or one with other
// system binds) makes its own as it would without. For a caller that runs
// one job after another (grading, a worker); each costs an idle process
// while it waits. 0 (the default) ends them, and returns once they are gone.
// With keepers made ahead, a run's keeper, once its report is read and its
// program's tree is gone, is reaped by that thread. prepared_ahead() says
// what was asked for last.
void prepare_ahead(int count);
int prepared_ahead();

// For a process that makes one run and is timed by it (`wbtool sandbox`):
// the keeper of the calling thread's next run, cloned now, mounts the base
// of its root while the caller and then run() plan the rest (the policy's
// system binds must stay as they are). The keeper's start and the run's
// planning, each about a quarter of a millisecond, then go on side by side
// instead of one after the other. Only a run on the same thread takes it,
// and that run ends it if it does not: call run() next, on this thread.
// Nothing, where runs would not have full isolation; a keeper that cannot
// be made here is made by the run, which says what failed.
void start_next_keeper(const Policy& policy);

// For a caller that knows how many runs it has left (a grade's datasets):
// keepers are made ahead for at most that many more runs, so that none is
// made after the last, as work that competes with what the caller does
// next and that it then waits to end. prepare_ahead() lifts the limit.
void limit_ahead(int runs);

// What runs prepare once and keep between runs and processes, so that a
// run pays little: the empty network, ipc and uts namespaces every sandbox
// joins (/run/wbtool/{net,ipc,uts}ns, nsfs bind mounts), the sandbox's /dev
// (/run/wbtool/dev-1, a read-only tmpfs every root binds), the cgroups kept
// per slot (wbtool-slot-<uid>, those that are empty) and, on cgroup v2, the
// dedicated cgroup /sys/fs/cgroup/wbtool when it is empty. None of it is visible to a
// program. This removes them (the next run makes them again); for an admin
// or an uninstall. Returns "" or what could not be removed.
std::string release_prepared();

} // namespace wb::sandbox
