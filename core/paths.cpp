// Default directories (see paths.h).
#include "core/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

#pragma weak getpwuid

namespace wb::core {
namespace {

const char* home_from_environment() {
    const char* h = std::getenv("HOME");
    return h && *h ? h : nullptr;
}

// This uid's home in /etc/passwd itself (fgetpwent_r reads the file, not
// the user database).
std::optional<std::filesystem::path> read_home_in_passwd_file() {
    std::FILE* f = std::fopen("/etc/passwd", "re");
    if (!f) return std::nullopt;
    std::optional<std::filesystem::path> home;
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(1024);
    for (;;) {
        const int e = ::fgetpwent_r(f, &entry, buffer.data(), buffer.size(), &found);
        if (e == ERANGE && buffer.size() < (1u << 20)) {
            buffer.resize(buffer.size() * 2); // the same line again, with room for it
            continue;
        }
        if (e != 0) break;
        if (entry.pw_uid == ::getuid()) {
            if (entry.pw_dir && *entry.pw_dir) home = entry.pw_dir;
            break;
        }
    }
    std::fclose(f);
    return home;
}

// The same, read once: main() asks, and then each default directory.
const std::optional<std::filesystem::path>& home_in_passwd_file() {
    static const std::optional<std::filesystem::path> home = read_home_in_passwd_file();
    return home;
}

std::filesystem::path home() {
    if (const char* h = home_from_environment()) return h;
    // The user database, all its sources. A weak reference: the static
    // wbtool does not link it (NSS needs the shared C library); its main()
    // runs wbtool-net where the file alone does not know the home.
    if (&::getpwuid != nullptr) {
        if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
    } else if (const auto& h = home_in_passwd_file()) {
        return *h;
    }
    return "/tmp";
}

std::filesystem::path from_env(const char* own, const char* xdg, const char* fallback) {
    if (const char* v = own ? std::getenv(own) : nullptr; v && *v) return v;
    if (const char* v = std::getenv(xdg); v && *v) return std::filesystem::path(v) / "wbtool";
    return home() / fallback / "wbtool";
}

} // namespace

std::optional<std::filesystem::path> home_without_nss() {
    if (const char* h = home_from_environment()) return h;
    return home_in_passwd_file();
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
