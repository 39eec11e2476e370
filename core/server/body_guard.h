// Request bodies judged from their heads, before a byte of them is read
// (the HTTP front end's screen, server.cpp, calls body_refusal once a head
// is whole):
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

#include <cstddef>
#include <optional>
#include <string>

namespace wb::server {

// Why the request is refused from its head, its route taking bodies of up
// to `limit` bytes; nothing when it may be read.
std::optional<ApiError> body_refusal(const Request& req, std::size_t limit);

// Whether requests of the method carry a body.
bool expects_body(const std::string& method);

} // namespace wb::server
