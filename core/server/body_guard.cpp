// Request bodies judged from their headers (see body_guard.h).
#include "core/server/body_guard.h"

#include <fmt/format.h>

namespace wb::server {

bool expects_body(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::optional<ApiError> body_refusal(const Request& req, std::size_t limit) {
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
    if (*length <= limit) return std::nullopt;
    return ApiError(413, "too_large",
                    fmt::format("the request body is {} bytes, over the limit of {} bytes for {} "
                                "{} (refused before it was read)",
                                *length, limit, req.method, req.path));
}

} // namespace wb::server
