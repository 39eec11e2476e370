// Default directories (see paths.h).
#include "core/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#pragma weak getpwuid

namespace wb::core {
namespace {

std::filesystem::path home() {
    if (const char* h = home_from_environment()) return h;
    // A weak reference: the static wbtool does not link the user database
    // (NSS needs the shared C library), and never comes here
    // (cmd/main.cpp); everything else links the shared one.
    if (&::getpwuid != nullptr)
        if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
    return "/tmp";
}

std::filesystem::path from_env(const char* own, const char* xdg, const char* fallback) {
    if (const char* v = own ? std::getenv(own) : nullptr; v && *v) return v;
    if (const char* v = std::getenv(xdg); v && *v) return std::filesystem::path(v) / "wbtool";
    return home() / fallback / "wbtool";
}

} // namespace

const char* home_from_environment() {
    const char* h = std::getenv("HOME");
    return h && *h ? h : nullptr;
}

std::filesystem::path default_data_dir() {
    return from_env("WBTOOL_DATA", "XDG_DATA_HOME", ".local/share");
}

std::filesystem::path default_cache_dir() {
    return from_env("WBTOOL_CACHE", "XDG_CACHE_HOME", ".cache");
}

std::filesystem::path config_dir() {
    return from_env(nullptr, "XDG_CONFIG_HOME", ".config");
}

std::filesystem::path self_executable() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe;
}

} // namespace wb::core
