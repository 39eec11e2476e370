// The MP catalog as commands and routes use it: import a loaded bundle,
// list, find one version, read a bundle file. Each is one call on the
// store's narrow catalog interface (store/catalog.h) that returns typed
// values (core/mp_version.h); a missing MP or version is NotFoundError.
//
// LocalCatalog is the catalog of a data directory, for the local commands
// (`wbtool mp ...` without a server).
#pragma once

#include "core/mp.h"
#include "core/mp_version.h"
#include "store/catalog.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace wb::core {

struct ImportResult {
    std::string id;
    int version = 0;
    bool created = false; // false: identical to the latest version, nothing stored
    std::size_t files = 0;
    std::size_t datasets = 0;
    std::uint64_t bytes = 0;
    std::string bundle_hash;
};
void to_json(nlohmann::json& j, const ImportResult& r);
void from_json(const nlohmann::json& j, ImportResult& r); // a server's answer
// One line for people: "imported vecadd version 2 (...)" or "... is unchanged".
std::string describe(const ImportResult& r);

// One version with every version number of its MP (`mp show`).
struct MpDetails {
    MpVersion mp;
    std::vector<int> versions;
};
void to_json(nlohmann::json& j, const MpDetails& d);

// `mp` must come from load_mp (it is validated). Nothing is written unless
// every file could be read.
ImportResult import_mp(store::Catalog& catalog, const Mp& mp);

std::vector<MpListing> list_mps(const store::Catalog& catalog);

// Version 0 is the latest. NotFoundError: "no MP 'x'" or "MP 'x' has no
// version N".
MpVersion find_mp(const store::Catalog& catalog, const std::string& id, int version = 0);
MpDetails mp_details(const store::Catalog& catalog, const std::string& id, int version = 0);

// The text of a bundle file (a description, a template); empty when the
// version has no such file.
std::string bundle_text(const store::Catalog& catalog, const MpVersion& mp,
                        const std::string& path);

class LocalCatalog {
  public:
    // Opens (creating) the store of a data directory; store::Error.
    explicit LocalCatalog(const std::filesystem::path& data_dir);
    ~LocalCatalog();
    LocalCatalog(const LocalCatalog&) = delete;
    LocalCatalog& operator=(const LocalCatalog&) = delete;

    store::Catalog& catalog();
    std::filesystem::path db_path() const;

  private:
    struct Opened;
    std::unique_ptr<Opened> store_;
};

} // namespace wb::core
