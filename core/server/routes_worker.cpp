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
//
// A worker that stops says so (POST /api/v1/worker/unregister): what it
// holds goes back to the queue at once instead of waiting out its leases.
// An admin can drain a worker (POST /api/v1/worker/{id}/drain): it is
// leased nothing more, and its heartbeat replies tell it so.
#include "core/job.h"
#include "core/program.h"
#include "core/server/routes.h"

#include <fmt/format.h>

#include <set>

namespace wb::server {
namespace routes {
namespace {

ApiError not_registered(const std::string& worker) {
    return not_found(fmt::format("worker '{}' is not registered: register first", worker));
}

} // namespace

void register_worker(Context& ctx, Call& c) {
    const auto caps = core::read_registration(parse_body(c.req.body, small_body_bytes));
    const auto stored = nlohmann::json(caps).dump();
    const auto now = store::now_ms();
    ctx.db.with([&](Stores& s) {
        s.workers.register_worker(c.worker, stored, now);
        s.workers.add_worker_log(c.worker, {fmt::format("registered: {}", stored)}, 200);
        return 0;
    });
    reply(c.res, 200,
          {{"id", c.worker}, {"max_wait_s", 30}, {"heartbeat_s", ctx.opts.worker_stale_s / 3}});
}

void heartbeat(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {"load", "disk_free_mib", "slots", "busy", "gpu_ok", "gpu_reason", "draining",
                       "log"});
    const auto status = core::read_status(body);
    std::vector<std::string> lines;
    if (auto it = body.find("log"); it != body.end()) {
        if (!it->is_array() || it->size() > 100)
            throw bad_request("field 'log' must be an array of at most 100 lines");
        for (const auto& l : *it) {
            if (!l.is_string()) throw bad_request("field 'log' must hold strings");
            lines.push_back(l.get<std::string>().substr(0, 1000));
        }
    }
    const auto now = store::now_ms();
    // What the worker is told back: how much work waits, and whether an
    // admin wants it to drain.
    const auto told = ctx.db.with([&](Stores& s) -> std::optional<nlohmann::json> {
        if (!s.workers.worker_heartbeat(c.worker, nlohmann::json(status).dump(), status.gpu_ok,
                                        now))
            return std::nullopt;
        s.workers.add_worker_log(c.worker, lines, 200);
        const auto w = s.workers.worker(c.worker);
        return nlohmann::json{{"ok", true},
                              {"queued", s.submissions.queue_counts().queued},
                              {"drain", w && w->drain}};
    });
    if (!told) throw not_registered(c.worker);
    reply(c.res, 200, *told);
}

void unregister_worker(Context& ctx, Call& c) {
    only_fields(parse_body(c.req.body, small_body_bytes), {});
    const auto requeued =
        ctx.db.with([&](Stores& s) { return s.workers.unregister_worker(c.worker); });
    if (!requeued) throw not_registered(c.worker);
    if (!requeued->empty()) ctx.queue.notify(); // other workers may take them now
    reply(c.res, 200, {{"unregistered", c.worker}, {"requeued", *requeued}});
}

core::JobOffer job_offer(Context& ctx, store::Lease&& lease) {
    const auto& a = lease.attempt;
    auto mp = ctx.db.with([&](Stores& s) { return s.catalog.get_mp(a.mp_id, a.mp_version); });
    if (!mp)
        throw ApiError(500, "internal_error", "the job's MP version is missing from the store");
    return {std::move(lease.job), std::move(lease.attempt), core::mp_version(*mp)};
}

void next_job(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {"wait", "capabilities"});
    const double wait = opt_number(body, "wait").value_or(0);
    if (wait < 0 || wait > 30) throw bad_request("field 'wait' must be 0 to 30 seconds");
    const auto worker = ctx.db.with([&](Stores& s) {
        s.workers.touch_worker(c.worker, store::now_ms());
        return s.workers.worker(c.worker);
    });
    if (!worker) throw not_registered(c.worker);
    if (worker->drain) { // no job, and no reason to wait for one
        c.res.status = 204;
        return;
    }
    auto caps = body.contains("capabilities")
                    ? core::read_capabilities(body["capabilities"])
                    : nlohmann::json::parse(worker->capabilities).get<core::Capabilities>();
    caps.gpu = caps.gpu && worker->gpu_ok; // a failed GPU check takes no GPU jobs
    auto r = ctx.queue.next(c.worker, caps,
                            std::chrono::milliseconds(static_cast<std::int64_t>(wait * 1000)));
    switch (r.status) {
    case JobQueue::Poll::leased:
        reply(c.res, 200, {{"job", job_offer(ctx, std::move(*r.lease))}});
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

// A job's attempt, and the dataset indices it asked for
// (core::expected_datasets).
struct JobTarget {
    std::int64_t attempt_id = 0;
    std::set<int> datasets;
    std::optional<core::MpConfig> mp; // for the points; none when the MP is gone
    std::optional<int> dataset;
    std::string program_text;
};

JobTarget job_target(Context& ctx, std::int64_t job_id) {
    const auto target = ctx.db.with([&](Stores& s) -> std::optional<JobTarget> {
        const auto j = s.submissions.job(job_id);
        if (!j) return std::nullopt;
        const auto a = s.submissions.attempt(j->attempt_id);
        if (!a) return std::nullopt;
        const auto mp = s.catalog.get_mp(a->mp_id, a->mp_version);
        if (!mp) return JobTarget{a->id, {}, std::nullopt, a->dataset, a->program_text};
        const auto version = core::mp_version(*mp);
        return JobTarget{a->id, core::expected_datasets(*a, version), version.config, a->dataset,
                         a->program_text};
    });
    if (!target) throw not_found(fmt::format("no job {}", job_id));
    return *target;
}

void post_result(Context& ctx, Call& c) {
    const auto job_id = check_number(c.param(1), "job id");
    const auto body = parse_body(c.req.body, body_bytes(ctx.opts, BodyLimit::report));
    only_fields(body, {"lease_token", "report"});
    const auto token = get_string(body, "lease_token");
    const auto it = body.find("report");
    if (it == body.end() || !it->is_object())
        throw bad_request("field 'report' must be the report object");
    const auto target = job_target(ctx, job_id);
    auto r = core::accept_report(job_id, *it, target.datasets);
    if (target.mp)
        core::count_report_points(r, *it, *target.mp, target.dataset,
                                  core::keyword_text(target.program_text));
    const auto now = store::now_ms();
    const auto outcome = ctx.db.with(
        [&](Stores& s) { return s.submissions.finish(job_id, c.worker, token, r, now); });
    if (outcome == store::FinishOutcome::accepted || outcome == store::FinishOutcome::duplicate)
        ctx.progress.clear(target.attempt_id);
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

// How far the job's attempt is, from the worker that holds its lease: shown
// with the attempt while it runs ("dataset 3 of 5").
void post_progress(Context& ctx, Call& c) {
    const auto job_id = check_number(c.param(1), "job id");
    const auto body = parse_body(c.req.body, 4096);
    only_fields(body, {"lease_token", "done", "total"});
    const auto token = get_string(body, "lease_token");
    const auto total = opt_int(body, "total").value_or(-1);
    const auto done = opt_int(body, "done").value_or(-1);
    if (total < 1 || total > 100000 || done < 0 || done > total)
        throw bad_request("fields 'done' and 'total' must be integers, 0 <= done <= total, "
                          "1 <= total <= 100000");
    const auto job = ctx.db.with([&](Stores& s) { return s.submissions.job(job_id); });
    if (!job) throw not_found(fmt::format("no job {}", job_id));
    if (job->state != "leased" || job->worker_id != c.worker || job->lease_token != token)
        throw ApiError(
            409, "lease_lost",
            fmt::format("job {}: this lease is not current; progress not recorded", job_id));
    ctx.progress.set(job->attempt_id, {static_cast<int>(done), static_cast<int>(total)});
    reply(c.res, 200, {{"ok", true}});
}

void get_blob(Context& ctx, Call& c) {
    const auto hash = c.param(1);
    if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
        throw bad_request("a blob is named by its sha-256 (64 lower-case hex digits)");
    }
    auto blob = ctx.db.with([&](Stores& s) { return s.catalog.get_blob(hash); });
    if (!blob) throw not_found(fmt::format("no blob {}", hash));
    c.res.set_content(std::move(*blob), "application/octet-stream");
}

void list_workers(Context& ctx, Call& c) {
    const auto rows = ctx.db.with([](Stores& s) { return s.workers.workers(); });
    const auto counts = ctx.db.with([](Stores& s) { return s.submissions.queue_counts(); });
    const auto now = store::now_ms();
    auto arr = nlohmann::json::array();
    for (const auto& w : rows)
        arr.push_back(core::worker_info(w, now, ctx.opts.worker_stale_s));
    reply(c.res, 200,
          {{"workers", arr},
           {"queue", {{"queued", counts.queued}, {"leased", counts.leased}, {"done", counts.done}}},
           {"polling", ctx.queue.waiting()}});
}

void get_worker(Context& ctx, Call& c) {
    const auto id = check_name(c.param(1), "worker id");
    const auto w = ctx.db.with([&](Stores& s) { return s.workers.worker(id); });
    if (!w) throw not_found(fmt::format("no worker '{}'", id));
    nlohmann::json j = core::worker_info(*w, store::now_ms(), ctx.opts.worker_stale_s);
    auto log = nlohmann::json::array();
    for (const auto& [at, line] :
         ctx.db.with([&](Stores& s) { return s.workers.worker_log(id, 200); })) {
        log.push_back({{"at", at}, {"line", line}});
    }
    j["log"] = log;
    reply(c.res, 200, j);
}

void drain_worker(Context& ctx, Call& c) {
    const auto id = check_name(c.param(1), "worker id");
    const bool known = ctx.db.with([&](Stores& s) { return s.workers.drain_worker(id); });
    if (!known) throw not_found(fmt::format("no worker '{}'", id));
    reply(c.res, 200, {{"draining", id}});
}

void delete_worker(Context& ctx, Call& c) {
    const auto id = check_name(c.param(1), "worker id");
    const bool gone = ctx.db.with([&](Stores& s) { return s.workers.delete_worker(id); });
    if (!gone) throw not_found(fmt::format("no worker '{}'", id));
    reply(c.res, 200, {{"deleted", id}});
}

} // namespace routes
} // namespace wb::server
