// libwb's bodies compiled once (libwb.o), so that the grader compiles a
// program with -DWB_PREBUILT: it parses only libwb's declarations and links
// the object (libwb/wb_base.h). Under nvcc this takes a one-file MP from
// about 3.5 s of CPU to about 1 s, what the student's own code costs.
//
// One object per cache, libwb, compiler and flags: it lives in
// <cache>/libwb/<hash>/objects/<key>/libwb.o, where the key hashes libwb's
// hash, the compiler's version and the command that compiles the object
// (the MP's flags included, so that the object and the program agree on
// everything the flags change). A program's compile cache key includes it.
//
// It is compiled in the sandbox like any compile, in a temporary directory
// renamed into place whole, so that a grader never sees half an object: of
// two graders that race, one wins the rename and the other uses its object.
// A failure is the grader's (an internal error that names the command and
// the compiler's first error), never the program's, and is not cached.
#pragma once

#include "core/mp.h"
#include "sandbox/policy.h"

#include <filesystem>
#include <optional>
#include <string>

namespace wb::core {

struct LibwbObject {
    std::filesystem::path path; // .../objects/<key>/libwb.o, once built
    std::string key;
};

// The object this MP's programs link, or nothing when its toolchain
// compiles them header-only (C, custom). Compiles nothing.
std::optional<LibwbObject> libwb_object_for(const Mp& mp, const std::filesystem::path& libwb_dir);

struct LibwbObjectBuild {
    bool ok = false;
    bool built = false;  // compiled by this call (false: the cache held it)
    std::string message; // when not ok: what failed, for the user
    std::string output;  // when not ok: the compiler's messages
};

// Compiles the object unless the cache holds it.
LibwbObjectBuild ensure_libwb_object(const Mp& mp, const LibwbObject& object,
                                     const std::filesystem::path& libwb_dir,
                                     sandbox::Isolation minimum);

} // namespace wb::core
