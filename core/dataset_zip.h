// The datasets of a WebGPU bundle that ships them as dataset.zip instead of
// a data/ directory. The zip is read with minizip (zlib's contrib, which
// loads nothing wbtool does not load already), never by a shell command,
// and treated as hostile as any upload: no member may leave the directory it
// is unpacked into, links and special files are refused, and the sizes are
// bounded by what the archive says and by what is actually read, so that a
// zip bomb stops at the limit instead of filling the disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace wb::core {

struct UnpackLimits {
    std::uint64_t file_bytes = 256ull << 20; // one member
    std::uint64_t total_bytes = 2ull << 30;  // every member together
    std::uint64_t members = 100000;
};

// Unpacks `zip` into `dest` (an existing, empty directory). Members whose
// names start with data/ or Dataset/ keep them, and the others are left
// out; when none does, every member goes under data/ (a zip of the dataset
// directories themselves).
// Directories, and the __MACOSX/ folders and .DS_Store files that macOS adds,
// are skipped. Throws InputError naming `shown` (how the user sees the zip,
// "mp1/dataset.zip") and the member.
void unpack_dataset_zip(const std::filesystem::path& zip, const std::string& shown,
                        const std::filesystem::path& dest, const UnpackLimits& limits = {});

} // namespace wb::core
