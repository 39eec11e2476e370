// Per-user rate limiting (see ratelimit.h).
#include "core/server/ratelimit.h"

#include <cmath>

namespace wb::server {

std::optional<int> RateLimiter::acquire(std::int64_t user_id) {
    if (interval_.count() <= 0) return std::nullopt;
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    auto [it, inserted] = last_.try_emplace(user_id, Entry{now, Clock::time_point{}});
    if (inserted) return std::nullopt;
    const auto since = now - it->second.last;
    if (since < interval_) {
        const double wait = std::chrono::duration<double>(interval_ - since).count();
        return std::max(1, static_cast<int>(std::ceil(wait)));
    }
    it->second.previous = it->second.last;
    it->second.last = now;
    return std::nullopt;
}

void RateLimiter::release(std::int64_t user_id) {
    if (interval_.count() <= 0) return;
    std::lock_guard lock(mutex_);
    auto it = last_.find(user_id);
    if (it == last_.end()) return;
    if (it->second.previous == Clock::time_point{})
        last_.erase(it);
    else
        it->second.last = it->second.previous;
}

} // namespace wb::server
