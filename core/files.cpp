// File helpers (see files.h).
#include "core/files.h"

#include "core/error.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace wb::core {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno)));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw InputError(fmt::format("{}: read failed", path.string()));
    return std::move(ss).str();
}

void write_file_atomic(const std::filesystem::path& path, std::string_view data, unsigned mode) {
    std::string tmp = path.string() + ".tmp-XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
        throw InternalError(
            fmt::format("cannot create a file beside {}: {}", path.string(), std::strerror(errno)));
    }
    const char* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw InternalError(fmt::format("cannot write {}: {}", tmp, std::strerror(err)));
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    ::fchmod(fd, static_cast<mode_t>(mode)); // mkstemp made it 0600
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw InternalError(
            fmt::format("cannot rename {} to {}: {}", tmp, path.string(), std::strerror(err)));
    }
}

std::filesystem::path make_temp_dir(const std::filesystem::path& parent,
                                    const std::string& prefix) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    std::string tmpl = (parent / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) {
        throw InternalError(fmt::format("cannot create a directory in {}: {}", parent.string(),
                                        std::strerror(errno)));
    }
    return tmpl;
}

std::string directory_name(const std::filesystem::path& dir) {
    auto p = std::filesystem::absolute(dir).lexically_normal();
    if (p.filename().empty()) p = p.parent_path();
    return p.filename().string();
}

void remove_tree(const std::filesystem::path& path) noexcept {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

std::string truncate_middle(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    const std::size_t head = max_bytes / 2;
    const std::size_t tail = max_bytes - head;
    return fmt::format("{}\n[... {} bytes cut ...]\n{}", text.substr(0, head),
                       text.size() - head - tail, text.substr(text.size() - tail));
}

namespace {

// pread until `len` bytes are in or the file ends (it may shrink meanwhile).
std::string pread_all(int fd, std::size_t len, off_t offset) {
    std::string out(len, '\0');
    std::size_t done = 0;
    while (done < len) {
        const ssize_t n =
            ::pread(fd, out.data() + done, len - done, offset + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

} // namespace

std::string read_file_ends(const std::filesystem::path& path, std::size_t max_bytes) {
    // The file sits in a directory the sandboxed program owned: it may have
    // replaced it with a link to a host file, a FIFO or a device. Only a
    // regular file is read, never through a link, and opening never blocks.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT) return "";
        if (errno == ELOOP)
            return "[the program replaced this file with a symbolic link; not read]\n";
        return fmt::format("[cannot read {}: {}]\n", path.filename().string(),
                           std::strerror(errno));
    }
    struct stat st {};
    std::string result;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        result = "[the program replaced this file with something not a regular file; not read]\n";
    } else {
        const auto size = static_cast<std::size_t>(st.st_size);
        if (size <= max_bytes) {
            result = pread_all(fd, size, 0);
        } else {
            const std::size_t head = max_bytes / 2;
            const std::size_t tail = max_bytes - head;
            result = fmt::format("{}\n[... {} bytes cut ...]\n{}", pread_all(fd, head, 0),
                                 size - head - tail,
                                 pread_all(fd, tail, static_cast<off_t>(size - tail)));
        }
    }
    ::close(fd);
    return result;
}

std::filesystem::path copy_executable(const std::filesystem::path& exe,
                                      const std::filesystem::path& dir, const std::string& name) {
    namespace fs = std::filesystem;
    const auto copy = dir / name;
    fs::copy_file(exe, copy);
    fs::permissions(copy, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    return "./" + name;
}

} // namespace wb::core
