// Accounts: creating a user, rotating an API key. Shared by `wbtool user`
// (local, on the data directory) and the server's signup and users routes,
// so both hash the same way.
#pragma once

#include "core/server/auth.h"

#include "store/server_store.h"

#include <optional>
#include <string>

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
NewUser create_user(store::ServerStore& store, const Secrets& secrets, const std::string& name,
                    const std::string& role, const std::string& password);

// Checks a password a person chose; throws wb::InputError.
void check_password(const std::string& password);

} // namespace wb::server
