// The client commands as a module of their own, wbtool-client.so, for the
// reason the server is one (core/server/module.h): libcurl and the TLS
// libraries under it cost every invocation of `wbtool` their loading time,
// and `grade --local` or `sandbox` never speak HTTP. So `wbtool login`,
// `submit` and the rest dlopen() this module, which holds the client
// (core/client, on core/net's libcurl client), and call its one entry
// point with the parsed command (call.h). It does not load libmicrohttpd:
// a client has no use for the server's library.
#pragma once

#include "core/client/call.h"

#include <cstddef>

#define WBTOOL_CLIENT_MODULE "wbtool-client.so"
#define WBTOOL_CLIENT_ENTRY "wbtool_client_run_v1"

extern "C" {
// client::run(*call) after the checks of core/module_entry.h, with the
// same errors.
using wbtool_client_run_fn = int (*)(const wb::client::ClientCall* call, const char* version,
                                     std::size_t call_size, const char** mismatch,
                                     const char** error);
int wbtool_client_run_v1(const wb::client::ClientCall* call, const char* version,
                         std::size_t call_size, const char** mismatch, const char** error);
}
