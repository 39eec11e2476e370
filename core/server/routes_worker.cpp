// Worker routes: registration, heartbeats, the long-poll for a job, results,
// bundle blobs (signed with the worker key, see auth.h), and the workers'
// pages for TAs and admins.
//
// The job a worker gets (POST /api/v1/worker/jobs/next) carries everything
// it needs: the attempt, the program text, the dataset selection and the
// MP's id, version, bundle hash, configuration and file list (content
// hashes; fetch each missing blob once from /api/v1/worker/blob/{hash}).
// The result it posts is {"lease_token", "report"}, the report exactly as
// core::report_json writes it. Only the current lease holder's first result
// counts; the same result again is acknowledged as a duplicate.
#include "core/server/context.h"

#include <fmt/format.h>

#include <array>
#include <set>

namespace wb::server {
namespace {

constexpr std::array<std::string_view, 10> verdicts = {
    "correct",      "wrong_answer", "compile_error", "forbidden_keyword", "time_limit",
    "memory_limit", "output_limit", "runtime_error", "forbidden_syscall", "internal_error"};

bool known_verdict(const std::string& v) {
    for (auto k : verdicts) {
        if (v == k) return true;
    }
    return false;
}

Capabilities read_capabilities(const nlohmann::json& caps) {
    if (!caps.is_object()) throw bad_request("field 'capabilities' must be an object");
    only_fields(caps, {"gpu", "toolchains"});
    Capabilities c;
    c.gpu = opt_bool(caps, "gpu").value_or(false);
    auto tc = nlohmann::json::array();
    if (auto it = caps.find("toolchains"); it != caps.end()) {
        if (!it->is_array() || it->size() > 16)
            throw bad_request("'capabilities.toolchains' must be a short array");
        for (const auto& t : *it) {
            if (!t.is_string() || !valid_name(t.get<std::string>())) {
                throw bad_request("'capabilities.toolchains' holds names like \"cpp\", \"cuda\"");
            }
            tc.push_back(t);
        }
    }
    c.toolchains_json = tc.dump();
    return c;
}

void register_worker(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {"capabilities", "slots", "version"});
    const auto caps = read_capabilities(body.value("capabilities", nlohmann::json::object()));
    nlohmann::json stored = {{"gpu", caps.gpu},
                             {"toolchains", nlohmann::json::parse(caps.toolchains_json)}};
    if (auto slots = opt_int(body, "slots")) stored["slots"] = *slots;
    if (auto v = opt_string(body, "version")) stored["version"] = v->substr(0, 64);
    const auto now = unix_ms();
    ctx.db.with([&](auto&, store::ServerStore& s) {
        s.register_worker(c.worker, stored.dump(), now);
        s.add_worker_log(c.worker, {fmt::format("registered: {}", stored.dump())}, 200);
        return 0;
    });
    reply(c.res, 200,
          {{"id", c.worker}, {"max_wait_s", 30}, {"heartbeat_s", ctx.opts.worker_stale_s / 3}});
}

void heartbeat(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {"load", "disk_free_mib", "slots", "busy", "gpu_ok", "log"});
    nlohmann::json status = nlohmann::json::object();
    for (const char* key : {"load", "disk_free_mib"}) {
        if (auto v = opt_number(body, key)) status[key] = *v;
    }
    for (const char* key : {"slots", "busy"}) {
        if (auto v = opt_int(body, key)) status[key] = *v;
    }
    const bool gpu_ok = opt_bool(body, "gpu_ok").value_or(true);
    status["gpu_ok"] = gpu_ok;
    std::vector<std::string> lines;
    if (auto it = body.find("log"); it != body.end()) {
        if (!it->is_array() || it->size() > 100)
            throw bad_request("field 'log' must be an array of at most 100 lines");
        for (const auto& l : *it) {
            if (!l.is_string()) throw bad_request("field 'log' must hold strings");
            lines.push_back(l.get<std::string>().substr(0, 1000));
        }
    }
    const auto now = unix_ms();
    const bool known = ctx.db.with([&](auto&, store::ServerStore& s) {
        if (!s.worker_heartbeat(c.worker, status.dump(), gpu_ok, now)) return false;
        s.add_worker_log(c.worker, lines, 200);
        return true;
    });
    if (!known)
        throw not_found(fmt::format("worker '{}' is not registered: register first", c.worker));
    reply(c.res, 200, {{"ok", true}});
}

nlohmann::json job_json(Context& ctx, const store::Lease& lease) {
    const auto& a = lease.attempt;
    const auto mp =
        ctx.db.with([&](store::Store& s, auto&) { return s.get_mp(a.mp_id, a.mp_version); });
    if (!mp)
        throw ApiError(500, "internal_error", "the job's MP version is missing from the store");
    auto files = nlohmann::json::array();
    for (const auto& f : mp->files)
        files.push_back({{"path", f.path}, {"sha256", f.hash}, {"size", f.size}});
    return {{"id", lease.job.id},
            {"lease_token", lease.job.lease_token},
            {"lease_seconds", lease.job.lease_seconds},
            {"lease_expires_ms", lease.job.lease_expires_ms},
            {"try", lease.job.tries},
            {"attempt_id", a.id},
            {"kind", a.kind},
            {"user", a.user_name},
            {"dataset", a.dataset ? nlohmann::json(*a.dataset) : nlohmann::json(nullptr)},
            {"mp",
             {{"id", mp->id},
              {"version", mp->version},
              {"bundle_hash", mp->bundle_hash},
              {"config", nlohmann::json::parse(mp->summary_json)},
              {"files", files}}},
            {"program",
             {{"name", a.program_name}, {"text", a.program_text}, {"sha256", a.program_hash}}}};
}

void next_job(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {"wait", "capabilities"});
    const double wait = opt_number(body, "wait").value_or(0);
    if (wait < 0 || wait > 30) throw bad_request("field 'wait' must be 0 to 30 seconds");
    const auto worker = ctx.db.with([&](auto&, store::ServerStore& s) {
        s.touch_worker(c.worker, unix_ms());
        return s.worker(c.worker);
    });
    if (!worker)
        throw not_found(fmt::format("worker '{}' is not registered: register first", c.worker));
    Capabilities caps;
    if (body.contains("capabilities")) {
        caps = read_capabilities(body["capabilities"]);
    } else {
        const auto stored = nlohmann::json::parse(worker->capabilities);
        caps.gpu = stored.value("gpu", false);
        caps.toolchains_json = stored.value("toolchains", nlohmann::json::array()).dump();
    }
    caps.gpu = caps.gpu && worker->gpu_ok; // a failed GPU check takes no GPU jobs
    auto r = ctx.queue.next(c.worker, caps,
                            std::chrono::milliseconds(static_cast<std::int64_t>(wait * 1000)));
    switch (r.status) {
    case JobQueue::Poll::leased:
        reply(c.res, 200, {{"job", job_json(ctx, *r.lease)}});
        return;
    case JobQueue::Poll::empty:
        c.res.status = 204;
        return;
    case JobQueue::Poll::busy: {
        ApiError e(503, "busy", "too many workers are waiting for jobs; poll again later");
        e.retry_after = 1;
        throw e;
    }
    case JobQueue::Poll::stopping: {
        ApiError e(503, "stopping", "the server is stopping");
        e.retry_after = 5;
        throw e;
    }
    }
}

// The dataset indices a job's attempt asked for: the one it named, or every
// dataset of the MP version it was made against.
std::set<std::int64_t> expected_datasets(Context& ctx, std::int64_t job_id) {
    const auto attempt = ctx.db.with(
        [&](store::Store& st,
            store::ServerStore& s) -> std::optional<std::pair<store::AttemptRow, std::string>> {
            const auto j = s.job(job_id);
            if (!j) return std::nullopt;
            auto a = s.attempt(j->attempt_id);
            if (!a) return std::nullopt;
            auto mp = st.get_mp(a->mp_id, a->mp_version);
            return std::pair{std::move(*a), mp ? mp->summary_json : std::string("{}")};
        });
    if (!attempt) throw not_found(fmt::format("no job {}", job_id));
    std::set<std::int64_t> out;
    if (attempt->first.dataset) {
        out.insert(*attempt->first.dataset);
        return out;
    }
    const auto summary = nlohmann::json::parse(attempt->second);
    for (const auto& d : summary.value("datasets", nlohmann::json::array()))
        out.insert(d["index"].get<std::int64_t>());
    return out;
}

void post_result(Context& ctx, Call& c) {
    const auto job_id = check_number(c.param(1), "job id");
    const auto body = parse_body(c.req.body, 16u << 20);
    only_fields(body, {"lease_token", "report"});
    const auto token = get_string(body, "lease_token");
    const auto it = body.find("report");
    if (it == body.end() || !it->is_object())
        throw bad_request("field 'report' must be the report object");
    const auto& report = *it;
    store::JobResult r;
    r.verdict = get_string(report, "verdict");
    if (!known_verdict(r.verdict))
        throw bad_request(fmt::format("'{}' is not a verdict", r.verdict));
    r.message = opt_string(report, "message").value_or("");
    const auto ds = report.find("datasets");
    if (ds == report.end() || !ds->is_array())
        throw bad_request("'report.datasets' must be an array");
    // The datasets the attempt asked for, each reported once: a report with
    // fewer (or repeated) datasets would raise the grade it is counted as.
    const auto expected = expected_datasets(ctx, job_id);
    std::set<std::int64_t> seen;
    for (const auto& d : *ds) {
        if (!d.is_object() || !d.contains("index") || !d["index"].is_number_integer()) {
            throw bad_request("each of 'report.datasets' needs an integer 'index'");
        }
        const auto index = d["index"].get<std::int64_t>();
        if (!expected.count(index) || !seen.insert(index).second) {
            throw bad_request(fmt::format(
                "job {}: dataset {} was not asked for, or is reported twice", job_id, index));
        }
        const auto v = get_string(d, "verdict");
        if (!known_verdict(v)) throw bad_request(fmt::format("'{}' is not a verdict", v));
        r.correct += v == "correct";
    }
    if (!seen.empty() && seen.size() != expected.size()) {
        throw bad_request(fmt::format("job {}: the report has {} of the {} datasets asked for",
                                      job_id, seen.size(), expected.size()));
    }
    // None at all only when nothing could run (the program did not compile).
    if (seen.empty() && r.verdict != "compile_error" && r.verdict != "forbidden_keyword" &&
        r.verdict != "internal_error") {
        throw bad_request(
            fmt::format("job {}: a '{}' report must list the datasets it ran", job_id, r.verdict));
    }
    r.total = static_cast<int>(expected.size());
    r.report = report.dump();
    const auto now = unix_ms();
    const auto outcome = ctx.db.with(
        [&](auto&, store::ServerStore& s) { return s.finish(job_id, c.worker, token, r, now); });
    switch (outcome) {
    case store::FinishOutcome::accepted:
        reply(c.res, 200, {{"accepted", true}, {"duplicate", false}});
        return;
    case store::FinishOutcome::duplicate:
        reply(c.res, 200, {{"accepted", true}, {"duplicate", true}});
        return;
    case store::FinishOutcome::lease_lost:
        throw ApiError(
            409, "lease_lost",
            fmt::format("job {}: this lease is not current (it ran out, or the result was already "
                        "recorded); the result is not recorded",
                        job_id));
    case store::FinishOutcome::not_found:
        throw not_found(fmt::format("no job {}", job_id));
    }
}

void get_blob(Context& ctx, Call& c) {
    const auto hash = c.param(1);
    if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
        throw bad_request("a blob is named by its sha-256 (64 lower-case hex digits)");
    }
    auto blob = ctx.db.with([&](store::Store& s, auto&) { return s.get_blob(hash); });
    if (!blob) throw not_found(fmt::format("no blob {}", hash));
    c.res.set_content(std::move(*blob), "application/octet-stream");
}

nlohmann::json worker_json(Context& ctx, const store::WorkerRow& w) {
    const auto age_s = static_cast<double>(unix_ms() - w.last_seen_ms) / 1000.0;
    return {{"id", w.id},
            {"capabilities", nlohmann::json::parse(w.capabilities, nullptr, false)},
            {"status", nlohmann::json::parse(w.status, nullptr, false)},
            {"gpu_ok", w.gpu_ok},
            {"registered_at", w.registered_at},
            {"last_seen_s_ago", age_s},
            {"stale", age_s > ctx.opts.worker_stale_s},
            {"leased_jobs", w.leased}};
}

void list_workers(Context& ctx, Call& c) {
    const auto rows = ctx.db.with([](auto&, store::ServerStore& s) { return s.workers(); });
    const auto counts = ctx.db.with([](auto&, store::ServerStore& s) { return s.queue_counts(); });
    auto arr = nlohmann::json::array();
    for (const auto& w : rows)
        arr.push_back(worker_json(ctx, w));
    reply(c.res, 200,
          {{"workers", arr},
           {"queue", {{"queued", counts.queued}, {"leased", counts.leased}, {"done", counts.done}}},
           {"polling", ctx.queue.waiting()}});
}

void get_worker(Context& ctx, Call& c) {
    const auto id = check_name(c.param(1), "worker id");
    const auto w = ctx.db.with([&](auto&, store::ServerStore& s) { return s.worker(id); });
    if (!w) throw not_found(fmt::format("no worker '{}'", id));
    auto j = worker_json(ctx, *w);
    auto log = nlohmann::json::array();
    for (const auto& [at, line] :
         ctx.db.with([&](auto&, store::ServerStore& s) { return s.worker_log(id, 200); })) {
        log.push_back({{"at", at}, {"line", line}});
    }
    j["log"] = log;
    reply(c.res, 200, j);
}

void delete_worker(Context& ctx, Call& c) {
    const auto id = check_name(c.param(1), "worker id");
    const bool gone =
        ctx.db.with([&](auto&, store::ServerStore& s) { return s.delete_worker(id); });
    if (!gone) throw not_found(fmt::format("no worker '{}'", id));
    reply(c.res, 200, {{"deleted", id}});
}

} // namespace

std::vector<Route> worker_routes() {
    return {
        {"POST", "/api/v1/worker/register", Access::worker, register_worker},
        {"POST", "/api/v1/worker/heartbeat", Access::worker, heartbeat},
        {"POST", "/api/v1/worker/jobs/next", Access::worker, next_job},
        {"POST", "/api/v1/worker/jobs/{job}/result", Access::worker, post_result},
        {"GET", "/api/v1/worker/blob/{hash}", Access::worker, get_blob},
        {"GET", "/api/v1/workers", Access::ta, list_workers},
        {"GET", "/api/v1/worker/{id}", Access::admin, get_worker},
        {"DELETE", "/api/v1/worker/{id}", Access::admin, delete_worker},
    };
}

} // namespace wb::server
