// Spares: the pool of keepers made ahead and the thread that makes them.
// See spares.h.
#include "sandbox/spares.h"

#include "sandbox/fds.h"
#include "sandbox/mounts.h"
#include "sandbox/supervise.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace wb::sandbox::detail {
namespace {

// Room for the base, and then a run's plan: its argv and environment, the
// filter, the mount plan. A plan that does not fit gets a keeper of its own.
constexpr std::size_t spare_arena_bytes = 1 << 20;

// How long a new keeper may take to say it is ready.
constexpr int ready_timeout_ms = 5000;

// A run that takes a spare while the next is being made waits this long for
// it; the next spare is made this long into a run that took one, if the run
// has not ended by then.
constexpr double wait_for_making_s = 0.005;
constexpr double make_during_s = 0.002;

// After a spare could not be made (fork refused, a mount that failed), runs
// make their own keepers for this long before the next try.
constexpr double retry_after_s = 1.0;

// A keeper started for the next run of the thread that started it, and
// the system binds it is for. Only that thread's runs take it: its
// parent-death signal comes when that thread ends, not the process; a
// thread that ends without a run ends it with itself.
struct Early {
    std::vector<Bind> key;
    Spare spare;
};
thread_local std::optional<Early> early;

struct Pool {
    std::mutex m;
    std::condition_variable wake; // the maker: something to do
    std::condition_variable idle; // the maker finished something
    int wanted = 0;
    bool thread_started = false;
    bool busy = false;   // making a spare, or ending keepers
    bool making = false; // making a spare
    double taken_at = 0; // a run took a spare then and goes on (0: none)
    std::vector<Spare> ready;
    std::vector<Spare> discard;          // to end, off the callers' path
    std::vector<KeeperProcess> finished; // to reap: their runs are over
    // The system binds the spares are for, and the base they get (a
    // private copy), with its generation: a spare made for an older one is
    // not used.
    std::vector<Bind> key;
    std::shared_ptr<PlanArena> base_arena;
    const MountPlan* base = nullptr;
    std::uint64_t generation = 0;
    // The last spare for this base failed: none is made again for a while
    // (retry_after_s), or until another base.
    bool failing = false;
    double failed_at = 0;
    bool make_next = false; // a run ended: make the next now
    std::uint64_t taken = 0;
    int runs_left = -1; // runs that may still take a spare (limit_ahead); -1: no limit
};

Pool& pool() {
    static Pool* p = new Pool; // never destroyed: the thread may outlive main
    return *p;
}

// A keeper cloned for `base`, which it mounts and then waits for its plan;
// with `announce`, it says when it has mounted the base (or that it failed).
std::optional<Spare> spawn_spare(const MountPlan& base, bool announce) {
    auto arena = PlanArena::create(spare_arena_bytes, true);
    if (!arena) return std::nullopt;
    const MountPlan* copy = copy_mount_plan(base, arena.value(), true);
    if (!copy) return std::nullopt;
    auto channel = make_channel(true);
    if (!channel) return std::nullopt;
    KeeperSetup setup =
        keeper_setup_for(Isolation::full, channel.value().second.get(), -1, -1, copy);
    setup.base = copy;
    setup.announce_ready = announce;
    auto keeper = spawn_keeper(setup);
    channel.value().second.reset();
    if (!keeper) return std::nullopt;
    return Spare{std::move(keeper.value()), std::move(channel.value().first),
                 std::move(arena.value()), copy, monotonic_seconds()};
}

// A keeper made for `base`, prepared and waiting for its plan.
std::optional<Spare> make_spare(const MountPlan& base) {
    std::optional<Spare> made = spawn_spare(base, true);
    if (!made) return std::nullopt;
    Spare& s = *made;
    // Ready, or it failed (the message says why, but nobody waits for it:
    // the runs make their own keepers and report what fails there).
    pollfd p{s.channel.get(), POLLIN, 0};
    if (poll(&p, 1, ready_timeout_ms) != 1) return std::nullopt;
    KeeperMessage m;
    if (recv(s.channel.get(), &m, sizeof m, MSG_DONTWAIT) != static_cast<long>(sizeof m) ||
        m.kind != KeeperMessage::ready)
        return std::nullopt;
    return made;
}

// Whether the spare is still waiting: its keeper alive, nothing on its channel.
bool waiting(const Spare& s) {
    pollfd p[2] = {{s.channel.get(), POLLIN, 0}, {s.keeper.pidfd(), POLLIN, 0}};
    return poll(p, s.keeper.pidfd() >= 0 ? 2 : 1, 0) == 0;
}

bool all_made(const Pool& p) {
    const int ready = static_cast<int>(p.ready.size());
    return p.wanted <= ready || (p.runs_left >= 0 && p.runs_left <= ready) || !p.base || p.failing;
}

void maker() {
    Pool& p = pool();
    std::unique_lock lock(p.m);
    auto work = [&] {
        return !p.discard.empty() || !p.finished.empty() || (p.make_next && !all_made(p));
    };
    for (;;) {
        if (!work()) {
            if (p.taken_at > 0 && !all_made(p)) {
                // A run that goes on for make_during_s gets its successor
                // made meanwhile (a short one, once it ends: run_ended).
                const double left = p.taken_at + make_during_s - monotonic_seconds();
                if (left > 0 && !p.wake.wait_for(lock, std::chrono::duration<double>(left), work))
                    p.make_next = p.taken_at > 0;
                else if (left <= 0)
                    p.make_next = true;
            } else {
                p.wake.wait(lock, [&] { return work() || (p.taken_at > 0 && !all_made(p)); });
            }
            continue;
        }
        if (!p.discard.empty() || !p.finished.empty()) {
            std::vector<Spare> ending = std::move(p.discard);
            std::vector<KeeperProcess> done = std::move(p.finished);
            p.discard.clear();
            p.finished.clear();
            p.busy = true;
            lock.unlock();
            for (KeeperProcess& k : done)
                k.reap(); // it is exiting on its own (keeper.cpp, K6)
            done.clear();
            ending.clear(); // each keeper killed and reaped
            lock.lock();
            p.busy = false;
            p.idle.notify_all();
            continue;
        }
        p.make_next = false;
        p.taken_at = 0;
        std::shared_ptr<PlanArena> keep_base = p.base_arena;
        const MountPlan* base = p.base;
        const std::uint64_t generation = p.generation;
        p.busy = p.making = true;
        lock.unlock();
        std::optional<Spare> s = make_spare(*base);
        lock.lock();
        p.busy = p.making = false;
        if (!s) {
            if (generation == p.generation) {
                p.failing = true;
                p.failed_at = monotonic_seconds();
            }
        } else if (generation != p.generation || p.wanted <= static_cast<int>(p.ready.size())) {
            p.discard.push_back(std::move(*s));
        } else {
            p.ready.push_back(std::move(*s));
            // (A run that ended meanwhile asked for this one.)
            p.make_next = !all_made(p);
        }
        p.idle.notify_all();
    }
}

} // namespace

std::optional<Spare> take_spare(const std::vector<Bind>& system_binds) {
    Pool& p = pool();
    // This thread's early keeper; not taken, it is ended on the way out, unlocked.
    std::optional<Early> mine = std::exchange(early, std::nullopt);
    std::unique_lock lock(p.m);
    // A run starts, whether or not it finds a spare: one fewer is left.
    if (p.runs_left > 0) --p.runs_left;
    if (mine && mine->key == system_binds &&
        monotonic_seconds() - mine->spare.made_at < max_spare_age_s && waiting(mine->spare))
        return std::move(mine->spare);
    if (p.wanted == 0 || !p.base || p.key != system_binds) return std::nullopt;
    // One being made is ready sooner than one made for this run would be.
    if (p.ready.empty() && p.making)
        p.idle.wait_for(lock, std::chrono::duration<double>(wait_for_making_s),
                        [&] { return !p.making; });
    std::optional<Spare> out;
    const double now = monotonic_seconds();
    while (!out && !p.ready.empty()) {
        Spare s = std::move(p.ready.back());
        p.ready.pop_back();
        if (now - s.made_at < max_spare_age_s && waiting(s))
            out = std::move(s);
        else
            p.discard.push_back(std::move(s));
    }
    if (out) {
        // The next one is made once this run is over (run_ended), or when
        // it has gone on for make_during_s: made at once, it would take the
        // CPU from this run's start.
        p.taken_at = monotonic_seconds();
    }
    p.wake.notify_one();
    return out;
}

void start_early(const Policy& policy) {
    // The run's whole plan, for the kept root of its job (its top
    // directories: mounts.h); the keeper takes the base of it. A job that
    // cannot be planned (a bind's source missing) is the run's to report,
    // and its base is still of use.
    MountPlanner whole, base;
    MountPlanner* planner = &whole;
    if (!whole.build(policy, -1, -1)) {
        if (!base.build_base(policy)) return; // the run says what is wrong
        planner = &base;
    }
    std::optional<Spare> made = spawn_spare(planner->plan(), false);
    if (!made) return;                                    // the same: the run's own keeper
    early = Early{policy.system_binds, std::move(*made)}; // one left before is ended
}

void end_early() {
    early.reset();
}

void offer_base(const std::vector<Bind>& system_binds, const MountPlan& plan) {
    Pool& p = pool();
    std::lock_guard lock(p.m);
    if (p.wanted == 0 || (p.base && p.key == system_binds && same_base(*p.base, plan))) return;
    auto arena = PlanArena::create(spare_arena_bytes, false);
    const MountPlan* copy = arena ? copy_mount_plan(plan, arena.value(), true) : nullptr;
    if (!copy) return;
    p.key = system_binds;
    p.base_arena = std::make_shared<PlanArena>(std::move(arena.value()));
    p.base = copy;
    ++p.generation;
    p.failing = false;
    for (Spare& s : p.ready)
        p.discard.push_back(std::move(s));
    p.ready.clear();
}

void run_ended(KeeperProcess keeper) {
    Pool& p = pool();
    {
        std::lock_guard lock(p.m);
        if (p.wanted > 0) {
            if (p.failing && monotonic_seconds() - p.failed_at > retry_after_s) p.failing = false;
            // Its program was reaped (the keeper's report says so): no group
            // to kill, and the pid may not be the program's any more.
            keeper.set_program(-1);
            p.finished.push_back(std::move(keeper));
            p.make_next = !all_made(p);
            p.wake.notify_one();
            return;
        }
    }
    keeper.reap();
}

bool wait_for_spares(double timeout_s) {
    Pool& p = pool();
    std::unique_lock lock(p.m);
    auto settled = [&] {
        return !p.busy && p.discard.empty() && p.finished.empty() && all_made(p);
    };
    return p.idle.wait_for(lock, std::chrono::duration<double>(timeout_s), settled);
}

void note_spare_used() {
    Pool& p = pool();
    std::lock_guard lock(p.m);
    ++p.taken;
}

std::uint64_t spares_taken() {
    Pool& p = pool();
    std::lock_guard lock(p.m);
    return p.taken;
}

int spare_count() {
    Pool& p = pool();
    std::lock_guard lock(p.m);
    return p.wanted;
}

void set_spare_count(int count) {
    Pool& p = pool();
    std::vector<Spare> ending;
    {
        std::unique_lock lock(p.m);
        p.wanted = count > 0 ? count : 0;
        p.runs_left = -1;
        if (p.wanted > 0 && !p.thread_started) {
            std::thread(maker).detach();
            p.thread_started = true;
        }
        if (p.wanted > 0) {
            p.make_next = true;
        } else {
            // Every keeper gone before this returns: the thread's, then the rest.
            p.wake.notify_one();
            p.idle.wait(lock, [&] { return !p.busy && p.finished.empty(); });
            ending = std::move(p.ready);
            p.ready.clear();
            for (Spare& s : p.discard)
                ending.push_back(std::move(s));
            p.discard.clear();
        }
        p.wake.notify_one();
    }
    ending.clear(); // killed and reaped here
}

void set_runs_left(int runs) {
    Pool& p = pool();
    std::lock_guard lock(p.m);
    p.runs_left = runs < 0 ? -1 : runs;
    p.wake.notify_one();
}

} // namespace wb::sandbox::detail
