// Giving a sandboxed run the GPU (see gpu_access.h).
#include "core/gpu_access.h"

#include "gpu/probe.h"

#include <algorithm>

namespace wb::core {
namespace {

// Whether `dir` is already visible through one of the policy's binds.
bool shown(const sandbox::Policy& policy, const std::filesystem::path& dir) {
    return std::any_of(policy.system_binds.begin(), policy.system_binds.end(), [&](const auto& b) {
        const auto rel = dir.lexically_relative(b.target.empty() ? b.source : b.target);
        return !rel.empty() && *rel.begin() != "..";
    });
}

} // namespace

void allow_gpu(sandbox::Policy& policy) {
    policy.profile = sandbox::Profile::cuda;
    for (const auto& node : gpu::probe().device_nodes)
        policy.devices.push_back(node);
    for (const auto& dir : gpu::driver_library_dirs())
        if (!shown(policy, dir)) policy.binds.push_back({dir, {}, false});
}

void allow_opencl(sandbox::Policy& policy) {
    policy.profile = sandbox::Profile::compile;
    for (const char* dir : {"/etc/OpenCL", "/sys/devices/system"}) {
        std::error_code ec;
        if (std::filesystem::is_directory(dir, ec) && !shown(policy, dir))
            policy.binds.push_back({dir, {}, false});
    }
}

} // namespace wb::core
