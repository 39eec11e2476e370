// The full engine: wbtool is root. The program gets a uid of its own from the
// pool (identity.h), the work directory is given to it, the keeper builds a
// private root in new namespaces (namespaces.h, mounts.h), and the program
// joins a cgroup that holds the run's memory, process and CPU limits
// (cgroups.h). A keeper made ahead (spares.h) saves the run most of the
// root's cost; the run's cgroup is made while the keeper builds the rest.
//
// Full counts as full only with the cgroup's memory and pids limits; the
// warning says what a missing cgroup or controller leaves to sampling.
#include "sandbox/cgroups.h"
#include "sandbox/engine.h"
#include "sandbox/identity.h"
#include "sandbox/mounts.h"
#include "sandbox/spares.h"

#include <sys/stat.h>

#include <cerrno>
#include <optional>

namespace wb::sandbox::detail {
namespace {

class FullEngine final : public Engine {
  public:
    std::string prepare(const Run& run) override {
        const Policy& policy = run.policy;
        if (std::string problem = take_ids(policy); !problem.empty()) return problem;
        if (!policy.workdir.empty() && chown(policy.workdir.c_str(), static_cast<uid_t>(uid_),
                                             static_cast<gid_t>(gid_)) != 0) {
            int e = errno;
            return "cannot give the work directory '" + run.workdir +
                   "' to the sandbox user: " + errno_text(e);
        }
        // A keeper made ahead (spares.h) has the base of the root resolved
        // and mounted; without one, the next are made with this run's.
        spare_ = take_spare(policy.system_binds);
        if (auto r = mounts_.build(policy, uid_, gid_, spare_ ? spare_->base : nullptr); !r)
            return r.error().message();
        if (!spare_) offer_base(policy.system_binds, mounts_.plan());
        // The cgroup is made once the keeper has its plan (P6b); whether
        // this machine's can be used is found out then too.
        return {};
    }

    std::uint64_t tasks_already() const override { return 0; }

    void add_to_plan(ChildPlan& plan) const override {
        add_isolation_to_plan(plan, mounts_.plan(), uid_, gid_);
        plan.cgroup_follows = true;
    }

    std::string start_keeper(Run& run, RunKeeper& k, bool* refused) override {
        if (spare_) {
            if (std::string problem = hand_to_spare(run, k); !problem.empty()) return problem;
        }
        if (k.keeper.pid() >= 0) return {};
        return fork_keeper(run, k, uid_, gid_, refused);
    }

    // P6b. The run's cgroup (a slot's, kept from its last run), made while
    //      the keeper builds the root, and sent to it; the program joins it
    //      first thing (C2b).
    std::string keeper_has_plan(Run& run, RunKeeper& k) override {
        auto cg = Cgroup::create(run.policy.limits, lease_ ? lease_->uid() : -1);
        if (!cg) return cg.error().message();
        cgroup_ = std::move(cg.value());
        const std::vector<int> none;
        const std::vector<int>& fds = cgroup_ ? cgroup_->join_fds() : none;
        if (int e = send_cgroup(k.channel.get(), fds.data(), fds.size(), cgroup_ && cgroup_->v2()))
            return "cannot hand the sandbox keeper its cgroup: " + errno_text(e);
        if (cgroup_) {
            if (cgroup_layout().memory) run.watch.memory_kib = 0; // the kernel enforces it
            run.watch.cgroup = &*cgroup_;
        }
        sweep_stale_cgroups_once();
        return {};
    }

    void close_program_fds() noexcept override {
        if (cgroup_) cgroup_->close_join_fds();
    }

    // The cgroup's figures are read before it is removed (end()).
    void add_to_verdict(VerdictInputs& in) override {
        in.mounts = &mounts_.plan();
        in.no_cgroup = !cgroup_;
        in.cgroup_memory = cgroup_ && cgroup_layout().memory;
        if (cgroup_) stats_ = cgroup_->stats();
        in.cgroup = stats_ ? &*stats_ : nullptr;
    }

    std::string warning(const Run& run, const Outcome&) const override {
        const CgroupLayout& l = cgroup_layout();
        if (!cgroup_)
            return "no cgroup (" + l.problem +
                   "): CPU time and memory are limited by sampling, which a fast-growing "
                   "process tree can outrun";
        if (l.memory && l.pids) return {};
        // What the missing controllers leave to sampling and rlimits, of the
        // limits this run has.
        const Limits& lim = run.policy.limits;
        std::string left;
        if (!l.memory && lim.memory_kib > 0)
            left = "memory is limited by sampling, which a fast-growing process tree can outrun";
        if (!l.pids && lim.processes > 0)
            left += std::string(left.empty() ? "" : "; ") +
                    "processes and threads are limited by RLIMIT_NPROC of the run's uid only";
        return left.empty() ? std::string() : l.partial + ": " + left;
    }

    // The cgroup removed (a slot's emptied); if a process of the run would
    // not die, its uid is not handed out again by this process.
    void end() override {
        if (cgroup_ && lease_ && !cgroup_->empty_kept()) lease_->keep_for_process();
        cgroup_.reset();
    }

  private:
    // The policy's uid, or the lowest free one of the pool.
    std::string take_ids(const Policy& policy) {
        uid_ = policy.uid;
        gid_ = policy.gid >= 0 ? policy.gid : policy.uid;
        if (uid_ >= 0) return {};
        auto l = UidLease::acquire(policy.uid_pool_first, policy.uid_pool_size);
        if (!l) return l.error().message();
        lease_ = std::move(l.value());
        uid_ = lease_->uid();
        gid_ = policy.gid >= 0 ? policy.gid : uid_;
        return {};
    }

    // The plan copied into the spare's arena and sent to it. A plan too
    // large for its arena, or a spare gone (killed from outside since it
    // was taken), leaves k without a keeper: the spare is ended, and one
    // forked as without.
    std::string hand_to_spare(Run& run, RunKeeper& k) {
        ChildPlan* copy = copy_child_plan(run.plan, spare_->arena);
        auto f = filter_for(run, copy ? copy->argv : run.exec.argv());
        if (!f) return f.error().message();
        if (copy) copy->seccomp = copy_filter(*f.value().fprog(), spare_->arena);
        run.watch.started = monotonic_seconds();
        if (copy && copy->seccomp && send_plan(spare_->channel.get(), copy, run.plan) == 0) {
            k.keeper = std::move(spare_->keeper);
            k.channel = std::move(spare_->channel);
            k.arena = std::move(spare_->arena);
            note_spare_used();
        }
        spare_.reset();
        return {};
    }

    std::optional<UidLease> lease_;
    MountPlanner mounts_;
    std::optional<Spare> spare_;
    std::optional<Cgroup> cgroup_;
    std::optional<CgroupStats> stats_;
    long uid_ = -1, gid_ = -1;
};

} // namespace

std::unique_ptr<Engine> full_engine() {
    return std::make_unique<FullEngine>();
}

} // namespace wb::sandbox::detail
