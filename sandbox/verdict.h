// The verdict: how the run ended, in a Status and one line of text.
//
// The parent knows why it killed the tree (a limit it saw crossed); for the
// rest it reads the wait status and the figures, in a fixed order: CPU time,
// output, wall-clock time, memory, then the plain signal or exit code.
//
// Memory has no exact witness under rlimits. A tree the parent killed for
// resident memory over the limit is memory_limit, certainly. A program that
// died on its own (a signal, or a non-zero exit) is memory_limit when its
// peak resident memory reached 90% of the limit, or the largest private
// writable memory (VmData) seen reached 90% of the RLIMIT_DATA backstop:
// both mean an allocation was most likely refused (malloc returning NULL
// ends in SIGSEGV or SIGABRT, operator new in std::bad_alloc). A single
// allocation larger than all the room left is refused without any trace, and
// that crash is reported as what it looks like. In a cgroup the kernel's
// OOM killer does the killing and says so (oom_kill): memory_limit without
// any guessing.
//
// A run its caller cancelled (Policy::cancel_fd) is wall_time_limit, and the
// message says that it was cancelled.
//
// Under full isolation a death by SIGSYS is the seccomp filter killing a
// call of a foreign architecture, and a call outside the profile (the
// parent was notified) is forbidden_syscall with the call's name.
#pragma once

#include "sandbox/cgroups.h"
#include "sandbox/mounts.h"
#include "sandbox/policy.h"
#include "sandbox/supervise.h"

#include <string>

namespace wb::sandbox::detail {

struct VerdictInputs {
    const Limits& limits;
    double wall_limit_s = 0;          // effective; 0 = none
    std::uint64_t data_limit_kib = 0; // RLIMIT_DATA; 0 = none
    const std::string& program;       // argv[0], for setup failures
    const char* workdir = "";
    Isolation isolation = Isolation::rlimits;
    Profile profile = Profile::run;
    const MountPlan* mounts = nullptr;   // to name a mount that failed
    const CgroupStats* cgroup = nullptr; // the tree's figures, if in a cgroup
    bool no_cgroup = false;              // full isolation without a cgroup: the message says so
    bool cgroup_memory = true;           // with a cgroup: whether it enforces the memory limit
};

Result classify(const Outcome& outcome, const VerdictInputs& in);

// A Result for a failure of the sandbox itself.
Result internal_error(std::string message);

// "killed by signal 11 (SIGSEGV: Segmentation fault)"
std::string describe_signal(int sig);

} // namespace wb::sandbox::detail
