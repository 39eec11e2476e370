// The arena: memory for a run's plan that a keeper made ahead can read.
//
// A keeper made before its run (spares.h) has a copy of wbtool's memory
// from the moment it was cloned, so a plan built afterwards is not in it.
// Its arena is a MAP_SHARED mapping made before the clone: it is at the
// same address in both processes, so the parent copies the plan into it,
// plain pointers and all, and the keeper reads it there once the plan
// message (keeper.h) tells it to. Descriptors travel in the message itself.
// A keeper cloned for its run needs none: the plan is already in its copy.
#pragma once

#include "sandbox/syscall_result.h"

#include <linux/filter.h>

#include <cstddef>

namespace wb::sandbox::detail {

struct ChildPlan;
struct MountPlan;

class PlanArena {
  public:
    // `shared`: MAP_SHARED (for a keeper cloned afterwards), else private.
    static SysResult<PlanArena> create(std::size_t bytes, bool shared);
    PlanArena() = default;
    PlanArena(PlanArena&& other) noexcept;
    PlanArena& operator=(PlanArena&& other) noexcept;
    PlanArena(const PlanArena&) = delete;
    PlanArena& operator=(const PlanArena&) = delete;
    ~PlanArena();

    // `n` bytes aligned for any type; nullptr when the arena is full.
    void* allocate(std::size_t n) noexcept;
    // A copy of `text` (nullptr stays nullptr); nullptr when full.
    const char* copy(const char* text) noexcept;
    bool full() const noexcept { return full_; }

  private:
    char* base_ = nullptr;
    std::size_t size_ = 0, used_ = 0;
    bool full_ = false;
};

// Deep copies into `arena`: every string and array the plan points to.
// nullptr when the arena is too small. copy_mount_plan with `base_only`
// copies the base (ops[0, base_count)) and leaves out the rest. The run
// filter names the address of the argv it lets execve have (seccomp.h), so
// a plan's copy gets a filter made for its own argv: copied without one,
// then given it with copy_filter.
ChildPlan* copy_child_plan(const ChildPlan& plan, PlanArena& arena);
const MountPlan* copy_mount_plan(const MountPlan& plan, PlanArena& arena, bool base_only = false);
const sock_fprog* copy_filter(const sock_fprog& filter, PlanArena& arena);

} // namespace wb::sandbox::detail
