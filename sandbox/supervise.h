// Supervision: what the parent does while the program runs.
//
// One thread, one poll() loop, no signal handlers (SIGCHLD belongs to no one
// here, so several runs on several threads do not fight over it). It wakes
// on the keeper's channel, on the keeper's pidfd, on discarded output to
// drain, and on a tick. Every tick it reads the program's CPU time and memory
// from /proc, and every scan_every ticks those of the whole tree; it stops
// the tree (SIGKILL to its process group) at the first limit crossed: CPU
// time, memory, output bytes, or the wall-clock deadline. The rlimits are
// only backstops behind these.
#pragma once

#include "sandbox/cgroups.h"
#include "sandbox/keeper.h"
#include "sandbox/unique_fd.h"

#include <sys/resource.h>

#include <cstdint>
#include <string>
#include <vector>

namespace wb::sandbox::detail {

// How often the program is looked at: CPU and memory limits are enforced
// within about one tick (the memory of other processes of the tree, and
// their CPU time, within scan_every ticks).
inline constexpr double tick_s = 0.010;
inline constexpr unsigned scan_every = 10;
// How long after its kill the keeper may take to report before it is
// killed too (a keeper stopped by the program, say).
inline constexpr double keeper_grace_s = 5.0;

// The limits the parent enforces; 0 = none.
struct Watch {
    double cpu_s = 0;
    double wall_s = 0;
    std::uint64_t memory_kib = 0;
    std::uint64_t output_bytes = 0;
    double started = 0; // monotonic_seconds() just before the fork
    // The run's cgroup: CPU time is read from it (one small read per tick)
    // instead of /proc, and memory is the kernel's to enforce (memory_kib
    // 0) unless the cgroup has no memory controller.
    const Cgroup* cgroup = nullptr;
    int cancel_fd = -1;          // Policy::cancel_fd
    bool audit_syscalls = false; // Policy::audit_syscalls
};

// Where the program's output goes, for counting: files are measured by
// size, discarded output by the bytes drained from the pipe.
struct OutputMeter {
    int out_file = -1; // -1: not a file (or counted elsewhere)
    int err_file = -1;
    int sink = -1;    // read end of the discard pipe, non-blocking
    int forward = -1; // where drained output is copied (Policy::forward_fd)
    std::uint64_t sink_bytes = 0;
    std::uint64_t total() const noexcept;
};

enum class KillReason { none, cpu, wall, memory, output, syscall, cancel };

struct Outcome {
    enum class End { finished, setup_failed, lost };
    End end = End::lost;
    ChildFailure failure;   // setup_failed
    std::string problem;    // lost: what went wrong with the keeper
    int wait_status = 0;    // finished: the program's
    struct rusage usage {}; // finished: the tree's
    double wall_s = 0;
    KillReason killed_for = KillReason::none;
    double cpu_seen_s = 0;             // the most CPU time seen in /proc
    std::uint64_t peak_memory_kib = 0; // the most resident memory seen
    std::uint64_t peak_data_kib = 0;   // the largest VmData seen
    std::uint64_t output_bytes = 0;
    int leftovers = 0;
    std::string syscall;                       // KillReason::syscall: the forbidden call's name
    std::vector<std::string> audited_syscalls; // Watch::audit_syscalls: let through
    int seccomp_error = 0;                     // an optional filter that could not be loaded: why
};

double monotonic_seconds() noexcept;

// Runs the loop until the keeper reports the end (or dies). A keeper that
// died or failed is reaped; one that reported "finished" is left for the
// caller to reap (KeeperProcess::reap) once it is done with the run.
Outcome supervise(KeeperProcess& keeper, const UniqueFd& channel, OutputMeter& meter,
                  const Watch& watch);

} // namespace wb::sandbox::detail
