// For the vecadd-cuda MP: a kernel that writes a gigabyte past its output,
// which the GPU refuses (an illegal address). The grader must report a
// runtime_error carrying the CUDA error wbCheck printed.
#include <wb.h>

// wb.h defines no wbCheck; programs define their own. This one names the
// error on the last line of the output, where the grader's message takes it.
#define wbCheck(stmt)                                                                              \
    do {                                                                                           \
        cudaError_t err_ = (stmt);                                                                 \
        if (err_ != cudaSuccess) {                                                                 \
            wbLog(ERROR, #stmt, " failed: ", cudaGetErrorName(err_), ": ",                         \
                  cudaGetErrorString(err_));                                                       \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

__global__ void vecAdd(const float* in1, const float* in2, float* out, int len) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < len) out[i + (1 << 28)] = in1[i] + in2[i];
}

int main(int argc, char** argv) {
    wbArg_t args = wbArg_read(argc, argv);
    int n = 0, n2 = 0;
    float* a = (float*)wbImport(wbArg_getInputFile(args, 0), &n);
    float* b = (float*)wbImport(wbArg_getInputFile(args, 1), &n2);
    size_t bytes = (size_t)(n > 0 ? n : 1) * sizeof(float);
    float *da, *db, *dc;
    wbCheck(cudaMalloc(&da, bytes));
    wbCheck(cudaMalloc(&db, bytes));
    wbCheck(cudaMalloc(&dc, bytes));
    wbCheck(cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice));
    wbCheck(cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice));
    vecAdd<<<(n + 255) / 256 + 1, 256>>>(da, db, dc, n > 0 ? n : 1);
    wbCheck(cudaDeviceSynchronize());
    float* c = (float*)calloc(n > 0 ? n : 1, sizeof(float));
    wbCheck(cudaMemcpy(c, dc, bytes, cudaMemcpyDeviceToHost));
    wbSolution(args, c, n);
    return 0;
}
