// `wbtool serve` (see server.h): the HTTP server's setup, the router, the
// one wrapper every route goes through (authentication, roles, the error
// boundary, the request's user for the log line), and shutdown.
//
// The front end (http_server.h) holds connections on event threads and
// runs handlers on a fixed pool, sized for the users' threads plus the
// parked long-polls (queue.h); an idle or slow connection holds no thread.
//
// SIGTERM and SIGINT are blocked in every thread and taken by one thread
// with sigwait, which stops the queue and the front end; run() returns
// once in-flight requests are answered, then the WAL is checkpointed.
#include "core/server/server.h"

#include "core/error.h"
#include "core/output_format.h"
#include "core/server/body_guard.h"
#include "core/server/context.h"
#include "core/server/http_server.h"
#include "core/server/routes.h"
#include "core/worker/worker.h"
#include "sandbox/sandbox.h"

#include <fmt/format.h>

#include <signal.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <pthread.h>
#include <regex>
#include <thread>

namespace wb::server {

// ---- shared helpers --------------------------------------------------------

void RequestLog::add(std::string line) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
    while (lines_.size() > keep_)
        lines_.pop_front();
}

std::vector<std::string> RequestLog::last(std::size_t n) {
    std::lock_guard lock(mutex_);
    const auto from = lines_.size() > n ? lines_.size() - n : 0;
    return {lines_.begin() + static_cast<std::ptrdiff_t>(from), lines_.end()};
}

namespace {
// argon2id runs at once: one per core, at most 4 (64 MiB each).
unsigned password_parallelism() {
    return std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
}
} // namespace

Context::Context(const ServeOptions& o, Secrets s)
    : opts(o), secrets(std::move(s)), db(o.data_dir),
      queue(db, QueueOptions{o.max_tries, o.max_long_polls, std::chrono::milliseconds(250)}),
      limiter(o.rate_limit_s), logins(o.login_free_failures, o.login_max_delay_s),
      log(static_cast<std::size_t>(std::max(1, o.log_lines))), started_s(store::now_ms() / 1000),
      password_slots(password_parallelism()), password_slot_count(password_parallelism()) {}

std::size_t body_bytes(const ServeOptions& options, BodyLimit limit) {
    switch (limit) {
    case BodyLimit::program:
        // Escaped as JSON a program's text may grow up to six times (\uXXXX
        // for every byte, as some encoders write non-ASCII text); the text's
        // own limit is checked after parsing.
        return options.max_program_bytes * 6 + small_body_bytes;
    case BodyLimit::import:
        return options.max_import_bytes * 4 / 3 + small_body_bytes; // base64
    case BodyLimit::report:
        return 16u << 20;
    case BodyLimit::small:
        break;
    }
    return small_body_bytes;
}

std::string cookie_value(const Request& req, const std::string& name) {
    const auto header = req.get_header_value("Cookie");
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto end = header.find(';', pos);
        if (end == std::string::npos) end = header.size();
        auto part = header.substr(pos, end - pos);
        const auto first = part.find_first_not_of(' ');
        if (first != std::string::npos) part = part.substr(first);
        if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 &&
            part[name.size()] == '=') {
            return part.substr(name.size() + 1);
        }
        pos = end + 1;
    }
    return {};
}

store::UserRow subject_user(Context& ctx, const Call& call, const std::string& name) {
    if (name.empty() || name == call.user.name) return call.user;
    if (!call.user.is_ta()) throw forbidden("only a TA or an admin may act on another user's work");
    check_name(name, "user name");
    auto u = ctx.db.with([&](Stores& s) { return s.accounts.user_by_name(name); });
    if (!u) throw not_found(fmt::format("no user '{}'", name));
    return *u;
}

namespace {

// ---- authentication --------------------------------------------------------

bool same_origin(const Request& req) {
    const auto origin = req.get_header_value("Origin");
    const auto host = req.get_header_value("Host");
    if (origin.empty() || host.empty()) return false;
    return origin == "http://" + host || origin == "https://" + host;
}

Caller authenticate_user(Context& ctx, const Request& req) {
    const auto auth = req.get_header_value("Authorization");
    std::optional<store::UserRow> user;
    bool by_session = false;
    if (!auth.empty()) {
        if (auth.rfind("Bearer ", 0) != 0) {
            throw ApiError(401, "unauthorized",
                           "the Authorization header must be 'Bearer <API key>'");
        }
        const auto hash = keyed_hash(ctx.secrets.server_key, "api", auth.substr(7));
        user = ctx.db.with([&](Stores& s) { return s.accounts.user_by_api_key(hash); });
        if (!user)
            throw ApiError(401, "unauthorized", "the API key is not valid (rotated or mistyped?)");
    } else if (auto token = cookie_value(req, session_cookie); !token.empty()) {
        const auto hash = keyed_hash(ctx.secrets.server_key, "session", token);
        const auto now = store::now_ms();
        user = ctx.db.with([&](Stores& s) { return s.accounts.user_by_session(hash, now); });
        if (!user) throw ApiError(401, "unauthorized", "the session has ended: log in again");
        by_session = true;
        // A cookie rides along with cross-site requests; a change made with
        // one must come from a page of this server.
        if (req.method != "GET" && req.method != "HEAD" && !same_origin(req)) {
            throw forbidden(
                "a request authenticated by a session cookie must carry this server's Origin");
        }
    } else {
        throw ApiError(401, "unauthorized", "log in, or send 'Authorization: Bearer <API key>'");
    }
    Caller caller;
    static_cast<store::UserRow&>(caller) = *user;
    caller.by_session = by_session;
    return caller;
}

// The worker a signed request says it is from, its signature's parts
// checked (all there, a fresh timestamp) but not yet its MAC, which covers
// the body.
std::string claimed_worker(Context& ctx, const Request& req) {
    const auto worker = req.get_header_value(worker_header);
    const auto ts = req.get_header_value(timestamp_header);
    const auto nonce = req.get_header_value(nonce_header);
    const auto mac = req.get_header_value(mac_header);
    if (worker.empty() || ts.empty() || nonce.empty() || mac.empty()) {
        throw ApiError(401, "unauthorized",
                       fmt::format("a worker request must be signed ({}, {}, {}, {})",
                                   worker_header, timestamp_header, nonce_header, mac_header));
    }
    if (!valid_name(worker)) throw bad_request("the worker id is not valid");
    if (nonce.size() < 16 || nonce.size() > 64)
        throw ApiError(401, "unauthorized", "the nonce is not valid");
    // Digits only, all of them: "<now>abc" is not a time.
    std::int64_t sent = 0;
    const auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), sent);
    if (ec != std::errc() || end != ts.data() + ts.size() || ts[0] == '-' || ts[0] == '+')
        throw ApiError(401, "unauthorized", "the timestamp is not a decimal number of seconds");
    const auto now = store::now_ms() / 1000;
    if (sent < now - worker_window_s || sent > now + worker_window_s) {
        throw ApiError(
            401, "stale_request",
            fmt::format(
                "the request's timestamp is {} s away from the server's clock (window {} s)",
                sent - now, worker_window_s));
    }
    if (sent < ctx.started_s) {
        throw ApiError(401, "stale_request",
                       "the request was signed before this server started; sign it again (if this "
                       "repeats, the worker's clock is behind the server's)");
    }
    return worker;
}

std::string authenticate_worker(Context& ctx, const Request& req) {
    const auto worker = claimed_worker(ctx, req);
    const auto ts = req.get_header_value(timestamp_header);
    const auto nonce = req.get_header_value(nonce_header);
    const auto mac = req.get_header_value(mac_header);
    const auto now = store::now_ms() / 1000;
    const auto expected =
        worker_mac(ctx.secrets.worker_key, req.method, req.target, worker, ts, nonce, req.body);
    if (!equal_hex(expected, mac))
        throw ApiError(401, "unauthorized", "the worker request's MAC is wrong");
    if (!ctx.nonces.remember(nonce, now))
        throw ApiError(401, "replayed", "this request was already received");
    return worker;
}

// ---- routes ----------------------------------------------------------------

// A 400 for a body sent as a form: curl -d sends one unless told otherwise.
ApiError with_form_hint(const Request& req, const ApiError& e) {
    if (e.status() != 400 ||
        req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) != 0)
        return e;
    ApiError hinted(e.status(), e.code(),
                    std::string(e.what()) +
                        " (the body was sent as a form; the API takes JSON: send it with "
                        "'Content-Type: application/json')");
    return hinted;
}

// The user a route's request is from, with the role the route needs.
Caller authorized_user(Context& ctx, const Route& route, const Request& req) {
    auto user = authenticate_user(ctx, req);
    if (route.access == Access::ta && !user.is_ta())
        throw forbidden("this needs the role ta or admin");
    if (route.access == Access::admin && !user.is_admin())
        throw forbidden("this needs the role admin");
    return user;
}

void run_route(Context& ctx, const Route& route, Request& req, Response& res) {
    Call call{req, res, {}, {}};
    try {
        switch (route.access) {
        case Access::open:
            break;
        case Access::worker:
            call.worker = authenticate_worker(ctx, req);
            req.caller = "worker:" + call.worker;
            break;
        case Access::user:
        case Access::ta:
        case Access::admin:
            call.user = authorized_user(ctx, route, req);
            req.caller = call.user.name;
            break;
        }
        route.handler(ctx, call);
    } catch (const ApiError& e) {
        reply_error(res, with_form_hint(req, e));
    } catch (const NotFoundError& e) {
        reply_error(res, not_found(e.what()));
    } catch (const InputError& e) {
        reply_error(res, bad_request(e.what()));
    } catch (const store::Error& e) {
        fmt::print(stderr, "wbtool serve: store error on {} {}: {}\n", req.method, req.path,
                   e.what());
        ApiError err(http_status_for(e), http_status_for(e) == 503 ? "busy" : "internal_error",
                     http_status_for(e) == 503 ? "the store is busy; try again"
                                               : "the server failed to answer; see its log");
        err.retry_after = http_status_for(e) == 503 ? 1 : 0;
        reply_error(res, err);
    } catch (const std::exception& e) {
        fmt::print(stderr, "wbtool serve: internal error on {} {}: {}\n", req.method, req.path,
                   e.what());
        reply_error(res,
                    ApiError(500, "internal_error", "the server failed to answer; see its log"));
    }
}

// Spaces, control characters, backslashes and bytes that are not printable ASCII
// as \xNN: one request is one log line, whatever the client sent.
std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto b = static_cast<unsigned char>(ch);
        if (b <= 0x20 || b >= 0x7f || b == '\\')
            out += fmt::format("\\x{:02x}", b);
        else
            out += ch;
    }
    return out;
}

void log_request(Context& ctx, const Request& req, const Response& res, double ms) {
    // The path is the client's, decoded: a %0A or an ESC in it must not
    // start a forged line or drive the admin's terminal.
    auto line = fmt::format("{} {} {} {} {:.2f}ms {}", store::utc_text(store::now_ms()),
                            printable(req.method), printable(req.path), res.status, ms,
                            req.caller.empty() ? "-" : req.caller);
    fmt::print(stderr, "{}\n", line);
    ctx.log.add(std::move(line));
}

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

} // namespace

std::vector<std::pair<std::string, std::string>> api_routes() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : all_routes())
        out.emplace_back(r.method, r.path);
    return out;
}

namespace {

Secrets serve_secrets(const ServeOptions& options) {
    auto secrets = load_secrets(options.data_dir);
    if (!options.worker_key_file.empty()) {
        secrets.worker_key = read_key_file(options.worker_key_file);
        secrets.worker_key_file = options.worker_key_file;
    }
    return secrets;
}

std::size_t largest_body(const ServeOptions& options) {
    std::size_t most = 0;
    for (const auto limit :
         {BodyLimit::small, BodyLimit::program, BodyLimit::import, BodyLimit::report})
        most = std::max(most, body_bytes(options, limit));
    return most;
}

HttpLimits http_limits(const ServeOptions& options) {
    HttpLimits l;
    l.trusted_proxies = options.trusted_proxies;
    l.max_connections = options.max_connections;
    l.per_address = options.max_connections_per_address;
    l.header_timeout_s = options.header_timeout_s;
    l.io_timeout_s = options.io_timeout_s;
    l.body_memory = options.max_body_memory;
    l.free_body_bytes = small_body_bytes;
    // One sender may hold a quarter of the budget, or one body of the
    // largest kind (an admin's import) if that is more.
    l.body_memory_per_holder = std::max(options.max_body_memory / 4, largest_body(options));
    l.event_threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    l.handler_threads =
        static_cast<unsigned>(std::max(1, options.threads) + std::max(0, options.max_long_polls));
    return l;
}

// Every route with its path's regex, in the order of the route table.
class Router {
  public:
    Router(Context& ctx, const std::vector<Route>& routes) : ctx_(ctx) {
        for (const auto& r : routes)
            table_.push_back({&r, std::regex(path_regex(r.path))});
    }

    // The route for a method and path; nothing when none.
    const Route* find(const std::string& method, const std::string& path) const {
        for (const auto& [route, re] : table_)
            if (route->method == method && std::regex_match(path, re)) return route;
        return nullptr;
    }

    // The route for the request's method and path, with its parameters;
    // 405 with Allow when the path has other methods; 404 when none.
    void handle(Request& req, Response& res) const {
        const auto& method = req.method == "HEAD" ? std::string("GET") : req.method;
        std::string allow;
        std::smatch m;
        for (const auto& [route, re] : table_) {
            if (!std::regex_match(req.path, m, re)) continue;
            if (route->method == method) {
                req.matches.assign(m.begin(), m.end());
                run_route(ctx_, *route, req, res);
                return;
            }
            if (allow.find(route->method) == std::string::npos)
                allow += (allow.empty() ? "" : ", ") + route->method;
        }
        if (!allow.empty()) {
            res.set_header("Allow", allow);
            reply_error(res, ApiError(405, "method_not_allowed",
                                      fmt::format("{} takes {}, not {}",
                                                  core::output_format::escape(req.path, 200), allow,
                                                  core::output_format::escape(req.method, 20))));
            return;
        }
        reply_error(res, not_found(fmt::format("no route {} {}",
                                               core::output_format::escape(req.method, 20),
                                               core::output_format::escape(req.path, 200))));
    }

  private:
    struct Entry {
        const Route* route;
        std::regex re;
    };
    Context& ctx_;
    std::vector<Entry> table_;
};

// The worker in the same process (ServeOptions::worker_slots), on the
// server's own address: the same code as a remote worker. Nothing when
// none is wanted; refused before the server listens when this machine
// cannot give the isolation it requires.
std::unique_ptr<worker::Worker> embedded_worker(const ServeOptions& options, const Context& ctx,
                                                int port) {
    if (options.worker_slots <= 0) return nullptr;
    if (auto refusal = sandbox::isolation_refusal(options.worker_min_isolation); !refusal.empty()) {
        throw InternalError(refusal + " (the worker inside `wbtool serve`: run it with "
                                      "--no-worker, or --worker-min-isolation to accept less)");
    }
    worker::WorkerOptions wo;
    const bool any = options.host.empty() || options.host == "0.0.0.0" || options.host == "::";
    const bool v6 = options.host.find(':') != std::string::npos;
    wo.server = fmt::format(
        "http://{}:{}", any ? "127.0.0.1" : (v6 ? "[" + options.host + "]" : options.host), port);
    wo.key = ctx.secrets.worker_key;
    wo.name = "embedded";
    wo.slots = options.worker_slots;
    wo.max_slots = options.worker_max_slots; // at least slots (Worker says so)
    wo.cache_dir = options.cache_dir;
    wo.min_isolation = options.worker_min_isolation;
    // Heartbeats as often as the server asks when it registers.
    wo.version = options.version;
    wo.log = [](const std::string& line) {
        fmt::print(stderr, "wbtool serve: worker: {}\n", line);
    };
    return std::make_unique<worker::Worker>(std::move(wo));
}

// Who a body larger than small_body_bytes is charged to, its credentials
// checked from the head before the body is read: a user (and the role the
// route needs) or a worker (its signature's parts; the MAC covers the body
// and is checked once it is read). So a stranger can make the server hold
// no more than a small body per connection.
std::string body_holder(Context& ctx, const Route& route, const Request& req) {
    switch (route.access) {
    case Access::open:
        return {};
    case Access::worker:
        return "worker " + claimed_worker(ctx, req);
    case Access::user:
    case Access::ta:
    case Access::admin:
        return "user " + authorized_user(ctx, route, req).name;
    }
    return {};
}

// The front end's screen of a request's head (http_server.h): its body
// judged against its route's limit (body_guard.h), and a large one's sender
// checked and named.
Screened screen(Context& ctx, const Router& router, const Request& req) {
    Screened out;
    try {
        // Every route takes a small body, so only a larger one needs its
        // route found (a regex per route, too slow to pay on every request).
        const Route* route = content_length(req).value_or(0) > small_body_bytes
                                 ? router.find(req.method, req.path)
                                 : nullptr;
        const auto limit = route ? body_bytes(ctx.opts, route->body) : small_body_bytes;
        if (const auto refusal = body_refusal(req, limit)) throw *refusal;
        if (route) {
            try {
                out.holder = body_holder(ctx, *route, req);
            } catch (const ApiError&) {
                // Credentials refused: the body is within its limit, so a
                // client that sends it without waiting is let finish and
                // gets the answer, not a reset.
                out.drain = true;
                throw;
            }
        }
    } catch (const ApiError& e) {
        out.refusal.emplace();
        reply_error(*out.refusal, e);
    } catch (const std::exception&) {
        ApiError busy(503, "busy",
                      "the server could not check the request's credentials; try again");
        busy.retry_after = 1;
        out.refusal.emplace();
        reply_error(*out.refusal, busy);
    }
    return out;
}

} // namespace

int serve(const ServeOptions& options) {
    // Block the stop signals before any thread starts, so every thread
    // inherits the mask and only the signal thread takes them.
    const sigset_t signals = stop_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    // A store that cannot be opened is a store::Error, mapped to its exit
    // code by wbtool's one error boundary.
    auto ctx_owner = std::make_unique<Context>(options, serve_secrets(options));
    Context& ctx = *ctx_owner;

    const auto routes = all_routes();
    const Router router(ctx, routes);
    HttpHooks hooks;
    hooks.screen = [&ctx, &router](const Request& req) { return screen(ctx, router, req); };
    hooks.handle = [&router](Request& req, Response& res) { router.handle(req, res); };
    hooks.log = [&ctx](const Request& req, const Response& res, double ms) {
        log_request(ctx, req, res, ms);
    };
    hooks.note = [](const std::string& line) { fmt::print(stderr, "wbtool serve: {}\n", line); };
    HttpServer svr(http_limits(options), std::move(hooks));
    const int port = svr.bind(options.host, options.port);
    auto worker = embedded_worker(options, ctx, port);
    std::thread worker_thread;
    if (worker) {
        worker_thread = std::thread([&] {
            try {
                worker->run();
            } catch (const std::exception& e) {
                fmt::print(stderr, "wbtool serve: worker: stopped: {}\n", e.what());
            }
        });
    }

    // Make the login decoy hash now, off the request path, so the first
    // login for an unknown name costs what any other login costs.
    std::thread warm([&ctx] { ctx.dummy_password_hash(); });

    std::thread signal_thread([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        fmt::print(stderr, "wbtool serve: {}: stopping (finishing requests in flight)\n",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
        // The worker first, while the server still answers it: its running
        // jobs finish and their reports are recorded.
        if (worker) worker->drain();
        ctx.queue.shutdown();
        if (worker_thread.joinable()) worker_thread.join();
        svr.stop();
    });

    const auto counts = ctx.db.with([](Stores& s) { return s.submissions.queue_counts(); });
    fmt::print(stderr, "wbtool serve: data {}; worker key {}; {} jobs queued, {} leased\n",
               options.data_dir.string(), ctx.secrets.worker_key_file.string(), counts.queued,
               counts.leased);
    fmt::print("listening on {}:{}\n", options.host, port);
    std::fflush(stdout);

    bool ok = true;
    try {
        svr.run();
    } catch (const std::exception& e) {
        fmt::print(stderr, "wbtool serve: {}\n", e.what());
        ok = false;
    }

    // run() returns after stop() (or a failure): wake the signal thread if
    // it is still waiting, then close down.
    pthread_kill(signal_thread.native_handle(), SIGTERM);
    signal_thread.join();
    if (worker) worker->stop();
    if (worker_thread.joinable()) worker_thread.join();
    warm.join();
    ctx.queue.shutdown();
    ctx.db.checkpoint();
    fmt::print(stderr, "wbtool serve: stopped; the database is checkpointed\n");
    return ok ? exit_ok : exit_internal;
}

} // namespace wb::server
