// Readers for libwb's output files (see output_format.h).
//
// Speed matters: a dataset can hold millions of values, so a file is read in
// one system call into one string, tokens are views into it, and numbers are
// parsed with std::from_chars; no stream is involved per value. Tokens and
// numbers are cut and converted by libwb/wb_format.h, the same code that
// wb.h reads datasets and wbSolution reads outputs with, so that a token
// means the same number to the grader and to a student's local check.
#include "core/output_format.h"

#include "libwb/wb_format.h"
#include "libwb/wb_header.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace wb::core::output_format {
namespace {

bool is_space(char c) {
    return wbInternal::isSpace(c);
}

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const { return fd_; }

  private:
    int fd_;
};

// The number of bytes of the valid UTF-8 sequence at the start of `s`, or 0.
std::size_t utf8_length(std::string_view s) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char c = byte(0);
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0; // no overlong forms
        if (c == 0xED) hi = 0x9F; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F; // nothing past U+10FFFF
    } else {
        return 0;
    }
    if (s.size() < n) return 0;
    if (byte(1) < lo || byte(1) > hi) return 0;
    for (std::size_t i = 2; i < n; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    }
    return n;
}

std::string_view text_of(const char* begin, const char* end) {
    return {begin, static_cast<std::size_t>(end - begin)};
}

template <class T, class Parse>
Parsed<std::vector<T>> read_values(TokenReader& tokens, std::uint64_t count, std::size_t text_size,
                                   std::string_view noun, std::string_view kind, Parse parse) {
    using Result = Parsed<std::vector<T>>;
    std::vector<T> values;
    // Every value takes at least two bytes (a digit and a separator), so the
    // file's size bounds what is worth reserving, whatever the header says.
    values.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count, text_size / 2 + 1)));
    std::string_view token;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (!tokens.next(token)) {
            return Result::fail(
                fmt::format("{} has {} values, the header says {}", noun, i, count));
        }
        T value{};
        if (!parse(token, value)) {
            std::string hint;
            if constexpr (std::is_integral_v<T>) {
                double real = 0;
                bool digits_only = std::all_of(token.begin(), token.end(), [](char c) {
                    return is_digit(c) || c == '+' || c == '-';
                });
                if (digits_only && parse_real(token, real)) {
                    hint = " (out of the range of a 64-bit integer)";
                } else if (parse_real(token, real)) {
                    hint = " (write integers without a decimal point or exponent)";
                }
            }
            return Result::fail(fmt::format("line {}: expected {} (element {}), found '{}'{}",
                                            tokens.line(), kind, i, escape(token), hint));
        }
        values.push_back(value);
    }
    if (tokens.next(token)) {
        std::string first = escape(token);
        std::uint64_t first_line = tokens.line();
        std::uint64_t extra = 1;
        while (tokens.next(token))
            ++extra;
        return Result::fail(fmt::format(
            "{} has {} values, the header says {} (the first extra one, '{}', is on line {})", noun,
            count + extra, count, first, first_line));
    }
    return Result{std::move(values), {}};
}

} // namespace

FileBytes read_file(const std::filesystem::path& path, std::uint64_t max_bytes, Links links) {
    FileBytes result;
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
    if (links == Links::refuse) flags |= O_NOFOLLOW;
    Fd fd(::open(path.c_str(), flags));
    if (fd.get() < 0) {
        int err = errno;
        if (err == ENOENT || err == ENOTDIR) {
            result.status = ReadStatus::missing;
        } else if (err == ELOOP && links == Links::refuse) {
            result.status = ReadStatus::symlink;
        } else {
            result.status = ReadStatus::io_error;
            result.detail = std::strerror(err);
        }
        return result;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        result.status = ReadStatus::io_error;
        result.detail = std::strerror(errno);
        return result;
    }
    if (!S_ISREG(st.st_mode)) {
        result.status = ReadStatus::not_regular;
        return result;
    }
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes) {
        result.status = ReadStatus::too_large;
        result.detail = std::to_string(size);
        return result;
    }
    result.bytes.resize(static_cast<std::size_t>(size));
    std::size_t done = 0;
    while (done < result.bytes.size()) {
        ssize_t n = ::read(fd.get(), result.bytes.data() + done, result.bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            result.status = ReadStatus::io_error;
            result.detail = std::strerror(errno);
            result.bytes.clear();
            return result;
        }
        if (n == 0) break; // shrank while we read: keep what is there
        done += static_cast<std::size_t>(n);
    }
    result.bytes.resize(done);
    return result;
}

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), is_space);
}

bool TokenReader::next(std::string_view& token) {
    wbInternal::Cursor cursor = {text_.data() + pos_, text_.data() + text_.size(),
                                 static_cast<long long>(line_)};
    const char* begin = nullptr;
    const char* end = nullptr;
    bool found = wbInternal::nextToken(cursor, begin, end);
    pos_ = static_cast<std::size_t>(cursor.p - text_.data());
    line_ = static_cast<std::uint64_t>(cursor.line);
    if (!found) return false;
    token = std::string_view(begin, static_cast<std::size_t>(end - begin));
    token_line_ = line_;
    return true;
}

bool parse_real(std::string_view token, double& out) {
    return wbInternal::parseDouble(token.data(), token.data() + token.size(), out);
}

bool parse_integer(std::string_view token, std::int64_t& out) {
    long long value = 0;
    bool overflow = false;
    if (!wbInternal::parseInteger(token.data(), token.data() + token.size(), value, overflow) ||
        overflow) {
        return false;
    }
    out = value;
    return true;
}

std::string escape(std::string_view text, std::size_t max) {
    bool cut = text.size() > max;
    if (cut) {
        std::size_t n = max;
        while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
            --n;
        text = text.substr(0, n);
    }
    std::string out;
    out.reserve(text.size() + 3);
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '\n':
            out += "\\n";
            continue;
        case '\t':
            out += "\\t";
            continue;
        case '\r':
            out += "\\r";
            continue;
        case '\\':
            out += "\\\\";
            continue;
        case '\'':
            out += "\\'";
            continue;
        default:
            break;
        }
        if (u < 0x20 || u == 0x7F) {
            out += fmt::format("\\x{:02x}", u);
        } else if (u >= 0x80) {
            std::size_t len = utf8_length(text.substr(i));
            if (len == 0) {
                out += fmt::format("\\x{:02x}", u);
            } else {
                out.append(text.substr(i, len));
                i += len - 1;
            }
        } else {
            out += c;
        }
    }
    if (cut) out += "...";
    return out;
}

Parsed<Header> read_header(TokenReader& tokens, int rank) {
    wbInternal::Cursor cursor = {tokens.text_.data() + tokens.pos_,
                                 tokens.text_.data() + tokens.text_.size(),
                                 static_cast<long long>(tokens.line_)};
    const wbInternal::RawHeader raw = wbInternal::scanRawHeader(cursor, rank);
    tokens.pos_ = static_cast<std::size_t>(cursor.p - tokens.text_.data());
    tokens.line_ = static_cast<std::uint64_t>(cursor.line);
    tokens.token_line_ = static_cast<std::uint64_t>(raw.line);

    auto what = [rank](int field) -> std::string_view {
        if (rank == 1) return "the element count";
        return field == 0 ? "the row count" : "the column count";
    };
    switch (raw.problem) {
    case wbInternal::rawHeaderOk:
        break;
    case wbInternal::rawHeaderEmpty:
        return Parsed<Header>::fail(fmt::format("expected {}, found the end of the file", what(0)));
    case wbInternal::rawHeaderShort:
        return Parsed<Header>::fail(
            fmt::format("line {}: expected {} after the row count, found the end of the line",
                        raw.line, what(raw.field)));
    case wbInternal::rawHeaderBadDim:
        return Parsed<Header>::fail(
            fmt::format("line {}: expected {}, found '{}'", raw.line, what(raw.field),
                        escape(text_of(raw.fieldBegin[raw.field], raw.fieldEnd[raw.field]))));
    case wbInternal::rawHeaderLong: // only when the file decides the rank, never here
        return Parsed<Header>::fail(fmt::format("line {}: expected a header, found '{}'", raw.line,
                                                escape(text_of(raw.lineBegin, raw.lineEnd))));
    }
    Header header;
    header.dims.assign(raw.dims, raw.dims + raw.rank);
    header.count = raw.count;
    header.overflow = raw.overflow;
    return Parsed<Header>{std::move(header), {}};
}

Parsed<std::vector<double>> read_reals(TokenReader& tokens, std::uint64_t count,
                                       std::size_t text_size, std::string_view noun) {
    return read_values<double>(tokens, count, text_size, noun, "a number", parse_real);
}

Parsed<std::vector<std::int64_t>> read_integers(TokenReader& tokens, std::uint64_t count,
                                                std::size_t text_size, std::string_view noun) {
    return read_values<std::int64_t>(tokens, count, text_size, noun, "an integer", parse_integer);
}

Parsed<Image> parse_ppm(std::string_view bytes, std::string_view noun) {
    using Result = Parsed<Image>;
    const char* end = bytes.data() + bytes.size();
    const wbInternal::PpmHeader h = wbInternal::scanPpm(bytes.data(), end);
    constexpr std::array<std::string_view, 3> names = {"width", "height", "maximum value"};
    Image image;
    image.width = h.fields[0];
    image.height = h.fields[1];
    image.channels = h.channels;
    switch (h.problem) {
    case wbInternal::ppmOk:
        break;
    case wbInternal::ppmNotBinary:
        return Result::fail(
            fmt::format("{} is not a binary PPM image (P5 or P6): it starts with '{}'", noun,
                        escape(bytes.substr(0, 2))));
    case wbInternal::ppmBadField: {
        std::string found = h.found == end
                                ? std::string("the end of the file")
                                : fmt::format("'{}'", escape(text_of(h.found, h.foundEnd)));
        return Result::fail(
            fmt::format("the PPM header: expected the {}, found {}", names[h.field], found));
    }
    case wbInternal::ppmLongField:
        return Result::fail(fmt::format("the PPM header: the {} is too large", names[h.field]));
    case wbInternal::ppmNoSeparator:
        return Result::fail(
            "the PPM header: expected one white-space byte after the maximum value");
    case wbInternal::ppmEmptyImage:
        return Result::fail(
            fmt::format("the PPM header: the image is {}x{}; both must be at least 1", image.width,
                        image.height));
    case wbInternal::ppmBadMaxval:
        return Result::fail(fmt::format(
            "the PPM header: maximum value {} is not supported; write 8-bit samples (255)",
            h.fields[2]));
    case wbInternal::ppmTooLarge:
        return Result::fail(
            fmt::format("the PPM header: a {}x{} image is too large", image.width, image.height));
    case wbInternal::ppmShort:
        return Result::fail(fmt::format("{} has {} bytes of pixel data, a {}x{} {} image needs {}",
                                        noun, h.have, image.width, image.height,
                                        image.channels == 3 ? "colour" : "grey", h.need));
    case wbInternal::ppmTrailing:
        return Result::fail(fmt::format("{} has {} bytes after the pixel data of its {}x{} image, "
                                        "not all white space",
                                        noun, h.have - h.need, image.width, image.height));
    }
    image.maxval = static_cast<int>(h.fields[2]);
    image.samples = text_of(reinterpret_cast<const char*>(h.pixels),
                            reinterpret_cast<const char*>(h.pixels) + h.need);
    return Result{image, {}};
}

} // namespace wb::core::output_format
