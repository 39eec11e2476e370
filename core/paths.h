// Where wbtool keeps things by default, following the XDG base directories:
// the data directory (the store), the cache directory (compiled programs,
// libwb) and the client's configuration. Flags override them.
#pragma once

#include <filesystem>
#include <optional>

namespace wb::core {

// $HOME when it is set and not empty, else this uid's home in /etc/passwd;
// nullopt when neither has it, and only the user database's other sources
// (NSS modules, which the static wbtool cannot load) may know it.
std::optional<std::filesystem::path> home_without_nss();

// $WBTOOL_DATA, else $XDG_DATA_HOME/wbtool, else ~/.local/share/wbtool.
std::filesystem::path default_data_dir();

// $WBTOOL_CACHE, else $XDG_CACHE_HOME/wbtool, else ~/.cache/wbtool.
std::filesystem::path default_cache_dir();

// $XDG_CONFIG_HOME/wbtool, else ~/.config/wbtool: the client's config.toml
// and credentials.toml.
std::filesystem::path config_dir();

// The running wbtool binary (/proc/self/exe); empty when it cannot be read.
// Its modules sit beside it; a worker runs it for `gpu-check`.
std::filesystem::path self_executable();

} // namespace wb::core
