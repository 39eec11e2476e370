// Bundle import (see import.h). The bundle hash covers every file's path and
// content hash, so renaming a dataset file makes a new version and touching
// a file's mtime does not.
#include "core/import.h"

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"

#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>

namespace wb::core {
namespace {

std::string rel(const Mp& mp, const std::filesystem::path& p) {
    return p.empty() ? "" : p.lexically_relative(mp.root).generic_string();
}

} // namespace

std::string mp_summary_json(const Mp& mp) {
    nlohmann::json j;
    j["id"] = mp.id;
    j["title"] = mp.title;
    j["layout"] = to_string(mp.layout);
    j["toolchain"] = to_string(mp.toolchain);
    j["flags"] = mp.flags;
    j["compile_command"] = mp.compile_command;
    j["run_command"] = mp.run_command;
    j["limits"] = {{"compile_time_s", mp.limits.compile_s},
                   {"run_time_s", mp.limits.run_s},
                   {"memory_mib", mp.limits.memory_mib},
                   {"output_kib", mp.limits.output_kib},
                   {"processes", mp.limits.processes}};
    j["forbidden"] = mp.forbidden;
    j["check"] = {{"mode", to_string(mp.check)},
                  {"abs_tolerance", mp.tolerance.abs},
                  {"rel_tolerance", mp.tolerance.rel},
                  {"type", mp.type_arg}};
    j["description"] = rel(mp, mp.description);
    j["template"] = rel(mp, mp.template_file);
    j["solution"] = rel(mp, mp.solution);
    j["datasets"] = nlohmann::json::array();
    for (const auto& ds : mp.datasets) {
        std::vector<std::string> inputs;
        for (const auto& in : ds.inputs)
            inputs.push_back(rel(mp, in));
        j["datasets"].push_back(
            {{"index", ds.index}, {"inputs", inputs}, {"expected", rel(mp, ds.expected)}});
    }
    return j.dump();
}

nlohmann::json mp_listing_json(const store::MpRecord& m) {
    const auto summary = nlohmann::json::parse(m.summary_json);
    return {{"id", m.id},
            {"version", m.version},
            {"title", m.title},
            {"toolchain", summary["toolchain"]},
            {"datasets", summary["datasets"].size()},
            {"created_at", m.created_at}};
}

store::Store open_store(const std::filesystem::path& data_dir) {
    try {
        return store::Store(data_dir);
    } catch (const std::runtime_error& e) {
        throw InputError(e.what());
    }
}

ImportResult import_mp(store::Store& store, const Mp& mp) {
    store::MpRecord record;
    record.id = mp.id;
    record.title = mp.title;
    record.summary_json = mp_summary_json(mp);

    std::map<std::string, std::string> blobs; // hash -> content, deduplicated
    ImportResult result;
    Hasher bundle;
    bundle.add("wbtool-bundle-v1");
    for (const auto& file : mp.files) {
        std::string content = read_file(mp.root / file);
        std::string hash = sha256_hex(content);
        const auto path = file.generic_string();
        bundle.add(path).add(hash);
        record.files.push_back({path, hash, content.size()});
        result.bytes += content.size();
        blobs.emplace(std::move(hash), std::move(content));
    }
    record.bundle_hash = bundle.hex();

    std::vector<store::Blob> list;
    list.reserve(blobs.size());
    for (auto& [hash, content] : blobs)
        list.push_back({hash, std::move(content)});

    const auto put = store.put_mp(record, list);
    result.id = mp.id;
    result.version = put.version;
    result.created = put.created;
    result.files = record.files.size();
    result.bundle_hash = record.bundle_hash;
    return result;
}

} // namespace wb::core
