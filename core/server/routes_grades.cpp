// Grade routes. A grade is, per user and MP, the best finished attempt that
// ran every dataset (most datasets correct; the latest among equals), and
// how many such attempts there were. Students see their own rows; TAs and
// admins see everyone's and can export them as CSV (core/attempt.h).
#include "core/attempt.h"
#include "core/catalog.h"
#include "core/server/routes.h"

#include <fmt/format.h>

namespace wb::server {
namespace routes {

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

std::vector<store::GradeRow> grades_of(Context& ctx, std::int64_t user, const std::string& mp_id) {
    return ctx.db.with([&](Stores& s) { return s.submissions.grades(user, mp_id); });
}

void grades(Context& ctx, Call& c) {
    reply(c.res, 200, {{"grades", grades_of(ctx, grade_filter(ctx, c), "")}});
}

void grade_for_mp(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    const auto user = grade_filter(ctx, c);
    ctx.db.with([&](Stores& s) { return core::find_mp(s.catalog, mp_id); }); // 404 if none
    reply(c.res, 200, {{"mp", mp_id}, {"grades", grades_of(ctx, user, mp_id)}});
}

void grades_csv(Context& ctx, Call& c) {
    std::string mp_id;
    if (c.req.has_param("mp")) mp_id = check_name(c.req.get_param_value("mp"), "MP id");
    c.res.set_header("Content-Disposition", "attachment; filename=\"grades.csv\"");
    c.res.set_content(core::grades_csv(grades_of(ctx, 0, mp_id)), "text/csv; charset=utf-8");
}

} // namespace routes
} // namespace wb::server
