// The SQLite store (see store.h). Opening applies the pending migrations,
// each in its own transaction, so a crash mid-migration leaves the previous
// version intact and the next open tries again.
#include "store/store.h"

#include "store/schema.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <sys/stat.h>

#include <chrono>
#include <stdexcept>

namespace wb::store {
namespace {

std::string utc_now() {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void migrate(SQLite::Database& db, const std::filesystem::path& path) {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    const auto& list = migrations();
    if (version > static_cast<int>(list.size())) {
        throw std::runtime_error(fmt::format(
            "{}: schema version {} is newer than this wbtool knows ({}); use a newer wbtool",
            path.string(), version, list.size()));
    }
    for (auto i = static_cast<std::size_t>(version); i < list.size(); ++i) {
        SQLite::Transaction tx(db);
        db.exec(std::string(list[i]));
        db.exec(fmt::format("PRAGMA user_version = {}", i + 1));
        tx.commit();
    }
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
        throw std::runtime_error(
            fmt::format("cannot create data directory {}: {}", data_dir.string(), ec.message()));
    }
    ::chmod(data_dir.c_str(), 0700);
    try {
        db_ = std::make_unique<SQLite::Database>(db_path_.string(),
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db_->setBusyTimeout(5000);
        db_->exec("PRAGMA journal_mode = WAL");
        db_->exec("PRAGMA synchronous = NORMAL");
        db_->exec("PRAGMA foreign_keys = ON");
        migrate(*db_, db_path_);
    } catch (const SQLite::Exception& e) {
        throw std::runtime_error(fmt::format("cannot open store {}: {}", db_path_.string(), e.what()));
    }
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

int Store::current_schema_version() { return static_cast<int>(migrations().size()); }

int Store::schema_version() const { return db_->execAndGet("PRAGMA user_version").getInt(); }

PutOutcome Store::put_mp(const MpRecord& record, const std::vector<Blob>& blobs) {
    SQLite::Transaction tx(*db_);
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
    SQLite::Statement put_blob(*db_, "INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)");
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
    put.bind(6, utc_now());
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
}

std::vector<MpRecord> Store::list_mps() const {
    SQLite::Statement q(*db_, fmt::format("SELECT {} FROM mps m WHERE version = "
                                          "(SELECT MAX(version) FROM mps WHERE id = m.id) "
                                          "ORDER BY id",
                                          mp_columns));
    std::vector<MpRecord> out;
    while (q.executeStep()) out.push_back(read_mp_row(q));
    return out;
}

std::optional<MpRecord> Store::get_mp(const std::string& id, int version) const {
    SQLite::Statement q(*db_, version > 0
                                  ? fmt::format("SELECT {} FROM mps WHERE id = ? AND version = ?",
                                                mp_columns)
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
}

std::vector<int> Store::mp_versions(const std::string& id) const {
    SQLite::Statement q(*db_, "SELECT version FROM mps WHERE id = ? ORDER BY version");
    q.bind(1, id);
    std::vector<int> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt());
    return out;
}

std::optional<std::string> Store::get_blob(const std::string& hash) const {
    SQLite::Statement q(*db_, "SELECT data FROM blobs WHERE hash = ?");
    q.bind(1, hash);
    if (!q.executeStep()) return std::nullopt;
    const auto col = q.getColumn(0);
    return std::string(static_cast<const char*>(col.getBlob()), static_cast<std::size_t>(col.getBytes()));
}

} // namespace wb::store
