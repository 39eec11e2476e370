// Importing a course directory (see course.h).
#include "core/course.h"

#include "core/error.h"
#include "core/table.h"
#include "store/error.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace wb::core {
namespace {

namespace fs = std::filesystem;

bool is_bundle(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "mp.toml", ec) || fs::is_regular_file(dir / "config.json", ec);
}

// Depth first; a bundle's own directories (data/, imgs/) are never searched,
// and symbolic links are not followed (a bundle holds none, and a link
// could lead round in a circle).
void collect(const fs::path& dir, std::vector<fs::path>& out) {
    if (is_bundle(dir)) {
        out.push_back(dir);
        return;
    }
    std::vector<fs::path> subdirs;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!e.is_symlink() && e.is_directory()) subdirs.push_back(e.path());
    }
    std::sort(subdirs.begin(), subdirs.end());
    for (const auto& d : subdirs)
        collect(d, out);
}

std::string_view to_string(CourseRow::Outcome o) {
    switch (o) {
    case CourseRow::Outcome::imported:
        return "imported";
    case CourseRow::Outcome::unchanged:
        return "unchanged";
    case CourseRow::Outcome::failed:
        break;
    }
    return "failed";
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

} // namespace

std::vector<fs::path> find_mp_dirs(const fs::path& course) {
    std::error_code ec;
    if (!fs::is_directory(course, ec))
        throw InputError(fmt::format("{}: not a directory", course.string()));
    std::vector<fs::path> out;
    collect(course, out);
    if (out.empty()) {
        throw InputError(fmt::format("{}: no MP bundle under it (a bundle is a directory holding "
                                     "mp.toml or config.json)",
                                     course.string()));
    }
    return out;
}

void to_json(nlohmann::json& j, const CourseRow& r) {
    j = {{"dir", r.dir},
         {"id", r.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.id)},
         {"result", to_string(r.outcome)},
         {"version", r.version == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.version)},
         {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)},
         {"warnings", r.warnings}};
}

std::vector<CourseRow> import_course(const fs::path& course, const std::vector<fs::path>& dirs,
                                     const CourseSteps& steps) {
    std::vector<CourseRow> rows;
    std::map<std::string, std::string> seen; // id -> the directory that had it first
    for (const auto& dir : dirs) {
        CourseRow row;
        row.dir = dir == course ? dir.filename().string() : dir.lexically_relative(course).string();
        try {
            const auto mp = steps.load(dir);
            row.id = mp.id;
            // Two directories of one course with the same id (2015/vecadd,
            // 2016/vecadd) would silently become two versions of one MP.
            if (auto [it, fresh] = seen.emplace(mp.id, row.dir); !fresh)
                throw InputError(fmt::format("{}: its id '{}' is also the id of {}; rename one "
                                             "(a config.json MP's id is its directory's name)",
                                             row.dir, mp.id, it->second));
            row.warnings = mp.warnings.size();
            for (const auto& w : mp.warnings)
                steps.warn(w);
            const auto r = steps.store(mp, dir);
            row.version = r.version;
            row.outcome = r.created ? CourseRow::Outcome::imported : CourseRow::Outcome::unchanged;
        } catch (const Error& e) {
            row.error = e.what();
        } catch (const store::Error& e) {
            row.error = e.what();
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string course_table(const std::vector<CourseRow>& rows, bool aligned) {
    Table t({"mp directory", "id", "result", "warnings"});
    for (const auto& r : rows) {
        std::string result;
        if (r.outcome == CourseRow::Outcome::failed)
            result = "failed: " + first_line(r.error);
        else
            result = fmt::format("{} v{}", to_string(r.outcome), r.version);
        t.add({r.dir, r.id.empty() ? "-" : r.id, result, std::to_string(r.warnings)});
    }
    return t.render(aligned);
}

bool all_imported(const std::vector<CourseRow>& rows) {
    return std::none_of(rows.begin(), rows.end(),
                        [](const CourseRow& r) { return r.outcome == CourseRow::Outcome::failed; });
}

} // namespace wb::core
