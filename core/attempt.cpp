// Attempts, grades and users (see attempt.h).
#include "core/attempt.h"

#include "core/error.h"
#include "core/hash.h"

#include <fmt/format.h>

namespace wb::core {
namespace {

nlohmann::json null_if_empty(const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

constexpr const char* picture_field = "diff_png_base64";

// The report as the API shows it: each picture replaced by its route.
nlohmann::json without_pictures(nlohmann::json report, std::int64_t attempt_id) {
    if (!report.is_object()) return report;
    const auto datasets = report.find("datasets");
    if (datasets == report.end() || !datasets->is_array()) return report;
    for (auto& d : *datasets) {
        if (!d.is_object() || !d.contains(picture_field)) continue;
        d.erase(picture_field);
        d["diff_png"] = fmt::format("/api/v1/attempt/{}/diff/{}", attempt_id, d.value("index", 0));
    }
    return report;
}

} // namespace

std::optional<std::string> attempt_picture(const AttemptDetail& a, int dataset) {
    if (!a.report.is_object()) return std::nullopt;
    const auto datasets = a.report.find("datasets");
    if (datasets == a.report.end() || !datasets->is_array()) return std::nullopt;
    for (const auto& d : *datasets) {
        if (!d.is_object() || d.value("index", -1) != dataset) continue;
        const auto it = d.find(picture_field);
        if (it == d.end() || !it->is_string()) return std::nullopt;
        return from_base64(it->get<std::string>());
    }
    return std::nullopt;
}

AttemptDetail attempt_detail(const store::AttemptRow& row, int queue_position) {
    AttemptDetail d{row, nullptr, queue_position};
    if (!row.report.empty()) d.report = nlohmann::json::parse(row.report, nullptr, false);
    return d;
}

void to_json(nlohmann::json& j, const AttemptDetail& d) {
    j = d.attempt;
    j["program"] = d.attempt.program_text;
    j["queue_position"] =
        d.queue_position > 0 ? nlohmann::json(d.queue_position) : nlohmann::json(nullptr);
    const auto report = without_pictures(d.report, d.attempt.id);
    j["report"] = report;
    const bool object = report.is_object();
    const auto compile = object ? report.find("compile") : report.end();
    j["compile_output"] = object && compile != report.end() && compile->is_object()
                              ? compile->value("output", nlohmann::json(nullptr))
                              : nlohmann::json(nullptr);
    j["datasets"] =
        object ? report.value("datasets", nlohmann::json::array()) : nlohmann::json::array();
}

double score(const store::GradeRow& g) {
    return g.total > 0 ? static_cast<double>(g.correct) / g.total : 0.0;
}

// RFC 4180 (see attempt.h): quote a field that holds a comma, a quote or a line break; a
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

std::string grades_csv(const std::vector<store::GradeRow>& grades) {
    std::string out = "user,mp,correct,total,score,verdict,attempts,attempt_id,finished_at,"
                      "points,max_points,late\r\n";
    auto number = [](const std::optional<double>& v) {
        return v ? fmt::format("{:g}", *v) : std::string();
    };
    for (const auto& g : grades) {
        out += fmt::format("{},{},{},{},{:.4f},{},{},{},{},{},{},{}\r\n", csv_field(g.user),
                           csv_field(g.mp_id), g.correct, g.total, score(g), csv_field(g.verdict),
                           g.attempts, g.attempt_id, csv_field(g.finished_at), number(g.points),
                           number(g.max_points), g.late ? "yes" : "no");
    }
    return out;
}

store::NewAttempt new_attempt(const MpVersion& mp, AttemptRequest request) {
    if (mp.config.toolchain == Toolchain::none)
        throw InputError(fmt::format("MP '{}' is in {}, which no toolchain of wbtool compiles: it "
                                     "cannot be graded",
                                     mp.id, mp.config.language));
    const auto selection = select_datasets(mp, request.dataset);
    const auto needs = job_needs(mp.config);
    store::NewAttempt a;
    a.user_id = request.user_id;
    a.mp_id = mp.id;
    a.mp_version = mp.version;
    a.kind = std::move(request.kind);
    a.dataset = selection.dataset;
    a.program_name = std::move(request.program_name);
    a.program_hash = sha256_hex(request.program_text);
    a.program_text = std::move(request.program_text);
    a.toolchain = needs.toolchain;
    a.needs_gpu = needs.gpu;
    a.lease_seconds = lease_seconds(mp.config.limits, selection.runs, request.fixed_lease_s);
    if (mp.config.scoring.coding_deadline)
        a.deadline_ms = *mp.config.scoring.coding_deadline * 1000;
    return a;
}

} // namespace wb::core

void nlohmann::adl_serializer<wb::store::AttemptRow>::to_json(nlohmann::json& j,
                                                              const wb::store::AttemptRow& a) {
    using wb::core::null_if_empty;
    j = {{"id", a.id},
         {"user", a.user_name},
         {"mp", a.mp_id},
         {"mp_version", a.mp_version},
         {"kind", a.kind},
         {"dataset", a.dataset ? nlohmann::json(*a.dataset) : nlohmann::json(nullptr)},
         {"state", a.state},
         {"worker", null_if_empty(a.worker)},
         {"verdict", null_if_empty(a.verdict)},
         {"message", a.message},
         {"correct", a.correct},
         {"total", a.total},
         {"program_name", a.program_name},
         {"program_sha256", a.program_hash},
         {"created_at", a.created_at},
         {"finished_at", null_if_empty(a.finished_at)},
         {"points", a.points ? nlohmann::json(*a.points) : nlohmann::json(nullptr)},
         {"max_points", a.max_points ? nlohmann::json(*a.max_points) : nlohmann::json(nullptr)},
         {"late", a.late}};
}

void nlohmann::adl_serializer<wb::store::GradeRow>::to_json(nlohmann::json& j,
                                                            const wb::store::GradeRow& g) {
    j = {{"user", g.user},
         {"mp", g.mp_id},
         {"attempt_id", g.attempt_id},
         {"verdict", g.verdict},
         {"correct", g.correct},
         {"total", g.total},
         {"score", wb::core::score(g)},
         {"attempts", g.attempts},
         {"finished_at", g.finished_at},
         {"points", g.points ? nlohmann::json(*g.points) : nlohmann::json(nullptr)},
         {"max_points", g.max_points ? nlohmann::json(*g.max_points) : nlohmann::json(nullptr)},
         {"late", g.late}};
}

void nlohmann::adl_serializer<wb::store::UserRow>::to_json(nlohmann::json& j,
                                                           const wb::store::UserRow& u) {
    j = {{"id", u.id}, {"name", u.name}, {"role", u.role}, {"created_at", u.created_at}};
}
