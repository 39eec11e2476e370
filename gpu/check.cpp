// The GPU check (see check.h): the child that talks to the driver, the
// parent that bounds it in time, and the report's JSON.
#include "gpu/check.h"

#include "gpu/cuda_driver.h"
#include "gpu/kernels.h"
#include "gpu/probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace wb::gpu {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double round3(double v) {
    return std::round(v * 1000) / 1000;
}

// ---- the child: one JSON object per line on `fd` ----

class Emitter {
  public:
    explicit Emitter(int fd) : fd_(fd) {}
    void emit(const json& j) const {
        const std::string line = j.dump() + "\n";
        for (std::size_t done = 0; done < line.size();) {
            const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
            if (n <= 0) return; // the parent is gone; nothing to tell
            done += static_cast<std::size_t>(n);
        }
    }

  private:
    int fd_;
};

// One device's check. Each step is announced before it starts, so that a
// step that never returns can be named by the parent.
class DeviceChecker {
  public:
    DeviceChecker(const DriverApi& api, const Emitter& out, int index) : api_(api), out_(out) {
        d_.index = index;
    }

    DeviceCheck run() {
        const auto start = Clock::now();
        if (identify() && context()) {
            exercise();
            cleanup();
        }
        d_.elapsed_ms = round3(ms_since(start));
        return d_;
    }

  private:
    static constexpr std::uint32_t elements = 1u << 20;        // 4 MiB per vector
    static constexpr std::size_t round_trip_bytes = 32u << 20; // 32 MiB

    // Runs `rc` of the step named, recording the first failure.
    bool ok(const char* step, CUresult rc) {
        if (rc == cuda_success) return true;
        if (d_.failed_step.empty()) {
            d_.failed_step = step;
            d_.error = error_text(api_, rc);
        }
        return false;
    }
    void announce(const char* step) const {
        out_.emit({{"step", {{"device", d_.index}, {"name", step}}}});
    }

    bool identify() {
        announce("identify");
        if (!ok("identify", api_.cuDeviceGet(&dev_, d_.index))) return false;
        char name[256] = {0};
        if (api_.cuDeviceGetName(name, sizeof name - 1, dev_) == cuda_success) d_.name = name;
        int major = 0, minor = 0;
        api_.cuDeviceGetAttribute(&major, attribute_compute_major, dev_);
        api_.cuDeviceGetAttribute(&minor, attribute_compute_minor, dev_);
        d_.compute_capability = std::to_string(major) + "." + std::to_string(minor);
        std::size_t bytes = 0;
        if (api_.cuDeviceTotalMem_v2(&bytes, dev_) == cuda_success) d_.memory_mib = bytes >> 20;
        char bus[64] = {0};
        if (api_.cuDeviceGetPCIBusId(bus, sizeof bus - 1, dev_) == cuda_success)
            d_.pci_bus_id = bus;
        out_.emit({{"identified", {{"device", d_.index}, {"name", d_.name}}}});
        return true;
    }

    bool context() {
        announce("context");
        if (!ok("context", api_.cuDevicePrimaryCtxRetain(&ctx_, dev_))) return false;
        retained_ = true;
        return ok("context", api_.cuCtxSetCurrent(ctx_));
    }

    void exercise() {
        announce("load module");
        if (!ok("load module", api_.cuModuleLoadData(&module_, check_ptx()))) return;
        CUfunction add = nullptr;
        if (!ok("load module", api_.cuModuleGetFunction(&add, module_, "wbtool_vector_add")))
            return;
        if (vector_add(add)) round_trip();
    }

    bool allocate(CUdeviceptr& p, std::size_t bytes) {
        if (!ok("allocate", api_.cuMemAlloc_v2(&p, bytes))) return false;
        allocations_.push_back(p);
        return true;
    }

    // c = a + b over values whose sums are exact in float, so every element
    // is compared for equality.
    bool vector_add(CUfunction add) {
        announce("vector add");
        std::vector<float> a(elements), b(elements), c(elements, -1.0f);
        for (std::uint32_t i = 0; i < elements; ++i) {
            a[i] = static_cast<float>(i) * 0.5f;
            b[i] = static_cast<float>(elements - i) * 0.25f;
        }
        const std::size_t bytes = elements * sizeof(float);
        CUdeviceptr da = 0, db = 0, dc = 0;
        if (!allocate(da, bytes) || !allocate(db, bytes) || !allocate(dc, bytes)) return false;
        if (!ok("copy to device", api_.cuMemcpyHtoD_v2(da, a.data(), bytes)) ||
            !ok("copy to device", api_.cuMemcpyHtoD_v2(db, b.data(), bytes)))
            return false;
        unsigned n = elements;
        void* params[] = {&da, &db, &dc, &n};
        const unsigned block = 256;
        announce("launch");
        const auto start = Clock::now();
        if (!ok("launch", api_.cuLaunchKernel(add, (elements + block - 1) / block, 1, 1, block, 1,
                                              1, 0, nullptr, params, nullptr)))
            return false;
        announce("synchronize");
        if (!ok("synchronize", api_.cuCtxSynchronize())) return false;
        d_.vector_add_ms = round3(ms_since(start));
        d_.vector_add_elements = elements;
        announce("copy to host");
        if (!ok("copy to host", api_.cuMemcpyDtoH_v2(c.data(), dc, bytes))) return false;
        for (std::uint32_t i = 0; i < elements; ++i) {
            if (c[i] != a[i] + b[i]) {
                d_.failed_step = "compare";
                d_.error = "element " + std::to_string(i) + " of the vector sum is " +
                           std::to_string(c[i]) + ", expected " + std::to_string(a[i] + b[i]);
                return false;
            }
        }
        return true;
    }

    void round_trip() {
        announce("round trip");
        std::vector<std::uint32_t> there(round_trip_bytes / 4), back(round_trip_bytes / 4, 0);
        for (std::size_t i = 0; i < there.size(); ++i)
            there[i] = static_cast<std::uint32_t>(i * 2654435761u);
        CUdeviceptr p = 0;
        if (!allocate(p, round_trip_bytes)) return;
        auto start = Clock::now();
        if (!ok("round trip", api_.cuMemcpyHtoD_v2(p, there.data(), round_trip_bytes))) return;
        d_.to_device_gbps = round3(round_trip_bytes / (ms_since(start) * 1e6));
        start = Clock::now();
        if (!ok("round trip", api_.cuMemcpyDtoH_v2(back.data(), p, round_trip_bytes))) return;
        d_.to_host_gbps = round3(round_trip_bytes / (ms_since(start) * 1e6));
        for (std::size_t i = 0; i < there.size(); ++i) {
            if (there[i] != back[i]) {
                d_.failed_step = "round trip";
                d_.error = "byte " + std::to_string(i * 4) + " of " +
                           std::to_string(round_trip_bytes) + " came back changed";
                return;
            }
        }
        d_.ok = d_.failed_step.empty();
    }

    void cleanup() {
        announce("release");
        for (auto p : allocations_)
            api_.cuMemFree_v2(p);
        if (module_) api_.cuModuleUnload(module_);
        if (retained_) api_.cuDevicePrimaryCtxRelease_v2(dev_);
    }

    const DriverApi& api_;
    const Emitter& out_;
    DeviceCheck d_;
    CUdevice dev_ = 0;
    CUcontext ctx_ = nullptr;
    bool retained_ = false;
    CUmodule module_ = nullptr;
    std::vector<CUdeviceptr> allocations_;
};

[[noreturn]] void child_main(int fd, const CheckOptions& o) {
    const Emitter out(fd);
    const auto driver = load_driver();
    if (!driver.problem.empty()) {
        out.emit({{"init", {{"no_gpu", driver.missing}, {"problem", driver.problem}}}});
        _exit(0);
    }
    const DriverApi& api = driver.api;
    if (const CUresult rc = api.cuInit(0); rc != cuda_success) {
        const bool absent = rc == cuda_error_no_device || rc == cuda_error_stub_library ||
                            rc == cuda_error_insufficient_driver;
        out.emit(
            {{"init",
              {{"no_gpu", absent},
               {"problem", "the CUDA driver did not start (cuInit): " + error_text(api, rc)}}}});
        _exit(0);
    }
    int version = 0, count = 0;
    api.cuDriverGetVersion(&version);
    api.cuDeviceGetCount(&count);
    json init = {{"cuda_version", version_text(version)},
                 {"count", count},
                 {"runtime_version", runtime_version()}};
    if (count == 0) init.update({{"no_gpu", true}, {"problem", "the CUDA driver sees no GPU"}});
    if (o.device && (*o.device < 0 || *o.device >= count)) init["bad_device"] = *o.device;
    out.emit({{"init", init}});
    if (count == 0 || init.contains("bad_device")) _exit(0);
    for (int i = 0; i < count; ++i) {
        if (o.device && i != *o.device) continue;
        out.emit({{"device", DeviceChecker(api, out, i).run()}});
    }
    _exit(0);
}

// ---- the parent ----

// What the child said so far, and how it ended.
struct Transcript {
    std::vector<json> events;
    bool timed_out = false;
    int wait_status = 0;
};

// Reads `fd` to its end, or until `timeout_s` has passed (then true),
// handing each piece read to `got`.
template <typename Got> bool read_until(int fd, double timeout_s, Got got) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
    for (;;) {
        const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
        if (left <= 0) return true;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(std::ceil(left * 1000))) <= 0) continue;
        char buf[4096];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        got(buf, static_cast<std::size_t>(n));
    }
}

// Kills `child` if it outlived its time, and reaps it; its wait status.
int reap(pid_t child, bool timed_out) {
    if (timed_out) kill(child, SIGKILL);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

Transcript read_child(int fd, pid_t child, double timeout_s) {
    Transcript t;
    std::string pending;
    t.timed_out = read_until(fd, timeout_s, [&](const char* data, std::size_t n) {
        pending.append(data, n);
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
            auto j = json::parse(pending.substr(0, nl), nullptr, false);
            if (j.is_object()) t.events.push_back(std::move(j));
            pending.erase(0, nl + 1);
        }
    });
    t.wait_status = reap(child, t.timed_out);
    return t;
}

std::string how_it_ended(const Transcript& t, double timeout_s) {
    char text[160];
    if (t.timed_out)
        std::snprintf(text, sizeof text,
                      "did not finish within %g s (the GPU or its driver hung), and was killed",
                      timeout_s);
    else if (WIFSIGNALED(t.wait_status))
        std::snprintf(text, sizeof text, "the check process died of signal %d (%s)",
                      WTERMSIG(t.wait_status), strsignal(WTERMSIG(t.wait_status)));
    else if (WIFEXITED(t.wait_status) && WEXITSTATUS(t.wait_status) != 0)
        // A crash a handler turned into an exit (a sanitizer's, the driver's own).
        std::snprintf(text, sizeof text, "the check process died with exit status %d",
                      WEXITSTATUS(t.wait_status));
    else
        std::snprintf(text, sizeof text, "the check process ended without finishing");
    return text;
}

std::string device_label(const DeviceCheck& d) {
    return "device " + std::to_string(d.index) + (d.name.empty() ? "" : " (" + d.name + ")");
}

// Builds the report from the transcript: the devices reported, and for a
// check cut short, the device and the step it stopped in.
CheckReport assemble(const Transcript& t, const CheckOptions& o) {
    CheckReport r;
    r.driver_version = probe().driver_version;
    int expected = 0;
    DeviceCheck current; // the device whose steps were announced last
    std::string step;
    bool started = false;
    for (const auto& e : t.events) {
        if (auto it = e.find("init"); it != e.end()) {
            const auto& init = *it;
            if (init.contains("problem")) {
                r.health = init.value("no_gpu", false) ? Health::no_gpu : Health::failed;
                r.message = init["problem"].get<std::string>();
                return r;
            }
            r.cuda_version = init.value("cuda_version", "");
            r.runtime_version = init.value("runtime_version", "");
            if (init.contains("bad_device"))
                throw std::invalid_argument(
                    "--device " + std::to_string(*o.device) + ": this machine has " +
                    std::to_string(init.value("count", 0)) + " GPU(s), numbered from 0");
            expected = o.device ? 1 : init.value("count", 0);
            started = true;
        } else if (auto s = e.find("step"); s != e.end()) {
            const int device = s->value("device", 0);
            if (device != current.index) current = DeviceCheck{};
            current.index = device;
            step = s->value("name", "");
        } else if (auto id = e.find("identified"); id != e.end()) {
            current.name = id->value("name", "");
        } else if (auto d = e.find("device"); d != e.end()) {
            r.devices.push_back(d->get<DeviceCheck>());
            step.clear();
        }
    }
    const std::string ending = how_it_ended(t, o.timeout_s);
    if (!started) {
        r.health = Health::failed;
        r.message = "the GPU check could not start: " + ending;
        return r;
    }
    if (!step.empty()) { // cut short inside a device's check
        current.failed_step = step;
        current.error = ending;
        r.devices.push_back(current);
    }
    bool all_ok = static_cast<int>(r.devices.size()) == expected;
    for (const auto& d : r.devices)
        all_ok = all_ok && d.ok;
    r.health = all_ok ? Health::healthy : Health::failed;
    if (all_ok) {
        r.message = std::to_string(r.devices.size()) + " GPU(s) checked, all healthy";
    } else {
        r.message = unhealthy_reason(r);
        if (r.message.empty()) r.message = "the GPU check stopped early: " + ending;
    }
    return r;
}

CheckReport failed_report(std::string message) {
    CheckReport r;
    r.health = Health::failed;
    r.message = std::move(message);
    return r;
}

// Forks a child that writes into a pipe: `in_child(write_end)` runs there
// and never returns. The read end, or -1 with `problem` saying why.
template <typename InChild> int fork_writer(pid_t& child, std::string& problem, InChild in_child) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        problem = std::string("pipe: ") + std::strerror(errno);
        return -1;
    }
    child = fork();
    if (child == 0) {
        ::close(fds[0]);
        in_child(fds[1]);
        _exit(127); // in_child does not return; never run on in the parent's code
    }
    ::close(fds[1]);
    if (child < 0) {
        problem = std::string("fork: ") + std::strerror(errno);
        ::close(fds[0]);
        return -1;
    }
    return fds[0];
}

} // namespace

CheckReport run_check(const CheckOptions& o) {
    const auto start = Clock::now();
    pid_t child = -1;
    std::string problem;
    const int fd = fork_writer(child, problem, [&](int out) { child_main(out, o); });
    if (fd < 0) return failed_report("cannot start the GPU check: " + problem);
    const Transcript t = read_child(fd, child, o.timeout_s);
    ::close(fd);
    CheckReport r = assemble(t, o);
    r.elapsed_s = round3(std::chrono::duration<double>(Clock::now() - start).count());
    return r;
}

CheckReport run_check_process(const std::string& exe, const CheckOptions& o) {
    const auto start = Clock::now();
    std::vector<std::string> args = {exe, "gpu-check", "--json", "--timeout",
                                     std::to_string(o.timeout_s)};
    if (o.device) args.insert(args.end(), {"--device", std::to_string(*o.device)});
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_t child = -1;
    std::string problem;
    const int fd = fork_writer(child, problem, [&](int out) {
        // Only async-signal-safe calls until exec: this process has threads.
        dup2(out, STDOUT_FILENO);
        const int null = ::open("/dev/null", O_RDWR);
        if (null >= 0) dup2(null, STDERR_FILENO);
        execv(argv[0], argv.data());
        _exit(127);
    });
    if (fd < 0) return failed_report("cannot run the GPU check: " + problem);
    // The check bounds itself; this bound is for a check that cannot.
    std::string out;
    const bool timed_out = read_until(
        fd, o.timeout_s + 15, [&](const char* data, std::size_t n) { out.append(data, n); });
    ::close(fd);
    reap(child, timed_out);
    const auto j = json::parse(out, nullptr, false);
    if (timed_out || !j.is_object() || !j.contains("health"))
        return failed_report(timed_out ? "the GPU check (" + exe + " gpu-check) did not return"
                                       : "the GPU check (" + exe + " gpu-check) gave no report");
    CheckReport r = j.get<CheckReport>();
    r.elapsed_s = round3(std::chrono::duration<double>(Clock::now() - start).count());
    return r;
}

int exit_code(Health h) {
    switch (h) {
    case Health::healthy:
        return 0;
    case Health::failed:
        return 1;
    case Health::no_gpu:
        return 5;
    }
    return 1;
}

std::string_view to_string(Health h) {
    switch (h) {
    case Health::healthy:
        return "healthy";
    case Health::failed:
        return "failed";
    case Health::no_gpu:
        return "no_gpu";
    }
    return "failed";
}

std::string unhealthy_reason(const CheckReport& r) {
    if (r.health == Health::healthy) return {};
    for (const auto& d : r.devices) {
        if (!d.ok)
            return device_label(d) + ": " + (d.failed_step.empty() ? "" : d.failed_step + ": ") +
                   d.error;
    }
    return r.message;
}

void to_json(json& j, const DeviceCheck& d) {
    j = {{"index", d.index},
         {"name", d.name},
         {"compute_capability", d.compute_capability},
         {"memory_mib", d.memory_mib},
         {"pci_bus_id", d.pci_bus_id},
         {"ok", d.ok},
         {"failed_step", d.failed_step.empty() ? json(nullptr) : json(d.failed_step)},
         {"error", d.error.empty() ? json(nullptr) : json(d.error)},
         {"vector_add_ms", d.vector_add_ms},
         {"vector_add_elements", d.vector_add_elements},
         {"to_device_gbps", d.to_device_gbps},
         {"to_host_gbps", d.to_host_gbps},
         {"elapsed_ms", d.elapsed_ms}};
}

void from_json(const json& j, DeviceCheck& d) {
    auto text = [&](const char* key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    d.index = j.value("index", 0);
    d.name = text("name");
    d.compute_capability = text("compute_capability");
    d.memory_mib = j.value("memory_mib", std::uint64_t{0});
    d.pci_bus_id = text("pci_bus_id");
    d.ok = j.value("ok", false);
    d.failed_step = text("failed_step");
    d.error = text("error");
    d.vector_add_ms = j.value("vector_add_ms", 0.0);
    d.vector_add_elements = j.value("vector_add_elements", std::uint32_t{0});
    d.to_device_gbps = j.value("to_device_gbps", 0.0);
    d.to_host_gbps = j.value("to_host_gbps", 0.0);
    d.elapsed_ms = j.value("elapsed_ms", 0.0);
}

void to_json(json& j, const CheckReport& r) {
    auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    j = {{"health", to_string(r.health)},
         {"message", r.message},
         {"driver_version", opt(r.driver_version)},
         {"cuda_version", opt(r.cuda_version)},
         {"runtime_version", opt(r.runtime_version)},
         {"devices", r.devices},
         {"elapsed_s", r.elapsed_s}};
}

void from_json(const json& j, CheckReport& r) {
    const std::string health = j.value("health", "failed");
    r.health = health == "healthy"  ? Health::healthy
               : health == "no_gpu" ? Health::no_gpu
                                    : Health::failed;
    auto text = [&](const char* key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    r.message = text("message");
    r.driver_version = text("driver_version");
    r.cuda_version = text("cuda_version");
    r.runtime_version = text("runtime_version");
    r.devices.clear();
    if (auto it = j.find("devices"); it != j.end() && it->is_array())
        for (const auto& d : *it)
            r.devices.push_back(d.get<DeviceCheck>());
    r.elapsed_s = j.value("elapsed_s", 0.0);
}

} // namespace wb::gpu
