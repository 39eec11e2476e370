// Attempts and the job queue (see server_store.h). Each state change is
// one transaction and guarded by the row's current state, so two callers
// racing for the same job (two workers, a result and an expiry) cannot both
// win: the loser's UPDATE matches no row. A worker that unregisters gives
// its jobs back here too (Workers::unregister_worker), as an expiry would.
#include "store/clock.h"
#include "store/server_store.h"
#include "store/transaction.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

namespace wb::store {
namespace {

constexpr const char* attempt_columns =
    "a.id, a.user_id, u.name, a.mp_id, a.mp_version, a.kind, a.dataset, a.program_name, "
    "a.program_hash, "
    "a.state, a.verdict, a.message, a.correct, a.total, a.created_at, a.finished_at, "
    "j.worker_id, a.points, a.max_points, a.late";

// The job of each attempt, for the worker that holds or delivered it.
constexpr const char* attempt_from =
    "attempts a JOIN users u ON u.id = a.user_id LEFT JOIN jobs j ON j.attempt_id = a.id";

std::string text_or_empty(const SQLite::Column& c) {
    return c.isNull() ? std::string() : c.getString();
}

std::optional<double> real_or_none(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getDouble();
}

void bind_optional(SQLite::Statement& q, int index, const std::optional<double>& v) {
    if (v)
        q.bind(index, *v);
    else
        q.bind(index);
}

AttemptRow read_attempt(SQLite::Statement& q) {
    AttemptRow a;
    a.id = q.getColumn(0).getInt64();
    a.user_id = q.getColumn(1).getInt64();
    a.user_name = q.getColumn(2).getString();
    a.mp_id = q.getColumn(3).getString();
    a.mp_version = q.getColumn(4).getInt();
    a.kind = q.getColumn(5).getString();
    if (!q.getColumn(6).isNull()) a.dataset = q.getColumn(6).getInt();
    a.program_name = q.getColumn(7).getString();
    a.program_hash = q.getColumn(8).getString();
    a.state = q.getColumn(9).getString();
    a.verdict = text_or_empty(q.getColumn(10));
    a.message = q.getColumn(11).getString();
    a.correct = q.getColumn(12).getInt();
    a.total = q.getColumn(13).getInt();
    a.created_at = q.getColumn(14).getString();
    a.finished_at = text_or_empty(q.getColumn(15));
    a.worker = text_or_empty(q.getColumn(16));
    a.points = real_or_none(q.getColumn(17));
    a.max_points = real_or_none(q.getColumn(18));
    a.late = q.getColumn(19).getInt() != 0;
    return a;
}

constexpr const char* job_columns =
    "id, attempt_id, toolchain, needs_gpu, lease_seconds, state, tries, "
    "worker_id, lease_token, lease_expires_ms, last_error";

JobRow read_job(SQLite::Statement& q) {
    JobRow j;
    j.id = q.getColumn(0).getInt64();
    j.attempt_id = q.getColumn(1).getInt64();
    j.toolchain = q.getColumn(2).getString();
    j.needs_gpu = q.getColumn(3).getInt() != 0;
    j.lease_seconds = q.getColumn(4).getDouble();
    j.state = q.getColumn(5).getString();
    j.tries = q.getColumn(6).getInt();
    j.worker_id = text_or_empty(q.getColumn(7));
    j.lease_token = text_or_empty(q.getColumn(8));
    j.lease_expires_ms = q.getColumn(9).isNull() ? 0 : q.getColumn(9).getInt64();
    j.last_error = q.getColumn(10).getString();
    return j;
}

// The leased jobs that match `condition` (one parameter, bound to `value`).
template <class V>
std::vector<JobRow> leased_jobs(SQLite::Database& db, const char* condition, const V& value) {
    SQLite::Statement q(db,
                        fmt::format("SELECT {} FROM jobs WHERE state = 'leased' AND {} ORDER BY id",
                                    job_columns, condition));
    q.bind(1, value);
    std::vector<JobRow> out;
    while (q.executeStep())
        out.push_back(read_job(q));
    return out;
}

// Puts leased jobs back in the queue and their attempts with them: a lease
// that ran out, or a worker that left.
class Requeue {
  public:
    explicit Requeue(SQLite::Database& db)
        : job_(db, "UPDATE jobs SET state = 'queued', worker_id = NULL, lease_token = NULL, "
                   "lease_expires_ms = NULL, last_error = ? WHERE id = ?"),
          attempt_(db, "UPDATE attempts SET state = 'queued' WHERE id = ?") {}

    void operator()(const JobRow& j, const std::string& why) {
        job_.bind(1, why);
        job_.bind(2, j.id);
        job_.exec();
        job_.reset();
        attempt_.bind(1, j.attempt_id);
        attempt_.exec();
        attempt_.reset();
    }

  private:
    SQLite::Statement job_;
    SQLite::Statement attempt_;
};

} // namespace

std::int64_t ServerStore::enqueue(const NewAttempt& a, std::int64_t now_ms) try {
    auto tx = detail::write_transaction(*db_);
    SQLite::Statement ins(
        *db_, "INSERT INTO attempts (user_id, mp_id, mp_version, kind, dataset, program_name, "
              "program_text, program_hash, state, created_at, late) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)");
    ins.bind(1, a.user_id);
    ins.bind(2, a.mp_id);
    ins.bind(3, a.mp_version);
    ins.bind(4, a.kind);
    if (a.dataset)
        ins.bind(5, *a.dataset);
    else
        ins.bind(5);
    ins.bind(6, a.program_name);
    ins.bind(7, a.program_text);
    ins.bind(8, a.program_hash);
    ins.bind(9, utc_text(now_ms));
    ins.bind(10, a.deadline_ms && now_ms > *a.deadline_ms ? 1 : 0);
    ins.exec();
    const std::int64_t attempt_id = db_->getLastInsertRowid();
    SQLite::Statement job(
        *db_, "INSERT INTO jobs (attempt_id, toolchain, needs_gpu, lease_seconds, state, "
              "created_ms) VALUES (?, ?, ?, ?, 'queued', ?)");
    job.bind(1, attempt_id);
    job.bind(2, a.toolchain);
    job.bind(3, a.needs_gpu ? 1 : 0);
    job.bind(4, a.lease_seconds);
    job.bind(5, now_ms);
    job.exec();
    tx.commit();
    return attempt_id;
} catch (...) {
    rethrow_as_store_error("enqueue");
}

std::optional<AttemptRow> ServerStore::attempt(std::int64_t id) try {
    SQLite::Statement q(*db_, fmt::format("SELECT {}, a.program_text, a.report FROM {} "
                                          "WHERE a.id = ?",
                                          attempt_columns, attempt_from));
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    auto a = read_attempt(q);
    a.program_text = q.getColumn(20).getString();
    a.report = text_or_empty(q.getColumn(21));
    return a;
} catch (...) {
    rethrow_as_store_error("attempt");
}

std::vector<AttemptRow> ServerStore::attempts(std::int64_t user_id, const std::string& mp_id,
                                              int limit) try {
    SQLite::Statement q(
        *db_, fmt::format("SELECT {} FROM {} "
                          "WHERE (?1 = 0 OR a.user_id = ?1) AND (?2 = '' OR a.mp_id = ?2) "
                          "ORDER BY a.id DESC LIMIT ?3",
                          attempt_columns, attempt_from));
    q.bind(1, user_id);
    q.bind(2, mp_id);
    q.bind(3, limit);
    std::vector<AttemptRow> out;
    while (q.executeStep())
        out.push_back(read_attempt(q));
    return out;
} catch (...) {
    rethrow_as_store_error("attempts");
}

std::vector<GradeRow> ServerStore::grades(std::int64_t user_id, const std::string& mp_id) try {
    SQLite::Statement q(
        *db_,
        "SELECT u.name, b.mp_id, b.id, b.verdict, b.correct, b.total, b.n, b.finished_at, "
        "  b.points, b.max_points, b.late FROM ("
        "  SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.user_id, a.mp_id ORDER BY "
        "    COALESCE(a.points, -1) DESC, CAST(a.correct AS REAL) / MAX(a.total, 1) DESC, "
        "    a.late ASC, a.id DESC) AS rn, "
        "    COUNT(*) OVER (PARTITION BY a.user_id, a.mp_id) AS n "
        "  FROM attempts a WHERE a.state = 'done' AND a.kind = 'submit' AND a.dataset IS NULL "
        "    AND (?1 = 0 OR a.user_id = ?1) AND (?2 = '' OR a.mp_id = ?2)"
        ") b JOIN users u ON u.id = b.user_id WHERE b.rn = 1 ORDER BY u.name, b.mp_id");
    q.bind(1, user_id);
    q.bind(2, mp_id);
    std::vector<GradeRow> out;
    while (q.executeStep()) {
        GradeRow g;
        g.user = q.getColumn(0).getString();
        g.mp_id = q.getColumn(1).getString();
        g.attempt_id = q.getColumn(2).getInt64();
        g.verdict = text_or_empty(q.getColumn(3));
        g.correct = q.getColumn(4).getInt();
        g.total = q.getColumn(5).getInt();
        g.attempts = q.getColumn(6).getInt();
        g.finished_at = text_or_empty(q.getColumn(7));
        g.points = real_or_none(q.getColumn(8));
        g.max_points = real_or_none(q.getColumn(9));
        g.late = q.getColumn(10).getInt() != 0;
        out.push_back(std::move(g));
    }
    return out;
} catch (...) {
    rethrow_as_store_error("grades");
}

ExpiryOutcome ServerStore::expire_leases(std::int64_t now_ms, int max_tries) try {
    ExpiryOutcome out;
    auto tx = detail::write_transaction(*db_);
    const auto expired = leased_jobs(*db_, "lease_expires_ms <= ?", now_ms);
    if (expired.empty()) return out;
    Requeue requeue(*db_);
    SQLite::Statement fail(*db_,
                           "UPDATE jobs SET state = 'done', lease_token = NULL, last_error = ? "
                           "WHERE id = ?");
    SQLite::Statement attempt_failed(
        *db_, "UPDATE attempts SET state = 'done', verdict = 'internal_error', "
              "message = ?, finished_at = ? WHERE id = ?");
    for (const auto& j : expired) {
        const auto why = fmt::format("the lease of worker '{}' ran out ({:g} s) without a result",
                                     j.worker_id, j.lease_seconds);
        if (j.tries >= max_tries) {
            const auto message =
                fmt::format("no worker finished this job after {} leases; last: {}", j.tries, why);
            fail.bind(1, message);
            fail.bind(2, j.id);
            fail.exec();
            fail.reset();
            attempt_failed.bind(1, message);
            attempt_failed.bind(2, utc_text(now_ms));
            attempt_failed.bind(3, j.attempt_id);
            attempt_failed.exec();
            attempt_failed.reset();
            out.failed.push_back(j.id);
        } else {
            requeue(j, why);
            out.requeued.push_back(j.id);
        }
    }
    tx.commit();
    return out;
} catch (...) {
    rethrow_as_store_error("expire leases");
}

std::optional<Lease> ServerStore::lease_next(const std::string& worker_id, bool gpu,
                                             const std::string& toolchains_json,
                                             const std::string& token, std::int64_t now_ms) try {
    auto tx = detail::write_transaction(*db_);
    std::optional<JobRow> job;
    {
        SQLite::Statement q(*db_, fmt::format("SELECT {} FROM jobs WHERE state = 'queued' AND "
                                              "(needs_gpu = 0 OR ?1) AND "
                                              "toolchain IN (SELECT value FROM json_each(?2)) "
                                              "AND NOT EXISTS (SELECT 1 FROM workers WHERE "
                                              "id = ?3 AND drain = 1) "
                                              "ORDER BY id LIMIT 1",
                                              job_columns));
        q.bind(1, gpu ? 1 : 0);
        q.bind(2, toolchains_json);
        q.bind(3, worker_id);
        if (q.executeStep()) job = read_job(q);
    }
    if (!job) return std::nullopt;
    job->state = "leased";
    job->tries += 1;
    job->worker_id = worker_id;
    job->lease_token = token;
    job->lease_expires_ms = now_ms + static_cast<std::int64_t>(job->lease_seconds * 1000.0);
    SQLite::Statement up(
        *db_, "UPDATE jobs SET state = 'leased', tries = ?, worker_id = ?, lease_token = ?, "
              "lease_expires_ms = ? WHERE id = ? AND state = 'queued'");
    up.bind(1, job->tries);
    up.bind(2, worker_id);
    up.bind(3, token);
    up.bind(4, job->lease_expires_ms);
    up.bind(5, job->id);
    if (up.exec() != 1) return std::nullopt;
    SQLite::Statement running(*db_, "UPDATE attempts SET state = 'running' WHERE id = ?");
    running.bind(1, job->attempt_id);
    running.exec();
    auto attempt_row = attempt(job->attempt_id);
    tx.commit();
    if (!attempt_row) return std::nullopt;
    return Lease{std::move(*job), std::move(*attempt_row)};
} catch (...) {
    rethrow_as_store_error("lease next");
}

FinishOutcome ServerStore::finish(std::int64_t job_id, const std::string& worker_id,
                                  const std::string& token, const JobResult& r,
                                  std::int64_t now_ms) try {
    auto tx = detail::write_transaction(*db_);
    auto j = job(job_id);
    if (!j) return FinishOutcome::not_found;
    const bool holder = !token.empty() && j->lease_token == token && j->worker_id == worker_id;
    if (j->state == "done") return holder ? FinishOutcome::duplicate : FinishOutcome::lease_lost;
    if (j->state != "leased" || !holder || j->lease_expires_ms <= now_ms) {
        return FinishOutcome::lease_lost;
    }
    SQLite::Statement done(*db_,
                           "UPDATE jobs SET state = 'done' WHERE id = ? AND state = 'leased' AND "
                           "lease_token = ?");
    done.bind(1, job_id);
    done.bind(2, token);
    if (done.exec() != 1) return FinishOutcome::lease_lost;
    SQLite::Statement a(
        *db_, "UPDATE attempts SET state = 'done', verdict = ?, message = ?, correct = ?, "
              "total = ?, report = ?, finished_at = ?, points = ?, max_points = ? WHERE id = ?");
    a.bind(1, r.verdict);
    a.bind(2, r.message);
    a.bind(3, r.correct);
    a.bind(4, r.total);
    a.bind(5, r.report);
    a.bind(6, utc_text(now_ms));
    bind_optional(a, 7, r.points);
    bind_optional(a, 8, r.max_points);
    a.bind(9, j->attempt_id);
    a.exec();
    tx.commit();
    return FinishOutcome::accepted;
} catch (...) {
    rethrow_as_store_error("finish");
}

std::optional<std::vector<std::int64_t>> ServerStore::unregister_worker(const std::string& id) try {
    auto tx = detail::write_transaction(*db_);
    const auto held = leased_jobs(*db_, "worker_id = ?", id);
    Requeue requeue(*db_);
    std::vector<std::int64_t> out;
    for (const auto& j : held) {
        requeue(j, fmt::format("worker '{}' unregistered while holding it", id));
        out.push_back(j.id);
    }
    SQLite::Statement del(*db_, "DELETE FROM workers WHERE id = ?");
    del.bind(1, id);
    if (del.exec() == 0) return std::nullopt; // rolled back: not registered, nothing changes
    tx.commit();
    return out;
} catch (...) {
    rethrow_as_store_error("unregister worker");
}

std::optional<JobRow> ServerStore::job(std::int64_t id) try {
    SQLite::Statement q(*db_, fmt::format("SELECT {} FROM jobs WHERE id = ?", job_columns));
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_job(q);
} catch (...) {
    rethrow_as_store_error("job");
}

QueueCounts ServerStore::queue_counts() try {
    SQLite::Statement q(*db_, "SELECT state, COUNT(*) FROM jobs GROUP BY state");
    QueueCounts c;
    while (q.executeStep()) {
        const auto state = q.getColumn(0).getString();
        const int n = q.getColumn(1).getInt();
        if (state == "queued")
            c.queued = n;
        else if (state == "leased")
            c.leased = n;
        else
            c.done = n;
    }
    return c;
} catch (...) {
    rethrow_as_store_error("queue counts");
}

// Jobs are leased oldest first (lease_next), so the position counts the
// queued jobs up to this one; jobs another worker kind would take first
// (a GPU job ahead of a CPU one) are counted too: an upper bound.
int ServerStore::queue_position(std::int64_t attempt_id) try {
    SQLite::Statement q(*db_, "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND id <= "
                              "(SELECT id FROM jobs WHERE attempt_id = ? AND state = 'queued')");
    q.bind(1, attempt_id);
    q.executeStep();
    return q.getColumn(0).getInt();
} catch (...) {
    rethrow_as_store_error("queue position");
}

} // namespace wb::store
