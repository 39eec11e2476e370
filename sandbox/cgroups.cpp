// Cgroups: detection, per-run creation, limits, reading and removal. See
// cgroups.h.
#include "sandbox/cgroups.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

namespace wb::sandbox::detail {
namespace {

struct Layout {
    bool usable = false;
    bool v2 = false;
    std::string v2_base;                           // v2: where run cgroups go
    std::string memory_base, pids_base, cpu_base;  // v1
};

bool is_dir(const std::string &p) {
    struct stat st {};
    return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const std::string &p) {
    return access(p.c_str(), F_OK) == 0;
}

// Our own cgroup in the hierarchy that has `controller` ("" for v2).
std::string own_path(const std::string &controller) {
    std::ifstream in("/proc/self/cgroup");
    for (std::string line; std::getline(in, line);) {
        auto a = line.find(':'), b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        std::string list = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
        if (controller.empty()) {
            if (line.compare(0, 2, "0:") == 0 && list.empty()) return path;
            continue;
        }
        std::stringstream ss(list);
        for (std::string c; std::getline(ss, c, ',');)
            if (c == controller) return path;
    }
    return {};
}

bool write_file(const std::string &path, const std::string &text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, text.data(), text.size()) == static_cast<long>(text.size());
    ::close(fd);
    return ok;
}

std::string read_file(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::uint64_t field(const std::string &text, const std::string &key) {
    std::istringstream in(text);
    for (std::string k; in >> k;) {
        std::uint64_t v = 0;
        if (!(in >> v)) return 0;
        if (k == key) return v;
    }
    return 0;
}

Layout detect() {
    Layout l;
    struct statfs fs {};
    if (geteuid() != 0) return l;
    if (statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC) {
        const std::string base = "/sys/fs/cgroup" + own_path("");
        // Run cgroups go under a child "wbtool" of our own cgroup; a process
        // may not sit in a cgroup that delegates controllers, so wbtool's own
        // processes would first have to move out: only do it where the
        // controllers are already delegated to us.
        std::string ctl = read_file(base + "/cgroup.subtree_control");
        if (ctl.find("memory") == std::string::npos || ctl.find("pids") == std::string::npos) {
            write_file(base + "/cgroup.subtree_control", "+memory +pids +cpu");
            ctl = read_file(base + "/cgroup.subtree_control");
        }
        if (ctl.find("memory") != std::string::npos && ctl.find("pids") != std::string::npos &&
            access(base.c_str(), W_OK) == 0) {
            l.usable = true;
            l.v2 = true;
            l.v2_base = base;
        }
        return l;
    }
    auto v1 = [](const char *ctrl) -> std::string {
        std::string mount = std::string("/sys/fs/cgroup/") + ctrl;
        if (!is_dir(mount)) return {};
        std::string dir = mount + own_path(ctrl);
        return is_dir(dir) && access(dir.c_str(), W_OK) == 0 ? dir : std::string();
    };
    l.memory_base = v1("memory");
    l.pids_base = v1("pids");
    l.cpu_base = v1("cpuacct");
    l.usable = !l.memory_base.empty() && !l.pids_base.empty() && !l.cpu_base.empty();
    return l;
}

const Layout &layout() {
    static std::once_flag once;
    static Layout l;
    std::call_once(once, [] { l = detect(); });
    return l;
}

std::string run_name() {
    static std::atomic<unsigned long> counter{0};
    return "wbtool-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

} // namespace

SysResult<std::optional<Cgroup>> Cgroup::create(const Limits &limits) {
    const Layout &l = layout();
    if (!l.usable) return std::optional<Cgroup>();
    Cgroup cg;
    cg.v2_ = l.v2;
    const std::string name = run_name();
    auto make = [&](const std::string &base) -> SysResult<std::string> {
        std::string dir = base + "/" + name;
        if (mkdir(dir.c_str(), 0700) != 0) {
            int e = errno;
            return sys_error("cannot create cgroup '" + dir + "'", e);
        }
        cg.dirs_.push_back(dir);
        UniqueFd procs(::open((dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
        if (!procs) {
            int e = errno;
            return sys_error("cannot open '" + dir + "/cgroup.procs'", e);
        }
        cg.join_raw_.push_back(procs.get());
        cg.join_.push_back(std::move(procs));
        return dir;
    };
    auto set = [](const std::string &path, const std::string &value) -> SysResult<void> {
        if (write_file(path, value)) return {};
        int e = errno;
        return sys_error("cannot write '" + value + "' to '" + path + "'", e);
    };
    const std::string mem = limits.memory_kib ? std::to_string(limits.memory_kib * 1024) : "";
    const std::string pids = limits.processes ? std::to_string(limits.processes) : "max";

    if (l.v2) {
        auto dir = make(l.v2_base);
        if (!dir) return dir.error();
        const std::string &d = dir.value();
        cg.memory_dir_ = cg.pids_dir_ = d;
        if (!mem.empty()) {
            if (auto r = set(d + "/memory.max", mem); !r) return r.error();
            if (exists(d + "/memory.swap.max")) (void)set(d + "/memory.swap.max", "0");
        }
        if (auto r = set(d + "/pids.max", pids); !r) return r.error();
        cg.cpu_ = UniqueFd(::open((d + "/cpu.stat").c_str(), O_RDONLY | O_CLOEXEC));
        return std::optional<Cgroup>(std::move(cg));
    }
    auto m = make(l.memory_base);
    if (!m) return m.error();
    cg.memory_dir_ = m.value();
    if (!mem.empty()) {
        if (auto r = set(cg.memory_dir_ + "/memory.limit_in_bytes", mem); !r) return r.error();
        if (exists(cg.memory_dir_ + "/memory.memsw.limit_in_bytes"))
            (void)set(cg.memory_dir_ + "/memory.memsw.limit_in_bytes", mem);
    }
    auto p = make(l.pids_base);
    if (!p) return p.error();
    cg.pids_dir_ = p.value();
    if (auto r = set(cg.pids_dir_ + "/pids.max", pids); !r) return r.error();
    auto c = make(l.cpu_base);
    if (!c) return c.error();
    cg.cpu_ = UniqueFd(::open((c.value() + "/cpuacct.usage").c_str(), O_RDONLY | O_CLOEXEC));
    return std::optional<Cgroup>(std::move(cg));
}

void Cgroup::close_join_fds() noexcept {
    join_.clear();
    join_raw_.clear();
}

double Cgroup::cpu_seconds() const noexcept {
    if (!cpu_) return -1;
    char buf[512];
    long n = pread(cpu_.get(), buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    buf[n] = '\0';
    if (!v2_) return static_cast<double>(std::strtoull(buf, nullptr, 10)) * 1e-9;
    const char *at = std::strstr(buf, "usage_usec ");
    return at ? static_cast<double>(std::strtoull(at + 11, nullptr, 10)) * 1e-6 : -1;
}

CgroupStats Cgroup::stats() const {
    CgroupStats s;
    s.cpu_s = std::max(0.0, cpu_seconds());
    if (v2_) {
        s.oom_kills = field(read_file(memory_dir_ + "/memory.events"), "oom_kill");
        s.pids_denied = field(read_file(pids_dir_ + "/pids.events"), "max");
    } else {
        s.oom_kills = field(read_file(memory_dir_ + "/memory.oom_control"), "oom_kill");
        s.pids_denied = field(read_file(pids_dir_ + "/pids.events"), "max");
    }
    return s;
}

Cgroup::~Cgroup() {
    close_join_fds();
    cpu_.reset();
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
        for (int attempt = 0; attempt < 200; ++attempt) {
            if (rmdir(it->c_str()) == 0 || errno == ENOENT) break;
            if (errno != EBUSY) break;
            // Something is still inside (a run whose keeper was lost): kill
            // it and wait for the kernel to let go.
            std::istringstream procs(read_file(*it + "/cgroup.procs"));
            for (long pid; procs >> pid;)
                ::kill(static_cast<pid_t>(pid), SIGKILL);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

} // namespace wb::sandbox::detail
