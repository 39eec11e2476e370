// The CUDA driver API, loaded at run time (dlopen("libcuda.so.1")), so that
// wbtool starts, and says plainly that there is no GPU, on a machine without
// the NVIDIA driver; nothing of CUDA is linked. Only the calls gpu-check
// makes are declared, with the driver's own ABI (CUresult is an int, a
// CUdevice an int, handles are pointers, device pointers 64-bit).
#pragma once

#include <cstddef>
#include <string>

namespace wb::gpu {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
struct CUctx_st;
struct CUmod_st;
struct CUfunc_st;
using CUcontext = CUctx_st*;
using CUmodule = CUmod_st*;
using CUfunction = CUfunc_st*;

constexpr CUresult cuda_success = 0;
constexpr CUresult cuda_error_stub_library = 34; // the toolkit's stub, not a driver
constexpr CUresult cuda_error_insufficient_driver = 35;
constexpr CUresult cuda_error_no_device = 100;
constexpr int attribute_pci_bus_id = 33;
constexpr int attribute_compute_major = 75;
constexpr int attribute_compute_minor = 76;

struct DriverApi {
    CUresult (*cuInit)(unsigned);
    CUresult (*cuDriverGetVersion)(int*);
    CUresult (*cuDeviceGetCount)(int*);
    CUresult (*cuDeviceGet)(CUdevice*, int);
    CUresult (*cuDeviceGetName)(char*, int, CUdevice);
    CUresult (*cuDeviceGetAttribute)(int*, int, CUdevice);
    CUresult (*cuDeviceGetPCIBusId)(char*, int, CUdevice);
    CUresult (*cuDeviceTotalMem_v2)(std::size_t*, CUdevice);
    CUresult (*cuDevicePrimaryCtxRetain)(CUcontext*, CUdevice);
    CUresult (*cuDevicePrimaryCtxRelease_v2)(CUdevice);
    CUresult (*cuCtxSetCurrent)(CUcontext);
    CUresult (*cuCtxSynchronize)();
    CUresult (*cuModuleLoadData)(CUmodule*, const void*);
    CUresult (*cuModuleGetFunction)(CUfunction*, CUmodule, const char*);
    CUresult (*cuModuleUnload)(CUmodule);
    CUresult (*cuMemAlloc_v2)(CUdeviceptr*, std::size_t);
    CUresult (*cuMemFree_v2)(CUdeviceptr);
    CUresult (*cuMemcpyHtoD_v2)(CUdeviceptr, const void*, std::size_t);
    CUresult (*cuMemcpyDtoH_v2)(void*, CUdeviceptr, std::size_t);
    CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned,
                               unsigned, unsigned, void*, void**, void**);
    CUresult (*cuGetErrorName)(CUresult, const char**);
    CUresult (*cuGetErrorString)(CUresult, const char**);
};

// Loads libcuda.so.1 and every call above. Empty `problem` on success;
// otherwise why not, in one sentence (the library is missing, or lacks a
// call). The library stays loaded for the life of the process.
struct LoadedDriver {
    DriverApi api{};
    std::string problem;
    bool missing = false; // no libcuda.so.1 at all: no NVIDIA driver installed
};
LoadedDriver load_driver();

// "CUDA_ERROR_LAUNCH_FAILED: unspecified launch failure", or the number
// when the driver cannot name it.
std::string error_text(const DriverApi& api, CUresult rc);

// The CUDA runtime's version ("13.0") from libcudart, where the toolkit
// is installed; empty otherwise. Needs no GPU.
std::string runtime_version();

// 13000 -> "13.0".
std::string version_text(int v);

} // namespace wb::gpu
