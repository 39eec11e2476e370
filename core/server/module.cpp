// The entry points of wbtool-server.so (see module.h).
#include "core/server/module.h"

#include "core/module_entry.h"

extern "C" __attribute__((visibility("default"))) int
wbtool_server_serve_v2(const wb::server::ServeOptions* options, const char* version,
                       std::size_t options_size, const char** mismatch, const char** error) {
    return wb::core::enter_module<wb::server::ServeOptions>(
        version, options_size, mismatch, error, [&] { return wb::server::serve(*options); });
}

extern "C" __attribute__((visibility("default"))) int
wbtool_worker_run_v1(const wb::worker::WorkerOptions* options, const char* version,
                     std::size_t options_size, const char** mismatch, const char** error) {
    return wb::core::enter_module<wb::worker::WorkerOptions>(
        version, options_size, mismatch, error,
        [&] { return wb::worker::run_until_signalled(*options); });
}
