// Prepared state: the directory and its lock. See prepared.h.
#include "sandbox/prepared.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace wb::sandbox::detail {

bool prepared_dir_ready() noexcept {
    if (geteuid() != 0) return false;
    if (mkdir(prepared_dir, 0700) != 0 && errno != EEXIST) return false;
    struct stat st {};
    return lstat(prepared_dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
           (st.st_mode & 077) == 0;
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
