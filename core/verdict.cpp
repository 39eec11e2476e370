// Verdict names and the mapping from sandbox statuses.
#include "core/verdict.h"

namespace wb::core {

std::string_view to_string(Verdict v) {
    switch (v) {
    case Verdict::correct:
        return "correct";
    case Verdict::wrong_answer:
        return "wrong_answer";
    case Verdict::compile_error:
        return "compile_error";
    case Verdict::forbidden_keyword:
        return "forbidden_keyword";
    case Verdict::time_limit:
        return "time_limit";
    case Verdict::memory_limit:
        return "memory_limit";
    case Verdict::output_limit:
        return "output_limit";
    case Verdict::runtime_error:
        return "runtime_error";
    case Verdict::forbidden_syscall:
        return "forbidden_syscall";
    case Verdict::internal_error:
        return "internal_error";
    }
    return "internal_error";
}

Verdict verdict_for(sandbox::Status s) {
    switch (s) {
    case sandbox::Status::ok:
        return Verdict::correct;
    case sandbox::Status::runtime_error:
    case sandbox::Status::signaled:
        return Verdict::runtime_error;
    case sandbox::Status::time_limit:
    case sandbox::Status::wall_time_limit:
        return Verdict::time_limit;
    case sandbox::Status::memory_limit:
        return Verdict::memory_limit;
    case sandbox::Status::output_limit:
        return Verdict::output_limit;
    case sandbox::Status::forbidden_syscall:
        return Verdict::forbidden_syscall;
    case sandbox::Status::internal_error:
        return Verdict::internal_error;
    }
    return Verdict::internal_error;
}

std::optional<Verdict> verdict_from_name(std::string_view name) {
    for (int v = 0; v <= static_cast<int>(Verdict::internal_error); ++v) {
        if (to_string(static_cast<Verdict>(v)) == name) return static_cast<Verdict>(v);
    }
    return std::nullopt;
}

} // namespace wb::core
