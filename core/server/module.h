// The network as a module of its own, loaded by `wbtool serve` and
// `wbtool worker` alone: the HTTP server and the HTTP client.
//
// libmicrohttpd comes as a shared library built with GnuTLS; linked into
// wbtool, loading and relocating it would cost every invocation
// milliseconds before main(), `wbtool sandbox` and `wbtool grade` included,
// which never speak HTTP; libcurl, which the worker speaks with, costs the
// same. So the HTTP server (core/server's routes, on libmicrohttpd)
// and the worker (core/worker, on libcurl) are built as wbtool-server.so,
// next to the binary (installed: <libdir>/wbtool/), and `wbtool serve` and
// `wbtool worker` dlopen() it and call its entry points. The module carries its own copy of the
// core it uses; the two meet only at this C entry point, with the version and the size of
// ServeOptions checked first, so that a module of another build is an error message rather than a
// crash.
#pragma once

#include "core/server/server.h"
#include "core/worker/worker.h"

#include <cstddef>

// The file name of the module, and the symbol of its entry point.
#define WBTOOL_SERVER_MODULE "wbtool-server.so"
#define WBTOOL_SERVER_ENTRY "wbtool_server_serve_v2"
#define WBTOOL_WORKER_ENTRY "wbtool_worker_run_v1"

extern "C" {
// wb::server::serve(*options), after checking that the caller was built as
// the module was: `version` (WBTOOL_VERSION) and `options_size`
// (sizeof(ServeOptions)) must match; if not, returns -1 with *mismatch set
// to the module's version. An error that stops the server returns its exit
// code with *error set to its message (valid until the next call).
using wbtool_server_serve_fn = int (*)(const wb::server::ServeOptions* options, const char* version,
                                       std::size_t options_size, const char** mismatch,
                                       const char** error);
int wbtool_server_serve_v2(const wb::server::ServeOptions* options, const char* version,
                           std::size_t options_size, const char** mismatch, const char** error);

// worker::run_until_signalled(*options), with the same checks and errors.
using wbtool_worker_run_fn = int (*)(const wb::worker::WorkerOptions* options, const char* version,
                                     std::size_t options_size, const char** mismatch,
                                     const char** error);
int wbtool_worker_run_v1(const wb::worker::WorkerOptions* options, const char* version,
                         std::size_t options_size, const char** mismatch, const char** error);
}
