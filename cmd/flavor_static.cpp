// The static wbtool (cmd/CMakeLists.txt): what needs the shared C library,
// a module or the CUDA driver, runs in wbtool-net instead (cmd/module.h),
// which main() starts before the action.
#include "cmd/gpu_check.h"
#include "cmd/module.h"

// SQLite's run-time extension loader, which wbtool never enables
// (sqlite3_enable_load_extension), calls dlopen(). In a static program the
// C library's works only beside a shared C library of the same version
// (the linker warns); this program loads no shared object, so the link
// sends every call of dlopen here instead (--wrap=dlopen), which says so.
extern "C" void* __wrap_dlopen(const char*, int) noexcept {
    return nullptr;
}

namespace wb::cmd {

const bool static_binary = true;

// main() ran wbtool-net before an action that comes here
// (Globals::needs_shared_binary): reaching these is a command that does not
// say it needs it.
void* module_entry(const char* module, const char*) {
    throw InternalError(fmt::format("the static wbtool cannot load {}: the command must run in "
                                    "wbtool-net (Globals::needs_shared_binary)",
                                    module));
}

int run_gpu_check(const GpuCheckArgs&) {
    throw InternalError("the static wbtool cannot load the CUDA driver: gpu-check must run in "
                        "wbtool-net (Globals::needs_shared_binary)");
}

} // namespace wb::cmd
