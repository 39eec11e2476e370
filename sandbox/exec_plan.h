// ExecPlan: what the child passes to execve, built in the parent.
//
// The child may not allocate (it is forked from a multi-threaded process), so
// argv, the environment and the list of paths to try are all laid out here as
// NUL-terminated arrays before the fork. A program name without a slash is
// looked up in the PATH of the policy's environment (never wbtool's own),
// default "/usr/local/bin:/usr/bin:/bin"; the child tries the candidates in
// order, like execvp, relative ones from inside the work directory.
#pragma once

#include <string>
#include <vector>

namespace wb::sandbox::detail {

inline constexpr const char* default_path = "/usr/local/bin:/usr/bin:/bin";

class ExecPlan {
  public:
    ExecPlan() = default;
    // The char* arrays point into the strings: no copies, no moves.
    ExecPlan(const ExecPlan&) = delete;
    ExecPlan& operator=(const ExecPlan&) = delete;

    // Fills the plan. Returns an empty string, or what is wrong with argv or
    // env (empty argv, an empty name, a NUL byte inside a string).
    std::string build(const std::vector<std::string>& argv, const std::vector<std::string>& env);

    const std::string& name() const { return args_.front(); }
    char* const* argv() const { return argv_.data(); }
    char* const* envp() const { return envp_.data(); }
    const char* const* candidates() const { return candidate_ptrs_.data(); }
    std::size_t candidate_count() const { return candidates_.size(); }

  private:
    std::vector<std::string> args_, env_, candidates_;
    std::vector<char*> argv_, envp_;
    std::vector<const char*> candidate_ptrs_;
};

} // namespace wb::sandbox::detail
