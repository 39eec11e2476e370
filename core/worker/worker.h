// `wbtool worker`: an execution node. It registers with a server, heartbeats,
// long-polls for jobs that match what it can run, grades each with the same
// pipeline as `wbtool grade --local` (core::grade), and posts the report.
//
// Nothing is lost on the way:
//  - a report is written to the cache's outbox before it is posted and
//    removed only when the server has answered for it (recorded, already
//    recorded, or no longer wanted), so a worker killed, a server restarted
//    or a network cut delivers it later, and the server records it once;
//  - a job whose worker dies is not lost either: its lease runs out and the
//    server hands it to another worker.
//
// Slots follow the queue (the design notes' load-balancer rule): another
// slot opens when the queue holds five jobs per busy slot, up to
// max_slots; a slot idle for `idle_close` closes, down to `slots`. Each
// slot grades one job at a time in its own sandboxes (the sandbox gives
// every run its own uid and cgroup), sharing one compile cache.
//
// drain() (the first SIGTERM) stops taking jobs: running ones finish, their
// reports are delivered, and the worker unregisters. stop() (the second)
// returns at once; the jobs it held come back when their leases run out.
#pragma once

#include "core/server/auth.h"
#include "sandbox/policy.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace wb::worker {

struct WorkerOptions {
    std::string server; // base URL, http:// or https://
    server::Key key{};  // the server's worker key
    std::string name;   // the worker's id (the name rule: core/names.h)
    int slots = 1;      // always open
    int max_slots = 1;  // open while the queue is long
    std::filesystem::path cache_dir;
    sandbox::Isolation min_isolation = sandbox::Isolation::full;
    std::chrono::milliseconds heartbeat{10000};
    std::chrono::milliseconds idle_close{60000};
    std::chrono::milliseconds poll_wait{20000}; // a long-poll's wait at the server
    // How often a worker with a GPU runs `wbtool gpu-check` again after the
    // check at its start (0: only then). While it fails, the worker reports
    // the GPU unhealthy and the server gives it no CUDA job.
    std::chrono::seconds gpu_check_interval{300};
    std::string version; // wbtool's, sent when registering
    // Where its log lines go (also sent with the next heartbeat).
    std::function<void(const std::string&)> log;
};

class Worker {
  public:
    explicit Worker(WorkerOptions options);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Registers, delivers reports left from an earlier run, then works until
    // drained or stopped. Throws NetworkError (exit 3) naming the URL when
    // the server cannot be reached to register, and the sandbox's
    // `refused:` line (InternalError, exit 4) when this machine cannot give
    // the isolation required.
    int run();

    void drain(); // safe from any thread
    void stop();  // safe from any thread

  private:
    struct State;
    std::unique_ptr<State> s_;
};

// `wbtool worker`: runs a worker with SIGTERM and SIGINT as its controls.
// The first drains it (run() returns when its jobs are delivered); a
// second ends the process at once with 128 + the signal: its sandboxes die
// with it, and the jobs they held come back when their leases run out.
int run_until_signalled(WorkerOptions options);

// The worker's name by default: the host name, in the name rule.
std::string default_name();

} // namespace wb::worker
