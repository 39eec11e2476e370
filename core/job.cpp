// Workers and jobs (see job.h).
#include "core/job.h"

#include "core/enum_names.h"
#include "core/error.h"
#include "core/json_fields.h"
#include "core/names.h"
#include "core/score.h"
#include "core/verdict.h"
#include "store/clock.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace wb::core {
namespace {

bool known_verdict(const std::string& v) {
    return verdict_from_name(v).has_value();
}

nlohmann::json parsed_or_null(const std::string& text) {
    return nlohmann::json::parse(text, nullptr, false);
}

constexpr std::array<std::string_view, 3> isolation_levels = {"full", "userns", "rlimits"};

constexpr std::array<Named<WorkerState>, 4> worker_state_names = {{
    {WorkerState::alive, "alive"},
    {WorkerState::stale, "stale"},
    {WorkerState::draining, "draining"},
    {WorkerState::gpu_unhealthy, "gpu_unhealthy"},
}};

std::optional<std::int64_t> opt_count(const nlohmann::json& obj, const char* key, const char* field,
                                      std::int64_t low, std::int64_t high) {
    const auto v = opt_int(obj, key);
    if (v && (*v < low || *v > high))
        throw InputError(fmt::format("field '{}' must be {} to {}, not {}", field, low, high, *v));
    return v;
}

std::optional<std::string> opt_isolation(const nlohmann::json& caps) {
    auto v = opt_string(caps, "isolation");
    if (v &&
        std::find(isolation_levels.begin(), isolation_levels.end(), *v) == isolation_levels.end()) {
        throw InputError(
            fmt::format("'capabilities.isolation' must be full, userns or rlimits, not '{}'", *v));
    }
    return v;
}

// A few compilers by toolchain name, each its version line.
std::map<std::string, std::string> read_compilers(const nlohmann::json& caps) {
    std::map<std::string, std::string> out;
    const auto it = caps.find("compilers");
    if (it == caps.end() || it->is_null()) return out;
    if (!it->is_object() || it->size() > 16)
        throw InputError("'capabilities.compilers' must be an object of at most 16 names");
    for (const auto& [name, version] : it->items()) {
        if (!valid_name(name) || !version.is_string() || version.get<std::string>().size() > 200) {
            throw InputError("'capabilities.compilers' maps names like \"cpp\" to version "
                             "lines of at most 200 characters");
        }
        out[name] = version.get<std::string>();
    }
    return out;
}

} // namespace

void to_json(nlohmann::json& j, const Capabilities& c) {
    j = {{"gpu", c.gpu}, {"toolchains", c.toolchains}};
    if (c.cores) j["cores"] = *c.cores;
    if (c.memory_mib) j["memory_mib"] = *c.memory_mib;
    if (c.isolation) j["isolation"] = *c.isolation;
    if (!c.compilers.empty()) j["compilers"] = c.compilers;
    if (c.slots) j["slots"] = *c.slots;
    if (c.max_slots) j["max_slots"] = *c.max_slots;
    if (c.version) j["version"] = *c.version;
}

void from_json(const nlohmann::json& j, Capabilities& c) {
    c.gpu = j.value("gpu", false);
    c.toolchains = j.value("toolchains", std::vector<std::string>{});
    if (j.contains("cores")) c.cores = j["cores"].get<std::int64_t>();
    if (j.contains("memory_mib")) c.memory_mib = j["memory_mib"].get<std::int64_t>();
    if (j.contains("isolation")) c.isolation = j["isolation"].get<std::string>();
    c.compilers = j.value("compilers", std::map<std::string, std::string>{});
    if (j.contains("slots")) c.slots = j["slots"].get<std::int64_t>();
    if (j.contains("max_slots")) c.max_slots = j["max_slots"].get<std::int64_t>();
    if (j.contains("version")) c.version = j["version"].get<std::string>();
}

Capabilities read_capabilities(const nlohmann::json& caps) {
    if (!caps.is_object()) throw InputError("field 'capabilities' must be an object");
    only_fields(caps, {"gpu", "toolchains", "cores", "memory_mib", "isolation", "compilers"});
    Capabilities c;
    c.gpu = opt_bool(caps, "gpu").value_or(false);
    c.cores = opt_count(caps, "cores", "capabilities.cores", 0, 1 << 20);
    c.memory_mib = opt_count(caps, "memory_mib", "capabilities.memory_mib", 0, 1LL << 40);
    c.isolation = opt_isolation(caps);
    c.compilers = read_compilers(caps);
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

Capabilities read_registration(const nlohmann::json& body) {
    only_fields(body, {"capabilities", "slots", "max_slots", "version"});
    auto c = read_capabilities(body.value("capabilities", nlohmann::json::object()));
    c.slots = opt_count(body, "slots", "slots", 1, 256);
    c.max_slots = opt_count(body, "max_slots", "max_slots", 1, 256);
    if (c.slots && c.max_slots && *c.max_slots < *c.slots) {
        throw InputError(fmt::format("field 'max_slots' ({}) must be at least 'slots' ({})",
                                     *c.max_slots, *c.slots));
    }
    if (auto v = opt_string(body, "version")) c.version = v->substr(0, 64);
    return c;
}

void to_json(nlohmann::json& j, const WorkerStatus& s) {
    j = nlohmann::json::object();
    if (s.load) j["load"] = *s.load;
    if (s.disk_free_mib) j["disk_free_mib"] = *s.disk_free_mib;
    if (s.slots) j["slots"] = *s.slots;
    if (s.busy) j["busy"] = *s.busy;
    j["gpu_ok"] = s.gpu_ok;
    if (s.gpu_reason) j["gpu_reason"] = *s.gpu_reason;
    j["draining"] = s.draining;
}

WorkerStatus read_status(const nlohmann::json& body) {
    WorkerStatus s;
    s.load = opt_number(body, "load");
    s.disk_free_mib = opt_number(body, "disk_free_mib");
    // Slots open now: none while a worker starts or after it drained.
    s.slots = opt_count(body, "slots", "slots", 0, 256);
    s.busy = opt_count(body, "busy", "busy", 0, 256);
    s.gpu_ok = opt_bool(body, "gpu_ok").value_or(true);
    if (auto why = opt_string(body, "gpu_reason")) s.gpu_reason = why->substr(0, 500);
    s.draining = opt_bool(body, "draining").value_or(false);
    return s;
}

std::string_view worker_state_name(WorkerState s) {
    return name_in(worker_state_names, s);
}

namespace {

// Silence first (nothing else it said is current), then draining, then the GPU.
WorkerState state_of(const store::WorkerRow& w, const nlohmann::json& caps,
                     const nlohmann::json& status, bool stale) {
    if (stale) return WorkerState::stale;
    const auto said = [](const nlohmann::json& j, const char* key) {
        return j.is_object() && j.value(key, false);
    };
    if (w.drain || said(status, "draining")) return WorkerState::draining;
    if (said(caps, "gpu") && !w.gpu_ok) return WorkerState::gpu_unhealthy;
    return WorkerState::alive;
}

} // namespace

WorkerInfo worker_info(const store::WorkerRow& w, std::int64_t now_ms, double stale_s) {
    const auto age_s = static_cast<double>(now_ms - w.last_seen_ms) / 1000.0;
    auto caps = parsed_or_null(w.capabilities);
    auto status = parsed_or_null(w.status);
    const bool stale = age_s > stale_s;
    const auto state = state_of(w, caps, status, stale);
    return {w.id,     std::move(caps), std::move(status),
            w.gpu_ok, w.registered_at, age_s,
            stale,    state,           store::utc_text(w.last_seen_ms),
            w.leased};
}

void to_json(nlohmann::json& j, const WorkerInfo& w) {
    j = {{"id", w.id},
         {"capabilities", w.capabilities},
         {"status", w.status},
         {"gpu_ok", w.gpu_ok},
         // Why its GPU failed its check (the heartbeat's words), else null.
         {"gpu_reason", w.status.is_object() && w.status.contains("gpu_reason")
                            ? w.status["gpu_reason"]
                            : nlohmann::json(nullptr)},
         {"registered_at", w.registered_at},
         {"last_seen_s_ago", w.last_seen_s_ago},
         {"stale", w.stale},
         {"state", worker_state_name(w.state)},
         {"last_heartbeat_at", w.last_heartbeat_at},
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
    if (all.empty()) return {0}; // an MP without datasets: its one run, reported as dataset 0
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

void count_report_points(store::JobResult& result, const nlohmann::json& report, const MpConfig& mp,
                         std::optional<int> dataset, const std::string& program_text) {
    if (result.verdict == "internal_error") return;
    ScoreInput in;
    in.scoring = &mp.scoring;
    if (!mp.datasets.empty()) in.dataset_shares = dataset_shares(mp, dataset);
    const auto compile = report.find("compile");
    in.compiled = compile != report.end() && compile->is_object() &&
                  compile->value("verdict", std::string()) == "correct";
    in.program_text = &program_text;
    if (const auto ds = report.find("datasets"); ds != report.end() && ds->is_array())
        for (const auto& d : *ds)
            in.dataset_correct[d.at("index").get<int>()] = d.value("verdict", "") == "correct";
    const Score s = count_points(in);
    result.points = s.points;
    result.max_points = s.max;
}

} // namespace wb::core
