// The migrations, oldest first. Never edit one that has shipped: append.
#include "store/schema.h"

namespace wb::store {

const std::vector<std::string_view>& migrations() {
    static const std::vector<std::string_view> list = {
        // 1: MP bundles, their versions and their files as blobs.
        R"sql(
        CREATE TABLE blobs (
            hash TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE mps (
            id          TEXT NOT NULL,
            version     INTEGER NOT NULL,
            title       TEXT NOT NULL,
            bundle_hash TEXT NOT NULL,
            summary     TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            PRIMARY KEY (id, version)
        ) WITHOUT ROWID;
        CREATE TABLE mp_files (
            mp_id   TEXT NOT NULL,
            version INTEGER NOT NULL,
            path    TEXT NOT NULL,
            hash    TEXT NOT NULL REFERENCES blobs(hash),
            size    INTEGER NOT NULL,
            PRIMARY KEY (mp_id, version, path),
            FOREIGN KEY (mp_id, version) REFERENCES mps(id, version)
        ) WITHOUT ROWID;
        )sql",
    };
    return list;
}

} // namespace wb::store
