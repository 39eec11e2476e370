// Seccomp: the profiles, compiled once into BPF here (libseccomp names the
// calls), patched per run, and loaded in the program. See seccomp.h for the
// design.
#include "sandbox/seccomp.h"

#include "sandbox/prepared.h"
#include "sandbox/unique_fd.h"

#include <seccomp.h>

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <mutex>
#include <string_view>

namespace wb::sandbox::detail {
namespace {

// The marker for the argv pointer in the compiled run filter.
constexpr std::uint32_t marker_hi = 0x7eadc0de, marker_lo = 0x5a1ad0e5;
constexpr std::uint64_t marker = (std::uint64_t{marker_hi} << 32) | marker_lo;

// Files, memory, time, signals, threads: what any program and its runtime
// (glibc, libstdc++, the CUDA runtime's host side) uses. A table, grouped by
// concern; the order is the filter's (and its cache key's: cache_path).
// clang-format off
constexpr const char* run_calls[] = {
    // read and write
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2",
    "pwritev2",
    // open, close, look at files
    "open", "openat", "openat2", "close", "close_range", "creat", "stat", "fstat", "lstat",
    "newfstatat", "statx", "statfs", "fstatfs", "lseek", "access", "faccessat", "faccessat2",
    "readlink", "readlinkat",
    // directories and names
    "getdents", "getdents64", "getcwd", "chdir", "fchdir", "mkdir", "mkdirat", "rmdir", "unlink",
    "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
    // file attributes and contents
    "chmod", "fchmod", "fchmodat", "umask", "truncate", "ftruncate", "fallocate", "fsync",
    "fdatasync", "flock", "fadvise64", "utimensat", "utime", "utimes", "futimesat", "sendfile",
    "copy_file_range", "splice", "tee",
    // descriptors, pipes, waiting on them
    "dup", "dup2", "dup3", "fcntl", "pipe", "pipe2", "poll", "ppoll", "select", "pselect6",
    "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
    "eventfd", "eventfd2", "timerfd_create", "timerfd_settime", "timerfd_gettime", "memfd_create",
    // memory
    "mmap", "munmap", "mprotect", "mremap", "madvise", "brk", "mlock", "munlock", "mincore",
    "msync", "membarrier",
    // signals
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigpending",
    "rt_sigtimedwait", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaltstack", "kill", "tgkill",
    "tkill", "pause",
    // time and timers
    "nanosleep", "clock_nanosleep", "clock_gettime", "clock_getres", "gettimeofday", "time",
    "alarm", "getitimer", "setitimer", "timer_create", "timer_settime", "timer_gettime",
    "timer_getoverrun", "timer_delete",
    // ids, limits, the system
    "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getgroups",
    "getresuid", "getresgid", "getpgrp", "getpgid", "getsid", "setpgid", "setsid", "getrlimit",
    "setrlimit", "getrusage", "sysinfo", "times", "uname",
    // threads, scheduling, processes
    "arch_prctl", "prctl", "set_tid_address", "set_robust_list", "get_robust_list", "rseq", "futex",
    "futex_waitv", "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam",
    "sched_getscheduler", "sched_get_priority_max", "sched_get_priority_min",
    "sched_rr_get_interval", "getpriority", "getcpu", "getrandom", "fork", "vfork", "wait4",
    "waitid", "exit", "exit_group", "restart_syscall",
    // extended attributes, read only
    "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr",
    // Only to hand the listener to the parent before execve: without
    // socket() the program has no socket to use it on.
    "sendmsg",
};
// clang-format on

// What a compiler driver adds: running its stages.
constexpr const char* compile_calls[] = {"execve", "execveat", "vfork", "fork", "setsid"};

// What the CUDA runtime and driver add to a program's calls: the NUMA
// memory policy of the pinned host buffers they allocate.
constexpr const char* cuda_calls[] = {"get_mempolicy", "set_mempolicy", "mbind"};

// The CLONE_NEW* flags, all in clone's first 32 bits (the kernel reads no
// more of clone's flags: kernel/fork.c).
constexpr std::uint32_t new_namespace_flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                                              CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
                                              CLONE_NEWCGROUP;

struct Compiled {
    std::vector<sock_filter> insns;
    std::string error;
};

// ---- the filter ----
//
// Written here rather than by libseccomp's compiler, for two reasons.
// Arguments the kernel reads as 32 bits (ioctl's request, kill's and
// prlimit64's pid) are compared on those 32 bits: libseccomp 2.5 compares
// all 64 (its _32 macros only narrow the constant), so its filter let
// ioctl(fd, 1 << 32 | TIOCSTI) through, and kill(-1) made with a 64-bit -1
// where the program has no pid namespace of its own. And the allow-list is
// a tree of ranges of call numbers rather than one comparison per call:
// 117 to 127 instructions instead of 273. The kernel converts and compiles
// the filter, and runs it once per call number for its action cache, at
// every load, in every run: 33 us instead of 49 (loaded alone, this
// machine). libseccomp still names the calls (its tables are the
// architecture's) and the violations; the tests compare this filter with a
// libseccomp filter of the same lists, call by call, and check that every
// call allowed whatever its arguments stays in the kernel's action cache.

// Where a call number goes.
enum class Target : std::uint8_t {
    notify, // the default: the parent is told, and kills the tree
    allow,
    kill,    // another architecture
    enosys,  // clone3: glibc falls back to clone, whose flags are seen
    eacces,  // socket where a profile refuses it quietly
    ioctl,   // not TIOCSTI or TIOCLINUX
    kill_1,  // kill, not kill(-1): without a pid namespace of its own
    prlimit, // on itself only
    clone,   // without a CLONE_NEW* flag
    execve,  // only the sandbox's own argv (the run profiles)
    count
};

// seccomp_data, as the filter reads it: 32-bit words, little-endian.
constexpr std::uint32_t at_nr = 0, at_arch = 4;
constexpr std::uint32_t arg_low(int i) {
    return 16 + 8 * static_cast<std::uint32_t>(i);
}
constexpr std::uint32_t arg_high(int i) {
    return arg_low(i) + 4;
}

// A classic BPF program with labels: every jump goes forward, and a
// conditional jump at most 255 instructions.
class Bpf {
  public:
    using Label = int;
    Label label() {
        at_.push_back(-1);
        return static_cast<Label>(at_.size() - 1);
    }
    void place(Label l) { at_[static_cast<std::size_t>(l)] = static_cast<int>(code_.size()); }
    void load(std::uint32_t offset) { emit(BPF_LD | BPF_W | BPF_ABS, offset, -1, -1); }
    // To `yes` if the accumulator `op`s k (BPF_JEQ, BPF_JGE, BPF_JSET), else
    // to `no`.
    void jump(std::uint16_t op, std::uint32_t k, Label yes, Label no) {
        emit(BPF_JMP | op | BPF_K, k, yes, no);
    }
    void ret(std::uint32_t action) { emit(BPF_RET | BPF_K, action, -1, -1); }
    // The jump at `index` (from jump()), to be aimed once its targets exist.
    std::size_t size() const { return code_.size(); }
    void aim(std::size_t index, Label yes, Label no) { jumps_[index] = {yes, no}; }

    std::string finish(std::vector<sock_filter>& out) const {
        out.clear();
        for (std::size_t i = 0; i < code_.size(); ++i) {
            sock_filter insn = code_[i];
            if (BPF_CLASS(insn.code) == BPF_JMP) {
                const auto [yes, no] = jumps_[i];
                const int base = static_cast<int>(i) + 1;
                const int t = at_[static_cast<std::size_t>(yes)] - base;
                const int f = at_[static_cast<std::size_t>(no)] - base;
                if (at_[static_cast<std::size_t>(yes)] < 0 || at_[static_cast<std::size_t>(no)] < 0)
                    return "the seccomp filter jumps to a label never placed";
                if (t < 0 || f < 0 || t > 255 || f > 255)
                    return "the seccomp filter is too long for its jumps (" +
                           std::to_string(code_.size()) + " instructions)";
                insn.jt = static_cast<std::uint8_t>(t);
                insn.jf = static_cast<std::uint8_t>(f);
            }
            out.push_back(insn);
        }
        return {};
    }

  private:
    void emit(std::uint16_t code, std::uint32_t k, Label yes, Label no) {
        code_.push_back({code, 0, 0, k});
        jumps_.push_back({yes, no});
    }
    std::vector<sock_filter> code_;
    std::vector<std::pair<Label, Label>> jumps_;
    std::vector<int> at_; // label -> instruction, -1 until placed
};

// The call numbers of one profile: a Target each, notify where unnamed.
struct CallMap {
    std::vector<Target> by_number;
    std::string error;

    void set(const char* name, Target t) {
        const int nr = seccomp_syscall_resolve_name(name);
        if (nr < 0) return; // not on this architecture
        if (static_cast<std::size_t>(nr) >= by_number.size())
            by_number.resize(static_cast<std::size_t>(nr) + 1, Target::notify);
        by_number[static_cast<std::size_t>(nr)] = t;
    }
};

CallMap call_map(Profile profile, bool contained) {
    CallMap m;
    for (const char* name : run_calls)
        m.set(name, Target::allow);
    if (profile == Profile::compile)
        for (const char* name : compile_calls)
            m.set(name, Target::allow);
    if (profile == Profile::cuda)
        for (const char* name : cuda_calls)
            m.set(name, Target::allow);
    // kill(-1, ...) falls to the default (reported) without a pid namespace.
    if (!contained) m.set("kill", Target::kill_1);
    // prlimit64 on itself only (pid 0, as glibc's getrlimit and setrlimit
    // call it): in a user namespace the keeper, pid 1, has the program's
    // uid, and the kernel would let the program change its limits.
    m.set("prlimit64", Target::prlimit);
    m.set("clone", Target::clone);
    m.set("ioctl", Target::ioctl);
    m.set("clone3", Target::enosys);
    // glibc's user and host lookups try nscd's unix socket first and go on
    // without it: a tool that looks up its user (id, some drivers) must not
    // end the compile. Still no socket, of any family.
    if (profile != Profile::run) m.set("socket", Target::eacces);
    if (profile != Profile::compile) m.set("execve", Target::execve);
    return m;
}

// The tree of call numbers: `starts` are the first numbers of runs of one
// target each (starts[0] == 0), the last run going on to 2^32 - 1. Binary
// search with one jge per inner node; a leaf is its target's block, placed
// after the tree, so it costs no instruction.
Bpf::Label tree(Bpf& b, const std::vector<std::uint32_t>& starts,
                const std::vector<Target>& targets, const std::vector<Bpf::Label>& block,
                std::size_t first, std::size_t end) {
    if (end - first == 1) return block[static_cast<std::size_t>(targets[first])];
    const std::size_t mid = first + (end - first) / 2;
    const Bpf::Label here = b.label();
    b.place(here);
    const std::size_t at = b.size();
    b.jump(BPF_JGE, starts[mid], here, here); // aimed below
    const Bpf::Label below = tree(b, starts, targets, block, first, mid);
    const Bpf::Label above = tree(b, starts, targets, block, mid, end);
    b.aim(at, above, below);
    return here;
}

Compiled compile(Profile profile, bool contained) {
    Compiled out;
    const std::uint32_t arch = seccomp_arch_native();
    if (arch != SCMP_ARCH_X86_64 && arch != SCMP_ARCH_AARCH64 && arch != SCMP_ARCH_RISCV64) {
        out.error = "the seccomp filter is written for little-endian 64-bit architectures only";
        return out;
    }
    CallMap map = call_map(profile, contained);
    std::vector<std::uint32_t> starts;
    std::vector<Target> targets;
    for (std::size_t nr = 0; nr <= map.by_number.size(); ++nr) {
        const Target t = nr < map.by_number.size() ? map.by_number[nr] : Target::notify;
        if (targets.empty() || t != targets.back()) {
            starts.push_back(static_cast<std::uint32_t>(nr));
            targets.push_back(t);
        }
    }

    Bpf b;
    std::vector<Bpf::Label> block(static_cast<std::size_t>(Target::count));
    for (auto& l : block)
        l = b.label();
    const auto to = [&](Target t) { return block[static_cast<std::size_t>(t)]; };

    // Another architecture (i386's int 0x80) is killed; so is x32, the
    // native architecture's value with bit 30 of the number set (-1 is no
    // call: the kernel's own "skip", left to the default).
    const Bpf::Label native = b.label(), numbers = b.label();
    b.load(at_arch);
    b.jump(BPF_JEQ, arch, native, to(Target::kill));
    b.place(native);
    b.load(at_nr);
    if (arch == SCMP_ARCH_X86_64) {
        const Bpf::Label x32 = b.label();
        b.jump(BPF_JGE, 0x40000000, x32, numbers);
        b.place(x32);
        b.jump(BPF_JEQ, 0xffffffff, numbers, to(Target::kill));
    }
    b.place(numbers);
    tree(b, starts, targets, block, 0, starts.size());

    // The blocks the tree leads to, each once, if it does. The calls allowed
    // with some arguments only: the kernel reads ioctl's request and the
    // pids as 32 bits, so only those are compared.
    const auto used = [&](Target t) {
        return std::find(targets.begin(), targets.end(), t) != targets.end();
    };
    if (used(Target::ioctl)) {
        // ioctl, except the two requests that act on a terminal the program
        // was never given: pushing input into it (TIOCSTI) and the console's
        // TIOCLINUX; those fall to the default and are reported. The
        // program has no terminal (a session of its own, no tty in /dev);
        // this holds even if one leaked in.
        const Bpf::Label other = b.label();
        b.place(to(Target::ioctl));
        b.load(arg_low(1));
        b.jump(BPF_JEQ, TIOCSTI, to(Target::notify), other);
        b.place(other);
        b.jump(BPF_JEQ, TIOCLINUX, to(Target::notify), to(Target::allow));
    }
    if (used(Target::kill_1)) {
        b.place(to(Target::kill_1));
        b.load(arg_low(0));
        b.jump(BPF_JEQ, 0xffffffff, to(Target::notify), to(Target::allow));
    }
    if (used(Target::prlimit)) {
        b.place(to(Target::prlimit));
        b.load(arg_low(0));
        b.jump(BPF_JEQ, 0, to(Target::allow), to(Target::notify));
    }
    if (used(Target::clone)) {
        b.place(to(Target::clone));
        b.load(arg_low(0));
        b.jump(BPF_JSET, new_namespace_flags, to(Target::notify), to(Target::allow));
    }
    if (used(Target::execve)) {
        // argv, all 64 bits: the marker, patched per run (for_run).
        const Bpf::Label low = b.label();
        b.place(to(Target::execve));
        b.load(arg_high(1));
        b.jump(BPF_JEQ, marker_hi, low, to(Target::notify));
        b.place(low);
        b.load(arg_low(1));
        b.jump(BPF_JEQ, marker_lo, to(Target::allow), to(Target::notify));
    }
    const std::pair<Target, std::uint32_t> returns[] = {
        {Target::allow, SECCOMP_RET_ALLOW},
        {Target::notify, SECCOMP_RET_USER_NOTIF},
        {Target::kill, SECCOMP_RET_KILL_PROCESS},
        {Target::enosys, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)},
        {Target::eacces, SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA)}};
    for (const auto& [target, action] : returns) {
        // allow, notify and kill are always jumped to (the blocks above, the
        // architecture check); an errno only where a call gets it.
        if (target >= Target::enosys && !used(target)) continue;
        b.place(to(target));
        b.ret(action);
    }
    out.error = b.finish(out.insns);
    return out;
}

// ---- the compiled filters kept in /run/wbtool (prepared.h) ----
//
// Compiling (libseccomp looking two hundred names up in its tables, then the
// tree) costs a tenth of a millisecond or more, which every `wbtool
// sandbox` process would pay again. The result depends only on the
// rules (this file), libseccomp's version and the architecture, so it is
// kept as /run/wbtool/seccomp-<hash of those>.bpf and read back by later
// processes: a changed rule or library is another file.

std::string cache_path(Profile profile, bool contained) {
    PreparedKey key;
    const scmp_version* v = seccomp_version();
    key.mix(std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
            std::to_string(v->micro));
    key.mix(std::to_string(seccomp_arch_native()));
    key.mix(to_string(profile));
    key.mix(contained ? "contained" : "shared-pid");
    // The rules as the code states them: every list, and the layout version
    // of compile() above (bump it when a rule outside the lists changes).
    key.mix("layout 5");
    for (const char* name : run_calls)
        key.mix(name);
    for (const char* name : compile_calls)
        key.mix(name);
    for (const char* name : cuda_calls)
        key.mix(name);
    return key.path("seccomp-", ".bpf");
}

bool read_cached(const std::string& path, std::vector<sock_filter>& out) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return false;
    struct stat st {};
    if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
        (st.st_mode & 022) != 0 || st.st_size <= 0 || st.st_size > (1 << 20) ||
        st.st_size % sizeof(sock_filter) != 0)
        return false;
    out.resize(static_cast<std::size_t>(st.st_size) / sizeof(sock_filter));
    return pread(fd.get(), out.data(), static_cast<std::size_t>(st.st_size), 0) == st.st_size;
}

void write_cached(const std::string& path, const std::vector<sock_filter>& insns) {
    const std::string tmp = path + "." + std::to_string(getpid());
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) return;
    const auto size = static_cast<long>(insns.size() * sizeof(sock_filter));
    const bool ok = write(fd.get(), insns.data(), static_cast<std::size_t>(size)) == size;
    fd.reset();
    if (!ok || rename(tmp.c_str(), path.c_str()) != 0) unlink(tmp.c_str());
}

const Compiled& compiled(Profile profile, bool contained) {
    static std::once_flag once[6];
    static Compiled filters[6];
    const int i = static_cast<int>(profile) * 2 + (contained ? 0 : 1);
    std::call_once(once[i], [&] {
        const bool cache = prepared_dir_ready();
        const std::string path = cache ? cache_path(profile, contained) : "";
        if (cache && read_cached(path, filters[i].insns)) {
            // The run profile's execve rule must be there to patch.
            int markers = 0;
            for (const auto& insn : filters[i].insns)
                markers += insn.code == (BPF_JMP | BPF_JEQ | BPF_K) &&
                           (insn.k == marker_hi || insn.k == marker_lo);
            if (profile == Profile::compile || markers >= 2) return;
        }
        filters[i] = compile(profile, contained);
        if (cache && filters[i].error.empty()) write_cached(path, filters[i].insns);
    });
    return filters[i];
}

} // namespace

std::vector<std::string> profile_calls(Profile profile) {
    std::vector<std::string> out(std::begin(run_calls), std::end(run_calls));
    if (profile == Profile::compile)
        out.insert(out.end(), std::begin(compile_calls), std::end(compile_calls));
    if (profile == Profile::cuda)
        out.insert(out.end(), std::begin(cuda_calls), std::end(cuda_calls));
    return out;
}

SysResult<std::vector<sock_filter>> compiled_filter(Profile profile, bool contained) {
    const Compiled& c = compiled(profile, contained);
    if (!c.error.empty()) return sys_error(c.error, EINVAL);
    return c.insns;
}

std::string remove_cached_filters() {
    return remove_prepared("seccomp-", false);
}

SeccompProgram::SeccompProgram(SeccompProgram&& other) noexcept : insns_(std::move(other.insns_)) {
    fprog_.len = static_cast<unsigned short>(insns_.size());
    fprog_.filter = insns_.data();
}

SeccompProgram& SeccompProgram::operator=(SeccompProgram&& other) noexcept {
    insns_ = std::move(other.insns_);
    fprog_.len = static_cast<unsigned short>(insns_.size());
    fprog_.filter = insns_.data();
    return *this;
}

SysResult<SeccompProgram> SeccompProgram::for_run(Profile profile, const void* argv,
                                                  bool contained) {
    const Compiled& c = compiled(profile, contained);
    if (!c.error.empty()) return sys_error(c.error, EINVAL);
    SeccompProgram p;
    p.insns_ = c.insns;
    const auto ptr = reinterpret_cast<std::uintptr_t>(argv);
    const auto hi = static_cast<std::uint32_t>(static_cast<std::uint64_t>(ptr) >> 32);
    const auto lo = static_cast<std::uint32_t>(ptr);
    int patched = 0;
    for (auto& insn : p.insns_) {
        if (insn.code != (BPF_JMP | BPF_JEQ | BPF_K)) continue;
        if (insn.k == marker_hi) {
            insn.k = hi;
            ++patched;
        } else if (insn.k == marker_lo) {
            insn.k = lo;
            ++patched;
        }
    }
    if (profile != Profile::compile && patched < 2)
        return sys_error("the run seccomp filter has no execve rule to patch", EINVAL);
    p.fprog_.len = static_cast<unsigned short>(p.insns_.size());
    p.fprog_.filter = p.insns_.data();
    return p;
}

int load_seccomp(const sock_fprog* prog) noexcept {
    return static_cast<int>(
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, prog));
}

std::string read_violation(int listener, bool let_through) {
    seccomp_notif req{};
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) return {};
    if (let_through) {
        seccomp_notif_resp resp{};
        resp.id = req.id;
        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        (void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp); // ENOENT: the thread died
    }
    char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, req.data.nr);
    std::string out = name ? name : "syscall " + std::to_string(req.data.nr);
    std::free(name);
    return out;
}

} // namespace wb::sandbox::detail
