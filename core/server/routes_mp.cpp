// MP routes: the list, one MP (title, description, template), saved
// programs, submissions and grade requests (an attempt and its job, one
// transaction), attempts, and the admin's bundle import.
//
// A submission's program is checked exactly as `wbtool grade` checks a file
// (core::make_program), its dataset against the MP's datasets, and the
// request against the per-user rate limit, before anything is stored.
#include "core/attempt.h"
#include "core/catalog.h"
#include "core/compile.h"
#include "core/error.h"
#include "core/files.h"
#include "core/program.h"
#include "core/score.h"
#include "core/server/routes.h"

#include <fmt/format.h>
#include <sodium.h>

namespace wb::server {
namespace routes {

core::MpVersion find_mp(Context& ctx, const std::string& id) {
    return ctx.db.with([&](Stores& s) { return core::find_mp(s.catalog, id); });
}

std::string bundle_text(Context& ctx, const core::MpVersion& mp, const std::string& path) {
    return ctx.db.with([&](Stores& s) { return core::bundle_text(s.catalog, mp, path); });
}

void list_mps(Context& ctx, Call& c) {
    const auto mps = ctx.db.with([](Stores& s) { return core::list_mps(s.catalog); });
    reply(c.res, 200, {{"mps", mps}});
}

std::vector<double> dataset_scores(const core::MpConfig& c) {
    std::vector<double> out;
    for (const auto& d : c.datasets)
        out.push_back(d.score);
    return out;
}

void get_mp(Context& ctx, Call& c) {
    const auto m = find_mp(ctx, check_name(c.param(1), "MP id"));
    reply(c.res, 200,
          {{"id", m.id},
           {"version", m.version},
           {"title", m.title},
           {"toolchain", core::to_string(m.config.toolchain)},
           {"limits", m.config.limits},
           {"datasets", m.dataset_indices()},
           {"description", bundle_text(ctx, m, m.config.description)},
           {"template_name", m.config.template_file},
           {"template", bundle_text(ctx, m, m.config.template_file)},
           {"language", m.config.language},
           {"scoring", m.config.scoring},
           {"dataset_scores", dataset_scores(m.config)},
           {"questions", m.config.questions},
           {"created_at", m.created_at}});
}

void get_description(Context& ctx, Call& c) {
    const auto m = find_mp(ctx, check_name(c.param(1), "MP id"));
    reply(c.res, 200, {{"id", m.id}, {"description", bundle_text(ctx, m, m.config.description)}});
}

void get_program(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    const auto who = subject_user(ctx, c, c.req.get_param_value("user"));
    const auto m = find_mp(ctx, mp_id);
    auto saved = ctx.db.with([&](Stores& s) { return s.submissions.saved_program(who.id, mp_id); });
    if (saved) {
        reply(c.res, 200,
              {{"mp", mp_id},
               {"user", who.name},
               {"source", "saved"},
               {"text", saved->text},
               {"saved_at", saved->saved_at}});
    } else {
        reply(c.res, 200,
              {{"mp", mp_id},
               {"user", who.name},
               {"source", "template"},
               {"text", bundle_text(ctx, m, m.config.template_file)},
               {"saved_at", nullptr}});
    }
}

std::string checked_program_text(Context& ctx, const std::string& text, const std::string& name) {
    if (text.size() > ctx.opts.max_program_bytes) {
        throw ApiError(413, "too_large",
                       fmt::format("the program is {} bytes, over the limit of {} bytes",
                                   text.size(), ctx.opts.max_program_bytes));
    }
    // A stored program of several files is checked as they are.
    return core::encode_program(core::decode_program(name, text));
}

// The program a body sends, as it is stored (core/program.h): one file in
// "program", or several in "files" ({"NAME": "TEXT", ...}); nothing when
// it sends neither. The body's limit bounds "files" too; their total is
// checked against the program limit as one file's size is.
std::optional<std::string> body_program(Context& ctx, const nlohmann::json& body,
                                        const std::string& name) {
    const bool one = body.contains("program");
    const bool several = body.contains("files");
    if (one && several) throw bad_request("send the program in 'program' or in 'files', not both");
    if (one) return checked_program_text(ctx, get_string(body, "program"), name);
    if (!several) return std::nullopt;
    const auto& files = body["files"];
    if (!files.is_object() || files.empty())
        throw bad_request("field 'files' must be an object of file names to their texts");
    std::vector<core::SourceFile> list;
    std::size_t total = 0;
    for (const auto& [n, t] : files.items()) {
        if (!t.is_string())
            throw bad_request(fmt::format("field 'files': '{}' must be the file's text", n));
        list.push_back({n, t.get<std::string>()});
        total += list.back().text.size();
    }
    if (total > ctx.opts.max_program_bytes) {
        throw ApiError(413, "too_large",
                       fmt::format("the program's files are {} bytes together, over the limit "
                                   "of {} bytes",
                                   total, ctx.opts.max_program_bytes));
    }
    return core::encode_program(core::make_program_files(std::move(list)));
}

std::string program_name(const nlohmann::json& body) {
    auto name = opt_string(body, "name").value_or("program");
    if (name.empty() || name.size() > 128 || name.find_first_of("/\\") != std::string::npos ||
        name.find_first_of(std::string("\0\n\r\t", 4)) != std::string::npos || name == "." ||
        name == "..") {
        throw bad_request("field 'name' must be a file name (1 to 128 characters, no '/')");
    }
    return name;
}

void save(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    const auto body = parse_body(c.req.body, body_bytes(ctx.opts, BodyLimit::program));
    only_fields(body, {"program", "files"});
    const auto sent = body_program(ctx, body, "program");
    if (!sent) throw bad_request("no program: send one in 'program' or in 'files'");
    const auto& text = *sent;
    find_mp(ctx, mp_id); // 404 for an MP that does not exist
    const auto at =
        ctx.db.with([&](Stores& s) { return s.submissions.save_program(c.user.id, mp_id, text); });
    reply(c.res, 200, {{"mp", mp_id}, {"saved_at", at}, {"bytes", text.size()}});
}

// submit and grade: the same path, `kind` apart. A grade always runs every
// dataset; a TA or admin may grade another user's work. The rate limit is
// per caller (the one who sends the request), whoever's work it is.
void enqueue(Context& ctx, Call& c, const std::string& kind) {
    const auto mp_id = check_name(c.param(1), "MP id");
    if (auto wait = ctx.limiter.acquire(c.user.id)) {
        ApiError e(429, "rate_limited",
                   fmt::format("one submission or grade every {:g} s: try again in {} s",
                               ctx.opts.rate_limit_s, *wait));
        e.retry_after = *wait;
        throw e;
    }
    try {
        const auto body = parse_body(c.req.body, body_bytes(ctx.opts, BodyLimit::program));
        if (kind == "submit")
            only_fields(body, {"program", "files", "name", "dataset"});
        else
            only_fields(body, {"program", "files", "name", "user"});
        const auto who = subject_user(ctx, c, opt_string(body, "user").value_or(""));
        auto name = program_name(body);
        std::string text;
        if (auto p = body_program(ctx, body, name)) {
            text = std::move(*p);
        } else {
            auto saved =
                ctx.db.with([&](Stores& s) { return s.submissions.saved_program(who.id, mp_id); });
            if (!saved)
                throw bad_request(
                    "no program: send one in 'program' or 'files', or save one first");
            text = checked_program_text(ctx, saved->text, name);
        }
        // Several files: the attempt is named by them all.
        if (const auto files = core::stored_files(name, text); files.size() > 1)
            name = core::decode_program(name, text).name;
        const auto m = find_mp(ctx, mp_id);
        // Several files: each must be a source or a header the MP compiles,
        // refused here rather than failing on a worker.
        if (const auto files = core::stored_files(name, text); files.size() > 1) {
            core::Mp mp;
            mp.id = mp_id;
            mp.toolchain = m.config.toolchain;
            mp.template_file = m.config.template_file;
            core::program_sources(mp, core::decode_program(name, text));
        }
        const auto a = core::new_attempt(
            m, {who.id, kind, opt_int(body, "dataset"), name, std::move(text), ctx.opts.lease_s});
        const auto now = store::now_ms();
        const auto id = ctx.db.with([&](Stores& s) { return s.submissions.enqueue(a, now); });
        ctx.queue.notify();
        reply(c.res, 202,
              {{"attempt_id", id},
               {"state", "queued"},
               {"kind", kind},
               {"user", who.name},
               {"mp", mp_id},
               {"mp_version", a.mp_version},
               {"dataset", a.dataset ? nlohmann::json(*a.dataset) : nlohmann::json(nullptr)}});
    } catch (...) {
        ctx.limiter.release(c.user.id); // a refused request does not count
        throw;
    }
}

void submit(Context& ctx, Call& c) {
    enqueue(ctx, c, "submit");
}
void grade(Context& ctx, Call& c) {
    enqueue(ctx, c, "grade");
}

void list_attempts(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    const auto who = subject_user(ctx, c, c.req.get_param_value("user"));
    int limit = 100;
    if (c.req.has_param("limit")) {
        limit = static_cast<int>(
            std::min<std::int64_t>(1000, check_number(c.req.get_param_value("limit"), "limit")));
    }
    const auto rows =
        ctx.db.with([&](Stores& s) { return s.submissions.attempts(who.id, mp_id, limit); });
    reply(c.res, 200, {{"mp", mp_id}, {"user", who.name}, {"attempts", rows}});
}

// One attempt, of `mp_id` when one is named, with its place in the queue.
// Another student's attempt is "not found", not "forbidden": its existence
// is not theirs to learn.
core::AttemptDetail visible_attempt(Context& ctx, const Call& c, std::int64_t id,
                                    const std::string& mp_id) {
    std::optional<store::AttemptRow> a;
    int position = 0;
    ctx.db.with([&](Stores& s) {
        a = s.submissions.attempt(id);
        if (a && a->state == "queued") position = s.submissions.queue_position(id);
        return 0;
    });
    if (!a || (!mp_id.empty() && a->mp_id != mp_id) ||
        (a->user_id != c.user.id && !c.user.is_ta())) {
        throw not_found(mp_id.empty() ? fmt::format("no attempt {}", id)
                                      : fmt::format("no attempt {} of MP '{}'", id, mp_id));
    }
    return core::attempt_detail(*a, position);
}

// With how far it is while it runs, once its worker has said (progress).
void reply_attempt(Context& ctx, Call& c, std::int64_t id, const std::string& mp_id) {
    const auto detail = visible_attempt(ctx, c, id, mp_id);
    nlohmann::json j = detail;
    if (detail.attempt.state == "running")
        if (const auto p = ctx.progress.get(id))
            j["progress"] = {{"done", p->done}, {"total", p->total}};
    reply(c.res, 200, j);
}

void get_attempt(Context& ctx, Call& c) {
    const auto mp_id = check_name(c.param(1), "MP id");
    reply_attempt(ctx, c, check_number(c.param(2), "attempt id"), mp_id);
}

void get_attempt_by_id(Context& ctx, Call& c) {
    reply_attempt(ctx, c, check_number(c.param(1), "attempt id"), "");
}

// A dataset's difference picture (image MPs), as the worker sent it.
void get_attempt_diff(Context& ctx, Call& c) {
    const auto id = check_number(c.param(1), "attempt id");
    // Datasets count from 0, which check_number (ids, from 1) refuses.
    const auto dataset = c.param(2) == "0" ? 0 : check_number(c.param(2), "dataset index");
    const auto a = visible_attempt(ctx, c, id, "");
    auto png = core::attempt_picture(a, static_cast<int>(dataset));
    if (!png) {
        throw not_found(fmt::format("attempt {} has no difference picture for dataset {} (only "
                                    "wrong answers of image MPs have one)",
                                    id, dataset));
    }
    c.res.set_content(std::move(*png), "image/png");
}

// ---- import ----------------------------------------------------------------

// A bundle path from an upload or a file request (routes.h).
std::string check_bundle_path(const std::string& p) {
    const auto bad = [&](const char* why) {
        return bad_request(fmt::format("bundle path '{}': {}", p.substr(0, 200), why));
    };
    if (p.empty() || p.size() > 400) throw bad("must be 1 to 400 bytes");
    if (p.front() == '/') throw bad("must be relative");
    for (unsigned char ch : p) {
        if (ch < 0x20 || ch == 0x7f || ch == '\\')
            throw bad("has a control character or a backslash");
    }
    std::size_t depth = 0;
    std::size_t pos = 0;
    while (pos <= p.size()) {
        auto end = p.find('/', pos);
        if (end == std::string::npos) end = p.size();
        const auto part = p.substr(pos, end - pos);
        if (part.empty() || part == "." || part == "..")
            throw bad("has an empty, '.' or '..' component");
        if (++depth > 8) throw bad("is nested deeper than 8 directories");
        pos = end + 1;
    }
    return p;
}

struct TempTree {
    std::filesystem::path path;
    ~TempTree() { core::remove_tree(path); }
};

void import_bundle(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, body_bytes(ctx.opts, BodyLimit::import));
    only_fields(body, {"files", "name"});
    // The bundle directory's name: a config.json bundle's id comes from it.
    const auto name = opt_string(body, "name").value_or("bundle");
    if (name.empty() || name.size() > 128 || name.find('/') != std::string::npos || name == "." ||
        name == "..") {
        throw bad_request("field 'name' must be the bundle directory's name (1 to 128 characters, "
                          "no '/')");
    }
    check_bundle_path(name);
    const auto it = body.find("files");
    if (it == body.end() || !it->is_object() || it->empty()) {
        throw bad_request("field 'files' must be an object of {\"path\": \"base64 content\"}");
    }
    if (it->size() > 10000) throw bad_request("a bundle has at most 10000 files");
    const auto tmp_parent = ctx.opts.data_dir / "tmp";
    std::filesystem::create_directories(tmp_parent);
    TempTree tmp{core::make_temp_dir(tmp_parent, "import")};
    const auto root = tmp.path / name;
    std::filesystem::create_directories(root);
    std::size_t total = 0;
    for (const auto& [path, value] : it->items()) {
        check_bundle_path(path);
        if (!value.is_string())
            throw bad_request(fmt::format("files['{}'] must be a base64 string", path));
        const auto& b64 = value.get_ref<const std::string&>();
        std::string raw(b64.size() / 4 * 3 + 3, '\0');
        std::size_t len = 0;
        if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), b64.data(),
                              b64.size(), "\n\r ", &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL) != 0) {
            throw bad_request(fmt::format("files['{}'] is not valid base64", path));
        }
        raw.resize(len);
        total += len;
        if (total > ctx.opts.max_import_bytes) {
            throw ApiError(
                413, "too_large",
                fmt::format("the bundle is over the limit of {} bytes", ctx.opts.max_import_bytes));
        }
        const auto target = root / path;
        std::filesystem::create_directories(target.parent_path());
        core::write_file_atomic(target, raw);
    }
    core::Mp mp;
    try {
        mp = core::load_mp(root);
    } catch (const InputError& e) {
        // Name files as the uploader named them, not by our temp directory.
        std::string msg = e.what();
        const auto prefix = root.string() + "/";
        for (auto pos = msg.find(prefix); pos != std::string::npos; pos = msg.find(prefix))
            msg.erase(pos, prefix.size());
        for (auto pos = msg.find(root.string()); pos != std::string::npos;
             pos = msg.find(root.string())) {
            msg.replace(pos, root.string().size(), name);
        }
        throw ApiError(422, "invalid_bundle", msg);
    }
    const auto r = ctx.db.with([&](Stores& s) { return core::import_mp(s.catalog, mp); });
    reply(c.res, r.created ? 201 : 200, r);
}

} // namespace routes
} // namespace wb::server
