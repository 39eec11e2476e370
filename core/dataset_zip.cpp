// Unpacking dataset.zip (see dataset_zip.h).
#include "core/dataset_zip.h"

#include "core/error.h"
#include "core/files.h"

#include <fmt/format.h>

#include <sys/stat.h>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>
#include <zip.h>

namespace wb::core {
namespace {

namespace fs = std::filesystem;

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct FileCloser {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
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

bool is_link_or_special(zip_t* z, zip_uint64_t i) {
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    if (zip_file_get_external_attributes(z, i, 0, &opsys, &attributes) != 0) return false;
    if (opsys != ZIP_OPSYS_UNIX) return false;
    const mode_t mode = static_cast<mode_t>(attributes >> 16);
    return (mode & S_IFMT) != 0 && !S_ISREG(mode) && !S_ISDIR(mode);
}

std::string size_text(std::uint64_t bytes) {
    return fmt::format("{} MiB", bytes >> 20);
}

} // namespace

void unpack_dataset_zip(const fs::path& zip, const std::string& shown, const fs::path& dest,
                        const UnpackLimits& limits) {
    int error = 0;
    std::unique_ptr<zip_t, ZipCloser> z(zip_open(zip.c_str(), ZIP_RDONLY, &error));
    if (!z) {
        zip_error_t e;
        zip_error_init_with_code(&e, error);
        const std::string why = zip_error_strerror(&e);
        zip_error_fini(&e);
        throw InputError(fmt::format("{}: not a readable zip archive: {}", shown, why));
    }
    const zip_int64_t count = zip_get_num_entries(z.get(), 0);
    if (count < 0 || static_cast<std::uint64_t>(count) > limits.members)
        throw InputError(
            fmt::format("{}: {} members, over the limit of {}", shown, count, limits.members));

    struct Member {
        zip_uint64_t index;
        std::string name;
    };
    std::vector<Member> members;
    bool has_prefix = false;
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* raw = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
        if (!raw) throw InputError(fmt::format("{}: member {} has no readable name", shown, i));
        std::string name = raw;
        if (skipped(name)) continue;
        if (is_link_or_special(z.get(), static_cast<zip_uint64_t>(i)))
            throw InputError(fmt::format("{}: '{}' is a link or a special file; only regular "
                                         "files may be unpacked",
                                         shown, name));
        if (!inner_path(name))
            throw InputError(
                fmt::format("{}: '{}' leaves the directory it is unpacked into", shown, name));
        has_prefix = has_prefix || name.starts_with("data/") || name.starts_with("Dataset/");
        members.push_back({static_cast<zip_uint64_t>(i), std::move(name)});
    }

    std::uint64_t total = 0;
    std::vector<char> buffer(1 << 16);
    for (const Member& m : members) {
        const fs::path rel = has_prefix ? *inner_path(m.name) : "data" / *inner_path(m.name);
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z.get(), m.index, 0, &st) != 0)
            throw InputError(fmt::format("{}: '{}': {}", shown, m.name, zip_strerror(z.get())));
        if ((st.valid & ZIP_STAT_SIZE) && st.size > limits.file_bytes)
            throw InputError(fmt::format("{}: '{}' unpacks to {} bytes, over the {} limit for a "
                                         "bundle file",
                                         shown, m.name, st.size, size_text(limits.file_bytes)));
        std::unique_ptr<zip_file_t, FileCloser> f(zip_fopen_index(z.get(), m.index, 0));
        if (!f) throw InputError(fmt::format("{}: '{}': {}", shown, m.name, zip_strerror(z.get())));
        const fs::path target = dest / rel;
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
        if (ec || fs::exists(fs::symlink_status(target, ec)))
            throw InputError(fmt::format("{}: '{}' cannot be unpacked: {}", shown, m.name,
                                         ec ? ec.message() : "the archive holds it twice"));
        std::string content;
        for (;;) {
            const zip_int64_t n = zip_fread(f.get(), buffer.data(), buffer.size());
            if (n < 0)
                throw InputError(fmt::format("{}: '{}' is damaged: {}", shown, m.name,
                                             zip_file_strerror(f.get())));
            if (n == 0) break;
            content.append(buffer.data(), static_cast<std::size_t>(n));
            // The archive's own sizes can lie; what is read cannot.
            if (content.size() > limits.file_bytes)
                throw InputError(fmt::format("{}: '{}' unpacks to more than the {} limit for a "
                                             "bundle file",
                                             shown, m.name, size_text(limits.file_bytes)));
            if (total + content.size() > limits.total_bytes)
                throw InputError(fmt::format("{}: unpacks to more than {} in all", shown,
                                             size_text(limits.total_bytes)));
        }
        total += content.size();
        write_file_atomic(target, content);
    }
}

} // namespace wb::core
