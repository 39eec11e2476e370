// The CUDA side of compile_check.cpp: wb.h under nvcc, with a kernel and
// wbCheck, compiled with `nvcc -c` only (no GPU is needed to build).
#define COMPILE_CHECK_NO_MAIN
#include "compile_check.cpp"

__global__ void addOne(float *data, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) data[i] += 1.0f;
}

int main(int argc, char **argv) {
    float *device = nullptr;
    wbCheck(cudaMalloc((void **)&device, 16 * sizeof(float)));
    addOne<<<1, 16>>>(device, 16);
    wbCheck(cudaGetLastError());
    wbCheck(cudaDeviceSynchronize());
    wbCheck(cudaFree(device));
    return runEverything(argc, argv);
}
