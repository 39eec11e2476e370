// libwb's dataset types: wbType_t (how one element is stored) and the file
// kinds wbExport and wbDataset_generate write (wbExportKind_t).
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). The names and
// values are the classic libwb's, since course labs' dataset_generator.cpp
// files name them (`params.raw.type = wbType_integer;`,
// `wbDataset_generate(path, wbExportKind_raw, params)`) and may store or
// compare them as numbers. wb_export.h and wb_dataset.h both use them, so
// they live here, below both.
#pragma once

#include "wb_base.h"

typedef enum en_wbType_t {
    wbType_unknown = -1,
    wbType_ascii = 1,
    wbType_bit8,
    wbType_ubit8,
    wbType_integer,
    wbType_float,
    wbType_double
} wbType_t;

#define wbType_real wbType_float

typedef enum en_wbExportKind_t {
    wbExportKind_unknown = -1,
    wbExportKind_raw = 0x1000,
    wbExportKind_csv,
    wbExportKind_tsv,
    wbExportKind_ppm,
    wbExportKind_text
} wbExportKind_t;

typedef enum en_wbImportKind_t {
    wbImportKind_unknown = -1,
    wbImportKind_raw = 0x1000,
    wbImportKind_csv,
    wbImportKind_tsv,
    wbImportKind_ppm,
    wbImportKind_text
} wbImportKind_t;

// Bytes of one element of `type`; 0 for wbType_unknown or a value that is
// no wbType_t (the classic libwb asserted).
size_t wbType_size(wbType_t type);

#if WB_BODIES

WB_INLINE size_t wbType_size(wbType_t type) {
    switch (type) {
    case wbType_ascii:
    case wbType_bit8:
    case wbType_ubit8:
        return 1;
    case wbType_integer:
        return sizeof(int);
    case wbType_float:
        return sizeof(float);
    case wbType_double:
        return sizeof(double);
    case wbType_unknown:
        break;
    }
    return 0;
}

#endif // WB_BODIES
