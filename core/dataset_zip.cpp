// Unpacking dataset.zip (see dataset_zip.h).
#include "core/dataset_zip.h"

#include "core/error.h"
#include "core/files.h"

#include <fmt/format.h>

#include <sys/stat.h>

#include <memory>
#include <optional>
#include <string_view>
#include <unzip.h>
#include <vector>

namespace wb::core {
namespace {

namespace fs = std::filesystem;

struct Closer {
    void operator()(void* z) const { unzClose(static_cast<unzFile>(z)); }
};

bool skipped(std::string_view name) {
    if (name.empty() || name.back() == '/') return true; // a directory
    if (name.starts_with("__MACOSX/")) return true;
    const auto slash = name.rfind('/');
    const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
    return base == ".DS_Store";
}

// The member's path inside the unpacked tree, or nothing when it would leave
// it (absolute, "..", a backslash that another system reads as a separator).
std::optional<fs::path> inner_path(std::string_view name) {
    if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos ||
        name.find('\0') != std::string_view::npos)
        return std::nullopt;
    const fs::path p = fs::path(name).lexically_normal();
    if (p.empty() || p.is_absolute()) return std::nullopt;
    for (const auto& part : p)
        if (part == "..") return std::nullopt;
    return p;
}

// A Unix zip (made by 3) keeps the file's mode in the high half of its
// external attributes: a link or a device there is refused.
bool is_link_or_special(const unz_file_info64& info) {
    if ((info.version >> 8) != 3) return false;
    const mode_t mode = static_cast<mode_t>(info.external_fa >> 16);
    return (mode & S_IFMT) != 0 && !S_ISREG(mode) && !S_ISDIR(mode);
}

std::string size_text(std::uint64_t bytes) {
    return fmt::format("{} MiB", bytes >> 20);
}

struct Member {
    std::string name;
    unz64_file_pos pos{};
    std::uint64_t size = 0;
};

} // namespace

void unpack_dataset_zip(const fs::path& zip, const std::string& shown, const fs::path& dest,
                        const UnpackLimits& limits) {
    std::unique_ptr<void, Closer> z(unzOpen64(zip.c_str()));
    if (!z) throw InputError(fmt::format("{}: not a readable zip archive", shown));
    unzFile f = z.get();

    std::vector<Member> members;
    bool has_prefix = false;
    std::uint64_t seen = 0;
    for (int rc = unzGoToFirstFile(f); rc == UNZ_OK; rc = unzGoToNextFile(f)) {
        if (++seen > limits.members)
            throw InputError(fmt::format("{}: more than {} members", shown, limits.members));
        unz_file_info64 info{};
        std::vector<char> raw(4096);
        if (unzGetCurrentFileInfo64(f, &info, raw.data(), raw.size(), nullptr, 0, nullptr, 0) !=
            UNZ_OK)
            throw InputError(fmt::format("{}: member {} is damaged", shown, seen));
        std::string name(raw.data(), std::min<std::size_t>(info.size_filename, raw.size()));
        if (skipped(name)) continue;
        if (is_link_or_special(info))
            throw InputError(fmt::format("{}: '{}' is a link or a special file; only regular "
                                         "files may be unpacked",
                                         shown, name));
        if (!inner_path(name))
            throw InputError(
                fmt::format("{}: '{}' leaves the directory it is unpacked into", shown, name));
        if (info.uncompressed_size > limits.file_bytes)
            throw InputError(fmt::format("{}: '{}' unpacks to {} bytes, over the {} limit for a "
                                         "bundle file",
                                         shown, name, info.uncompressed_size,
                                         size_text(limits.file_bytes)));
        has_prefix = has_prefix || name.starts_with("data/") || name.starts_with("Dataset/");
        Member m;
        m.name = std::move(name);
        m.size = info.uncompressed_size;
        unzGetFilePos64(f, &m.pos);
        members.push_back(std::move(m));
    }

    std::uint64_t total = 0;
    std::vector<char> buffer(1 << 16);
    for (const Member& m : members) {
        // Beside data/ or Dataset/, the zip holds nothing that is a dataset
        // (a README, a copy of the template): not unpacked, so that it never
        // stands in for the bundle's own file of that name.
        if (has_prefix && !m.name.starts_with("data/") && !m.name.starts_with("Dataset/")) continue;
        const fs::path rel = has_prefix ? *inner_path(m.name) : "data" / *inner_path(m.name);
        const fs::path target = dest / rel;
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
        if (ec || fs::exists(fs::symlink_status(target, ec)))
            throw InputError(fmt::format("{}: '{}' cannot be unpacked: {}", shown, m.name,
                                         ec ? ec.message() : "the archive holds it twice"));
        if (unzGoToFilePos64(f, &m.pos) != UNZ_OK || unzOpenCurrentFile(f) != UNZ_OK)
            throw InputError(
                fmt::format("{}: '{}' cannot be read (encrypted or damaged)", shown, m.name));
        std::string content;
        int n = 0;
        while ((n = unzReadCurrentFile(f, buffer.data(), static_cast<unsigned>(buffer.size()))) >
               0) {
            content.append(buffer.data(), static_cast<std::size_t>(n));
            // The archive's own sizes can lie; what is read cannot.
            if (content.size() > limits.file_bytes) {
                unzCloseCurrentFile(f);
                throw InputError(fmt::format("{}: '{}' unpacks to more than the {} limit for a "
                                             "bundle file",
                                             shown, m.name, size_text(limits.file_bytes)));
            }
            if (total + content.size() > limits.total_bytes) {
                unzCloseCurrentFile(f);
                throw InputError(fmt::format("{}: unpacks to more than {} in all", shown,
                                             size_text(limits.total_bytes)));
            }
        }
        // UNZ_CRCERROR here: the bytes are not the ones the archive was made with.
        if (unzCloseCurrentFile(f) != UNZ_OK || n < 0)
            throw InputError(
                fmt::format("{}: '{}' is damaged (its checksum does not match)", shown, m.name));
        total += content.size();
        write_file_atomic(target, content);
    }
}

} // namespace wb::core
