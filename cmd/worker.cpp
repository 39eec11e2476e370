// `wbtool worker`: an execution node for a server (core/worker/worker.h).
// Parses flags into WorkerOptions and hands over to the network module
// (cmd/module.h), which runs it until SIGTERM drains it.
#include "cmd/common.h"
#include "cmd/module.h"
#include "core/error.h"
#include "core/sandbox_command.h"
#include "core/server/auth.h"

#include <fmt/format.h>

#include <memory>

namespace wb::cmd {
namespace {

struct WorkerArgs {
    worker::WorkerOptions options;
    std::string secret_file;
    std::string min_isolation = "full";
    double heartbeat_s = 10;
    int gpu_check_interval_s = 300;
};

int run_worker(WorkerArgs& args, const Globals& g) {
    auto& o = args.options;
    o.key = server::read_key_file(args.secret_file);
    o.cache_dir = g.cache_dir;
    o.min_isolation = core::min_isolation_flag(args.min_isolation);
    o.heartbeat = std::chrono::milliseconds(static_cast<std::int64_t>(args.heartbeat_s * 1000));
    o.gpu_check_interval = std::chrono::seconds(args.gpu_check_interval_s);
    o.version = WBTOOL_VERSION;
    const bool quiet = g.quiet;
    o.log = [quiet](const std::string& line) {
        if (!quiet) fmt::print(stderr, "wbtool worker: {}\n", line);
    };
    return call_module<wbtool_worker_run_fn>(WBTOOL_SERVER_MODULE, WBTOOL_WORKER_ENTRY, o);
}

} // namespace

void add_worker(CLI::App& app, Globals& globals, Action& action) {
    auto args = std::make_shared<WorkerArgs>();
    auto& o = args->options;
    auto* sub = app.add_subcommand("worker", "Grade a server's submissions on this machine");
    sub->add_option("--server", o.server, "The server's URL")
        ->type_name("URL")
        ->required()
        ->envname("WBTOOL_SERVER");
    sub->add_option("--secret-file", args->secret_file,
                    "The server's worker key (its data directory's worker.key)")
        ->type_name("FILE")
        ->required()
        ->check(CLI::ExistingFile);
    sub->add_option("--name", o.name, "This worker's id on the server (default: the host name)")
        ->type_name("NAME");
    sub->add_option("--slots", o.slots, "Jobs graded at once, always open")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    sub->add_option("--max-slots", o.max_slots,
                    "Slots opened while the queue holds five jobs per busy slot (default: --slots)")
        ->type_name("N")
        ->check(CLI::Range(1, 256));
    sub->add_option("--gpu-check-interval", args->gpu_check_interval_s,
                    "Seconds between GPU checks after the one at start (0: only at start); no "
                    "CUDA job is taken while one fails")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::Range(0, 86400));
    sub->add_option("--heartbeat", args->heartbeat_s,
                    "Seconds between heartbeats at most (more often if the server asks)")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::Range(0.1, 3600.0));
    sub->add_option("--min-isolation", args->min_isolation,
                    "The weakest isolation its runs accept (default full): less refuses to start")
        ->type_name("LEVEL")
        ->check(CLI::IsMember({"full", "userns", "rlimits"}))
        ->capture_default_str();
    sub->footer("Drains on the first SIGTERM or SIGINT (running jobs finish, their reports are "
                "delivered, the worker unregisters); a second stops it at once. Reports not yet "
                "delivered are kept in CACHE/outbox and delivered at the next start. Exit status: "
                "0 drained, 2 usage error, 3 the server cannot be reached or refuses the worker, "
                "4 internal error (including too little isolation).");
    sub->callback([args, &globals, &action] {
        globals.needs_shared_binary = [] { return true; };
        action = [args, &globals] { return run_worker(*args, globals); };
    });
}

} // namespace wb::cmd
