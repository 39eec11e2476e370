// `wbtool gpu-check`: checks each GPU (gpu/check.h) and reports it for a
// person (a few lines per device) or a script (--json). Exit 0 healthy,
// 1 a device failed, 5 no usable GPU.
#include "cmd/gpu_check.h"

#include "cmd/common.h"

#include <memory>

namespace wb::cmd {

void add_gpu_check(CLI::App& app, Globals& globals, Action& action) {
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
    sub->callback([args, &globals, &action] {
        globals.needs_shared_binary = [] { return true; };
        action = [args] { return run_gpu_check(*args); };
    });
}

} // namespace wb::cmd
