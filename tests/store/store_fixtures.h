// What the store's tests set up more than once: an attempt to queue, and a
// database left behind by an older wbtool (the first migrations only).
#pragma once

#include "store/schema.h"
#include "store/submissions.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace wb::test {

// A whole-MP submission of vecadd version 1 on the cuda toolchain.
inline store::NewAttempt vecadd_attempt(std::int64_t user_id) {
    store::NewAttempt a;
    a.user_id = user_id;
    a.mp_id = "vecadd";
    a.mp_version = 1;
    a.kind = "submit";
    a.program_name = "p.cu";
    a.program_text = "int main() {}";
    a.program_hash = "h";
    a.toolchain = "cuda";
    return a;
}

// The database in `data` as a wbtool that knew `version` migrations left it;
// the connection is returned so that the test can add its rows.
inline SQLite::Database old_store(const std::filesystem::path& data, std::size_t version) {
    std::filesystem::create_directories(data);
    SQLite::Database db((data / "wbtool.db").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode = WAL");
    for (std::size_t i = 0; i < version; ++i)
        db.exec(std::string(store::migrations().at(i)));
    db.exec("PRAGMA user_version = " + std::to_string(version));
    return db;
}

} // namespace wb::test
