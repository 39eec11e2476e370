// libwb dataset generation: wbDataset_generate and its parameter structs.
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). Course labs
// ship a dataset_generator.cpp that fills a wbGenerateParams_t and calls
//   wbDataset_generate(wbPath_join(dir, "input0.raw"), wbExportKind_raw, params);
// for each input of each dataset; wbtool then reads those files with its own
// importers and checker. So this does what the classic libwb did, in the
// formats wbtool reads:
//   - the file's directory is created first (wbDirectory_create);
//   - rows, cols, width, height, channels and length below 1 count as 1;
//   - each value is lerp(r, minVal, maxVal) = (1 - r) * min + r * max for
//     r = rand() / RAND_MAX, computed as the classic one did (min and max
//     first converted to the element type), so a generator gets the same
//     values from the same rand() sequence; wbType_ascii draws
//     min + rand() % (max - min);
//   - raw, csv, tsv: written by wbExport(path, kind, data, rows, cols, type),
//     numbers in the shortest form that reads back exactly (the classic
//     libwb printed floats with %f, six decimals); a raw file's header is
//     `N` when cols is 1, else `R C`;
//   - text: `length` printable characters (codes 32 to 127, as classic);
//   - ppm: width x height x channels floats in [minVal, maxVal], written as
//     an image (bytes round(clamp(v, 0, 1) * 255)); 1 or 3 channels.
// The field order of each struct is the classic one, so positional
// initialisers (`wbRaw_GenerateParams_t p = {rows, cols, 0, 100, wbType_integer}`)
// mean the same.
#pragma once

#include "wb_base.h"
#include "wb_export.h"
#include "wb_image.h"
#include "wb_path.h"
#include "wb_types.h"

typedef struct {
    int rows;
    int cols;
    wbType_t type;
    double minVal;
    double maxVal;
} wbCSV_GenerateParams_t;

// Tab-separated tables take the same parameters.
typedef wbCSV_GenerateParams_t wbTSV_GenerateParams_t;

typedef struct {
    int rows;
    int cols;
    double minVal;
    double maxVal;
    wbType_t type;
} wbRaw_GenerateParams_t;

typedef struct {
    int width;
    int height;
    int channels;
    double minVal;
    double maxVal;
} wbPPM_GenerateParams_t;

typedef struct {
    int length;
} wbText_GenerateParams_t;

typedef union {
    wbCSV_GenerateParams_t csv;
    wbRaw_GenerateParams_t raw;
    wbTSV_GenerateParams_t tsv;
    wbPPM_GenerateParams_t ppm;
    wbText_GenerateParams_t text;
} wbGenerateParams_t;

// Writes a random dataset of `kind` to `path` (see above).
void wbDataset_generate(const char* path, wbExportKind_t kind, wbGenerateParams_t params);

#if WB_BODIES

namespace wbInternal {

// The classic lerp: the bounds converted to T first, the blend in double.
template <typename T> void fillLerp(void* out, size_t count, double minVal, double maxVal) {
    const double lo = static_cast<double>(static_cast<T>(minVal));
    const double hi = static_cast<double>(static_cast<T>(maxVal));
    T* values = static_cast<T*>(out);
    for (size_t i = 0; i < count; ++i) {
        const double r = static_cast<double>(std::rand()) / static_cast<double>(RAND_MAX);
        values[i] = static_cast<T>((1 - r) * lo + r * hi);
    }
}

WB_INLINE void fillAscii(void* out, size_t count, double minVal, double maxVal) {
    const int span = static_cast<int>(maxVal - minVal);
    char* values = static_cast<char*>(out);
    for (size_t i = 0; i < count; ++i) {
        const int r = std::rand();
        values[i] = static_cast<char>((span > 0 ? r % span : 0) + static_cast<int>(minVal));
    }
}

// count random values of `type` in a malloc'd buffer.
WB_INLINE void* randomValues(const char* path, wbType_t type, size_t count, double minVal,
                             double maxVal) {
    const size_t size = wbType_size(type);
    if (size == 0)
        fail("wbDataset_generate: unknown element type " + std::to_string(static_cast<int>(type)) +
             " for " + quoted(path) +
             "; set params.<kind>.type to a wbType_t such as wbType_float");
    void* data = std::malloc(count * size);
    if (!data) fail("wbDataset_generate: out of memory for " + quoted(path));
    switch (type) {
    case wbType_ascii:
        fillAscii(data, count, minVal, maxVal);
        break;
    case wbType_bit8:
        fillLerp<signed char>(data, count, minVal, maxVal);
        break;
    case wbType_ubit8:
        fillLerp<unsigned char>(data, count, minVal, maxVal);
        break;
    case wbType_integer:
        fillLerp<int>(data, count, minVal, maxVal);
        break;
    case wbType_float:
        fillLerp<float>(data, count, minVal, maxVal);
        break;
    case wbType_double:
    case wbType_unknown:
        fillLerp<double>(data, count, minVal, maxVal);
        break;
    }
    return data;
}

WB_INLINE int atLeastOne(int n) {
    return n < 1 ? 1 : n;
}

WB_INLINE void generateTable(const char* path, wbExportKind_t kind, int rows0, int cols0,
                             wbType_t type, double minVal, double maxVal) {
    const int rows = atLeastOne(rows0), cols = atLeastOne(cols0);
    void* data = randomValues(path, type, static_cast<size_t>(rows) * static_cast<size_t>(cols),
                              minVal, maxVal);
    wbExport(path, kind, data, rows, cols, type);
    std::free(data);
}

WB_INLINE void generateImage(const char* path, const wbPPM_GenerateParams_t& params) {
    wbImage_t img = wbImage_new(atLeastOne(params.width), atLeastOne(params.height),
                                atLeastOne(params.channels));
    const size_t count = static_cast<size_t>(img->width) * static_cast<size_t>(img->height) *
                         static_cast<size_t>(img->channels);
    fillLerp<float>(img->data, count, params.minVal, params.maxVal);
    wbExport(path, img);
    wbImage_delete(img);
}

} // namespace wbInternal

WB_INLINE void wbDataset_generate(const char* path, wbExportKind_t kind,
                                  wbGenerateParams_t params) {
    if (!path) wbInternal::fail("wbDataset_generate: no file name (NULL)");
    char* dir = wbDirectory_name(path);
    wbDirectory_create(dir);
    std::free(dir);
    switch (kind) {
    case wbExportKind_raw:
        return wbInternal::generateTable(path, kind, params.raw.rows, params.raw.cols,
                                         params.raw.type, params.raw.minVal, params.raw.maxVal);
    case wbExportKind_csv:
        return wbInternal::generateTable(path, kind, params.csv.rows, params.csv.cols,
                                         params.csv.type, params.csv.minVal, params.csv.maxVal);
    case wbExportKind_tsv:
        return wbInternal::generateTable(path, kind, params.tsv.rows, params.tsv.cols,
                                         params.tsv.type, params.tsv.minVal, params.tsv.maxVal);
    case wbExportKind_text:
        return wbInternal::generateTable(path, kind, params.text.length, 1, wbType_ascii, 32, 128);
    case wbExportKind_ppm:
        return wbInternal::generateImage(path, params.ppm);
    case wbExportKind_unknown:
        break;
    }
    wbInternal::fail("wbDataset_generate: unknown export kind " +
                     std::to_string(static_cast<int>(kind)) + " for " + wbInternal::quoted(path) +
                     "; use wbExportKind_raw, _csv, _tsv, _ppm or _text");
}

#endif // WB_BODIES
