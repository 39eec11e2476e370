// The kernels `wbtool gpu-check` runs on each device. Compiled to PTX (by
// nvcc at build time where it is found, else gpu/kernels/check_kernels.ptx,
// committed) and loaded through the driver API, so wbtool itself needs no
// CUDA library to start. extern "C": the names the check looks up.

// c[i] = a[i] + b[i]: the smallest kernel that proves a launch reads and
// writes device memory where it should.
extern "C" __global__ void wbtool_vector_add(const float* a, const float* b, float* c,
                                             unsigned n) {
    const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}
