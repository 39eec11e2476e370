// Files compiled into the wbtool binary: libwb's sources, so that a worker
// or a student's machine needs nothing beside wbtool to compile an MP program.
#pragma once

#include <string_view>
#include <vector>

namespace wb::core {

struct EmbeddedFile {
    std::string_view name;
    std::string_view content;
};

// libwb's headers (libwb/*.h) and libwb.cpp, as they were when wbtool was
// built.
const std::vector<EmbeddedFile>& libwb_files();

} // namespace wb::core
