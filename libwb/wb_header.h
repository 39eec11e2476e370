// libwb file headers: the `N` / `R C` line of a raw file and the header of a
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

} // namespace wbInternal
