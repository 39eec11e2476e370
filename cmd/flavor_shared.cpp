// What only wbtool-net (and a sanitizer build's wbtool), linked with the
// shared C library, can do: load a module (cmd/module.h). The GPU check,
// which loads the CUDA driver, is gpu_check_run.cpp, linked beside this.
#include "cmd/module.h"

#include <system_error>

#include <dlfcn.h>

namespace wb::cmd {

const bool static_binary = false;

void* module_entry(const char* module_file, const char* symbol) {
    std::error_code ec;
    std::string tried;
    for (const auto& place : module_places(module_file)) {
        if (!std::filesystem::exists(place, ec)) {
            tried += fmt::format("\n  {}: not there", place.string());
            continue;
        }
        // Kept loaded for the life of the process: what it runs runs until exit.
        void* module = dlopen(place.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!module) {
            const char* why = dlerror();
            tried += fmt::format("\n  {}: {}", place.string(), why ? why : "cannot be loaded");
            continue;
        }
        if (void* entry = dlsym(module, symbol)) return entry;
        tried += fmt::format("\n  {}: no {} in it (a module of another wbtool version)",
                             place.string(), symbol);
    }
    throw InternalError(fmt::format("cannot load the module {}; looked at:{}\n"
                                    "Reinstall wbtool, or rebuild it (the module is built with "
                                    "the binary)",
                                    module_file, tried));
}

} // namespace wb::cmd
