// Reading a running tree's CPU time and memory from /proc (parent side).
//
// With rlimits only there is no cgroup to ask, so the parent samples /proc
// while the program runs: the program's own entry often (cheap: two small
// reads), and every process of the tree now and then (a scan of /proc, which
// costs in proportion to all processes on the machine). The tree is the
// program's process group plus the keeper's direct children (orphans that the
// keeper, a subreaper, adopted), plus what the keeper already reaped.
//
// CPU is utime + stime + cutime + cstime: a process's own time plus that of
// the children it has waited for. Summed over the live members of a tree it
// counts nothing twice: a child's time moves into its parent's cutime only
// when the child is reaped, and then the child is gone. Memory is RssAnon +
// RssShmem: what the processes allocated themselves, not the shared library
// pages they map (several MiB for libc, far more for the CUDA libraries),
// which the tree does not own.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace wb::sandbox::detail {

struct ProcessUsage {
    double cpu_s = 0;             // self and reaped children, user + system
    std::uint64_t memory_kib = 0; // RssAnon + RssShmem
    std::uint64_t data_kib = 0;   // VmData: what RLIMIT_DATA counts
    pid_t ppid = 0;
    pid_t pgrp = 0;
};

// One process, or nothing if it is gone (or /proc is not there). Memory is
// read only when `memory` (it is a second file).
std::optional<ProcessUsage> read_process(pid_t pid, bool memory);

struct TreeUsage {
    double cpu_s = 0;
    std::uint64_t memory_kib = 0;   // summed over the live processes
    std::uint64_t max_data_kib = 0; // the largest VmData of one process
    unsigned processes = 0;
};

// Every process in process group `pgrp` or whose parent is `keeper`, plus the
// keeper's reaped children.
TreeUsage read_tree(pid_t pgrp, pid_t keeper);

// How many tasks (threads) the user `uid` runs now, by the owners of /proc
// entries: an estimate of what RLIMIT_NPROC will count for it.
std::uint64_t count_tasks_of_user(uid_t uid);

} // namespace wb::sandbox::detail
