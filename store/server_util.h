// Small helpers shared by the server's store files: time as text.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace wb::store::detail {

// ISO 8601 UTC with milliseconds, so attempts made in the same second still
// sort and read in order.
inline std::string utc_text(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
    return buf;
}

inline std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace wb::store::detail
