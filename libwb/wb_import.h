// libwb import: wbImport, reading a dataset file into memory.
//
// Declarations first, bodies under WB_BODIES (see wb_base.h); the formats
// are parsed in wb_parse.h. The overloads are the classic ones:
//
//   float *wbImport(file, &length)                   raw/csv/tsv as floats
//   float *wbImport(file, &rows, &cols)              the same, with its shape
//   wbImportResult_t wbImport(file, &length, type)   type "Real", "Integer"
//   wbImportResult_t wbImport(file, &rows, &cols, type)       or "Text"
//   wbImage_t wbImport(file)                         a P6/P5 image
//   int wbImport_flag(file)                          a file holding one int
//
// The classic libwb returned void* and every MP casts the result
// (`(float *)wbImport(...)`). The typed overloads return an object that
// converts to any pointer type, so both the cast and a plain
// `int *v = wbImport(f, &n, "Integer")` or `char *s = wbImport(f, &n, "Text")`
// compile; the element type really stored is the one `type` names.
//
// Buffers come from malloc and the caller frees them, as in the classic
// libwb. Text is NUL-terminated (the terminator is not counted in length).
// A missing or malformed file is fatal: it is the dataset, not the
// program, that is wrong, and the message names the file and line.
#pragma once

#include "wb_base.h"
#include "wb_image.h"

// What the typed wbImport overloads return: the malloc'd buffer, converting
// to whatever pointer the program assigns it to or casts it to.
struct wbImportResult_t {
    void* data;
    template <typename T> operator T*() const { return static_cast<T*>(data); }
};

float* wbImport(const char* file, int* rows, int* cols);
// The length is every value in the file: N, or R * C for a shaped file.
float* wbImport(const char* file, int* length);
wbImportResult_t wbImport(const char* file, int* rows, int* cols, const char* type);
wbImportResult_t wbImport(const char* file, int* length, const char* type);
// Images: P6 (3 channels) or P5 (1 channel) by content, whatever the name.
wbImage_t wbImport(const char* file);
// A flag file: one integer, e.g. the mode an MP runs in
// (`mode = (Mode)wbImport_flag(wbArg_getInputFile(args, 0));`). The
// extension does not matter. An empty file, a value that is not an int, or
// more than one value is fatal, like any malformed dataset.
int wbImport_flag(const char* file);
// The classic name of wbImport(file) for images.
wbImage_t wbPPM_import(const char* file);

#if WB_BODIES

#include "wb_parse.h"

namespace wbInternal {

WB_INLINE void requireFileName(const char* file, const char* who) {
    if (!file)
        fail(std::string(who) +
             ": no file name (NULL); was the input given with -i? (wbArg_getInputFile returns "
             "NULL for an index past the last -i file)");
}

WB_INLINE std::string readOrFail(const char* file, const char* who) {
    requireFileName(file, who);
    std::string text, error;
    if (!readWholeFile(file, text, error)) fail(std::string(who) + ": " + error);
    return text;
}

template <typename T> inline T* mallocCopy(const T* values, size_t count, const char* file) {
    // malloc(0) may return NULL, which a program would take for failure.
    size_t bytes = count * sizeof(T);
    T* out = static_cast<T*>(std::malloc(bytes ? bytes : 1));
    if (!out)
        fail("wbImport: out of memory for the " + std::to_string(count) + " values of " +
             quoted(file));
    if (bytes) std::memcpy(out, values, bytes);
    return out;
}

// Reads the numbers of a raw/csv/tsv file as T and reports its shape.
template <typename T> inline T* importNumbers(const char* file, int* rows, int* cols) {
    std::string text = readOrFail(file, "wbImport");
    FileKind kind = fileKindOf(file);
    if (kind == filePpm)
        fail("wbImport: " + quoted(file) +
             " is an image; import it with wbImport(file), which returns a wbImage_t");
    Numbers<T> numbers;
    std::string error;
    if (!parseNumbers(file, kind, text, 0, numbers, error)) fail("wbImport: " + error);
    if (rows) *rows = numbers.rows;
    if (cols) *cols = numbers.cols;
    return mallocCopy(numbers.values.data(), numbers.values.size(), file);
}

WB_INLINE char* importText(const char* file, int* length) {
    std::string text = readOrFail(file, "wbImport");
    if (text.size() > static_cast<size_t>(INT_MAX))
        fail("wbImport: " + quoted(file) + " is too large for an int length");
    char* out = static_cast<char*>(std::malloc(text.size() + 1));
    if (!out) fail("wbImport: out of memory for " + quoted(file));
    std::memcpy(out, text.data(), text.size());
    out[text.size()] = '\0';
    if (length) *length = static_cast<int>(text.size());
    return out;
}

enum ImportType { importReal, importInteger, importText_ };

WB_INLINE ImportType importTypeOf(const char* type) {
    if (equalsIgnoreCase(type, "Real") || equalsIgnoreCase(type, "Float")) return importReal;
    if (equalsIgnoreCase(type, "Integer") || equalsIgnoreCase(type, "Int")) return importInteger;
    if (equalsIgnoreCase(type, "Text")) return importText_;
    fail("wbImport: unknown type " + quoted(type) + "; use \"Real\", \"Integer\" or \"Text\"");
}

} // namespace wbInternal

WB_INLINE float* wbImport(const char* file, int* rows, int* cols) {
    return wbInternal::importNumbers<float>(file, rows, cols);
}

WB_INLINE float* wbImport(const char* file, int* length) {
    int rows = 0, cols = 0;
    float* data = wbInternal::importNumbers<float>(file, &rows, &cols);
    if (length) *length = rows * cols;
    return data;
}

WB_INLINE wbImportResult_t wbImport(const char* file, int* rows, int* cols, const char* type) {
    wbImportResult_t result = {nullptr};
    switch (wbInternal::importTypeOf(type)) {
    case wbInternal::importReal:
        result.data = wbInternal::importNumbers<float>(file, rows, cols);
        break;
    case wbInternal::importInteger:
        result.data = wbInternal::importNumbers<int>(file, rows, cols);
        break;
    case wbInternal::importText_:
        // Text is a vector of characters: rows = length, cols = 1.
        result.data = wbInternal::importText(file, rows);
        if (cols) *cols = 1;
        break;
    }
    return result;
}

WB_INLINE wbImportResult_t wbImport(const char* file, int* length, const char* type) {
    int rows = 0, cols = 0;
    wbImportResult_t result = wbImport(file, &rows, &cols, type);
    if (length) *length = rows * cols;
    return result;
}

WB_INLINE wbImage_t wbImport(const char* file) {
    std::string text = wbInternal::readOrFail(file, "wbImport");
    wbInternal::Ppm ppm;
    std::string error;
    if (!wbInternal::parsePpm(file, text, ppm, error)) wbInternal::fail("wbImport: " + error);
    wbImage_t img = wbImage_new(ppm.width, ppm.height, ppm.channels);
    size_t count = static_cast<size_t>(ppm.width) * static_cast<size_t>(ppm.height) *
                   static_cast<size_t>(ppm.channels);
    const float scale = static_cast<float>(ppm.maxval);
    for (size_t i = 0; i < count; ++i)
        img->data[i] = static_cast<float>(ppm.pixels[i]) / scale;
    return img;
}

WB_INLINE wbImage_t wbPPM_import(const char* file) {
    return wbImport(file);
}

WB_INLINE int wbImport_flag(const char* file) {
    std::string text = wbInternal::readOrFail(file, "wbImport_flag");
    int flag = 0;
    std::string error;
    if (!wbInternal::parseFlag(file, text, flag, error))
        wbInternal::fail("wbImport_flag: " + error);
    return flag;
}

#endif // WB_BODIES
