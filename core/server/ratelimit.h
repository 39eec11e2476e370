// At most one submission or grade request per user per interval (3 s by
// default; the seed's limiter). In memory: a restart forgets it, which at
// worst lets one extra request through.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace wb::server {

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    explicit RateLimiter(double interval_s)
        : interval_(std::chrono::duration<double>(interval_s)) {}

    // Takes the user's slot, or says how many seconds to wait (rounded up).
    std::optional<int> acquire(std::int64_t user_id);
    // Gives the slot back: the request it was taken for was refused, so it
    // should not count against the user.
    void release(std::int64_t user_id);

  private:
    struct Entry {
        Clock::time_point last;
        Clock::time_point previous;
    };
    std::chrono::duration<double> interval_;
    std::mutex mutex_;
    std::unordered_map<std::int64_t, Entry> last_;
};

} // namespace wb::server
