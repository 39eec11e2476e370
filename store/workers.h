// Workers: registrations, heartbeats and their recent log lines. One of the
// store's narrow interfaces (see catalog.h); throws store::Error. The
// capabilities and status are core's JSON (core/job.h); the store
// only files them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wb::store {

struct WorkerRow {
    std::string id;
    std::string capabilities; // JSON text
    std::string status;       // JSON text of the last heartbeat
    bool gpu_ok = true;
    std::string registered_at;
    std::int64_t last_seen_ms = 0;
    int leased = 0;     // jobs it holds now
    bool drain = false; // an admin asked it to drain: it leases no new job
};

class Workers {
  public:
    virtual ~Workers() = default;

    // A new row, or the same id again: new capabilities, the last status
    // forgotten and any drain request cleared (a worker that restarts has
    // started afresh).
    virtual void register_worker(const std::string& id, const std::string& capabilities_json,
                                 std::int64_t now_ms) = 0;
    // False when the worker is not registered.
    virtual bool worker_heartbeat(const std::string& id, const std::string& status_json,
                                  bool gpu_ok, std::int64_t now_ms) = 0;
    virtual bool touch_worker(const std::string& id, std::int64_t now_ms) = 0;
    virtual std::optional<WorkerRow> worker(const std::string& id) = 0;
    virtual std::vector<WorkerRow> workers() = 0;
    virtual bool delete_worker(const std::string& id) = 0;
    // The worker leaves: in one transaction every job it holds goes back to
    // the queue (its attempt queued again) and its row is deleted. The ids
    // of the jobs requeued; nothing when it was not registered.
    virtual std::optional<std::vector<std::int64_t>> unregister_worker(const std::string& id) = 0;
    // Sets the drain flag; false when the worker is not registered.
    virtual bool drain_worker(const std::string& id) = 0;
    virtual void add_worker_log(const std::string& id, const std::vector<std::string>& lines,
                                int keep) = 0;
    // (at, line), newest last.
    virtual std::vector<std::pair<std::string, std::string>> worker_log(const std::string& id,
                                                                        int limit) = 0;
};

} // namespace wb::store
