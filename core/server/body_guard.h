// Request bodies judged from their headers, before a byte of them is read.
//
// cpp-httplib 0.11 reads a body whole into memory before any handler runs:
// up to the library-wide payload limit from its Content-Length, with no
// limit at all when it is chunked, and until the read timeout (30 s) when
// there is neither. Its pre-routing and Expect: 100-continue hooks run on
// the headers alone, so the server answers there:
//  - no Content-Length and not chunked: an empty body (RFC 9112 6.3);
//  - any Transfer-Encoding (chunked): 411, send a Content-Length;
//  - a Content-Length past the route's limit: 413, before authentication;
//  - a body on a GET: 400.
// A refusal closes the connection: the body that follows is not read, and
// must not be taken for the next request. So the memory a request can make
// the server hold is its route's limit (64 KiB for most, see body_bytes).
#pragma once

#include "core/server/context.h"

#include <optional>
#include <regex>
#include <vector>

namespace wb::server {

class BodyGuard {
  public:
    BodyGuard(const ServeOptions& options, const std::vector<Route>& routes);

    // Why the request is refused from its headers; nothing when it may be read.
    std::optional<ApiError> refusal(const httplib::Request& req) const;

  private:
    std::size_t limit_for(const httplib::Request& req) const;

    struct Limit {
        std::string method;
        std::regex path;
        std::size_t bytes;
    };
    std::vector<Limit> limits_;
};

// Whether requests of the method carry a body (cpp-httplib reads one).
bool expects_body(const std::string& method);

// Gives `req` the empty body RFC 9112 says it has when it declares none
// (no Content-Length, no Transfer-Encoding), so that cpp-httplib does not
// read until the client closes or the read timeout.
void default_empty_body(const httplib::Request& req);

// Answers with `e`, then closes the connection. `length_header`: set
// Content-Length here (the Expect: 100-continue answer; a routed answer
// gets it from the library).
void answer_and_close(httplib::Response& res, const ApiError& e, bool length_header);

} // namespace wb::server
