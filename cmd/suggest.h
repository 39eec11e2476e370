// What wbtool says when CLI11 refuses a command line: the error in wbtool's
// words and, for a word that looks mistyped, the nearest command or flag of
// the CLI11 tree ("did you mean"), as git and cargo do.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace wb::cmd {

struct UsageMessage {
    std::string error; // printed after "wbtool: error: "
    std::string hint;  // the next line: a suggestion, or where to read the usage
};

// For `e`, thrown by root.parse(): names the first word nothing took, and
// the subcommand it was given to.
UsageMessage usage_message(const CLI::App& root, const CLI::ParseError& e);

// The candidate nearest to `word` by edit distance (a transposition counts
// as one edit), or a unique candidate that `word` begins; "" when none is
// near enough to be what was meant.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

} // namespace wb::cmd
