// The server's tables (migrations 2, 3 and 5) on SQLite: the accounts, submissions,
// workers and answers interfaces (store/accounts.h, submissions.h, workers.h, answers.h). SQL only,
// like the rest of store/.
//
// A ServerStore is a second connection to the database a Store has opened
// and migrated, so the MP tables (Store) and these stay in separate files.
// One ServerStore is not safe to use from two threads at once: the server
// serialises calls with a mutex.
#pragma once

#include "store/accounts.h"
#include "store/answers.h"
#include "store/error.h"
#include "store/submissions.h"
#include "store/workers.h"

#include <memory>

namespace SQLite {
class Database;
}

namespace wb::store {

class Store;

class ServerStore final : public Accounts, public Submissions, public Workers, public Answers {
  public:
    // Opens a connection to the database `store` has opened and migrated.
    explicit ServerStore(const Store& store);
    ~ServerStore() override;
    ServerStore(const ServerStore&) = delete;
    ServerStore& operator=(const ServerStore&) = delete;

    // Accounts.
    std::optional<UserRow> add_user(const std::string& name, const std::string& role,
                                    const std::string& password_hash,
                                    const std::string& api_key_hash) override;
    std::optional<UserRow> user_by_name(const std::string& name) override;
    std::optional<UserRow> user_by_id(std::int64_t id) override;
    std::optional<UserRow> user_by_api_key(const std::string& api_key_hash) override;
    std::vector<UserRow> users() override;
    std::optional<std::string> password_hash(std::int64_t user_id) override;
    void set_api_key(std::int64_t user_id, const std::string& api_key_hash) override;
    void set_password(std::int64_t user_id, const std::string& password_hash) override;
    void add_session(const std::string& token_hash, std::int64_t user_id, std::int64_t expires_ms,
                     std::int64_t now_ms) override;
    std::optional<UserRow> user_by_session(const std::string& token_hash,
                                           std::int64_t now_ms) override;
    void delete_session(const std::string& token_hash) override;
    int delete_sessions_of(std::int64_t user_id) override;

    // Submissions.
    std::string save_program(std::int64_t user_id, const std::string& mp_id,
                             const std::string& text) override;
    std::optional<SavedProgram> saved_program(std::int64_t user_id,
                                              const std::string& mp_id) override;
    std::int64_t enqueue(const NewAttempt& attempt, std::int64_t now_ms) override;
    std::optional<AttemptRow> attempt(std::int64_t id) override;
    std::vector<AttemptRow> attempts(std::int64_t user_id, const std::string& mp_id,
                                     int limit) override;
    std::vector<GradeRow> grades(std::int64_t user_id, const std::string& mp_id) override;
    ExpiryOutcome expire_leases(std::int64_t now_ms, int max_tries) override;
    std::optional<Lease> lease_next(const std::string& worker_id, bool gpu,
                                    const std::string& toolchains_json, const std::string& token,
                                    std::int64_t now_ms) override;
    FinishOutcome finish(std::int64_t job_id, const std::string& worker_id,
                         const std::string& token, const JobResult& result,
                         std::int64_t now_ms) override;
    std::optional<JobRow> job(std::int64_t id) override;
    QueueCounts queue_counts() override;
    int queue_position(std::int64_t attempt_id) override;

    // Workers.
    void register_worker(const std::string& id, const std::string& capabilities_json,
                         std::int64_t now_ms) override;
    bool worker_heartbeat(const std::string& id, const std::string& status_json, bool gpu_ok,
                          std::int64_t now_ms) override;
    bool touch_worker(const std::string& id, std::int64_t now_ms) override;
    std::optional<WorkerRow> worker(const std::string& id) override;
    std::vector<WorkerRow> workers() override;
    bool delete_worker(const std::string& id) override;
    std::optional<std::vector<std::int64_t>> unregister_worker(const std::string& id) override;
    bool drain_worker(const std::string& id) override;
    void add_worker_log(const std::string& id, const std::vector<std::string>& lines,
                        int keep) override;
    std::vector<std::pair<std::string, std::string>> worker_log(const std::string& id,
                                                                int limit) override;

    // Answers (answers.cpp).
    std::string save_answers(std::int64_t user_id, const std::string& mp_id,
                             const std::vector<std::string>& answers) override;
    std::optional<AnswerSet> answers(std::int64_t user_id, const std::string& mp_id) override;
    std::vector<AnswerSet> all_answers(const std::string& mp_id) override;

    // Moves the WAL into the database file (on shutdown).
    void checkpoint();
    // Leaves checkpoints to a store::Checkpointer: no commit on this
    // connection runs one.
    void disable_auto_checkpoint();

  private:
    std::unique_ptr<SQLite::Database> db_;
};

} // namespace wb::store
