// The MP catalog (see catalog.h). The bundle hash covers every file's path
// and content hash, so renaming a dataset file makes a new version and
// touching a file's mtime does not.
#include "core/catalog.h"

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "store/store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

namespace wb::core {

void to_json(nlohmann::json& j, const ImportResult& r) {
    j = {{"id", r.id},
         {"version", r.version},
         {"created", r.created},
         {"files", r.files},
         {"datasets", r.datasets},
         {"bytes", r.bytes},
         {"bundle_hash", r.bundle_hash}};
}

void from_json(const nlohmann::json& j, ImportResult& r) {
    r.id = j.at("id").get<std::string>();
    r.version = j.at("version").get<int>();
    r.created = j.value("created", false);
    r.files = j.value("files", std::size_t{0});
    r.datasets = j.value("datasets", std::size_t{0});
    r.bytes = j.value("bytes", std::uint64_t{0});
    r.bundle_hash = j.value("bundle_hash", std::string());
}

std::string describe(const ImportResult& r) {
    if (!r.created)
        return fmt::format("{} is unchanged: version {} already has this content", r.id, r.version);
    return fmt::format("imported {} version {} ({} files, {} datasets, {} bytes)", r.id, r.version,
                       r.files, r.datasets, r.bytes);
}

void to_json(nlohmann::json& j, const MpDetails& d) {
    j = d.mp.config;
    j["version"] = d.mp.version;
    j["versions"] = d.versions;
    j["created_at"] = d.mp.created_at;
    j["bundle_hash"] = d.mp.bundle_hash;
    j["files"] = d.mp.files;
}

ImportResult import_mp(store::Catalog& catalog, const Mp& mp) {
    store::MpRecord record;
    record.id = mp.id;
    record.title = mp.title;
    record.summary_json = nlohmann::json(mp_config(mp)).dump();

    std::map<std::string, std::string> blobs; // hash -> content, deduplicated
    ImportResult result;
    std::vector<std::pair<std::string, std::string>> listed;
    for (const auto& file : mp.files) {
        std::string content = read_file(mp.source_of(file));
        std::string hash = sha256_hex(content);
        const auto path = file.generic_string();
        listed.emplace_back(path, hash);
        record.files.push_back({path, hash, content.size()});
        result.bytes += content.size();
        blobs.emplace(std::move(hash), std::move(content));
    }
    record.bundle_hash = bundle_hash(std::move(listed));

    std::vector<store::Blob> list;
    list.reserve(blobs.size());
    for (auto& [hash, content] : blobs)
        list.push_back({hash, std::move(content)});

    const auto put = catalog.put_mp(record, list);
    result.id = mp.id;
    result.version = put.version;
    result.created = put.created;
    result.files = record.files.size();
    result.datasets = mp.datasets.size();
    result.bundle_hash = record.bundle_hash;
    return result;
}

std::vector<MpListing> list_mps(const store::Catalog& catalog) {
    std::vector<MpListing> out;
    for (const auto& r : catalog.list_mps())
        out.push_back(listing(mp_version(r)));
    return out;
}

MpVersion find_mp(const store::Catalog& catalog, const std::string& id, int version) {
    if (auto r = catalog.get_mp(id, version)) return mp_version(*r);
    if (version > 0 && catalog.get_mp(id))
        throw NotFoundError(fmt::format("MP '{}' has no version {}", id, version));
    throw NotFoundError(fmt::format("no MP '{}'", id));
}

MpDetails mp_details(const store::Catalog& catalog, const std::string& id, int version) {
    auto mp = find_mp(catalog, id, version);
    auto versions = catalog.mp_versions(mp.id);
    return {std::move(mp), std::move(versions)};
}

std::string bundle_text(const store::Catalog& catalog, const MpVersion& mp,
                        const std::string& path) {
    const auto* f = mp.file(path);
    if (!f) return {};
    return catalog.get_blob(f->sha256).value_or("");
}

struct LocalCatalog::Opened {
    store::Store store;
};

LocalCatalog::LocalCatalog(const std::filesystem::path& data_dir)
    : store_(std::make_unique<Opened>(Opened{store::Store(data_dir)})) {}
LocalCatalog::~LocalCatalog() = default;

store::Catalog& LocalCatalog::catalog() {
    return store_->store;
}

std::filesystem::path LocalCatalog::db_path() const {
    return store_->store.db_path();
}

} // namespace wb::core
