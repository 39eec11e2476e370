// Resource limits: the plan (parent) and its application (child). The
// choices are explained in rlimits.h.
#include "sandbox/rlimits.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <limits>

namespace wb::sandbox::detail {
namespace {

// n * unit, saturating to RLIM_INFINITY instead of wrapping.
rlim_t scaled(std::uint64_t n, std::uint64_t unit) noexcept {
    if (n > std::numeric_limits<rlim_t>::max() / unit) return RLIM_INFINITY;
    rlim_t v = static_cast<rlim_t>(n * unit);
    return v == RLIM_INFINITY ? RLIM_INFINITY - 1 : v;
}

rlim_t plus(rlim_t a, rlim_t b) noexcept {
    if (a == RLIM_INFINITY || b == RLIM_INFINITY || a > RLIM_INFINITY - 1 - b) return RLIM_INFINITY;
    return a + b;
}

void add(RlimitPlan& plan, int resource, rlim_t soft, rlim_t hard) noexcept {
    plan.items[plan.count++] = RlimitSetting{resource, soft, hard};
}

} // namespace

const RlimitSetting* RlimitPlan::find(int resource) const noexcept {
    for (std::size_t i = 0; i < count; ++i)
        if (items[i].resource == resource) return &items[i];
    return nullptr;
}

std::uint64_t data_limit_kib(const Limits& limits) noexcept {
    if (limits.memory_kib == 0) return 0;
    if (limits.memory_kib > std::numeric_limits<std::uint64_t>::max() - data_headroom_kib)
        return std::numeric_limits<std::uint64_t>::max();
    return limits.memory_kib + data_headroom_kib;
}

RlimitPlan plan_rlimits(const Limits& limits, std::uint64_t tasks_already) {
    RlimitPlan plan;
    if (limits.cpu_s > 0) {
        // Whole seconds only; the parent stops the program at cpu_s itself.
        double soft = std::ceil(limits.cpu_s) + 1;
        rlim_t s = soft >= 1e12 ? RLIM_INFINITY : static_cast<rlim_t>(soft);
        add(plan, RLIMIT_CPU, s, plus(s, 1));
    }
    if (std::uint64_t data = data_limit_kib(limits); data > 0) {
        rlim_t v = scaled(data, 1024);
        add(plan, RLIMIT_DATA, v, v);
    }
    // 0: unlimited, so that glibc gives threads its small default (rlimits.h).
    const rlim_t stack = limits.stack_kib ? scaled(limits.stack_kib, 1024) : RLIM_INFINITY;
    add(plan, RLIMIT_STACK, stack, stack);
    if (limits.processes > 0) {
        rlim_t v = plus(limits.processes, static_cast<rlim_t>(tasks_already));
        add(plan, RLIMIT_NPROC, v, v);
    }
    if (limits.file_bytes > 0 && limits.output_bytes > 0) {
        rlim_t v = scaled(std::max(limits.file_bytes, limits.output_bytes), 1);
        add(plan, RLIMIT_FSIZE, v, v);
    }
    if (limits.open_files > 0) add(plan, RLIMIT_NOFILE, limits.open_files, limits.open_files);
    add(plan, RLIMIT_CORE, 0, 0);
    return plan;
}

int apply_rlimits(const RlimitPlan& plan, int* failed) noexcept {
    for (std::size_t i = 0; i < plan.count; ++i) {
        const RlimitSetting& want = plan.items[i];
        struct rlimit now {};
        struct rlimit set {
            want.soft, want.hard
        };
        if (getrlimit(want.resource, &now) == 0 && now.rlim_max != RLIM_INFINITY) {
            if (set.rlim_max == RLIM_INFINITY || set.rlim_max > now.rlim_max)
                set.rlim_max = now.rlim_max;
            if (set.rlim_cur == RLIM_INFINITY || set.rlim_cur > set.rlim_max)
                set.rlim_cur = set.rlim_max;
        }
        if (setrlimit(want.resource, &set) != 0) {
            *failed = want.resource;
            return errno;
        }
    }
    return 0;
}

const char* rlimit_name(int resource) noexcept {
    switch (resource) {
    case RLIMIT_CPU:
        return "RLIMIT_CPU";
    case RLIMIT_DATA:
        return "RLIMIT_DATA";
    case RLIMIT_STACK:
        return "RLIMIT_STACK";
    case RLIMIT_NPROC:
        return "RLIMIT_NPROC";
    case RLIMIT_FSIZE:
        return "RLIMIT_FSIZE";
    case RLIMIT_NOFILE:
        return "RLIMIT_NOFILE";
    case RLIMIT_CORE:
        return "RLIMIT_CORE";
    default:
        return "an rlimit";
    }
}

} // namespace wb::sandbox::detail
