// `wbtool login|signup|logout|whoami`: who the user is on which server
// (core/client/account.cpp does the work, in the client module).
#include "cmd/client.h"

namespace wb::cmd {
namespace {

void add_user_flags(ClientCommand c) {
    c.app->add_option("--user,-u", c.call->user, "The user name (default: asked on the terminal)")
        ->type_name("NAME");
    c.app->add_flag("--password-stdin", c.call->password_stdin,
                    "Read the password from standard input's first line (default: asked on the "
                    "terminal, not echoed)");
}

} // namespace

void add_account(CLI::App& app, Globals& g, Action& action) {
    using client::Command;
    add_user_flags(add_client_command(app, "login",
                                      "Log in to a server; stores an API key in "
                                      "$XDG_CONFIG_HOME/wbtool/credentials.toml",
                                      Command::login, g, action));
    add_user_flags(add_client_command(app, "signup",
                                      "Create a student account on a server and log in to it",
                                      Command::signup, g, action));
    add_client_command(app, "logout", "Revoke and forget the stored API key for a server",
                       Command::logout, g, action);
    add_client_command(app, "whoami", "Show the user the server knows the API key as",
                       Command::whoami, g, action);
}

} // namespace wb::cmd
