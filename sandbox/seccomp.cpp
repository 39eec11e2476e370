// Seccomp: the profiles, compiled once with libseccomp, patched per run, and
// loaded in the program. See seccomp.h for the design.
#include "sandbox/seccomp.h"

#include "sandbox/prepared.h"
#include "sandbox/unique_fd.h"

#include <seccomp.h>

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <initializer_list>
#include <mutex>
#include <string_view>

namespace wb::sandbox::detail {
namespace {

// The marker for the argv pointer in the compiled run filter.
constexpr std::uint32_t marker_hi = 0x7eadc0de, marker_lo = 0x5a1ad0e5;
constexpr std::uint64_t marker = (std::uint64_t{marker_hi} << 32) | marker_lo;

// Files, memory, time, signals, threads: what any program and its runtime
// (glibc, libstdc++, the CUDA runtime's host side) uses. A table, grouped by
// concern; the order is the filter's (and its cache key's: filter_key).
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

constexpr std::uint64_t new_namespace_flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                                              CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
                                              CLONE_NEWCGROUP;

struct Compiled {
    std::vector<sock_filter> insns;
    std::string error;
};

// The rules of one profile, added to a libseccomp context in the filter's
// order; the first failure is kept as the error.
class Rules {
  public:
    Rules(scmp_filter_ctx ctx, std::string& error) : ctx_(ctx), error_(error) {}

    void fail(const std::string& what, int rc) {
        if (error_.empty()) error_ = what + ": " + errno_text(-rc);
    }
    void add(std::uint32_t action, int nr, std::initializer_list<scmp_arg_cmp> args,
             const char* what) {
        int rc = seccomp_rule_add_array(ctx_, action, nr, static_cast<unsigned>(args.size()),
                                        args.size() ? args.begin() : nullptr);
        if (rc < 0) fail(what, rc);
    }
    void allow(const char* name) {
        int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR) return; // not on this architecture
        int rc = seccomp_rule_add(ctx_, SCMP_ACT_ALLOW, nr, 0);
        if (rc < 0) fail(std::string("cannot allow ") + name, rc);
    }

    // A foreign architecture's call kills the process; the rest is a tree.
    void set_actions() {
        int rc = seccomp_attr_set(ctx_, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
        if (rc < 0) fail("cannot set the seccomp bad-architecture action", rc);
        // A binary tree of syscall numbers instead of a linear chain: a few
        // comparisons per call instead of up to two hundred, and a load that
        // costs a fraction (the kernel runs the filter for every syscall number
        // when it builds its action cache). Older libseccomp: the chain.
        (void)seccomp_attr_set(ctx_, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    }

    // The tables, and kill() without a pid namespace of its own.
    void allow_lists(Profile profile, bool contained) {
        for (const char* name : run_calls)
            if (contained || std::strcmp(name, "kill") != 0) allow(name);
        // kill(-1, ...) falls to the default (reported); pid_t is 32 bits.
        if (!contained)
            add(SCMP_ACT_ALLOW, SCMP_SYS(kill),
                {SCMP_A0_32(SCMP_CMP_NE, static_cast<scmp_datum_t>(0xffffffffu))},
                "cannot add the kill rule");
        if (profile == Profile::compile)
            for (const char* name : compile_calls)
                allow(name);
        if (profile == Profile::cuda)
            for (const char* name : cuda_calls)
                allow(name);
    }

    // The calls allowed with some arguments only.
    void argument_rules(Profile profile) {
        // prlimit64 on itself only (pid 0, as glibc's getrlimit and setrlimit
        // call it): in a user namespace the keeper, pid 1, has the program's
        // uid, and the kernel would let the program change its limits.
        add(SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), {SCMP_A0_32(SCMP_CMP_EQ, 0)},
            "cannot add the prlimit64 rule");
        add(SCMP_ACT_ALLOW, SCMP_SYS(clone), {SCMP_A0(SCMP_CMP_MASKED_EQ, new_namespace_flags, 0)},
            "cannot add the clone rule");
        allow_ioctl();
        add(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), {}, "cannot add the clone3 rule");
        // glibc's user and host lookups try nscd's unix socket first and go
        // on without it: a tool that looks up its user (id, some drivers)
        // must not end the compile. Still no socket, of any family.
        if (profile != Profile::run)
            add(SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), {}, "cannot add the socket rule");
        if (profile != Profile::compile)
            add(SCMP_ACT_ALLOW, SCMP_SYS(execve), {SCMP_A1(SCMP_CMP_EQ, marker)},
                "cannot add the execve rule");
    }

  private:
    // ioctl, except the two requests that act on a terminal the program was
    // never given: pushing input into it (TIOCSTI, 0x5412) and the console's
    // TIOCLINUX (0x541C); those fall to the default and are reported. The
    // program has no terminal (a session of its own, no tty in /dev); this
    // holds even if one leaked in. The kernel reads the request as 32 bits,
    // so only those are compared; the rules do not overlap.
    void allow_ioctl() {
        auto rule = [&](scmp_compare op, unsigned long request) {
            add(SCMP_ACT_ALLOW, SCMP_SYS(ioctl),
                {SCMP_A1_32(op, static_cast<scmp_datum_t>(request))}, "cannot add an ioctl rule");
        };
        rule(SCMP_CMP_LT, TIOCSTI);
        for (unsigned long request = TIOCSTI + 1; request < TIOCLINUX; ++request)
            rule(SCMP_CMP_EQ, request);
        rule(SCMP_CMP_GT, TIOCLINUX);
    }

    scmp_filter_ctx ctx_;
    std::string& error_;
};

// The context's filter as BPF instructions, through a memfd.
void export_filter(scmp_filter_ctx ctx, Compiled& out) {
    int fd = memfd_create("wbtool-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        out.error = "cannot export the seccomp filter: " + errno_text(errno);
        return;
    }
    if (int rc = seccomp_export_bpf(ctx, fd); rc < 0)
        out.error = "cannot export the seccomp filter: " + errno_text(-rc);
    off_t size = lseek(fd, 0, SEEK_END);
    if (out.error.empty() && size > 0 && size % sizeof(sock_filter) == 0) {
        out.insns.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
        if (pread(fd, out.insns.data(), static_cast<std::size_t>(size), 0) != size)
            out.error = "cannot read back the seccomp filter";
    } else if (out.error.empty()) {
        out.error = "the exported seccomp filter is malformed";
    }
    ::close(fd);
}

Compiled compile(Profile profile, bool contained) {
    Compiled out;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_NOTIFY);
    if (!ctx) {
        out.error = "cannot create a seccomp filter (libseccomp)";
        return out;
    }
    Rules rules(ctx, out.error);
    rules.set_actions();
    rules.allow_lists(profile, contained);
    rules.argument_rules(profile);
    if (out.error.empty()) export_filter(ctx, out);
    seccomp_release(ctx);
    return out;
}

// ---- the compiled filters kept in /run/wbtool (prepared.h) ----
//
// Compiling with libseccomp costs most of a millisecond, which every
// `wbtool sandbox` process would pay again. The result depends only on the
// rules (this file), libseccomp's version and the architecture, so it is
// kept as /run/wbtool/seccomp-<hash of those>.bpf and read back by later
// processes: a changed rule or library is another file.

std::uint64_t filter_key(Profile profile, bool contained) {
    std::uint64_t h = 1469598103934665603ull; // FNV-1a
    auto mix = [&h](std::string_view text) {
        for (unsigned char c : text) {
            h ^= c;
            h *= 1099511628211ull;
        }
        h ^= 0xff;
        h *= 1099511628211ull;
    };
    const scmp_version* v = seccomp_version();
    mix(std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->micro));
    mix(std::to_string(seccomp_arch_native()));
    mix(to_string(profile));
    mix(contained ? "contained" : "shared-pid");
    // The rules as the code states them: every list, and the layout version
    // of compile() below (bump it when a rule outside the lists changes).
    mix("layout 4");
    for (const char* name : run_calls)
        mix(name);
    for (const char* name : compile_calls)
        mix(name);
    for (const char* name : cuda_calls)
        mix(name);
    return h;
}

std::string cache_path(std::uint64_t key) {
    char name[64];
    std::snprintf(name, sizeof name, "/seccomp-%016llx.bpf", static_cast<unsigned long long>(key));
    return std::string(prepared_dir) + name;
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
        const std::string path = cache ? cache_path(filter_key(profile, contained)) : "";
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

std::string remove_cached_filters() {
    std::string problem;
    if (DIR* d = opendir(prepared_dir)) {
        while (dirent* e = readdir(d)) {
            const std::string name = e->d_name;
            if (name.rfind("seccomp-", 0) != 0) continue;
            if (unlinkat(dirfd(d), name.c_str(), 0) != 0 && errno != ENOENT && problem.empty())
                problem = "cannot remove " + std::string(prepared_dir) + "/" + name + ": " +
                          errno_text(errno);
        }
        closedir(d);
    }
    return problem;
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
