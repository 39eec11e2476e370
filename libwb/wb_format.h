// libwb formats: the tokens, numbers and tolerance that the grader and wb.h
// must read and judge alike.
//
// A student's local verdict (wbSolution with -e) is only worth having if it
// is the grader's verdict, so the grader (core/output_format.cpp and
// core/check.cpp) includes this header too instead of keeping its own copy:
// one tokenizer, one number syntax, one float comparison. What is shared is
// what decides a verdict; the messages stay with each caller, since the
// grader and wbSolution word theirs differently and tests check both.
// tests/libwb/test_libwb_check.cpp runs both on the same files.
//
// This is the bottom of libwb: it includes no other libwb header and nothing
// from the project, declares nothing in the global namespace, and keeps to
// C++11 and the standard library like the rest of libwb (see wb_base.h),
// since every student program compiles it.
#pragma once

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

// <charconv> (C++17) converts numbers several times faster than strtod and
// printf, which matters when a dataset has millions of values and the run
// has a 3-second CPU limit. Older dialects fall back to the C functions;
// both read and write every value exactly.
#if __cplusplus >= 201703L && defined(__has_include)
#if __has_include(<charconv>)
#include <charconv>
#endif
#endif
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
#define WB_USE_CHARCONV 1
#endif

namespace wbInternal {

// ---- Tolerance -------------------------------------------------------------

// The float comparison of docs/mp-format.md: |got - expected| <= abs or
// <= rel * |expected|; NaN matches only NaN, an infinity only itself.
struct Tolerance {
    double abs;
    double rel;
};

inline bool valuesMatch(double expected, double got, const Tolerance& tol) {
    if (std::isnan(expected) || std::isnan(got)) return std::isnan(expected) && std::isnan(got);
    if (std::isinf(expected) || std::isinf(got))
        return std::isinf(expected) && std::isinf(got) &&
               std::signbit(expected) == std::signbit(got);
    double diff = std::fabs(got - expected);
    return diff <= tol.abs || diff <= tol.rel * std::fabs(expected);
}

// ---- Tokens ----------------------------------------------------------------

// White space inside a line; with '\n', what separates tokens.
inline bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

inline bool isSpace(char c) {
    return isBlank(c) || c == '\n';
}

// A position in the buffer being parsed, with its 1-based line (64 bits: a
// program's output may be larger than 2^31 lines).
struct Cursor {
    const char* p;
    const char* end;
    long long line;
};

// Skips white space (newlines included) and returns the next token, if any.
inline bool nextToken(Cursor& c, const char*& begin, const char*& end) {
    while (c.p < c.end && isSpace(*c.p)) {
        if (*c.p == '\n') ++c.line;
        ++c.p;
    }
    if (c.p == c.end) return false;
    begin = c.p;
    while (c.p < c.end && !isSpace(*c.p))
        ++c.p;
    end = c.p;
    return true;
}

// The next token on the current line only.
inline bool nextTokenOnLine(Cursor& c, const char*& begin, const char*& end) {
    while (c.p < c.end && isBlank(*c.p))
        ++c.p;
    if (c.p == c.end || *c.p == '\n') return false;
    begin = c.p;
    while (c.p < c.end && !isSpace(*c.p))
        ++c.p;
    end = c.p;
    return true;
}

// ---- Numbers ---------------------------------------------------------------

// strtod/strtoll need a terminated string; tokens are short, so copy.
class TokenText {
  public:
    TokenText(const char* begin, const char* end) {
        size_t n = static_cast<size_t>(end - begin);
        if (n < sizeof small_) {
            std::memcpy(small_, begin, n);
            small_[n] = '\0';
            text_ = small_;
        } else {
            large_.assign(begin, end);
            text_ = large_.c_str();
        }
        length_ = n;
    }
    const char* c_str() const { return text_; }
    size_t size() const { return length_; }

  private:
    char small_[64];
    std::string large_;
    const char* text_;
    size_t length_;
};

#ifdef WB_USE_CHARCONV
template <typename T> inline bool fastParse(const char* begin, const char* end, T& out) {
    std::from_chars_result r = std::from_chars(begin, end, out);
    return r.ec == std::errc() && r.ptr == end;
}
#endif

// The syntax of a real number, whichever function converts it: one optional
// sign, then what std::from_chars reads ("1e-5", ".5", "nan", "inf",
// "infinity"). strtod would also take hex floats and leading white space;
// they are refused here so that the C++11 path accepts the same tokens.
inline bool realSyntax(const char* begin, const char* end) {
    const char* p = begin;
    if (p != end && (*p == '+' || *p == '-')) ++p;
    if (p == end) return false;
    char c = *p;
    if (c == '0' && end - p > 1 && (p[1] == 'x' || p[1] == 'X')) return false;
    return (c >= '0' && c <= '9') || c == '.' || c == 'i' || c == 'I' || c == 'n' || c == 'N';
}

// One real number filling [begin, end): from_chars where the library has it
// for floating point, strtod/strtof (the same rounding) where it has not or
// where the value is out of range. Out-of-range input gives the nearest value
// (an infinity, or a tiny value or zero), as strtod does; that is no error.
template <typename Real>
inline bool parseReal(const char* begin, const char* end, Real& out,
                      Real (*strto)(const char*, char**)) {
    if (!realSyntax(begin, end)) return false;
#ifdef WB_USE_CHARCONV
    if (fastParse(*begin == '+' ? begin + 1 : begin, end, out)) return true;
#endif
    TokenText text(begin, end);
    char* stop = nullptr;
    out = strto(text.c_str(), &stop);
    return stop == text.c_str() + text.size();
}

inline bool parseDouble(const char* begin, const char* end, double& out) {
    return parseReal<double>(begin, end, out,
                             [](const char* p, char** stop) { return std::strtod(p, stop); });
}

inline bool parseFloat(const char* begin, const char* end, float& out) {
    return parseReal<float>(begin, end, out,
                            [](const char* p, char** stop) { return std::strtof(p, stop); });
}

// A whole token as a decimal integer, one optional sign ('+' or '-'); "3.0"
// and "3e0" are not integers. A value past 64 bits is read (as the nearest
// limit) with `overflow` set, so that the caller can say so.
inline bool parseInteger(const char* begin, const char* end, long long& out, bool& overflow) {
    overflow = false;
    if (begin == end || isSpace(*begin)) return false;
#ifdef WB_USE_CHARCONV
    if (fastParse(begin, end, out)) return true;
#endif
    TokenText text(begin, end);
    char* stop = nullptr;
    errno = 0;
    out = std::strtoll(text.c_str(), &stop, 10);
    if (stop != text.c_str() + text.size()) return false;
    overflow = errno == ERANGE;
    return true;
}

} // namespace wbInternal
