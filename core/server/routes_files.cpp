// A file of an MP's bundle for the description to reference (its pictures
// under imgs/, a PDF): the latest version's, never a dataset, the reference
// solution or a generator (core/public_files.h). The path is the rest of
// the URL, slashes and all (`/files/imgs/fig.png`, or `imgs%2Ffig.png`).
#include "core/catalog.h"
#include "core/public_files.h"
#include "core/server/routes.h"

#include <fmt/format.h>

namespace wb::server {
namespace routes {

void get_mp_file(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    const auto path = check_bundle_path(c.param(2));
    const auto m = find_mp(ctx, mp_id);
    if (const auto why = core::withheld_file(m.config, path)) throw forbidden(*why);
    const auto* f = m.file(path);
    if (!f)
        throw not_found(
            fmt::format("MP '{}' (version {}) has no file '{}'", mp_id, m.version, path));
    auto content = ctx.db.with([&](Stores& s) { return s.catalog.get_blob(f->sha256); });
    if (!content) throw not_found(fmt::format("the content of '{}' is missing", path));
    // A picture is shown, never run: an SVG's scripts stay inert even when
    // a browser opens it straight from the API's origin.
    c.res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                                                "img-src 'self' data:; sandbox");
    c.res.set_header("X-Content-Type-Options", "nosniff");
    c.res.set_content(std::move(*content), core::content_type_for(path));
}

} // namespace routes
} // namespace wb::server
