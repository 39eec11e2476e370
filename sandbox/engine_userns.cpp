// The userns engine: wbtool is not root, and the kernel lets it have an
// unprivileged user namespace. The keeper maps the caller's ids into a user
// namespace of its own and builds the same private root, the program drops
// its capabilities and loads the same filter; but there is no cgroup (CPU
// time and memory are limited by rlimits and sampling) and no uid of its own
// (outside, the program is the caller). The warning of every run says so.
//
// The kernel may give the user namespace and still refuse what the keeper
// must do in it (AppArmor's restriction, a container's /proc): that run is
// done again with rlimits, and so are all later ones of the process.
#include "sandbox/engine.h"
#include "sandbox/mounts.h"
#include "sandbox/namespaces.h"
#include "sandbox/proc_stats.h"

#include <unistd.h>

#include <cerrno>

namespace wb::sandbox::detail {
namespace {

class UsernsEngine final : public Engine {
  public:
    // The ids the program sees inside; -1 in the policy: the caller's own.
    std::string prepare(const Run& run) override {
        const Policy& policy = run.policy;
        uid_ = policy.uid >= 0 ? policy.uid : static_cast<long>(geteuid());
        gid_ = policy.gid >= 0   ? policy.gid
               : policy.uid >= 0 ? policy.uid
                                 : static_cast<long>(getegid());
        if (auto r = mounts_.build(policy, uid_, gid_); !r) return r.error().message();
        return {};
    }

    // RLIMIT_NPROC counts the tasks of the real uid inside the user
    // namespace, the keeper one of them (before Linux 5.14, all of the
    // caller's, as in the rlimits engine).
    std::uint64_t tasks_already() const override {
        if (nproc_per_user_namespace()) return 1;
        return geteuid() != 0 ? count_tasks_of_user(getuid()) : 0;
    }

    void add_to_plan(ChildPlan& plan) const override {
        add_isolation_to_plan(plan, mounts_.plan(), uid_, gid_);
    }

    std::string start_keeper(Run& run, RunKeeper& k, bool* refused) override {
        return fork_keeper(run, k, uid_, gid_, refused);
    }

    std::string refused_inside(const Outcome& o) override {
        if (o.end != Outcome::End::setup_failed) return {};
        const Step step = o.failure.step;
        if ((step != Step::user_map && step != Step::namespaces && step != Step::mounts) ||
            (o.failure.err != EPERM && o.failure.err != EACCES))
            return {};
        namespaces_refused(Isolation::userns, o.failure.err,
                           step == Step::mounts     ? "mount"
                           : step == Step::user_map ? "uid_map"
                                                    : "setns");
        return "the kernel refused the sandbox's user namespace";
    }

    void add_to_verdict(VerdictInputs& in) override { in.mounts = &mounts_.plan(); }

    std::string warning(const Run&, const Outcome&) const override {
        return "isolation: user namespace only (" + isolation_unavailable_reason() +
               "): namespaces, a private root and the seccomp filter, but no cgroup (CPU "
               "time and memory are limited by rlimits and sampling, which a fast-growing "
               "process tree can outrun) and no uid of its own (the program is uid " +
               std::to_string(geteuid()) + " to the host)";
    }

  private:
    MountPlanner mounts_;
    long uid_ = -1, gid_ = -1;
};

} // namespace

std::unique_ptr<Engine> userns_engine() {
    return std::make_unique<UsernsEngine>();
}

} // namespace wb::sandbox::detail
