/* A fake CUDA driver (libcuda.so.1) for testing `wbtool gpu-check` where
 * there is no GPU: found first through LD_LIBRARY_PATH, it answers the
 * driver calls the check makes, with "device memory" in host memory and the
 * vector-add kernel run on the CPU. WBTOOL_FAKE_CUDA picks a misbehaviour:
 *   ok (default), no_device, init_error, launch_error, wrong_result, hang
 *   (the kernel never finishes), crash (the driver segfaults in a launch).
 * WBTOOL_FAKE_CUDA_DEVICES sets how many devices it has (default 1). */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int mode(const char* name) {
    const char* m = getenv("WBTOOL_FAKE_CUDA");
    return m && strcmp(m, name) == 0;
}

int cuInit(unsigned flags) {
    (void)flags;
    if (mode("no_device")) return 100;
    if (mode("init_error")) return 999;
    return 0;
}
int cuDriverGetVersion(int* v) { *v = 12040; return 0; }
int cuDeviceGetCount(int* n) {
    const char* d = getenv("WBTOOL_FAKE_CUDA_DEVICES");
    *n = d ? atoi(d) : 1;
    return 0;
}
int cuDeviceGet(int* dev, int ordinal) { *dev = ordinal; return 0; }
int cuDeviceGetName(char* name, int len, int dev) {
    (void)dev;
    strncpy(name, "Fake GPU", (size_t)len);
    return 0;
}
int cuDeviceGetAttribute(int* v, int attr, int dev) {
    (void)dev;
    *v = attr == 75 ? 9 : 0;
    return 0;
}
int cuDeviceGetPCIBusId(char* bus, int len, int dev) {
    (void)dev;
    strncpy(bus, "0000:00:00.0", (size_t)len);
    return 0;
}
int cuDeviceTotalMem_v2(size_t* bytes, int dev) { (void)dev; *bytes = (size_t)1 << 30; return 0; }
static int context;
int cuDevicePrimaryCtxRetain(void** ctx, int dev) { (void)dev; *ctx = &context; return 0; }
int cuDevicePrimaryCtxRelease_v2(int dev) { (void)dev; return 0; }
int cuCtxSetCurrent(void* ctx) { (void)ctx; return 0; }
static int launched_hang;
int cuCtxSynchronize(void) {
    while (launched_hang)
        pause();
    return 0;
}
static int module;
int cuModuleLoadData(void** m, const void* image) {
    *m = strstr((const char*)image, ".entry wbtool_vector_add") ? (void*)&module : NULL;
    return *m ? 0 : 200; /* CUDA_ERROR_INVALID_IMAGE */
}
int cuModuleGetFunction(void** f, void* m, const char* name) {
    (void)m;
    *f = strcmp(name, "wbtool_vector_add") == 0 ? (void*)&module : NULL;
    return *f ? 0 : 500; /* CUDA_ERROR_NOT_FOUND */
}
int cuModuleUnload(void* m) { (void)m; return 0; }
int cuMemAlloc_v2(unsigned long long* p, size_t bytes) {
    *p = (unsigned long long)(uintptr_t)malloc(bytes);
    return *p ? 0 : 2; /* CUDA_ERROR_OUT_OF_MEMORY */
}
int cuMemFree_v2(unsigned long long p) { free((void*)(uintptr_t)p); return 0; }
int cuMemcpyHtoD_v2(unsigned long long dst, const void* src, size_t n) {
    memcpy((void*)(uintptr_t)dst, src, n);
    return 0;
}
int cuMemcpyDtoH_v2(void* dst, unsigned long long src, size_t n) {
    memcpy(dst, (const void*)(uintptr_t)src, n);
    return 0;
}
int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                   unsigned bz, unsigned shared, void* stream, void** params, void** extra) {
    (void)f; (void)gx; (void)gy; (void)gz; (void)bx; (void)by; (void)bz; (void)shared;
    (void)stream; (void)extra;
    if (mode("launch_error")) return 719;
    if (mode("crash")) raise(SIGSEGV);
    if (mode("hang")) launched_hang = 1;
    const float* a = (const float*)(uintptr_t) * (unsigned long long*)params[0];
    const float* b = (const float*)(uintptr_t) * (unsigned long long*)params[1];
    float* c = (float*)(uintptr_t) * (unsigned long long*)params[2];
    const unsigned n = *(unsigned*)params[3];
    for (unsigned i = 0; i < n; ++i)
        c[i] = a[i] + b[i];
    if (mode("wrong_result") && n > 12345) c[12345] += 1.0f;
    return 0;
}
int cuGetErrorName(int rc, const char** name) {
    switch (rc) {
    case 0: *name = "CUDA_SUCCESS"; return 0;
    case 100: *name = "CUDA_ERROR_NO_DEVICE"; return 0;
    case 719: *name = "CUDA_ERROR_LAUNCH_FAILED"; return 0;
    case 999: *name = "CUDA_ERROR_UNKNOWN"; return 0;
    }
    *name = NULL;
    return 1;
}
int cuGetErrorString(int rc, const char** text) {
    switch (rc) {
    case 100: *text = "no CUDA-capable device is detected"; return 0;
    case 719: *text = "unspecified launch failure"; return 0;
    case 999: *text = "unknown error"; return 0;
    }
    *text = NULL;
    return 1;
}
