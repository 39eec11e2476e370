// What every route handler gets: the server's shared state (Context) and
// the call being answered (Call), and how routes are declared. Internal to
// core/server.
#pragma once

#include "core/attempt.h"
#include "core/server/auth.h"
#include "core/server/db.h"
#include "core/server/http.h"
#include "core/server/http_json.h"
#include "core/server/login_throttle.h"
#include "core/server/queue.h"
#include "core/server/ratelimit.h"
#include "core/server/server.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <vector>

namespace wb::server {

// The last request lines, for GET /api/v1/log.
class RequestLog {
  public:
    explicit RequestLog(std::size_t keep) : keep_(keep) {}
    void add(std::string line);
    std::vector<std::string> last(std::size_t n);

  private:
    std::mutex mutex_;
    std::size_t keep_;
    std::deque<std::string> lines_;
};

// How far each running attempt is (its worker's progress posts), for
// `wbtool submit --wait`. In memory only: it matters while the attempt
// runs, and a restarted server shows "running" until the next post. Bounded:
// past `most` attempts at once, the board starts again empty.
class ProgressBoard {
  public:
    struct Progress {
        int done = 0;  // datasets finished
        int total = 0; // datasets the attempt runs
    };
    void set(std::int64_t attempt, Progress p) {
        std::lock_guard lock(mutex_);
        if (by_attempt_.size() >= most && !by_attempt_.count(attempt)) by_attempt_.clear();
        by_attempt_[attempt] = p;
    }
    std::optional<Progress> get(std::int64_t attempt) {
        std::lock_guard lock(mutex_);
        const auto it = by_attempt_.find(attempt);
        if (it == by_attempt_.end()) return std::nullopt;
        return it->second;
    }
    void clear(std::int64_t attempt) {
        std::lock_guard lock(mutex_);
        by_attempt_.erase(attempt);
    }
    static constexpr std::size_t most = 100000;

  private:
    std::mutex mutex_;
    std::map<std::int64_t, Progress> by_attempt_;
};

struct Context {
    Context(const ServeOptions& o, Secrets s);

    ServeOptions opts;
    Secrets secrets;
    Db db;
    JobQueue queue;
    RateLimiter limiter;
    LoginThrottle logins;
    RequestLog log;
    ProgressBoard progress;
    NonceCache nonces;
    // The nonces seen are kept in memory only; a request signed before this
    // server started is refused, so a restart opens no window for replays.
    std::int64_t started_s;
    // Verified against when a login names no user; made on first need
    // (argon2id is slow, and most starts never need it).
    const std::string& dummy_password_hash();
    std::once_flag dummy_once;
    std::string dummy_hash;
    std::counting_semaphore<64> password_slots; // argon2id runs at once (64 MiB each)
    unsigned password_slot_count;               // the semaphore's initial count
    std::atomic<int> password_waiters{0};       // requests queued for a slot
};

enum class Access { open, user, ta, admin, worker };

// Who sent a request, and how they proved it.
struct Caller : store::UserRow {
    bool by_session = false;
};

struct Call {
    const Request& req;
    Response& res;
    Caller user;        // Access::user and up
    std::string worker; // Access::worker
    std::string param(std::size_t i) const { return req.matches.at(i); }
};

using Handler = std::function<void(Context&, Call&)>;

// The most a route's request body may hold: checked from its Content-Length
// before it is read (body_guard.h), and by parse_body after.
enum class BodyLimit {
    small,   // 64 KiB of JSON: most routes
    program, // a program escaped as JSON (save, submit, grade)
    import,  // a bundle's files in base64
    report,  // a worker's result
};
inline constexpr std::size_t small_body_bytes = 64 * 1024;
std::size_t body_bytes(const ServeOptions& options, BodyLimit limit);

struct Route {
    std::string method; // GET POST DELETE
    std::string path;   // OpenAPI form: /api/v1/mp/{id}
    Access access;
    Handler handler;
    BodyLimit body = BodyLimit::small;
};

// The user a TA or admin asks about with ?user=NAME (or the caller).
store::UserRow subject_user(Context& ctx, const Call& call, const std::string& name);

// Session cookie handling.
inline constexpr const char* session_cookie = "wb_session";
std::string cookie_value(const Request& req, const std::string& name);

} // namespace wb::server
