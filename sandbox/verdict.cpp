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
            // A tmpfs's source is its options, not a path.
            const bool tmpfs = op.kind == MountOp::tmpfs || op.kind == MountOp::top_dir;
            const std::string what = tmpfs       ? std::string("a tmpfs")
                                     : op.source ? std::string(op.source)
                                                 : std::string("it");
            return "cannot mount " + what + " at " + target + " in the sandbox: " + err;
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

// The figures of a run that ended (not a setup failure): CPU, wall-clock,
// memory, context switches, output, and how the program ended.
Result figures(const Outcome& o, Isolation isolation) {
    Result r;
    r.isolation = isolation;
    r.cpu_user_s = seconds(o.usage.ru_utime);
    r.cpu_sys_s = seconds(o.usage.ru_stime);
    r.wall_s = o.wall_s;
    r.max_rss_kib = std::max<std::uint64_t>(
        static_cast<std::uint64_t>(std::max(0L, o.usage.ru_maxrss)), o.peak_memory_kib);
    // Not the cgroup's peak: it counts the page cache of files the program
    // wrote (v1 max_usage_in_bytes, v2 memory.peak), which is reclaimed,
    // never what killed a program; a cgroup's real out-of-memory is its
    // oom_kill count (Verdict::by_itself).
    r.voluntary_ctxsw = o.usage.ru_nvcsw;
    r.involuntary_ctxsw = o.usage.ru_nivcsw;
    r.bytes_written = o.output_bytes;
    const int ws = o.wait_status;
    if (o.end == Outcome::End::finished && WIFSIGNALED(ws)) r.signal = WTERMSIG(ws);
    if (o.end == Outcome::End::finished && WIFEXITED(ws)) r.exit_code = WEXITSTATUS(ws);
    return r;
}

// The verdict of a run that ended, one status per member function, in the
// order verdict.h gives.
class Verdict {
  public:
    Verdict(const Outcome& o, const VerdictInputs& in)
        : o_(o), in_(in), lim_(in.limits), r_(figures(o, in.isolation)) {
        const bool exited = o.end == Outcome::End::finished && WIFEXITED(o.wait_status);
        abnormal_ = r_.signal != 0 || (exited && r_.exit_code != 0);
        death_ =
            r_.signal ? describe_signal(r_.signal) : format("exited with code %d", r_.exit_code);
        cpu_ = std::max(r_.cpu_s(), o.cpu_seen_s);
        if (in.cgroup) cpu_ = std::max(cpu_, in.cgroup->cpu_s);
    }

    Result take() && {
        if (o_.killed_for == KillReason::none)
            by_itself();
        else
            killed();
        return std::move(r_);
    }

  private:
    // The parent killed the tree, and knows why.
    void killed() {
        switch (o_.killed_for) {
        case KillReason::syscall:
            r_.status = Status::forbidden_syscall;
            r_.message = "forbidden system call '" + o_.syscall + "' (not allowed in the " +
                         std::string(to_string(in_.profile)) + " profile); the program was stopped";
            break;
        case KillReason::cpu:
            time_limit();
            break;
        case KillReason::wall:
            wall_limit();
            break;
        case KillReason::cancel:
            r_.status = Status::wall_time_limit;
            r_.message = format("cancelled after %.2f s of wall-clock time (%.2f s of CPU time): "
                                "the run was stopped by its caller",
                                r_.wall_s, cpu_);
            break;
        case KillReason::output:
            output_limit();
            break;
        case KillReason::memory:
            r_.status = Status::memory_limit;
            r_.message = "memory use of " + mib(o_.peak_memory_kib) + " over the limit of " +
                         mib(lim_.memory_kib);
            break;
        case KillReason::none:
            break;
        }
    }

    // The program ended without the parent: what explains it, in order.
    void by_itself() {
        const std::uint64_t out_limit = lim_.output_bytes;
        if (lim_.cpu_s > 0 && (r_.signal == SIGXCPU || cpu_ > lim_.cpu_s)) {
            time_limit();
        } else if (in_.cgroup && in_.cgroup->oom_kills > 0) {
            oom_killed();
        } else if (in_.isolation != Isolation::rlimits && r_.signal == SIGSYS) {
            r_.status = Status::forbidden_syscall;
            r_.message =
                "forbidden system call of a foreign architecture (i386 or x32 entry); " + death_;
        } else if (r_.signal == SIGXFSZ || (out_limit > 0 && o_.output_bytes > out_limit)) {
            output_limit();
        } else if (in_.wall_limit_s > 0 && r_.wall_s > in_.wall_limit_s) {
            wall_limit();
        } else if (probably_out_of_memory()) {
            r_.status = Status::memory_limit;
            r_.message = death_ + " at " + mib(r_.max_rss_kib) + " of memory, near the limit of " +
                         mib(lim_.memory_kib) + ": probably out of memory";
        } else {
            r_.status = r_.signal      ? Status::signaled
                        : r_.exit_code ? Status::runtime_error
                                       : Status::ok;
            r_.message = death_;
        }
    }

    // The memory heuristic of verdict.h, where no cgroup enforces the limit.
    bool probably_out_of_memory() const {
        if (!abnormal_ || (in_.cgroup && in_.cgroup_memory) || lim_.memory_kib == 0) return false;
        return r_.max_rss_kib * 10 >= lim_.memory_kib * 9 ||
               (in_.data_limit_kib > 0 && o_.peak_data_kib * 10 >= in_.data_limit_kib * 9);
    }

    void oom_killed() {
        const std::uint64_t kills = in_.cgroup->oom_kills;
        r_.status = Status::memory_limit;
        r_.message =
            "memory limit of " + mib(lim_.memory_kib) + " reached: the kernel killed " +
            (kills == 1 ? std::string("a process")
                        : format("%llu processes", static_cast<unsigned long long>(kills))) +
            " of the program (" + death_ + ")";
    }

    void time_limit() {
        r_.status = Status::time_limit;
        r_.message = format("CPU time %.2f s over the limit of %g s", cpu_, lim_.cpu_s);
    }

    void output_limit() {
        r_.status = Status::output_limit;
        const std::uint64_t out_limit = lim_.output_bytes;
        if (out_limit > 0 && o_.output_bytes > out_limit)
            r_.message =
                "output of " + bytes(o_.output_bytes) + " over the limit of " + bytes(out_limit);
        else
            r_.message = "a file reached the size limit of " +
                         bytes(std::max(lim_.file_bytes, lim_.output_bytes)) + " (SIGXFSZ)";
    }

    void wall_limit() {
        r_.status = Status::wall_time_limit;
        r_.message = format("wall-clock time %.2f s over the limit of %g s with only %.2f s of "
                            "CPU time: the program was waiting (sleeping, blocked on a read, or "
                            "the machine was overloaded)",
                            r_.wall_s, in_.wall_limit_s, cpu_);
    }

    const Outcome& o_;
    const VerdictInputs& in_;
    const Limits& lim_;
    Result r_;
    bool abnormal_ = false;
    std::string death_;
    double cpu_ = 0;
};

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
    // A failure before execve, or a tree lost for a reason the parent did
    // not choose: the sandbox's, not the program's.
    const bool chosen = o.killed_for == KillReason::wall || o.killed_for == KillReason::syscall ||
                        o.killed_for == KillReason::cancel;
    if (o.end == Outcome::End::setup_failed || (o.end == Outcome::End::lost && !chosen)) {
        Result r = internal_error(o.end == Outcome::End::setup_failed ? setup_message(o.failure, in)
                                                                      : o.problem);
        r.isolation = in.isolation;
        return r;
    }
    Result r = Verdict(o, in).take();
    if (o.leftovers > 0) r.message += "; some processes it started could not be killed";
    r.message += note;
    return r;
}

} // namespace wb::sandbox::detail
