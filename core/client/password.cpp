// Password input (see password.h). The terminal is /dev/tty, not stdin, so
// that a prompt works while stdin is a pipe; echo is turned off only for
// the read, and turned back on even when the read fails.
#include "core/client/password.h"

#include "core/error.h"

#include <fcntl.h>
#include <unistd.h>

#include <iostream>
#include <termios.h>

namespace wb::client {
namespace {

std::string chomp(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

// One line from the terminal, echo off when `secret`.
std::string tty_line(const std::string& prompt, bool secret) {
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        throw InputError(secret ? "no terminal to ask for the password on: pass --password-stdin "
                                  "and write the password to standard input"
                                : "no terminal to ask for the user name on: pass --user NAME");
    }
    termios saved{};
    const bool restore = secret && ::tcgetattr(fd, &saved) == 0;
    if (restore) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    (void)!::write(fd, prompt.data(), prompt.size());
    std::string line;
    char ch = 0;
    while (::read(fd, &ch, 1) == 1 && ch != '\n')
        line += ch;
    if (restore) ::tcsetattr(fd, TCSAFLUSH, &saved);
    ::close(fd);
    return chomp(line);
}

} // namespace

std::string read_password(bool from_stdin, const std::string& prompt) {
    std::string password;
    if (from_stdin) {
        std::getline(std::cin, password);
        password = chomp(password);
    } else {
        password = tty_line(prompt, true);
    }
    if (password.empty()) throw InputError("no password given");
    return password;
}

std::string read_line(const std::string& prompt) {
    return tty_line(prompt, false);
}

} // namespace wb::client
