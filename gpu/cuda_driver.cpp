// Loading the CUDA driver API at run time (see cuda_driver.h).
#include "gpu/cuda_driver.h"

#include <cstdio>
#include <dlfcn.h>

namespace wb::gpu {
namespace {

template <typename Fn> bool bind(void* lib, const char* name, Fn& out, std::string& problem) {
    out = reinterpret_cast<Fn>(dlsym(lib, name));
    if (!out && problem.empty())
        problem = std::string("the CUDA driver library libcuda.so.1 has no ") + name +
                  " (a driver too old or not NVIDIA's)";
    return out != nullptr;
}

} // namespace

LoadedDriver load_driver() {
    LoadedDriver d;
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        d.missing = true;
        d.problem = "the CUDA driver library libcuda.so.1 is not installed, so this machine has "
                    "no NVIDIA driver to run CUDA programs with";
        return d;
    }
    auto& a = d.api;
    std::string& p = d.problem;
    bind(lib, "cuInit", a.cuInit, p);
    bind(lib, "cuDriverGetVersion", a.cuDriverGetVersion, p);
    bind(lib, "cuDeviceGetCount", a.cuDeviceGetCount, p);
    bind(lib, "cuDeviceGet", a.cuDeviceGet, p);
    bind(lib, "cuDeviceGetName", a.cuDeviceGetName, p);
    bind(lib, "cuDeviceGetAttribute", a.cuDeviceGetAttribute, p);
    bind(lib, "cuDeviceGetPCIBusId", a.cuDeviceGetPCIBusId, p);
    bind(lib, "cuDeviceTotalMem_v2", a.cuDeviceTotalMem_v2, p);
    bind(lib, "cuDevicePrimaryCtxRetain", a.cuDevicePrimaryCtxRetain, p);
    // _v2 since CUDA 11; the older name takes the same argument.
    std::string ignored;
    if (!bind(lib, "cuDevicePrimaryCtxRelease_v2", a.cuDevicePrimaryCtxRelease_v2, ignored))
        bind(lib, "cuDevicePrimaryCtxRelease", a.cuDevicePrimaryCtxRelease_v2, p);
    bind(lib, "cuCtxSetCurrent", a.cuCtxSetCurrent, p);
    bind(lib, "cuCtxSynchronize", a.cuCtxSynchronize, p);
    bind(lib, "cuModuleLoadData", a.cuModuleLoadData, p);
    bind(lib, "cuModuleGetFunction", a.cuModuleGetFunction, p);
    bind(lib, "cuModuleUnload", a.cuModuleUnload, p);
    bind(lib, "cuMemAlloc_v2", a.cuMemAlloc_v2, p);
    bind(lib, "cuMemFree_v2", a.cuMemFree_v2, p);
    bind(lib, "cuMemcpyHtoD_v2", a.cuMemcpyHtoD_v2, p);
    bind(lib, "cuMemcpyDtoH_v2", a.cuMemcpyDtoH_v2, p);
    bind(lib, "cuLaunchKernel", a.cuLaunchKernel, p);
    bind(lib, "cuGetErrorName", a.cuGetErrorName, p);
    bind(lib, "cuGetErrorString", a.cuGetErrorString, p);
    return d;
}

std::string error_text(const DriverApi& api, CUresult rc) {
    const char* name = nullptr;
    const char* text = nullptr;
    if (api.cuGetErrorName) api.cuGetErrorName(rc, &name);
    if (api.cuGetErrorString) api.cuGetErrorString(rc, &text);
    std::string out = name ? name : "CUDA error " + std::to_string(rc);
    if (text) out += std::string(": ") + text;
    return out;
}

std::string version_text(int v) {
    return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

std::string runtime_version() {
    void* lib = nullptr;
    for (const char* name : {"libcudart.so", "/usr/local/cuda/lib64/libcudart.so"}) {
        lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (lib) break;
    }
    if (!lib) return {};
    using Fn = int (*)(int*);
    auto get = reinterpret_cast<Fn>(dlsym(lib, "cudaRuntimeGetVersion"));
    int v = 0;
    const bool ok = get && get(&v) == 0 && v > 0;
    dlclose(lib);
    return ok ? version_text(v) : std::string();
}

} // namespace wb::gpu
