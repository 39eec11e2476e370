// A program that defines the error-check macros course code defines for
// itself. wb.h must define none of them: compiled with -Werror (see
// run_program.sh), a definition in wb.h would be a "redefined" warning and
// fail the build. The classic libwb defined none of these either.
// compile_check.cu takes its wbCheck from here (OWN_MACROS_NO_MAIN).
#include <wb.h>

#define wbCheck(stmt)                                                                              \
    do {                                                                                           \
        cudaError_t err = stmt;                                                                    \
        if (err != cudaSuccess) {                                                                  \
            wbLog(ERROR, "Failed to run stmt ", #stmt);                                            \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)
#define CUDA_CHECK(call) wbCheck(call)
#define CHECK(call) wbCheck(call)
#define gpuErrchk(ans) wbCheck(ans)
#define checkCudaErrors(call) wbCheck(call)
#define CUDA_SAFE_CALL(call) wbCheck(call)
#define cudaCheckError() wbCheck(cudaGetLastError())

#ifndef OWN_MACROS_NO_MAIN
int main(int argc, char** argv) {
#ifdef __CUDACC__
    if (argc > 2) { // never: a GPU is not needed to run this
        wbCheck(cudaDeviceSynchronize());
        CUDA_CHECK(cudaDeviceSynchronize());
        CHECK(cudaDeviceSynchronize());
        gpuErrchk(cudaDeviceSynchronize());
        checkCudaErrors(cudaDeviceSynchronize());
        CUDA_SAFE_CALL(cudaDeviceSynchronize());
        cudaCheckError();
    }
#endif
    wbLog(TRACE, "own macros: ", argc, " ", argv[0]);
    return 0;
}
#endif
