// The catalog: MP versions and the content-addressed blobs of their files.
//
// One of the store's narrow interfaces (catalog, accounts, submissions,
// workers): core and the server's routes see only these, so a second
// backend (PostgreSQL, see docs/store.md) implements them without touching
// either. Every method throws store::Error (store/error.h) and nothing else
// of its backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb::store {

struct FileRow {
    std::string path; // relative to the bundle root, '/'-separated
    std::string hash; // sha-256 hex of the content
    std::uint64_t size = 0;
};

// One version of an MP as the store keeps it. The summary is core's
// (core/mp_version.h reads and writes it); the store only files it.
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

class Catalog {
  public:
    virtual ~Catalog() = default;

    // Stores a new version of record.id unless its latest version has the
    // same bundle_hash. Blobs already present are not written again. One
    // transaction.
    virtual PutOutcome put_mp(const MpRecord& record, const std::vector<Blob>& blobs) = 0;
    // The latest version of every MP, by id.
    virtual std::vector<MpRecord> list_mps() const = 0;
    // One version (0 = latest) with its files, or nothing.
    virtual std::optional<MpRecord> get_mp(const std::string& id, int version = 0) const = 0;
    // Every version number of an MP, oldest first.
    virtual std::vector<int> mp_versions(const std::string& id) const = 0;
    virtual std::optional<std::string> get_blob(const std::string& hash) const = 0;
};

} // namespace wb::store
