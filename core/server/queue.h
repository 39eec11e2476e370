// The job queue as the server sees it: the store's rows (store/jobs.cpp)
// plus what rows cannot do, waiting. A worker's long-poll parks on a
// condition variable of the store lock until a job arrives, a lease
// expires, its wait ends or the server stops. At most `max_waiters` polls
// park at once; the server's thread pool has that many threads on top of
// the ones for users, so idle workers can never starve users. A poll over
// the bound is answered at once ("no job, retry later").
//
// A sweeper thread expires leases on time even when no worker polls, so an
// attempt whose jobs keep dying becomes internal_error without help.
#pragma once

#include "core/job.h"
#include "core/server/db.h"
#include "store/clock.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <optional>
#include <string>
#include <thread>

namespace wb::server {

struct QueueOptions {
    int max_tries = 3;    // leases per job before its attempt is internal_error
    int max_waiters = 32; // parked long-polls
    std::chrono::milliseconds sweep_interval{250};
};

class JobQueue {
  public:
    JobQueue(Db& db, QueueOptions options);
    ~JobQueue();
    JobQueue(const JobQueue&) = delete;
    JobQueue& operator=(const JobQueue&) = delete;

    enum class Poll { leased, empty, busy, stopping };
    struct PollResult {
        Poll status = Poll::empty;
        std::optional<store::Lease> lease;
    };

    // Leases a job for the worker, waiting up to `wait` for one.
    PollResult next(const std::string& worker_id, const core::Capabilities& caps,
                    std::chrono::milliseconds wait);

    // Wakes parked polls: call after enqueueing.
    void notify();
    // Wakes everything and refuses new waits; stops the sweeper.
    void shutdown();
    int waiting() const { return waiters_.load(); }

  private:
    void sweep_locked(std::int64_t now_ms);
    void sweeper();

    Db& db_;
    QueueOptions options_;
    std::condition_variable cv_;
    std::condition_variable sweeper_cv_;
    std::atomic<int> waiters_{0};
    bool stopping_ = false; // guarded by db_.mutex()
    std::thread sweeper_;
};

} // namespace wb::server
