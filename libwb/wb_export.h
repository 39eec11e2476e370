// libwb export: wbExport, writing data in the dataset formats.
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). The writer is
// what the grader reads, so it is careful in three ways:
//   - numbers round-trip: a float or double is printed in the shortest form
//     that reads back as exactly the same value (std::to_chars; before
//     C++17, %.9g for float and %.17g for double, which also read back
//     exactly);
//   - a file is written under a temporary name next to it and renamed into
//     place, so a program killed mid-write (time limit) leaves no truncated
//     output that could pass for a complete one;
//   - every write, flush and close is checked; a failed write (disk full,
//     file size limit) is fatal, with the reason.
//
// The element type of the pointer picks how values print: float as float,
// double and long double as double, integers exactly, plain `char` as text
// bytes (written as they are). The templates that take the program's
// pointer only record its element type (ElementView), so that all the
// writing is non-template code that libwb.o holds once. A `void *` is read as float, the classic
// libwb's default. The file name's extension picks the layout: .csv and .tsv write rows of
// delimited values, anything else the raw format (`N` or `R C` header). Images are written as
// binary P6 (3 channels) or P5 (1 channel) with maxval 255; a value v becomes the byte
// round(clamp(v, 0, 1) * 255), NaN becomes 0.
#pragma once

#include "wb_base.h"
#include "wb_image.h"
#include "wb_types.h"

#include <type_traits>

namespace wbInternal {

enum ElementKind { elementUnknown, elementFloat, elementInteger, elementText };

// The program's data and how one element is stored, so that one
// non-template writer serves every element type: a float of `size` bytes
// (float, double, long double), an integer of `size` bytes, or text bytes.
struct ElementView {
    const void* data;
    ElementKind kind;
    bool isSigned;
    int size; // sizeof one element
};

template <typename T> ElementView makeView(const T* p) {
    typedef typename std::remove_cv<T>::type U;
    static_assert(std::is_arithmetic<U>::value,
                  "libwb: wbExport/wbSolution data must point to numbers (float, double, int, "
                  "unsigned, ...) or char (text)");
    static_assert(!std::is_floating_point<U>::value || std::is_same<U, float>::value ||
                      std::is_same<U, double>::value || std::is_same<U, long double>::value,
                  "libwb: floating-point data must be float, double or long double");
    static_assert(std::is_floating_point<U>::value || sizeof(U) <= 8,
                  "libwb: integer data must be at most 64 bits wide");
    ElementView v = {p,
                     std::is_same<U, char>::value       ? elementText
                     : std::is_floating_point<U>::value ? elementFloat
                                                        : elementInteger,
                     std::is_signed<U>::value, static_cast<int>(sizeof(U))};
    return v;
}
// void*: the element type is not known here; wbSolution decides from -t.
inline ElementView makeView(const void* p) {
    ElementView v = {p, elementUnknown, false, 0};
    return v;
}

// Writes rows x cols values to `file` (see above); what wbExport<T> calls.
// `shaped`: a raw file states `R C` rather than `N`.
void exportNumbers(const char* who, const char* file, ElementView view, int rows, int cols,
                   bool shaped);

} // namespace wbInternal

template <typename T> inline void wbExport(const char* file, T* data, int length) {
    wbInternal::exportNumbers("wbExport", file, wbInternal::makeView(data), length, 1, false);
}

template <typename T> inline void wbExport(const char* file, T* data, int rows, int cols) {
    wbInternal::exportNumbers("wbExport", file, wbInternal::makeView(data), rows, cols, true);
}

// Text: the `length` bytes at data, written as they are (the classic
// libwb's wbExport_text; the same as wbExport with a `char *`).
void wbExport_text(const char* file, const void* data, int length);

void wbExport(const char* file, wbImage_t img);
// The classic name of wbExport(file, img).
void wbPPM_export(const char* file, wbImage_t img);

// The classic libwb's typed export, which wbDataset_generate uses: `kind`,
// not the file name, picks the layout, and `type` says how the elements at
// `data` are stored. A raw file states `R C` unless cols is 1 (then `N`);
// text writes rows * cols bytes; ppm is refused (export a wbImage_t).
void wbExport(const char* file, wbExportKind_t kind, void* data, int rows, int cols, wbType_t type);

#if WB_BODIES

#include "wb_parse.h"

namespace wbInternal {

// Prints element i into buf (at least 64 bytes); returns its length.
typedef int (*ElementFormat)(char* buf, const void* data, size_t i);

#ifdef WB_USE_CHARCONV
template <typename V> inline int formatWith(char* buf, V v) {
    return static_cast<int>(std::to_chars(buf, buf + 63, v).ptr - buf);
}
#endif

// float prints as float, anything wider as double.
template <typename T> int formatFloat(char* buf, const void* data, size_t i) {
    T v = static_cast<const T*>(data)[i];
    typedef typename std::conditional<sizeof(T) <= sizeof(float), float, double>::type Out;
#ifdef WB_USE_CHARCONV
    return formatWith(buf, static_cast<Out>(v));
#else
    if (sizeof(Out) == sizeof(float)) return std::snprintf(buf, 64, "%.9g", static_cast<double>(v));
    return std::snprintf(buf, 64, "%.17g", static_cast<double>(v));
#endif
}
template <typename T> int formatSigned(char* buf, const void* data, size_t i) {
    long long v = static_cast<long long>(static_cast<const T*>(data)[i]);
#ifdef WB_USE_CHARCONV
    return formatWith(buf, v);
#else
    return std::snprintf(buf, 64, "%lld", v);
#endif
}
template <typename T> int formatUnsigned(char* buf, const void* data, size_t i) {
    unsigned long long v = static_cast<unsigned long long>(static_cast<const T*>(data)[i]);
#ifdef WB_USE_CHARCONV
    return formatWith(buf, v);
#else
    return std::snprintf(buf, 64, "%llu", v);
#endif
}

// The printer of a float or integer view. An integer is read as the
// fixed-width type of its size and signedness, which holds the same value
// (a bool reads as a byte of 0 or 1).
WB_INLINE ElementFormat formatOf(const ElementView& view) {
    if (view.kind == elementFloat) {
        if (view.size == static_cast<int>(sizeof(float))) return &formatFloat<float>;
        if (view.size == static_cast<int>(sizeof(double))) return &formatFloat<double>;
        return &formatFloat<long double>;
    }
    switch (view.size) {
    case 1:
        return view.isSigned ? &formatSigned<int8_t> : &formatUnsigned<uint8_t>;
    case 2:
        return view.isSigned ? &formatSigned<int16_t> : &formatUnsigned<uint16_t>;
    case 4:
        return view.isSigned ? &formatSigned<int32_t> : &formatUnsigned<uint32_t>;
    default:
        return view.isSigned ? &formatSigned<int64_t> : &formatUnsigned<uint64_t>;
    }
}

// Gives an untyped view its element type: int or float.
WB_INLINE ElementView resolveView(ElementView view, bool asInteger) {
    if (view.kind != elementUnknown) return view;
    view.kind = asInteger ? elementInteger : elementFloat;
    view.isSigned = true;
    view.size = 4;
    return view;
}

// Output goes through a small buffer to a sink: a FILE for wbExport, a
// string when wbSolution compares without writing a file.
struct FileSink {
    FILE* file;
    int error; // errno of the first failed write, 0 if none
    void write(const char* p, size_t n) {
        if (error == 0 && n > 0 && std::fwrite(p, 1, n, file) != n) error = errno ? errno : EIO;
    }
};
struct StringSink {
    std::string* text;
    void write(const char* p, size_t n) { text->append(p, n); }
};

template <typename Sink> class Writer {
  public:
    explicit Writer(Sink& sink) : sink_(sink), used_(0) {}
    ~Writer() { flush(); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    void put(const char* p, size_t n) {
        if (n == 0) return; // p may be null then (wbExport_text(file, NULL, 0))
        if (n > sizeof buf_ - used_) flush();
        if (n > sizeof buf_) {
            sink_.write(p, n);
            return;
        }
        std::memcpy(buf_ + used_, p, n);
        used_ += n;
    }
    void put(const std::string& s) { put(s.data(), s.size()); }
    void put(char c) { put(&c, 1); }
    void flush() {
        sink_.write(buf_, used_);
        used_ = 0;
    }

  private:
    Sink& sink_;
    char buf_[1 << 15];
    size_t used_;
};

// The raw format: `N` then one value per line, or `R C` then one row per
// line with values separated by spaces.
template <typename Sink>
void renderRaw(Sink& sink, const ElementView& view, size_t rows, size_t cols, bool shaped) {
    Writer<Sink> out(sink);
    if (shaped)
        out.put(std::to_string(rows) + " " + std::to_string(cols) + "\n");
    else
        out.put(std::to_string(rows * cols) + "\n");
    size_t perLine = shaped ? cols : 1;
    const ElementFormat format = formatOf(view);
    char buf[64];
    for (size_t i = 0; i < rows * cols; ++i) {
        out.put(buf, static_cast<size_t>(format(buf, view.data, i)));
        out.put((i + 1) % perLine == 0 ? '\n' : ' ');
    }
}

template <typename Sink>
void renderDelimited(Sink& sink, const ElementView& view, size_t rows, size_t cols,
                     char separator) {
    Writer<Sink> out(sink);
    const ElementFormat format = formatOf(view);
    char buf[64];
    for (size_t i = 0; i < rows * cols; ++i) {
        out.put(buf, static_cast<size_t>(format(buf, view.data, i)));
        out.put((i + 1) % cols == 0 ? '\n' : separator);
    }
}

WB_INLINE unsigned char toByte(float v) {
    if (!(v > 0.0f)) return 0; // also NaN
    if (v >= 1.0f) return 255;
    return static_cast<unsigned char>(v * 255.0f + 0.5f);
}

template <typename Sink> void renderPpm(Sink& sink, wbImage_t img) {
    Writer<Sink> out(sink);
    out.put(std::string(img->channels == 3 ? "P6\n" : "P5\n") + std::to_string(img->width) + " " +
            std::to_string(img->height) + "\n255\n");
    size_t count = static_cast<size_t>(img->width) * static_cast<size_t>(img->height) *
                   static_cast<size_t>(img->channels);
    for (size_t i = 0; i < count; ++i)
        out.put(static_cast<char>(toByte(img->data[i])));
}

// Renders numbers in the layout `kind` names (usually the file name's,
// fileKindOf). `count` values form rows x cols; `shaped` says whether the
// raw header states the shape.
template <typename Sink>
void renderNumbers(Sink& sink, FileKind kind, const ElementView& view, size_t rows, size_t cols,
                   bool shaped) {
    if (view.kind == elementText) {
        Writer<Sink> out(sink);
        out.put(static_cast<const char*>(view.data), rows * cols);
        return;
    }
    if (kind == fileCsv || kind == fileTsv) {
        // A vector is one value per line: the csv shape of N x 1.
        if (!shaped) {
            rows *= cols;
            cols = 1;
        }
        renderDelimited(sink, view, rows, cols, kind == fileCsv ? ',' : '\t');
    } else {
        renderRaw(sink, view, rows, cols, shaped);
    }
}

// Writes through `render(FileSink&)` to file.wbtmp, then renames it to file.
template <typename Render> void writeAtomically(const char* file, const char* who, Render render) {
    std::string temp = std::string(file) + ".wbtmp";
    FILE* f = std::fopen(temp.c_str(), "wb");
    if (!f)
        fail(std::string(who) + ": cannot create " + quoted(temp.c_str()) + " to write " +
             quoted(file) + ": " + std::strerror(errno));
    FileSink sink = {f, 0};
    render(sink);
    if (sink.error == 0 && std::fflush(f) != 0) sink.error = errno ? errno : EIO;
    if (std::fclose(f) != 0 && sink.error == 0) sink.error = errno ? errno : EIO;
    if (sink.error != 0) {
        std::remove(temp.c_str());
        fail(std::string(who) + ": writing " + quoted(file) +
             " failed: " + std::strerror(sink.error));
    }
    if (std::rename(temp.c_str(), file) != 0) {
        // Windows' rename does not replace an existing file; POSIX's does.
        std::remove(file);
        if (std::rename(temp.c_str(), file) != 0) {
            int saved = errno;
            std::remove(temp.c_str());
            fail(std::string(who) + ": cannot rename " + quoted(temp.c_str()) + " to " +
                 quoted(file) + ": " + std::strerror(saved));
        }
    }
}

// The checks of every numbers export but the file name's: wbExport with
// a kind may write any kind under any name.
WB_INLINE void checkNumbersShape(const char* who, const char* file, const void* data, int rows,
                                 int cols) {
    if (!file) fail(std::string(who) + ": no output file name (NULL); was -o given?");
    if (rows < 0 || cols < 0)
        fail(std::string(who) + ": negative size " + std::to_string(rows) + " x " +
             std::to_string(cols) + " for " + quoted(file));
    if (!data && rows > 0 && cols > 0)
        fail(std::string(who) + ": the data for " + quoted(file) + " is a NULL pointer");
}

WB_INLINE void checkNumbersArgs(const char* who, const char* file, const void* data, int rows,
                                int cols) {
    checkNumbersShape(who, file, data, rows, cols);
    if (fileKindOf(file) == filePpm)
        fail(std::string(who) + ": " + quoted(file) +
             " names an image but the data is numbers; export a wbImage_t instead");
}

WB_INLINE void writeNumbers(const char* who, const char* file, FileKind kind, ElementView view,
                            int rows, int cols, bool shaped) {
    view = resolveView(view, false);
    writeAtomically(file, who, [&](FileSink& sink) {
        renderNumbers(sink, kind, view, static_cast<size_t>(rows), static_cast<size_t>(cols),
                      shaped);
    });
}

WB_INLINE void exportNumbers(const char* who, const char* file, ElementView view, int rows,
                             int cols, bool shaped) {
    checkNumbersArgs(who, file, view.data, rows, cols);
    writeNumbers(who, file, fileKindOf(file), view, rows, cols, shaped);
}

// How an element of `type` is stored. wbType_ascii, like bit8, is a signed
// byte: as numbers it prints its code (text is written as bytes anyway).
WB_INLINE ElementView viewOfType(const char* file, void* data, wbType_t type) {
    ElementView view = {data, elementInteger, true, static_cast<int>(wbType_size(type))};
    if (type == wbType_float || type == wbType_double) view.kind = elementFloat;
    if (type == wbType_ubit8) view.isSigned = false;
    if (view.size == 0)
        fail("wbExport: unknown element type " + std::to_string(static_cast<int>(type)) + " for " +
             quoted(file) + "; use a wbType_t such as wbType_float");
    return view;
}

WB_INLINE void exportKind(const char* file, wbExportKind_t kind, void* data, int rows, int cols,
                          wbType_t type) {
    checkNumbersShape("wbExport", file, data, rows, cols);
    ElementView view = viewOfType(file, data, type);
    switch (kind) {
    case wbExportKind_raw:
        return writeNumbers("wbExport", file, fileRaw, view, rows, cols, cols != 1);
    case wbExportKind_csv:
        return writeNumbers("wbExport", file, fileCsv, view, rows, cols, true);
    case wbExportKind_tsv:
        return writeNumbers("wbExport", file, fileTsv, view, rows, cols, true);
    case wbExportKind_text:
        view.kind = elementText;
        view.size = 1;
        return writeNumbers("wbExport", file, fileRaw, view, rows, cols, false);
    case wbExportKind_ppm:
        fail("wbExport: " + quoted(file) +
             ": wbExportKind_ppm needs an image; export a wbImage_t with wbExport(file, img)");
    case wbExportKind_unknown:
        break;
    }
    fail("wbExport: unknown export kind " + std::to_string(static_cast<int>(kind)) + " for " +
         quoted(file) + "; use wbExportKind_raw, _csv, _tsv or _text");
}

WB_INLINE void checkImage(const char* who, const char* file, wbImage_t img) {
    if (!file) fail(std::string(who) + ": no output file name (NULL); was -o given?");
    if (!img) fail(std::string(who) + ": the image for " + quoted(file) + " is NULL");
    if (img->channels != 1 && img->channels != 3)
        fail(std::string(who) + ": cannot write an image with " + std::to_string(img->channels) +
             " channels to " + quoted(file) + "; PPM holds 3 (P6) and PGM 1 (P5)");
}

} // namespace wbInternal

WB_INLINE void wbExport_text(const char* file, const void* data, int length) {
    wbInternal::ElementView view = {data, wbInternal::elementText, false, 1};
    wbInternal::exportNumbers("wbExport_text", file, view, length, 1, false);
}

WB_INLINE void wbExport(const char* file, wbExportKind_t kind, void* data, int rows, int cols,
                        wbType_t type) {
    wbInternal::exportKind(file, kind, data, rows, cols, type);
}

WB_INLINE void wbPPM_export(const char* file, wbImage_t img) {
    wbExport(file, img);
}

WB_INLINE void wbExport(const char* file, wbImage_t img) {
    wbInternal::checkImage("wbExport", file, img);
    wbInternal::writeAtomically(
        file, "wbExport", [&](wbInternal::FileSink& sink) { wbInternal::renderPpm(sink, img); });
}

#endif // WB_BODIES
