// The steps every isolation engine shares (engine.h): the filter, a keeper
// forked for the run and handed its plan, the isolated part of the plan, and
// why a run has less than full isolation. Written once, here, so that the
// engines differ only where the kernel makes them differ.
#include "sandbox/engine.h"

#include "sandbox/mounts.h"
#include "sandbox/namespaces.h"

#include <unistd.h>

namespace wb::sandbox::detail {

SysResult<SeccompProgram> filter_for(const Run& run, char* const* argv) {
    return SeccompProgram::for_run(run.policy.profile, argv, run.isolation != Isolation::rlimits);
}

std::string fork_keeper(Run& run, RunKeeper& k, long uid, long gid, bool* refused) {
    const bool isolated = run.isolation != Isolation::rlimits;
    auto f = filter_for(run, run.exec.argv());
    if (!f) return f.error().message();
    k.filter = std::move(f.value());
    run.plan.seccomp = k.filter.fprog();
    auto channel = make_channel(isolated);
    if (!channel) return channel.error().message();
    k.channel = std::move(channel.value().first);
    UniqueFd theirs = std::move(channel.value().second);
    run.watch.started = monotonic_seconds();
    auto spawned =
        spawn_keeper(keeper_setup_for(run.isolation, theirs.get(), uid, gid, run.plan.mounts));
    if (!spawned) {
        if (isolated && namespace_refusal(spawned.error().err)) {
            namespaces_refused(run.isolation, spawned.error().err);
            *refused = true;
        }
        return spawned.error().message();
    }
    k.keeper = std::move(spawned.value());
    if (int e = send_plan(k.channel.get(), &run.plan, run.plan))
        return "cannot hand the sandbox keeper its plan: " + errno_text(e);
    return {};
}

void add_isolation_to_plan(ChildPlan& plan, const MountPlan& root, long uid, long gid) {
    plan.mounts = &root;
    plan.uid = uid;
    plan.gid = gid;
}

std::string why_less_isolation(bool isolate) {
    if (!isolate) return "isolation was not asked for";
    std::string why = isolation_unavailable_reason();
    if (std::string u = userns_unavailable_reason(); geteuid() != 0 && !u.empty())
        why += ", and " + u;
    return why;
}

} // namespace wb::sandbox::detail
