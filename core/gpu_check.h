// `wbtool gpu-check` for the command line: gpu/check.h's check, with a
// --device this machine lacks as the usage error (exit 2) it is.
#pragma once

#include "gpu/check.h"

namespace wb::core {

// Throws InputError when `options.device` names no device.
gpu::CheckReport gpu_check(const gpu::CheckOptions& options);

} // namespace wb::core
