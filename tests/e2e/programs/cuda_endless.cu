// For the vecadd-cuda MP: a kernel that never ends (it waits for a flag
// nobody sets). The grader must stop it at the time limit (time_limit), and
// the GPU must be healthy afterwards.
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

__global__ void wait_forever(volatile int* flag) {
    while (flag[0] == 0) {
    }
}

int main(int argc, char** argv) {
    wbArg_t args = wbArg_read(argc, argv);
    (void)args;
    int* flag;
    wbCheck(cudaMalloc(&flag, sizeof(int)));
    wbCheck(cudaMemset(flag, 0, sizeof(int)));
    wbTime_start(Compute, "waiting for a flag nobody sets");
    wait_forever<<<1, 1>>>(flag);
    wbCheck(cudaDeviceSynchronize());
    wbTime_stop(Compute, "waiting for a flag nobody sets");
    return 0;
}
