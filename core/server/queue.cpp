// The job queue's waiting side (see queue.h).
#include "core/server/queue.h"

#include "core/server/auth.h"

#include <fmt/format.h>

namespace wb::server {

JobQueue::JobQueue(Db& db, QueueOptions options) : db_(db), options_(options) {
    sweeper_ = std::thread([this] { sweeper(); });
}

JobQueue::~JobQueue() {
    shutdown();
}

void JobQueue::sweep_locked(std::int64_t now_ms) {
    const auto out = db_.stores().submissions.expire_leases(now_ms, options_.max_tries);
    for (auto id : out.requeued)
        fmt::print(stderr, "wbtool serve: job {} requeued: its lease ran out\n", id);
    for (auto id : out.failed) {
        fmt::print(stderr, "wbtool serve: job {} failed: its lease ran out {} times\n", id,
                   options_.max_tries);
    }
    if (!out.requeued.empty()) cv_.notify_all();
}

void JobQueue::sweeper() {
    std::unique_lock lock(db_.mutex());
    while (!stopping_) {
        try {
            sweep_locked(store::now_ms());
        } catch (const std::exception& e) {
            fmt::print(stderr, "wbtool serve: lease sweep failed: {}\n", e.what());
        }
        sweeper_cv_.wait_for(lock, options_.sweep_interval);
    }
}

JobQueue::PollResult JobQueue::next(const std::string& worker_id, const core::Capabilities& caps,
                                    std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    const auto toolchains = nlohmann::json(caps.toolchains).dump();
    std::unique_lock lock(db_.mutex());
    bool parked = false;
    for (;;) {
        if (stopping_) {
            if (parked) --waiters_;
            return {Poll::stopping, std::nullopt};
        }
        const auto now = store::now_ms();
        sweep_locked(now);
        auto lease = db_.stores().submissions.lease_next(worker_id, caps.gpu, toolchains,
                                                         random_hex(16), now);
        if (lease) {
            if (parked) --waiters_;
            return {Poll::leased, std::move(lease)};
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
        if (!parked) {
            if (waiters_.load() >= options_.max_waiters) return {Poll::busy, std::nullopt};
            ++waiters_;
            parked = true;
        }
        cv_.wait_until(lock, deadline);
    }
    if (parked) --waiters_;
    return {Poll::empty, std::nullopt};
}

void JobQueue::notify() {
    cv_.notify_all();
}

void JobQueue::shutdown() {
    {
        std::lock_guard lock(db_.mutex());
        stopping_ = true;
    }
    cv_.notify_all();
    sweeper_cv_.notify_all();
    if (sweeper_.joinable()) sweeper_.join();
}

} // namespace wb::server
