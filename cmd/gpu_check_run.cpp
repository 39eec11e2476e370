// `wbtool gpu-check`'s check and report (gpu_check.h), in wbtool-net only:
// the check loads the CUDA driver.
#include "cmd/gpu_check.h"
#include "core/gpu_check.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace wb::cmd {
namespace {

void print_device(const gpu::DeviceCheck& d) {
    fmt::print("device {}  {}  compute {}  {} MiB  {}\n", d.index,
               d.name.empty() ? "(unnamed)" : d.name, d.compute_capability, d.memory_mib,
               d.pci_bus_id);
    if (d.vector_add_elements > 0)
        fmt::print("  vector add   {} elements in {:.3f} ms, every element right\n",
                   d.vector_add_elements, d.vector_add_ms);
    if (d.to_host_gbps > 0)
        fmt::print("  round trip   32 MiB: {:.1f} GB/s to the device, {:.1f} GB/s back, "
                   "every byte right\n",
                   d.to_device_gbps, d.to_host_gbps);
    if (d.ok)
        fmt::print("  ok           in {:.0f} ms\n", d.elapsed_ms);
    else
        fmt::print("  FAILED       {}: {}\n", d.failed_step, d.error);
}

} // namespace

int run_gpu_check(const GpuCheckArgs& a) {
    gpu::CheckOptions o;
    if (a.device >= 0) o.device = a.device;
    o.timeout_s = a.timeout_s;
    const gpu::CheckReport r = core::gpu_check(o);
    if (a.json) {
        fmt::print("{}\n", nlohmann::json(r).dump(2));
        return gpu::exit_code(r.health);
    }
    if (r.health == gpu::Health::no_gpu) {
        fmt::print(stderr, "wbtool: gpu-check: no usable GPU: {}\n", r.message);
        return gpu::exit_code(r.health);
    }
    if (!r.cuda_version.empty())
        fmt::print("driver {}, CUDA {}, runtime {}\n",
                   r.driver_version.empty() ? "(version unknown)" : r.driver_version,
                   r.cuda_version, r.runtime_version.empty() ? "not installed" : r.runtime_version);
    for (const auto& d : r.devices)
        print_device(d);
    if (r.health == gpu::Health::healthy)
        fmt::print("healthy: {}\n", r.message);
    else
        fmt::print(stderr, "wbtool: gpu-check: {}\n", r.message);
    return gpu::exit_code(r.health);
}

} // namespace wb::cmd
