// The server's tables (migration 2): users, sessions, saved programs,
// attempts, the job queue and workers. SQL only, like the rest of store/:
// secrets arrive already hashed (core/server/auth.h) and are only compared
// as strings here.
//
// A ServerStore is a second connection to the database a Store has opened
// and migrated, so the MP tables (Store) and these stay in separate files
// and the Store's interface stays unchanged. One ServerStore is not safe to
// use from two threads at once: the server serialises calls with a mutex.
//
// The job queue lives in rows, not in memory: an attempt and its job are
// inserted in one transaction, a lease is a row update with a token and an
// expiry, and a result is accepted by a conditional update on that token,
// so a restart of the server loses nothing and a result counts once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace wb::store {

class Store;

struct UserRow {
    std::int64_t id = 0;
    std::string name;
    std::string role; // student | ta | admin
    std::string password_hash;
    std::string created_at;
};

struct SavedProgram {
    std::string text;
    std::string saved_at;
};

// What a submission or a grade request puts in the queue.
struct NewAttempt {
    std::int64_t user_id = 0;
    std::string mp_id;
    int mp_version = 0;
    std::string kind;           // submit | grade
    std::optional<int> dataset; // nothing: every dataset
    std::string program_name;
    std::string program_text;
    std::string program_hash;
    std::string toolchain;
    bool needs_gpu = false;
    double lease_seconds = 60;
};

struct AttemptRow {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string user_name;
    std::string mp_id;
    int mp_version = 0;
    std::string kind;
    std::optional<int> dataset;
    std::string program_name;
    std::string program_hash;
    std::string state;   // queued | running | done
    std::string verdict; // empty until done
    std::string message;
    int correct = 0;
    int total = 0;
    std::string created_at;
    std::string finished_at;
    // Only filled by attempt(id):
    std::string program_text;
    std::string report; // the worker's report JSON, empty until done
};

struct JobRow {
    std::int64_t id = 0;
    std::int64_t attempt_id = 0;
    std::string toolchain;
    bool needs_gpu = false;
    double lease_seconds = 0;
    std::string state; // queued | leased | done
    int tries = 0;     // leases handed out so far
    std::string worker_id;
    std::string lease_token;
    std::int64_t lease_expires_ms = 0;
    std::string last_error;
};

struct Lease {
    JobRow job;
    AttemptRow attempt; // with program_text
};

// What the worker reports for a job.
struct JobResult {
    std::string verdict;
    std::string message;
    int correct = 0;
    int total = 0;
    std::string report; // JSON text
};

enum class FinishOutcome {
    accepted,   // recorded now
    duplicate,  // the same lease already delivered this result: nothing changed
    lease_lost, // the token is not the current lease (expired, requeued, other worker)
    not_found,
};

struct ExpiryOutcome {
    std::vector<std::int64_t> requeued; // job ids back in the queue
    std::vector<std::int64_t> failed;   // job ids whose attempt is now internal_error
};

struct GradeRow {
    std::string user;
    std::string mp_id;
    std::int64_t attempt_id = 0; // the best finished attempt over every dataset
    std::string verdict;
    int correct = 0;
    int total = 0;
    int attempts = 0; // finished attempts over every dataset
    std::string finished_at;
};

struct WorkerRow {
    std::string id;
    std::string capabilities; // JSON text
    std::string status;       // JSON text of the last heartbeat
    bool gpu_ok = true;
    std::string registered_at;
    std::int64_t last_seen_ms = 0;
    int leased = 0; // jobs it holds now
};

struct QueueCounts {
    int queued = 0;
    int leased = 0;
    int done = 0;
};

class ServerStore {
  public:
    // Opens a connection to the database `store` has opened and migrated.
    explicit ServerStore(const Store& store);
    ~ServerStore();
    ServerStore(const ServerStore&) = delete;
    ServerStore& operator=(const ServerStore&) = delete;

    // Users. add_user returns nothing when the name is taken.
    std::optional<UserRow> add_user(const std::string& name, const std::string& role,
                                    const std::string& password_hash,
                                    const std::string& api_key_hash);
    std::optional<UserRow> user_by_name(const std::string& name);
    std::optional<UserRow> user_by_id(std::int64_t id);
    std::optional<UserRow> user_by_api_key(const std::string& api_key_hash);
    std::vector<UserRow> users();
    void set_api_key(std::int64_t user_id, const std::string& api_key_hash);
    void set_password(std::int64_t user_id, const std::string& password_hash);

    // Sessions (expired ones are never returned and are deleted on add).
    void add_session(const std::string& token_hash, std::int64_t user_id, std::int64_t expires_ms,
                     std::int64_t now_ms);
    std::optional<UserRow> user_by_session(const std::string& token_hash, std::int64_t now_ms);
    void delete_session(const std::string& token_hash);

    // Saved programs: one per user and MP.
    std::string save_program(std::int64_t user_id, const std::string& mp_id,
                             const std::string& text);
    std::optional<SavedProgram> saved_program(std::int64_t user_id, const std::string& mp_id);

    // Attempts and jobs. enqueue inserts both in one transaction and returns
    // the attempt id.
    std::int64_t enqueue(const NewAttempt& attempt, std::int64_t now_ms);
    std::optional<AttemptRow> attempt(std::int64_t id);
    // Newest first; user_id 0 means every user.
    std::vector<AttemptRow> attempts(std::int64_t user_id, const std::string& mp_id, int limit);
    // Best finished all-dataset submission per user and MP (a grade request
    // is a preview of what a submission would get, and does not count);
    // empty filters match all.
    std::vector<GradeRow> grades(std::int64_t user_id, const std::string& mp_id);

    // The queue. Every expired lease goes back to the queue, or, after
    // `max_tries` leases, fails its attempt as internal_error.
    ExpiryOutcome expire_leases(std::int64_t now_ms, int max_tries);
    // Leases the oldest queued job this worker can run.
    std::optional<Lease> lease_next(const std::string& worker_id, bool gpu,
                                    const std::string& toolchains_json, const std::string& token,
                                    std::int64_t now_ms);
    // Records the result of the current lease, held by `worker_id` with
    // `token`; the same result again is a duplicate, anything else lost.
    FinishOutcome finish(std::int64_t job_id, const std::string& worker_id,
                         const std::string& token, const JobResult& result, std::int64_t now_ms);
    std::optional<JobRow> job(std::int64_t id);
    QueueCounts queue_counts();

    // Workers.
    void register_worker(const std::string& id, const std::string& capabilities_json,
                         std::int64_t now_ms);
    // False when the worker is not registered.
    bool worker_heartbeat(const std::string& id, const std::string& status_json, bool gpu_ok,
                          std::int64_t now_ms);
    bool touch_worker(const std::string& id, std::int64_t now_ms);
    std::optional<WorkerRow> worker(const std::string& id);
    std::vector<WorkerRow> workers();
    bool delete_worker(const std::string& id);
    void add_worker_log(const std::string& id, const std::vector<std::string>& lines, int keep);
    std::vector<std::pair<std::string, std::string>> worker_log(const std::string& id,
                                                                int limit); // (at, line)

    // Moves the WAL into the database file (on shutdown).
    void checkpoint();
    // Leaves checkpoints to a store::Checkpointer: no commit on this
    // connection runs one.
    void disable_auto_checkpoint();

  private:
    std::unique_ptr<SQLite::Database> db_;
};

} // namespace wb::store
