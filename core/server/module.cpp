// The entry points of wbtool-server.so (see module.h).
#include "core/server/module.h"

#include "core/error.h"

#include <cstring>
#include <string>

namespace {
thread_local std::string t_error;

int fail(int code, const char* what, const char** error) {
    t_error = what;
    *error = t_error.c_str();
    return code;
}

// Runs f() after checking that the caller was built as this module was;
// no exception leaves.
template <class Options, class F>
int enter(const char* version, std::size_t options_size, const char** mismatch, const char** error,
          F&& f) {
    if (std::strcmp(version, WBTOOL_VERSION) != 0 || options_size != sizeof(Options)) {
        *mismatch = WBTOOL_VERSION;
        return -1;
    }
    try {
        return f();
    } catch (const wb::Error& e) {
        return fail(e.exit_code(), e.what(), error);
    } catch (const wb::store::Error& e) {
        return fail(wb::exit_code_for(e), e.what(), error);
    } catch (const std::exception& e) {
        return fail(wb::exit_internal, e.what(), error);
    }
}

} // namespace

extern "C" __attribute__((visibility("default"))) int
wbtool_server_serve_v2(const wb::server::ServeOptions* options, const char* version,
                       std::size_t options_size, const char** mismatch, const char** error) {
    return enter<wb::server::ServeOptions>(version, options_size, mismatch, error,
                                           [&] { return wb::server::serve(*options); });
}

extern "C" __attribute__((visibility("default"))) int
wbtool_worker_run_v1(const wb::worker::WorkerOptions* options, const char* version,
                     std::size_t options_size, const char** mismatch, const char** error) {
    return enter<wb::worker::WorkerOptions>(version, options_size, mismatch, error, [&] {
        return wb::worker::run_until_signalled(*options);
    });
}
