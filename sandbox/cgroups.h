// Cgroups: limits and accounting of the whole process tree.
//
// One cgroup per run (per controller on v1), created by the parent under the
// cgroup wbtool itself runs in, and removed at the end; the program joins it
// as its first step (by writing "0" to cgroup.procs through a descriptor the
// parent opened), so everything it starts is inside and the keeper is not.
//
//   memory   v2 memory.max (+ memory.swap.max 0); v1 memory.limit_in_bytes
//            (+ memory.memsw.limit_in_bytes where swap is accounted). The
//            kernel's OOM killer then kills inside the cgroup only, and
//            oom_kill in memory.events / memory.oom_control says so: a
//            memory_limit verdict that needs no guessing. The peak is
//            memory.peak / memory.max_usage_in_bytes.
//   pids     pids.max: processes and threads of the tree together.
//   cpu      v2 cpu.stat usage_usec; v1 cpuacct.usage (ns): the CPU time of
//            the live tree, read by the parent each tick.
//
// Both hierarchies are supported and chosen at run time: v2 when
// /sys/fs/cgroup is a cgroup2 mount, else the v1 controllers (this machine
// kind mounts them). When neither can be used (no permission, controllers
// missing or not delegated) runs go on without cgroups: the parent watches
// /proc, as the rlimits engine does.
#pragma once

#include "sandbox/sandbox.h"
#include "sandbox/syscall_result.h"
#include "sandbox/unique_fd.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb::sandbox::detail {

struct CgroupStats {
    double cpu_s = 0;              // the tree's CPU time
    std::uint64_t oom_kills = 0;   // processes the OOM killer took
    std::uint64_t pids_denied = 0; // forks refused by pids.max (v2 pids.events)
};

class Cgroup {
  public:
    // The cgroup for one run, limits set; nullopt when cgroups cannot be
    // used on this machine (an error only for a failure after detection).
    static SysResult<std::optional<Cgroup>> create(const Limits &limits);

    Cgroup(Cgroup &&) noexcept = default;
    Cgroup &operator=(Cgroup &&) noexcept = default;
    Cgroup(const Cgroup &) = delete;
    Cgroup &operator=(const Cgroup &) = delete;
    ~Cgroup(); // kills what is left inside, removes the directories

    bool v2() const noexcept { return v2_; }
    // Descriptors of cgroup.procs (one per hierarchy) for the program.
    const std::vector<int> &join_fds() const noexcept { return join_raw_; }
    // Closes the join descriptors (after the fork).
    void close_join_fds() noexcept;
    // Live CPU time of the tree in seconds (-1 if unreadable).
    double cpu_seconds() const noexcept;
    CgroupStats stats() const;

  private:
    Cgroup() = default;
    bool v2_ = false;
    std::vector<std::string> dirs_;
    std::vector<UniqueFd> join_;
    std::vector<int> join_raw_;
    UniqueFd cpu_;
    std::string memory_dir_, pids_dir_;
};

} // namespace wb::sandbox::detail
