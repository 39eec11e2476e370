// The worker's outbox: one file per job whose report is not yet delivered
// (<cache>/outbox/<job>.json, written atomically before the first post,
// removed once the server has answered for it). A worker that starts finds
// what an earlier run left and delivers it first.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wb::worker {

class Outbox {
  public:
    explicit Outbox(std::filesystem::path dir);

    void save(std::int64_t job, const std::string& body);
    // The saved body, unless another thread is delivering it now (then
    // nothing: that thread answers for it). Claims it until remove() or
    // release().
    std::optional<std::string> load(std::int64_t job);
    void remove(std::int64_t job);             // delivered: gone, and unclaimed
    void release(std::int64_t job);            // not delivered: kept, and unclaimed
    std::vector<std::int64_t> pending() const; // oldest job first

  private:
    std::filesystem::path file(std::int64_t job) const;
    std::filesystem::path dir_;
    std::mutex mu_;
    std::set<std::int64_t> claimed_;
};

} // namespace wb::worker
