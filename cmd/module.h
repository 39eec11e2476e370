// Calling into the network modules (core/server/module.h and
// core/client/module.h say why HTTP lives in modules of its own): `wbtool
// serve` and `wbtool worker` load the server module, the client commands
// the client module, from beside the binary, else from <prefix>/lib/wbtool
// beside it, else from where it was installed, and call one entry point.
#pragma once

#include "core/client/module.h"
#include "core/error.h"
#include "core/server/module.h"

#include <fmt/format.h>

namespace wb::cmd {

// The entry point named `symbol` of the module file `module`; throws
// InternalError naming every place looked at when there is none.
void* module_entry(const char* module, const char* symbol);

// entry(&options, ...) with the module's checks: a module of another build
// is an InternalError saying so, and an error inside it is thrown here as
// this binary's own wb::Error with its exit code.
template <class Fn, class Options>
int call_module(const char* module, const char* symbol, const Options& options) {
    const auto entry = reinterpret_cast<Fn>(module_entry(module, symbol));
    const char* mismatch = nullptr;
    const char* error = nullptr;
    const int code = entry(&options, WBTOOL_VERSION, sizeof options, &mismatch, &error);
    if (mismatch) {
        throw InternalError(fmt::format("the module {} is of wbtool {}, this is wbtool {}: "
                                        "reinstall wbtool so that the two match",
                                        module, mismatch, WBTOOL_VERSION));
    }
    if (error) throw Error(code, error); // the module's error, as this binary's own
    return code;
}

} // namespace wb::cmd
