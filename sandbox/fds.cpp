// File descriptors: opening the standard streams (parent) and descriptor
// hygiene between fork and execve (child). See fds.h for the why.
#include "sandbox/fds.h"

#include "sandbox/dirscan.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace wb::sandbox::detail {
namespace {

// Moves `fd` above 0, 1 and 2, so that putting the streams in place in the
// child can never overwrite one stream with another.
SysResult<UniqueFd> above_stdio(UniqueFd fd, const std::string& what) {
    if (fd.get() >= 3) return fd;
    int moved = fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
    if (moved < 0) {
        int e = errno;
        return sys_error(what, e);
    }
    return UniqueFd(moved);
}

SysResult<UniqueFd> open_checked(const char* path, int flags, mode_t mode, std::string what) {
    int fd = ::open(path, flags | O_CLOEXEC | O_NOCTTY, mode);
    if (fd < 0) {
        int e = errno;
        if (e == ELOOP && (flags & O_NOFOLLOW)) what += " (a symbolic link, refused)";
        return sys_error(std::move(what), e);
    }
    return above_stdio(UniqueFd(fd), what);
}

SysResult<UniqueFd> dup_checked(int fd, const std::string& what) {
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) {
        int e = errno;
        return sys_error(what, e);
    }
    return UniqueFd(copy);
}

SysResult<UniqueFd> open_output(const std::filesystem::path& path, const char* stream) {
    return open_checked(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600,
                        std::string("cannot create ") + stream + " file '" + path.string() + "'");
}

bool same_file(int a, int b) {
    struct stat sa {
    }, sb{};
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

} // namespace

SysResult<StdStreams> open_std_streams(const std::filesystem::path& in,
                                       const std::filesystem::path& out,
                                       const std::filesystem::path& err) {
    StdStreams s;

    // stdin. O_NONBLOCK only for the open itself: a FIFO with no writer must
    // not hang wbtool here.
    {
        auto fd = in.empty() ? open_checked("/dev/null", O_RDONLY, 0, "cannot open /dev/null")
                             : open_checked(in.c_str(), O_RDONLY | O_NONBLOCK, 0,
                                            "cannot open stdin file '" + in.string() + "'");
        if (!fd) return fd.error();
        s.in = std::move(fd.value());
        int flags = fcntl(s.in.get(), F_GETFL);
        if (flags >= 0) fcntl(s.in.get(), F_SETFL, flags & ~O_NONBLOCK);
    }

    // The counting pipe, if anything is discarded. The read end is the
    // parent's and non-blocking; the program's write end stays blocking.
    UniqueFd sink_write;
    if (out.empty() || err.empty()) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) {
            int e = errno;
            return sys_error("cannot create the output pipe", e);
        }
        UniqueFd r(p[0]), w(p[1]);
        fcntl(r.get(), F_SETFL, O_NONBLOCK);
        fcntl(w.get(), F_SETPIPE_SZ, 1 << 20); // fewer wake-ups; fine if refused
        auto r3 = above_stdio(std::move(r), "cannot create the output pipe");
        if (!r3) return r3.error();
        auto w3 = above_stdio(std::move(w), "cannot create the output pipe");
        if (!w3) return w3.error();
        s.sink = std::move(r3.value());
        sink_write = std::move(w3.value());
    }

    auto open_stream = [&](const std::filesystem::path& path, const char* name,
                           bool& is_file) -> SysResult<UniqueFd> {
        is_file = !path.empty();
        return path.empty() ? dup_checked(sink_write.get(), "cannot duplicate the output pipe")
                            : open_output(path, name);
    };
    auto o = open_stream(out, "stdout", s.out_is_file);
    if (!o) return o.error();
    s.out = std::move(o.value());
    auto e = open_stream(err, "stderr", s.err_is_file);
    if (!e) return e.error();
    s.err = std::move(e.value());

    // One file for both streams: one open file description, one offset, so
    // neither overwrites the other, and its bytes are counted once.
    if (s.out_is_file && s.err_is_file && same_file(s.out.get(), s.err.get())) {
        auto shared = dup_checked(s.out.get(), "cannot duplicate stdout");
        if (!shared) return shared.error();
        s.err = std::move(shared.value());
        s.err_same_as_out = true;
    }
    return s;
}

SysResult<std::pair<UniqueFd, UniqueFd>> make_channel(bool credentials) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        int e = errno;
        return sys_error("cannot create the sandbox channel (socketpair)", e);
    }
    UniqueFd a(sv[0]), b(sv[1]);
    auto a3 = above_stdio(std::move(a), "cannot create the sandbox channel");
    if (!a3) return a3.error();
    auto b3 = above_stdio(std::move(b), "cannot create the sandbox channel");
    if (!b3) return b3.error();
    int on = 1;
    if (credentials && setsockopt(a3.value().get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
        int e = errno;
        return sys_error("cannot create the sandbox channel (SO_PASSCRED)", e);
    }
    return std::pair<UniqueFd, UniqueFd>(std::move(a3.value()), std::move(b3.value()));
}

std::uint64_t file_size(int fd) noexcept {
    struct stat st {};
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 0) return 0;
    return static_cast<std::uint64_t>(st.st_size);
}

// ---- child side: async-signal-safe from here on ----

int install_stdio(int in, int out, int err) noexcept {
    // All three are >= 3 (above_stdio), so no dup2 here overwrites a source.
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) return errno;
    return 0;
}

int move_above_stdio(int fd) noexcept {
    if (fd >= 3) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int e = errno;
    ::close(fd);
    errno = e;
    return moved;
}

namespace {

bool kept(long fd, const int* keep, int count) noexcept {
    for (int i = 0; i < count; ++i)
        if (keep[i] == fd) return true;
    return false;
}

// The fallbacks for kernels without close_range (before 5.9).
int close_by_listing(const int* keep, int count) noexcept {
    int dir = ::open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        // Closing while listing is fine for /proc/self/fd; a second pass
        // makes sure nothing was skipped.
        for (int pass = 0; pass < 2; ++pass) {
            lseek(dir, 0, SEEK_SET);
            for_each_numeric_entry(dir, [&](long fd) {
                if (fd >= 3 && fd != dir && !kept(fd, keep, count)) ::close(static_cast<int>(fd));
            });
        }
        ::close(dir);
        return 0;
    }
    struct rlimit rl {};
    long top = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        top = static_cast<long>(rl.rlim_cur);
    if (top > (1L << 20)) top = 1L << 20;
    for (long fd = 3; fd < top; ++fd)
        if (!kept(fd, keep, count)) ::close(static_cast<int>(fd));
    return 0;
}

} // namespace

int close_fds_except(int* keep, int count) noexcept {
    for (int i = 1; i < count; ++i) // insertion sort: a handful of numbers
        for (int j = i; j > 0 && keep[j - 1] > keep[j]; --j) {
            int t = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = t;
        }
    unsigned lo = 3;
    for (int i = 0; i < count; ++i) {
        if (keep[i] < static_cast<int>(lo)) continue;
        unsigned k = static_cast<unsigned>(keep[i]);
        if (k > lo && close_range(lo, k - 1, 0) != 0) return close_by_listing(keep, count);
        lo = k + 1;
    }
    if (close_range(lo, ~0U, 0) != 0) return close_by_listing(keep, count);
    return 0;
}

} // namespace wb::sandbox::detail
