// Prepared state: the directory and its lock. See prepared.h.
#include "sandbox/prepared.h"

#include "sandbox/syscall_result.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <dirent.h>

namespace wb::sandbox::detail {

bool prepared_dir_ready() noexcept {
    if (geteuid() != 0) return false;
    if (mkdir(prepared_dir, 0700) != 0 && errno != EEXIST) return false;
    struct stat st {};
    return lstat(prepared_dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
           (st.st_mode & 077) == 0;
}

void PreparedKey::mix(std::string_view text) noexcept {
    for (unsigned char c : text) {
        h_ ^= c;
        h_ *= 1099511628211ull;
    }
    h_ ^= 0xff;
    h_ *= 1099511628211ull;
}

std::string PreparedKey::path(std::string_view prefix, std::string_view suffix) const {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h_));
    std::string out = prepared_dir;
    out += '/';
    out += prefix;
    out += hex;
    out += suffix;
    return out;
}

std::string remove_prepared(std::string_view prefix, bool mounted, const char* dir) {
    std::string problem;
    DIR* d = opendir(dir);
    if (!d) return problem;
    while (dirent* e = readdir(d)) {
        const std::string name = e->d_name;
        if (name.rfind(prefix, 0) != 0) continue;
        const std::string path = std::string(dir) + "/" + name;
        if (mounted && umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && problem.empty())
            problem = "cannot unmount " + path + ": " + errno_text(errno);
        if (unlinkat(dirfd(d), name.c_str(), 0) != 0 && errno != ENOENT && problem.empty())
            problem = "cannot remove " + path + ": " + errno_text(errno);
    }
    closedir(d);
    return problem;
}

PreparedLock::PreparedLock() noexcept {
    if (!prepared_dir_ready()) return;
    fd_ = ::open(prepared_lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ >= 0 && flock(fd_, LOCK_EX) != 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

PreparedLock::~PreparedLock() {
    if (fd_ >= 0) ::close(fd_); // and the lock with it
}

} // namespace wb::sandbox::detail
