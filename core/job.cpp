// Workers and jobs (see job.h).
#include "core/job.h"

#include "core/error.h"
#include "core/json_fields.h"
#include "core/names.h"
#include "core/verdict.h"

#include <fmt/format.h>

namespace wb::core {
namespace {

bool known_verdict(const std::string& v) {
    return verdict_from_name(v).has_value();
}

nlohmann::json parsed_or_null(const std::string& text) {
    return nlohmann::json::parse(text, nullptr, false);
}

} // namespace

void to_json(nlohmann::json& j, const Capabilities& c) {
    j = {{"gpu", c.gpu}, {"toolchains", c.toolchains}};
    if (c.slots) j["slots"] = *c.slots;
    if (c.version) j["version"] = *c.version;
}

void from_json(const nlohmann::json& j, Capabilities& c) {
    c.gpu = j.value("gpu", false);
    c.toolchains = j.value("toolchains", std::vector<std::string>{});
    if (j.contains("slots")) c.slots = j["slots"].get<std::int64_t>();
    if (j.contains("version")) c.version = j["version"].get<std::string>();
}

Capabilities read_capabilities(const nlohmann::json& caps) {
    if (!caps.is_object()) throw InputError("field 'capabilities' must be an object");
    only_fields(caps, {"gpu", "toolchains"});
    Capabilities c;
    c.gpu = opt_bool(caps, "gpu").value_or(false);
    if (auto it = caps.find("toolchains"); it != caps.end()) {
        if (!it->is_array() || it->size() > 16)
            throw InputError("'capabilities.toolchains' must be a short array");
        for (const auto& t : *it) {
            if (!t.is_string() || !valid_name(t.get<std::string>())) {
                throw InputError("'capabilities.toolchains' holds names like \"cpp\", \"cuda\"");
            }
            c.toolchains.push_back(t.get<std::string>());
        }
    }
    return c;
}

void to_json(nlohmann::json& j, const WorkerStatus& s) {
    j = nlohmann::json::object();
    if (s.load) j["load"] = *s.load;
    if (s.disk_free_mib) j["disk_free_mib"] = *s.disk_free_mib;
    if (s.slots) j["slots"] = *s.slots;
    if (s.busy) j["busy"] = *s.busy;
    j["gpu_ok"] = s.gpu_ok;
}

WorkerInfo worker_info(const store::WorkerRow& w, std::int64_t now_ms, double stale_s) {
    const auto age_s = static_cast<double>(now_ms - w.last_seen_ms) / 1000.0;
    return {w.id,
            parsed_or_null(w.capabilities),
            parsed_or_null(w.status),
            w.gpu_ok,
            w.registered_at,
            age_s,
            age_s > stale_s,
            w.leased};
}

void to_json(nlohmann::json& j, const WorkerInfo& w) {
    j = {{"id", w.id},
         {"capabilities", w.capabilities},
         {"status", w.status},
         {"gpu_ok", w.gpu_ok},
         {"registered_at", w.registered_at},
         {"last_seen_s_ago", w.last_seen_s_ago},
         {"stale", w.stale},
         {"leased_jobs", w.leased_jobs}};
}

void to_json(nlohmann::json& j, const JobOffer& o) {
    const auto& a = o.attempt;
    j = {{"id", o.job.id},
         {"lease_token", o.job.lease_token},
         {"lease_seconds", o.job.lease_seconds},
         {"lease_expires_ms", o.job.lease_expires_ms},
         {"try", o.job.tries},
         {"attempt_id", a.id},
         {"kind", a.kind},
         {"user", a.user_name},
         {"dataset", a.dataset ? nlohmann::json(*a.dataset) : nlohmann::json(nullptr)},
         {"mp",
          {{"id", o.mp.id},
           {"version", o.mp.version},
           {"bundle_hash", o.mp.bundle_hash},
           {"config", o.mp.config},
           {"files", o.mp.files}}},
         {"program",
          {{"name", a.program_name}, {"text", a.program_text}, {"sha256", a.program_hash}}}};
}

std::set<int> expected_datasets(const store::AttemptRow& attempt, const MpVersion& mp) {
    if (attempt.dataset) return {*attempt.dataset};
    const auto all = mp.dataset_indices();
    return {all.begin(), all.end()};
}

store::JobResult accept_report(std::int64_t job_id, const nlohmann::json& report,
                               const std::set<int>& expected) {
    store::JobResult r;
    r.verdict = get_string(report, "verdict");
    if (!known_verdict(r.verdict))
        throw InputError(fmt::format("'{}' is not a verdict", r.verdict));
    r.message = opt_string(report, "message").value_or("");
    const auto ds = report.find("datasets");
    if (ds == report.end() || !ds->is_array())
        throw InputError("'report.datasets' must be an array");
    // The datasets the attempt asked for, each reported once: a report with
    // fewer (or repeated) datasets would raise the grade it is counted as.
    std::set<std::int64_t> seen;
    for (const auto& d : *ds) {
        if (!d.is_object() || !d.contains("index") || !d["index"].is_number_integer()) {
            throw InputError("each of 'report.datasets' needs an integer 'index'");
        }
        const auto index = d["index"].get<std::int64_t>();
        if (!expected.count(static_cast<int>(index)) || index != static_cast<int>(index) ||
            !seen.insert(index).second) {
            throw InputError(fmt::format(
                "job {}: dataset {} was not asked for, or is reported twice", job_id, index));
        }
        const auto v = get_string(d, "verdict");
        if (!known_verdict(v)) throw InputError(fmt::format("'{}' is not a verdict", v));
        r.correct += v == "correct";
    }
    if (!seen.empty() && seen.size() != expected.size()) {
        throw InputError(fmt::format("job {}: the report has {} of the {} datasets asked for",
                                     job_id, seen.size(), expected.size()));
    }
    // None at all only when nothing could run (the program did not compile).
    if (seen.empty() && r.verdict != "compile_error" && r.verdict != "forbidden_keyword" &&
        r.verdict != "internal_error") {
        throw InputError(
            fmt::format("job {}: a '{}' report must list the datasets it ran", job_id, r.verdict));
    }
    r.total = static_cast<int>(expected.size());
    r.report = report.dump();
    return r;
}

} // namespace wb::core
