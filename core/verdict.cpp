// Verdict names and the mapping from sandbox statuses.
#include "core/verdict.h"

#include "core/enum_names.h"

namespace wb::core {

namespace {

constexpr std::array<Named<Verdict>, 10> verdicts = {{
    {Verdict::correct, "correct"},
    {Verdict::wrong_answer, "wrong_answer"},
    {Verdict::compile_error, "compile_error"},
    {Verdict::forbidden_keyword, "forbidden_keyword"},
    {Verdict::time_limit, "time_limit"},
    {Verdict::memory_limit, "memory_limit"},
    {Verdict::output_limit, "output_limit"},
    {Verdict::runtime_error, "runtime_error"},
    {Verdict::forbidden_syscall, "forbidden_syscall"},
    {Verdict::internal_error, "internal_error"},
}};

} // namespace

std::string_view to_string(Verdict v) {
    return name_in(verdicts, v);
}

std::optional<Verdict> verdict_from_name(std::string_view name) {
    return value_in(verdicts, name);
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

} // namespace wb::core
