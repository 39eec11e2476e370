// What this machine has for CUDA, without running anything: the NVIDIA
// driver (/proc/driver/nvidia), the GPUs it sees, and the device nodes a
// program needs (/dev/nvidia*). The grader asks before running a CUDA
// program, so that a machine without a GPU says so instead of blaming the
// student for cudaErrorInsufficientDriver; the sandbox's GPU profile binds
// exactly the nodes listed here. Reading files only, it works (and is
// tested) on machines without a GPU; `root` lets tests point it at a fake
// tree.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace wb::gpu {

struct Gpu {
    std::string bus_id; // as /proc/driver/nvidia/gpus names it, e.g. 0000:17:00.0
    std::string model;  // "NVIDIA H200"; empty if the driver does not say
};

struct Probe {
    std::string driver_version;                      // empty: no NVIDIA driver loaded
    std::vector<Gpu> gpus;                           // what the driver reports
    std::vector<std::filesystem::path> device_nodes; // /dev/nvidiactl, /dev/nvidia0, ...

    // A CUDA program can run here: a driver, a GPU and its device node.
    bool usable() const;
    // Why not, in one sentence a TA can act on; empty when usable().
    std::string problem() const;
};

Probe probe(const std::filesystem::path& root = "/");

// The directories that hold the driver's user-space libraries (libcuda.so.1
// and its companions, such as the PTX JIT compiler), where the dynamic
// loader finds them: the directories of /etc/ld.so.conf and its includes,
// then the default ones; each with the real directory of libcuda.so.1 when
// it is a link to elsewhere. Empty where no driver is installed.
std::vector<std::filesystem::path> driver_library_dirs(const std::filesystem::path& root = "/");

} // namespace wb::gpu
