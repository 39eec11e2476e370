// The SQLite store: the only code in wbtool that speaks SQL.
//
// One database file in the data directory, in WAL mode with a busy timeout,
// its schema versioned with PRAGMA user_version and migrated forward when it
// is opened. Every write is one transaction, so a crash leaves either the old
// state or the new one. Store is the catalog (store/catalog.h) on SQLite;
// ServerStore (server_store.h) the accounts, submissions and workers on a
// second connection to the same file.
//
// Bundle files are kept as content-addressed blobs (sha-256 of the bytes):
// a file shared by two versions of an MP is stored once. Hashes are computed
// by the caller; the store only files them.
#pragma once

#include "store/catalog.h"
#include "store/error.h"

#include <filesystem>
#include <memory>

namespace SQLite {
class Database;
}

namespace wb::store {

class Store final : public Catalog {
  public:
    // Opens (creating if needed) the store in `data_dir` and migrates it to
    // the current schema. Throws store::Error with the path and reason.
    explicit Store(const std::filesystem::path& data_dir);
    ~Store() override;
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;

    static int current_schema_version();
    int schema_version() const;
    const std::filesystem::path& db_path() const { return db_path_; }

    PutOutcome put_mp(const MpRecord& record, const std::vector<Blob>& blobs) override;
    std::vector<MpRecord> list_mps() const override;
    std::optional<MpRecord> get_mp(const std::string& id, int version = 0) const override;
    std::vector<int> mp_versions(const std::string& id) const override;
    std::optional<std::string> get_blob(const std::string& hash) const override;

  private:
    std::filesystem::path db_path_;
    std::unique_ptr<SQLite::Database> db_;
};

} // namespace wb::store
