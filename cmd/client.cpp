// Registering and running the client subcommands (see client.h).
#include "cmd/client.h"

#include "cmd/module.h"

namespace wb::cmd {

void add_server_flag(CLI::App* sub, client::ConnectionFlags& flags) {
    sub->add_option("--server", flags.server,
                    "The server's URL (else WBTOOL_SERVER, config.toml, the last login)")
        ->type_name("URL");
}

ClientCommand add_client_command(CLI::App& parent, const std::string& name, const std::string& help,
                                 client::Command command, Globals& globals, Action& action) {
    auto call = std::make_shared<client::ClientCall>();
    call->command = command;
    auto* sub = parent.add_subcommand(name, help);
    sub->fallthrough(); // global options after the subcommand too
    add_server_flag(sub, call->connection);
    sub->add_flag("--json", call->json, "Print the result as JSON");
    sub->footer("Exit status: 0 success (a program graded: all correct), 1 graded but not "
                "all correct, 2 usage or input error, 3 server or network error, 4 internal "
                "error.");
    sub->callback([call, &globals, &action] {
        globals.needs_shared_binary = [] { return true; };
        action = [call, &globals] { return run_client(*call, globals); };
    });
    return {sub, call};
}

int run_client(client::ClientCall call, const Globals& globals) {
    call.quiet = call.quiet || globals.quiet;
    return call_module<wbtool_client_run_fn>(WBTOOL_CLIENT_MODULE, WBTOOL_CLIENT_ENTRY, call);
}

} // namespace wb::cmd
