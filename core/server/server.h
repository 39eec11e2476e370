// `wbtool serve`: the HTTP API under /api/v1 (see docs/api/openapi.yaml),
// on libmicrohttpd (http_server.h), over the SQLite store in the data
// directory.
#pragma once

#include "sandbox/policy.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace wb::server {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080; // 0: any free port (printed)
    std::filesystem::path data_dir;
    std::filesystem::path worker_key_file; // empty: <data>/worker.key

    double rate_limit_s = 3.0;                // submissions and grades per user; 0: off
    int login_free_failures = 5;              // wrong passwords per account before a delay
    double login_max_delay_s = 60;            // the longest delay; 0: no throttling
    std::size_t max_program_bytes = 1u << 20; // program text in save/submit/grade
    std::size_t max_import_bytes = 64u << 20; // a whole uploaded bundle
    int threads = 16;                         // for users, on top of the long-poll threads
    int max_long_polls = 32;                  // parked worker polls
    // What clients can hold (http_server.h): connections in all and from
    // one address, the time to send a request's head (from connecting or
    // the previous answer), the time a connection may make no progress
    // while a body or an answer is on the way, and the bodies being
    // received at once.
    unsigned max_connections = 2048;
    unsigned max_connections_per_address = 128;
    double header_timeout_s = 15;
    unsigned io_timeout_s = 30;
    std::size_t max_body_memory = std::size_t{256} << 20;
    // Reverse proxies whose X-Forwarded-For names the client (README).
    std::vector<std::string> trusted_proxies;
    double lease_s = 0;         // 0: from the MP's limits
    int max_tries = 3;          // leases per job
    double worker_stale_s = 90; // a worker unseen this long is shown stale
    bool signup = true;         // open signup for students
    double session_hours = 24 * 7;
    int log_lines = 1000; // kept for GET /api/v1/log

    // The worker in the same process (core/worker/worker.h), so that one
    // command grades: the same code as a remote worker, over loopback HTTP.
    int worker_slots = 0; // 0: none
    int worker_max_slots = 0;
    sandbox::Isolation worker_min_isolation = sandbox::Isolation::full;
    std::filesystem::path cache_dir; // the embedded worker's
    std::string version;             // wbtool's, for the worker's registration
};

// Runs until SIGTERM or SIGINT: then drains the embedded worker (its
// running jobs finish and are recorded), stops accepting, lets in-flight
// requests finish, wakes parked long-polls and checkpoints the database.
// Prints "listening on HOST:PORT" on stdout once it accepts. Returns the
// exit code. Throws wb::InputError when it cannot start.
int serve(const ServeOptions& options);

// Every route: (method, path in OpenAPI form, e.g. /api/v1/mp/{id}).
std::vector<std::pair<std::string, std::string>> api_routes();

} // namespace wb::server
