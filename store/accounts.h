// Accounts: users and their sessions. Secrets arrive already hashed
// (core/server/auth.h) and are only compared as strings here. One of the
// store's narrow interfaces (see catalog.h); throws store::Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb::store {

// A user as everyone above the store sees one: no secret travels with it.
struct UserRow {
    std::int64_t id = 0;
    std::string name;
    std::string role; // student | ta | admin
    std::string created_at;

    bool is_ta() const { return role == "ta" || role == "admin"; }
    bool is_admin() const { return role == "admin"; }
};

class Accounts {
  public:
    virtual ~Accounts() = default;

    // Nothing when the name is taken.
    virtual std::optional<UserRow> add_user(const std::string& name, const std::string& role,
                                            const std::string& password_hash,
                                            const std::string& api_key_hash) = 0;
    virtual std::optional<UserRow> user_by_name(const std::string& name) = 0;
    virtual std::optional<UserRow> user_by_id(std::int64_t id) = 0;
    virtual std::optional<UserRow> user_by_api_key(const std::string& api_key_hash) = 0;
    virtual std::vector<UserRow> users() = 0;
    // The argon2id hash to check a login against; only the login reads it.
    virtual std::optional<std::string> password_hash(std::int64_t user_id) = 0;
    virtual void set_api_key(std::int64_t user_id, const std::string& api_key_hash) = 0;
    virtual void set_password(std::int64_t user_id, const std::string& password_hash) = 0;

    // Sessions (expired ones are never returned and are deleted on add).
    virtual void add_session(const std::string& token_hash, std::int64_t user_id,
                             std::int64_t expires_ms, std::int64_t now_ms) = 0;
    virtual std::optional<UserRow> user_by_session(const std::string& token_hash,
                                                   std::int64_t now_ms) = 0;
    virtual void delete_session(const std::string& token_hash) = 0;
    // Ends every session of the user; returns how many there were.
    virtual int delete_sessions_of(std::int64_t user_id) = 0;
};

} // namespace wb::store
