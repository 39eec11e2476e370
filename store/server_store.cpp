// The server's tables (see server_store.h): the connection, users, sessions,
// saved programs and workers. Attempts and the job queue are in jobs.cpp.
#include "store/server_store.h"

#include "store/clock.h"
#include "store/store.h"
#include "store/transaction.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <stdexcept>

namespace wb::store {
namespace {

constexpr const char* user_columns = "id, name, role, created_at";

UserRow read_user(SQLite::Statement& q) {
    UserRow u;
    u.id = q.getColumn(0).getInt64();
    u.name = q.getColumn(1).getString();
    u.role = q.getColumn(2).getString();
    u.created_at = q.getColumn(3).getString();
    return u;
}

std::optional<UserRow> one_user(SQLite::Statement& q) {
    if (!q.executeStep()) return std::nullopt;
    return read_user(q);
}

WorkerRow read_worker(SQLite::Statement& q) {
    WorkerRow w;
    w.id = q.getColumn(0).getString();
    w.capabilities = q.getColumn(1).getString();
    w.status = q.getColumn(2).getString();
    w.gpu_ok = q.getColumn(3).getInt() != 0;
    w.registered_at = q.getColumn(4).getString();
    w.last_seen_ms = q.getColumn(5).getInt64();
    w.leased = q.getColumn(6).getInt();
    w.drain = q.getColumn(7).getInt() != 0;
    return w;
}

constexpr const char* worker_select =
    "SELECT w.id, w.capabilities, w.status, w.gpu_ok, w.registered_at, w.last_seen_ms, "
    "(SELECT COUNT(*) FROM jobs j WHERE j.state = 'leased' AND j.worker_id = w.id), w.drain "
    "FROM workers w";

} // namespace

ServerStore::ServerStore(const Store& store) {
    if (store.schema_version() < 2) {
        throw Error(Error::Kind::unusable,
                    fmt::format("{}: schema version {} has no server tables",
                                store.db_path().string(), store.schema_version()));
    }
    try {
        db_ = std::make_unique<SQLite::Database>(store.db_path().string(), SQLite::OPEN_READWRITE);
        db_->setBusyTimeout(detail::busy_timeout_ms);
        db_->exec("PRAGMA synchronous = NORMAL");
        db_->exec("PRAGMA foreign_keys = ON");
    } catch (const SQLite::Exception& e) {
        throw Error(Error::Kind::unusable,
                    fmt::format("cannot open store {}: {}", store.db_path().string(), e.what()));
    }
}

ServerStore::~ServerStore() = default;

// ---- users -----------------------------------------------------------------

std::optional<UserRow> ServerStore::add_user(const std::string& name, const std::string& role,
                                             const std::string& password_hash,
                                             const std::string& api_key_hash) try {
    SQLite::Statement q(*db_,
                        "INSERT INTO users (name, role, password_hash, api_key_hash, created_at) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
    q.bind(1, name);
    q.bind(2, role);
    q.bind(3, password_hash);
    q.bind(4, api_key_hash);
    q.bind(5, utc_text(now_ms()));
    if (q.exec() == 0) return std::nullopt;
    return user_by_name(name);
} catch (...) {
    rethrow_as_store_error("add user");
}

std::optional<UserRow> ServerStore::user_by_name(const std::string& name) try {
    SQLite::Statement q(*db_, fmt::format("SELECT {} FROM users WHERE name = ?", user_columns));
    q.bind(1, name);
    return one_user(q);
} catch (...) {
    rethrow_as_store_error("user by name");
}

std::optional<UserRow> ServerStore::user_by_id(std::int64_t id) try {
    SQLite::Statement q(*db_, fmt::format("SELECT {} FROM users WHERE id = ?", user_columns));
    q.bind(1, id);
    return one_user(q);
} catch (...) {
    rethrow_as_store_error("user by id");
}

std::optional<UserRow> ServerStore::user_by_api_key(const std::string& api_key_hash) try {
    SQLite::Statement q(*db_,
                        fmt::format("SELECT {} FROM users WHERE api_key_hash = ?", user_columns));
    q.bind(1, api_key_hash);
    return one_user(q);
} catch (...) {
    rethrow_as_store_error("user by api key");
}

std::vector<UserRow> ServerStore::users() try {
    SQLite::Statement q(*db_, fmt::format("SELECT {} FROM users ORDER BY name", user_columns));
    std::vector<UserRow> out;
    while (q.executeStep())
        out.push_back(read_user(q));
    return out;
} catch (...) {
    rethrow_as_store_error("users");
}

std::optional<std::string> ServerStore::password_hash(std::int64_t user_id) try {
    SQLite::Statement q(*db_, "SELECT password_hash FROM users WHERE id = ?");
    q.bind(1, user_id);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
} catch (...) {
    rethrow_as_store_error("password hash");
}

void ServerStore::set_api_key(std::int64_t user_id, const std::string& api_key_hash) try {
    SQLite::Statement q(*db_, "UPDATE users SET api_key_hash = ? WHERE id = ?");
    q.bind(1, api_key_hash);
    q.bind(2, user_id);
    q.exec();
} catch (...) {
    rethrow_as_store_error("set api key");
}

void ServerStore::set_password(std::int64_t user_id, const std::string& password_hash) try {
    SQLite::Statement q(*db_, "UPDATE users SET password_hash = ? WHERE id = ?");
    q.bind(1, password_hash);
    q.bind(2, user_id);
    q.exec();
} catch (...) {
    rethrow_as_store_error("set password");
}

// ---- sessions --------------------------------------------------------------

void ServerStore::add_session(const std::string& token_hash, std::int64_t user_id,
                              std::int64_t expires_ms, std::int64_t now_ms) try {
    auto tx = detail::write_transaction(*db_);
    SQLite::Statement gc(*db_, "DELETE FROM sessions WHERE expires_ms <= ?");
    gc.bind(1, now_ms);
    gc.exec();
    SQLite::Statement q(*db_,
                        "INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES (?, ?, ?)");
    q.bind(1, token_hash);
    q.bind(2, user_id);
    q.bind(3, expires_ms);
    q.exec();
    tx.commit();
} catch (...) {
    rethrow_as_store_error("add session");
}

std::optional<UserRow> ServerStore::user_by_session(const std::string& token_hash,
                                                    std::int64_t now_ms) try {
    SQLite::Statement q(
        *db_, "SELECT u.id, u.name, u.role, u.created_at FROM sessions s "
              "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_ms > ?");
    q.bind(1, token_hash);
    q.bind(2, now_ms);
    return one_user(q);
} catch (...) {
    rethrow_as_store_error("user by session");
}

void ServerStore::delete_session(const std::string& token_hash) try {
    SQLite::Statement q(*db_, "DELETE FROM sessions WHERE token_hash = ?");
    q.bind(1, token_hash);
    q.exec();
} catch (...) {
    rethrow_as_store_error("delete session");
}

int ServerStore::delete_sessions_of(std::int64_t user_id) try {
    SQLite::Statement q(*db_, "DELETE FROM sessions WHERE user_id = ?");
    q.bind(1, user_id);
    return q.exec();
} catch (...) {
    rethrow_as_store_error("delete sessions");
}

// ---- saved programs --------------------------------------------------------

std::string ServerStore::save_program(std::int64_t user_id, const std::string& mp_id,
                                      const std::string& text) try {
    const auto at = utc_text(now_ms());
    SQLite::Statement q(
        *db_, "INSERT INTO saved_programs (user_id, mp_id, text, saved_at) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (user_id, mp_id) DO UPDATE SET text = excluded.text, "
              "saved_at = excluded.saved_at");
    q.bind(1, user_id);
    q.bind(2, mp_id);
    q.bind(3, text);
    q.bind(4, at);
    q.exec();
    return at;
} catch (...) {
    rethrow_as_store_error("save program");
}

std::optional<SavedProgram> ServerStore::saved_program(std::int64_t user_id,
                                                       const std::string& mp_id) try {
    SQLite::Statement q(
        *db_, "SELECT text, saved_at FROM saved_programs WHERE user_id = ? AND mp_id = ?");
    q.bind(1, user_id);
    q.bind(2, mp_id);
    if (!q.executeStep()) return std::nullopt;
    return SavedProgram{q.getColumn(0).getString(), q.getColumn(1).getString()};
} catch (...) {
    rethrow_as_store_error("saved program");
}

// ---- workers ---------------------------------------------------------------

void ServerStore::register_worker(const std::string& id, const std::string& capabilities_json,
                                  std::int64_t now_ms) try {
    SQLite::Statement q(
        *db_, "INSERT INTO workers (id, capabilities, registered_at, last_seen_ms) "
              "VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
              "capabilities = excluded.capabilities, last_seen_ms = excluded.last_seen_ms, "
              "status = '{}', drain = 0");
    q.bind(1, id);
    q.bind(2, capabilities_json);
    q.bind(3, utc_text(now_ms));
    q.bind(4, now_ms);
    q.exec();
} catch (...) {
    rethrow_as_store_error("register worker");
}

bool ServerStore::worker_heartbeat(const std::string& id, const std::string& status_json,
                                   bool gpu_ok, std::int64_t now_ms) try {
    SQLite::Statement q(*db_,
                        "UPDATE workers SET status = ?, gpu_ok = ?, last_seen_ms = ? WHERE id = ?");
    q.bind(1, status_json);
    q.bind(2, gpu_ok ? 1 : 0);
    q.bind(3, now_ms);
    q.bind(4, id);
    return q.exec() > 0;
} catch (...) {
    rethrow_as_store_error("worker heartbeat");
}

bool ServerStore::touch_worker(const std::string& id, std::int64_t now_ms) try {
    SQLite::Statement q(*db_, "UPDATE workers SET last_seen_ms = ? WHERE id = ?");
    q.bind(1, now_ms);
    q.bind(2, id);
    return q.exec() > 0;
} catch (...) {
    rethrow_as_store_error("touch worker");
}

std::optional<WorkerRow> ServerStore::worker(const std::string& id) try {
    SQLite::Statement q(*db_, fmt::format("{} WHERE w.id = ?", worker_select));
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_worker(q);
} catch (...) {
    rethrow_as_store_error("worker");
}

std::vector<WorkerRow> ServerStore::workers() try {
    SQLite::Statement q(*db_, fmt::format("{} ORDER BY w.id", worker_select));
    std::vector<WorkerRow> out;
    while (q.executeStep())
        out.push_back(read_worker(q));
    return out;
} catch (...) {
    rethrow_as_store_error("workers");
}

bool ServerStore::delete_worker(const std::string& id) try {
    SQLite::Statement q(*db_, "DELETE FROM workers WHERE id = ?");
    q.bind(1, id);
    return q.exec() > 0;
} catch (...) {
    rethrow_as_store_error("delete worker");
}

bool ServerStore::drain_worker(const std::string& id) try {
    SQLite::Statement q(*db_, "UPDATE workers SET drain = 1 WHERE id = ?");
    q.bind(1, id);
    return q.exec() > 0;
} catch (...) {
    rethrow_as_store_error("drain worker");
}

void ServerStore::add_worker_log(const std::string& id, const std::vector<std::string>& lines,
                                 int keep) try {
    if (lines.empty()) return;
    auto tx = detail::write_transaction(*db_);
    const auto at = utc_text(now_ms());
    SQLite::Statement q(*db_, "INSERT INTO worker_log (worker_id, at, line) VALUES (?, ?, ?)");
    for (const auto& line : lines) {
        q.bind(1, id);
        q.bind(2, at);
        q.bind(3, line);
        q.exec();
        q.reset();
    }
    SQLite::Statement trim(*db_, "DELETE FROM worker_log WHERE worker_id = ? AND id <= "
                                 "(SELECT id FROM worker_log WHERE worker_id = ? ORDER BY id DESC "
                                 "LIMIT 1 OFFSET ?)");
    trim.bind(1, id);
    trim.bind(2, id);
    trim.bind(3, keep);
    trim.exec();
    tx.commit();
} catch (...) {
    rethrow_as_store_error("add worker log");
}

std::vector<std::pair<std::string, std::string>> ServerStore::worker_log(const std::string& id,
                                                                         int limit) try {
    SQLite::Statement q(
        *db_, "SELECT at, line FROM (SELECT id, at, line FROM worker_log WHERE worker_id = ? "
              "ORDER BY id DESC LIMIT ?) ORDER BY id");
    q.bind(1, id);
    q.bind(2, limit);
    std::vector<std::pair<std::string, std::string>> out;
    while (q.executeStep())
        out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
    return out;
} catch (...) {
    rethrow_as_store_error("worker log");
}

void ServerStore::checkpoint() {
    db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

void ServerStore::disable_auto_checkpoint() {
    db_->exec("PRAGMA wal_autocheckpoint = 0");
}

} // namespace wb::store
