// Writing JSON replies into responses: apart from the rest of
// http_json.cpp, so that what `wbtool user` shares with the server (names,
// numbers, errors) does not bring the HTTP layer into the wbtool binary.
#include "core/server/http.h"
#include "core/server/http_json.h"

namespace wb::server {

void reply(Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                    "application/json");
}

void reply_error(Response& res, const ApiError& e) {
    if (e.retry_after > 0) res.set_header("Retry-After", std::to_string(e.retry_after));
    reply(res, e.status(), {{"error", {{"code", e.code()}, {"message", e.what()}}}});
}

} // namespace wb::server
