// The types the sandbox's files share: what a run may use (Policy, Limits,
// Bind), how strongly it is isolated (Isolation, Profile) and how it ended
// (Status, Result).
//
// They live here, at the bottom of the module, and not in the orchestrator's
// header, so that every file of the sandbox can use them without reaching up
// to sandbox.h, the file that uses them all. Callers outside sandbox/ include
// sandbox.h, which includes this.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wb::sandbox {

enum class Status {
    ok,                // exited with code 0
    runtime_error,     // exited with a non-zero code
    signaled,          // killed by a signal that no limit explains
    time_limit,        // CPU time over the limit
    wall_time_limit,   // wall-clock time over the limit
    memory_limit,      // memory over the limit
    output_limit,      // stdout+stderr or a written file over its limit
    forbidden_syscall, // a system call outside the profile
    internal_error,    // the sandbox failed, not the program
};

// How strongly the run was isolated, strongest first. `full`: wbtool is
// root; namespaces, a private root, a cgroup and a uid of its own.
// `userns`: wbtool is not root, but the kernel lets it have an unprivileged
// user namespace: the same namespaces, private root, dropped capabilities
// and seccomp filter, but no cgroup (CPU time and memory are limited by
// rlimits and sampling) and no uid of its own (the caller's, outside).
// `rlimits`: resource limits, the seccomp filter and a wall-clock kill only,
// no namespaces. Anything below full says so in the message and the warning.
enum class Isolation { full, userns, rlimits };

// Whether `a` is weaker isolation than `b` (rlimits < userns < full).
constexpr bool weaker(Isolation a, Isolation b) noexcept {
    return static_cast<int>(a) > static_cast<int>(b);
}

// Which system-call profile applies. `compile` lets a compiler driver fork and
// exec its stages; `run` is one program and its threads; `cuda` is `run` and
// the calls the CUDA runtime adds (NUMA memory policy), a socket() refused
// with EACCES rather than reported, for a runtime probing for its daemons.
// The GPU's device nodes and the driver's libraries are the caller's to add
// (Policy::devices and binds; core/gpu_access.h).
enum class Profile { compile, run, cuda };

std::string_view to_string(Status s);
std::string_view to_string(Isolation i);
std::string_view to_string(Profile p);
// "full", "userns" or "rlimits"; false for anything else.
bool parse_isolation(std::string_view text, Isolation& out);

struct Limits {
    double cpu_s = 3.0;                       // CPU time of the whole tree; 0 = none
    double wall_s = 0.0;                      // 0 = 2 * cpu_s + 1
    std::uint64_t memory_kib = 512 * 1024;    // peak memory; 0 = none
    std::uint32_t processes = 64;             // processes and threads; 0 = none
    std::uint64_t output_bytes = 64ull << 20; // stdout + stderr together
    std::uint64_t file_bytes = 256ull << 20;  // any single file written
    std::uint32_t open_files = 256;
    std::uint64_t stack_kib = 0; // 0 = unlimited: memory bounds it (rlimits.h)
};

// One path of the host made visible inside the sandbox. `target` empty: the
// same path as `source` (the simplest view: every path means the same inside
// and out). Read-only unless `writable`.
struct Bind {
    std::filesystem::path source;
    std::filesystem::path target;
    bool writable = false;
    bool operator==(const Bind&) const = default;
};

// The toolchain directories every sandbox sees read-only unless
// Policy::system_binds says otherwise: /usr, /lib, /lib64, /bin, /sbin, the
// dynamic loader's /etc files, /etc/alternatives, /usr/local/cuda (those
// that exist; a symbolic link such as Debian's /bin -> usr/bin is recreated
// as the same link).
std::vector<Bind> default_system_binds();

struct Policy {
    Profile profile = Profile::run;
    Limits limits;
    // The directory the program starts in; it may write there. Empty: a
    // private one, empty at the start and gone at the end (workdir.h): with
    // namespaces a tmpfs at /box of workdir_kib, nothing of it on the
    // host's disk; without, a temporary directory, removed after the run.
    std::filesystem::path workdir;
    // Where the standard streams go. Empty stdin means /dev/null; empty
    // stdout/stderr means they are discarded (but still counted).
    std::filesystem::path stdin_path;
    std::filesystem::path stdout_path;
    std::filesystem::path stderr_path;
    // Discarded output (empty stdout/stderr path) is also copied to this
    // descriptor of the caller, up to the output limit; -1: not copied. The
    // program never gets the descriptor itself (a terminal, a log opened
    // for appending), only the pipe that wbtool drains and counts.
    int forward_fd = -1;
    // The program's complete environment ("NAME=value"); nothing is inherited.
    std::vector<std::string> env;
    // A descriptor of the caller's (the read end of a self-pipe, an
    // eventfd) that becomes readable when the run must stop, say because
    // wbtool got SIGTERM: the tree is killed and the run ends as
    // wall_time_limit, "cancelled". -1: none. run() never reads from it.
    int cancel_fd = -1;

    // ---- isolation (used when the process may create namespaces) ----
    // false: rlimits and the watching parent only, even as root.
    bool isolate = true;
    // The weakest isolation this run accepts. A run that would have less
    // (wbtool not root, no user namespaces, `isolate` false, or the kernel
    // refusing the namespaces at an earlier run) is refused before anything
    // of it runs: status internal_error, and a message that starts with
    // "refused:", says why and what to do (isolation_refusal() in sandbox.h). Full
    // counts only with the cgroup's memory and pids limits: a root run
    // without a cgroup, or with a v2 one that lacks either controller, has
    // those limits by sampling and rlimits, and meets userns, not full. A
    // worker running untrusted code on a shared machine asks for full.
    Isolation minimum_isolation = Isolation::rlimits;
    // What the program sees besides /proc, /dev, /tmp and the work directory
    // (always bound writable at its own path). Later binds go over earlier.
    std::vector<Bind> system_binds = default_system_binds();
    std::vector<Bind> binds; // the job's own: inputs, the executable
    // Character devices of the host made in the sandbox's /dev besides null,
    // zero, full, random and urandom, each /dev/NAME: a GPU's nodes.
    std::vector<std::filesystem::path> devices;
    std::uint64_t tmp_kib = 64 * 1024;      // the size of the private /tmp
    std::uint64_t workdir_kib = 256 * 1024; // the size of a private work directory
    // The identity the program runs as; -1: a uid/gid of its own from the
    // pool below, distinct from every other sandbox running now. In a
    // user namespace (Isolation::userns) these are the ids the program sees
    // inside; -1: the caller's own numbers. Outside it is the caller's.
    long uid = -1;
    long gid = -1;
    // The pool of sandbox uids (and slots, see cgroups.h): first, and how
    // many. A uid is taken by one run at a time across all processes of
    // the host, whatever pool names it; the lowest free one is taken.
    long uid_pool_first = 60000;
    long uid_pool_size = 1000;
    // For finding what a toolchain needs, never for untrusted code: a system
    // call outside the profile is let through and listed in
    // Result::audited_syscalls instead of stopping the program.
    bool audit_syscalls = false;
};

struct Result {
    Status status = Status::internal_error;
    int exit_code = -1; // valid when the program exited
    int signal = 0;     // the terminating signal, 0 if none
    double cpu_user_s = 0;
    double cpu_sys_s = 0;
    double wall_s = 0;
    std::uint64_t max_rss_kib = 0; // peak resident memory of the tree
    std::int64_t voluntary_ctxsw = 0;
    std::int64_t involuntary_ctxsw = 0;
    std::uint64_t bytes_written = 0; // stdout + stderr
    Isolation isolation = Isolation::rlimits;
    std::string message; // one human-readable line: what happened and why
    // Empty, or one line that a caller should show as a warning: why the
    // run had less than full isolation (the rlimits engine, and why), or
    // had no cgroup (limits by sampling only), or a v2 cgroup without the
    // memory or pids controller (that limit by sampling or rlimits only),
    // or no seccomp filter.
    std::string warning;
    // With Policy::audit_syscalls: the calls outside the profile the program
    // made, each once, in the order first made.
    std::vector<std::string> audited_syscalls;

    double cpu_s() const { return cpu_user_s + cpu_sys_s; }
};

} // namespace wb::sandbox
