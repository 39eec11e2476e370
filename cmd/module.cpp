// Finding the network module (see module.h).
#include "cmd/module.h"

#include "core/paths.h"

#include <system_error>

#include <dlfcn.h>
#include <filesystem>
#include <vector>

namespace wb::cmd {

void* module_entry(const char* module_file, const char* symbol) {
    std::error_code ec;
    const std::filesystem::path exe = core::self_executable();
    std::vector<std::filesystem::path> places;
    if (!exe.empty()) {
        places.push_back(exe.parent_path() / module_file);
        places.push_back(exe.parent_path().parent_path() / "lib" / "wbtool" / module_file);
    }
    places.push_back(std::filesystem::path(WBTOOL_MODULE_DIR) / module_file);
    std::string tried;
    for (const auto& place : places) {
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
