// The files of a bundle a student may fetch (see public_files.h).
#include "core/public_files.h"

#include "core/generate.h"
#include "core/names.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <utility>

namespace wb::core {
namespace {

bool names_dataset(const MpConfig& c, const std::string& path) {
    return std::any_of(c.datasets.begin(), c.datasets.end(), [&](const DatasetEntry& d) {
        return d.expected == path ||
               std::find(d.inputs.begin(), d.inputs.end(), path) != d.inputs.end();
    });
}

} // namespace

std::optional<std::string> withheld_file(const MpConfig& config, const std::string& path) {
    const std::filesystem::path p(path);
    const auto top = ascii_lower(p.begin()->string());
    if (top == "data" || top == "dataset" || top == "datasets" || top == "dataset.zip" ||
        names_dataset(config, path))
        return fmt::format("'{}' is a dataset file: datasets are not served", path);
    const auto stem = ascii_lower(p.stem().string());
    if (stem == "solution")
        return fmt::format("'{}' is the reference solution: it is not served", path);
    if (ascii_lower(p.filename().string()) == generator_file)
        return fmt::format("'{}' generates the datasets: it is not served", path);
    // What is not named above is served only when it is the description or
    // a picture or document it may show: a bundle holds more that students
    // must not read (a package's submissions/ and validators, a course's
    // generators), under names no list could foresee.
    if (path == config.description) return std::nullopt;
    static const std::array<const char*, 6> media = {".png", ".jpg", ".jpeg",
                                                     ".gif", ".svg", ".pdf"};
    const auto ext = ascii_lower(p.extension().string());
    if (std::find(media.begin(), media.end(), ext) != media.end()) return std::nullopt;
    return fmt::format("'{}' is not served: only the description and the pictures and documents "
                       "it shows (png, jpg, gif, svg, pdf) are",
                       path);
}

std::string content_type_for(const std::string& path) {
    static const std::array<std::pair<const char*, const char*>, 9> types = {{
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".svg", "image/svg+xml"},
        {".pdf", "application/pdf"},
        {".md", "text/markdown; charset=utf-8"},
        {".markdown", "text/markdown; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
    }};
    const auto ext = ascii_lower(std::filesystem::path(path).extension().string());
    for (const auto& [e, type] : types)
        if (ext == e) return type;
    return "application/octet-stream";
}

} // namespace wb::core
