// What a killed wbtool leaves behind: the run cgroups (cgroups.h) and the
// temporary work directories (workdir.h) a wbtool process makes are named
// <prefix><its pid>-<more>, so that a later process can tell those of
// processes that are gone, and remove them.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>

namespace wb::sandbox::detail {

// The pid in `name` if it is <prefix><pid>-<more> (more not empty), else 0.
inline long owner_pid(const std::string& name, std::string_view prefix) {
    if (name.compare(0, prefix.size(), prefix) != 0) return 0;
    char* end = nullptr;
    const long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);
    return pid > 0 && *end == '-' && end[1] ? pid : 0;
}

// Whether the process `pid` is gone: not this one, and no process of that
// pid in this pid namespace.
inline bool process_gone(long pid) {
    return pid != getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

} // namespace wb::sandbox::detail
