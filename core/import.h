// Importing an MP bundle into the store: validate (load_mp), hash every file,
// and store a new version unless the latest one has the same content.
#pragma once

#include "core/mp.h"
#include "store/store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace wb::core {

struct ImportResult {
    std::string id;
    int version = 0;
    bool created = false; // false: identical to the latest version, nothing stored
    std::size_t files = 0;
    std::uint64_t bytes = 0;
    std::string bundle_hash;
};

// Opens the store of a data directory; one that cannot be opened (not a
// directory, no permission, a newer schema) is the user's error
// (wb::InputError, exit 2).
store::Store open_store(const std::filesystem::path& data_dir);

// `mp` must come from load_mp (it is validated). Nothing is written unless
// every file could be read.
ImportResult import_mp(store::Store& store, const Mp& mp);

// One line of an MP listing (`mp list --json`, GET /api/v1/mps): id,
// version, title, toolchain, the number of datasets, created_at.
nlohmann::json mp_listing_json(const store::MpRecord& record);

// The MP's configuration as JSON (paths relative to the bundle): what the
// store keeps as the version's summary and `mp show` prints.
std::string mp_summary_json(const Mp& mp);

} // namespace wb::core
