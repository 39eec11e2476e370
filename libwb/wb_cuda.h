// libwb CUDA helpers: wbCheck(stmt).
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). Only a CUDA
// compile (__CUDACC__, i.e. nvcc) sees wbCheck, so a .cpp program including
// wb.h needs no CUDA headers at all. The report itself takes the error's
// name and description as strings, so that its body needs no CUDA either
// and libwb.o is the same host code whichever compiler driver built it.
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

namespace wbInternal {

// `file:line: stmt failed: name: description`, then libwb's fatal exit.
[[noreturn]] void cudaCheckFailed(const char* name, const char* description, const char* stmt,
                                  const char* file, int line);

} // namespace wbInternal

#ifdef __CUDACC__
#include <cuda_runtime.h>

#ifndef wbCheck
#define wbCheck(stmt)                                                                              \
    do {                                                                                           \
        cudaError_t wbCheckError_ = (stmt);                                                        \
        if (wbCheckError_ != cudaSuccess)                                                          \
            wbInternal::cudaCheckFailed(cudaGetErrorName(wbCheckError_),                           \
                                        cudaGetErrorString(wbCheckError_), #stmt, wbFile, wbLine); \
    } while (0)
#endif
#endif // __CUDACC__

#if WB_BODIES

namespace wbInternal {

WB_INLINE void cudaCheckFailed(const char* name, const char* description, const char* stmt,
                               const char* file, int line) {
    fail(std::string(baseName(file)) + ":" + std::to_string(line) + ": " + stmt +
         " failed: " + name + ": " + description);
}

} // namespace wbInternal

#endif // WB_BODIES
