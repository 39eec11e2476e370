// Completion scripts for bash, zsh and fish, generated from the command
// line's own definition (cli_tree.h) by `wbtool completion SHELL`. The
// committed completions/ files are this output, checked by a test.
#pragma once

#include "cmd/cli_tree.h"

#include <string>

namespace wb::cmd {

std::string bash_completion(const Command& root);
std::string zsh_completion(const Command& root);
std::string fish_completion(const Command& root);

// The comment atop each script: what made it, and not to edit it.
std::string generated_note(const std::string& shell);

// `text` inside single quotes for a POSIX shell: ' becomes '\''.
std::string single_quoted(const std::string& text);

} // namespace wb::cmd
