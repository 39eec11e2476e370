// Output checking (see check.h).
//
// Every mode reads the expected file first and in full: it is the MP author's,
// so any problem with it throws InputError naming the file, whatever the
// program did. The produced file is then read with the same readers, and every
// problem with it (missing, empty, a bad header, a count that disagrees) is a
// wrong answer whose message says what to fix. Values are compared only once
// both files are known to be well formed, so when the shape of the output is
// wrong the message is about the shape.
//
// Indices in messages are 0-based like C arrays (element, row, column, pixel
// x and y, byte offset); line numbers and token numbers are 1-based, as an
// editor counts them. CheckResult::position is always the 0-based index.
#include "core/check.h"

#include "core/error.h"
#include "core/image_diff.h"
#include "core/output_format.h"
#include "libwb/wb_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace wb::core {
namespace {

namespace fs = std::filesystem;
namespace of = output_format;

constexpr std::string_view output_noun = "the output";
constexpr std::string_view file_noun = "the file";

// A produced file may spell its values with more digits than the expected
// one, but it may not be unboundedly larger.
constexpr std::uint64_t produced_slack_bytes = 64ULL << 20;
constexpr std::uint64_t produced_size_factor = 16;

// Lines shown by the exact mode are cut to about this many bytes.
constexpr std::size_t shown_line_bytes = 80;

CheckResult right() {
    CheckResult r;
    r.correct = true;
    return r;
}

CheckResult wrong(std::string message, std::int64_t position = -1, std::string expected = {},
                  std::string got = {}) {
    CheckResult r;
    r.message = std::move(message);
    r.position = position;
    r.expected = std::move(expected);
    r.got = std::move(got);
    return r;
}

[[noreturn]] void bad_expected(const fs::path& path, std::string_view problem) {
    throw InputError(fmt::format("the expected output {}: {}", path.string(), problem));
}

std::string read_expected(const fs::path& path) {
    auto file = of::read_file(path, max_bundle_file_bytes, of::Links::follow);
    switch (file.status) {
    case of::ReadStatus::ok:
        return std::move(file.bytes);
    case of::ReadStatus::missing:
        bad_expected(path, "the file does not exist");
    case of::ReadStatus::symlink:
        bad_expected(path, "the file is a symbolic link");
    case of::ReadStatus::not_regular:
        bad_expected(path, "not a regular file");
    case of::ReadStatus::too_large:
        bad_expected(path,
                     fmt::format("the file is {} bytes, more than a bundle file may have ({})",
                                 file.detail, max_bundle_file_bytes));
    case of::ReadStatus::io_error:
        bad_expected(path, fmt::format("cannot read it: {}", file.detail));
    }
    bad_expected(path, "cannot read it");
}

// The produced file's bytes, or the wrong answer that its absence is.
struct Produced {
    std::string bytes;
    std::optional<CheckResult> failure;
};

Produced read_produced(const fs::path& path, std::size_t expected_size,
                       const CheckOptions& options) {
    const std::string_view what = options.stdout_output ? "the standard output" : "the output file";
    std::uint64_t max = produced_slack_bytes + produced_size_factor * expected_size;
    auto file = of::read_file(path, max, of::Links::refuse);
    Produced p;
    switch (file.status) {
    case of::ReadStatus::ok:
        p.bytes = std::move(file.bytes);
        break;
    case of::ReadStatus::missing:
        p.failure = wrong(options.stdout_output ? "the program's standard output was not kept"
                                                : "the program wrote no output file (expected it "
                                                  "at -o)");
        break;
    case of::ReadStatus::symlink:
        p.failure =
            wrong("the output file is a symbolic link; the program must write a regular file");
        break;
    case of::ReadStatus::not_regular:
        p.failure = wrong("the output file is not a regular file");
        break;
    case of::ReadStatus::too_large:
        p.failure = wrong(fmt::format("{} is {} bytes, far more than the expected output ({} "
                                      "bytes)",
                                      what, file.detail, expected_size));
        break;
    case of::ReadStatus::io_error:
        p.failure = wrong(fmt::format("cannot read {}: {}", what, file.detail));
        break;
    }
    return p;
}

CheckResult empty_output(const CheckOptions& options) {
    return wrong(options.stdout_output ? "the program wrote nothing on its standard output"
                                       : "the output file is empty");
}

// ---- exact ---------------------------------------------------------------

// The line of `text` that holds byte `at` (with its newline), escaped and cut
// to a window around `at` when long.
std::string shown_line(std::string_view text, std::size_t at) {
    at = std::min(at, text.size());
    std::size_t begin = 0;
    if (at > 0) {
        std::size_t newline = text.rfind('\n', at - 1);
        if (newline != std::string_view::npos) begin = newline + 1;
    }
    std::size_t end = text.find('\n', at);
    end = end == std::string_view::npos ? text.size() : end + 1;
    std::size_t from = begin;
    if (end - begin > shown_line_bytes && at - begin > shown_line_bytes / 2) {
        from = at - shown_line_bytes / 2;
    }
    std::size_t to = std::min(end, from + shown_line_bytes);
    std::string_view part = text.substr(from, to - from);
    return fmt::format("{}{}{}", from > begin ? "..." : "", of::escape(part, part.size()),
                       to < end ? "..." : "");
}

CheckResult check_exact(std::string_view expected, std::string_view got,
                        const CheckOptions& options) {
    if (expected == got) return right();
    if (got.empty()) return empty_output(options);
    auto [e_it, g_it] = std::mismatch(expected.begin(), expected.end(), got.begin(), got.end());
    auto at = static_cast<std::size_t>(e_it - expected.begin());
    auto line = 1 + std::count(expected.begin(), e_it, '\n');
    std::string where;
    if (at < expected.size() && at < got.size()) {
        where = fmt::format("byte {} (line {}) differs", at, line);
    } else if (at == got.size()) {
        where = fmt::format("the output ends at byte {} (line {}), expected {} bytes", at, line,
                            expected.size());
    } else {
        where = fmt::format("the output has {} bytes, expected {}; the extra ones start at byte "
                            "{} (line {})",
                            got.size(), expected.size(), at, line);
    }
    std::string e = shown_line(expected, at);
    std::string g = shown_line(got, at);
    return wrong(fmt::format("{}: expected line '{}', got line '{}'", where, e, g),
                 static_cast<std::int64_t>(at), e, g);
}

// ---- tokens --------------------------------------------------------------

// A number as the tokens mode reads one: decimal, [+-]digits[.digits][e[+-]digits]
// (at least one digit before the exponent). Not "nan", "inf" or hex: those
// are words, compared as text.
bool is_decimal_number(std::string_view t) {
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t from = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9')
            ++i;
        return i - from;
    };
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    std::size_t mantissa = digits();
    if (i < t.size() && t[i] == '.') {
        ++i;
        mantissa += digits();
    }
    if (mantissa == 0) return false;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        if (digits() == 0) return false;
    }
    return i == t.size();
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
}

// Kattis's default output validator, token by token: a number of the
// expected output (when a tolerance was given) against a number within it,
// any other token as text.
bool token_matches(std::string_view e, std::string_view g, const Tolerance& tol,
                   const TokenRules& rules) {
    double ev = 0;
    if (rules.numeric && is_decimal_number(e) && of::parse_real(e, ev)) {
        double gv = 0;
        return is_decimal_number(g) && of::parse_real(g, gv) && values_match(ev, gv, tol);
    }
    return rules.case_sensitive ? e == g : equal_ignoring_case(e, g);
}

// The white space of `text` from `from` to the token at `token` (or to the
// end when it is empty and past the text).
std::string_view gap(std::string_view text, std::size_t from, std::string_view token) {
    const std::size_t to =
        token.empty() ? text.size() : static_cast<std::size_t>(token.data() - text.data());
    return text.substr(from, to - from);
}

std::size_t end_of(std::string_view text, std::string_view token) {
    return static_cast<std::size_t>(token.data() - text.data()) + token.size();
}

// How many tokens `r` holds in all, having returned `index + 1` of them.
std::uint64_t total_tokens(of::TokenReader& r, std::uint64_t index) {
    std::string_view ignored;
    std::uint64_t total = index + 1;
    while (r.next(ignored))
        ++total;
    return total;
}

// One text has a token at `index`, the other has ended.
CheckResult count_mismatch(of::TokenReader& e, of::TokenReader& g, bool has_e, std::string_view et,
                           std::string_view gt, std::uint64_t index) {
    const auto at = static_cast<std::int64_t>(index);
    if (has_e) {
        std::string es = of::escape(et);
        const std::uint64_t e_line = e.line();
        return wrong(fmt::format("the output has {} tokens, expected {}: it ends where token "
                                 "{}, '{}' (expected line {}), should be",
                                 index, total_tokens(e, index), index + 1, es, e_line),
                     at, es, "");
    }
    std::string gs = of::escape(gt);
    const std::uint64_t g_line = g.line();
    return wrong(fmt::format("the output has {} tokens, expected {}: token {} (line {}), '{}', is "
                             "extra",
                             total_tokens(g, index), index, index + 1, g_line, gs),
                 at, "", gs);
}

CheckResult space_mismatch(std::string_view e_gap, std::string_view g_gap, std::uint64_t index,
                           std::uint64_t line, bool at_end) {
    std::string es = of::escape(e_gap);
    std::string gs = of::escape(g_gap);
    const std::string where =
        at_end ? "the white space after the last token"
               : fmt::format("the white space before token {} (line {})", index + 1, line);
    return wrong(fmt::format("{} differs: expected '{}', got '{}' (white space must match exactly "
                             "in this MP)",
                             where, es, gs),
                 static_cast<std::int64_t>(index), es, gs);
}

CheckResult check_tokens(std::string_view expected, std::string_view got, const Tolerance& tol,
                         const TokenRules& rules, const CheckOptions& options) {
    of::TokenReader e(expected);
    of::TokenReader g(got);
    std::string_view et;
    std::string_view gt;
    std::size_t e_end = 0; // where the last token of each ended
    std::size_t g_end = 0;
    for (std::uint64_t index = 0;; ++index) {
        const bool has_e = e.next(et);
        const bool has_g = g.next(gt);
        if (has_e != has_g && got.empty()) return empty_output(options);
        if (has_e != has_g) return count_mismatch(e, g, has_e, et, gt, index);
        if (rules.space_change_sensitive) {
            const auto e_gap = gap(expected, e_end, has_e ? et : std::string_view());
            const auto g_gap = gap(got, g_end, has_g ? gt : std::string_view());
            if (e_gap != g_gap) return space_mismatch(e_gap, g_gap, index, g.line(), !has_e);
        }
        if (!has_e) return right();
        e_end = end_of(expected, et);
        g_end = end_of(got, gt);
        if (token_matches(et, gt, tol, rules)) continue;
        std::string es = of::escape(et);
        std::string gs = of::escape(gt);
        return wrong(
            fmt::format("token {} (line {}): expected '{}', got '{}'", index + 1, g.line(), es, gs),
            static_cast<std::int64_t>(index), es, gs);
    }
}

// ---- libwb numeric files -------------------------------------------------

// The two values as text with 9 significant digits, or with as many as tell
// them apart when 9 do not.
std::pair<std::string, std::string> shown_pair(double e, double g) {
    std::string es = fmt::format("{:.9g}", e);
    std::string gs = fmt::format("{:.9g}", g);
    if (es == gs) {
        es = fmt::format("{}", e);
        gs = fmt::format("{}", g);
    }
    return {es, gs};
}

std::pair<std::string, std::string> shown_pair(std::int64_t e, std::int64_t g) {
    return {fmt::format("{}", e), fmt::format("{}", g)};
}

template <class T>
of::Parsed<std::vector<T>> read_values(of::TokenReader& tokens, std::uint64_t count,
                                       std::size_t text_size, std::string_view noun) {
    if constexpr (std::is_integral_v<T>) {
        return of::read_integers(tokens, count, text_size, noun);
    } else {
        return of::read_reals(tokens, count, text_size, noun);
    }
}

std::string shape_mismatch(const of::Header& got, const of::Header& expected) {
    if (expected.dims.size() == 2) {
        auto shape = [](std::uint64_t rows, std::uint64_t cols) {
            return fmt::format("{} row{} and {} column{}", rows, rows == 1 ? "" : "s", cols,
                               cols == 1 ? "" : "s");
        };
        return fmt::format("the output has {}, expected {}", shape(got.dims[0], got.dims[1]),
                           shape(expected.dims[0], expected.dims[1]));
    }
    return fmt::format("the output has {} elements, expected {}", got.dims[0], expected.dims[0]);
}

// libwb's csv and tsv files (the extension says which) have no header: a
// row per line, values separated by commas or tabs. They are read as the
// raw layout that says what they hold: "N" and the values for a vector
// (whatever the shape: a course's one line of N values and libwb's N lines
// of one are the same vector), "R C" and the rows for a matrix.
std::optional<char> separator_of(const fs::path& file) {
    const auto ext = file.extension();
    if (ext == ".csv") return ',';
    if (ext == ".tsv") return '\t';
    return std::nullopt;
}

bool is_blank_char(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string with_header(std::string_view text, char sep, int rank) {
    std::string values;
    std::uint64_t count = 0, rows = 0, columns = 0;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(at, end - at);
        at = end + 1;
        std::uint64_t in_line = 0;
        std::size_t from = 0;
        while (from <= line.size()) {
            std::size_t to = line.find(sep, from);
            if (to == std::string_view::npos) to = line.size();
            std::string_view field = line.substr(from, to - from);
            while (!field.empty() && is_blank_char(field.front()))
                field.remove_prefix(1);
            while (!field.empty() && is_blank_char(field.back()))
                field.remove_suffix(1);
            if (!field.empty()) {
                values.append(field);
                values.push_back(' ');
                ++in_line;
            }
            from = to + 1;
        }
        if (in_line == 0) continue; // a blank line
        if (rows == 0) columns = in_line;
        ++rows;
        count += in_line;
        values.push_back('\n');
    }
    const std::string header =
        rank == 2 ? fmt::format("{} {}\n", rows, columns) : fmt::format("{}\n", count);
    return header + values;
}

template <class T>
CheckResult check_numbers(int rank, const Tolerance& tol, const fs::path& expected_path,
                          std::string_view expected, const fs::path& produced_path,
                          const CheckOptions& options) {
    if (of::is_blank(expected)) bad_expected(expected_path, "the file is empty");
    const auto sep = separator_of(expected_path);
    std::string expected_headed;
    if (sep) {
        expected_headed = with_header(expected, *sep, rank);
        expected = expected_headed;
    }
    of::TokenReader e(expected);
    auto e_header = of::read_header(e, rank);
    if (!e_header) bad_expected(expected_path, e_header.problem);
    if (e_header.value->overflow) bad_expected(expected_path, "the header's counts are too large");
    const std::uint64_t count = e_header.value->count;
    auto e_values = read_values<T>(e, count, expected.size(), file_noun);
    if (!e_values) bad_expected(expected_path, e_values.problem);

    Produced produced = read_produced(produced_path, expected.size(), options);
    if (produced.failure) return *produced.failure;
    if (of::is_blank(produced.bytes)) return empty_output(options);
    if (sep) produced.bytes = with_header(produced.bytes, *sep, rank);
    of::TokenReader g(produced.bytes);
    auto g_header = of::read_header(g, rank);
    if (!g_header) return wrong(g_header.problem);
    // Compared before any value is read: only the expected count sizes anything.
    if (g_header.value->dims != e_header.value->dims) {
        return wrong(shape_mismatch(*g_header.value, *e_header.value));
    }
    auto g_values = read_values<T>(g, count, produced.bytes.size(), output_noun);
    if (!g_values) return wrong(g_values.problem);

    const std::vector<T>& ev = *e_values.value;
    const std::vector<T>& gv = *g_values.value;
    for (std::size_t i = 0; i < ev.size(); ++i) {
        bool match;
        if constexpr (std::is_integral_v<T>) {
            match = ev[i] == gv[i];
        } else {
            match = values_match(ev[i], gv[i], tol);
        }
        if (match) continue;
        auto [es, gs] = shown_pair(ev[i], gv[i]);
        std::string where;
        if (rank == 2) {
            std::uint64_t columns = e_header.value->dims[1];
            where = fmt::format("row {}, column {} (element {})", i / columns, i % columns, i);
        } else {
            where = fmt::format("element {}", i);
        }
        return wrong(fmt::format("{}: expected {}, got {}", where, es, gs),
                     static_cast<std::int64_t>(i), es, gs);
    }
    return right();
}

// ---- images --------------------------------------------------------------

std::string_view channel_name(int channels, std::uint64_t c) {
    constexpr std::array<std::string_view, 3> rgb = {"red", "green", "blue"};
    return channels == 3 ? rgb[c] : "grey";
}

std::string describe_channels(int channels) {
    return channels == 3 ? "3 channels (P6, colour)" : "1 channel (P5, grey)";
}

CheckResult compare_images(const Tolerance& tol, const of::Image& ei, const of::Image& gi) {
    if (gi.width != ei.width || gi.height != ei.height) {
        return wrong(fmt::format("the image is {}x{}, expected {}x{}", gi.width, gi.height,
                                 ei.width, ei.height));
    }
    if (gi.channels != ei.channels) {
        return wrong(fmt::format("the image has {}, expected {}", describe_channels(gi.channels),
                                 describe_channels(ei.channels)));
    }
    const double e_scale = ei.maxval;
    const double g_scale = gi.maxval;
    for (std::size_t i = 0; i < ei.samples.size(); ++i) {
        int ev = static_cast<unsigned char>(ei.samples[i]);
        int gv = static_cast<unsigned char>(gi.samples[i]);
        double e = ev / e_scale;
        double g = gv / g_scale;
        if (values_match(e, g, tol)) continue;
        auto channels = static_cast<std::uint64_t>(ei.channels);
        std::uint64_t pixel = i / channels;
        std::uint64_t c = i % channels;
        std::string es = std::to_string(ev);
        std::string gs = std::to_string(gv);
        return wrong(fmt::format("pixel x={}, y={}, channel {} ({}): expected {}, got {} ({:.4g} "
                                 "and {:.4g} on a scale of 0 to 1)",
                                 pixel % ei.width, pixel / ei.width, c,
                                 channel_name(ei.channels, c), es, gs, e, g),
                     static_cast<std::int64_t>(i), es, gs);
    }
    return right();
}

// A wrong answer without a picture says why there is none.
CheckResult without_picture(CheckResult r, int max_side) {
    if (max_side > 0) r.picture_note = "no difference picture: the output is not a readable image";
    return r;
}

CheckResult check_image(const Tolerance& tol, const fs::path& expected_path,
                        std::string_view expected, const fs::path& produced_path,
                        const CheckOptions& options) {
    const int max_side = options.picture_max_side;
    auto e_image = of::parse_ppm(expected, file_noun);
    if (!e_image) bad_expected(expected_path, e_image.problem);
    const of::Image& ei = *e_image.value;

    Produced produced = read_produced(produced_path, expected.size(), options);
    if (produced.failure) return without_picture(*produced.failure, max_side);
    if (produced.bytes.empty()) return without_picture(empty_output(options), max_side);
    auto g_image = of::parse_ppm(produced.bytes, output_noun);
    if (!g_image) return without_picture(wrong(g_image.problem), max_side);
    const of::Image& gi = *g_image.value;

    CheckResult r = compare_images(tol, ei, gi);
    if (r.correct || max_side <= 0) return r;
    auto picture = diff_picture(ei, gi, tol, max_side);
    r.picture = std::move(picture.png);
    r.picture_note = std::move(picture.note);
    return r;
}

} // namespace

bool values_match(double expected, double got, const Tolerance& tol) {
    return wbInternal::valuesMatch(expected, got, wbInternal::Tolerance{tol.abs, tol.rel});
}

CheckResult check_output(CheckMode mode, const Tolerance& tol, const fs::path& expected,
                         const fs::path& produced, const CheckOptions& options) {
    std::string expected_bytes = read_expected(expected);
    switch (mode) {
    case CheckMode::exact:
    case CheckMode::tokens: {
        Produced p = read_produced(produced, expected_bytes.size(), options);
        if (p.failure) return *p.failure;
        return mode == CheckMode::exact
                   ? check_exact(expected_bytes, p.bytes, options)
                   : check_tokens(expected_bytes, p.bytes, tol, options.tokens, options);
    }
    case CheckMode::vector:
        return check_numbers<double>(1, tol, expected, expected_bytes, produced, options);
    case CheckMode::matrix:
        return check_numbers<double>(2, tol, expected, expected_bytes, produced, options);
    case CheckMode::integral_vector:
    case CheckMode::histogram:
        return check_numbers<std::int64_t>(1, tol, expected, expected_bytes, produced, options);
    case CheckMode::image:
        return check_image(tol, expected, expected_bytes, produced, options);
    case CheckMode::validator:
        break; // a program decides, not a comparison (core/validator.h)
    }
    throw InternalError(fmt::format("check_output: unknown check mode {}", static_cast<int>(mode)));
}

} // namespace wb::core
