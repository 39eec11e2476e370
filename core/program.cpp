// Program intake (see program.h).
#include "core/program.h"

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"

#include <fmt/format.h>

namespace wb::core {
namespace {

// Length of the UTF-8 sequence at s[i], or 0 if it is not valid UTF-8.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned min = 0;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0)
        n = 2, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        n = 3, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        n = 4, min = 0x10000;
    else
        return 0;
    if (i + n > s.size()) return 0;
    unsigned cp = c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

// Why `text` is not source text, "NAME:LINE: ..."; empty when it is.
std::string not_text(const std::string& name, std::string_view text) {
    int line = 1;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\0')
            return fmt::format(
                "{}:{}: a NUL byte: this is a binary file, not a program's source text", name,
                line);
        const std::size_t n = utf8_sequence(text, i);
        if (n == 0)
            return fmt::format(
                "{}:{}: invalid UTF-8: save the program as UTF-8 text (is this a binary file?)",
                name, line);
        if (text[i] == '\n') ++line;
        i += n;
    }
    return {};
}

// The checks of make_program but text: size and emptiness.
void check_size(const std::string& name, const std::string& text) {
    if (text.size() > max_program_bytes) {
        throw InputError(fmt::format("{}: {} bytes is over the limit of {} bytes for a program",
                                     name, text.size(), max_program_bytes));
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InputError(fmt::format("{}: the program is empty", name));
    }
}

// The file's text, after the checks that need no reading.
std::string read_checked(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        throw InputError(fmt::format("{}: no such file", path.string()));
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw InputError(fmt::format("{}: not a regular file", path.string()));
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_program_bytes) {
        throw InputError(fmt::format("{}: {} bytes is over the limit of {} bytes for a program",
                                     path.string(), size, max_program_bytes));
    }
    return read_file(path);
}

} // namespace

Program make_program(std::string name, std::string text) {
    check_size(name, text);
    if (std::string why = not_text(name, text); !why.empty()) throw InputError(why);
    std::string hash = sha256_hex(text);
    return {std::move(name), std::move(text), std::move(hash)};
}

Program read_source(const std::filesystem::path& path) {
    std::string name = path.string();
    std::string text = read_checked(path);
    std::string why = not_text(name, text);
    if (why.empty()) return make_program(std::move(name), std::move(text));
    std::string hash = sha256_hex(text);
    return {std::move(name), std::move(text), std::move(hash), std::move(why)};
}

Program read_program(const std::filesystem::path& path) {
    return make_program(path.string(), read_checked(path));
}

} // namespace wb::core
