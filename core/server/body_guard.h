// Request bodies judged from their heads, before a byte of them is read
// (the HTTP front end calls refusal() once a head is whole):
//  - no Content-Length and not chunked: an empty body (RFC 9112 6.3);
//  - any Transfer-Encoding (chunked): 411, send a Content-Length;
//  - a Content-Length past the route's limit: 413, before authentication;
//  - a body on a GET: 400.
// A refusal closes the connection: the body that follows is not read, and
// must not be taken for the next request. So the memory a request can make
// the server hold is its route's limit (64 KiB for most, see body_bytes),
// within the server's budget for all bodies (http_server.h).
#pragma once

#include "core/server/context.h"

#include <optional>
#include <regex>
#include <vector>

namespace wb::server {

class BodyGuard {
  public:
    BodyGuard(const ServeOptions& options, const std::vector<Route>& routes);

    // Why the request is refused from its head; nothing when it may be read.
    std::optional<ApiError> refusal(const Request& req) const;

  private:
    std::size_t limit_for(const Request& req) const;

    struct Limit {
        std::string method;
        std::regex path;
        std::size_t bytes;
    };
    std::vector<Limit> limits_;
};

// Whether requests of the method carry a body.
bool expects_body(const std::string& method);

} // namespace wb::server
