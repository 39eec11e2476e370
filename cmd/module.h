// Calling into the network module (core/server/module.h says why the HTTP
// server and client are a module of their own): `wbtool serve` and `wbtool
// worker` load it from beside the binary, else from <prefix>/lib/wbtool
// beside it, else from where it was installed, and call one entry point.
#pragma once

#include "core/error.h"
#include "core/server/module.h"

#include <fmt/format.h>

namespace wb::cmd {

// The entry point named `symbol`; throws InternalError naming every place
// looked at when there is none.
void* module_entry(const char* symbol);

// entry(&options, ...) with the module's checks: a module of another build
// is an InternalError saying so, and an error inside it is thrown here as
// this binary's own wb::Error with its exit code.
template <class Fn, class Options> int call_module(const char* symbol, const Options& options) {
    const auto entry = reinterpret_cast<Fn>(module_entry(symbol));
    const char* mismatch = nullptr;
    const char* error = nullptr;
    const int code = entry(&options, WBTOOL_VERSION, sizeof options, &mismatch, &error);
    if (mismatch) {
        throw InternalError(fmt::format("the server module is of wbtool {}, this is wbtool {}: "
                                        "reinstall wbtool so that the two match",
                                        mismatch, WBTOOL_VERSION));
    }
    if (error) throw Error(code, error); // the module's error, as this binary's own
    return code;
}

} // namespace wb::cmd
