// The GPU probe (see probe.h). Only /proc and /dev are read; nothing here
// links against CUDA, so it builds everywhere.
#include "gpu/probe.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <glob.h>
#include <sstream>

namespace wb::gpu {
namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug ..."
// or "... Open Kernel Module for x86_64  550.54.14  Release Build ...":
// the first word made of digits and dots, with a dot in it.
std::string driver_version(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line)) return {};
    std::istringstream words(line);
    for (std::string w; words >> w;) {
        const bool version = w.find('.') != std::string::npos &&
                             std::isdigit(static_cast<unsigned char>(w[0])) &&
                             w.find_first_not_of("0123456789.") == std::string::npos;
        if (version) return w;
    }
    return "unknown";
}

// "Model: \t\t NVIDIA H200" in /proc/driver/nvidia/gpus/<bus>/information.
std::string model_of(const std::filesystem::path& information) {
    std::ifstream in(information);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("Model:", 0) == 0) return trim(line.substr(6));
    }
    return {};
}

bool is_gpu_node(const std::string& name) {
    if (name == "nvidiactl" || name == "nvidia-uvm" || name == "nvidia-uvm-tools") return true;
    return name.size() > 6 && name.rfind("nvidia", 0) == 0 &&
           std::all_of(name.begin() + 6, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The directories ld.so.conf names, following `include` lines (globs,
// relative to /etc). `depth` stops an include loop.
void loader_dirs(const std::filesystem::path& root, const std::filesystem::path& conf,
                 std::vector<std::filesystem::path>& out, int depth = 0) {
    if (depth > 8) return;
    std::ifstream in(root / conf.relative_path());
    for (std::string line; std::getline(in, line);) {
        line = trim(line.substr(0, line.find('#')));
        if (line.rfind("include", 0) == 0 && line.size() > 7 && std::isspace(line[7])) {
            std::string pattern = trim(line.substr(8));
            if (!pattern.empty() && pattern[0] != '/') pattern = "/etc/" + pattern;
            glob_t g{};
            if (::glob((root / std::filesystem::path(pattern).relative_path()).c_str(), 0, nullptr,
                       &g) == 0) {
                for (std::size_t i = 0; i < g.gl_pathc; ++i)
                    loader_dirs(std::filesystem::path("/"), std::filesystem::path(g.gl_pathv[i]),
                                out, depth + 1);
            }
            globfree(&g);
        } else if (!line.empty() && line[0] == '/') {
            out.emplace_back(line);
        }
    }
}

} // namespace

std::vector<std::filesystem::path> driver_library_dirs(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> dirs;
    loader_dirs(root, "/etc/ld.so.conf", dirs);
    for (const char* d : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
                          "/usr/lib64", "/lib", "/usr/lib"})
        dirs.emplace_back(d);
    std::vector<std::filesystem::path> found;
    auto add = [&](const std::filesystem::path& d) {
        if (std::find(found.begin(), found.end(), d) == found.end()) found.push_back(d);
    };
    for (const auto& d : dirs) {
        const auto lib = root / d.relative_path() / "libcuda.so.1";
        std::error_code ec;
        if (!std::filesystem::exists(lib, ec)) continue;
        add(d);
        const auto real = std::filesystem::canonical(lib, ec);
        if (!ec) {
            auto real_dir =
                std::filesystem::path("/") / real.parent_path().lexically_relative(root);
            add(real_dir.lexically_normal());
        }
    }
    return found;
}

bool Probe::usable() const {
    const bool numbered = std::any_of(device_nodes.begin(), device_nodes.end(), [](const auto& p) {
        const auto n = p.filename().string();
        return n != "nvidiactl" && n.rfind("nvidia-", 0) != 0;
    });
    return !driver_version.empty() && !gpus.empty() && numbered;
}

std::string Probe::problem() const {
    if (driver_version.empty())
        return "this machine has no NVIDIA driver loaded (no /proc/driver/nvidia/version), so it "
               "has no GPU "
               "to run CUDA programs on; grade CUDA MPs on a machine with one";
    if (gpus.empty())
        return "the NVIDIA driver " + driver_version + " is loaded but reports no GPU";
    if (!usable())
        return "the NVIDIA driver sees a GPU, but there is no /dev/nvidia0 device node to use it "
               "through";
    return {};
}

Probe probe(const std::filesystem::path& root) {
    Probe p;
    p.driver_version = driver_version(root / "proc/driver/nvidia/version");
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(root / "proc/driver/nvidia/gpus", ec))
        p.gpus.push_back({e.path().filename().string(), model_of(e.path() / "information")});
    std::sort(p.gpus.begin(), p.gpus.end(),
              [](const Gpu& a, const Gpu& b) { return a.bus_id < b.bus_id; });
    for (const auto& e : std::filesystem::directory_iterator(root / "dev", ec))
        if (is_gpu_node(e.path().filename().string())) p.device_nodes.push_back(e.path());
    std::sort(p.device_nodes.begin(), p.device_nodes.end());
    return p;
}

} // namespace wb::gpu
