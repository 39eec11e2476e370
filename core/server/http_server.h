// The HTTP front end of `wbtool serve`, on GNU libmicrohttpd: a few event
// threads (epoll) hold every connection, however many and however slow,
// and a fixed pool of handler threads runs the routes. A connection holds
// no thread while it is idle or sends its head or body a byte at a time;
// while its request is handled it is suspended and holds only the handler
// thread (a worker's long-poll parks one, within --max-long-polls).
//
// What a client can make the server hold is bounded:
//  - connections: `max_connections` in all, `per_address` from one address
//    (more are closed at once);
//  - time: a whole request head within `header_timeout_s` of connecting or
//    of the previous answer (idle keep-alive and slowloris alike); a body
//    at 500 bytes/s at least over each such window; and no more than
//    `io_timeout_s` without progress while an answer is written;
//  - memory: each connection's buffer (32 KiB, the head must fit) and its
//    body up to `free_body_bytes`; larger bodies are reserved from their
//    Content-Length against `body_memory` in all and
//    `body_memory_per_holder` for one sender (the screen names who that is,
//    having checked their credentials), and refused (503, Retry-After)
//    before they are read when either would be passed;
//  - work: a request's head is screened before its body is read (the
//    route's body limit, see body_guard.h).
// On stop(), the listening socket closes, requests that arrive on open
// connections are answered 503, and those being handled finish first.
// Internal to core/server.
#pragma once

#include "core/server/http.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wb::server {

struct HttpLimits {
    unsigned max_connections = 2048;
    unsigned per_address = 128;
    double header_timeout_s = 15;
    unsigned io_timeout_s = 30;
    std::size_t body_memory = std::size_t{256} << 20;
    // A body this small is never refused for memory (the connections bound
    // them); a larger one is charged to its holder, who may hold this much.
    std::size_t free_body_bytes = 64 << 10;
    std::size_t body_memory_per_holder = std::size_t{85} << 20;
    unsigned event_threads = 2;
    unsigned handler_threads = 48;
    // Reverse proxies (their addresses, as text): a request from one of
    // them is from the last address its X-Forwarded-For names.
    std::vector<std::string> trusted_proxies;
};

// What the screen says of a request's head.
struct Screened {
    std::optional<Response> refusal; // answered unread, the connection closed
    bool drain = false; // rather: the body (within its limit) read and dropped, then answered
    std::string holder; // who its body is charged to ("": its address)
};

struct HttpHooks {
    // On the head, before the body is read.
    std::function<Screened(const Request&)> screen;
    // On a handler thread, once the body is read.
    std::function<void(Request&, Response&)> handle;
    // Once per answer, for the log: how long since the head arrived.
    std::function<void(const Request&, const Response&, double ms)> log;
    // A line from the HTTP library or the front end (already rate-limited).
    std::function<void(const std::string&)> note;
};

class HttpServer {
  public:
    HttpServer(HttpLimits limits, HttpHooks hooks);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens; returns the port (port 0: a free one). Throws
    // InputError naming the address when it cannot.
    int bind(const std::string& host, int port);

    // Serves until stop(): then takes no new connection, lets the requests
    // being handled finish and be answered, and closes every connection.
    // Throws InternalError when the HTTP library cannot start.
    void run();

    // From any thread (a signal's): makes run() return.
    void stop();

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

} // namespace wb::server
