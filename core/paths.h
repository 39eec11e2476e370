// Where wbtool keeps things by default, following the XDG base directories:
// the data directory (the store) and the cache directory (compiled programs,
// libwb). Flags override both.
#pragma once

#include <filesystem>

namespace wb::core {

// $WBTOOL_DATA, else $XDG_DATA_HOME/wbtool, else ~/.local/share/wbtool.
std::filesystem::path default_data_dir();

// $WBTOOL_CACHE, else $XDG_CACHE_HOME/wbtool, else ~/.cache/wbtool.
std::filesystem::path default_cache_dir();

} // namespace wb::core
