// Which files of a stored MP bundle a student may fetch (the description's
// pictures and documents, `GET /api/v1/mp/{id}/files/{path}`), and as what.
// A bundle also holds what students must never get, since it would hand
// them the expected outputs or the answer: the datasets (data/, Dataset/,
// datasets/, dataset.zip and any file a dataset names), the reference
// solution (solution.*) and a dataset generator. Those are withheld by
// name, whatever the MP's layout; of the rest, only the description and
// pictures and documents (png, jpg, gif, svg, pdf) are served.
#pragma once

#include "core/mp_version.h"

#include <optional>
#include <string>

namespace wb::core {

// Why `path` (a bundle path, '/'-separated) is not served to students;
// nothing when it may be.
std::optional<std::string> withheld_file(const MpConfig& config, const std::string& path);

// The Content-Type a file is served with, by its extension: images (png,
// jpg, gif, svg), pdf, markdown and plain text; anything else
// application/octet-stream.
std::string content_type_for(const std::string& path);

} // namespace wb::core
