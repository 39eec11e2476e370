// Reading a password for login and signup: from the terminal without echo,
// or the first line of standard input with --password-stdin (scripts, CI,
// a password manager's pipe). Never from a flag, which `ps` would show.
#pragma once

#include <string>

namespace wb::client {

// The password; InputError when there is none to read (no terminal and
// no --password-stdin, or an empty line).
std::string read_password(bool from_stdin, const std::string& prompt);
// A line typed at the terminal (a user name), echoed.
std::string read_line(const std::string& prompt);

} // namespace wb::client
