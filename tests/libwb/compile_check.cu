// The CUDA side of compile_check.cpp: wb.h under nvcc, with a kernel, a
// wbCheck of the program's own (own_macros.cpp; wb.h defines none, and with -Werror a second
// definition would fail) and the cudaThread* calls CUDA 13 removed, which
// wb.h maps; compiled with `nvcc -c` only (no GPU is needed to build).
#define COMPILE_CHECK_NO_MAIN
#include "compile_check.cpp"

#define OWN_MACROS_NO_MAIN
#include "own_macros.cpp"

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
