// The rlimits engine: no namespaces. The program keeps the caller's uid and
// gets resource limits, no_new_privs and the seccomp filter, where the kernel
// allows an unprivileged one (it goes on without: plan.seccomp_optional), and
// a parent that watches it and kills the tree at its wall-clock limit. For
// a caller that is neither root nor allowed a user namespace, for a policy
// that asks for no isolation, and after the kernel refused the other engines.
// The warning of every run says why, and whether the filter applied.
#include "sandbox/engine.h"
#include "sandbox/proc_stats.h"

#include <unistd.h>

namespace wb::sandbox::detail {
namespace {

class RlimitsEngine final : public Engine {
  public:
    std::string prepare(const Run&) override { return {}; }

    // RLIMIT_NPROC counts every task of the real uid: the caller's others
    // too, so they are added.
    std::uint64_t tasks_already() const override {
        return geteuid() != 0 ? count_tasks_of_user(getuid()) : 0;
    }

    void add_to_plan(ChildPlan& plan) const override { plan.seccomp_optional = true; }

    std::string start_keeper(Run& run, RunKeeper& k, bool* refused) override {
        return fork_keeper(run, k, -1, -1, refused);
    }

    void add_to_verdict(VerdictInputs&) override {}

    std::string warning(const Run& run, const Outcome& outcome) const override {
        std::string w = "isolation: rlimits only (" + why_less_isolation(run.policy.isolate) +
                        "): no namespaces, private root, cgroup or uid of its own; ";
        w += outcome.seccomp_error
                 ? "and no seccomp filter either (" + errno_text(outcome.seccomp_error) + ")"
                 : "the seccomp filter still applies";
        return w;
    }
};

} // namespace

std::unique_ptr<Engine> rlimits_engine() {
    return std::make_unique<RlimitsEngine>();
}

} // namespace wb::sandbox::detail
