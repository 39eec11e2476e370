// Cgroups: limits and accounting of the whole process tree.
//
// One cgroup per slot and controller, kept between runs: a run that holds a
// sandbox uid (identity.h, unique machine-wide while held) uses the cgroup
// wbtool-slot-<uid>, made by the first run of that slot and reused after,
// since making and removing a memory cgroup costs more than the rest of a
// run's cgroup work together. A reused one must be empty (a run that
// finds a process left in it gets a cgroup of its own); its limits are set
// again for each run, and its counters (CPU time, OOM kills, refused forks)
// are read as differences from their values when the run took it. A run
// without a slot (an explicit Policy::uid) gets wbtool-<pid>-<n>, removed
// at its end. release_prepared() removes the slot cgroups. Either way the
// program joins its cgroup as its first step (by writing "0"
// through a descriptor the parent opened), so everything it starts is inside
// and the keeper is not. On v1 the program writes to `tasks`, which moves the
// one thread it has: the kernel then skips the global threadgroup lock that a
// write to cgroup.procs takes (whose RCU grace period cost a run several ms
// now and then). On v2 it writes to cgroup.procs, and then unshares a cgroup
// namespace, so that it sees its run cgroup as "/".
//
// Where run cgroups go. v1: under the cgroup wbtool runs in, in each of the
// memory, pids and cpuacct hierarchies. v2: a non-root cgroup that holds
// processes cannot delegate controllers to children (the "no internal
// processes" rule), so wbtool's own cgroup can be used only if it already
// delegates memory and pids (the root does, or a delegated subtree).
// Otherwise runs go under a dedicated <root>/wbtool, a cgroup that holds no
// process itself: memory and pids are enabled in the root's
// cgroup.subtree_control (the root is exempt from the rule) and in its own.
// The cpu controller is not needed: cpu.stat's usage_usec is always there.
// A v2 hierarchy without memory or pids (a hybrid host, where they are
// bound to v1, or a container not given them) is still used for what it
// has; the missing limits are left to rlimits and sampling (CgroupLayout).
//
// A wbtool killed with SIGKILL cannot remove its run cgroups. They are named
// wbtool-<pid>-<n>, and the first run in each process sweeps those of pids
// that are gone, while its program starts: whatever is still inside is
// killed, then the directory is removed.
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

#include "sandbox/policy.h"
#include "sandbox/syscall_result.h"
#include "sandbox/unique_fd.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::sandbox::detail {

// Where run cgroups go on this machine, or why none can be used.
struct CgroupLayout {
    bool usable = false;
    bool v2 = false;
    std::string v2_base;                          // v2: the parent of run cgroups
    std::string memory_base, pids_base, cpu_base; // v1
    std::string problem;                          // !usable: why, for the warning
    // v2: whether the hierarchy has the memory and pids controllers. One it
    // lacks (a container is not given it; on a hybrid host, which
    // detection leaves to v1, the unified hierarchy has neither)
    // leaves its limit to rlimits and sampling, as without a cgroup; the
    // cgroup still gives the tree's CPU time, the program's cgroup
    // namespace and the kill of everything left. `partial` says which, for
    // the warning. v1 is usable only with all three controllers.
    bool memory = true, pids = true;
    std::string partial;
    std::vector<std::string> bases() const; // every parent of run cgroups
};

// The file operations detection uses, so that it can be pointed at a fake
// tree in a temporary directory (tests/sandbox/test_cgroups.cpp). The
// defaults are the real calls; each failure leaves errno set.
class CgroupFs {
  public:
    virtual ~CgroupFs() = default;
    virtual std::string read(const std::string& path);
    virtual bool write(const std::string& path, const std::string& text);
    virtual bool make_dir(const std::string& path); // true if made or already there
    virtual bool remove_dir(const std::string& path);
    virtual bool is_dir(const std::string& path);
    virtual bool writable(const std::string& path);
    virtual std::vector<std::string> list(const std::string& dir); // names of subdirectories
};

// The path of our cgroup in /proc/self/cgroup's text: in the v1 hierarchy
// that has `controller`, or in the v2 one ("0::/path") for "".
std::string own_cgroup(std::string_view proc_self_cgroup, std::string_view controller);
// Whether a controller list (cgroup.controllers, cgroup.subtree_control)
// names every one of `names`, as whole words.
bool lists_all(std::string_view list, std::initializer_list<std::string_view> names);
// Detection on a v2 mount at `root` for a process in cgroup `own`, and on v1
// controller mounts under `root`. They write only where the layout needs it
// (subtree_control, the dedicated cgroup).
CgroupLayout detect_v2(CgroupFs& fs, const std::string& root, const std::string& own);
CgroupLayout detect_v1(CgroupFs& fs, const std::string& root, std::string_view proc_self_cgroup);
// Removes the run cgroups (wbtool-<pid>-<n>) under `bases` whose pid is not
// alive, killing what is left in them first. Returns how many it removed.
std::size_t sweep_stale_cgroups(CgroupFs& fs, const std::vector<std::string>& bases,
                                const std::function<bool(long pid)>& alive);
// The machine's layout, detected once per process.
const CgroupLayout& cgroup_layout();
// The first call in a process sweeps the layout's stale run cgroups
// (sweep_stale_cgroups); a run calls it once its program is on its way,
// off the path to the program's start, where it cost 0.03 ms.
void sweep_stale_cgroups_once();
// Makes `layout` the process's layout instead of detecting one: for a test
// that points runs at a real cgroup2 mount that is not /sys/fs/cgroup (a
// hybrid host's /sys/fs/cgroup/unified, which detection never picks). Its
// stale run cgroups are swept as detection's are. Only before the first
// cgroup_layout(); false after it.
bool use_cgroup_layout(CgroupLayout layout);
// Removes the slot cgroups (wbtool-slot-*) that are empty; "" or what failed.
std::string remove_slot_cgroups();

struct CgroupStats {
    double cpu_s = 0;              // the tree's CPU time
    std::uint64_t oom_kills = 0;   // processes the OOM killer took
    std::uint64_t pids_denied = 0; // forks refused by pids.max (v2 pids.events)
};

class Cgroup {
  public:
    // The cgroup for one run, limits set; nullopt when cgroups cannot be
    // used on this machine (an error only for a failure after detection).
    // `slot` >= 0: the slot's kept cgroup (see above), else one of its own.
    static SysResult<std::optional<Cgroup>> create(const Limits& limits, long slot = -1);

    Cgroup(Cgroup&&) noexcept = default;
    Cgroup& operator=(Cgroup&&) noexcept = default;
    Cgroup(const Cgroup&) = delete;
    Cgroup& operator=(const Cgroup&) = delete;
    ~Cgroup(); // kills what is left inside, removes the directories (a slot's stay)
    // A slot's cgroup: kills what is left inside; false if something would
    // not leave (stuck in the kernel), when the slot must not be used again.
    bool empty_kept() noexcept;

    bool v2() const noexcept { return v2_; }
    // Descriptors the program writes "0" to (one per hierarchy) to join.
    const std::vector<int>& join_fds() const noexcept { return join_raw_; }
    // Closes the join descriptors (after the fork).
    void close_join_fds() noexcept;
    // Live CPU time of the tree in seconds since the run took the cgroup
    // (-1 if unreadable).
    double cpu_seconds() const noexcept;
    CgroupStats stats() const;

  private:
    Cgroup() = default;
    // The steps of create() (cgroups.cpp).
    struct Making;
    SysResult<std::string> make(Making& m, const std::string& base);
    SysResult<void> set(Making& m, const std::string& path, const std::string& value);
    SysResult<void> check_leftover(Making& m, const std::string& usage_file);
    SysResult<void> build_v2(Making& m);
    SysResult<void> build_v1(Making& m);
    double raw_cpu_seconds() const noexcept;
    CgroupStats raw_stats() const;
    bool v2_ = false;
    bool kept_ = false; // a slot's: emptied, not removed, at the end
    CgroupStats start_; // the counters when the run took it
    std::vector<std::string> dirs_;
    std::vector<UniqueFd> join_;
    std::vector<int> join_raw_;
    UniqueFd cpu_;
    std::string memory_dir_, pids_dir_;
};

} // namespace wb::sandbox::detail
