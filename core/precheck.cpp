// The precheck's tokenizer (see precheck.h).
//
// A small C/C++/CUDA lexer, close enough to a compiler's first translation
// phases to answer "does this token sequence occur in the code". Line splices
// (backslash-newline) are removed first, as the compiler removes them, so
// `ex\<newline>it` is still `exit` and a `//` comment continues onto the next
// line; every byte remembers where it came from, so a hit is reported at its
// line and column in the file as written. Then comments and string and
// character literals are skipped, and the rest becomes identifiers,
// pp-numbers and punctuators (longest match; digraphs are spelled as the
// token they stand for, so `%:include` is `#include`). There is no
// preprocessing: code under `#if 0` counts, and macros are not expanded.
//
// A lexer over student code meets every malformed input, so each step
// consumes at least one byte, and an unterminated comment or literal ends at
// the end of the file, or for quoted literals at the end of the line (as a
// compiler treats a stray ' in a skipped block).
#include "core/precheck.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace wb::core {
namespace {

// The text after splicing; origin[i] is the offset of text[i] in the source,
// plus one last entry: the source's size.
struct Spliced {
    std::string text;
    std::vector<std::size_t> origin;
};

Spliced splice(std::string_view source) {
    Spliced s;
    s.text.reserve(source.size());
    s.origin.reserve(source.size() + 1);
    std::size_t i = 0;
    while (i < source.size()) {
        if (source[i] == '\\') {
            // GCC and Clang also splice when blanks separate the backslash
            // from the newline, so the precheck must too.
            std::size_t j = i + 1;
            while (j < source.size() && (source[j] == ' ' || source[j] == '\t'))
                ++j;
            if (j < source.size() && source[j] == '\n') {
                i = j + 1;
                continue;
            }
            if (j + 1 < source.size() && source[j] == '\r' && source[j + 1] == '\n') {
                i = j + 2;
                continue;
            }
        }
        s.text += source[i];
        s.origin.push_back(i);
        ++i;
    }
    s.origin.push_back(source.size());
    return s;
}

struct Token {
    std::string_view text; // a view of the spliced text, or of a static spelling
    std::size_t at;        // index in the spliced text
};

constexpr bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}
constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_ident_start(char c) {
    // Bytes of UTF-8 sequences count: GCC accepts them in identifiers.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}
constexpr bool is_ident_char(char c) {
    return is_ident_start(c) || is_digit(c);
}

bool is_string_prefix(std::string_view w) {
    return w == "u8" || w == "u" || w == "U" || w == "L" || w == "R" || w == "u8R" || w == "uR" ||
           w == "UR" || w == "LR";
}
bool is_char_prefix(std::string_view w) {
    return w == "u8" || w == "u" || w == "U" || w == "L";
}

// The end of the string or character literal whose quote is at s[q].
std::size_t skip_quoted(std::string_view s, std::size_t q) {
    const char quote = s[q];
    std::size_t i = q + 1;
    while (i < s.size()) {
        char c = s[i];
        if (c == '\\') {
            i += 2; // splices are gone, so this never skips a newline
            continue;
        }
        if (c == quote) return i + 1;
        if (c == '\n') return i;
        ++i;
    }
    return s.size();
}

constexpr bool is_raw_delimiter_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F && c != '(' && c != ')' && c != '\\';
}

// The end of the raw string literal R"delim(...)delim" whose quote is at
// text[q]. Splices are undone inside a raw string, so its end is looked for
// in the source as written.
std::size_t skip_raw(const Spliced& sp, std::string_view source, std::size_t q) {
    std::string_view s = sp.text;
    constexpr std::size_t max_delimiter = 16;
    std::size_t open = q + 1;
    while (open < s.size() && open - (q + 1) <= max_delimiter && is_raw_delimiter_char(s[open])) {
        ++open;
    }
    if (open >= s.size() || s[open] != '(' || open - (q + 1) > max_delimiter) {
        return skip_quoted(s, q); // not a valid raw string; the compiler refuses it anyway
    }
    std::string closing = ")";
    closing.append(s.substr(q + 1, open - (q + 1)));
    closing += '"';
    std::size_t found = source.find(closing, sp.origin[open] + 1);
    if (found == std::string_view::npos) return s.size();
    std::size_t end = found + closing.size();
    auto it = std::lower_bound(sp.origin.begin(), sp.origin.end(), end);
    return static_cast<std::size_t>(it - sp.origin.begin());
}

// The end of the pp-number that starts at s[i] (a digit, or '.' and a digit).
std::size_t skip_number(std::string_view s, std::size_t i) {
    i += s[i] == '.' ? 2 : 1;
    while (i < s.size()) {
        char c = s[i];
        char next = i + 1 < s.size() ? s[i + 1] : '\0';
        bool exponent_sign =
            (c == 'e' || c == 'E' || c == 'p' || c == 'P') && (next == '+' || next == '-');
        bool digit_separator = c == '\'' && is_ident_char(next); // 1'000'000
        if (exponent_sign || digit_separator) {
            i += 2;
        } else if (is_ident_char(c) || c == '.') {
            ++i;
        } else {
            break;
        }
    }
    return i;
}

struct Punctuator {
    std::string_view spelling;
    std::string_view token;
};

// Longest first; the first that matches wins.
constexpr auto punctuators = std::to_array<Punctuator>({
    {"%:%:", "##"}, {"<<=", "<<="}, {">>=", ">>="}, {"...", "..."}, {"->*", "->*"}, {"<=>", "<=>"},
    {"::", "::"},   {"->", "->"},   {"++", "++"},   {"--", "--"},   {"<<", "<<"},   {">>", ">>"},
    {"<=", "<="},   {">=", ">="},   {"==", "=="},   {"!=", "!="},   {"&&", "&&"},   {"||", "||"},
    {"+=", "+="},   {"-=", "-="},   {"*=", "*="},   {"/=", "/="},   {"%=", "%="},   {"&=", "&="},
    {"|=", "|="},   {"^=", "^="},   {"##", "##"},   {".*", ".*"},   {"<:", "["},    {":>", "]"},
    {"<%", "{"},    {"%>", "}"},    {"%:", "#"},
});

// The punctuator (or lone byte) at s[i], and how many bytes it spans.
std::pair<std::string_view, std::size_t> punctuator_at(std::string_view s, std::size_t i) {
    std::string_view rest = s.substr(i);
    // C++11: "<::" is '<' then "::" unless followed by ':' or '>'.
    if (rest.starts_with("<::") && (rest.size() == 3 || (rest[3] != ':' && rest[3] != '>'))) {
        return {rest.substr(0, 1), 1};
    }
    for (const auto& p : punctuators) {
        if (rest.starts_with(p.spelling)) return {p.token, p.spelling.size()};
    }
    return {rest.substr(0, 1), 1};
}

std::vector<Token> tokenize(const Spliced& sp, std::string_view source) {
    std::string_view s = sp.text;
    const std::size_t n = s.size();
    std::vector<Token> out;
    // Where we are in a preprocessing directive: after `#` at the start of a
    // line, or in the rest of an `#include` line, whose "header.h" is read as
    // tokens so that a keyword like `pthread.h` matches both spellings.
    enum class Directive { none, hash, include };
    Directive directive = Directive::none;
    bool line_start = true;

    auto emit = [&](std::string_view text, std::size_t at) {
        if (directive == Directive::include) {
            // stays until the end of the line
        } else if (text == "#" && line_start) {
            directive = Directive::hash;
        } else if (directive == Directive::hash &&
                   (text == "include" || text == "include_next" || text == "import")) {
            directive = Directive::include;
        } else {
            directive = Directive::none;
        }
        line_start = false;
        out.push_back(Token{text, at});
    };

    std::size_t i = s.starts_with("\xEF\xBB\xBF") ? 3 : 0; // a UTF-8 byte order mark
    while (i < n) {
        const char c = s[i];
        const char next = i + 1 < n ? s[i + 1] : '\0';
        if (c == '\n') {
            line_start = true;
            directive = Directive::none;
            ++i;
        } else if (is_space(c)) {
            ++i;
        } else if (c == '/' && next == '/') {
            std::size_t end = s.find('\n', i + 2);
            i = end == std::string_view::npos ? n : end;
        } else if (c == '/' && next == '*') {
            std::size_t end = s.find("*/", i + 2);
            i = end == std::string_view::npos ? n : end + 2;
        } else if (is_ident_start(c)) {
            std::size_t j = i + 1;
            while (j < n && is_ident_char(s[j]))
                ++j;
            std::string_view word = s.substr(i, j - i);
            if (j < n && s[j] == '"' && is_string_prefix(word)) {
                i = word.back() == 'R' ? skip_raw(sp, source, j) : skip_quoted(s, j);
            } else if (j < n && s[j] == '\'' && is_char_prefix(word)) {
                i = skip_quoted(s, j);
            } else {
                emit(word, i);
                i = j;
            }
        } else if (is_digit(c) || (c == '.' && is_digit(next))) {
            std::size_t j = skip_number(s, i);
            emit(s.substr(i, j - i), i);
            i = j;
        } else if (c == '"') {
            i = directive == Directive::include ? i + 1 : skip_quoted(s, i);
        } else if (c == '\'') {
            i = skip_quoted(s, i);
        } else {
            auto [text, length] = punctuator_at(s, i);
            emit(text, i);
            i += length;
        }
    }
    return out;
}

struct Pattern {
    const std::string* keyword;
    std::vector<std::string> tokens;
};

} // namespace

std::optional<PrecheckHit> find_forbidden(std::string_view source,
                                          const std::vector<std::string>& keywords) {
    std::vector<Pattern> patterns;
    for (const auto& keyword : keywords) {
        Spliced spliced = splice(keyword);
        Pattern pattern{&keyword, {}};
        for (const Token& t : tokenize(spliced, keyword))
            pattern.tokens.emplace_back(t.text);
        if (!pattern.tokens.empty()) patterns.push_back(std::move(pattern));
    }
    if (patterns.empty()) return std::nullopt;

    Spliced spliced = splice(source);
    std::vector<Token> tokens = tokenize(spliced, source);
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        for (const Pattern& p : patterns) { // at one position, the first listed keyword wins
            if (p.tokens.size() > tokens.size() - t) continue;
            bool match = true;
            for (std::size_t k = 0; k < p.tokens.size() && match; ++k) {
                match = tokens[t + k].text == p.tokens[k];
            }
            if (!match) continue;
            std::size_t offset = spliced.origin[tokens[t].at];
            std::size_t line_begin = 0;
            if (offset > 0) {
                std::size_t newline = source.rfind('\n', offset - 1);
                if (newline != std::string_view::npos) line_begin = newline + 1;
            }
            PrecheckHit hit;
            hit.keyword = *p.keyword;
            hit.line = 1 + static_cast<int>(std::count(
                               source.begin(), source.begin() + static_cast<std::ptrdiff_t>(offset),
                               '\n'));
            hit.column = static_cast<int>(offset - line_begin) + 1;
            return hit;
        }
    }
    return std::nullopt;
}

} // namespace wb::core
