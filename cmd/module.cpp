// Finding the modules and wbtool-net (see module.h).
#include "cmd/module.h"

#include "core/paths.h"

#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace wb::cmd {
namespace {

char** kept_argv = nullptr;
bool started_as_shared_binary = false; // check_shared_binary_start() saw started_by

// Set for wbtool-net by run_shared_binary(): the version of the wbtool
// that ran it.
constexpr const char* started_by = "WBTOOL_STARTED_BY_VERSION";

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    struct stat sa {
    }, sb{};
    return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

} // namespace

void keep_command_line(char** argv) {
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

void run_shared_binary(const std::string& what) {
    constexpr const char* file = "wbtool-net";
    const std::filesystem::path self = core::self_executable();
    if (started_as_shared_binary) {
        // A static wbtool (a copy, not a link) installed as wbtool-net:
        // running wbtool-net again would be running itself again.
        throw InternalError(fmt::format("{} was run as wbtool-net, but it is a static wbtool "
                                        "itself: reinstall wbtool",
                                        self.string()));
    }
    std::string tried;
    for (const auto& place : module_places(file)) {
        if (::access(place.c_str(), X_OK) != 0) {
            tried += fmt::format("\n  {}: {}", place.string(),
                                 errno == ENOENT ? "not there" : std::strerror(errno));
            continue;
        }
        if (same_file(place, self)) {
            tried += fmt::format("\n  {}: this wbtool itself, not wbtool-net", place.string());
            continue;
        }
        ::setenv(started_by, WBTOOL_VERSION, 1);
        char* fallback[] = {const_cast<char*>("wbtool"), nullptr};
        ::execv(place.c_str(), kept_argv ? kept_argv : fallback);
        tried += fmt::format("\n  {}: {}", place.string(), std::strerror(errno));
        ::unsetenv(started_by);
    }
    throw InternalError(fmt::format("{} needs {} (wbtool linked with the shared C library), "
                                    "which is missing; looked at:{}\n"
                                    "Reinstall wbtool, or rebuild it (it is built with the "
                                    "binary)",
                                    what, file, tried));
}

void check_shared_binary_start() {
    const char* version = std::getenv(started_by);
    if (!version) return;
    const std::string by = version;
    ::unsetenv(started_by); // not for what this process starts
    started_as_shared_binary = true;
    // The static wbtool runs whatever it can itself; only if it had to run
    // wbtool-net again would it be in a loop (run_shared_binary).
    if (static_binary) return;
    const auto self = core::self_executable().string();
    if (by != WBTOOL_VERSION) {
        throw InternalError(fmt::format("{} is the wbtool-net of wbtool {}, and was run by wbtool "
                                        "{}: reinstall wbtool so that the two match",
                                        self, WBTOOL_VERSION, by));
    }
}

} // namespace wb::cmd
