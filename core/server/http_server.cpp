// The HTTP front end on libmicrohttpd (see http_server.h).
//
// One request's life: libmicrohttpd reads its request line (uri_logged
// makes its Exchange, with the target as sent) and its head, then calls
// `access` with no body: the head is screened (a refusal is answered there,
// unread, and the connection closed), the body's memory reserved. Further
// calls bring the body. The last call, with nothing more, suspends the
// connection and posts the request to the handler pool; the handler's
// thread resumes it, and the next call queues the answer. `completed`
// releases the Exchange. A suspended connection holds no event thread and
// is not timed out.
//
// Slow heads and bodies: libmicrohttpd times out a connection only when it
// makes no progress, and a slowloris client makes a byte of progress a
// second. So every connection is watched from the time it opens or answers
// until its next head is whole, and then while its body arrives; the
// watcher shuts down (shutdown(2), never close) the socket of one whose
// head is not whole within header_timeout_s, or whose body, after that
// long, comes slower than 500 bytes/s, and the library closes it as any
// other. The library reports a connection closed before it closes its
// socket, and the watcher's table is updated under the same lock it shuts
// sockets down under, so a socket number is never shut down after reuse.
#include "core/server/http_server.h"

#include "core/error.h"
#include "core/server/http_json.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstring>
#include <deque>
#include <map>
#include <microhttpd.h>
#include <mutex>
#include <netdb.h>
#include <netinet/in.h>
#include <set>
#include <strings.h>
#include <thread>
#include <vector>

namespace wb::server {

namespace {

using Clock = std::chrono::steady_clock;

// Handlers run here, off the event threads: a fixed pool and a queue.
class HandlerPool {
  public:
    explicit HandlerPool(unsigned n) {
        for (unsigned i = 0; i < n; ++i)
            threads_.emplace_back([this] { loop(); });
    }
    ~HandlerPool() { join(); }
    // Queues `task`; once the pool is joined, runs it here instead (never
    // lost: a suspended connection waits on it).
    void post(std::function<void()> task) {
        {
            std::lock_guard lock(mutex_);
            if (!stopping_) {
                tasks_.push_back(std::move(task));
                task = nullptr;
            }
        }
        if (task) {
            task();
            return;
        }
        cv_.notify_one();
    }
    // Runs what is queued, then ends the threads.
    void join() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
        threads_.clear();
    }

  private:
    void loop() {
        for (;;) {
            std::function<void()> task;
            {
                std::unique_lock lock(mutex_);
                cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
                if (tasks_.empty()) return;
                task = std::move(tasks_.front());
                tasks_.pop_front();
            }
            task();
        }
    }
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> tasks_;
    std::vector<std::thread> threads_;
    bool stopping_ = false;
};

// A connection, as the watcher sees it.
struct Watched {
    enum class Stage { head, body, handled };
    int fd = -1;
    Stage stage = Stage::head;
    Clock::time_point since;    // head: opened or last answered; body: this window's start
    std::size_t body_bytes = 0; // received in this window
    bool shut = false;
};

// The least a body must bring in each window of header_timeout_s: a body
// that trickles in is closed, a large one on a slow line is not. Measured
// per window, so that bytes sent fast at first buy no time later.
constexpr double body_min_bytes_per_s = 500;

// One request, from its request line to its answer.
struct Exchange {
    HttpServer::Impl* server = nullptr;
    std::string holder; // who the reserved body memory is charged to
    MHD_Connection* connection = nullptr;
    Request req;
    Response res;
    Clock::time_point start;
    Watched* watch = nullptr; // its connection's (under watch_mutex)
    std::size_t declared = 0; // Content-Length
    std::size_t reserved = 0; // of the body budget
    bool headed = false;
    bool dispatched = false;
    bool draining = false; // refused; its body is read and dropped, then ex.res answered
    std::atomic<bool> answered{false};
};

std::string address_text(const sockaddr* sa) {
    char text[INET6_ADDRSTRLEN] = {};
    if (sa == nullptr) return {};
    if (sa->sa_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, text,
                    sizeof text);
    else if (sa->sa_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, text,
                    sizeof text);
    return text;
}

// The address a trusted proxy says it forwards for: the last entry of the
// last X-Forwarded-For line (the one the proxy itself wrote, whether it
// replaces the header or appends to it); nothing when it is not an address.
std::string forwarded_for(const Request& req) {
    const auto [from, to] = req.headers.equal_range("X-Forwarded-For");
    if (from == to) return {};
    auto text = std::prev(to)->second; // the last line: a proxy that appends adds its own
    if (const auto comma = text.rfind(','); comma != std::string::npos) text.erase(0, comma + 1);
    const auto first = text.find_first_not_of(' ');
    const auto last = text.find_last_not_of(' ');
    if (first == std::string::npos) return {};
    text = text.substr(first, last - first + 1);
    in6_addr buf{};
    if (::inet_pton(AF_INET, text.c_str(), &buf) == 1 ||
        ::inet_pton(AF_INET6, text.c_str(), &buf) == 1)
        return text;
    return {};
}

} // namespace

struct HttpServer::Impl {
    HttpLimits limits;
    HttpHooks hooks;
    int listen_fd = -1;
    MHD_Daemon* daemon = nullptr;
    std::unique_ptr<HandlerPool> pool;

    std::mutex stop_mutex;
    std::condition_variable stop_cv; // the watcher's: stop() called

    std::mutex budget_mutex;
    std::size_t body_bytes = 0;                 // reserved in all
    std::map<std::string, std::size_t> held_by; // reserved per holder
    std::atomic<bool> closing{
        false};                    // stop() called: no new request handled (set under stop_mutex)
    std::atomic<int> in_flight{0}; // handed to the pool, not yet completed

    std::mutex watch_mutex;
    std::set<Watched*> watched;

    std::mutex note_mutex;
    Clock::time_point last_note{};
    long notes_dropped = 0;

    // ---- notes (rate-limited: one a second, with a count of the rest) ----

    void note(const std::string& line) {
        if (!hooks.note) return;
        std::string out;
        {
            std::lock_guard lock(note_mutex);
            const auto now = Clock::now();
            if (now - last_note < std::chrono::seconds(1)) {
                ++notes_dropped;
                return;
            }
            last_note = now;
            out = notes_dropped > 0 ? fmt::format("{} ({} more such lines left out)", line,
                                                  std::exchange(notes_dropped, 0))
                                    : line;
        }
        hooks.note(out);
    }

    // ---- the body budget ---------------------------------------------------

    // Reserves `n` bytes for `holder`'s body; why not, when it cannot.
    std::optional<std::string> reserve(const std::string& holder, std::size_t n) {
        std::lock_guard lock(budget_mutex);
        auto& held = held_by[holder];
        std::optional<std::string> refusal;
        if (held + n > limits.body_memory_per_holder)
            refusal = fmt::format("{} already holds {} bytes of bodies being received, and may "
                                  "hold {}",
                                  holder, held, limits.body_memory_per_holder);
        else if (body_bytes + n > limits.body_memory)
            refusal = fmt::format("{} bytes of bodies are being received, of {} "
                                  "(--max-body-memory)",
                                  body_bytes, limits.body_memory);
        if (refusal) {
            if (held == 0) held_by.erase(holder);
            return refusal;
        }
        held += n;
        body_bytes += n;
        return std::nullopt;
    }

    void release(const std::string& holder, std::size_t n) {
        if (n == 0) return;
        std::lock_guard lock(budget_mutex);
        body_bytes -= n;
        const auto it = held_by.find(holder);
        if (it != held_by.end() && (it->second -= n) == 0) held_by.erase(it);
    }

    // A 503 to try again in a second, in the API's error shape.
    static Response unavailable(const char* code, const std::string& message) {
        ApiError e(503, code, message);
        e.retry_after = 1;
        Response r;
        reply_error(r, e);
        return r;
    }

    // ---- answers -----------------------------------------------------------

    static void free_body(void* cls) { delete static_cast<std::string*>(cls); }

    MHD_Result queue(Exchange& ex) {
        auto* body = new std::string(std::move(ex.res.body));
        MHD_Response* r = MHD_create_response_from_buffer_with_free_callback_cls(
            body->size(), body->data(), &Impl::free_body, body);
        if (r == nullptr) {
            delete body;
            return MHD_NO;
        }
        for (const auto& [name, value] : ex.res.headers)
            MHD_add_response_header(r, name.c_str(), value.c_str());
        if (ex.res.close) MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
        const auto status = static_cast<unsigned>(ex.res.status > 0 ? ex.res.status : 200);
        const auto result = MHD_queue_response(ex.connection, status, r);
        MHD_destroy_response(r);
        if (hooks.log) {
            ex.res.body.clear();
            hooks.log(ex.req, ex.res,
                      std::chrono::duration<double, std::milli>(Clock::now() - ex.start).count());
        }
        return result;
    }

    MHD_Result refuse(Exchange& ex, Response res) {
        ex.res = std::move(res);
        ex.res.close = true;
        return queue(ex);
    }

    // ---- the head watcher --------------------------------------------------

    static Watched* watched_of(MHD_Connection* c) {
        const auto* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        return info == nullptr ? nullptr : static_cast<Watched*>(info->socket_context);
    }

    void to_stage(Watched* w, Watched::Stage stage) {
        if (w == nullptr) return;
        std::lock_guard lock(watch_mutex);
        w->stage = stage;
        w->since = Clock::now();
        w->body_bytes = 0;
    }

    void body_arrived(Watched* w, std::size_t n) {
        if (w == nullptr) return;
        std::lock_guard lock(watch_mutex);
        w->body_bytes += n;
    }

    // Shuts down the connections whose head or body is late: how many of each.
    std::pair<long, long> shut_late() {
        const auto grace = std::chrono::duration<double>(limits.header_timeout_s);
        const auto now = Clock::now();
        std::pair<long, long> n{0, 0};
        std::lock_guard lock(watch_mutex);
        for (auto* w : watched) {
            if (w->shut || w->stage == Watched::Stage::handled || now - w->since < grace) continue;
            if (w->stage == Watched::Stage::body) {
                const double window = std::chrono::duration<double>(now - w->since).count();
                if (static_cast<double>(w->body_bytes) >= body_min_bytes_per_s * window) {
                    w->since = now; // kept up: a new window
                    w->body_bytes = 0;
                    continue;
                }
            }
            ::shutdown(w->fd, SHUT_RDWR);
            w->shut = true;
            ++(w->stage == Watched::Stage::head ? n.first : n.second);
        }
        return n;
    }

    // ---- libmicrohttpd's callbacks -----------------------------------------

    static void* uri_logged(void* cls, const char* uri, MHD_Connection* c) {
        auto* ex = new Exchange;
        ex->server = static_cast<Impl*>(cls);
        ex->connection = c;
        ex->req.target = uri == nullptr ? "" : uri;
        return ex;
    }

    static MHD_Result header(void* cls, MHD_ValueKind, const char* key, const char* value) {
        static_cast<Request*>(cls)->headers.emplace(key == nullptr ? "" : key,
                                                    value == nullptr ? "" : value);
        return MHD_YES;
    }

    static MHD_Result access(void* cls, MHD_Connection* c, const char*, const char* method,
                             const char*, const char* upload_data, std::size_t* upload_size,
                             void** con_cls) {
        auto& self = *static_cast<Impl*>(cls);
        auto* ex = static_cast<Exchange*>(*con_cls);
        if (ex == nullptr) { // no request line logged (cannot happen; be safe)
            ex = static_cast<Exchange*>(uri_logged(cls, "/", c));
            *con_cls = ex;
        }
        if (!ex->headed) return self.first(*ex, c, method);
        if (*upload_size > 0) {
            // The library delivers no more than Content-Length, which the
            // screen has held to the route's limit.
            if (!ex->draining) ex->req.body.append(upload_data, *upload_size);
            self.body_arrived(ex->watch, *upload_size);
            *upload_size = 0;
            return MHD_YES;
        }
        if (ex->draining) return self.queue(*ex);
        if (!ex->dispatched) {
            // Counted before the check, so that run() either sees it in
            // flight or it sees the server closing (never neither).
            ++self.in_flight;
            if (self.closing) {
                --self.in_flight;
                return self.refuse(*ex, stopping_answer());
            }
            ex->dispatched = true;
            self.to_stage(ex->watch, Watched::Stage::handled);
            MHD_suspend_connection(c);
            self.pool->post([&self, ex] {
                self.hooks.handle(ex->req, ex->res);
                ex->answered = true;
                MHD_resume_connection(ex->connection);
            });
            return MHD_YES;
        }
        if (!ex->answered) return MHD_YES;
        return self.queue(*ex);
    }

    static Response stopping_answer() {
        return unavailable("stopping", "the server is stopping; send this again in a moment");
    }

    MHD_Result first(Exchange& ex, MHD_Connection* c, const char* method) {
        ex.headed = true;
        ex.start = Clock::now();
        ex.req.method = method == nullptr ? "" : method;
        parse_target(ex.req);
        MHD_get_connection_values(c, MHD_HEADER_KIND, &Impl::header, &ex.req);
        if (const auto* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS))
            ex.req.remote_addr = address_text(info->client_addr);
        if (std::find(limits.trusted_proxies.begin(), limits.trusted_proxies.end(),
                      ex.req.remote_addr) != limits.trusted_proxies.end()) {
            if (auto client = forwarded_for(ex.req); !client.empty())
                ex.req.remote_addr = std::move(client);
        }
        ex.watch = watched_of(c);
        to_stage(ex.watch, Watched::Stage::body);
        if (closing) return refuse(ex, stopping_answer());
        auto screened = hooks.screen ? hooks.screen(ex.req) : Screened{};
        if (screened.refusal) {
            // A client that waits for 100 Continue sends no body: refused
            // now. One that sends it at once would have its writes cut by
            // the close (a reset, not the answer): its body, within the
            // route's limit, is read and dropped (no memory held; the
            // watcher's pace applies), then answered.
            const bool waits =
                ::strcasecmp(ex.req.get_header_value("Expect").c_str(), "100-continue") == 0;
            if (!screened.drain || waits || content_length(ex.req).value_or(0) == 0)
                return refuse(ex, std::move(*screened.refusal));
            ex.res = std::move(*screened.refusal);
            ex.draining = true;
            return MHD_YES;
        }
        ex.declared = content_length(ex.req).value_or(0); // malformed: refused by the screen
        // A small body is bounded by the connections; a larger one by the
        // budget, charged to who sends it (the screen has checked who).
        if (ex.declared > limits.free_body_bytes) {
            ex.holder = screened.holder.empty() ? ex.req.remote_addr : screened.holder;
            if (auto why = reserve(ex.holder, ex.declared)) {
                note(fmt::format("{} {}: a {}-byte body refused before it was read: {}",
                                 ex.req.method, ex.req.path, ex.declared, *why));
                return refuse(ex, unavailable("busy",
                                              "the server is receiving too many request bodies at "
                                              "once; send this one again in a moment"));
            }
            ex.reserved = ex.declared;
        }
        ex.req.body.reserve(ex.declared);
        return MHD_YES;
    }

    static void completed(void* cls, MHD_Connection* c, void** con_cls,
                          MHD_RequestTerminationCode) {
        auto& self = *static_cast<Impl*>(cls);
        auto* ex = static_cast<Exchange*>(*con_cls);
        *con_cls = nullptr;
        self.to_stage(watched_of(c), Watched::Stage::head); // the next head's time starts
        if (ex == nullptr) return;
        self.release(ex->holder, ex->reserved);
        if (ex->dispatched) --self.in_flight;
        delete ex;
    }

    static void connection(void* cls, MHD_Connection* c, void** socket_context,
                           MHD_ConnectionNotificationCode code) {
        auto& self = *static_cast<Impl*>(cls);
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            auto* w = new Watched;
            if (const auto* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD))
                w->fd = info->connect_fd;
            w->since = Clock::now();
            std::lock_guard lock(self.watch_mutex);
            self.watched.insert(w);
            *socket_context = w;
            return;
        }
        auto* w = static_cast<Watched*>(*socket_context);
        if (w == nullptr) return;
        std::lock_guard lock(self.watch_mutex);
        self.watched.erase(w);
        *socket_context = nullptr;
        delete w;
    }

    static void library_log(void* cls, const char* format, va_list ap) {
        char line[512];
        std::vsnprintf(line, sizeof line, format, ap);
        std::string text = line;
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
            text.pop_back();
        // A connection closed (by its client, or by the watcher's shutdown)
        // is routine, not news.
        if (text.find("closure") != std::string::npos ||
            text.rfind("Connection socket is closed", 0) == 0 ||
            text.find("onnection was closed") != std::string::npos)
            return;
        static_cast<Impl*>(cls)->note("http: " + text);
    }
};

HttpServer::HttpServer(HttpLimits limits, HttpHooks hooks) : impl_(std::make_unique<Impl>()) {
    // Addresses as the front end writes a client's (::1, not 0:0:0:0:0:0:0:1).
    for (auto& a : limits.trusted_proxies) {
        sockaddr_in6 v6{};
        sockaddr_in v4{};
        if (::inet_pton(AF_INET, a.c_str(), &v4.sin_addr) == 1) {
            v4.sin_family = AF_INET;
            a = address_text(reinterpret_cast<const sockaddr*>(&v4));
        } else if (::inet_pton(AF_INET6, a.c_str(), &v6.sin6_addr) == 1) {
            v6.sin6_family = AF_INET6;
            a = address_text(reinterpret_cast<const sockaddr*>(&v6));
        }
    }
    impl_->limits = limits;
    impl_->hooks = std::move(hooks);
}

HttpServer::~HttpServer() {
    if (impl_->daemon != nullptr) {
        MHD_stop_daemon(impl_->daemon); // closes the listening socket too
        impl_->listen_fd = -1;
    }
    if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
}

int HttpServer::bind(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const auto service = std::to_string(port);
    if (const int rc =
            ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
        rc != 0) {
        throw InputError(fmt::format("cannot listen on {}:{}: {}", host, port, gai_strerror(rc)));
    }
    int fd = -1;
    int err = 0;
    for (auto* a = found; a != nullptr && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
            err = errno;
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(found);
    if (fd < 0) {
        throw InputError(fmt::format("cannot listen on {}:{}: {}{}", host, port, std::strerror(err),
                                     err == EADDRINUSE ? " (is another server running?)" : ""));
    }
    impl_->listen_fd = fd;
    sockaddr_storage bound{};
    socklen_t len = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
    return bound.ss_family == AF_INET6
               ? ntohs(reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port)
               : ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
}

void HttpServer::run() {
    auto& m = *impl_;
    // Every connection is a descriptor: the usual soft limit (1024) would
    // refuse connections long before max_connections.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    m.pool = std::make_unique<HandlerPool>(std::max(1u, m.limits.handler_threads));
    m.daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, nullptr,
        nullptr, &Impl::access, &m, MHD_OPTION_EXTERNAL_LOGGER, &Impl::library_log, &m,
        MHD_OPTION_LISTEN_SOCKET, m.listen_fd, MHD_OPTION_THREAD_POOL_SIZE,
        std::max(1u, m.limits.event_threads), MHD_OPTION_CONNECTION_LIMIT, m.limits.max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, m.limits.per_address, MHD_OPTION_CONNECTION_TIMEOUT,
        m.limits.io_timeout_s, MHD_OPTION_URI_LOG_CALLBACK, &Impl::uri_logged, &m,
        MHD_OPTION_NOTIFY_COMPLETED, &Impl::completed, &m, MHD_OPTION_NOTIFY_CONNECTION,
        &Impl::connection, &m, MHD_OPTION_END);
    if (m.daemon == nullptr) {
        m.pool->join();
        throw InternalError("the HTTP server (libmicrohttpd) did not start");
    }
    // The head watcher runs on this thread until stop().
    {
        std::unique_lock lock(m.stop_mutex);
        auto last_report = Clock::time_point{}; // the first is reported at once
        std::pair<long, long> shut{0, 0};
        while (!m.closing) {
            m.stop_cv.wait_for(lock, std::chrono::milliseconds(250));
            lock.unlock();
            const auto late = m.shut_late();
            shut.first += late.first;
            shut.second += late.second;
            if (m.hooks.note && (shut.first > 0 || shut.second > 0) &&
                Clock::now() - last_report > std::chrono::seconds(10)) {
                m.hooks.note(fmt::format(
                    "closed {} connections that sent no whole request head within {} s, and {} "
                    "whose body came slower than {} bytes/s over as long (--header-timeout)",
                    shut.first, m.limits.header_timeout_s, shut.second, body_min_bytes_per_s));
                shut = {0, 0};
                last_report = Clock::now();
            }
            lock.lock();
        }
    }
    // No new connections (the listening socket closed at once, so that
    // connects fail rather than wait); a request that arrives on an open
    // connection is answered 503; the requests being handled finish and
    // are answered. libmicrohttpd must not be stopped while a connection is
    // suspended, so it is stopped only once none is in flight.
    const int listening = MHD_quiesce_daemon(m.daemon);
    if (listening >= 0) ::close(listening);
    m.listen_fd = -1;
    for (int i = 0; i < 3000 && m.in_flight > 0; ++i) // 30 s at most
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (m.in_flight > 0) {
        // A handler that does not return: leave it (and the library's
        // threads) to the process's exit rather than wait forever or abort.
        if (m.hooks.note)
            m.hooks.note(fmt::format("{} requests still running after 30 s; not waiting for them",
                                     m.in_flight.load()));
        m.daemon = nullptr;
        static_cast<void>(m.pool.release());
        return;
    }
    m.pool->join();
    MHD_stop_daemon(m.daemon);
    m.daemon = nullptr;
}

void HttpServer::stop() {
    {
        std::lock_guard lock(impl_->stop_mutex);
        impl_->closing = true;
    }
    impl_->stop_cv.notify_all();
}

} // namespace wb::server
