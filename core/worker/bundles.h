// The worker's copy of MP bundles: <cache>/bundles/<bundle hash>/, made
// once from the job's file list (path and sha-256 of each file), each file
// fetched by its hash from the server unless <cache>/blobs/ has it. A blob
// whose content does not match its hash is refused and fetched again; a
// bundle appears whole (built aside, then renamed into place) or not at all,
// so slots that need the same bundle at once never see half of one.
#pragma once

#include "core/net/http_client.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>

namespace wb::worker {

// Fetches a blob by hash (GET /api/v1/worker/blob/<hash>).
using FetchBlob = std::function<net::HttpResponse(const std::string& hash)>;

class BundleCache {
  public:
    explicit BundleCache(std::filesystem::path cache_dir);

    // The bundle's directory for a job's "mp" object ({"bundle_hash",
    // "files": [{"path", "sha256", "size"}]}). Throws InternalError naming
    // the file when the server's copy cannot be had or does not match.
    std::filesystem::path ensure(const nlohmann::json& mp, const FetchBlob& fetch);

  private:
    std::string blob(const std::string& hash, const FetchBlob& fetch);
    std::filesystem::path bundles_;
    std::filesystem::path blobs_;
};

} // namespace wb::worker
