// UniqueFd: the one owner of a file descriptor.
//
// Every descriptor the sandbox opens in the parent is held by one of these, so
// an early return (an error, an exception) closes it and the parent never
// leaks descriptors, run after run. Move-only: ownership is passed with &&.
// Not for use between fork and execve (the child closes by number instead).
#pragma once

#include <unistd.h>

#include <utility>

namespace wb::sandbox::detail {

class UniqueFd {
  public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }

    // Gives the descriptor up without closing it.
    int release() noexcept { return std::exchange(fd_, -1); }

    // Closes the held descriptor (if any) and holds `fd` instead.
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

  private:
    int fd_ = -1;
};

} // namespace wb::sandbox::detail
