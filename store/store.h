// The SQLite store: the only code in wbtool that speaks SQL.
//
// One database file in the data directory, in WAL mode with a busy timeout,
// its schema versioned with PRAGMA user_version and migrated forward when it
// is opened. Every write is one transaction, so a crash leaves either the old
// state or the new one. The interface is narrow and SQL-free on purpose: a
// second backend (PostgreSQL) can sit behind it later.
//
// Bundle files are kept as content-addressed blobs (sha-256 of the bytes):
// a file shared by two versions of an MP is stored once. Hashes are computed
// by the caller; the store only files them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace wb::store {

struct FileRow {
    std::string path; // relative to the bundle root, '/'-separated
    std::string hash; // sha-256 hex of the content
    std::uint64_t size = 0;
};

// One version of an MP as the store keeps it.
struct MpRecord {
    std::string id;
    int version = 0; // assigned by put_mp
    std::string title;
    std::string bundle_hash;  // identifies the whole bundle's content
    std::string summary_json; // the loaded configuration, as JSON text
    std::string created_at;   // UTC, ISO 8601; assigned by put_mp
    std::vector<FileRow> files;
};

struct Blob {
    std::string hash;
    std::string data;
};

struct PutOutcome {
    int version = 0;
    bool created = false; // false: the latest version already had this content
};

class Store {
  public:
    // Opens (creating if needed) the store in `data_dir` and migrates it to
    // the current schema. Throws std::runtime_error with the path and reason.
    explicit Store(const std::filesystem::path& data_dir);
    ~Store();
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;

    static int current_schema_version();
    int schema_version() const;
    const std::filesystem::path& db_path() const { return db_path_; }

    // Stores a new version of record.id unless its latest version has the
    // same bundle_hash. Blobs already present are not written again. One
    // transaction.
    PutOutcome put_mp(const MpRecord& record, const std::vector<Blob>& blobs);

    // The latest version of every MP, by id.
    std::vector<MpRecord> list_mps() const;

    // One version (0 = latest) with its files, or nothing.
    std::optional<MpRecord> get_mp(const std::string& id, int version = 0) const;

    // Every version number of an MP, oldest first.
    std::vector<int> mp_versions(const std::string& id) const;

    std::optional<std::string> get_blob(const std::string& hash) const;

  private:
    std::filesystem::path db_path_;
    std::unique_ptr<SQLite::Database> db_;
};

} // namespace wb::store
