// Calling into the network modules (core/server/module.h and
// core/client/module.h say why HTTP lives in modules of its own): `wbtool
// serve` and `wbtool worker` load the server module, the client commands
// the client module, from beside the binary, else from <prefix>/lib/wbtool
// beside it, else from where it was installed, and call one entry point.
//
// wbtool itself is linked statically (cmd/CMakeLists.txt says why), and a
// static program cannot load a shared object. A subcommand whose action
// loads one says so (Globals::needs_shared_binary), and main() runs
// wbtool-net in place of the process once the command line is parsed and
// before the action starts, with the same command line: the same commands
// linked with the shared C library, found where the modules are. Nothing
// of the action has run (no file read, no line printed), so nothing runs
// twice. flavor_static.cpp and flavor_shared.cpp are the two ways.
#pragma once

#include "core/client/module.h"
#include "core/error.h"
#include "core/server/module.h"

#include <fmt/format.h>

#include <filesystem>
#include <vector>

namespace wb::cmd {

// The entry point named `symbol` of the module file `module`; throws
// InternalError naming every place looked at when there is none. The
// static wbtool has none to load (main() ran wbtool-net before the action):
// there it is an InternalError.
void* module_entry(const char* module, const char* symbol);

// True in the static wbtool (flavor_static.cpp).
extern const bool static_binary;

// main() keeps its command line for run_shared_binary().
void keep_command_line(char** argv);

// Replaces this process with wbtool-net and the command line main() kept,
// telling it this wbtool's version; `what` (e.g. "this command") is what
// needs it, for the error: InternalError naming every place looked at when
// there is none. From beside the binary, else from <prefix>/lib/wbtool
// beside it, else from where it was installed; never this binary itself.
[[noreturn]] void run_shared_binary(const std::string& what);

// First thing in main(): when started by run_shared_binary(), an
// InternalError if this is not the wbtool-net of the same version (a
// static wbtool installed as wbtool-net would run itself forever, one of
// another install would run another version's commands).
void check_shared_binary_start();

// The places a file of the modules' directory is looked for, in order.
std::vector<std::filesystem::path> module_places(const char* file);

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
