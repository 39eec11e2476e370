// The SQLite store (see store.h). Opening applies the pending migrations in
// one write transaction, so a crash mid-migration leaves the version the
// database had before and the next open tries again. Several processes may
// open a new store at the same moment (a class importing bundles at once):
// the version is read again under the write lock, so exactly one of them
// migrates and the others find nothing left to do.
#include "store/store.h"

#include "store/clock.h"
#include "store/schema.h"
#include "store/transaction.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <sys/stat.h>

#include <chrono>
#include <sqlite3.h>
#include <stdexcept>
#include <thread>

namespace wb::store {
namespace {

// Puts the database in WAL mode (a no-op once it is; the mode is kept in
// the file). Switching a new file to WAL takes an exclusive lock, and SQLite
// may answer SQLITE_BUSY at once instead of waiting where waiting could
// deadlock, so retry until the busy timeout has passed.
void enable_wal(SQLite::Database& db) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::milliseconds(detail::busy_timeout_ms);
    for (;;) {
        try {
            db.exec("PRAGMA journal_mode = WAL");
            return;
        } catch (const SQLite::Exception& e) {
            if ((e.getErrorCode() & 0xff) != SQLITE_BUSY || clock::now() >= deadline) throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void check_not_newer(int version, int known, const std::filesystem::path& path) {
    if (version > known) {
        throw Error(Error::Kind::unusable,
                    fmt::format("{}: schema version {} is newer than this wbtool knows ({}); use "
                                "a newer wbtool",
                                path.string(), version, known));
    }
}

void migrate(SQLite::Database& db, const std::filesystem::path& path) {
    const auto& list = migrations();
    const int current = static_cast<int>(list.size());
    int version = db.execAndGet("PRAGMA user_version").getInt();
    check_not_newer(version, current, path);
    if (version == current) return; // the usual open: no write lock needed
    auto tx = detail::write_transaction(db);
    // Another process may have migrated between the read above and the lock.
    version = db.execAndGet("PRAGMA user_version").getInt();
    check_not_newer(version, current, path);
    for (int i = version; i < current; ++i)
        db.exec(std::string(list[static_cast<std::size_t>(i)]));
    db.exec(fmt::format("PRAGMA user_version = {}", current));
    tx.commit();
}

MpRecord read_mp_row(SQLite::Statement& q) {
    MpRecord r;
    r.id = q.getColumn(0).getString();
    r.version = q.getColumn(1).getInt();
    r.title = q.getColumn(2).getString();
    r.bundle_hash = q.getColumn(3).getString();
    r.summary_json = q.getColumn(4).getString();
    r.created_at = q.getColumn(5).getString();
    return r;
}

constexpr const char* mp_columns = "id, version, title, bundle_hash, summary, created_at";

} // namespace

Store::Store(const std::filesystem::path& data_dir) : db_path_(data_dir / "wbtool.db") {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
        throw Error(Error::Kind::unusable, fmt::format("cannot create data directory {}: {}",
                                                       data_dir.string(), ec.message()));
    }
    ::chmod(data_dir.c_str(), 0700);
    try {
        db_ = std::make_unique<SQLite::Database>(db_path_.string(),
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db_->setBusyTimeout(detail::busy_timeout_ms);
        enable_wal(*db_);
        db_->exec("PRAGMA synchronous = NORMAL");
        db_->exec("PRAGMA foreign_keys = ON");
        migrate(*db_, db_path_);
    } catch (const SQLite::Exception& e) {
        // Whatever stops the open leaves a store this wbtool cannot use as
        // it is, except a damaged file, which is reported as such.
        const bool corrupt = (e.getErrorCode() & 0xff) == SQLITE_CORRUPT ||
                             (e.getErrorCode() & 0xff) == SQLITE_NOTADB;
        throw Error(corrupt ? Error::Kind::corrupt : Error::Kind::unusable,
                    fmt::format("cannot open store {}: {}{}", db_path_.string(), e.what(),
                                corrupt ? " (the file is damaged: restore it from a backup, or "
                                          "move it aside to start an empty store)"
                                        : ""));
    }
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

int Store::current_schema_version() {
    return static_cast<int>(migrations().size());
}

int Store::schema_version() const {
    return db_->execAndGet("PRAGMA user_version").getInt();
}

PutOutcome Store::put_mp(const MpRecord& record, const std::vector<Blob>& blobs) try {
    auto tx = detail::write_transaction(*db_);
    int latest = 0;
    {
        SQLite::Statement q(*db_, "SELECT version, bundle_hash FROM mps WHERE id = ? "
                                  "ORDER BY version DESC LIMIT 1");
        q.bind(1, record.id);
        if (q.executeStep()) {
            latest = q.getColumn(0).getInt();
            if (q.getColumn(1).getString() == record.bundle_hash) return {latest, false};
        }
    }
    SQLite::Statement put_blob(*db_,
                               "INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)");
    for (const auto& b : blobs) {
        put_blob.bind(1, b.hash);
        put_blob.bind(2, static_cast<int64_t>(b.data.size()));
        put_blob.bind(3, b.data.data(), static_cast<int>(b.data.size()));
        put_blob.exec();
        put_blob.reset();
    }
    const int version = latest + 1;
    SQLite::Statement put(*db_, "INSERT INTO mps (id, version, title, bundle_hash, summary, "
                                "created_at) VALUES (?, ?, ?, ?, ?, ?)");
    put.bind(1, record.id);
    put.bind(2, version);
    put.bind(3, record.title);
    put.bind(4, record.bundle_hash);
    put.bind(5, record.summary_json);
    put.bind(6, utc_text(now_ms(), TimeText::seconds));
    put.exec();
    SQLite::Statement put_file(
        *db_, "INSERT INTO mp_files (mp_id, version, path, hash, size) VALUES (?, ?, ?, ?, ?)");
    for (const auto& f : record.files) {
        put_file.bind(1, record.id);
        put_file.bind(2, version);
        put_file.bind(3, f.path);
        put_file.bind(4, f.hash);
        put_file.bind(5, static_cast<int64_t>(f.size));
        put_file.exec();
        put_file.reset();
    }
    tx.commit();
    return {version, true};
} catch (...) {
    rethrow_as_store_error("put mp");
}

std::vector<MpRecord> Store::list_mps() const try {
    SQLite::Statement q(*db_, fmt::format("SELECT {} FROM mps m WHERE version = "
                                          "(SELECT MAX(version) FROM mps WHERE id = m.id) "
                                          "ORDER BY id",
                                          mp_columns));
    std::vector<MpRecord> out;
    while (q.executeStep())
        out.push_back(read_mp_row(q));
    return out;
} catch (...) {
    rethrow_as_store_error("list mps");
}

std::optional<MpRecord> Store::get_mp(const std::string& id, int version) const try {
    SQLite::Statement q(
        *db_, version > 0
                  ? fmt::format("SELECT {} FROM mps WHERE id = ? AND version = ?", mp_columns)
                  : fmt::format("SELECT {} FROM mps WHERE id = ? ORDER BY "
                                "version DESC LIMIT 1",
                                mp_columns));
    q.bind(1, id);
    if (version > 0) q.bind(2, version);
    if (!q.executeStep()) return std::nullopt;
    MpRecord r = read_mp_row(q);
    SQLite::Statement f(*db_, "SELECT path, hash, size FROM mp_files WHERE mp_id = ? AND "
                              "version = ? ORDER BY path");
    f.bind(1, r.id);
    f.bind(2, r.version);
    while (f.executeStep()) {
        r.files.push_back({f.getColumn(0).getString(), f.getColumn(1).getString(),
                           static_cast<std::uint64_t>(f.getColumn(2).getInt64())});
    }
    return r;
} catch (...) {
    rethrow_as_store_error("get mp");
}

std::vector<int> Store::mp_versions(const std::string& id) const try {
    SQLite::Statement q(*db_, "SELECT version FROM mps WHERE id = ? ORDER BY version");
    q.bind(1, id);
    std::vector<int> out;
    while (q.executeStep())
        out.push_back(q.getColumn(0).getInt());
    return out;
} catch (...) {
    rethrow_as_store_error("mp versions");
}

std::optional<std::string> Store::get_blob(const std::string& hash) const try {
    SQLite::Statement q(*db_, "SELECT data FROM blobs WHERE hash = ?");
    q.bind(1, hash);
    if (!q.executeStep()) return std::nullopt;
    const auto col = q.getColumn(0);
    return std::string(static_cast<const char*>(col.getBlob()),
                       static_cast<std::size_t>(col.getBytes()));
} catch (...) {
    rethrow_as_store_error("get blob");
}

} // namespace wb::store
