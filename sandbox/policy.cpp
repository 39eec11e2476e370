// The names of the shared types' values, as messages, the JSON of a run and
// the command line spell them (policy.h).
#include "sandbox/policy.h"

namespace wb::sandbox {

std::string_view to_string(Status s) {
    switch (s) {
    case Status::ok:
        return "ok";
    case Status::runtime_error:
        return "runtime_error";
    case Status::signaled:
        return "signaled";
    case Status::time_limit:
        return "time_limit";
    case Status::wall_time_limit:
        return "wall_time_limit";
    case Status::memory_limit:
        return "memory_limit";
    case Status::output_limit:
        return "output_limit";
    case Status::forbidden_syscall:
        return "forbidden_syscall";
    case Status::internal_error:
        return "internal_error";
    }
    return "unknown";
}

std::string_view to_string(Isolation i) {
    switch (i) {
    case Isolation::full:
        return "full";
    case Isolation::userns:
        return "userns";
    case Isolation::rlimits:
        return "rlimits";
    }
    return "unknown";
}

std::string_view to_string(Profile p) {
    switch (p) {
    case Profile::compile:
        return "compile";
    case Profile::run:
        return "run";
    case Profile::cuda:
        return "cuda";
    }
    return "unknown";
}

bool parse_isolation(std::string_view text, Isolation& out) {
    for (Isolation i : {Isolation::full, Isolation::userns, Isolation::rlimits})
        if (text == to_string(i)) {
            out = i;
            return true;
        }
    return false;
}

} // namespace wb::sandbox
