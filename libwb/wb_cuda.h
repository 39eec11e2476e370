// libwb under nvcc: the CUDA runtime, and the runtime calls CUDA 13 removed.
//
// Only a CUDA compile (__CUDACC__, i.e. nvcc) sees any of this, so a .cpp
// program including wb.h needs no CUDA headers at all, and libwb.o is the
// same host code whichever compiler driver built it.
//
// wb.h defines no wbCheck (nor CUDA_CHECK, gpuErrchk, ...): the classic
// libwb did not either, and course programs define their own, often one
// that returns from main. A definition here made every such program print
// `warning: "wbCheck" redefined`, and -Werror builds fail.
//
// CUDA 13 removed the cudaThread* calls deprecated since CUDA 4
// (cudaThreadSynchronize, cudaThreadExit, ...). Course code from those
// years still calls them, so from CUDART_VERSION 13000 on they are inline
// functions that call their cudaDevice* replacements, which do the same for
// the current device. They are functions, not macros, so that a name in a
// comment, a string or a member is left alone.
#pragma once

#ifdef __CUDACC__
#include <cuda_runtime.h>

#if defined(CUDART_VERSION) && CUDART_VERSION >= 13000
inline cudaError_t cudaThreadSynchronize() {
    return cudaDeviceSynchronize();
}
inline cudaError_t cudaThreadExit() {
    return cudaDeviceReset();
}
inline cudaError_t cudaThreadSetLimit(cudaLimit limit, size_t value) {
    return cudaDeviceSetLimit(limit, value);
}
inline cudaError_t cudaThreadGetLimit(size_t* value, cudaLimit limit) {
    return cudaDeviceGetLimit(value, limit);
}
inline cudaError_t cudaThreadSetCacheConfig(cudaFuncCache config) {
    return cudaDeviceSetCacheConfig(config);
}
inline cudaError_t cudaThreadGetCacheConfig(cudaFuncCache* config) {
    return cudaDeviceGetCacheConfig(config);
}
#endif // CUDART_VERSION >= 13000
#endif // __CUDACC__
