// ExecPlan: argv, envp and the PATH candidates laid out before the fork.
#include "sandbox/exec_plan.h"

#include <string_view>

namespace wb::sandbox::detail {
namespace {

bool has_nul(const std::string& s) {
    return s.find('\0') != std::string::npos;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

} // namespace

std::string ExecPlan::build(const std::vector<std::string>& argv,
                            const std::vector<std::string>& env) {
    if (argv.empty()) return "nothing to execute: argv is empty";
    if (argv.front().empty()) return "nothing to execute: the program name is empty";
    for (const auto& a : argv)
        if (has_nul(a)) return "an argument of '" + argv.front() + "' contains a NUL byte";
    for (const auto& e : env)
        if (has_nul(e))
            return "an environment entry for '" + argv.front() + "' contains a NUL byte";

    args_ = argv;
    env_ = env;
    const std::string& program = args_.front();
    if (program.find('/') != std::string::npos) {
        candidates_.push_back(program);
    } else {
        std::string_view path = default_path;
        for (const auto& e : env_) // the first PATH wins, as with getenv
            if (e.starts_with("PATH=")) {
                path = std::string_view(e).substr(5);
                break;
            }
        for (;;) {
            auto colon = path.find(':');
            std::string_view dir = path.substr(0, colon);
            // An empty element is the current directory, as execvp has it.
            candidates_.push_back(dir.empty() ? program : std::string(dir) + "/" + program);
            if (colon == std::string_view::npos) break;
            path.remove_prefix(colon + 1);
        }
    }
    argv_ = pointers(args_);
    envp_ = pointers(env_);
    for (const auto& c : candidates_)
        candidate_ptrs_.push_back(c.c_str());
    candidate_ptrs_.push_back(nullptr);
    return {};
}

} // namespace wb::sandbox::detail
