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
    if (!in) throw InputError(fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno)));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw InputError(fmt::format("{}: read failed", path.string()));
    return std::move(ss).str();
}

void write_file_atomic(const std::filesystem::path& path, std::string_view data) {
    std::string tmp = path.string() + ".tmp-XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
        throw InternalError(fmt::format("cannot create a file beside {}: {}", path.string(),
                                        std::strerror(errno)));
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
    ::fchmod(fd, 0644);
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw InternalError(fmt::format("cannot rename {} to {}: {}", tmp, path.string(), std::strerror(err)));
    }
}

std::filesystem::path make_temp_dir(const std::filesystem::path& parent, const std::string& prefix) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    std::string tmpl = (parent / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) {
        throw InternalError(fmt::format("cannot create a directory in {}: {}", parent.string(),
                                        std::strerror(errno)));
    }
    return tmpl;
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

std::string read_file_ends(const std::filesystem::path& path, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return "";
    const auto size = static_cast<std::size_t>(in.tellg());
    if (size <= max_bytes) {
        std::string all(size, '\0');
        in.seekg(0);
        in.read(all.data(), static_cast<std::streamsize>(size));
        return all;
    }
    const std::size_t head = max_bytes / 2;
    const std::size_t tail = max_bytes - head;
    std::string first(head, '\0');
    std::string last(tail, '\0');
    in.seekg(0);
    in.read(first.data(), static_cast<std::streamsize>(head));
    in.seekg(static_cast<std::streamoff>(size - tail));
    in.read(last.data(), static_cast<std::streamsize>(tail));
    return fmt::format("{}\n[... {} bytes cut ...]\n{}", first, size - head - tail, last);
}

} // namespace wb::core
