// SysResult<T>: a value, or the system call that failed and its errno.
//
// The lower of the two error tiers: helpers that wrap system calls return one
// of these and the caller must look at it ([[nodiscard]]); the orchestrator
// turns a failure into a Result with status internal_error and a message that
// names the action, the file and the errno text. No exceptions down here, so
// a failed open or fork is just a value on its way up.
#pragma once

#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace wb::sandbox::detail {

// strerror's text without strerror's shared buffer (safe from any thread).
inline std::string errno_text(int err) {
    const char* text = strerrordesc_np(err);
    return text ? std::string(text) : "error " + std::to_string(err);
}

struct SysError {
    std::string what; // what could not be done, e.g. "cannot open stdin file '/x'"
    int err = 0;      // the errno it failed with
    std::string message() const { return what + ": " + errno_text(err); }
};

// Callers read errno into a local first: building `what` may allocate and
// allocating may change errno.
inline SysError sys_error(std::string what, int err) {
    return SysError{std::move(what), err};
}

template <class T> class [[nodiscard]] SysResult {
  public:
    SysResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    SysResult(SysError error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    const SysError& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, SysError> v_;
};

template <> class [[nodiscard]] SysResult<void> {
  public:
    SysResult() = default;
    SysResult(SysError error) : error_(std::move(error)) {}

    bool ok() const noexcept { return !error_; }
    explicit operator bool() const noexcept { return ok(); }
    const SysError& error() const { return *error_; }

  private:
    std::optional<SysError> error_;
};

} // namespace wb::sandbox::detail
