// MpVersion and its JSON (see mp_version.h). The stored summary's field
// names are a format: databases written by earlier versions of wbtool hold
// them, so they change only with a migration.
#include "core/mp_version.h"

#include "core/error.h"
#include "core/mp_loader.h"
#include "core/score.h"
#include "core/table.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace wb::core {
namespace {

std::string rel(const Mp& mp, const std::filesystem::path& p) {
    if (p.empty()) return "";
    if (mp.unpacked && p.native().starts_with(mp.unpacked->native() + "/"))
        return p.lexically_relative(*mp.unpacked).generic_string();
    return p.lexically_relative(mp.root).generic_string();
}

// An enum from its name; a name this wbtool does not know is a summary
// written by a newer one.
template <class E, class Parse>
E enum_field(const nlohmann::json& j, const char* key, Parse parse, E fallback) {
    const auto it = j.find(key);
    if (it == j.end()) return fallback;
    const auto name = it->get<std::string>();
    if (auto v = parse(name)) return *v;
    throw InternalError(fmt::format("stored MP summary: unknown {} '{}'", key, name));
}

} // namespace

MpConfig mp_config(const Mp& mp) {
    MpConfig c;
    c.id = mp.id;
    c.title = mp.title;
    c.layout = mp.layout;
    c.toolchain = mp.toolchain;
    c.flags = mp.flags;
    c.compile_command = mp.compile_command;
    c.run_command = mp.run_command;
    c.limits = mp.limits;
    c.forbidden = mp.forbidden;
    c.check = {mp.check, mp.tolerance, mp.type_arg};
    c.description = rel(mp, mp.description);
    c.template_file = rel(mp, mp.template_file);
    c.solution = rel(mp, mp.solution);
    for (const auto& ds : mp.datasets) {
        DatasetEntry e{ds.index, {}, rel(mp, ds.expected), ds.score, ds.description};
        for (const auto& in : ds.inputs)
            e.inputs.push_back(rel(mp, in));
        c.datasets.push_back(std::move(e));
    }
    c.language = mp.language;
    c.scoring = mp.scoring;
    c.questions = mp.questions;
    return c;
}

std::map<int, double> dataset_shares(const MpConfig& c, std::optional<int> only) {
    std::map<int, double> out;
    for (const auto& d : c.datasets)
        if (!only || d.index == *only) out[d.index] = d.score;
    return out;
}

void to_json(nlohmann::json& j, const MpLimits& l) {
    j = {{"compile_time_s", l.compile_s},  {"run_time_s", l.run_s},
         {"wall_time_s", wall_limit_s(l)}, {"memory_mib", l.memory_mib},
         {"output_kib", l.output_kib},     {"processes", l.processes}};
}

void to_json(nlohmann::json& j, const MpConfig& c) {
    j = nlohmann::json::object();
    j["id"] = c.id;
    j["title"] = c.title;
    j["layout"] = to_string(c.layout);
    j["toolchain"] = to_string(c.toolchain);
    j["flags"] = c.flags;
    j["compile_command"] = c.compile_command;
    j["run_command"] = c.run_command;
    j["limits"] = c.limits;
    j["forbidden"] = c.forbidden;
    j["check"] = {{"mode", to_string(c.check.mode)},
                  {"abs_tolerance", c.check.tolerance.abs},
                  {"rel_tolerance", c.check.tolerance.rel},
                  {"type", c.check.type_arg}};
    j["description"] = c.description;
    j["template"] = c.template_file;
    j["solution"] = c.solution;
    j["datasets"] = nlohmann::json::array();
    for (const auto& ds : c.datasets)
        j["datasets"].push_back({{"index", ds.index},
                                 {"inputs", ds.inputs},
                                 {"expected", ds.expected},
                                 {"score", ds.score},
                                 {"description", ds.description}});
    j["language"] = c.language;
    j["scoring"] = c.scoring;
    j["questions"] = c.questions;
}

void from_json(const nlohmann::json& j, MpConfig& c) {
    c.id = j.at("id").get<std::string>();
    c.title = j.value("title", "");
    c.layout = enum_field(j, "layout", layout_from_name, BundleLayout::native);
    c.toolchain = enum_field(j, "toolchain", toolchain_from_name, Toolchain::cpp);
    c.flags = j.value("flags", std::vector<std::string>{});
    c.compile_command = j.value("compile_command", "");
    c.run_command = j.value("run_command", "");
    const auto& l = j.at("limits");
    c.limits.compile_s = l.at("compile_time_s").get<double>();
    c.limits.run_s = l.at("run_time_s").get<double>();
    c.limits.wall_s = l.value("wall_time_s", 0.0); // absent before it existed
    c.limits.memory_mib = l.at("memory_mib").get<std::uint64_t>();
    c.limits.output_kib = l.at("output_kib").get<std::uint64_t>();
    c.limits.processes = l.at("processes").get<std::uint32_t>();
    c.forbidden = j.value("forbidden", std::vector<std::string>{});
    const auto& k = j.at("check");
    c.check.mode = enum_field(k, "mode", check_mode_from_name, CheckMode::vector);
    c.check.tolerance = {k.at("abs_tolerance").get<double>(), k.at("rel_tolerance").get<double>()};
    c.check.type_arg = k.value("type", "");
    c.description = j.value("description", "");
    c.template_file = j.value("template", "");
    c.solution = j.value("solution", "");
    c.datasets.clear();
    for (const auto& d : j.at("datasets")) {
        c.datasets.push_back(
            {d.at("index").get<int>(), d.value("inputs", std::vector<std::string>{}),
             d.value("expected", ""), d.value("score", 0.0), d.value("description", "")});
    }
    c.language = j.value("language", "");
    c.questions = j.value("questions", std::vector<std::string>{});
    if (auto it = j.find("scoring"); it != j.end() && it->is_object()) {
        c.scoring = it->get<Scoring>();
    } else {
        // A summary stored before scores: its datasets in equal shares.
        c.scoring = Scoring{};
        const auto shares = equal_shares(c.datasets.size());
        for (std::size_t i = 0; i < shares.size(); ++i)
            c.datasets[i].score = shares[i];
    }
}

void to_json(nlohmann::json& j, const BundleFile& f) {
    j = {{"path", f.path}, {"sha256", f.sha256}, {"size", f.size}};
}

const BundleFile* MpVersion::file(const std::string& path) const {
    if (path.empty()) return nullptr;
    for (const auto& f : files)
        if (f.path == path) return &f;
    return nullptr;
}

std::vector<int> MpVersion::dataset_indices() const {
    std::vector<int> out;
    for (const auto& d : config.datasets)
        out.push_back(d.index);
    return out;
}

MpVersion mp_version(const store::MpRecord& record) {
    MpVersion v;
    v.id = record.id;
    v.version = record.version;
    v.title = record.title;
    v.bundle_hash = record.bundle_hash;
    v.created_at = record.created_at;
    try {
        v.config = nlohmann::json::parse(record.summary_json).get<MpConfig>();
    } catch (const nlohmann::json::exception& e) {
        throw InternalError(fmt::format("MP '{}' version {}: the stored summary is unreadable: {}",
                                        record.id, record.version, e.what()));
    }
    for (const auto& f : record.files)
        v.files.push_back({f.path, f.hash, f.size});
    return v;
}

MpListing listing(const MpVersion& v) {
    return {v.id, v.version, v.title, v.config.toolchain, v.config.datasets.size(), v.created_at};
}

void to_json(nlohmann::json& j, const MpListing& l) {
    j = {{"id", l.id},
         {"version", l.version},
         {"title", l.title},
         {"toolchain", to_string(l.toolchain)},
         {"datasets", l.datasets},
         {"created_at", l.created_at}};
}

void from_json(const nlohmann::json& j, MpListing& l) {
    l.id = j.at("id").get<std::string>();
    l.version = j.at("version").get<int>();
    l.title = j.value("title", std::string());
    l.toolchain =
        toolchain_from_name(j.value("toolchain", std::string())).value_or(Toolchain::custom);
    l.datasets = j.value("datasets", std::size_t{0});
    l.created_at = j.value("created_at", std::string());
}

std::string listings_table(const std::vector<MpListing>& mps, bool aligned) {
    Table t({"id", "version", "toolchain", "datasets", "imported", "title"});
    for (const auto& m : mps) {
        t.add({m.id, std::to_string(m.version), std::string(to_string(m.toolchain)),
               std::to_string(m.datasets), m.created_at, m.title});
    }
    return t.render(aligned);
}

DatasetSelection select_datasets(const MpVersion& mp, std::optional<std::int64_t> dataset) {
    const auto& all = mp.config.datasets;
    if (all.empty()) {
        // An MP without datasets runs its program once, as dataset 0.
        if (dataset && *dataset != 0)
            throw InputError(fmt::format("dataset {} is out of range: MP '{}' has no datasets (its "
                                         "program runs once, as dataset 0)",
                                         *dataset, mp.id));
        return {dataset ? std::optional<int>(0) : std::nullopt, 1};
    }
    if (!dataset) return {std::nullopt, all.size()};
    const bool found = std::any_of(all.begin(), all.end(),
                                   [&](const DatasetEntry& d) { return d.index == *dataset; });
    if (!found || all.empty()) {
        throw InputError(fmt::format("dataset {} is out of range: MP '{}' has datasets {}..{}",
                                     *dataset, mp.id, all.empty() ? 0 : all.front().index,
                                     all.empty() ? 0 : all.back().index));
    }
    return {static_cast<int>(*dataset), 1};
}

double lease_seconds(const MpLimits& limits, std::size_t runs, double fixed) {
    if (fixed > 0) return fixed;
    return 2.0 * (limits.compile_s + limits.run_s * static_cast<double>(runs)) + 30.0;
}

JobNeeds job_needs(const MpConfig& config) {
    return {std::string(to_string(config.toolchain)), config.toolchain == Toolchain::cuda};
}

} // namespace wb::core
