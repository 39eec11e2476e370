// The one rule for names that become ids, paths and keys: MP ids, user
// names, worker ids, toolchain names. Lower-case letters, digits, '_' and
// '-', starting with a letter or digit, 1 to 64 characters: nothing that
// could name a path, need quoting in a URL or smuggle SQL.
#pragma once

#include <string>
#include <string_view>

namespace wb::core {

inline constexpr std::string_view name_pattern = "[a-z0-9][a-z0-9_-]{0,63}";

constexpr bool valid_name(std::string_view s) {
    auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (s.empty() || s.size() > 64 || !lower_or_digit(s[0])) return false;
    for (char c : s)
        if (!lower_or_digit(c) && c != '_' && c != '-') return false;
    return true;
}

// ASCII lower case (names, file extensions), whatever the locale.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

} // namespace wb::core
