// The arena and the deep copies of a plan into it. See arena.h.
#include "sandbox/arena.h"

#include "sandbox/keeper.h"
#include "sandbox/mounts.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace wb::sandbox::detail {

SysResult<PlanArena> PlanArena::create(std::size_t bytes, bool shared) {
    const int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_NORESERVE;
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED) {
        int e = errno;
        return sys_error("cannot map the sandbox's plan arena", e);
    }
    PlanArena a;
    a.base_ = static_cast<char*>(p);
    a.size_ = bytes;
    return a;
}

PlanArena::PlanArena(PlanArena&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)), size_(std::exchange(other.size_, 0)),
      used_(std::exchange(other.used_, 0)), full_(std::exchange(other.full_, false)) {}

PlanArena& PlanArena::operator=(PlanArena&& other) noexcept {
    if (this != &other) {
        if (base_) munmap(base_, size_);
        base_ = std::exchange(other.base_, nullptr);
        size_ = std::exchange(other.size_, 0);
        used_ = std::exchange(other.used_, 0);
        full_ = std::exchange(other.full_, false);
    }
    return *this;
}

PlanArena::~PlanArena() {
    if (base_) munmap(base_, size_);
}

void* PlanArena::allocate(std::size_t n) noexcept {
    constexpr std::size_t align = alignof(std::max_align_t);
    const std::size_t start = (used_ + align - 1) / align * align;
    if (!base_ || start > size_ || n > size_ - start) {
        full_ = true;
        return nullptr;
    }
    used_ = start + n;
    return base_ + start;
}

const char* PlanArena::copy(const char* text) noexcept {
    if (!text) return nullptr;
    const std::size_t n = std::strlen(text) + 1;
    auto* out = static_cast<char*>(allocate(n));
    if (out) std::memcpy(out, text, n);
    return out;
}

namespace {

// A null-terminated array of strings (argv, envp), or `count` of them.
char* const* copy_strings(char* const* list, PlanArena& arena) {
    std::size_t n = 0;
    while (list[n])
        ++n;
    auto** out = static_cast<char**>(arena.allocate((n + 1) * sizeof(char*)));
    if (!out) return nullptr;
    for (std::size_t i = 0; i < n; ++i)
        out[i] = const_cast<char*>(arena.copy(list[i]));
    out[n] = nullptr;
    return out;
}

template <class T> T* copy_array(const T* items, std::size_t n, PlanArena& arena) {
    if (!items || n == 0) return nullptr;
    auto* out = static_cast<T*>(arena.allocate(n * sizeof(T)));
    if (out) std::memcpy(static_cast<void*>(out), items, n * sizeof(T));
    return out;
}

} // namespace

const MountPlan* copy_mount_plan(const MountPlan& plan, PlanArena& arena, bool base_only) {
    auto* out = static_cast<MountPlan*>(arena.allocate(sizeof(MountPlan)));
    if (!out) return nullptr;
    *out = plan;
    if (base_only) out->count = plan.base_count;
    MountOp* ops = copy_array(plan.ops, out->count, arena);
    for (std::size_t i = 0; ops && i < out->count; ++i) {
        ops[i].source = arena.copy(plan.ops[i].source);
        ops[i].target = arena.copy(plan.ops[i].target);
    }
    out->ops = ops;
    out->root = arena.copy(plan.root);
    out->etc_dir = arena.copy(plan.etc_dir);
    out->passwd = arena.copy(plan.passwd);
    out->passwd_text = arena.copy(plan.passwd_text);
    out->group = arena.copy(plan.group);
    out->group_text = arena.copy(plan.group_text);
    out->tmpfs_options = arena.copy(plan.tmpfs_options);
    out->kept_root = arena.copy(plan.kept_root);
    return arena.full() ? nullptr : out;
}

ChildPlan* copy_child_plan(const ChildPlan& plan, PlanArena& arena) {
    auto* out = static_cast<ChildPlan*>(arena.allocate(sizeof(ChildPlan)));
    if (!out) return nullptr;
    *out = plan;
    out->argv = copy_strings(plan.argv, arena);
    out->envp = copy_strings(plan.envp, arena);
    auto** candidates =
        static_cast<const char**>(arena.allocate(plan.candidate_count * sizeof(char*) + 1));
    for (std::size_t i = 0; candidates && i < plan.candidate_count; ++i)
        candidates[i] = arena.copy(plan.candidates[i]);
    out->candidates = candidates;
    out->workdir = arena.copy(plan.workdir);
    if (plan.mounts) out->mounts = copy_mount_plan(*plan.mounts, arena);
    if (plan.seccomp) out->seccomp = copy_filter(*plan.seccomp, arena);
    return arena.full() ? nullptr : out;
}

const sock_fprog* copy_filter(const sock_fprog& filter, PlanArena& arena) {
    auto* prog = static_cast<sock_fprog*>(arena.allocate(sizeof(sock_fprog)));
    if (!prog) return nullptr;
    prog->len = filter.len;
    prog->filter = copy_array(filter.filter, filter.len, arena);
    return arena.full() ? nullptr : prog;
}

} // namespace wb::sandbox::detail
