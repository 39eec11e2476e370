// `wbtool gpu-check`: is each GPU of this machine fit to grade CUDA
// programs? For each device: its name, compute capability, memory and PCI
// bus id; then a vector-add kernel (checked element by element) and a
// device-memory round trip (checked byte for byte), both timed.
//
// The seed's lesson: a dead GPU went unnoticed on a worker and students took
// its failures for their own bugs. So a check never crashes and never hangs:
// the CUDA work runs in a child process, and the parent kills it at a
// deadline and names the device and the step that did not return. The child
// reports as it goes (one JSON line per step), so what finished before a
// hang or a crash is still reported.
//
// The driver API is loaded at run time (cuda_driver.h) and the kernel is
// embedded PTX (kernels.h): this runs, and says "no GPU" plainly, where
// there is no CUDA at all.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wb::gpu {

enum class Health {
    healthy, // every device checked passed (exit 0)
    failed,  // a device (or the driver) failed its check (exit 1)
    no_gpu,  // no driver or no device: nothing to check (exit 5)
};

struct DeviceCheck {
    int index = 0;
    std::string name;
    std::string compute_capability; // "9.0"
    std::uint64_t memory_mib = 0;
    std::string pci_bus_id;
    bool ok = false;
    std::string failed_step; // which step failed ("launch", ...); empty when ok
    std::string error;       // what: the CUDA error's name and text, or the mismatch
    double vector_add_ms = 0;
    std::uint32_t vector_add_elements = 0;
    double to_device_gbps = 0;
    double to_host_gbps = 0;
    double elapsed_ms = 0; // the whole check of this device, context creation included
};

struct CheckReport {
    Health health = Health::no_gpu;
    std::string message;         // one sentence: the verdict, or what went wrong
    std::string driver_version;  // the kernel module's ("580.159.04"); empty if unknown
    std::string cuda_version;    // the CUDA version the driver supports ("13.0")
    std::string runtime_version; // the installed CUDA runtime's ("13.0"); empty if none
    std::vector<DeviceCheck> devices;
    double elapsed_s = 0;
};

struct CheckOptions {
    std::optional<int> device; // only this one; all when empty
    double timeout_s = 60;     // for the whole check, driver start-up included
};

// Runs the check in a forked child (call it where forking is safe: a
// single-threaded process, such as the `wbtool gpu-check` command).
// Throws std::invalid_argument when `options.device` names no device.
CheckReport run_check(const CheckOptions& options);

// Runs `exe gpu-check --json` (exe: the wbtool binary) and reads its
// report: for a multi-threaded process, such as a worker, which must not
// use CUDA in a fork of itself. Never throws; a check that cannot be run
// or read is a failed report saying why.
CheckReport run_check_process(const std::string& exe, const CheckOptions& options);

int exit_code(Health h); // 0, 1 or 5
std::string_view to_string(Health h);

void to_json(nlohmann::json& j, const DeviceCheck& d);
void from_json(const nlohmann::json& j, DeviceCheck& d);
void to_json(nlohmann::json& j, const CheckReport& r);
void from_json(const nlohmann::json& j, CheckReport& r);

// One line for a worker's heartbeat: empty when healthy, else what failed
// ("device 0 (NVIDIA H100): launch: CUDA_ERROR_LAUNCH_FAILED: ...").
std::string unhealthy_reason(const CheckReport& r);

} // namespace wb::gpu
