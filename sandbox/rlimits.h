// Resource limits (setrlimit): planned in the parent, applied in the child.
//
// rlimits are per process, not per tree, and some are blunt; in this engine
// they are the backstops behind the limits the parent enforces by watching
// the tree (supervise.cpp). The choices, and why:
//
// - CPU: soft ceil(cpu_s) + 1 (SIGXCPU), hard one more (SIGKILL). The parent
//   stops the tree at cpu_s; this only catches a program the parent missed.
// - Memory: RLIMIT_DATA, not RLIMIT_AS. RLIMIT_AS counts every reserved
//   address, and the CUDA runtime reserves terabytes of address space it never
//   touches (as do ASan and the JVM), so RLIMIT_AS breaks them. RLIMIT_DATA
//   (Linux >= 4.7) counts private writable mappings: heap, anonymous mmap,
//   thread stacks. Thread stacks are counted whole though rarely touched, and
//   glibc sizes them from RLIMIT_STACK (below), so an exact RLIMIT_DATA
//   would refuse a program with a big stack rlimit its eighth thread. It is set
//   to the limit plus data_headroom_kib; the limit itself is enforced by the
//   parent on the resident memory of the tree, which is also what the cgroup
//   engine will measure.
// - Stack: RLIMIT_STACK = stack_kib, or unlimited when 0 (the default).
//   The one rlimit does two jobs: it bounds the main thread's stack, and
//   glibc sizes every default pthread stack from it (read once at start-up).
//   A finite big value (the 64 MiB this used to be) made each of 16 threads
//   reserve 64 MiB and a threaded program abort under RLIMIT_DATA; a small
//   one (8 MiB) starves recursive programs. Unlimited does both right: the
//   main thread's stack may grow until the memory limit stops the program
//   (its pages are resident memory, which the parent or the cgroup
//   measures), and glibc, finding no usable limit, gives threads its
//   architecture's default (2 MiB on x86-64, 8 MiB on arm64).
// - Processes: RLIMIT_NPROC counts every process and thread of the real uid,
//   system-wide, and root is exempt. As root it enforces nothing (the
//   isolation engine will use a pids cgroup and a uid of its own); as another
//   user the tasks that uid already runs are added, so that a busy desktop
//   does not leave the program without a thread.
// - Files: RLIMIT_FSIZE = max(file_bytes, output_bytes) (stdout may be a file
//   too); RLIMIT_NOFILE = open_files; RLIMIT_CORE = 0.
//
// A limit of 0 means none, for every field. As root the program may raise
// its own limits (CAP_SYS_RESOURCE): rlimits are not a security boundary.
#pragma once

#include "sandbox/policy.h"

#include <sys/resource.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace wb::sandbox::detail {

// Address space allowed above the memory limit for reserved, untouched
// memory: thread stacks (all the larger when stack_kib is set) and malloc
// arenas.
inline constexpr std::uint64_t data_headroom_kib = 1024 * 1024;

struct RlimitSetting {
    int resource = 0;
    rlim_t soft = 0;
    rlim_t hard = 0;
};

// Plain data, copied into the child: applying it allocates nothing.
struct RlimitPlan {
    std::array<RlimitSetting, 8> items{};
    std::size_t count = 0;
    const RlimitSetting* find(int resource) const noexcept;
};

// The rlimits for `limits`. `tasks_already` is how many tasks the real uid
// runs now (added to RLIMIT_NPROC; 0 for root).
RlimitPlan plan_rlimits(const Limits& limits, std::uint64_t tasks_already = 0);

// The RLIMIT_DATA value in KiB (0 = none), for the memory heuristic.
std::uint64_t data_limit_kib(const Limits& limits) noexcept;

// Child side: applies the plan, never raising a hard limit above the one
// inherited (which a non-root process could not do). Returns 0 or an errno,
// with the resource that failed in *failed.
int apply_rlimits(const RlimitPlan& plan, int* failed) noexcept;

// "RLIMIT_CPU" etc., for messages.
const char* rlimit_name(int resource) noexcept;

} // namespace wb::sandbox::detail
