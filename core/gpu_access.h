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

} // namespace wb::core
