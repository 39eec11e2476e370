// Small file helpers shared by the core: whole-file reads with errors that
// name the file, atomic writes (temp file + rename), private temp dirs.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace wb::core {

// Reads the whole file; throws InputError naming the file and the reason.
std::string read_file(const std::filesystem::path& path);

// Writes through a temporary file in the same directory and renames it into
// place, so a reader never sees half a file, with `mode` from its creation
// on (a secret is never readable by others, not even for a moment).
// Throws InternalError.
void write_file_atomic(const std::filesystem::path& path, std::string_view data,
                       unsigned mode = 0644);

// A fresh directory (mode 0700) under `parent`, named prefix-XXXXXX.
std::filesystem::path make_temp_dir(const std::filesystem::path& parent, const std::string& prefix);

// Removes a directory tree, ignoring errors (cleanup in destructors).
// The name of a directory as given ("labs/mp1/", ".", "mp1"): "mp1", the
// name of the current directory for ".".
std::string directory_name(const std::filesystem::path& dir);

void remove_tree(const std::filesystem::path& path) noexcept;

// The first and last bytes of a long text, with a note of what was cut.
std::string truncate_middle(std::string_view text, std::size_t max_bytes);

// truncate_middle of a file's content, reading only the bytes it keeps (a
// program's output may be large). A missing file reads as empty.
std::string read_file_ends(const std::filesystem::path& path, std::size_t max_bytes);

// A copy of the executable `exe` as dir/name, readable and executable by
// all (the sandboxed program may run as another uid); returns "./name",
// how a program in `dir` runs it. A copy, not a link: a program that may
// write its own file must not reach the cache's.
std::filesystem::path copy_executable(const std::filesystem::path& exe,
                                      const std::filesystem::path& dir, const std::string& name);

} // namespace wb::core
