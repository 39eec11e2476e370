// The sandbox's one entry point: policy + argv -> result.
//
// Everything that runs untrusted code (the compiler on a student's program,
// the program itself) goes through run(). The policy says what the process
// may use; the result says how it ended and what it used. Callers never see
// how isolation is achieved, so the engine behind this header can grow from
// rlimits to namespaces, cgroups and seccomp without any caller changing.
//
// run() never throws for anything the program did: a crash, a limit, a
// missing executable are all a Result. It reports status internal_error only
// when the sandbox itself could not do its job (fork failed, bad policy).
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
// exec its stages; `run` is one program and its threads.
enum class Profile { compile, run };

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
    std::uint64_t stack_kib = 64 * 1024; // 0 = same as memory
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
    // The directory the program starts in; it may write there.
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
    // "refused:", says why and what to do (isolation_refusal() below). Full
    // counts only with the cgroup's memory and pids limits: a root run
    // without a cgroup, or with a v2 one that lacks either controller, has
    // those limits by sampling and rlimits, and meets userns, not full. A
    // worker running untrusted code on a shared machine asks for full.
    Isolation minimum_isolation = Isolation::rlimits;
    // What the program sees besides /proc, /dev, /tmp and the work directory
    // (always bound writable at its own path). Later binds go over earlier.
    std::vector<Bind> system_binds = default_system_binds();
    std::vector<Bind> binds;           // the job's own: inputs, the executable
    std::uint64_t tmp_kib = 64 * 1024; // the size of the private /tmp
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

    double cpu_s() const { return cpu_user_s + cpu_sys_s; }
};

// Runs argv[0] (looked up in PATH of policy.env if it has no slash) under the
// policy, waits for it and everything it started, and returns the result.
Result run(const Policy& policy, const std::vector<std::string>& argv);

// Why a run with Policy::isolate would have less than full isolation in
// this process ("wbtool is not running as root", a refused clone), or ""
// when full isolation is available as far as is known before a run.
std::string isolation_unavailable_reason();

// The isolation a run with Policy::isolate would have in this process, as
// far as is known before a run (the first run may still find the kernel
// refusing it, and fall back).
Isolation available_isolation();

// "" when a run with Policy::isolate = `isolate` would have at least
// `minimum` isolation in this process, as far as is known before a run;
// else the one line a refused run carries as its message: "refused: ..."
// with what is needed, what this process can give and why, and what to do.
std::string isolation_refusal(Isolation minimum, bool isolate = true);
// Whether a run's message is such a refusal (a caller that stops there).
bool is_refusal(std::string_view message);

// Keeps `count` sandbox keepers made ahead, for runs with full isolation:
// each already in its new pid and mount namespaces, with the shared
// namespaces joined and the base of the root (the system binds, /dev,
// /proc) mounted, so that a run only adds its job's part. A thread of the
// sandbox makes them, one after each run that took one, for the system
// binds of the last run; a run finds none (the first, or one with other
// system binds) makes its own as it would without. For a caller that runs
// one job after another (grading, a worker); each costs an idle process
// while it waits. 0 (the default) ends them, and returns once they are gone.
// With keepers made ahead, a run's keeper, once its report is read and its
// program's tree is gone, is reaped by that thread. prepared_ahead() says
// what was asked for last.
void prepare_ahead(int count);
int prepared_ahead();

// What runs prepare once and keep between runs and processes, so that a
// run pays little: the empty network, ipc and uts namespaces every sandbox
// joins (/run/wbtool/{net,ipc,uts}ns, nsfs bind mounts), the cgroups kept
// per slot (wbtool-slot-<uid>, those that are empty) and, on cgroup v2, the
// dedicated cgroup /sys/fs/cgroup/wbtool when it is empty. None of it is visible to a
// program. This removes them (the next run makes them again); for an admin
// or an uninstall. Returns "" or what could not be removed.
std::string release_prepared();

} // namespace wb::sandbox
