// Prepared state: what runs make once and keep between runs and processes,
// in one directory of root's, /run/wbtool (0700; a tmpfs, so it is gone at
// the next boot). It holds the shared namespaces (namespaces.h), the
// compiled seccomp filters (seccomp.h), the sandbox's /dev (mounts.h,
// kept_dev) and the lock that serialises their making. Nothing in it is
// visible to a sandboxed program: its root is built from binds and /run is
// not one of them (the /dev only as its /dev, read-only). release_prepared()
// (sandbox.h) removes it all.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wb::sandbox::detail {

inline constexpr const char* prepared_dir = "/run/wbtool";
inline constexpr const char* prepared_lock = "/run/wbtool/lock";

// Makes /run/wbtool if needed; true when it is a directory of root's, mode
// 0700, not a link, and this process is root: only then is anything in it
// trusted or written.
bool prepared_dir_ready() noexcept;

// An exclusive lock over making or removing prepared state, held until the
// object is destroyed (flock on /run/wbtool/lock). Not held if the directory
// is not ready.
// The name of prepared state that depends on what made it (the rules of a
// filter, the binds of a kept root): a hash of those, so that a change
// gives another name instead of stale state.
class PreparedKey {
  public:
    // Adds one text (its end is marked: "ab","c" and "a","bc" differ).
    void mix(std::string_view text) noexcept;
    // /run/wbtool/<prefix><16 hex digits><suffix>
    std::string path(std::string_view prefix, std::string_view suffix = {}) const;

  private:
    std::uint64_t h_ = 1469598103934665603ull; // FNV-1a
};

// Removes every entry of `dir` (/run/wbtool, or a directory in it) whose
// name starts with `prefix`, each unmounted first (lazily) if `mounted`;
// "" or the first problem.
std::string remove_prepared(std::string_view prefix, bool mounted, const char* dir = prepared_dir);

class PreparedLock {
  public:
    PreparedLock() noexcept;
    ~PreparedLock();
    PreparedLock(const PreparedLock&) = delete;
    PreparedLock& operator=(const PreparedLock&) = delete;
    bool held() const noexcept { return fd_ >= 0; }

  private:
    int fd_ = -1;
};

} // namespace wb::sandbox::detail
