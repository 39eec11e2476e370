// Finding the modules and wbtool-net (see module.h).
#include "cmd/module.h"

#include "core/paths.h"

#include <system_error>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wb::cmd {
namespace {

char** kept_argv = nullptr;

} // namespace

void keep_command_line(int /*argc*/, char** argv) {
    kept_argv = argv;
}

std::vector<std::filesystem::path> module_places(const char* file) {
    const std::filesystem::path exe = core::self_executable();
    std::vector<std::filesystem::path> places;
    if (!exe.empty()) {
        places.push_back(exe.parent_path() / file);
        places.push_back(exe.parent_path().parent_path() / "lib" / "wbtool" / file);
    }
    places.push_back(std::filesystem::path(WBTOOL_MODULE_DIR) / file);
    return places;
}

void run_shared_binary() {
    constexpr const char* file = "wbtool-net";
    std::string tried;
    for (const auto& place : module_places(file)) {
        if (::access(place.c_str(), X_OK) != 0) {
            tried += fmt::format("\n  {}: {}", place.string(),
                                 errno == ENOENT ? "not there" : std::strerror(errno));
            continue;
        }
        char* fallback[] = {const_cast<char*>("wbtool"), nullptr};
        ::execv(place.c_str(), kept_argv ? kept_argv : fallback);
        tried += fmt::format("\n  {}: {}", place.string(), std::strerror(errno));
    }
    throw InternalError(fmt::format("this command runs in {}, which is missing; looked at:{}\n"
                                    "Reinstall wbtool, or rebuild it (it is built with the "
                                    "binary)",
                                    file, tried));
}

} // namespace wb::cmd
