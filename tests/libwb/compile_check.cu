// The CUDA side of compile_check.cpp: wb.h under nvcc, with a kernel, a
// wbCheck of the program's own (wb.h defines none; with -Werror a second
// definition would fail) and the cudaThread* calls CUDA 13 removed, which
// wb.h maps; compiled with `nvcc -c` only (no GPU is needed to build).
#define COMPILE_CHECK_NO_MAIN
#include "compile_check.cpp"

#define wbCheck(stmt)                                                                              \
    do {                                                                                           \
        cudaError_t err = stmt;                                                                    \
        if (err != cudaSuccess) {                                                                  \
            wbLog(ERROR, "Failed to run stmt ", #stmt);                                            \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

__global__ void addOne(float* data, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) data[i] += 1.0f;
}

int main(int argc, char** argv) {
    float* device = nullptr;
    wbCheck(cudaMalloc((void**)&device, 16 * sizeof(float)));
    addOne<<<1, 16>>>(device, 16);
    wbCheck(cudaGetLastError());
    wbCheck(cudaDeviceSynchronize());
    wbCheck(cudaThreadSynchronize());
    wbCheck(cudaFree(device));
    wbCheck(cudaThreadExit());
    return runEverything(argc, argv);
}
