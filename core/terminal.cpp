// Terminal helpers (see terminal.h).
#include "core/terminal.h"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace wb::core {

bool is_terminal(std::FILE* stream) {
    return ::isatty(::fileno(stream)) == 1;
}

bool use_colour(std::FILE* stream) {
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour && *no_colour) return false;
    const char* term = std::getenv("TERM");
    if (term && std::string_view(term) == "dumb") return false;
    return is_terminal(stream);
}

Progress::Progress(bool quiet) : quiet_(quiet), tty_(is_terminal(stderr)) {}

Progress::~Progress() {
    done();
}

void Progress::update(const std::string& text) {
    if (quiet_) return;
    if (tty_) {
        fmt::print(stderr, "\r\033[K{}", text);
        std::fflush(stderr);
        dirty_ = true;
    } else {
        fmt::print(stderr, "{}\n", text);
    }
}

void Progress::line(const std::string& text) {
    if (quiet_) return;
    if (tty_ && dirty_) fmt::print(stderr, "\r\033[K");
    dirty_ = false;
    fmt::print(stderr, "{}\n", text);
}

void Progress::done() {
    if (tty_ && dirty_) {
        fmt::print(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    dirty_ = false;
}

} // namespace wb::core
