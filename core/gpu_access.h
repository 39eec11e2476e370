// What a CUDA program needs inside the sandbox, added to a run's policy:
// the `cuda` system-call profile, the GPU's device nodes (/dev/nvidiactl,
// /dev/nvidia0..N, /dev/nvidia-uvm, /dev/nvidia-uvm-tools) and the
// driver's user-space libraries, read-only, where the system binds do not
// already show them. The grader uses it for CUDA MPs and
// `wbtool sandbox run --profile cuda` for anything.
#pragma once

#include "sandbox/policy.h"

namespace wb::core {

void allow_gpu(sandbox::Policy& policy);

// What an OpenCL program needs: the ICD loader's registry of platforms
// (/etc/OpenCL/vendors) and the CPU and memory topology that PoCL's CPU
// platform sizes its device by (/sys/devices/system), read-only; the
// `compile` system-call profile, because an OpenCL runtime compiles the
// program's kernels when it runs, and PoCL starts the linker to do it. The
// GPU's device nodes are not given: OpenCL programs run on PoCL's CPU
// device, the platform every worker can have.
void allow_opencl(sandbox::Policy& policy);

} // namespace wb::core
