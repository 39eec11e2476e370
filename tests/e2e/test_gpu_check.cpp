// `wbtool gpu-check` where there is no GPU: the plain "no usable GPU" exit
// 5, and through a fake CUDA driver (helpers/fake_libcuda.c) the healthy
// report and each way a device can fail: a driver that does not start, a
// failed launch, a wrong sum, a kernel that never returns (bounded by
// --timeout), a driver that crashes.
#include "runner.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <chrono>

using wb::test::Run;
using wb::test::run_process;

namespace {

Run gpu_check(const std::string& mode, std::vector<std::string> args, int devices = 1) {
    std::vector<std::string> argv = {"/usr/bin/env",
                                     std::string("LD_LIBRARY_PATH=") + FAKE_LIBCUDA_DIR,
                                     "WBTOOL_FAKE_CUDA=" + mode,
                                     "WBTOOL_FAKE_CUDA_DEVICES=" + std::to_string(devices),
                                     WBTOOL_BINARY,
                                     "gpu-check"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
}

} // namespace

TEST_CASE("gpu-check without a driver says so in one sentence and exits 5", "[gpu]") {
    if (std::filesystem::exists("/proc/driver/nvidia/version"))
        wb::test::skip("this machine has an NVIDIA driver");
    const Run plain = run_process({WBTOOL_BINARY, "gpu-check"});
    CHECK(plain.exit_code == 5);
    CHECK(plain.out.empty());
    CHECK(plain.err ==
          "wbtool: gpu-check: no usable GPU: the CUDA driver library libcuda.so.1 is not "
          "installed, so this machine has no NVIDIA driver to run CUDA programs with\n");
    const Run json = run_process({WBTOOL_BINARY, "gpu-check", "--json"});
    CHECK(json.exit_code == 5);
    const auto j = json.json();
    CHECK(j["health"] == "no_gpu");
    CHECK(j["devices"].empty());
    CHECK(j["message"].get<std::string>().find("libcuda.so.1") != std::string::npos);
}

TEST_CASE("gpu-check reports a healthy device with its figures", "[gpu]") {
    const Run r = gpu_check("ok", {});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("device 0  Fake GPU  compute 9.0  1024 MiB  0000:00:00.0") !=
          std::string::npos);
    CHECK(r.out.find("vector add   1048576 elements") != std::string::npos);
    CHECK(r.out.find("every byte right") != std::string::npos);
    CHECK(r.out.find("healthy: 1 GPU(s) checked, all healthy") != std::string::npos);

    const auto j = gpu_check("ok", {"--json"}, 2).json();
    CHECK(j["health"] == "healthy");
    CHECK(j["cuda_version"] == "12.4");
    REQUIRE(j["devices"].size() == 2);
    for (int i = 0; i < 2; ++i) {
        const auto& d = j["devices"][i];
        CHECK(d["index"] == i);
        CHECK(d["name"] == "Fake GPU");
        CHECK(d["compute_capability"] == "9.0");
        CHECK(d["memory_mib"] == 1024);
        CHECK(d["ok"] == true);
        CHECK(d["failed_step"].is_null());
        CHECK(d["error"].is_null());
        CHECK(d["vector_add_elements"] == 1048576);
        CHECK(d["to_host_gbps"].get<double>() > 0);
    }
}

TEST_CASE("gpu-check names the device, the step and the CUDA error that failed", "[gpu]") {
    SECTION("a driver that finds no device: no usable GPU") {
        const Run r = gpu_check("no_device", {});
        CHECK(r.exit_code == 5);
        CHECK(r.err.find("cuInit): CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected") !=
              std::string::npos);
    }
    SECTION("a driver that fails to start: a failure") {
        const Run r = gpu_check("init_error", {"--json"});
        CHECK(r.exit_code == 1);
        CHECK(r.json()["health"] == "failed");
        CHECK(r.json()["message"] ==
              "the CUDA driver did not start (cuInit): CUDA_ERROR_UNKNOWN: unknown error");
    }
    SECTION("a failed launch") {
        const Run r = gpu_check("launch_error", {"--json"});
        CHECK(r.exit_code == 1);
        const auto d = r.json()["devices"][0];
        CHECK(d["ok"] == false);
        CHECK(d["failed_step"] == "launch");
        CHECK(d["error"] == "CUDA_ERROR_LAUNCH_FAILED: unspecified launch failure");
        const Run plain = gpu_check("launch_error", {});
        CHECK(plain.err == "wbtool: gpu-check: device 0 (Fake GPU): launch: "
                           "CUDA_ERROR_LAUNCH_FAILED: unspecified launch failure\n");
    }
    SECTION("a wrong sum, element by element") {
        const auto d = gpu_check("wrong_result", {"--json"}).json()["devices"][0];
        CHECK(d["failed_step"] == "compare");
        CHECK(d["error"].get<std::string>().find("element 12345 of the vector sum") == 0);
    }
    SECTION("a driver that crashes") {
        const Run r = gpu_check("crash", {"--json"});
        CHECK(r.exit_code == 1);
        const auto d = r.json()["devices"][0];
        CHECK(d["failed_step"] == "launch");
        // Signal 11, or under a sanitizer its handler's exit status.
        const auto error = d["error"].get<std::string>();
        CHECK(error.find("the check process died ") != std::string::npos);
        if (error.find("exit status") == std::string::npos)
            CHECK(error.find("died of signal 11") != std::string::npos);
    }
}

TEST_CASE("gpu-check never hangs: a kernel that does not return fails at --timeout", "[gpu]") {
    const auto start = std::chrono::steady_clock::now();
    const Run r = gpu_check("hang", {"--json", "--timeout", "2"});
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(r.exit_code == 1);
    CHECK(took < 30);
    const auto d = r.json()["devices"][0];
    CHECK(d["name"] == "Fake GPU");
    CHECK(d["failed_step"] == "synchronize");
    CHECK(d["error"] == "did not finish within 2 s (the GPU or its driver hung), and was killed");
}

TEST_CASE("gpu-check --device picks one device, and refuses one that is not there", "[gpu]") {
    const auto j = gpu_check("ok", {"--json", "--device", "1"}, 2).json();
    REQUIRE(j["devices"].size() == 1);
    CHECK(j["devices"][0]["index"] == 1);
    const Run bad = gpu_check("ok", {"--device", "3"}, 2);
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "wbtool: error: --device 3: this machine has 2 GPU(s), numbered from 0\n");
}
