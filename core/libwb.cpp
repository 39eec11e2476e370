// Writing the embedded libwb headers to disk (see libwb.h). The cache copy
// is built in a temporary directory and renamed into place, so concurrent
// graders never see half of it.
#include "core/libwb.h"

#include "core/embedded.h"
#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wb::core {

const std::string& libwb_hash() {
    static const std::string hash = [] {
        Hasher h;
        for (const auto& f : libwb_files())
            h.add(f.name).add(f.content);
        return h.hex();
    }();
    return hash;
}

void export_libwb(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw InputError(
            fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
    for (const auto& f : libwb_files())
        write_file_atomic(dir / std::string(f.name), f.content);
}

std::filesystem::path libwb_include_dir(const std::filesystem::path& cache_dir) {
    const auto final_dir = cache_dir / "libwb" / libwb_hash().substr(0, 16);
    if (std::filesystem::exists(final_dir / "wb.h")) return final_dir;
    // Every compile starts here: an unusable cache directory is the user's
    // to fix, said once with the flag that sets it.
    std::error_code ec;
    std::filesystem::create_directories(cache_dir / "libwb", ec);
    if (ec || ::access((cache_dir / "libwb").c_str(), W_OK) != 0) {
        throw InputError(
            fmt::format("cache directory {}: cannot create or write it ({}); pass --cache "
                        "DIR (or set WBTOOL_CACHE) with a writable directory",
                        cache_dir.string(), ec ? ec.message() : std::strerror(errno)));
    }
    const auto tmp = make_temp_dir(cache_dir / "libwb", ".new");
    export_libwb(tmp);
    if (std::rename(tmp.c_str(), final_dir.c_str()) != 0) {
        const int err = errno;
        remove_tree(tmp);
        // Another process put the same headers in place first: use them.
        if (!std::filesystem::exists(final_dir / "wb.h")) {
            throw InternalError(fmt::format("cannot install libwb into {}: {}", final_dir.string(),
                                            std::strerror(err)));
        }
    }
    return final_dir;
}

} // namespace wb::core
