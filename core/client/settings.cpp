// Client settings and credentials (see settings.h). The files are small
// TOML tables read whole on every command; a file that does not parse is
// an error naming its line, never silently ignored, since the key it holds
// would otherwise quietly not apply.
#include "core/client/settings.h"

#include "core/error.h"
#include "core/files.h"
#include "core/paths.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <sys/stat.h>

#include <cstdlib>
#include <sstream>

namespace wb::client {
namespace {

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

toml::table read_toml(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    try {
        return toml::parse(core::read_file(path), path.string());
    } catch (const toml::parse_error& e) {
        throw InputError(fmt::format("{}:{}: {} (fix or remove the file)", path.string(),
                                     e.source().begin.line, e.description()));
    }
}

std::optional<Setting> from_env(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    return Setting{v, name};
}

std::optional<Setting> from_table(const toml::table& t, const char* key,
                                  const std::filesystem::path& file) {
    if (auto v = t[key].value<std::string>(); v && !v->empty()) return Setting{*v, file.string()};
    return std::nullopt;
}

std::optional<Setting> find_server(const ConnectionFlags& flags, const toml::table& config,
                                   const toml::table& creds) {
    if (!flags.server.empty()) return Setting{flags.server, "--server"};
    if (auto s = from_env("WBTOOL_SERVER")) return s;
    if (auto s = from_table(config, "server", config_file())) return s;
    return from_table(creds, "default", credentials_file());
}

} // namespace

std::filesystem::path config_file() {
    return core::config_dir() / "config.toml";
}

std::filesystem::path credentials_file() {
    return core::config_dir() / "credentials.toml";
}

std::optional<Setting> configured_server(const ConnectionFlags& flags) {
    if (!flags.server.empty()) return Setting{flags.server, "--server"};
    if (auto s = from_env("WBTOOL_SERVER")) return s;
    const auto config = read_toml(config_file());
    if (auto s = from_table(config, "server", config_file())) return s;
    return from_table(read_toml(credentials_file()), "default", credentials_file());
}

Settings resolve(const ConnectionFlags& flags, bool need_key) {
    const auto config = read_toml(config_file());
    const auto creds = read_toml(credentials_file());
    const auto server = find_server(flags, config, creds);
    if (!server) {
        throw InputError(fmt::format("no server: pass --server URL, set WBTOOL_SERVER, put "
                                     "`server = \"URL\"` in {}, or run `wbtool login --server URL`",
                                     config_file().string()));
    }
    Settings s;
    s.server = {without_trailing_slash(server->value), server->from};
    if (auto k = from_env("WBTOOL_API_KEY")) {
        s.api_key = *k;
    } else if (auto k2 = from_table(config, "api_key", config_file())) {
        s.api_key = *k2;
    } else if (const auto* entry = creds["servers"][s.server.value].as_table()) {
        if (auto k3 = from_table(*entry, "api_key", credentials_file())) s.api_key = *k3;
        s.user = (*entry)["user"].value_or(std::string());
    }
    if (need_key && s.api_key.value.empty()) {
        throw InputError(fmt::format("no API key for {}: run `wbtool login --server {}`, or set "
                                     "WBTOOL_API_KEY, or put `api_key = \"KEY\"` in {}",
                                     s.server.value, s.server.value, config_file().string()));
    }
    return s;
}

namespace {

void write_credentials(const toml::table& t) {
    const auto dir = core::config_dir();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw InputError(
            fmt::format("cannot create {}: {} (set XDG_CONFIG_HOME)", dir.string(), ec.message()));
    }
    ::chmod(dir.c_str(), 0700);
    std::ostringstream out;
    out << "# wbtool's API keys, one per server (`wbtool login`, `wbtool logout`).\n" << t << "\n";
    core::write_file_atomic(credentials_file(), out.str(), 0600);
}

} // namespace

void store_credentials(const Credentials& c) {
    auto t = read_toml(credentials_file());
    const auto server = without_trailing_slash(c.server);
    t.insert_or_assign("default", server);
    if (!t["servers"].is_table()) t.insert_or_assign("servers", toml::table{});
    t["servers"].as_table()->insert_or_assign(
        server, toml::table{{"user", c.user}, {"api_key", c.api_key}});
    write_credentials(t);
}

bool forget_credentials(const std::string& server_url) {
    auto t = read_toml(credentials_file());
    const auto server = without_trailing_slash(server_url);
    auto* servers = t["servers"].as_table();
    if (!servers || !servers->erase(server)) return false;
    if (t["default"].value_or(std::string()) == server) t.erase("default");
    write_credentials(t);
    return true;
}

} // namespace wb::client
