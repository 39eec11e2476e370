// wbtool's entry point and its one error boundary. Every subcommand is wired
// here; each lives in its own file and leaves an action for main() to run.
// Errors reach the user as "wbtool: error: ..." with the documented exit
// code (see core/error.h and man/wbtool.1).
#include "cmd/common.h"
#include "cmd/module.h"
#include "cmd/suggest.h"
#include "core/error.h"
#include "core/paths.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <system_error>
#include <unistd.h>

#include <csignal>
#include <exception>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#ifndef WBTOOL_VERSION
#define WBTOOL_VERSION "unknown"
#endif

namespace {

// A script that asked for --json reads stdout as JSON whatever happens: an
// error is an object there too, besides the line on stderr.
bool wants_json(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") return false; // a sandboxed command's own arguments
        if (arg == "--json") return true;
    }
    return false;
}

void print_json_error(int exit_code, const std::string& message) {
    const char* code = exit_code == wb::exit_usage         ? "usage"
                       : exit_code == wb::exit_network     ? "network"
                       : exit_code == wb::exit_not_correct ? "not_correct"
                                                           : "internal";
    fmt::print(
        "{}\n",
        nlohmann::json{{"error", {{"code", code}, {"exit_code", exit_code}, {"message", message}}}}
            .dump());
}

// A command line CLI11 refused: wbtool's error line, then a suggestion or
// where to read the usage.
int usage_error(const CLI::App& app, const CLI::ParseError& e, bool json) {
    const auto message = wb::cmd::usage_message(app, e);
    fmt::print(stderr, "wbtool: error: {}\n  {}\n", message.error, message.hint);
    if (json) print_json_error(wb::exit_usage, message.error + " (" + message.hint + ")");
    return wb::exit_usage;
}

// Start-up: CLI11 builds every option of every subcommand (names, checks,
// help text) before it parses, ~0.3 ms that every command paid, `wbtool
// sandbox -- /bin/true` a tenth of its time. So a command line whose first word
// that is not a global option names a subcommand builds only the file that
// adds it. Anything else (no such word, --help, a parse error) builds the
// whole tree and parses again, so that help, errors and suggestions never
// depend on this: a name missing below only costs the time. `completion`
// describes the whole tree and is not listed.
using AddCommands = void (*)(CLI::App&, wb::cmd::Globals&, wb::cmd::Action&);
struct CommandFile {
    std::initializer_list<std::string_view> names; // the subcommands it adds
    AddCommands add;
};
// In the order of `wbtool --help`.
const CommandFile command_files[] = {
    {{"grade"}, wb::cmd::add_grade},
    {{"mp"}, wb::cmd::add_mp},
    {{"libwb"}, wb::cmd::add_libwb},
    {{"serve"}, wb::cmd::add_serve},
    {{"user"}, wb::cmd::add_user},
    {{"sandbox"}, wb::cmd::add_sandbox},
    {{"worker"}, wb::cmd::add_worker},
    {{"login", "signup", "logout", "whoami"}, wb::cmd::add_account},
    {{"save", "program", "submit", "attempts", "answer", "attempt"}, wb::cmd::add_submit},
    {{"grades", "answers", "workers"}, wb::cmd::add_staff},
    {{"gpu-check"}, wb::cmd::add_gpu_check},
    {{}, wb::cmd::add_completion},
};

// The file that adds the subcommand argv names, or nullptr.
AddCommands named_command(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--data" || arg == "--cache") {
            ++i; // its value
            continue;
        }
        if (arg == "-q" || arg == "--quiet" || arg.starts_with("--data=") ||
            arg.starts_with("--cache="))
            continue;
        for (const auto& file : command_files)
            for (const auto name : file.names)
                if (name == arg) return file.add;
        return nullptr;
    }
    return nullptr;
}

// Parses with the subcommands of `only` (nullptr: all of them) and runs the
// action. With `only`, a parse error of any kind returns nullopt: the
// caller parses again with the whole tree.
std::optional<int> parse_and_run(int argc, char** argv, AddCommands only) {
    CLI::App app{"wbtool: grade programming assignments (CUDA first), sandboxed", "wbtool"};
    app.set_version_flag("--version", std::string("wbtool ") + WBTOOL_VERSION);
    app.require_subcommand(1);
    // Options go where users put them: a subcommand hands an option it does
    // not know to its parent, so `wbtool mp import DIR --data D` means
    // `wbtool --data D mp import DIR`. Subcommands inherit this when they
    // are added, which is why it is set before any is. A sandboxed
    // command's own arguments (after `--`, or after its first word) stay
    // its own.
    app.fallthrough();
    app.footer("Run `wbtool COMMAND --help` for a command's options. Manual: man wbtool.");

    wb::cmd::Globals globals;
    std::string data_dir = wb::core::default_data_dir().string();
    std::string cache_dir = wb::core::default_cache_dir().string();
    auto* data_option = app.add_option("--data", data_dir, "Data directory (the store)")
                            ->type_name("DIR")
                            ->capture_default_str()
                            ->envname("WBTOOL_DATA");
    app.add_option("--cache", cache_dir, "Cache directory (compiled programs, libwb)")
        ->type_name("DIR")
        ->capture_default_str()
        ->envname("WBTOOL_CACHE");
    app.add_flag("--quiet,-q", globals.quiet, "No progress lines on stderr");

    wb::cmd::Action action;
    for (const auto& file : command_files)
        if (!only || file.add == only) file.add(app, globals, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (only) return std::nullopt;
        if (e.get_exit_code() == 0) return app.exit(e); // --help, --version
        return usage_error(app, e, wants_json(argc, argv));
    }
    // Absolute from here on: a relative --cache would otherwise reach the
    // sandbox as a bind source it refuses, and a worker or a server keeps
    // using them after anything might change its directory.
    globals.data_given = data_option->count() > 0;
    std::error_code ec;
    globals.data_dir = std::filesystem::absolute(data_dir, ec);
    if (ec) globals.data_dir = data_dir;
    globals.cache_dir = std::filesystem::absolute(cache_dir, ec);
    if (ec) globals.cache_dir = cache_dir;

    try {
        if (wb::cmd::static_binary && globals.needs_shared_binary && globals.needs_shared_binary())
            wb::cmd::run_shared_binary("this command");
        return action ? action() : wb::exit_ok;
    } catch (const wb::Error& e) {
        fmt::print(stderr, "wbtool: error: {}\n", e.what());
        if (wants_json(argc, argv)) print_json_error(e.exit_code(), e.what());
        return e.exit_code();
    } catch (const wb::store::Error& e) {
        const int code = wb::exit_code_for(e);
        fmt::print(stderr, "wbtool: error: {}\n", e.what());
        if (wants_json(argc, argv)) print_json_error(code, e.what());
        return code;
    } catch (const std::exception& e) {
        fmt::print(stderr, "wbtool: internal error: {}\n", e.what());
        if (wants_json(argc, argv)) print_json_error(wb::exit_internal, e.what());
        return wb::exit_internal;
    }
}

} // namespace

int main(int argc, char** argv) {
    // A closed pipe on the far side is an error to report (EPIPE), never a
    // silent death: a server's client, a sandbox's copied output, `| head`.
    // Sandboxed programs get the default back before execve.
    std::signal(SIGPIPE, SIG_IGN);
    wb::cmd::keep_command_line(argv);
    try {
        wb::cmd::check_shared_binary_start();
        if (wb::cmd::static_binary && !wb::core::home_without_nss()) {
            // No $HOME and not in /etc/passwd: the default directories come
            // from the user database's other sources (NSS modules), which
            // only the shared C library reads.
            wb::cmd::run_shared_binary(fmt::format(
                "finding the home directory of uid {} (no HOME, and not in /etc/passwd)",
                ::getuid()));
        }
    } catch (const wb::Error& e) {
        fmt::print(stderr, "wbtool: error: {}\n", e.what());
        if (wants_json(argc, argv)) print_json_error(e.exit_code(), e.what());
        return e.exit_code();
    }
    if (const AddCommands only = named_command(argc, argv))
        if (const auto code = parse_and_run(argc, argv, only)) return *code;
    return *parse_and_run(argc, argv, nullptr);
}
