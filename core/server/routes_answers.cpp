// Answer routes: a student's answers to an MP's questions (questions.json),
// one set per user and MP, the latest kept; the caller's own read back;
// and the TAs' CSV export of everyone's. The questions are the MP's latest
// version's, as the API's MP object shows them.
#include "core/answers.h"
#include "core/catalog.h"
#include "core/server/routes.h"

#include <fmt/format.h>

namespace wb::server {
namespace routes {

void post_answers(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    const auto body = parse_body(c.req.body, body_bytes(ctx.opts, BodyLimit::program));
    only_fields(body, {"answers"});
    const auto m = find_mp(ctx, mp_id);
    const auto it = body.find("answers");
    const auto answers =
        core::checked_answers(it == body.end() ? nlohmann::json() : *it, m.config.questions, mp_id);
    const auto at =
        ctx.db.with([&](Stores& s) { return s.answers.save_answers(c.user.id, mp_id, answers); });
    reply(c.res, 200,
          {{"mp", mp_id}, {"user", c.user.name}, {"answers", answers}, {"answered_at", at}});
}

void get_answers(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    const auto m = find_mp(ctx, mp_id);
    const auto set = ctx.db.with([&](Stores& s) { return s.answers.answers(c.user.id, mp_id); });
    nlohmann::json j = set ? nlohmann::json(*set)
                           : nlohmann::json{{"user", c.user.name},
                                            {"mp", mp_id},
                                            {"answers", nlohmann::json::array()},
                                            {"answered_at", nullptr}};
    j["questions"] = m.config.questions;
    reply(c.res, 200, j);
}

void answers_csv(Context& ctx, Call& c) {
    if (!c.req.has_param("mp")) throw bad_request("name the MP: ?mp=ID");
    const auto mp_id = check_name(c.req.get_param_value("mp"), "MP id");
    const auto m = find_mp(ctx, mp_id);
    const auto sets = ctx.db.with([&](Stores& s) { return s.answers.all_answers(mp_id); });
    c.res.set_header("Content-Disposition",
                     fmt::format("attachment; filename=\"answers-{}.csv\"", mp_id));
    c.res.set_content(core::answers_csv(sets, m.config.questions), "text/csv; charset=utf-8");
}

} // namespace routes
} // namespace wb::server
