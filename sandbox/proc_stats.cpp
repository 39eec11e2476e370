// Reading /proc/<pid>/stat and /proc/<pid>/status, one process or a tree.
// See proc_stats.h for what is counted and why.
#include "sandbox/proc_stats.h"

#include "sandbox/dirscan.h"
#include "sandbox/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace wb::sandbox::detail {
namespace {

// Reads a small file (relative to dirfd) into buf, NUL-terminated.
bool read_small(int dirfd, const char* path, char* buf, std::size_t cap) {
    UniqueFd fd(openat(dirfd, path, O_RDONLY | O_CLOEXEC));
    if (!fd) return false;
    long n = read(fd.get(), buf, cap - 1);
    if (n < 0) return false;
    buf[n] = '\0';
    return true;
}

double ticks_per_second() {
    static const double hz = [] {
        long t = sysconf(_SC_CLK_TCK);
        return t > 0 ? static_cast<double>(t) : 100.0;
    }();
    return hz;
}

struct StatFields {
    char state = '?';
    long ppid = 0, pgrp = 0, threads = 0;
    unsigned long long own_ticks = 0;    // utime + stime
    unsigned long long reaped_ticks = 0; // cutime + cstime
};

// Parses <dir>/<pid>/stat. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from the last ')'.
bool read_stat(int dirfd, const char* prefix, long pid, StatFields& out) {
    char path[64], buf[1024];
    std::snprintf(path, sizeof path, "%s%ld/stat", prefix, pid);
    if (!read_small(dirfd, path, buf, sizeof buf)) return false;
    const char* p = std::strrchr(buf, ')');
    if (!p || p[1] != ' ' || p[2] == '\0') return false;
    out.state = p[2];
    unsigned long long field[21] = {}; // field[i]: the i-th field of stat(5), from 4
    const char* q = p + 3;
    for (int i = 4; i <= 20; ++i) {
        char* end = nullptr;
        field[i] = std::strtoull(q, &end, 10);
        if (end == q) return false;
        q = end;
    }
    out.ppid = static_cast<long>(field[4]);
    out.pgrp = static_cast<long>(field[5]);
    out.own_ticks = field[14] + field[15];
    out.reaped_ticks = field[16] + field[17];
    out.threads = static_cast<long>(field[20]);
    return true;
}

std::uint64_t status_kib(std::string_view text, std::string_view key) {
    auto at = text.find(key);
    if (at == std::string_view::npos) return 0;
    return std::strtoull(text.data() + at + key.size(), nullptr, 10);
}

void read_memory(int dirfd, const char* prefix, long pid, ProcessUsage& u) {
    char path[64], buf[4096];
    std::snprintf(path, sizeof path, "%s%ld/status", prefix, pid);
    if (!read_small(dirfd, path, buf, sizeof buf)) return;
    std::string_view text(buf);
    u.memory_kib = status_kib(text, "\nRssAnon:") + status_kib(text, "\nRssShmem:");
    u.data_kib = status_kib(text, "\nVmData:");
}

double seconds(unsigned long long ticks) {
    return static_cast<double>(ticks) / ticks_per_second();
}

ProcessUsage usage_of(const StatFields& f) {
    ProcessUsage u;
    u.cpu_s = seconds(f.own_ticks + f.reaped_ticks);
    u.ppid = static_cast<pid_t>(f.ppid);
    u.pgrp = static_cast<pid_t>(f.pgrp);
    return u;
}

} // namespace

std::optional<ProcessUsage> read_process(pid_t pid, bool memory) {
    StatFields f;
    if (!read_stat(AT_FDCWD, "/proc/", pid, f)) return std::nullopt;
    ProcessUsage u = usage_of(f);
    if (memory && f.state != 'Z') read_memory(AT_FDCWD, "/proc/", pid, u);
    return u;
}

TreeUsage read_tree(pid_t pgrp, pid_t keeper) {
    TreeUsage tree;
    UniqueFd proc(open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!proc) return tree;
    for_each_numeric_entry(proc.get(), [&](long pid) {
        StatFields f;
        if (!read_stat(proc.get(), "", pid, f)) return;
        if (pid == keeper) { // it runs nothing itself; what it reaped counts
            tree.cpu_s += seconds(f.reaped_ticks);
            return;
        }
        if (f.pgrp != pgrp && f.ppid != keeper) return;
        ProcessUsage u = usage_of(f);
        if (f.state != 'Z') read_memory(proc.get(), "", pid, u);
        tree.cpu_s += u.cpu_s;
        tree.memory_kib += u.memory_kib;
        if (u.data_kib > tree.max_data_kib) tree.max_data_kib = u.data_kib;
        ++tree.processes;
    });
    return tree;
}

std::uint64_t count_tasks_of_user(uid_t uid) {
    UniqueFd proc(open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!proc) return 0;
    std::uint64_t tasks = 0;
    for_each_numeric_entry(proc.get(), [&](long pid) {
        char name[24];
        std::snprintf(name, sizeof name, "%ld", pid);
        struct stat st {};
        StatFields f;
        if (fstatat(proc.get(), name, &st, 0) != 0 || st.st_uid != uid) return;
        if (read_stat(proc.get(), "", pid, f)) tasks += f.threads > 0 ? f.threads : 1;
    });
    return tasks;
}

} // namespace wb::sandbox::detail
