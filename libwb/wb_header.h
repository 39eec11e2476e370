// libwb file headers: the `N` / `R C` line of a raw file and the framing of a
// PPM image, scanned one way for the grader and for wb.h.
//
// What a header says decides a verdict before any value is compared (a
// count that disagrees, an image of another size, bytes the header does not
// account for), so, like the tokens and numbers of wb_format.h, headers are
// scanned once, here: the grader (core/output_format.cpp) and libwb
// (wb_parse.h) both call these scanners and so cannot drift apart. A scanner
// does not word its problems; it returns a code and where the problem is,
// and each caller words it, since the grader's messages and libwb's differ
// and tests check both.
//
// The same constraints as wb_format.h: C++11, the standard library only,
// nothing in the global namespace; every student program compiles this.
#pragma once

#include "wb_format.h"

#include <climits>

namespace wbInternal {

// ---- Raw headers -----------------------------------------------------------

// The rules (docs/mp-format.md, "File formats"):
//   - white space before the header, blank lines included, is skipped; the
//     header line is the first line with a token on it;
//   - with a known rank (the grader's check mode, wbSolution's -t), the
//     header is the first `rank` tokens of that line, all on it, so that `N`
//     given for `R C` is caught there rather than read as R = N and C = the
//     first value; anything after them on the line is values (`3 1 2 3` is
//     three values). This is the grader's rule, and wbSolution follows it so
//     that its verdict is the grade;
//   - with no known rank (wbImport; wbSolution without -t) the line decides:
//     one token is `N`, two are `R C`, more is a bad header, since nothing
//     tells a header from values;
//   - a dimension is a non-negative decimal integer within 64 bits. A caller
//     with a smaller limit (libwb's int) checks it on the result.
enum RawHeaderProblem {
    rawHeaderOk,
    rawHeaderEmpty,  // nothing but white space
    rawHeaderShort,  // the line ends before dimension `field` (rank known)
    rawHeaderLong,   // more than two tokens on the line (rank unknown)
    rawHeaderBadDim, // dimension `field` is not a non-negative integer
};

struct RawHeader {
    RawHeaderProblem problem;
    int rank;                   // 1: `N` (a vector), 2: `R C` (a matrix)
    unsigned long long dims[2]; // N or R, then C (1 for a vector)
    unsigned long long count;   // dims[0] * dims[1]; valid unless overflow
    bool overflow;              // the product does not fit in 64 bits
    long long line;             // the header line
    const char* lineBegin;      // the header line from its first token,
    const char* lineEnd;        // without its newline
    int field;                  // the dimension a problem is about
    const char* fieldBegin[2];  // the dimensions' tokens
    const char* fieldEnd[2];
};

// Scans the header at `c` (rank 1 or 2, or 0 when the line decides) and
// leaves `c` after it, at the first value.
inline RawHeader scanRawHeader(Cursor& c, int rank) {
    RawHeader h = RawHeader();
    h.dims[1] = 1;
    while (c.p < c.end && isSpace(*c.p)) {
        if (*c.p == '\n') ++c.line;
        ++c.p;
    }
    h.line = c.line;
    if (c.p == c.end) {
        h.problem = rawHeaderEmpty;
        return h;
    }
    h.lineBegin = c.p;
    h.lineEnd = c.p;
    while (h.lineEnd < c.end && *h.lineEnd != '\n')
        ++h.lineEnd;
    // With the rank unknown, a third token is what shows the line is no header.
    const int wanted = rank > 0 ? rank : 3;
    const char *b[3], *e[3];
    int found = 0;
    while (found < wanted && nextTokenOnLine(c, b[found], e[found]))
        ++found;
    if (rank == 0 && found == 3) {
        h.problem = rawHeaderLong;
        return h;
    }
    h.rank = rank > 0 ? rank : found;
    for (int i = 0; i < h.rank; ++i) {
        h.field = i;
        if (i == found) {
            h.problem = rawHeaderShort;
            return h;
        }
        h.fieldBegin[i] = b[i];
        h.fieldEnd[i] = e[i];
        long long value = 0;
        bool overflow = false;
        if (!parseInteger(b[i], e[i], value, overflow) || overflow || value < 0) {
            h.problem = rawHeaderBadDim;
            return h;
        }
        h.dims[i] = static_cast<unsigned long long>(value);
    }
    h.overflow = h.dims[1] != 0 && h.dims[0] > ULLONG_MAX / h.dims[1];
    h.count = h.overflow ? 0 : h.dims[0] * h.dims[1];
    return h;
}

// ---- PPM images ------------------------------------------------------------

// The rules, one set for the grader, wbImport and wbSolution. Where the
// grader's reader and libwb's used to differ, the grader's rule is kept: it
// decides the grade, and wbSolution must say what the grader will say.
//   - binary P6 (3 channels) or P5 (1 channel); the magic number, width,
//     height and maxval are separated by white space and `#` comments (to
//     the end of the line); a field is decimal digits, at most 12 of them,
//     followed by white space, `#` or, for the maxval, see below;
//   - width and height at least 1 (libwb read a 0 x 0 image; the grader
//     refused it, and no dataset or answer is an empty image);
//   - maxval 1..255: one byte per sample, read as v / maxval;
//   - exactly one white-space byte after the maxval, then the pixels, which
//     may themselves start with bytes that look like white space;
//   - exactly width * height * channels bytes of pixels, then nothing but
//     white space. Fewer is a short file. A closing newline is what many
//     writers add (the PPMs of the published WebGPU MPs, written by
//     Mathematica, end in one), so white space is accepted; any other byte
//     after the pixels is refused (netpbm readers ignore it; the grader
//     calls such an output wrong, and a stray byte after an image is a
//     program's bug worth seeing);
//   - at most INT_MAX samples, since wbImage_t and student kernels index
//     them with int. A header that asks for more than the file holds is
//     reported as short, with the size it asks for, before this limit.
enum PpmProblem {
    ppmOk,
    ppmNotBinary,   // no P5 or P6 magic number
    ppmBadField,    // field `field` is missing or not decimal digits
    ppmLongField,   // field `field` has more than 12 digits
    ppmNoSeparator, // no white-space byte after the maxval
    ppmEmptyImage,  // a width or height of 0
    ppmBadMaxval,   // maxval outside 1..255
    ppmTooLarge,    // more samples than an int indexes
    ppmShort,       // fewer pixel bytes than the header asks for
    ppmTrailing,    // bytes after the pixels that are not white space
};

struct PpmHeader {
    PpmProblem problem;
    int channels;                 // 1 (P5) or 3 (P6)
    unsigned long long fields[3]; // width, height, maxval, as far as read
    int field;                    // the field a problem is about
    long long line;               // the line of that field (else of the maxval)
    const char* found;            // what stands where the field (or the byte
    const char* foundEnd;         // after the maxval) should, up to 20 bytes
    unsigned long long need;      // pixel bytes the header asks for
    unsigned long long have;      // bytes after the header
    const unsigned char* pixels;  // `need` bytes, when the problem is ppmOk
};

inline bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Reads field `k` of the header at `c` into h.fields[k].
inline bool scanPpmField(Cursor& c, int k, PpmHeader& h) {
    const char* before = c.p;
    while (c.p < c.end && (isSpace(*c.p) || *c.p == '#')) {
        if (*c.p == '#') {
            while (c.p < c.end && *c.p != '\n')
                ++c.p;
            continue;
        }
        if (*c.p == '\n') ++c.line;
        ++c.p;
    }
    const char* start = c.p;
    h.field = k;
    h.line = c.line;
    h.found = start;
    h.foundEnd = start;
    while (h.foundEnd < c.end && !isSpace(*h.foundEnd) && h.foundEnd - start < 20)
        ++h.foundEnd;
    unsigned long long value = 0;
    while (c.p < c.end && isDigit(*c.p) && c.p - start < 12)
        value = value * 10 + static_cast<unsigned long long>(*c.p++ - '0');
    const bool separated = c.p == c.end || isSpace(*c.p) || *c.p == '#';
    if (start == before || c.p == start) {
        h.problem = ppmBadField;
    } else if (c.p < c.end && isDigit(*c.p)) {
        h.problem = ppmLongField;
    } else if (!separated) {
        h.problem = ppmBadField;
    } else {
        h.fields[k] = value;
        return true;
    }
    return false;
}

inline bool onlySpace(const char* p, const char* end) {
    for (; p < end; ++p)
        if (!isSpace(*p)) return false;
    return true;
}

// Scans a whole PPM/PGM file: the header, and the pixels' extent.
inline PpmHeader scanPpm(const char* begin, const char* end) {
    PpmHeader h = PpmHeader();
    if (end - begin < 2 || begin[0] != 'P' || (begin[1] != '5' && begin[1] != '6')) {
        h.problem = ppmNotBinary;
        return h;
    }
    h.channels = begin[1] == '6' ? 3 : 1;
    Cursor c = {begin + 2, end, 1};
    for (int k = 0; k < 3; ++k)
        if (!scanPpmField(c, k, h)) return h;
    if (c.p == c.end || !isSpace(*c.p)) {
        h.problem = ppmNoSeparator;
        h.found = c.p;
        h.foundEnd = c.p == c.end ? c.p : c.p + 1;
        return h;
    }
    ++c.p;
    const unsigned long long width = h.fields[0], height = h.fields[1], maxval = h.fields[2];
    const unsigned long long channels = static_cast<unsigned long long>(h.channels);
    h.have = static_cast<unsigned long long>(c.end - c.p);
    if (width == 0 || height == 0) {
        h.problem = ppmEmptyImage;
        return h;
    }
    if (maxval < 1 || maxval > 255) {
        h.problem = ppmBadMaxval;
        return h;
    }
    if (width > ULLONG_MAX / height || width * height > ULLONG_MAX / channels) {
        h.problem = ppmTooLarge;
        return h;
    }
    h.need = width * height * channels;
    if (h.need > h.have) {
        h.problem = ppmShort;
    } else if (h.need > static_cast<unsigned long long>(INT_MAX)) {
        h.problem = ppmTooLarge;
    } else if (!onlySpace(c.p + h.need, c.end)) {
        h.problem = ppmTrailing;
    } else {
        h.pixels = reinterpret_cast<const unsigned char*>(c.p);
    }
    return h;
}

} // namespace wbInternal
