// Submissions: saved programs, attempts, grades and the job queue. One of
// the store's narrow interfaces (see catalog.h); throws store::Error.
//
// The job queue lives in rows, not in memory: an attempt and its job are
// inserted in one transaction, a lease is a row update with a token and an
// expiry, and a result is accepted by a conditional update on that token,
// so a restart of the server loses nothing and a result counts once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb::store {

struct SavedProgram {
    std::string text;
    std::string saved_at;
};

// What a submission or a grade request puts in the queue (core::new_attempt
// fills it; the rules are core's).
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
    // The MP's coding deadline: an attempt enqueued after it is late.
    std::optional<std::int64_t> deadline_ms;
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
    std::string worker;           // holding or having delivered its job; empty while queued
    std::optional<double> points; // the code points (core/score.h); none before scores
    std::optional<double> max_points;
    bool late = false; // enqueued after the MP's coding deadline
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
    std::string report;           // JSON text
    std::optional<double> points; // counted by the server (core/score.h)
    std::optional<double> max_points;
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
    std::optional<double> points;
    std::optional<double> max_points;
    bool late = false;
};

struct QueueCounts {
    int queued = 0;
    int leased = 0;
    int done = 0;
};

class Submissions {
  public:
    virtual ~Submissions() = default;

    // Saved programs: one per user and MP. save_program returns when.
    virtual std::string save_program(std::int64_t user_id, const std::string& mp_id,
                                     const std::string& text) = 0;
    virtual std::optional<SavedProgram> saved_program(std::int64_t user_id,
                                                      const std::string& mp_id) = 0;

    // Inserts the attempt and its job in one transaction; the attempt id.
    virtual std::int64_t enqueue(const NewAttempt& attempt, std::int64_t now_ms) = 0;
    virtual std::optional<AttemptRow> attempt(std::int64_t id) = 0;
    // Newest first; user_id 0 means every user.
    virtual std::vector<AttemptRow> attempts(std::int64_t user_id, const std::string& mp_id,
                                             int limit) = 0;
    // Best finished all-dataset submission per user and MP (a grade request
    // is a preview of what a submission would get, and does not count);
    // empty filters match all.
    virtual std::vector<GradeRow> grades(std::int64_t user_id, const std::string& mp_id) = 0;

    // The queue. Every expired lease goes back to the queue, or, after
    // `max_tries` leases, fails its attempt as internal_error.
    virtual ExpiryOutcome expire_leases(std::int64_t now_ms, int max_tries) = 0;
    // Leases the oldest queued job this worker can run.
    virtual std::optional<Lease> lease_next(const std::string& worker_id, bool gpu,
                                            const std::string& toolchains_json,
                                            const std::string& token, std::int64_t now_ms) = 0;
    // Records the result of the current lease, held by `worker_id` with
    // `token`; the same result again is a duplicate, anything else lost.
    virtual FinishOutcome finish(std::int64_t job_id, const std::string& worker_id,
                                 const std::string& token, const JobResult& result,
                                 std::int64_t now_ms) = 0;
    virtual std::optional<JobRow> job(std::int64_t id) = 0;
    virtual QueueCounts queue_counts() = 0;
    // Where an attempt's job stands in the queue: 1 when it is the next to
    // be leased, 0 when it is not queued (leased, done, or no such attempt).
    virtual int queue_position(std::int64_t attempt_id) = 0;
};

} // namespace wb::store
