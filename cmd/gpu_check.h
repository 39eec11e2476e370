// `wbtool gpu-check` (gpu_check.cpp adds it): its options, and the check
// itself, which loads the CUDA driver (gpu/cuda_driver.h) and so runs in
// wbtool-net (gpu_check_run.cpp; the static wbtool runs wbtool-net in its
// place: cmd/module.h).
#pragma once

namespace wb::cmd {

struct GpuCheckArgs {
    int device = -1;
    double timeout_s = 60;
    bool json = false;
};

// Checks and prints; returns the exit status.
int run_gpu_check(const GpuCheckArgs& args);

} // namespace wb::cmd
