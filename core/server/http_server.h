// The HTTP front end of `wbtool serve`, on GNU libmicrohttpd: a few event
// threads (epoll) hold every connection, however many and however slow,
// and a fixed pool of handler threads runs the routes. A connection holds
// no thread while it is idle, sends its head a byte at a time or waits in
// a worker's long-poll (it is suspended, not parked on a thread of the
// event loop).
//
// What a client can make the server hold is bounded:
//  - connections: `max_connections` in all, `per_address` from one address
//    (more are closed at once);
//  - time: a whole request head within `header_timeout_s` of connecting or
//    of the previous answer (idle keep-alive and slowloris alike); a body
//    at 500 bytes/s at least once that long is over; and no more than
//    `io_timeout_s` without progress while a body is read or an answer
//    written;
//  - memory: each connection's buffer (32 KiB, the head must fit), and the
//    bodies being received, which are refused from their Content-Length
//    (503, Retry-After) when they would take the total past `body_memory`;
//  - work: a request's head is screened before its body is read (the
//    route's body limit, see body_guard.h).
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
    unsigned event_threads = 2;
    unsigned handler_threads = 48;
    // Reverse proxies (their addresses, as text): a request from one of
    // them is from the last address its X-Forwarded-For names.
    std::vector<std::string> trusted_proxies;
};

struct HttpHooks {
    // On the head, before the body is read: an answer refuses the request
    // (its body unread, the connection closed after it).
    std::function<std::optional<Response>(const Request&)> screen;
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
