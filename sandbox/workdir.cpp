// The temporary work directory of the rlimits engine (see workdir.h).
#include "sandbox/workdir.h"

#include "sandbox/stale.h"
#include "sandbox/syscall_result.h"

#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string_view>

namespace wb::sandbox::detail {
namespace {

constexpr std::string_view prefix = "wbtool-sandbox-";

// Removes the work directories of wbtool processes that are gone (killed
// before they could clean up): ours only (same owner), never a link.
void sweep_stale(const std::filesystem::path& tmp) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(tmp, ec)) {
        const long pid = owner_pid(entry.path().filename().string(), prefix);
        if (pid == 0 || !process_gone(pid)) continue;
        struct stat st {};
        if (lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
            continue;
        std::error_code ignored;
        std::filesystem::remove_all(entry.path(), ignored);
    }
}

} // namespace

std::string TempWorkdir::make() {
    std::error_code ec;
    const auto tmp = std::filesystem::temp_directory_path(ec);
    if (ec) return "no directory for a temporary work directory: " + ec.message();
    sweep_stale(tmp);
    std::string tmpl =
        (tmp / (std::string(prefix) + std::to_string(getpid()) + "-XXXXXX")).string();
    if (!mkdtemp(tmpl.data()))
        return "cannot create a work directory in " + tmp.string() + ": " + errno_text(errno);
    top_ = tmpl;
    work_ = top_ / "work";
    if (mkdir(work_.c_str(), 0755) != 0) {
        const int e = errno;
        remove();
        return "cannot create a work directory in " + tmpl + ": " + errno_text(e);
    }
    return {};
}

void TempWorkdir::remove() noexcept {
    if (top_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(top_, ec);
    top_.clear();
    work_.clear();
}

} // namespace wb::sandbox::detail
