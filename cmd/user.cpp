// `wbtool user add|list|key`: manage accounts directly on the store in the
// data directory (no server needed), so an admin exists before the first
// request. Secrets are printed once and never stored in the clear.
#include "cmd/common.h"
#include "core/error.h"
#include "core/server/users.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace wb::cmd {
namespace {

struct AddArgs {
    std::string name;
    std::string role = "student";
    bool password_stdin = false;
    bool json = false;
};

struct KeyArgs {
    std::string name;
    bool json = false;
};

int run_add(const AddArgs& args, const Globals& g) {
    std::string password;
    if (args.password_stdin) {
        std::getline(std::cin, password);
        if (!password.empty() && password.back() == '\r') password.pop_back();
        if (password.empty()) throw InputError("--password-stdin: no password on standard input");
    }
    server::LocalAccounts accounts(g.data_dir);
    const auto nu = accounts.add(args.name, args.role, password);
    if (args.json) {
        nlohmann::json j = {{"id", nu.user.id},
                            {"name", nu.user.name},
                            {"role", nu.user.role},
                            {"api_key", nu.api_key}};
        if (!nu.password.empty()) j["password"] = nu.password;
        fmt::print("{}\n", j.dump(2));
        return exit_ok;
    }
    fmt::print("created {} '{}'\n", nu.user.role, nu.user.name);
    if (!nu.password.empty()) fmt::print("password: {}\n", nu.password);
    fmt::print("API key:  {}\n", nu.api_key);
    fmt::print("(shown once: only hashes are stored)\n");
    return exit_ok;
}

int run_list(bool json, const Globals& g) {
    server::LocalAccounts accounts(g.data_dir);
    const auto users = accounts.list();
    if (json) {
        auto arr = nlohmann::json::array();
        for (const auto& u : users) {
            arr.push_back(
                {{"id", u.id}, {"name", u.name}, {"role", u.role}, {"created_at", u.created_at}});
        }
        fmt::print("{}\n", arr.dump(2));
        return exit_ok;
    }
    if (users.empty()) {
        fmt::print("no users in {} (add one with `wbtool user add NAME --role admin`)\n",
                   accounts.db_path().string());
        return exit_ok;
    }
    fmt::print("{:<24} {:<8} {}\n", "name", "role", "created");
    for (const auto& u : users)
        fmt::print("{:<24} {:<8} {}\n", u.name, u.role, u.created_at);
    return exit_ok;
}

int run_key(const KeyArgs& args, const Globals& g) {
    server::LocalAccounts accounts(g.data_dir);
    const auto [user, key] = accounts.rotate_key(args.name);
    if (args.json) {
        fmt::print("{}\n", nlohmann::json{{"name", user.name}, {"api_key", key}}.dump(2));
    } else {
        fmt::print("new API key for '{}': {}\n(the old key no longer works; shown once)\n",
                   user.name, key);
    }
    return exit_ok;
}

} // namespace

void add_user(CLI::App& app, Globals& g, Action& action) {
    auto* user =
        app.add_subcommand("user", "Manage accounts on the store (local; no server needed)");
    user->require_subcommand(1);

    auto add = std::make_shared<AddArgs>();
    auto* add_cmd = user->add_subcommand(
        "add", "Create a user; prints the API key (and a generated password) once");
    add_cmd->add_option("name", add->name, "The user's name (a-z, 0-9, '_', '-')")
        ->required()
        ->type_name("NAME");
    add_cmd->add_option("--role", add->role, "student, ta or admin")
        ->type_name("ROLE")
        ->capture_default_str()
        ->check(CLI::IsMember({"student", "ta", "admin"}));
    add_cmd->add_flag("--password-stdin", add->password_stdin,
                      "Read the password from standard input (default: generate one)");
    add_cmd->add_flag("--json", add->json, "Print the result as JSON");
    add_cmd->callback([add, &g, &action] { action = [add, &g] { return run_add(*add, g); }; });

    auto list_json = std::make_shared<bool>(false);
    auto* list_cmd = user->add_subcommand("list", "List the users");
    list_cmd->add_flag("--json", *list_json, "Print the list as JSON");
    list_cmd->callback(
        [list_json, &g, &action] { action = [list_json, &g] { return run_list(*list_json, g); }; });

    auto key = std::make_shared<KeyArgs>();
    auto* key_cmd =
        user->add_subcommand("key", "Give a user a new API key (the old one stops working)");
    key_cmd->add_option("name", key->name, "The user's name")->required()->type_name("NAME");
    key_cmd->add_flag("--json", key->json, "Print the result as JSON");
    key_cmd->callback([key, &g, &action] { action = [key, &g] { return run_key(*key, g); }; });
}

} // namespace wb::cmd
