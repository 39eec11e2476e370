// Waiting for an attempt (see wait.h). Polling, not a push: the API is
// request/answer, and a poll that starts again after a restart needs no
// state on the server. Polls start fast (a short program is graded in well
// under a second) and slow down to every two seconds.
#include "core/client/wait.h"

#include "core/error.h"
#include "core/report.h"
#include "core/terminal.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace wb::client {
namespace {

using namespace std::chrono_literals;

constexpr auto fastest_poll = 200ms;
constexpr auto slowest_poll = 2000ms;
constexpr auto longest_outage = std::chrono::minutes(10);

std::string progress_text(const nlohmann::json& a) {
    const auto id = a.value("id", std::int64_t{0});
    if (text(a, "state") == "queued") {
        const auto pos = a.find("queue_position");
        return pos != a.end() && pos->is_number()
                   ? fmt::format("attempt {}: queued, position {} in the queue", id,
                                 pos->get<int>())
                   : fmt::format("attempt {}: queued", id);
    }
    const auto worker = text(a, "worker");
    const auto dataset = a.find("dataset");
    const auto progress = a.find("progress");
    std::string where = dataset != a.end() && dataset->is_number()
                            ? fmt::format("dataset {}", dataset->get<int>())
                            : std::string("every dataset");
    if (progress != a.end() && progress->is_object())
        where = fmt::format("dataset {} of {}",
                            std::min(progress->value("done", 0) + 1, progress->value("total", 0)),
                            progress->value("total", 0));
    return fmt::format("attempt {}: running on {} ({})", id, worker.empty() ? "a worker" : worker,
                       where);
}

// Whether waiting on may cure it: no answer, or the server's own trouble
// (a 502 from a proxy while it restarts, a 503 while it starts).
bool transient(const Error& e) {
    if (const auto* refused = dynamic_cast<const ServerRefused*>(&e)) return refused->status >= 500;
    return e.exit_code() == exit_network;
}

} // namespace

nlohmann::json wait_for_attempt(Api& api, std::int64_t id, bool quiet) {
    core::Progress progress(quiet);
    const auto target = fmt::format("/api/v1/attempt/{}", id);
    auto poll = fastest_poll;
    std::string shown; // piped, a line is printed only when it changes
    auto outage_wait = 1000ms;
    std::chrono::steady_clock::time_point outage_since{};
    for (;;) {
        nlohmann::json a;
        try {
            a = api.get(target);
        } catch (const Error& e) {
            if (!transient(e)) throw;
            const auto now = std::chrono::steady_clock::now();
            if (outage_since == std::chrono::steady_clock::time_point{}) outage_since = now;
            if (now - outage_since > longest_outage) throw;
            progress.update(fmt::format("attempt {}: no answer from the server ({}); trying "
                                        "again in {} s",
                                        id, e.what(), outage_wait.count() / 1000));
            std::this_thread::sleep_for(outage_wait);
            outage_wait = std::min<std::chrono::milliseconds>(outage_wait * 2, 15s);
            continue;
        }
        outage_since = {};
        outage_wait = 1000ms;
        if (a.value("state", std::string()) == "done") {
            progress.done();
            return a;
        }
        if (auto line = progress_text(a); line != shown) progress.update(shown = std::move(line));
        std::this_thread::sleep_for(poll);
        poll = std::min<std::chrono::milliseconds>(poll * 2, slowest_poll);
    }
}

core::GradeReport attempt_report(const nlohmann::json& attempt) {
    const auto report = attempt.find("report");
    if (report != attempt.end() && report->is_object()) return core::report_from_json(*report);
    core::GradeReport r;
    r.mp_id = attempt.value("mp", std::string());
    r.program = attempt.value("program_name", std::string());
    r.verdict =
        core::verdict_from_name(text(attempt, "verdict")).value_or(core::Verdict::internal_error);
    r.message = attempt.value("message", std::string());
    return r;
}

int print_attempt_report(const nlohmann::json& attempt, bool json) {
    const auto report = attempt_report(attempt);
    if (json) {
        auto j = nlohmann::json::parse(core::report_json(report));
        j["attempt_id"] = attempt.value("id", std::int64_t{0});
        fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
        fmt::print("{}", core::report_table(report, {core::use_colour(stdout)}));
    }
    return core::report_exit_code(report);
}

} // namespace wb::client
