// What the client subcommands share: each is registered with --server and
// --json, fills a client::ClientCall, and runs it in the client module
// (core/client/module.h), which speaks to the server.
#pragma once

#include "cmd/common.h"
#include "core/client/call.h"

#include <memory>
#include <string>

namespace wb::cmd {

struct ClientCommand {
    CLI::App* app;
    std::shared_ptr<client::ClientCall> call;
};

// `name` under `parent`, running `command` with what its flags fill in.
ClientCommand add_client_command(CLI::App& parent, const std::string& name, const std::string& help,
                                 client::Command command, Globals& globals, Action& action);

// --server URL on `sub`, into `flags`.
void add_server_flag(CLI::App* sub, client::ConnectionFlags& flags);

// Runs the call in the client module; its exit code.
int run_client(client::ClientCall call, const Globals& globals);

} // namespace wb::cmd
