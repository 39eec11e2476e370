// libwb CUDA helpers: wbCheck(stmt).
//
// Header-only like the rest of libwb (see wb_base.h). Only a CUDA compile
// (__CUDACC__, i.e. nvcc) sees anything here, so a .cpp program including
// wb.h needs no CUDA headers at all.
//
// wbCheck wraps a runtime API call; on failure it prints the statement, the
// error's name and description, and exits with libwb's error status (2).
// The classic MP templates defined their own wbCheck that returned -1 from
// the enclosing function, which does not compile in a void function and is
// easy to ignore; exiting is what those templates meant. A template that
// still defines its own after including wb.h gets a "redefined" warning and
// its own definition, which keeps working.
#pragma once

#include "wb_base.h"
#include "wb_log.h"

#ifdef __CUDACC__
#include <cuda_runtime.h>

namespace wbInternal {

[[noreturn]] inline void cudaCheckFailed(cudaError_t err, const char* stmt, const char* file,
                                         int line) {
    fail(std::string(baseName(file)) + ":" + std::to_string(line) + ": " + stmt +
         " failed: " + cudaGetErrorName(err) + ": " + cudaGetErrorString(err));
}

} // namespace wbInternal

#ifndef wbCheck
#define wbCheck(stmt)                                                                              \
    do {                                                                                           \
        cudaError_t wbCheckError_ = (stmt);                                                        \
        if (wbCheckError_ != cudaSuccess)                                                          \
            wbInternal::cudaCheckFailed(wbCheckError_, #stmt, wbFile, wbLine);                     \
    } while (0)
#endif
#endif // __CUDACC__
