// Where a client command connects and with which key, and the credentials
// file that `wbtool login` writes. Read by the binary too (`wbtool mp`
// asks whether a server is configured), so it needs no network.
//
// Precedence, first found wins: the --server flag; the environment
// (WBTOOL_SERVER, WBTOOL_API_KEY); $XDG_CONFIG_HOME/wbtool/config.toml
// (keys `server`, `api_key`); credentials.toml beside it, which holds one
// key per server and the server logged in to last. A value says where it
// came from, so that an error can name what to change.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace wb::client {

// What the flags say; empty when not given.
struct ConnectionFlags {
    std::string server;
};

struct Setting {
    std::string value;
    std::string from; // "--server", "WBTOOL_SERVER", a file's path
};

struct Settings {
    Setting server;
    Setting api_key;  // empty value: none found
    std::string user; // from the credentials, when they name one
};

// The server and key. Throws InputError (exit 2) naming the flag, the
// variable and the files that would set a missing server, or a missing
// key when `need_key`; and for a config file that is not valid TOML.
Settings resolve(const ConnectionFlags& flags, bool need_key);

// The server alone, when one is configured anywhere (nullopt otherwise).
std::optional<Setting> configured_server(const ConnectionFlags& flags);

struct Credentials {
    std::string server; // the URL, as given to login
    std::string user;
    std::string api_key;
};

std::filesystem::path config_file();
std::filesystem::path credentials_file();

// Stores the key for its server and makes that server the default, through
// a temporary file created 0600 and renamed into place (the directory is
// made 0700). Keys for other servers are kept.
void store_credentials(const Credentials& c);
// Removes the key for `server`; false when there was none.
bool forget_credentials(const std::string& server);

} // namespace wb::client
