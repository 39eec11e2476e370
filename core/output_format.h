// Readers for the files the grader compares: libwb's numeric text files and
// 8-bit binary PPM images (docs/mp-format.md, "File formats").
//
// The same readers serve the expected file (written by the MP author: trusted,
// but still checked) and the produced one (written by the program: untrusted).
// They never throw on bad content; they return the problem as a sentence and
// the caller decides whether it is a wrong answer or an InputError. Nothing is
// sized by what a header claims: the values kept are bounded by the size of
// the file, so a header of 10^12 elements costs nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::core::output_format {

// A value, or the sentence that says why there is none.
template <class T> struct Parsed {
    std::optional<T> value;
    std::string problem;

    static Parsed fail(std::string why) { return Parsed{std::nullopt, std::move(why)}; }
    explicit operator bool() const { return value.has_value(); }
};

// ---- Whole files ---------------------------------------------------------

enum class ReadStatus { ok, missing, symlink, not_regular, too_large, io_error };

struct FileBytes {
    ReadStatus status = ReadStatus::ok;
    std::string detail; // strerror text for io_error; the size for too_large
    std::string bytes;
};

enum class Links { follow, refuse };

// Reads a whole regular file in one go. With Links::refuse a symbolic link as
// the last component is refused rather than followed (a program must not
// point the grader at another file). A FIFO or device is refused without
// blocking.
FileBytes read_file(const std::filesystem::path& path, std::uint64_t max_bytes, Links links);

// True when the text holds nothing but white space.
bool is_blank(std::string_view text);

// ---- Text ----------------------------------------------------------------

struct Header;
class TokenReader;
Parsed<Header> read_header(TokenReader& tokens, int rank);

// The white-space separated tokens of a text, with their line numbers.
class TokenReader {
  public:
    explicit TokenReader(std::string_view text) : text_(text) {}
    // The next token, or false at the end of the text.
    bool next(std::string_view& token);
    // The 1-based line of the last token returned.
    [[nodiscard]] std::uint64_t line() const { return token_line_; }

  private:
    friend Parsed<Header> read_header(TokenReader& tokens, int rank);

    std::string_view text_;
    std::size_t pos_ = 0;
    std::uint64_t line_ = 1;
    std::uint64_t token_line_ = 0;
};

// A whole token as a number. Accepted: what std::from_chars accepts
// ("1e-5", "-0", ".5", "nan", "inf", "-inf"), optionally after one '+';
// values beyond double's range become infinities or zero. Both parsers are
// libwb's (libwb/wb_format.h), so wb.h reads the same tokens alike.
bool parse_real(std::string_view token, double& out);
// A whole token as a decimal 64-bit integer, optionally signed ('+' or '-').
// "3.0" or "3e0" are not integers.
bool parse_integer(std::string_view token, std::int64_t& out);

// The token or text quoted for a message: control bytes and invalid UTF-8
// escaped, cut to about `max` bytes with "..." when longer.
std::string escape(std::string_view text, std::size_t max = 40);

// ---- libwb numeric files -------------------------------------------------

// The header: one count (vector modes) or rows and columns (matrix).
struct Header {
    std::vector<std::uint64_t> dims;
    std::uint64_t count = 0; // product of dims; only valid when not overflowed
    bool overflow = false;   // the product does not fit in 64 bits
};

// Reads `rank` non-negative integers (1: "N", 2: "R C") as the header, all
// on the first line that has a token; values may follow on that line. The
// scan is libwb's (libwb/wb_header.h), so wbSolution reads headers alike.
Parsed<Header> read_header(TokenReader& tokens, int rank);

// Reads exactly `count` values after the header, then checks nothing follows.
// `noun` starts the count sentences ("the output has 98 values, the header
// says 100"). Integral files accept integer syntax only.
Parsed<std::vector<double>> read_reals(TokenReader& tokens, std::uint64_t count,
                                       std::size_t text_size, std::string_view noun);
Parsed<std::vector<std::int64_t>> read_integers(TokenReader& tokens, std::uint64_t count,
                                                std::size_t text_size, std::string_view noun);

// ---- PPM images ----------------------------------------------------------

struct Image {
    std::uint64_t width = 0;
    std::uint64_t height = 0;
    int channels = 0;         // 1 (P5, grey) or 3 (P6, colour)
    int maxval = 255;         // 1..255: one byte per sample
    std::string_view samples; // width*height*channels bytes, row by row
};

// Parses a binary PPM (P5 or P6, maxval up to 255; '#' comments allowed in
// the header; exactly the pixels after it). The samples view the `bytes`
// given. `noun` starts sentences about the file ("the output"). The scan is
// libwb's (libwb/wb_header.h), so wbImport and wbSolution read images by the
// same rules.
Parsed<Image> parse_ppm(std::string_view bytes, std::string_view noun);

} // namespace wb::core::output_format
