// The bundle cache (see bundles.h).
#include "core/worker/bundles.h"

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"

#include <fmt/format.h>

#include <cstdio>

namespace wb::worker {
namespace {

bool is_hash(const std::string& h) {
    return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A bundle path from the server: relative, no '.' or '..' component.
std::filesystem::path safe_path(const std::string& p) {
    const std::filesystem::path path(p);
    bool ok = !p.empty() && path.is_relative();
    for (const auto& part : path)
        ok = ok && part != "." && part != ".." && !part.empty();
    if (!ok) throw InternalError(fmt::format("the server named a bundle file '{}'", p));
    return path;
}

} // namespace

BundleCache::BundleCache(std::filesystem::path cache_dir)
    : bundles_(cache_dir / "bundles"), blobs_(cache_dir / "blobs") {}

std::string BundleCache::blob(const std::string& hash, const FetchBlob& fetch) {
    if (!is_hash(hash)) throw InternalError(fmt::format("'{}' is not a blob hash", hash));
    const auto file = blobs_ / hash;
    if (std::filesystem::exists(file)) {
        auto data = core::read_file(file);
        if (core::sha256_hex(data) == hash) return data;
    }
    for (int attempt = 1;; ++attempt) {
        const auto r = fetch(hash);
        if (r.status != 200) {
            throw InternalError(fmt::format("blob {}: the server answered {}", hash, r.status));
        }
        if (core::sha256_hex(r.body) == hash) {
            std::filesystem::create_directories(blobs_);
            core::write_file_atomic(file, r.body);
            return r.body;
        }
        if (attempt == 2) {
            throw InternalError(fmt::format("blob {}: the server sent content whose sha-256 is "
                                            "{}, twice; refusing it",
                                            hash, core::sha256_hex(r.body)));
        }
    }
}

std::filesystem::path BundleCache::ensure(const nlohmann::json& mp, const FetchBlob& fetch) {
    const auto hash = mp.at("bundle_hash").get<std::string>();
    if (!is_hash(hash)) throw InternalError(fmt::format("'{}' is not a bundle hash", hash));
    const auto dir = bundles_ / hash;
    if (std::filesystem::exists(dir)) return dir; // renamed into place whole

    std::vector<std::pair<std::string, std::string>> listed;
    for (const auto& f : mp.at("files"))
        listed.emplace_back(f.at("path").get<std::string>(), f.at("sha256").get<std::string>());
    if (core::bundle_hash(listed) != hash) {
        throw InternalError(fmt::format("the server's file list for bundle {} does not match "
                                        "its hash; refusing it",
                                        hash));
    }
    std::filesystem::create_directories(bundles_);
    const auto tmp = core::make_temp_dir(bundles_, ".fetch");
    try {
        for (const auto& f : mp.at("files")) {
            const auto path = safe_path(f.at("path").get<std::string>());
            const auto data = blob(f.at("sha256").get<std::string>(), fetch);
            std::filesystem::create_directories((tmp / path).parent_path());
            core::write_file_atomic(tmp / path, data);
        }
    } catch (...) {
        core::remove_tree(tmp);
        throw;
    }
    if (std::rename(tmp.c_str(), dir.c_str()) != 0) core::remove_tree(tmp); // another slot won
    return dir;
}

} // namespace wb::worker
