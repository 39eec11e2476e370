// What the subcommands share: global options, the action a parsed
// subcommand leaves behind for main() to run, and terminal handling.
#pragma once

#include "core/terminal.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

namespace wb::cmd {

struct Globals {
    std::filesystem::path data_dir;  // --data
    std::filesystem::path cache_dir; // --cache
    bool quiet = false;              // --quiet: no progress lines
    bool data_given = false;         // --data or WBTOOL_DATA: `mp` uses the local store
    // Set by a subcommand whose action loads a shared object (a network
    // module, the CUDA driver), true when this command line's does: the
    // static wbtool runs wbtool-net in its place before the action starts
    // (cmd/module.h), so that nothing of it runs twice.
    std::function<bool()> needs_shared_binary;
};

// A subcommand's callback stores what to run here; main() runs it inside the
// one error boundary and exits with what it returns.
using Action = std::function<int()>;

void add_grade(CLI::App& app, Globals& globals, Action& action);
void add_mp(CLI::App& app, Globals& globals, Action& action);
void add_libwb(CLI::App& app, Globals& globals, Action& action);
void add_serve(CLI::App& app, Globals& globals, Action& action);
void add_user(CLI::App& app, Globals& globals, Action& action);
void add_sandbox(CLI::App& app, Globals& globals, Action& action);
void add_worker(CLI::App& app, Globals& globals, Action& action);
void add_gpu_check(CLI::App& app, Globals& globals, Action& action);
// Reads the whole tree under `app`: add it after every other subcommand.
void add_completion(CLI::App& app, Globals& globals, Action& action);
void add_account(CLI::App& app, Globals& globals, Action& action);
void add_submit(CLI::App& app, Globals& globals, Action& action);
void add_staff(CLI::App& app, Globals& globals, Action& action);

// --min-isolation LEVEL (full, userns or rlimits, the default) on `sub`,
// into `level`; `refused` says what is refused below it.
void add_min_isolation(CLI::App* sub, std::string& level, const std::string& refused);

// Terminal handling is core's (core/terminal.h): the client commands,
// which run in a module, print the same way.
using core::is_terminal;
using core::Progress;
using core::use_colour;

} // namespace wb::cmd
