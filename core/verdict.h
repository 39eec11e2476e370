// Verdicts: what grading says about a program, per dataset and overall.
#pragma once

#include "sandbox/sandbox.h"

#include <optional>
#include <string_view>

namespace wb::core {

enum class Verdict {
    correct,
    wrong_answer,
    compile_error,
    forbidden_keyword,
    time_limit,
    memory_limit,
    output_limit,
    runtime_error,
    forbidden_syscall,
    internal_error,
};

std::string_view to_string(Verdict v);
// The verdict of that name, or nothing.
std::optional<Verdict> verdict_from_name(std::string_view name);

// The verdict for a run that did not end well (status != ok).
Verdict verdict_for(sandbox::Status s);

} // namespace wb::core
