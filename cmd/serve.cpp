// `wbtool serve`: host the HTTP API on the store in the data directory,
// with a worker in the same process unless told not to. Parses flags into
// ServeOptions and hands over to core/server, in the network module
// (cmd/module.h).
#include "cmd/common.h"
#include "cmd/module.h"
#include "core/error.h"
#include "core/sandbox_command.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <memory>
#include <thread>

namespace wb::cmd {
namespace {

int serve_from_module(const server::ServeOptions& options) {
    return call_module<wbtool_server_serve_fn>(WBTOOL_SERVER_MODULE, WBTOOL_SERVER_ENTRY, options);
}

struct ServeArgs {
    std::string listen = "127.0.0.1:8080";
    server::ServeOptions options;
    std::string worker_key;
    bool no_signup = false;
    bool no_worker = false;
    std::string worker_min_isolation = "full";
    std::size_t body_memory_mib = server::ServeOptions{}.max_body_memory >> 20;
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
    o.cache_dir = g.cache_dir;
    o.version = WBTOOL_VERSION;
    if (args.no_worker) o.worker_slots = 0;
    o.worker_min_isolation = core::min_isolation_flag(args.worker_min_isolation);
    o.max_body_memory = args.body_memory_mib << 20;
    return serve_from_module(o);
}

} // namespace

void add_serve(CLI::App& app, Globals& globals, Action& action) {
    auto args = std::make_shared<ServeArgs>();
    auto& o = args->options;
    auto* sub = app.add_subcommand("serve", "Host the HTTP API and the job queue on the store");
    sub->add_option("--listen", args->listen,
                    "Address to listen on (port 0: any free port, printed)")
        ->type_name("HOST:PORT")
        ->capture_default_str();
    sub->add_option("--rate-limit", o.rate_limit_s,
                    "Seconds between two submissions or grades of a user (0: off)")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--login-free-failures", o.login_free_failures,
                    "Wrong passwords per account (4x per address) before logins are delayed")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    sub->add_option("--login-max-delay", o.login_max_delay_s,
                    "Longest delay (429, Retry-After) after wrong passwords, doubling from 1 s "
                    "(0: off)")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 86400.0));
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
    sub->add_option("--max-connections", o.max_connections,
                    "Connections held at once; more are closed as they arrive")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(16, 1000000));
    sub->add_option("--max-connections-per-address", o.max_connections_per_address,
                    "Connections held at once from one client address (behind a proxy: raise it)")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    sub->add_option("--header-timeout", o.header_timeout_s,
                    "Seconds a connection has to send a whole request head, from connecting or "
                    "from its last answer (idle and slow clients are closed after it)")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::Range(0.5, 3600.0));
    sub->add_option("--io-timeout", o.io_timeout_s,
                    "Seconds a connection may make no progress while its body is read or its "
                    "answer written")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
    sub->add_option("--max-body-memory", args->body_memory_mib,
                    "MiB of request bodies received at once; past it, 503 before a body is read")
        ->type_name("MIB")
        ->capture_default_str()
        ->check(CLI::Range(1, 65536));
    sub->add_option("--trusted-proxy", o.trusted_proxies,
                    "Address of a reverse proxy whose X-Forwarded-For names the client "
                    "(repeatable)")
        ->type_name("ADDRESS")
        ->check([](const std::string& a) {
            in6_addr buf{};
            return ::inet_pton(AF_INET, a.c_str(), &buf) == 1 ||
                           ::inet_pton(AF_INET6, a.c_str(), &buf) == 1
                       ? std::string()
                       : "'" + a + "' is not an IPv4 or IPv6 address";
        });
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
    sub->add_option("--worker-stale", o.worker_stale_s,
                    "Seconds of silence after which a worker is stale (heartbeats: a third)")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::Range(1.0, 86400.0));
    sub->add_option("--worker-key", args->worker_key,
                    "Shared worker key file (default: DATA/worker.key)")
        ->type_name("FILE");
    sub->add_flag("--no-signup", args->no_signup,
                  "Refuse signups: accounts only from `wbtool user add` or an admin");
    o.worker_slots = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    sub->add_flag("--no-worker", args->no_worker,
                  "Run no worker in this process: jobs wait for `wbtool worker`s");
    sub->add_option("--worker-slots", o.worker_slots,
                    "Jobs the worker in this process grades at once (default: one per core)")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    sub->add_option("--worker-max-slots", o.worker_max_slots,
                    "Slots it may open while the queue is long (default: --worker-slots)")
        ->type_name("N")
        ->check(CLI::Range(1, 256));
    sub->add_option("--worker-min-isolation", args->worker_min_isolation,
                    "The weakest isolation its runs accept (default full): less refuses to start")
        ->type_name("LEVEL")
        ->check(CLI::IsMember({"full", "userns", "rlimits"}))
        ->capture_default_str();
    sub->footer(
        "Grades what is submitted with a worker in the same process (--no-worker: none). Stops "
        "on SIGTERM or SIGINT: the worker's running jobs finish and are recorded, no new "
        "connections, requests in flight finish, the database is checkpointed. Exit status: 0 "
        "stopped cleanly, 2 cannot start (address in use, bad data directory), 4 internal error "
        "(including a worker refused for too little isolation).");
    sub->callback([args, &globals, &action] {
        globals.needs_shared_binary = [] { return true; };
        action = [args, &globals] { return run_serve(*args, globals); };
    });
}

} // namespace wb::cmd
