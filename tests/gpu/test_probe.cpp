// The GPU probe on fake /proc and /dev trees: a machine with a GPU, one
// without a driver, and the half-broken states in between.
#include "gpu/probe.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>

#include <fstream>

using wb::test::TempDir;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

} // namespace

TEST_CASE("a machine with a driver, two GPUs and their nodes is usable", "[gpu]") {
    TempDir root;
    write(
        root / "proc/driver/nvidia/version",
        "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\n"
        "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n");
    write(root / "proc/driver/nvidia/gpus/0000:3b:00.0/information",
          "Model: \t\t NVIDIA H200\nIRQ: 42\n");
    write(root / "proc/driver/nvidia/gpus/0000:17:00.0/information",
          "Model: \t\t NVIDIA A100-SXM4-40GB\n");
    for (const char* n : {"nvidiactl", "nvidia0", "nvidia1", "nvidia-uvm", "null", "nvidia-caps"})
        write(root / "dev" / n, "");
    const auto p = wb::gpu::probe(root.path());
    CHECK(p.driver_version == "535.104.05");
    REQUIRE(p.gpus.size() == 2);
    CHECK(p.gpus[0].bus_id == "0000:17:00.0");
    CHECK(p.gpus[0].model == "NVIDIA A100-SXM4-40GB");
    CHECK(p.gpus[1].model == "NVIDIA H200");
    REQUIRE(p.device_nodes.size() == 4); // not null, not the nvidia-caps directory name
    CHECK(p.device_nodes[0].filename() == "nvidia-uvm");
    CHECK(p.usable());
    CHECK(p.problem().empty());
}

TEST_CASE("no driver: not usable, and the problem says what to do", "[gpu]") {
    TempDir root;
    write(root / "dev/null", "");
    const auto p = wb::gpu::probe(root.path());
    CHECK(p.driver_version.empty());
    CHECK(p.gpus.empty());
    CHECK_FALSE(p.usable());
    CHECK_THAT(p.problem(),
               Catch::Contains("no NVIDIA driver") && Catch::Contains("machine with one"));
}

TEST_CASE("a driver without a GPU, or a GPU without its device node, is not usable", "[gpu]") {
    TempDir root;
    write(root / "proc/driver/nvidia/version",
          "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.14\n");
    auto p = wb::gpu::probe(root.path());
    CHECK(p.driver_version == "550.54.14");
    CHECK_FALSE(p.usable());
    CHECK_THAT(p.problem(), Catch::Contains("reports no GPU"));

    write(root / "proc/driver/nvidia/gpus/0000:01:00.0/information", "Model: NVIDIA L4\n");
    write(root / "dev/nvidiactl", "");
    p = wb::gpu::probe(root.path());
    CHECK_FALSE(p.usable());
    CHECK_THAT(p.problem(), Catch::Contains("/dev/nvidia0"));
}

TEST_CASE("this machine's probe does not fail, GPU or not", "[gpu]") {
    const auto p = wb::gpu::probe();
    CHECK(p.usable() == p.problem().empty());
}
