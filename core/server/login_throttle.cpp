// Password guessing, slowed (see login_throttle.h).
#include "core/server/login_throttle.h"

#include <algorithm>
#include <cmath>

namespace wb::server {

namespace {

constexpr auto quiet_forget = std::chrono::minutes(15);
constexpr std::size_t prune_above = 10000; // entries before quiet ones are swept
constexpr int address_factor = 4;

int seconds_up(std::chrono::steady_clock::duration d) {
    return std::max(1, static_cast<int>(std::ceil(std::chrono::duration<double>(d).count())));
}

} // namespace

LoginThrottle::LoginThrottle(int free_failures, double max_delay_s)
    : free_failures_(std::max(1, free_failures)),
      max_delay_(static_cast<std::int64_t>(std::max(0.0, max_delay_s) * 1000)) {}

LoginThrottle::Entry& LoginThrottle::entry(const std::string& key, Clock::time_point now) {
    auto& e = entries_[key];
    if (e.failures > 0 && now - e.last > quiet_forget) e = Entry{};
    return e;
}

std::optional<int> LoginThrottle::blocked(const std::string& account, const std::string& address) {
    if (max_delay_.count() == 0) return std::nullopt;
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    const auto until_of = [&](const std::string& key) {
        const auto it = entries_.find(key); // not made here: most logins never fail
        return it == entries_.end() ? Clock::time_point{} : it->second.until;
    };
    const auto until = std::max(until_of("a:" + account), until_of("ip:" + address));
    if (until <= now) return std::nullopt;
    return seconds_up(until - now);
}

// 1 s after the first failure past the free ones, doubling, capped.
std::chrono::milliseconds LoginThrottle::count_failure(Entry& e, int free,
                                                       Clock::time_point now) const {
    ++e.failures;
    e.last = now;
    if (e.failures <= free) return std::chrono::milliseconds(0);
    const int doublings = std::min(e.failures - free - 1, 20);
    const auto delay = std::min(max_delay_, std::chrono::milliseconds(1000LL << doublings));
    e.until = now + delay;
    return delay;
}

LoginThrottle::Failure LoginThrottle::failed(const std::string& account,
                                             const std::string& address) {
    if (max_delay_.count() == 0) return {};
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    forget_quiet(now);
    auto& a = entry("a:" + account, now);
    auto& ip = entry("ip:" + address, now);
    const auto delay = std::max(count_failure(a, free_failures_, now),
                                count_failure(ip, free_failures_ * address_factor, now));
    return {a.failures, ip.failures, delay.count() == 0 ? 0 : seconds_up(delay)};
}

void LoginThrottle::succeeded(const std::string& account, const std::string& address) {
    std::lock_guard lock(mutex_);
    entries_.erase("a:" + account);
    entries_.erase("ip:" + address);
}

// Many names or addresses (a scan) must not grow the map without bound.
void LoginThrottle::forget_quiet(Clock::time_point now) {
    if (entries_.size() <= prune_above) return;
    std::erase_if(entries_, [now](const auto& kv) {
        return kv.second.until <= now && now - kv.second.last > quiet_forget;
    });
}

} // namespace wb::server
