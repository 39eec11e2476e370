// login, signup, logout, whoami: an API key per server, kept in
// credentials.toml (settings.h). Login asks the server for a new key
// (POST /api/v1/login with new_api_key), so a password never stays on
// disk and the previous key of the user stops working: one key, the one
// this machine holds. Logout revokes the key it removes, when that key
// came from the credentials file (a key from WBTOOL_API_KEY or
// config.toml belongs to whoever set it there).
#include "core/client/api.h"
#include "core/client/commands.h"
#include "core/client/password.h"
#include "core/error.h"

#include <fmt/format.h>

namespace wb::client {
namespace {

std::string user_name(const ClientCall& call) {
    if (!call.user.empty()) return path_name(call.user, "user name");
    if (call.password_stdin)
        throw InputError("--password-stdin needs --user NAME (standard input holds the password)");
    return path_name(read_line("user: "), "user name");
}

// Stores the key the server gave and says so.
int logged_in(const ClientCall& call, Api& api, const nlohmann::json& answer, const char* verb) {
    const auto& user = answer.at("user");
    Credentials c{api.settings().server.value, user.at("name").get<std::string>(),
                  answer.at("api_key").get<std::string>()};
    store_credentials(c);
    if (call.json) {
        print_json(
            {{"server", c.server}, {"user", user}, {"credentials", credentials_file().string()}});
    } else {
        fmt::print("{} {} as {} ({}); API key stored in {}\n", verb, c.server, c.user,
                   user.value("role", std::string("student")), credentials_file().string());
    }
    return exit_ok;
}

} // namespace

int login(const ClientCall& call) {
    Api api(call.connection, false);
    const auto name = user_name(call);
    const auto password = read_password(call.password_stdin, "password: ");
    const auto answer =
        api.post("/api/v1/login", {{"name", name}, {"password", password}, {"new_api_key", true}});
    return logged_in(call, api, answer, "logged in to");
}

int signup(const ClientCall& call) {
    Api api(call.connection, false);
    const auto name = user_name(call);
    const auto password = read_password(call.password_stdin, "password (8 characters or more): ");
    if (!call.password_stdin && read_password(false, "password again: ") != password)
        throw InputError("the two passwords differ; nothing was created");
    const auto answer = api.post("/api/v1/signup", {{"name", name}, {"password", password}});
    return logged_in(call, api, answer, "signed up on");
}

int logout(const ClientCall& call) {
    Api api(call.connection, false);
    const auto& s = api.settings();
    bool revoked = false;
    if (!s.api_key.value.empty() && s.api_key.from == credentials_file().string()) {
        try {
            api.post("/api/v1/apikey", nlohmann::json::object()); // the new key is dropped
            revoked = true;
        } catch (const Error& e) {
            fmt::print(stderr, "wbtool: warning: the key is not revoked on the server: {}\n",
                       e.what());
        }
    }
    const bool removed = forget_credentials(s.server.value);
    if (call.json) {
        print_json({{"server", s.server.value}, {"removed", removed}, {"revoked", revoked}});
    } else if (removed) {
        fmt::print("logged out of {}{}\n", s.server.value,
                   revoked ? " (its key is revoked on the server)" : "");
    } else {
        fmt::print("not logged in to {} (no key for it in {})\n", s.server.value,
                   credentials_file().string());
    }
    return exit_ok;
}

int whoami(const ClientCall& call) {
    Api api(call.connection, true);
    auto me = api.get("/api/v1/whoami");
    me["server"] = api.settings().server.value;
    if (call.json) {
        print_json(me);
    } else {
        fmt::print("{} ({}) on {}\n", me.value("name", std::string()),
                   me.value("role", std::string()), me["server"].get<std::string>());
    }
    return exit_ok;
}

} // namespace wb::client
