// The inside of the MP loader, shared by its files and by nothing else.
//
// load_mp (core/mp.cpp) walks the bundle once (core/bundle_files.cpp) and
// hands the result, a Bundle, to the reader of its layout: mp.toml
// (core/mp_native.cpp), config.json (core/mp_legacy.cpp) or a Kattis problem
// package's problem.yaml (core/mp_kattis.cpp). After the walk
// nothing touches the disk to decide what exists: a Bundle lists every
// directory and regular file, relative to the root, so a configuration can
// only ever name something the walk has already judged safe (no symbolic
// links, no special files, nothing over the size limit).
//
// Every message begins with Bundle::at(), "<bundle name>/<relative path>",
// so users see the path the way they would type it from the bundle's parent.
#pragma once

#include "core/mp.h"
#include "core/names.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::core::detail {

struct Entry {
    std::filesystem::path name; // one component
    bool is_dir = false;        // else a regular file: the walk allows nothing else
};

struct Bundle {
    std::filesystem::path root;               // absolute, canonical
    std::string name;                         // root's last component; begins every message
    std::vector<std::filesystem::path> files; // regular files, relative, sorted
    std::vector<std::filesystem::path> dirs;  // directories below the root, relative, sorted
    std::map<std::filesystem::path, std::vector<Entry>> listing; // dir ("" = root) -> entries

    // "vecadd/datasets/0" for "datasets/0"; "vecadd" for "".
    std::string at(const std::filesystem::path& rel) const;
    bool has_file(const std::filesystem::path& rel) const;
    bool has_dir(const std::filesystem::path& rel) const;
    const std::vector<Entry>& entries(const std::filesystem::path& dir) const;
};

// Walks `root` without following anything. Throws InputError for a symbolic
// link, a special file, a file over max_bundle_file_bytes or an unreadable
// directory.
Bundle walk_bundle(const std::filesystem::path& root, std::string name);

// The text of a regular file of the bundle.
std::string read_text(const Bundle& b, const std::filesystem::path& rel);

// A path from a configuration, relative to some directory of the bundle, in
// lexically normal form; nullopt when it is absolute or climbs out with "..".
std::optional<std::filesystem::path> stays_inside(std::string_view text);

// "0", "1", ..., "999999" (no sign, no leading zeros); else nullopt.
std::optional<int> parse_index(std::string_view text);

// The datasets under `dir` by the native rules (docs/mp-format.md, Datasets);
// `stdio` adds the names of classic judge problems (input.<ext>, <k>.in and
// <k>.ans) and allows one input at most.
std::vector<Dataset> discover_datasets(const Bundle& b, const std::filesystem::path& dir,
                                       RunIo io = RunIo::files);

// "vecadd/datasets/7/" style dataset directory refusal for a plain file or a
// badly named directory directly under a datasets directory.
void check_dataset_entry(const Bundle& b, const std::filesystem::path& dir, const Entry& e);

inline constexpr std::string_view toolchain_names = "c, cpp, cuda, openacc, opencl, custom";
inline constexpr std::string_view check_mode_names =
    "exact, tokens, vector, matrix, integral_vector, histogram, image, validator";
bool is_float_mode(CheckMode m);
// "2015-02-11T23:00:00Z" or "2015-02-11T23:00:00+01:00" (RFC 3339, as the
// WebGPU platform's Go time.Parse read its deadlines): seconds since the
// epoch, or nothing.
std::optional<std::int64_t> parse_rfc3339(std::string_view s);

// The scores of a bundle that sets none: its datasets in equal shares.
void default_dataset_scores(Mp& mp); // vector, matrix, image: the modes a tolerance applies to

// "c", "cpp", "cu"; empty for custom.
std::string_view source_extension(Toolchain t);

// "vecadd 2" -> "vecadd-2": the id a directory's name maps to.
std::string id_from_directory(std::string_view name);
// mp.id from the bundle's directory name, with a warning when it changed.
void id_from_bundle_name(const Bundle& b, Mp& mp);

// The output validator of `rel` (a C or C++ source): its toolchain by the
// extension; throws InputError naming `where` for any other file.
Toolchain validator_toolchain(const std::string& where, const std::filesystem::path& rel);

Mp load_native(const Bundle& b);
Mp load_legacy(const Bundle& b);
Mp load_kattis(const Bundle& b); // problem.yaml (core/mp_kattis.cpp)

} // namespace wb::core::detail
