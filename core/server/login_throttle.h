// Password guessing, slowed per account and per client address.
//
// Each wrong password counts against the account named (whether or not it
// exists, so the answer does not tell) and against the address it came
// from. Past `free_failures` for an account (4 times that for an address,
// which a lab behind one NAT shares), every further failure blocks the
// next try for 1, 2, 4, ... seconds, capped at `max_delay`: login answers
// 429 with Retry-After, without running argon2id, and tries refused so do
// not count. The cap is what a stranger can cost a real user: at most
// `max_delay` at a time, after which one try goes through. A success clears
// the account and the address; failures are forgotten after 15 minutes of
// quiet. In memory, like RateLimiter: a restart forgets it.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace wb::server {

class LoginThrottle {
  public:
    using Clock = std::chrono::steady_clock;
    LoginThrottle(int free_failures, double max_delay_s);

    // Seconds to wait (rounded up) when either is blocked now.
    std::optional<int> blocked(const std::string& account, const std::string& address);

    // What a failure did: the counts, and the block it starts (0: none).
    struct Failure {
        int account_failures = 0;
        int address_failures = 0;
        int delay_s = 0;
    };
    Failure failed(const std::string& account, const std::string& address);
    void succeeded(const std::string& account, const std::string& address);

  private:
    struct Entry {
        int failures = 0;
        Clock::time_point last;
        Clock::time_point until;
    };
    Entry& entry(const std::string& key, Clock::time_point now);
    std::chrono::milliseconds count_failure(Entry& e, int free, Clock::time_point now) const;
    void forget_quiet(Clock::time_point now);

    int free_failures_;
    std::chrono::milliseconds max_delay_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_; // "a:" account, "ip:" address
};

} // namespace wb::server
