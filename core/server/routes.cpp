// The API's one table (see routes.h), and the two routes that need no file
// of their own.
#include "core/server/routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace wb::server {

namespace routes {

// A static answer from the same library, for health checks and as the
// benchmark's baseline.
void healthz(Context&, Call& c) {
    c.res.set_content("ok\n", "text/plain");
}

void request_log(Context& ctx, Call& c) {
    constexpr std::int64_t most = 10000;
    std::int64_t n = 200;
    if (c.req.has_param("lines")) n = check_number(c.req.get_param_value("lines"), "line count");
    if (n > most) throw bad_request(fmt::format("'lines' is {}, over the most of {}", n, most));
    reply(c.res, 200, {{"lines", ctx.log.last(static_cast<std::size_t>(n))}});
}

} // namespace routes

std::string path_regex(const std::string& path) {
    static const std::regex param(R"(\{[a-z_]+\})");
    std::string escaped = std::regex_replace(path, std::regex(R"([.])"), R"(\.)");
    static const std::string rest = "{path}";
    if (escaped.ends_with(rest)) escaped.replace(escaped.size() - rest.size(), rest.size(), "(.+)");
    return std::regex_replace(escaped, param, "([^/]+)");
}

std::vector<Route> all_routes() {
    using namespace routes;
    return {
        {"POST", "/api/v1/signup", Access::open, signup},
        {"POST", "/api/v1/login", Access::open, login},
        {"POST", "/api/v1/logout", Access::user, logout},
        {"GET", "/api/v1/whoami", Access::user, whoami},
        {"POST", "/api/v1/apikey", Access::user, rotate_key},
        {"GET", "/api/v1/users", Access::admin, list_users},
        {"POST", "/api/v1/users", Access::admin, add_user},

        {"GET", "/api/v1/mps", Access::user, list_mps},
        {"POST", "/api/v1/mps/import", Access::admin, import_bundle, BodyLimit::import},
        {"GET", "/api/v1/mp/{id}", Access::user, get_mp},
        {"GET", "/api/v1/mp/{id}/description", Access::user, get_description},
        {"GET", "/api/v1/mp/{id}/program", Access::user, get_program},
        {"POST", "/api/v1/mp/{id}/save", Access::user, save, BodyLimit::program},
        {"POST", "/api/v1/mp/{id}/submit", Access::user, submit, BodyLimit::program},
        {"POST", "/api/v1/mp/{id}/grade", Access::user, grade, BodyLimit::program},
        {"GET", "/api/v1/mp/{id}/attempts", Access::user, list_attempts},
        {"GET", "/api/v1/mp/{id}/attempt/{aid}", Access::user, get_attempt},
        {"GET", "/api/v1/attempt/{aid}", Access::user, get_attempt_by_id},
        {"GET", "/api/v1/attempt/{aid}/diff/{dataset}", Access::user, get_attempt_diff},
        {"POST", "/api/v1/mp/{id}/answers", Access::user, post_answers, BodyLimit::program},
        {"GET", "/api/v1/mp/{id}/answers", Access::user, get_answers},
        {"GET", "/api/v1/answers.csv", Access::ta, answers_csv},
        {"GET", "/api/v1/mp/{id}/files/{path}", Access::user, get_mp_file},

        {"GET", "/api/v1/grades", Access::user, grades},
        {"GET", "/api/v1/grades.csv", Access::ta, grades_csv},
        {"GET", "/api/v1/grade/{mp}", Access::user, grade_for_mp},

        {"POST", "/api/v1/worker/register", Access::worker, register_worker},
        {"POST", "/api/v1/worker/heartbeat", Access::worker, heartbeat},
        {"POST", "/api/v1/worker/unregister", Access::worker, unregister_worker},
        {"POST", "/api/v1/worker/jobs/next", Access::worker, next_job},
        {"POST", "/api/v1/worker/jobs/{job}/result", Access::worker, post_result,
         BodyLimit::report},
        {"POST", "/api/v1/worker/jobs/{job}/progress", Access::worker, post_progress},
        {"GET", "/api/v1/worker/blob/{hash}", Access::worker, get_blob},
        {"GET", "/api/v1/workers", Access::ta, list_workers},
        {"GET", "/api/v1/worker/{id}", Access::admin, get_worker},
        {"POST", "/api/v1/worker/{id}/drain", Access::admin, drain_worker},
        {"DELETE", "/api/v1/worker/{id}", Access::admin, delete_worker},

        {"GET", "/healthz", Access::open, healthz},
        {"GET", "/api/v1/log", Access::admin, request_log},
    };
}

} // namespace wb::server
