// libwb parsing: the dataset formats, read from a buffer.
//
// Only libwb's bodies include this (WB_BODIES, see wb_base.h): a program
// compiled with WB_PREBUILT never parses it. These parsers never exit: they
// return false with a message of the form `file:line: what`. Two callers
// need that split: wbImport turns the message into a fatal error
// (the dataset is broken), while wbSolution, reading the program's own output
// back, turns it into a "NOT correct" verdict.
//
// The formats (docs/mp-format.md, "File formats"):
//   raw   first line `N` (a vector) or `R C` (a matrix), then exactly that
//         many numbers separated by any white space (when the caller knows
//         which header to expect, values may follow it on its line; the
//         header scan is wb_header.h's, shared with the grader);
//   csv   one row per line, values separated by commas, no header; every row
//         the same length; blank lines ignored (tsv: the same with tabs);
//   ppm   binary PPM (P6, 3 channels) or PGM (P5, 1 channel), maxval 1..255,
//         `#` comments allowed in the header, then exactly the pixels
//         (wb_header.h's scanPpm, shared with the grader, has the rules);
//   flag  (wbImport_flag, whatever the extension) a single integer.
// Tokens and numbers are read by wb_format.h, the code the grader reads them
// with too: "nan", "inf" and "-inf" are numbers, "1,5" and "0x10" are not.
#pragma once

#include "wb_base.h"
#include "wb_format.h"
#include "wb_header.h"

namespace wbInternal {

enum FileKind { fileRaw, fileCsv, fileTsv, filePpm };

// The extension decides the format; anything not csv, tsv or an image
// extension is raw (datasets use .raw, .dat, .txt and more).
inline FileKind fileKindOf(const char* path) {
    std::string ext = extensionOf(path);
    if (ext == "csv") return fileCsv;
    if (ext == "tsv") return fileTsv;
    if (ext == "ppm" || ext == "pgm" || ext == "pnm") return filePpm;
    return fileRaw;
}

inline bool readWholeFile(const char* path, std::string& out, std::string& error) {
    FILE* f = std::fopen(path, "rb");
    if (!f) {
        error = "cannot open " + quoted(path) + " for reading: " + std::strerror(errno);
        return false;
    }
    out.clear();
    // One read into a buffer of the file's size when it has one (a regular
    // file); growing a string chunk by chunk costs more than the parsing.
    // Sizes past 1 GiB are not trusted: a directory opens on Linux and may
    // claim to end at LLONG_MAX; its read then fails with EISDIR below.
    long size = -1;
    if (std::fseek(f, 0, SEEK_END) == 0) size = std::ftell(f);
    std::rewind(f);
    if (size > 0 && size <= (1L << 30)) {
        out.resize(static_cast<size_t>(size));
        out.resize(std::fread(&out[0], 1, out.size(), f));
    }
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n); // pipes, growth
    bool failed = std::ferror(f) != 0;
    int saved = errno;
    std::fclose(f);
    if (failed) {
        error = "cannot read " + quoted(path) + ": " + std::strerror(saved);
        return false;
    }
    return true;
}

// Values read from a raw, csv or tsv file. `shaped` is true when the file
// states rows and columns (a raw `R C` header, or any csv/tsv); a raw `N`
// file has rows = N, cols = 1 and is not shaped.
template <typename T> struct Numbers {
    std::vector<T> values;
    int rows = 0;
    int cols = 0;
    bool shaped = false;
};

// A token for a message, shortened so that a binary file read by mistake
// cannot flood the terminal.
inline std::string shown(const char* begin, const char* end) {
    std::string s(begin, end);
    if (s.size() > 40) s = s.substr(0, 40) + "...";
    for (size_t i = 0; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) < 0x20 || static_cast<unsigned char>(s[i]) >= 0x7f)
            s[i] = '?';
    return "'" + s + "'";
}

// Converts one token to T (float, double, int or long long); on failure says
// why, as the end of a message ("is not a number: 'abc'").
inline bool convertValue(const char* b, const char* e, float& out, std::string& why) {
    if (!parseFloat(b, e, out)) {
        why = "is not a number: " + shown(b, e);
        return false;
    }
    return true;
}
inline bool convertValue(const char* b, const char* e, double& out, std::string& why) {
    if (!parseDouble(b, e, out)) {
        why = "is not a number: " + shown(b, e);
        return false;
    }
    return true;
}
inline bool convertValue(const char* b, const char* e, long long& out, std::string& why) {
    bool overflow;
    if (!parseInteger(b, e, out, overflow)) {
        why = "is not an integer: " + shown(b, e);
        return false;
    }
    if (overflow) {
        why = "is out of range: " + shown(b, e);
        return false;
    }
    return true;
}
inline bool convertValue(const char* b, const char* e, int& out, std::string& why) {
    long long wide;
    if (!convertValue(b, e, wide, why)) return false;
    if (wide < INT_MIN || wide > INT_MAX) {
        why = "is out of range for int: " + shown(b, e);
        return false;
    }
    out = static_cast<int>(wide);
    return true;
}

inline std::string at(const char* name, long long line) {
    return std::string(name) + ":" + std::to_string(line) + ": ";
}

// Words a header problem (see scanRawHeader) as libwb does, and applies
// libwb's own limit: both dimensions and the count must fit an int.
inline bool rawHeaderFits(const char* name, const RawHeader& h, std::string& error) {
    static const char* expectHeader =
        "the first line must be the count 'N' or the shape 'ROWS COLS' (non-negative integers)";
    int bad = -1; // the dimension to name as a bad value
    switch (h.problem) {
    case rawHeaderEmpty:
        error = std::string(name) + ": the file is empty; " + expectHeader;
        return false;
    case rawHeaderLong:
        error =
            at(name, h.line) + "bad header " + shown(h.lineBegin, h.lineEnd) + ": " + expectHeader;
        return false;
    case rawHeaderShort:
        error = at(name, h.line) + "bad header " + shown(h.lineBegin, h.lineEnd) +
                ": a matrix needs the shape 'ROWS COLS' on the first line";
        return false;
    case rawHeaderBadDim:
        bad = h.field;
        break;
    case rawHeaderOk:
        for (int i = h.rank - 1; i >= 0; --i)
            if (h.dims[i] > static_cast<unsigned long long>(INT_MAX)) bad = i;
        break;
    }
    if (bad >= 0) {
        error = at(name, h.line) + "bad header value " + shown(h.fieldBegin[bad], h.fieldEnd[bad]) +
                ": " + expectHeader;
        return false;
    }
    if (h.count > static_cast<unsigned long long>(INT_MAX)) {
        error = at(name, h.line) + "the header asks for " + std::to_string(h.dims[0]) + " x " +
                std::to_string(h.dims[1]) + " values, more than libwb's limit of " +
                std::to_string(INT_MAX);
        return false;
    }
    return true;
}

// A raw file; `rank` is 1 (`N`) or 2 (`R C`) when the caller knows which
// header to expect, 0 when the first line decides (see scanRawHeader).
template <typename T>
bool parseRaw(const char* name, const char* begin, const char* end, int rank, Numbers<T>& out,
              std::string& error) {
    Cursor c = {begin, end, 1};
    const RawHeader h = scanRawHeader(c, rank);
    if (!rawHeaderFits(name, h, error)) return false;
    const long long headerLine = h.line;
    const long long count = static_cast<long long>(h.count);
    out.rows = static_cast<int>(h.dims[0]);
    out.cols = static_cast<int>(h.dims[1]);
    out.shaped = h.rank == 2;
    out.values.clear();
    // Each value takes at least two bytes; a header larger than the file
    // must not reserve gigabytes before the shortfall is found.
    size_t room = static_cast<size_t>(c.end - c.p) / 2 + 1;
    out.values.reserve(static_cast<size_t>(count) < room ? static_cast<size_t>(count) : room);
    const char *b, *e;
    std::string why;
    for (long long i = 0; i < count; ++i) {
        if (!nextToken(c, b, e)) {
            error = at(name, headerLine) + "the header says " + std::to_string(count) +
                    " values but the file has only " + std::to_string(i);
            return false;
        }
        T v = T();
        if (!convertValue(b, e, v, why)) {
            error = at(name, c.line) + "value " + std::to_string(i + 1) + " of " +
                    std::to_string(count) + " " + why;
            return false;
        }
        out.values.push_back(v);
    }
    if (nextToken(c, b, e)) {
        error = at(name, c.line) + "more values than the header's " + std::to_string(count) +
                " (first extra value " + shown(b, e) + ")";
        return false;
    }
    return true;
}

template <typename T>
bool parseDelimited(const char* name, const char* begin, const char* end, char separator,
                    Numbers<T>& out, std::string& error) {
    out.values.clear();
    out.rows = 0;
    out.cols = 0;
    out.shaped = true;
    int line = 0;
    int firstRowLine = 0;
    std::string why;
    for (const char* p = begin; p < end;) {
        ++line;
        const char* lineEnd = p;
        while (lineEnd < end && *lineEnd != '\n')
            ++lineEnd;
        const char* next = lineEnd < end ? lineEnd + 1 : lineEnd;
        const char* q = p;
        while (q < lineEnd && isBlank(*q))
            ++q;
        if (q == lineEnd) { // blank line
            p = next;
            continue;
        }
        int column = 0;
        for (const char* field = p;;) {
            const char* fieldEnd = field;
            while (fieldEnd < lineEnd && *fieldEnd != separator)
                ++fieldEnd;
            const char *fb = field, *fe = fieldEnd;
            while (fb < fe && isBlank(*fb))
                ++fb;
            while (fe > fb && isBlank(fe[-1]))
                --fe;
            ++column;
            if (fb == fe) {
                error = at(name, line) + "value " + std::to_string(column) + " of the row is empty";
                return false;
            }
            T v = T();
            if (!convertValue(fb, fe, v, why)) {
                error = at(name, line) + "value " + std::to_string(column) + " of the row " + why;
                return false;
            }
            out.values.push_back(v);
            if (fieldEnd == lineEnd) break;
            field = fieldEnd + 1;
        }
        if (out.rows == 0) {
            out.cols = column;
            firstRowLine = line;
        } else if (column != out.cols) {
            error = at(name, line) + "the row has " + std::to_string(column) +
                    " values but the first row (line " + std::to_string(firstRowLine) + ") has " +
                    std::to_string(out.cols);
            return false;
        }
        if (out.rows == INT_MAX || out.values.size() > static_cast<size_t>(INT_MAX)) {
            error = at(name, line) + "too many values for libwb (limit " + std::to_string(INT_MAX) +
                    ")";
            return false;
        }
        ++out.rows;
        p = next;
    }
    return true;
}

// Dispatches on the file kind (never filePpm; the caller handles images).
// `rank` is the raw header expected (1 or 2), or 0 when the file says; csv
// and tsv files have no header and always state their shape.
template <typename T>
bool parseNumbers(const char* name, FileKind kind, const std::string& text, int rank,
                  Numbers<T>& out, std::string& error) {
    const char* b = text.data();
    const char* e = b + text.size();
    if (kind == fileCsv) return parseDelimited(name, b, e, ',', out, error);
    if (kind == fileTsv) return parseDelimited(name, b, e, '\t', out, error);
    return parseRaw(name, b, e, rank, out, error);
}

// A flag file (wbImport_flag): a single int, white space (newlines included)
// allowed around it. The classic libwb read the first line with
// sscanf("%d") and so returned garbage for an empty or non-numeric file and
// silently dropped anything after the number; here those are errors, since a
// mode selector misread picks the wrong code path without any other sign.
inline bool parseFlag(const char* name, const std::string& text, int& out, std::string& error) {
    static const char* expect = "a flag file must hold a single integer";
    Cursor c = {text.data(), text.data() + text.size(), 1};
    const char *b, *e;
    if (!nextToken(c, b, e)) {
        error = std::string(name) + ": the file is empty; " + expect;
        return false;
    }
    const long long line = c.line;
    std::string why;
    if (!convertValue(b, e, out, why)) {
        error = at(name, line) + "the flag " + why + "; " + expect;
        return false;
    }
    if (nextToken(c, b, e)) {
        error = at(name, c.line) + "more than one value (first extra value " + shown(b, e) + "); " +
                expect;
        return false;
    }
    return true;
}

// A decoded PPM/PGM header; the pixel bytes stay in the caller's buffer.
struct Ppm {
    int width = 0;
    int height = 0;
    int channels = 0;
    int maxval = 0;
    const unsigned char* pixels = nullptr; // width * height * channels bytes
};

// Reads an image by the rules of scanPpm (wb_header.h), shared with the
// grader, and words its problems as libwb does.
inline bool parsePpm(const char* name, const std::string& text, Ppm& out, std::string& error) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    const PpmHeader h = scanPpm(begin, end);
    static const char* fieldNames[3] = {"width", "height", "maxval"};
    const std::string size = std::to_string(h.fields[0]) + " x " + std::to_string(h.fields[1]) +
                             " x " + std::to_string(h.channels);
    switch (h.problem) {
    case ppmOk:
        break;
    case ppmNotBinary: {
        std::string magic = text.substr(0, 2);
        if (magic == "P3" || magic == "P2")
            error = std::string(name) + ": an ASCII " + (magic == "P3" ? "PPM" : "PGM") +
                    " image (" + magic + ") is not supported; save it as binary P6 (colour) " +
                    "or P5 (grey)";
        else
            error = std::string(name) + ": not a binary PPM (P6) or PGM (P5) image; it starts " +
                    "with " + shown(begin, begin + (text.size() < 2 ? text.size() : 2));
        return false;
    }
    case ppmBadField:
        if (h.field == 0 && h.found == begin + 2 && h.found != end)
            error = std::string(name) + ": bad image header: the magic number " +
                    shown(begin, begin + 2) + " must be followed by white space";
        else
            error =
                at(name, h.line) + "bad image header: the " + fieldNames[h.field] +
                " must be a non-negative integer, found " +
                (h.found == end ? std::string("the end of the file") : shown(h.found, h.foundEnd));
        return false;
    case ppmLongField:
        error = at(name, h.line) + "bad image header: the " + fieldNames[h.field] + " " +
                shown(h.found, h.foundEnd) + " is too large";
        return false;
    case ppmNoSeparator:
        if (h.found == end)
            error = at(name, h.line) + "the image header is not followed by pixel data";
        else
            error = at(name, h.line) +
                    "bad image header: the maxval must be followed by one white-space byte, " +
                    "found " + shown(h.found, h.foundEnd);
        return false;
    case ppmEmptyImage:
        error = std::string(name) + ": bad image header: the image is " +
                std::to_string(h.fields[0]) + " x " + std::to_string(h.fields[1]) +
                "; width and height must be at least 1";
        return false;
    case ppmBadMaxval:
        error = at(name, h.line) + "maxval " + std::to_string(h.fields[2]) +
                " is not supported; libwb reads 8-bit images (maxval 1..255)";
        return false;
    case ppmTooLarge:
        error = std::string(name) + ": a " + size + " image is too large for libwb (more than " +
                std::to_string(INT_MAX) + " values)";
        return false;
    case ppmShort:
        error = std::string(name) + ": the header says " + size + " = " + std::to_string(h.need) +
                " bytes of pixel data but the file has only " + std::to_string(h.have);
        return false;
    case ppmTrailing:
        error = std::string(name) + ": " + std::to_string(h.have - h.need) + " bytes after the " +
                size + " = " + std::to_string(h.need) +
                " bytes of pixel data; only white space may follow the pixels";
        return false;
    }
    out.channels = h.channels;
    out.width = static_cast<int>(h.fields[0]);
    out.height = static_cast<int>(h.fields[1]);
    out.maxval = static_cast<int>(h.fields[2]);
    out.pixels = h.pixels;
    return true;
}

} // namespace wbInternal
