// Request bodies judged from their headers (see body_guard.h).
#include "core/server/body_guard.h"

#include "core/server/routes.h"

#include <fmt/format.h>

#include <charconv>

namespace wb::server {

namespace {

// The declared length; nothing when it is not one decimal number.
std::optional<std::uint64_t> content_length(const Request& req) {
    if (req.header_count("Content-Length") != 1) return std::nullopt;
    const auto text = req.get_header_value("Content-Length");
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return n;
}

} // namespace

bool expects_body(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

BodyGuard::BodyGuard(const ServeOptions& options, const std::vector<Route>& routes) {
    for (const auto& r : routes)
        limits_.push_back({r.method, std::regex(path_regex(r.path)), body_bytes(options, r.body)});
}

// Every route takes a small body, so only a larger one needs its route
// found (a regex per route, too slow to pay on every request).
std::size_t BodyGuard::limit_for(const Request& req) const {
    for (const auto& l : limits_)
        if (l.method == req.method && std::regex_match(req.path, l.path)) return l.bytes;
    return small_body_bytes; // no such route: answered 404 or 405 without reading
}

std::optional<ApiError> BodyGuard::refusal(const Request& req) const {
    if (req.has_header("Transfer-Encoding")) {
        return ApiError(411, "length_required",
                        "send the request body with a Content-Length: bodies in chunks "
                        "(Transfer-Encoding) are not taken");
    }
    if (!req.has_header("Content-Length")) return std::nullopt;
    const auto length = content_length(req);
    if (!length) return bad_request("the request's Content-Length is not one decimal number");
    if (*length > 0 && !expects_body(req.method))
        return bad_request(fmt::format("a {} request takes no body", req.method));
    if (*length <= small_body_bytes) return std::nullopt;
    const auto limit = limit_for(req);
    if (*length <= limit) return std::nullopt;
    return ApiError(413, "too_large",
                    fmt::format("the request body is {} bytes, over the limit of {} bytes for {} "
                                "{} (refused before it was read)",
                                *length, limit, req.method, req.path));
}

} // namespace wb::server
