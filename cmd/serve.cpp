// `wbtool serve`: host the HTTP API on the store in the data directory.
// Parses flags into ServeOptions and hands over to core/server, which is a
// module of its own (core/server/module.h says why): loaded from beside the
// binary, else from <prefix>/lib/wbtool beside it, else from where it was
// installed.
#include "cmd/common.h"
#include "core/error.h"
#include "core/server/module.h"

#include <fmt/format.h>

#include <system_error>

#include <dlfcn.h>
#include <filesystem>
#include <memory>
#include <vector>

namespace wb::cmd {
namespace {

// The module's entry point; throws InternalError naming every place looked
// at when there is none, or when the module is of another build.
wbtool_server_serve_fn load_server() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    std::vector<std::filesystem::path> places;
    if (!ec) {
        places.push_back(exe.parent_path() / WBTOOL_SERVER_MODULE);
        places.push_back(exe.parent_path().parent_path() / "lib" / "wbtool" / WBTOOL_SERVER_MODULE);
    }
    places.push_back(std::filesystem::path(WBTOOL_MODULE_DIR) / WBTOOL_SERVER_MODULE);
    std::string tried;
    for (const auto& place : places) {
        if (!std::filesystem::exists(place, ec)) {
            tried += fmt::format("\n  {}: not there", place.string());
            continue;
        }
        // Kept loaded for the life of the process: serve() runs until exit.
        void* module = dlopen(place.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!module) {
            const char* why = dlerror();
            tried += fmt::format("\n  {}: {}", place.string(), why ? why : "cannot be loaded");
            continue;
        }
        if (void* entry = dlsym(module, WBTOOL_SERVER_ENTRY))
            return reinterpret_cast<wbtool_server_serve_fn>(entry);
        tried += fmt::format("\n  {}: no {} in it (a module of another wbtool version)",
                             place.string(), WBTOOL_SERVER_ENTRY);
    }
    throw InternalError(fmt::format("cannot load the server module {}; looked at:{}\n"
                                    "Reinstall wbtool, or rebuild it (the module is built with "
                                    "the binary)",
                                    WBTOOL_SERVER_MODULE, tried));
}

int serve_from_module(const server::ServeOptions& options) {
    const auto entry = load_server();
    const char* mismatch = nullptr;
    const char* error = nullptr;
    const int code = entry(&options, WBTOOL_VERSION, sizeof options, &mismatch, &error);
    if (mismatch)
        throw InternalError(fmt::format("the server module is of wbtool {}, this is wbtool {}: "
                                        "reinstall wbtool so that the two match",
                                        mismatch, WBTOOL_VERSION));
    if (error) throw Error(code, error); // the module's error, as this binary's own
    return code;
}

struct ServeArgs {
    std::string listen = "127.0.0.1:8080";
    server::ServeOptions options;
    std::string worker_key;
    bool no_signup = false;
};

int run_serve(ServeArgs& args, const Globals& g) {
    const auto colon = args.listen.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        throw InputError(
            fmt::format("--listen {}: expected HOST:PORT, e.g. 127.0.0.1:8080", args.listen));
    }
    auto& o = args.options;
    o.host = args.listen.substr(0, colon);
    if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']')
        o.host = o.host.substr(1, o.host.size() - 2);
    try {
        std::size_t used = 0;
        const auto port_text = args.listen.substr(colon + 1);
        o.port = std::stoi(port_text, &used);
        if (used != port_text.size() || o.port < 0 || o.port > 65535)
            throw std::out_of_range("port");
    } catch (const std::exception&) {
        throw InputError(
            fmt::format("--listen {}: the port must be a number from 0 to 65535", args.listen));
    }
    o.data_dir = g.data_dir;
    o.worker_key_file = args.worker_key;
    o.signup = !args.no_signup;
    return serve_from_module(o);
}

} // namespace

void add_serve(CLI::App& app, Globals& globals, Action& action) {
    auto args = std::make_shared<ServeArgs>();
    auto& o = args->options;
    auto* sub = app.add_subcommand("serve", "Host the HTTP API and the job queue on the store");
    sub->fallthrough(); // `wbtool serve --data DIR` as well as `wbtool --data DIR serve`
    sub->add_option("--listen", args->listen,
                    "Address to listen on (port 0: any free port, printed)")
        ->type_name("HOST:PORT")
        ->capture_default_str();
    sub->add_option("--rate-limit", o.rate_limit_s,
                    "Seconds between two submissions or grades of a user (0: off)")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--max-program-bytes", o.max_program_bytes, "Largest program text accepted")
        ->type_name("BYTES")
        ->capture_default_str()
        ->check(CLI::Range(1, 1 << 20));
    sub->add_option("--max-import-bytes", o.max_import_bytes,
                    "Largest uploaded MP bundle (mps/import)")
        ->type_name("BYTES")
        ->capture_default_str()
        ->check(CLI::Range(1024, 1 << 30));
    sub->add_option("--threads", o.threads, "Threads for users' requests")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(1, 1024));
    sub->add_option("--max-long-polls", o.max_long_polls,
                    "Worker long-polls parked at once (threads on top of --threads)")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(0, 1024));
    sub->add_option("--lease-seconds", o.lease_s,
                    "Fixed job lease (default 0: from the MP's limits)")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--max-tries", o.max_tries,
                    "Leases of a job before its attempt is internal_error")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(1, 100));
    sub->add_option("--worker-key", args->worker_key,
                    "Shared worker key file (default: DATA/worker.key)")
        ->type_name("FILE");
    sub->add_flag("--no-signup", args->no_signup,
                  "Refuse signups: accounts only from `wbtool user add` or an admin");
    sub->footer(
        "Stops on SIGTERM or SIGINT: no new connections, requests in flight finish, the database "
        "is "
        "checkpointed. Exit status: 0 stopped cleanly, 2 cannot start (address in use, bad data "
        "directory), 4 internal error.");
    sub->callback([args, &globals, &action] {
        action = [args, &globals] { return run_serve(*args, globals); };
    });
}

} // namespace wb::cmd
