// Accounts (see users.h).
#include "core/server/users.h"

#include "core/error.h"
#include "core/server/http_json.h"
#include "store/server_store.h"
#include "store/store.h"

#include <fmt/format.h>

#include <stdexcept>

namespace wb::server {

bool valid_role(const std::string& role) {
    return role == "student" || role == "ta" || role == "admin";
}

void check_password(const std::string& password) {
    if (password.size() < 8)
        throw InputError("the password is too short: use at least 8 characters");
    if (password.size() > 1024)
        throw InputError("the password is too long: use at most 1024 bytes");
}

NewUser prepare_user(const Secrets& secrets, const std::string& name, const std::string& role,
                     const std::string& password) {
    if (!valid_name(name)) {
        throw InputError(
            fmt::format("'{}' is not a valid user name: use 1 to 64 of a-z, 0-9, '_' and '-', "
                        "starting with a letter or digit",
                        name));
    }
    if (!valid_role(role))
        throw InputError(fmt::format("'{}' is not a role: use student, ta or admin", role));
    NewUser out;
    std::string pw = password;
    if (pw.empty()) {
        pw = new_password();
        out.password = pw;
    } else {
        check_password(pw);
    }
    out.api_key = new_api_key();
    out.password_hash = hash_password(pw);
    out.api_key_hash = keyed_hash(secrets.server_key, "api", out.api_key);
    out.user.name = name;
    out.user.role = role;
    return out;
}

NewUser create_user(store::Accounts& store, const Secrets& secrets, const std::string& name,
                    const std::string& role, const std::string& password) {
    auto out = prepare_user(secrets, name, role, password);
    auto row = store.add_user(name, role, out.password_hash, out.api_key_hash);
    if (!row) throw InputError(fmt::format("a user named '{}' already exists", name));
    out.user = *row;
    return out;
}

struct LocalAccounts::Opened {
    store::Store store;
    store::ServerStore server;
    explicit Opened(const std::filesystem::path& dir) : store(dir), server(store) {}
};

LocalAccounts::LocalAccounts(const std::filesystem::path& data_dir)
    : secrets_(load_secrets(data_dir)), db_(std::make_unique<Opened>(data_dir)) {}

LocalAccounts::~LocalAccounts() = default;

NewUser LocalAccounts::add(const std::string& name, const std::string& role,
                           const std::string& password) {
    return create_user(db_->server, secrets_, name, role, password);
}

std::vector<store::UserRow> LocalAccounts::list() {
    return db_->server.users();
}

std::pair<store::UserRow, std::string> LocalAccounts::rotate_key(const std::string& name) {
    const auto user = db_->server.user_by_name(name);
    if (!user) throw InputError(fmt::format("no user '{}' (see `wbtool user list`)", name));
    auto key = new_api_key();
    db_->server.set_api_key(user->id, keyed_hash(secrets_.server_key, "api", key));
    return {*user, std::move(key)};
}

std::filesystem::path LocalAccounts::db_path() const {
    return db_->store.db_path();
}

} // namespace wb::server
