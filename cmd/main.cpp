// wbtool's entry point and its one error boundary. Every subcommand is wired
// here; each lives in its own file and leaves an action for main() to run.
// Errors reach the user as "wbtool: error: ..." with the documented exit
// code (see core/error.h and man/wbtool.1).
#include "cmd/common.h"
#include "core/error.h"
#include "core/paths.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <csignal>
#include <exception>

#ifndef WBTOOL_VERSION
#define WBTOOL_VERSION "unknown"
#endif

int main(int argc, char** argv) {
    // A closed pipe on the far side is an error to report (EPIPE), never a
    // silent death: a server's client, a sandbox's copied output, `| head`.
    // Sandboxed programs get the default back before execve.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"wbtool: grade programming assignments (CUDA first), sandboxed", "wbtool"};
    app.set_version_flag("--version", std::string("wbtool ") + WBTOOL_VERSION);
    app.require_subcommand(1);
    app.footer("Run `wbtool COMMAND --help` for a command's options. Manual: man wbtool.");

    wb::cmd::Globals globals;
    std::string data_dir = wb::core::default_data_dir().string();
    std::string cache_dir = wb::core::default_cache_dir().string();
    app.add_option("--data", data_dir, "Data directory (the store)")
        ->type_name("DIR")
        ->capture_default_str()
        ->envname("WBTOOL_DATA");
    app.add_option("--cache", cache_dir, "Cache directory (compiled programs, libwb)")
        ->type_name("DIR")
        ->capture_default_str()
        ->envname("WBTOOL_CACHE");
    app.add_flag("--quiet,-q", globals.quiet, "No progress lines on stderr");

    wb::cmd::Action action;
    wb::cmd::add_grade(app, globals, action);
    wb::cmd::add_mp(app, globals, action);
    wb::cmd::add_libwb(app, globals, action);
    wb::cmd::add_serve(app, globals, action);
    wb::cmd::add_user(app, globals, action);
    wb::cmd::add_sandbox(app, globals, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : wb::exit_usage;
    }
    globals.data_dir = data_dir;
    globals.cache_dir = cache_dir;

    try {
        return action ? action() : wb::exit_ok;
    } catch (const wb::Error& e) {
        fmt::print(stderr, "wbtool: error: {}\n", e.what());
        return e.exit_code();
    } catch (const std::exception& e) {
        fmt::print(stderr, "wbtool: internal error: {}\n", e.what());
        return wb::exit_internal;
    }
}
