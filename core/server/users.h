// Accounts: creating a user, rotating an API key. Shared by `wbtool user`
// (local, on the data directory) and the server's signup and users routes,
// so both hash the same way.
#pragma once

#include "core/server/auth.h"
#include "store/accounts.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wb::server {

struct NewUser {
    store::UserRow user;
    std::string password; // set only when it was generated here
    std::string api_key;  // shown once; only its keyed hash is stored
    std::string password_hash;
    std::string api_key_hash;
};

// Validates and hashes (argon2id: slow) without touching the store, so a
// server can do it outside its store lock. Throws wb::InputError.
NewUser prepare_user(const Secrets& secrets, const std::string& name, const std::string& role,
                     const std::string& password);

bool valid_role(const std::string& role);

// prepare_user, then store it. Throws wb::InputError: an invalid name, role
// or password, or a name taken. An empty password generates one.
NewUser create_user(store::Accounts& store, const Secrets& secrets, const std::string& name,
                    const std::string& role, const std::string& password);

// Checks a password a person chose; throws wb::InputError.
void check_password(const std::string& password);

// The accounts of a data directory, worked on directly (no server): what
// `wbtool user` does, so an admin exists before the first request. Opening
// a store that cannot be opened is the user's error (wb::InputError).
class LocalAccounts {
  public:
    explicit LocalAccounts(const std::filesystem::path& data_dir);
    ~LocalAccounts();
    LocalAccounts(const LocalAccounts&) = delete;
    LocalAccounts& operator=(const LocalAccounts&) = delete;

    // create_user; an empty password generates one.
    NewUser add(const std::string& name, const std::string& role, const std::string& password);
    std::vector<store::UserRow> list();
    // A new API key for the user (the old one stops working): the user and
    // the key, shown once. Throws wb::InputError for an unknown name.
    std::pair<store::UserRow, std::string> rotate_key(const std::string& name);
    std::filesystem::path db_path() const;

  private:
    struct Opened;
    Secrets secrets_;
    std::unique_ptr<Opened> db_;
};

} // namespace wb::server
