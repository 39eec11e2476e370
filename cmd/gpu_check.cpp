// `wbtool gpu-check`: checks each GPU (gpu/check.h) and reports it for a
// person (a few lines per device) or a script (--json). Exit 0 healthy,
// 1 a device failed, 5 no usable GPU.
#include "core/gpu_check.h"

#include "cmd/common.h"
#include "core/error.h"

#include <fmt/format.h>

#include <memory>

namespace wb::cmd {
namespace {

struct GpuCheckArgs {
    int device = -1;
    double timeout_s = 60;
    bool json = false;
};

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

} // namespace

void add_gpu_check(CLI::App& app, Globals&, Action& action) {
    auto args = std::make_shared<GpuCheckArgs>();
    auto* sub = app.add_subcommand(
        "gpu-check", "Check each GPU: list it, run a kernel and a memory round trip on it");
    sub->add_option("--device", args->device, "Check only this device (numbered from 0)")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--timeout", args->timeout_s,
                    "Seconds the whole check may take before it counts as a failure (a hung "
                    "GPU or driver)")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->check(CLI::Range(1.0, 3600.0));
    sub->add_flag("--json", args->json, "Print the report as JSON");
    sub->footer("Exit status: 0 every GPU healthy, 1 a GPU failed its check, 2 usage error, "
                "5 no usable GPU (no driver or no device).");
    sub->callback([args, &action] { action = [args] { return run_gpu_check(*args); }; });
}

} // namespace wb::cmd
