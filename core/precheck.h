// The precheck: forbidden keywords, found before anything is compiled.
//
// The program is split into tokens the way a C, C++ or CUDA compiler would
// see them, and comments and string or character literals are skipped, so a
// keyword in a comment or a message does not count, and `exit` does not match
// `exit_code`. A keyword of several tokens ("std::thread", "#include") matches
// the same sequence of tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::core {

struct PrecheckHit {
    std::string keyword;
    int line = 0;   // 1-based
    int column = 0; // 1-based, in bytes
};

// The first forbidden keyword in `source` (by position), if any.
std::optional<PrecheckHit> find_forbidden(std::string_view source,
                                          const std::vector<std::string>& keywords);

} // namespace wb::core
