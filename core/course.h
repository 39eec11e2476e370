// A course directory imported whole (`wbtool mp import --recursive`): every
// MP bundle under it (a directory holding mp.toml or config.json, at any
// depth; nothing inside a bundle is searched), one after another. One MP
// that fails is a row of the summary, not the end of the run: a course of
// twenty labs with one broken should still publish the other nineteen.
//
// How one MP is loaded and stored is the caller's (the local store or a
// server, with or without --verify or --generate): import_course only walks,
// catches and counts.
#pragma once

#include "core/catalog.h"
#include "core/mp.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace wb::core {

// The bundle directories under `course`, sorted; `course` itself when it is
// a bundle. InputError when it is not a directory or holds no bundle.
std::vector<std::filesystem::path> find_mp_dirs(const std::filesystem::path& course);

struct CourseRow {
    std::string dir; // as found under the course directory
    std::string id;  // empty when the bundle did not load
    enum class Outcome { imported, unchanged, failed } outcome = Outcome::failed;
    int version = 0;
    std::string error; // the first error of a failed MP
    std::size_t warnings = 0;
};
void to_json(nlohmann::json& j, const CourseRow& r);

struct CourseSteps {
    std::function<Mp(const std::filesystem::path&)> load; // load_mp, or generate then load
    std::function<void(const std::string&)> warn;         // each of Mp::warnings
    std::function<ImportResult(const Mp&, const std::filesystem::path&)> store;
};

// Each bundle of `dirs` through `steps`; a wb::Error or store::Error thrown
// by a step fails that MP alone.
std::vector<CourseRow> import_course(const std::filesystem::path& course,
                                     const std::vector<std::filesystem::path>& dirs,
                                     const CourseSteps& steps);

// The summary for people (core/table.h), one row per MP.
std::string course_table(const std::vector<CourseRow>& rows, bool aligned);
bool all_imported(const std::vector<CourseRow>& rows);

} // namespace wb::core
