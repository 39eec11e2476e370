// Time as the store writes it: milliseconds since the epoch for what is
// compared (leases, heartbeats), ISO 8601 UTC text for what people read.
// One helper for every timestamp in wbtool, so they all read alike.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

namespace wb::store {

inline std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

enum class TimeText { seconds, millis };

// "2026-12-05T16:53:22Z", or with millis "2026-12-05T16:53:22.123Z" so that
// attempts made in the same second still sort and read in order.
inline std::string utc_text(std::int64_t ms, TimeText precision = TimeText::millis) {
    const auto t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    if (precision == TimeText::millis)
        std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
    else
        std::snprintf(buf + n, sizeof buf - n, "Z");
    return buf;
}

} // namespace wb::store
