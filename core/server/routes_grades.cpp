// Grade routes. A grade is, per user and MP, the best finished attempt that
// ran every dataset (most datasets correct; the latest among equals), and
// how many such attempts there were. Students see their own rows; TAs and
// admins see everyone's and can export them as CSV.
#include "core/server/context.h"

#include <fmt/format.h>

namespace wb::server {
namespace {

nlohmann::json grade_json(const store::GradeRow& g) {
    return {{"user", g.user},
            {"mp", g.mp_id},
            {"attempt_id", g.attempt_id},
            {"verdict", g.verdict},
            {"correct", g.correct},
            {"total", g.total},
            {"score", g.total > 0 ? static_cast<double>(g.correct) / g.total : 0.0},
            {"attempts", g.attempts},
            {"finished_at", g.finished_at}};
}

// Students: themselves. TAs: ?user=NAME, or everyone.
std::int64_t grade_filter(Context& ctx, const Call& c) {
    const auto name = c.req.get_param_value("user");
    if (!c.user.is_ta()) {
        if (!name.empty() && name != c.user.name)
            throw forbidden("a student sees only their own grades");
        return c.user.id;
    }
    if (name.empty()) return 0;
    return subject_user(ctx, c, name).id;
}

void grades(Context& ctx, Call& c) {
    const auto user = grade_filter(ctx, c);
    const auto rows = ctx.db.with([&](auto&, store::ServerStore& s) { return s.grades(user, ""); });
    auto arr = nlohmann::json::array();
    for (const auto& g : rows)
        arr.push_back(grade_json(g));
    reply(c.res, 200, {{"grades", arr}});
}

void grade_for_mp(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    const auto user = grade_filter(ctx, c);
    const bool exists =
        ctx.db.with([&](store::Store& s, auto&) { return s.get_mp(mp_id).has_value(); });
    if (!exists) throw not_found(fmt::format("no MP '{}'", mp_id));
    const auto rows =
        ctx.db.with([&](auto&, store::ServerStore& s) { return s.grades(user, mp_id); });
    auto arr = nlohmann::json::array();
    for (const auto& g : rows)
        arr.push_back(grade_json(g));
    reply(c.res, 200, {{"mp", mp_id}, {"grades", arr}});
}

// RFC 4180: quote a field that holds a comma, a quote or a line break; a
// leading = + - @ is prefixed with ' so a spreadsheet does not run it.
std::string csv_field(const std::string& s) {
    std::string v = s;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char ch : v)
        out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

void grades_csv(Context& ctx, Call& c) {
    std::string mp_id;
    if (c.req.has_param("mp")) mp_id = check_name(c.req.get_param_value("mp"), "MP id");
    const auto rows = ctx.db.with([&](auto&, store::ServerStore& s) { return s.grades(0, mp_id); });
    std::string out = "user,mp,correct,total,score,verdict,attempts,attempt_id,finished_at\r\n";
    for (const auto& g : rows) {
        out += fmt::format(
            "{},{},{},{},{:.4f},{},{},{},{}\r\n", csv_field(g.user), csv_field(g.mp_id), g.correct,
            g.total, g.total > 0 ? static_cast<double>(g.correct) / g.total : 0.0,
            csv_field(g.verdict), g.attempts, g.attempt_id, csv_field(g.finished_at));
    }
    c.res.set_header("Content-Disposition", "attachment; filename=\"grades.csv\"");
    c.res.set_content(out, "text/csv; charset=utf-8");
}

} // namespace

std::vector<Route> grade_routes() {
    return {
        {"GET", "/api/v1/grades", Access::user, grades},
        {"GET", "/api/v1/grades.csv", Access::ta, grades_csv},
        {"GET", "/api/v1/grade/{mp}", Access::user, grade_for_mp},
    };
}

} // namespace wb::server
