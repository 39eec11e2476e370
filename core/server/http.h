// A request as the routes read it and the answer they write: plain data,
// filled by the HTTP front end (http_server.h) and read back by it. The
// routes never see the HTTP library, so that it can change under them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wb::server {

// Header names compare without case (RFC 9110 5.1).
struct NoCaseLess {
    bool operator()(const std::string& a, const std::string& b) const;
};

struct Request {
    std::string method;
    std::string target; // as sent: the path and query, percent-encoded
    std::string path;   // the target's path, percent-decoded (may hold any byte)
    std::string body;
    std::string remote_addr; // the client's address, as text
    std::multimap<std::string, std::string, NoCaseLess> headers;
    std::multimap<std::string, std::string> params; // the query, decoded
    std::vector<std::string> matches; // the route's match: [0] the path, then its {parameters}
    std::string caller;               // who sent it, once authenticated: for the log line

    bool has_header(const std::string& name) const { return headers.count(name) > 0; }
    std::size_t header_count(const std::string& name) const { return headers.count(name); }
    std::string get_header_value(const std::string& name) const; // the first; "" when none
    bool has_param(const std::string& name) const { return params.count(name) > 0; }
    std::string get_param_value(const std::string& name) const; // the first; "" when none
};

struct Response {
    int status = 0; // 0: 200 when a handler sets a body and no status
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    bool close = false; // close the connection after this answer

    void set_header(const std::string& name, const std::string& value);
    void set_content(std::string content, const std::string& type);
};

// %XX decoded (a '%' not followed by two hex digits stays as it is); with
// `plus_is_space`, '+' is a space, as in a query.
std::string percent_decode(std::string_view text, bool plus_is_space);

// The declared Content-Length; nothing when there is none, or it is not one
// decimal number on one header line.
std::optional<std::uint64_t> content_length(const Request& req);

// Splits a target into its decoded path and query parameters.
void parse_target(Request& req);

} // namespace wb::server
