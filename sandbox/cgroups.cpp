// Cgroups: detection (and the sweep of stale run cgroups), per-run
// creation, limits, reading and removal. See cgroups.h.
#include "sandbox/cgroups.h"

#include "sandbox/identity.h"
#include "sandbox/stale.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <mutex>
#include <thread>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

namespace wb::sandbox::detail {

// ---- the file operations, real ----

namespace {

// The whole of a small file (cgroup and /proc files are read at once, with
// plain calls: a stream costs several times what the read does); false if
// it cannot be opened.
bool read_text(const std::string& path, std::string& out) {
    out.clear();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char buf[4096];
    for (;;) {
        const long n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    const int e = errno;
    ::close(fd);
    errno = e;
    return true;
}

} // namespace

std::string CgroupFs::read(const std::string& path) {
    std::string text;
    read_text(path, text);
    return text;
}

bool CgroupFs::write(const std::string& path, const std::string& text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<long>(text.size());
    int e = errno;
    ::close(fd);
    errno = e;
    return ok;
}

bool CgroupFs::make_dir(const std::string& path) {
    return mkdir(path.c_str(), 0755) == 0 || errno == EEXIST;
}

bool CgroupFs::remove_dir(const std::string& path) {
    return rmdir(path.c_str()) == 0 || errno == ENOENT;
}

bool CgroupFs::is_dir(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool CgroupFs::writable(const std::string& path) {
    return access(path.c_str(), W_OK) == 0;
}

std::vector<std::string> CgroupFs::list(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d))
            if (e->d_type == DT_DIR && e->d_name[0] != '.') out.emplace_back(e->d_name);
        closedir(d);
    }
    return out;
}

std::vector<std::string> CgroupLayout::bases() const {
    if (!usable) return {};
    if (v2) return {v2_base};
    return {memory_base, pids_base, cpu_base};
}

// ---- detection ----

std::string own_cgroup(std::string_view text, std::string_view controller) {
    while (!text.empty()) {
        std::string_view line = text.substr(0, text.find('\n'));
        text.remove_prefix(std::min(text.size(), line.size() + 1));
        auto a = line.find(':');
        if (a == std::string_view::npos) continue;
        auto b = line.find(':', a + 1);
        if (b == std::string_view::npos) continue;
        std::string_view list = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
        if (controller.empty()) {
            if (line.substr(0, a) == "0" && list.empty()) return std::string(path);
            continue;
        }
        while (!list.empty()) {
            std::string_view c = list.substr(0, list.find(','));
            list.remove_prefix(std::min(list.size(), c.size() + 1));
            if (c == controller) return std::string(path);
        }
    }
    return {};
}

bool lists_all(std::string_view list, std::initializer_list<std::string_view> names) {
    for (std::string_view want : names) {
        bool found = false;
        std::string_view rest = list;
        while (!rest.empty() && !found) {
            const auto start = rest.find_first_not_of(" \t\n");
            if (start == std::string_view::npos) break;
            rest.remove_prefix(start);
            std::string_view word = rest.substr(0, rest.find_first_of(" \t\n"));
            rest.remove_prefix(word.size());
            found = word == want;
        }
        if (!found) return false;
    }
    return true;
}

namespace {

std::string join_path(const std::string& dir, const std::string& name) {
    if (name.empty() || name == "/") return dir;
    if (name.front() == '/') return dir + name;
    return dir + "/" + name;
}

// The controllers of `l` (memory, pids: those the hierarchy has) as words.
std::vector<std::string> wanted(const CgroupLayout& l) {
    std::vector<std::string> w;
    if (l.memory) w.emplace_back("memory");
    if (l.pids) w.emplace_back("pids");
    return w;
}

bool lists_wanted(std::string_view list, const std::vector<std::string>& want) {
    for (const auto& w : want)
        if (!lists_all(list, {w})) return false;
    return true;
}

// The wanted controllers in dir's subtree_control, enabling them if needed.
bool delegate(CgroupFs& fs, const std::string& dir, const std::vector<std::string>& want,
              std::string& problem) {
    const std::string ctl = dir + "/cgroup.subtree_control";
    if (lists_wanted(fs.read(ctl), want)) return true;
    std::string names, enable;
    for (const auto& w : want) {
        names += (names.empty() ? "" : " and ") + w;
        enable += (enable.empty() ? "+" : " +") + w;
    }
    if (!lists_wanted(fs.read(dir + "/cgroup.controllers"), want)) {
        problem = "cgroup v2: " + names + " not available in " + dir + "/cgroup.controllers";
        return false;
    }
    if (!fs.write(ctl, enable) || !lists_wanted(fs.read(ctl), want)) {
        problem = "cgroup v2: cannot enable " + names + " in " + ctl + ": " + errno_text(errno);
        return false;
    }
    return true;
}

} // namespace

CgroupLayout detect_v2(CgroupFs& fs, const std::string& root, const std::string& own) {
    CgroupLayout l;
    // What the hierarchy has at all; a controller it lacks is done without.
    const std::string offered = fs.read(root + "/cgroup.controllers");
    l.memory = lists_all(offered, {"memory"});
    l.pids = lists_all(offered, {"pids"});
    if (!l.memory || !l.pids)
        l.partial = std::string("cgroup v2 without the ") +
                    (!l.memory && !l.pids ? "memory and pids controllers"
                     : !l.memory          ? "memory controller"
                                          : "pids controller") +
                    " (not in " + root + "/cgroup.controllers)";
    const std::vector<std::string> want = wanted(l);
    const std::string own_dir = join_path(root, own);
    std::string base;
    if (lists_wanted(fs.read(own_dir + "/cgroup.subtree_control"), want) && fs.writable(own_dir)) {
        // Our own cgroup delegates already (the root, or a delegated
        // subtree), or nothing needs delegating: runs go straight under it.
        base = own_dir;
    } else {
        // A dedicated cgroup under the root, which holds no process.
        if (!delegate(fs, root, want, l.problem)) return l;
        base = root + "/wbtool";
        if (!fs.make_dir(base)) {
            l.problem = "cgroup v2: cannot create " + base + ": " + errno_text(errno);
            return l;
        }
        if (!delegate(fs, base, want, l.problem)) return l;
    }
    if (!fs.writable(base)) {
        l.problem = "cgroup v2: " + base + " is not writable";
        return l;
    }
    l.usable = true;
    l.v2 = true;
    l.v2_base = base;
    return l;
}

CgroupLayout detect_v1(CgroupFs& fs, const std::string& root, std::string_view text) {
    CgroupLayout l;
    auto base = [&](const char* controller) -> std::string {
        const std::string mount = root + "/" + controller;
        if (!fs.is_dir(mount)) {
            if (l.problem.empty())
                l.problem = std::string("cgroup v1: no ") + controller + " hierarchy at " + mount;
            return {};
        }
        std::string dir = join_path(mount, own_cgroup(text, controller));
        if (!fs.is_dir(dir) || !fs.writable(dir)) {
            if (l.problem.empty()) l.problem = "cgroup v1: " + dir + " is not writable";
            return {};
        }
        return dir;
    };
    l.memory_base = base("memory");
    l.pids_base = base("pids");
    l.cpu_base = base("cpuacct");
    l.usable = !l.memory_base.empty() && !l.pids_base.empty() && !l.cpu_base.empty();
    if (l.usable) l.problem.clear();
    return l;
}

namespace {

// SIGKILL to every process in the cgroup `dir`; whether there was any.
bool kill_members(CgroupFs& fs, const std::string& dir) {
    const std::string procs = fs.read(dir + "/cgroup.procs");
    bool any = false;
    char* end = nullptr;
    for (const char* p = procs.c_str();; p = end, any = true) {
        const long pid = std::strtol(p, &end, 10);
        if (end == p) break;
        ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
    return any;
}

} // namespace

std::size_t sweep_stale_cgroups(CgroupFs& fs, const std::vector<std::string>& bases,
                                const std::function<bool(long)>& alive) {
    std::size_t removed = 0;
    for (const auto& base : bases) {
        for (const auto& name : fs.list(base)) {
            const long pid = owner_pid(name, "wbtool-"); // wbtool-<pid>-<n>
            if (pid == 0 || alive(pid)) continue;
            const std::string dir = base + "/" + name;
            for (int attempt = 0; attempt < 50; ++attempt) {
                if (fs.remove_dir(dir)) {
                    ++removed;
                    break;
                }
                if (errno != EBUSY) break;
                kill_members(fs, dir);
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        }
    }
    return removed;
}

namespace {

// The sweep of run cgroups that processes now gone left under `l`.
void sweep_stale(const CgroupLayout& l) {
    if (!l.usable) return;
    CgroupFs fs;
    sweep_stale_cgroups(fs, l.bases(), [](long pid) { return !process_gone(pid); });
}

CgroupLayout detect() {
    CgroupLayout l;
    if (geteuid() != 0) {
        l.problem = "cgroups need root";
        return l;
    }
    CgroupFs fs;
    const std::string text = fs.read("/proc/self/cgroup");
    struct statfs st {};
    if (statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC)
        l = detect_v2(fs, "/sys/fs/cgroup", own_cgroup(text, ""));
    else
        l = detect_v1(fs, "/sys/fs/cgroup", text);
    return l;
}

std::string run_name() {
    static std::atomic<unsigned long> counter{0};
    return "wbtool-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

bool exists(const std::string& p) {
    return access(p.c_str(), F_OK) == 0;
}

// The value of `key` in "key value" lines (memory.events, pids.events).
std::uint64_t field(const std::string& text, const std::string& key) {
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        if (text.compare(at, key.size(), key) == 0 && at + key.size() < end &&
            text[at + key.size()] == ' ')
            return std::strtoull(text.c_str() + at + key.size() + 1, nullptr, 10);
        at = end + 1;
    }
    return 0;
}

} // namespace

namespace {

std::once_flag layout_once;
CgroupLayout layout;

} // namespace

const CgroupLayout& cgroup_layout() {
    std::call_once(layout_once, [] { layout = detect(); });
    return layout;
}

void sweep_stale_cgroups_once() {
    static std::once_flag once;
    std::call_once(once, [] { sweep_stale(cgroup_layout()); });
}

bool use_cgroup_layout(CgroupLayout l) {
    bool used = false;
    std::call_once(layout_once, [&] {
        layout = std::move(l);
        used = true;
    });
    if (used) sweep_stale_cgroups_once();
    return used;
}

namespace {

// Whether the cgroup `dir` holds no process (an unreadable one counts as
// not empty).
bool empty_cgroup(const std::string& dir) {
    std::string procs;
    return read_text(dir + "/cgroup.procs", procs) &&
           procs.find_first_not_of(" \n") == std::string::npos;
}

// SIGKILL to everything in `dir` until it is empty; false if it stays not
// empty for about a second (a process stuck in the kernel).
bool empty_out(const std::string& dir) {
    CgroupFs fs;
    for (int attempt = 0; attempt < 200; ++attempt) {
        if (!kill_members(fs, dir)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

constexpr const char* slot_prefix = "wbtool-slot-";

} // namespace

// What create() knows while it makes one run's cgroup.
struct Cgroup::Making {
    Making(const CgroupLayout& layout, const Limits& lim, std::string dir_name)
        : l(layout), limits(lim), name(std::move(dir_name)) {}

    const CgroupLayout& l;
    const Limits& limits;
    std::string name; // the directory's, in each hierarchy
    CgroupFs fs;
    // A slot's cgroup that is not there yet, or not empty, or refuses its
    // limits (v1: a limit below what a previous run left charged, such as
    // page cache, that cannot be reclaimed): the run gets one of its own.
    bool fresh_instead = false;
    // No limit is written as one too: a slot's cgroup keeps the last run's.
    std::string mem = limits.memory_kib ? std::to_string(limits.memory_kib * 1024) : "";
    std::string pids = limits.processes ? std::to_string(limits.processes) : "max";
};

// The run's directory under `base`, and its join descriptor opened.
SysResult<std::string> Cgroup::make(Making& m, const std::string& base) {
    std::string dir = base + "/" + m.name;
    if (mkdir(dir.c_str(), 0700) != 0) {
        int e = errno;
        if (!kept_ || e != EEXIST) return sys_error("cannot create cgroup '" + dir + "'", e);
        if (!empty_cgroup(dir)) {
            m.fresh_instead = true;
            return sys_error("cgroup '" + dir + "' is not empty", EBUSY);
        }
    }
    if (!kept_) dirs_.push_back(dir);
    // v1: `tasks`, the one thread of the program (see cgroups.h).
    const std::string join = dir + (m.l.v2 ? "/cgroup.procs" : "/tasks");
    UniqueFd procs(::open(join.c_str(), O_WRONLY | O_CLOEXEC));
    if (!procs) {
        int e = errno;
        return sys_error("cannot open '" + join + "'", e);
    }
    join_raw_.push_back(procs.get());
    join_.push_back(std::move(procs));
    return dir;
}

SysResult<void> Cgroup::set(Making& m, const std::string& path, const std::string& value) {
    if (m.fs.write(path, value)) return {};
    int e = errno;
    if (kept_) m.fresh_instead = true;
    return sys_error("cannot write '" + value + "' to '" + path + "'", e);
}

// What a previous run of the slot left charged to it would count against
// this run: the page cache of files it wrote is reclaimed first (v2
// memory.reclaim, v1 memory.force_empty, the cgroup being empty); what
// stays (files in a tmpfs, which swap.max 0 keeps in memory; v2 lowers
// memory.max below it without an error), if more than a little, gives the
// run a cgroup of its own.
SysResult<void> Cgroup::check_leftover(Making& m, const std::string& usage_file) {
    if (!kept_) return {};
    const std::uint64_t allowed =
        std::min<std::uint64_t>(4u << 20, m.limits.memory_kib ? m.limits.memory_kib * 128 : ~0ull);
    std::uint64_t used = std::strtoull(m.fs.read(usage_file).c_str(), nullptr, 10);
    if (used <= allowed) return {};
    const std::string dir = usage_file.substr(0, usage_file.rfind('/'));
    if (m.l.v2)
        (void)m.fs.write(dir + "/memory.reclaim", std::to_string(used));
    else
        (void)m.fs.write(dir + "/memory.force_empty", "0");
    used = std::strtoull(m.fs.read(usage_file).c_str(), nullptr, 10);
    if (used <= allowed) return {};
    m.fresh_instead = true;
    return sys_error("cgroup '" + usage_file + "' holds " + std::to_string(used) +
                         " bytes of an earlier run",
                     EBUSY);
}

// v2: one directory, every controller's files in it.
SysResult<void> Cgroup::build_v2(Making& m) {
    auto dir = make(m, m.l.v2_base);
    if (!dir) return dir.error();
    const std::string& d = dir.value();
    memory_dir_ = pids_dir_ = d;
    if (m.l.memory) {
        if (auto r = set(m, d + "/memory.max", m.mem.empty() ? "max" : m.mem); !r) return r.error();
        if (!m.mem.empty() && exists(d + "/memory.swap.max"))
            (void)m.fs.write(d + "/memory.swap.max", "0");
        if (auto r = check_leftover(m, d + "/memory.current"); !r) return r.error();
    }
    if (m.l.pids) {
        if (auto r = set(m, d + "/pids.max", m.pids); !r) return r.error();
    }
    cpu_ = UniqueFd(::open((d + "/cpu.stat").c_str(), O_RDONLY | O_CLOEXEC));
    return {};
}

// v1: a directory in each of the memory, pids and cpuacct hierarchies.
SysResult<void> Cgroup::build_v1(Making& m) {
    auto mem_dir = make(m, m.l.memory_base);
    if (!mem_dir) return mem_dir.error();
    memory_dir_ = mem_dir.value();
    // memsw (memory + swap) may not be below the memory limit: opened
    // wide first, so that a limit higher than the last run's is taken.
    const std::string memsw = memory_dir_ + "/memory.memsw.limit_in_bytes";
    const bool swap_accounted = exists(memsw);
    if (swap_accounted && kept_) (void)m.fs.write(memsw, "-1");
    if (auto r = set(m, memory_dir_ + "/memory.limit_in_bytes", m.mem.empty() ? "-1" : m.mem); !r)
        return r.error();
    // A kept cgroup left at memsw -1 would have no swap limit at all.
    if (swap_accounted && !m.mem.empty() && !m.fs.write(memsw, m.mem) && kept_) {
        m.fresh_instead = true;
        return sys_error("cannot write '" + m.mem + "' to '" + memsw + "'", errno);
    }
    if (auto r = check_leftover(m, memory_dir_ + "/memory.usage_in_bytes"); !r) return r.error();
    auto p = make(m, m.l.pids_base);
    if (!p) return p.error();
    pids_dir_ = p.value();
    if (auto r = set(m, pids_dir_ + "/pids.max", m.pids); !r) return r.error();
    auto c = make(m, m.l.cpu_base);
    if (!c) return c.error();
    cpu_ = UniqueFd(::open((c.value() + "/cpuacct.usage").c_str(), O_RDONLY | O_CLOEXEC));
    return {};
}

SysResult<std::optional<Cgroup>> Cgroup::create(const Limits& limits, long slot) {
    const CgroupLayout& l = cgroup_layout();
    if (!l.usable) return std::optional<Cgroup>();
    Cgroup cg;
    cg.v2_ = l.v2;
    cg.kept_ = slot >= 0;
    Making m(l, limits, cg.kept_ ? slot_prefix + std::to_string(slot) : run_name());
    if (auto r = l.v2 ? cg.build_v2(m) : cg.build_v1(m); !r) {
        if (m.fresh_instead) return create(limits, -1);
        return r.error();
    }
    if (cg.kept_) cg.start_ = cg.raw_stats();
    return std::optional<Cgroup>(std::move(cg));
}

std::string remove_slot_cgroups() {
    const CgroupLayout& l = cgroup_layout();
    if (!l.usable) return {};
    std::string problem;
    CgroupFs fs;
    for (const auto& base : l.bases())
        for (const auto& name : fs.list(base))
            if (name.rfind(slot_prefix, 0) == 0) {
                // One in use by a run now stays. The run's uid lease says so,
                // not EBUSY: between making its cgroup and joining it, a run
                // holds an empty one, which rmdir would take from under it.
                char* end = nullptr;
                const long uid = std::strtol(name.c_str() + std::strlen(slot_prefix), &end, 10);
                if (uid <= 0 || *end) continue;
                auto lease = UidLease::acquire(uid, 1);
                if (!lease) continue;
                const std::string dir = base + "/" + name;
                if (rmdir(dir.c_str()) != 0 && errno != ENOENT && errno != EBUSY && problem.empty())
                    problem = "cannot remove " + dir + ": " + errno_text(errno);
            }
    return problem;
}

void Cgroup::close_join_fds() noexcept {
    join_.clear();
    join_raw_.clear();
}

double Cgroup::raw_cpu_seconds() const noexcept {
    if (!cpu_) return -1;
    char buf[512];
    long n = pread(cpu_.get(), buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    buf[n] = '\0';
    if (!v2_) return static_cast<double>(std::strtoull(buf, nullptr, 10)) * 1e-9;
    const char* at = std::strstr(buf, "usage_usec ");
    return at ? static_cast<double>(std::strtoull(at + 11, nullptr, 10)) * 1e-6 : -1;
}

double Cgroup::cpu_seconds() const noexcept {
    const double raw = raw_cpu_seconds();
    return raw < 0 ? raw : std::max(0.0, raw - start_.cpu_s);
}

CgroupStats Cgroup::raw_stats() const {
    CgroupFs fs;
    CgroupStats s;
    s.cpu_s = std::max(0.0, raw_cpu_seconds());
    if (v2_) {
        s.oom_kills = field(fs.read(memory_dir_ + "/memory.events"), "oom_kill");
        s.pids_denied = field(fs.read(pids_dir_ + "/pids.events"), "max");
    } else {
        s.oom_kills = field(fs.read(memory_dir_ + "/memory.oom_control"), "oom_kill");
        s.pids_denied = field(fs.read(pids_dir_ + "/pids.events"), "max");
    }
    return s;
}

CgroupStats Cgroup::stats() const {
    CgroupStats s = raw_stats();
    auto since = [](std::uint64_t now, std::uint64_t then) { return now > then ? now - then : 0; };
    s.cpu_s = std::max(0.0, s.cpu_s - start_.cpu_s);
    s.oom_kills = since(s.oom_kills, start_.oom_kills);
    s.pids_denied = since(s.pids_denied, start_.pids_denied);
    return s;
}

bool Cgroup::empty_kept() noexcept {
    bool empty = true;
    try {
        for (const auto& dir : {memory_dir_, pids_dir_})
            if (!dir.empty() && !empty_out(dir)) empty = false;
    } catch (...) { // std::bad_alloc reading cgroup.procs
        empty = false;
    }
    return empty;
}

Cgroup::~Cgroup() {
    close_join_fds();
    cpu_.reset();
    // A slot's cgroup stays, empty: what is left of a run whose keeper was
    // lost is killed (the next run of the slot would not take it otherwise).
    if (kept_) {
        empty_kept();
        return;
    }
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
        for (int attempt = 0; attempt < 200; ++attempt) {
            if (rmdir(it->c_str()) == 0 || errno == ENOENT) break;
            if (errno != EBUSY) break;
            // Something is still inside (a run whose keeper was lost): kill
            // it and wait for the kernel to let go.
            CgroupFs fs;
            kill_members(fs, *it);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

} // namespace wb::sandbox::detail
