// The verdict: Outcome + limits -> Status, statistics and message. The order
// of the checks and the memory heuristic are explained in verdict.h.
#include "sandbox/verdict.h"

#include "sandbox/rlimits.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace wb::sandbox::detail {
namespace {

constexpr const char* isolation_note = " (isolation: rlimits only)";
constexpr const char* no_cgroup_note = " (no cgroup: CPU and memory limits by sampling only)";
constexpr const char* userns_note =
    " (isolation: user namespace, CPU and memory limits by sampling only)";

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

std::string mib(std::uint64_t kib) {
    if (kib % 1024 == 0) return format("%llu MiB", static_cast<unsigned long long>(kib / 1024));
    return format("%.1f MiB", static_cast<double>(kib) / 1024.0);
}

std::string bytes(std::uint64_t n) {
    constexpr std::uint64_t kib = 1024, mib_ = kib * kib;
    auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
    if (n < kib) return format("%llu bytes", u(n));
    if (n % mib_ == 0) return format("%llu MiB", u(n / mib_));
    if (n < mib_)
        return n % kib == 0 ? format("%llu KiB", u(n / kib))
                            : format("%.2f KiB", static_cast<double>(n) / kib);
    return format("%.2f MiB", static_cast<double>(n) / mib_);
}

double seconds(const struct timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

std::string setup_message(const ChildFailure& f, const VerdictInputs& in) {
    const std::string err = errno_text(f.err);
    switch (f.step) {
    case Step::mounts:
        if (in.mounts && f.detail >= 0 && static_cast<std::size_t>(f.detail) < in.mounts->count) {
            const MountOp& op = in.mounts->ops[f.detail];
            std::string target = op.target;
            const std::size_t root = std::char_traits<char>::length(in.mounts->root);
            if (target.size() >= root) target = target.substr(root);
            return "cannot mount " + (op.source ? std::string(op.source) : std::string("it")) +
                   " at " + target + " in the sandbox: " + err;
        }
        return "cannot build the sandbox's root filesystem: " + err;
    case Step::exec:
        return "cannot execute '" + in.program + "': " + err;
    case Step::workdir:
        return std::string("cannot enter work directory '") + in.workdir + "': " + err;
    case Step::rlimits:
        return std::string("cannot set ") + rlimit_name(f.detail) + ": " + err;
    default:
        return std::string("sandbox setup failed while ") + step_text(f.step) + ": " + err;
    }
}

} // namespace

std::string describe_signal(int sig) {
    const char* abbrev = sigabbrev_np(sig);
    const char* text = sigdescr_np(sig);
    if (!abbrev) return format("killed by signal %d", sig);
    return format("killed by signal %d (SIG%s%s%s)", sig, abbrev, text ? ": " : "",
                  text ? text : "");
}

Result internal_error(std::string message) {
    Result r;
    r.status = Status::internal_error;
    r.isolation = Isolation::rlimits;
    r.message = std::move(message);
    return r;
}

Result classify(const Outcome& o, const VerdictInputs& in) {
    const char* note = in.isolation == Isolation::rlimits  ? isolation_note
                       : in.isolation == Isolation::userns ? userns_note
                       : in.no_cgroup                      ? no_cgroup_note
                                                           : "";
    if (o.end == Outcome::End::setup_failed) {
        Result r = internal_error(setup_message(o.failure, in));
        r.isolation = in.isolation;
        return r;
    }
    if (o.end == Outcome::End::lost && o.killed_for != KillReason::wall &&
        o.killed_for != KillReason::syscall && o.killed_for != KillReason::cancel) {
        Result r = internal_error(o.problem);
        r.isolation = in.isolation;
        return r;
    }

    const Limits& lim = in.limits;
    Result r;
    r.isolation = in.isolation;
    r.cpu_user_s = seconds(o.usage.ru_utime);
    r.cpu_sys_s = seconds(o.usage.ru_stime);
    r.wall_s = o.wall_s;
    r.max_rss_kib = std::max<std::uint64_t>(
        static_cast<std::uint64_t>(std::max(0L, o.usage.ru_maxrss)), o.peak_memory_kib);
    // Not the cgroup's peak: it counts the page cache of files the program
    // wrote (v1 max_usage_in_bytes, v2 memory.peak), which is reclaimed,
    // never what killed a program; a cgroup's real out-of-memory is its
    // oom_kill count below.
    r.voluntary_ctxsw = o.usage.ru_nvcsw;
    r.involuntary_ctxsw = o.usage.ru_nivcsw;
    r.bytes_written = o.output_bytes;

    const int ws = o.wait_status;
    const bool exited = o.end == Outcome::End::finished && WIFEXITED(ws);
    if (o.end == Outcome::End::finished && WIFSIGNALED(ws)) r.signal = WTERMSIG(ws);
    if (exited) r.exit_code = WEXITSTATUS(ws);
    const bool abnormal = r.signal != 0 || (exited && r.exit_code != 0);
    const std::string death =
        r.signal ? describe_signal(r.signal) : format("exited with code %d", r.exit_code);

    double cpu = std::max(r.cpu_s(), o.cpu_seen_s);
    if (in.cgroup) cpu = std::max(cpu, in.cgroup->cpu_s);
    const std::uint64_t out_limit = lim.output_bytes;
    auto time_limit = [&] {
        r.status = Status::time_limit;
        r.message = format("CPU time %.2f s over the limit of %g s", cpu, lim.cpu_s);
    };
    auto output_limit = [&] {
        r.status = Status::output_limit;
        if (out_limit > 0 && o.output_bytes > out_limit)
            r.message =
                "output of " + bytes(o.output_bytes) + " over the limit of " + bytes(out_limit);
        else
            r.message = "a file reached the size limit of " +
                        bytes(std::max(lim.file_bytes, lim.output_bytes)) + " (SIGXFSZ)";
    };
    auto wall_limit = [&] {
        r.status = Status::wall_time_limit;
        r.message = format("wall-clock time %.2f s over the limit of %g s with only %.2f s of CPU "
                           "time: the program was waiting (sleeping, blocked on a read, or the "
                           "machine was overloaded)",
                           r.wall_s, in.wall_limit_s, cpu);
    };

    const bool oom = in.cgroup && in.cgroup->oom_kills > 0;
    switch (o.killed_for) {
    case KillReason::syscall:
        r.status = Status::forbidden_syscall;
        r.message = "forbidden system call '" + o.syscall + "' (not allowed in the " +
                    std::string(to_string(in.profile)) + " profile); the program was stopped";
        break;
    case KillReason::cpu:
        time_limit();
        break;
    case KillReason::wall:
        wall_limit();
        break;
    case KillReason::cancel:
        r.status = Status::wall_time_limit;
        r.message = format("cancelled after %.2f s of wall-clock time (%.2f s of CPU time): the "
                           "run was stopped by its caller",
                           r.wall_s, cpu);
        break;
    case KillReason::output:
        output_limit();
        break;
    case KillReason::memory:
        r.status = Status::memory_limit;
        r.message =
            "memory use of " + mib(o.peak_memory_kib) + " over the limit of " + mib(lim.memory_kib);
        break;
    case KillReason::none:
        if (lim.cpu_s > 0 && (r.signal == SIGXCPU || cpu > lim.cpu_s)) {
            time_limit();
        } else if (oom) {
            r.status = Status::memory_limit;
            r.message = "memory limit of " + mib(lim.memory_kib) + " reached: the kernel killed " +
                        (in.cgroup->oom_kills == 1
                             ? std::string("a process")
                             : format("%llu processes",
                                      static_cast<unsigned long long>(in.cgroup->oom_kills))) +
                        " of the program (" + death + ")";
        } else if (in.isolation != Isolation::rlimits && r.signal == SIGSYS) {
            r.status = Status::forbidden_syscall;
            r.message =
                "forbidden system call of a foreign architecture (i386 or x32 entry); " + death;
        } else if (r.signal == SIGXFSZ || (out_limit > 0 && o.output_bytes > out_limit)) {
            output_limit();
        } else if (in.wall_limit_s > 0 && r.wall_s > in.wall_limit_s) {
            wall_limit();
        } else if (abnormal && (!in.cgroup || !in.cgroup_memory) && lim.memory_kib > 0 &&
                   (r.max_rss_kib * 10 >= lim.memory_kib * 9 ||
                    (in.data_limit_kib > 0 && o.peak_data_kib * 10 >= in.data_limit_kib * 9))) {
            r.status = Status::memory_limit;
            r.message = death + " at " + mib(r.max_rss_kib) + " of memory, near the limit of " +
                        mib(lim.memory_kib) + ": probably out of memory";
        } else {
            r.status = r.signal      ? Status::signaled
                       : r.exit_code ? Status::runtime_error
                                     : Status::ok;
            r.message = death;
        }
        break;
    }
    if (o.leftovers > 0) r.message += "; some processes it started could not be killed";
    r.message += note;
    return r;
}

} // namespace wb::sandbox::detail
