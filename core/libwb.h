// libwb travels inside the wbtool binary (see embedded.h). This writes its
// headers once into a directory keyed by their hash, where a compiler can
// find them: the grader's compile cache, or a student's own directory.
#pragma once

#include <filesystem>
#include <string>

namespace wb::core {

// sha-256 over the embedded headers' names and contents.
const std::string& libwb_hash();

// <cache_dir>/libwb/<hash>/, written atomically the first time. Returns it.
std::filesystem::path libwb_include_dir(const std::filesystem::path& cache_dir);

// Writes the headers into `dir` (created if needed), replacing older copies.
void export_libwb(const std::filesystem::path& dir);

} // namespace wb::core
