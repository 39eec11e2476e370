// The worker (see worker.h): registration and heartbeats, the slots that
// long-poll and grade, and the delivery of reports through the outbox.
#include "core/worker/worker.h"

#include "core/error.h"
#include "core/grade.h"
#include "core/image_diff.h"
#include "core/names.h"
#include "core/net/http_client.h"
#include "core/paths.h"
#include "core/report.h"
#include "core/toolchain.h"
#include "core/worker/bundles.h"
#include "core/worker/outbox.h"
#include "gpu/check.h"
#include "sandbox/sandbox.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <thread>

namespace wb::worker {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// The difference pictures one report carries, in all (as PNG; a third more
// as base64): well under the server's 16 MiB body limit for results.
constexpr std::size_t report_picture_bytes = 4u << 20;

std::uint64_t memory_mib() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long size = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? static_cast<std::uint64_t>(pages) * size / (1024 * 1024) : 0;
}

double disk_free_mib(const std::filesystem::path& dir) {
    struct statvfs st {};
    if (statvfs(dir.c_str(), &st) != 0) return 0;
    return static_cast<double>(st.f_bavail) * static_cast<double>(st.f_frsize) / (1024.0 * 1024.0);
}

double load_average() {
    double load[1] = {0};
    return getloadavg(load, 1) == 1 ? load[0] : 0;
}

// The server's error message from an error body, else the body's start.
std::string server_message(const net::HttpResponse& r) {
    const auto j = json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_object())
        return j["error"].value("message", r.body.substr(0, 200));
    return r.body.substr(0, 200);
}

} // namespace

std::string default_name() {
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) != 0 || !host[0]) return "worker";
    std::string name;
    for (const char* p = host; *p && name.size() < 64; ++p) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
        name += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '-';
    }
    return core::valid_name(name) ? name : "worker";
}

struct Worker::State {
    WorkerOptions o;
    json capabilities;
    bool gpu_ok = false;    // guarded by mu once the GPU-check thread runs
    std::string gpu_reason; // why not, when there is a GPU and it failed its check
    Outbox outbox;
    BundleCache bundles;

    std::mutex mu; // guards what follows, and is the condition's
    std::condition_variable cv;
    bool draining = false;
    bool stopping = false;
    bool drained = false; // every slot has closed while draining
    int open = 0;         // slots running
    int busy = 0;         // slots grading a job
    int queued = 0;       // the queue's length at the last heartbeat
    std::deque<std::string> log_lines;
    std::list<std::thread> slots;

    explicit State(WorkerOptions options)
        : o(std::move(options)), outbox(o.cache_dir / "outbox"), bundles(o.cache_dir) {}

    void log(const std::string& line) {
        std::lock_guard lock(mu);
        log_locked(line);
    }
    void log_locked(const std::string& line) {
        if (o.log) o.log(line);
        if (log_lines.size() < 100) log_lines.push_back(line.substr(0, 1000));
    }

    bool quitting() {
        std::lock_guard lock(mu);
        return draining || stopping;
    }

    // Waits up to `d`, returning early when the worker drains or stops.
    void pause(std::chrono::milliseconds d) {
        std::unique_lock lock(mu);
        cv.wait_for(lock, d, [&] { return draining || stopping; });
    }

    std::unique_ptr<net::HttpClient> client() {
        net::ClientOptions co;
        co.total_timeout = o.poll_wait + std::chrono::seconds(30);
        auto c = std::make_unique<net::HttpClient>(o.server, co);
        c->sign_with([this](const net::HttpRequest& r) {
            return server::sign_worker_request(o.key, r.method, r.target, o.name, r.body);
        });
        return c;
    }

    // Runs `wbtool gpu-check` (a process of its own: CUDA must not start in
    // a fork of this multi-threaded one) and keeps its verdict; logs a
    // change. Returns whether there is a GPU at all.
    bool check_gpu() {
        const auto exe = core::self_executable();
        gpu::CheckReport report;
        if (exe.empty()) {
            report.health = gpu::Health::failed;
            report.message = "cannot find the wbtool binary (/proc/self/exe) to run gpu-check";
        } else {
            report = gpu::run_check_process(exe.string(), {});
        }
        const bool ok = report.health == gpu::Health::healthy;
        const std::string reason = gpu::unhealthy_reason(report);
        std::lock_guard lock(mu);
        if (ok != gpu_ok || reason != gpu_reason) {
            if (report.health != gpu::Health::no_gpu || gpu_ok)
                log_locked(
                    ok ? fmt::format("GPU check: {}", report.message)
                       : fmt::format("GPU check failed, no CUDA jobs until it passes: {}", reason));
        }
        gpu_ok = ok;
        gpu_reason = ok ? "" : reason;
        return report.health != gpu::Health::no_gpu;
    }

    // Checks the GPU again every o.gpu_check_interval until the worker stops.
    void gpu_checks() {
        for (;;) {
            {
                std::unique_lock lock(mu);
                cv.wait_for(lock, o.gpu_check_interval, [&] { return stopping || drained; });
                if (stopping || drained) return;
            }
            check_gpu();
        }
    }

    json survey() {
        const bool has_gpu = check_gpu();
        json toolchains = json::array();
        json compilers = json::object();
        for (const auto& t : core::installed_toolchains()) {
            toolchains.push_back(core::to_string(t.toolchain));
            if (!t.version.empty())
                compilers[std::string(core::to_string(t.toolchain))] = t.version;
        }
        return {{"gpu", has_gpu},
                {"toolchains", toolchains},
                {"cores", std::max(1u, std::thread::hardware_concurrency())},
                {"memory_mib", memory_mib()},
                {"isolation", sandbox::to_string(sandbox::available_isolation())},
                {"compilers", compilers}};
    }

    void register_now(net::HttpClient& c) {
        const json body = {{"capabilities", capabilities},
                           {"slots", o.slots},
                           {"max_slots", o.max_slots},
                           {"version", o.version}};
        net::HttpResponse r;
        try {
            r = c.send({"POST", "/api/v1/worker/register", body.dump(), {}, true, {}, {}});
        } catch (const NetworkError& e) {
            throw NetworkError(
                fmt::format("cannot reach the server {} to register: {}", o.server, e.what()));
        }
        if (r.status == 200) {
            // The server says how often it needs to hear from a worker to
            // keep it from being shown stale; heartbeat at least that often.
            const auto reply = json::parse(r.body, nullptr, false);
            const double every = reply.is_object() ? reply.value("heartbeat_s", 0.0) : 0.0;
            if (every > 0) {
                std::lock_guard lock(mu);
                o.heartbeat =
                    std::min(o.heartbeat,
                             std::chrono::milliseconds(static_cast<std::int64_t>(every * 1000)));
            }
        }
        if (r.status != 200) {
            throw NetworkError(fmt::format("{}: registering worker '{}' was refused ({}): {}",
                                           o.server, o.name, r.status, server_message(r)));
        }
        log(fmt::format("registered with {} as '{}': {} slots (up to {}), {} isolation, "
                        "toolchains {}",
                        o.server, o.name, o.slots, o.max_slots,
                        capabilities["isolation"].get<std::string>(),
                        capabilities["toolchains"].dump()));
    }

    // Posts one saved report; true when the outbox no longer holds it.
    bool deliver(net::HttpClient& c, std::int64_t job) {
        const auto saved = outbox.load(job);
        if (!saved) return true;
        net::HttpResponse r;
        try {
            r = c.send({"POST",
                        fmt::format("/api/v1/worker/jobs/{}/result", job),
                        *saved,
                        {},
                        true,
                        {},
                        {}});
        } catch (const NetworkError& e) {
            outbox.release(job);
            log(fmt::format("job {}: the report is kept to deliver later: {}", job, e.what()));
            return false;
        }
        if (r.status >= 500) {
            outbox.release(job);
            log(fmt::format("job {}: the server answered {}; the report is kept to deliver later",
                            job, r.status));
            return false;
        }
        if (r.status == 200) {
            const auto j = json::parse(r.body, nullptr, false);
            log(fmt::format("job {}: report delivered{}", job,
                            j.is_object() && j.value("duplicate", false) ? " (already recorded)"
                                                                         : ""));
        } else {
            // 409: the lease ran out and the job went to another worker;
            // 404 or 400: the server will never take it. Either way it
            // cannot be recorded, and keeping it would retry forever.
            log(fmt::format("job {}: the report is not recorded ({}): {}", job, r.status,
                            server_message(r)));
        }
        outbox.remove(job);
        return true;
    }

    void deliver_all(net::HttpClient& c) {
        for (const auto job : outbox.pending())
            if (!deliver(c, job)) return; // the server is away: try again later
    }

    // The job's bundle; nothing when the server stays out of reach until
    // the lease runs out (the job then goes to another worker, and a report
    // of this worker's network trouble would only blame the student).
    std::optional<std::filesystem::path> bundle(net::HttpClient& c, const json& job) {
        const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<std::int64_t>(
                                                 job.value("lease_seconds", 60.0) * 1000));
        for (;;) {
            try {
                return bundles.ensure(job.at("mp"), [&](const std::string& hash) {
                    return c.send({"GET", "/api/v1/worker/blob/" + hash, "", {}, true, {}, {}});
                });
            } catch (const NetworkError& e) {
                bool stopped = false;
                {
                    std::lock_guard lock(mu);
                    stopped = stopping;
                }
                if (stopped || Clock::now() >= deadline) {
                    log(fmt::format("job {}: left to its lease: the MP cannot be fetched: {}",
                                    job.value("id", 0), e.what()));
                    return std::nullopt;
                }
                log(fmt::format("job {}: fetching the MP: {}; trying again", job.value("id", 0),
                                e.what()));
                std::this_thread::sleep_for(std::chrono::seconds(2));
            }
        }
    }

    std::optional<core::GradeReport> grade(net::HttpClient& c, const json& job) {
        core::GradeReport report;
        try {
            const auto& mp = job.at("mp");
            report.mp_id = mp.at("id").get<std::string>();
            const auto dir = bundle(c, job);
            if (!dir) return std::nullopt;
            const auto& program = job.at("program");
            core::GradeOptions options;
            options.cache_dir = o.cache_dir;
            options.work_parent = o.cache_dir / "jobs";
            std::filesystem::create_directories(options.work_parent);
            if (job.contains("dataset") && job["dataset"].is_number_integer())
                options.dataset = job["dataset"].get<int>();
            options.min_isolation = o.min_isolation;
            options.progress = [&](const core::GradeProgress& p) {
                if (p.step == core::GradeProgress::Step::running)
                    post_progress(c, job, p.done, p.total);
            };
            options.picture_max_side = core::worker_picture_max_side;
            return core::grade(core::load_mp(*dir),
                               core::decode_program(program.at("name").get<std::string>(),
                                                    program.at("text").get<std::string>()),
                               options);
        } catch (const std::exception& e) {
            report.verdict = core::Verdict::internal_error;
            report.message =
                fmt::format("worker '{}' could not grade this job: {}", o.name, e.what());
            return report;
        }
    }

    // Tells the server how far the job is: once, briefly, never retried (a
    // lost one only leaves `submit --wait` a dataset behind).
    void post_progress(net::HttpClient& c, const json& job, int done, int total) {
        net::HttpRequest r{
            "POST",
            fmt::format("/api/v1/worker/jobs/{}/progress", job.at("id").get<std::int64_t>()),
            json{{"lease_token", job.at("lease_token")}, {"done", done}, {"total", total}}.dump(),
            {},
            false,
            std::chrono::seconds(2),
            {}};
        try {
            c.send(r);
        } catch (const std::exception&) {
        }
    }

    void run_job(net::HttpClient& c, const json& job) {
        const auto id = job.at("id").get<std::int64_t>();
        log(fmt::format("job {}: attempt {} of {}, MP {} version {}", id,
                        job.value("attempt_id", 0), job.value("user", "?"),
                        job.at("mp").value("id", "?"), job.at("mp").value("version", 0)));
        auto report = grade(c, job);
        if (!report) return;
        core::name_attached_pictures(
            *report,
            fmt::format("`wbtool attempt show {} --diff-dir DIR`", job.value("attempt_id", 0)),
            report_picture_bytes);
        const json result = {{"lease_token", job.at("lease_token")},
                             {"report", json::parse(core::report_json(*report, true))}};
        outbox.save(id, result.dump()); // before posting: nothing is lost from here
        log(fmt::format("job {}: {}", id, core::to_string(report->verdict)));
        deliver(c, id);
    }

    // One slot: long-polls and grades until the worker drains or stops,
    // or, for a slot beyond the first `o.slots`, until idle too long.
    void slot(bool extra) {
        auto c = client();
        c->keep_trying([this] { return !quitting(); });
        auto idle_since = Clock::now();
        const json poll = {{"wait", std::chrono::duration<double>(o.poll_wait).count()}};
        while (!quitting()) {
            net::HttpResponse r;
            try {
                net::HttpRequest req{"POST", "/api/v1/worker/jobs/next", poll.dump(), {}, true, {},
                                     {}};
                // A drain does not wait for the poll: a job leased in the
                // last instant goes back to the queue with its lease.
                req.abort = [this] { return quitting(); };
                r = c->send(req);
            } catch (const NetworkError& e) {
                if (quitting()) break;
                log(fmt::format("polling for jobs: {}", e.what()));
                pause(std::chrono::seconds(5));
                continue;
            }
            if (r.status == 200) {
                const auto j = json::parse(r.body, nullptr, false);
                if (!j.is_object() || !j.contains("job")) {
                    log("the server answered a poll with no job in it");
                    pause(std::chrono::seconds(1));
                    continue;
                }
                {
                    std::lock_guard lock(mu);
                    ++busy;
                }
                run_job(*c, j["job"]);
                {
                    std::lock_guard lock(mu);
                    --busy;
                }
                idle_since = Clock::now();
            } else if (r.status == 204) {
                if (extra && Clock::now() - idle_since > o.idle_close) break;
            } else if (r.status == 404) {
                try {
                    register_now(*c); // the server forgot this worker
                } catch (const NetworkError& e) {
                    log(e.what());
                    pause(std::chrono::seconds(5));
                }
            } else {
                log(fmt::format("polling for jobs: the server answered {}: {}", r.status,
                                server_message(r)));
                pause(std::chrono::seconds(r.retry_after_s > 0 ? r.retry_after_s : 5));
            }
        }
        std::lock_guard lock(mu);
        --open;
        if (draining && open == 0) drained = true;
        cv.notify_all();
    }

    void open_slot(bool extra) {
        std::lock_guard lock(mu);
        ++open;
        slots.emplace_back([this, extra] { slot(extra); });
    }

    json heartbeat_body() {
        std::lock_guard lock(mu);
        json lines = json::array();
        for (auto& l : log_lines)
            lines.push_back(std::move(l));
        log_lines.clear();
        json body = {{"load", load_average()},
                     {"disk_free_mib", disk_free_mib(o.cache_dir)},
                     {"slots", open},
                     {"busy", busy},
                     {"gpu_ok", gpu_ok || !capabilities.value("gpu", false)},
                     {"draining", draining},
                     {"log", lines}};
        if (!gpu_reason.empty()) body["gpu_reason"] = gpu_reason;
        return body;
    }

    // Heartbeats, follows the queue with slots, retries the outbox.
    void heartbeats() {
        auto c = client();
        c->keep_trying([this] {
            std::lock_guard lock(mu);
            return !stopping;
        });
        for (;;) {
            {
                std::unique_lock lock(mu);
                cv.wait_for(lock, o.heartbeat, [&] { return stopping || drained; });
                if (stopping || drained) return;
            }
            if (beat_once(*c)) deliver_all(*c);
        }
    }

    // One heartbeat, and what its answer asks for. False when there was no
    // answer to act on.
    bool beat_once(net::HttpClient& c) {
        net::HttpResponse r;
        try {
            r = c.send(
                {"POST", "/api/v1/worker/heartbeat", heartbeat_body().dump(), {}, true, {}, {}});
        } catch (const NetworkError& e) {
            log(fmt::format("heartbeat: {}", e.what()));
            return false;
        }
        if (r.status == 404) {
            try {
                register_now(c);
            } catch (const NetworkError& e) {
                log(e.what());
            }
            return false;
        }
        if (r.status != 200) return false;
        {
            const auto j = json::parse(r.body, nullptr, false);
            if (j.is_object() && j.value("drain", false)) {
                log("the server asks this worker to drain");
                drain();
            }
            bool grow = false;
            {
                std::lock_guard lock(mu);
                queued = j.is_object() ? j.value("queued", 0) : 0;
                grow = !draining && !stopping && open < o.max_slots &&
                       queued >= 5 * std::max(1, busy) && busy >= open;
            }
            if (grow) {
                log(fmt::format("{} jobs queued: opening another slot", queued));
                open_slot(true);
            }
        }
        return true;
    }

    void drain() {
        std::lock_guard lock(mu);
        if (draining) return;
        draining = true;
        if (open == 0) drained = true;
        cv.notify_all();
    }

    void stop() {
        std::lock_guard lock(mu);
        stopping = true;
        cv.notify_all();
    }
};

Worker::Worker(WorkerOptions options) : s_(std::make_unique<State>(std::move(options))) {
    if (s_->o.name.empty()) s_->o.name = default_name();
    if (!core::valid_name(s_->o.name)) {
        throw InputError(fmt::format("'{}' is not a valid worker name: use 1 to 64 of a-z, 0-9, "
                                     "'_' and '-', starting with a letter or digit",
                                     s_->o.name));
    }
    s_->o.slots = std::max(1, s_->o.slots);
    s_->o.max_slots = std::max(s_->o.slots, s_->o.max_slots);
}

Worker::~Worker() {
    stop();
    for (auto& t : s_->slots)
        if (t.joinable()) t.join();
}

int Worker::run() {
    auto& s = *s_;
    if (auto refusal = sandbox::isolation_refusal(s.o.min_isolation); !refusal.empty())
        throw InternalError(refusal);
    std::filesystem::create_directories(s.o.cache_dir);
    s.capabilities = s.survey();
    auto c = s.client();
    s.register_now(*c);
    // The GPU's state before the first job can be leased: a worker whose
    // GPU failed its check is never offered a CUDA job.
    if (s.capabilities.value("gpu", false)) s.beat_once(*c);
    s.deliver_all(*c);

    std::thread beat([&s] { s.heartbeats(); });
    std::thread gpu_watch;
    if (s.capabilities.value("gpu", false) && s.o.gpu_check_interval.count() > 0)
        gpu_watch = std::thread([&s] { s.gpu_checks(); });
    for (int i = 0; i < s.o.slots; ++i)
        s.open_slot(false);
    {
        std::unique_lock lock(s.mu);
        s.cv.wait(lock, [&] { return s.stopping || s.drained; });
    }
    beat.join();
    if (gpu_watch.joinable()) gpu_watch.join();
    for (auto& t : s.slots)
        t.join();
    s.slots.clear();
    if (s.stopping) return exit_ok;

    // Drained: every job finished. Deliver what is left, then leave.
    c->keep_trying([] { return true; });
    s.deliver_all(*c);
    try {
        const auto r = c->send({"POST", "/api/v1/worker/unregister", "{}", {}, true, {}, {}});
        s.log(r.status == 200
                  ? "drained and unregistered"
                  : fmt::format("drained; unregistering: {} {}", r.status, server_message(r)));
    } catch (const NetworkError& e) {
        s.log(fmt::format("drained; the server could not be told: {}", e.what()));
    }
    const int left = static_cast<int>(s.outbox.pending().size());
    if (left > 0)
        s.log(fmt::format("{} reports are kept in {} for the next start", left,
                          (s.o.cache_dir / "outbox").string()));
    return exit_ok;
}

void Worker::drain() {
    s_->drain();
}

int run_until_signalled(WorkerOptions options) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    // Blocked before any thread starts, so that only the waiter takes them.
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto log = options.log;
    Worker worker(std::move(options));
    std::atomic<bool> done{false};
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        if (done) return;
        if (log)
            log(fmt::format("{}: draining (running jobs finish; again to stop at once)",
                            strsignal(sig)));
        worker.drain();
        sigwait(&signals, &sig);
        if (done) return;
        if (log) log(fmt::format("{} again: stopping now", strsignal(sig)));
        std::_Exit(128 + sig);
    });
    int code = exit_internal;
    try {
        code = worker.run();
    } catch (...) {
        done = true;
        pthread_kill(waiter.native_handle(), SIGTERM);
        pthread_kill(waiter.native_handle(), SIGTERM);
        waiter.join();
        throw;
    }
    done = true;
    pthread_kill(waiter.native_handle(), SIGTERM);
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return code;
}

void Worker::stop() {
    s_->stop();
}

} // namespace wb::worker
