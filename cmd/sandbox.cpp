// `wbtool sandbox`: run one command under a sandbox policy and print how it
// ended. Admins check a toolchain under a profile with it; the benchmarks
// time it. The grading pipeline calls the same engine in process. The
// policy, the work directory and the result are core's
// (core/sandbox_command.h); this file parses, catches signals and prints.
//
// Less than full isolation (a user namespace, rlimits, no cgroup) is a warning line
// on stderr, besides the result. SIGTERM, SIGINT and SIGHUP stop the run
// cleanly: a handler writes the signal into a self-pipe that the sandbox
// watches (Policy::cancel_fd), the tree is killed, the result is printed
// (wall_time_limit, cancelled) and a private work directory is gone; wbtool
// then exits with 128 + the signal. Without --workdir the program works in
// the sandbox's private one (sandbox/workdir.h): a tmpfs at /box that ends
// with the run's namespaces; with --no-isolation a temporary directory,
// /tmp/wbtool-sandbox-<pid>-XXXXXX, which the next run removes if a SIGKILL
// left it.
// --release-prepared removes what runs keep between processes (the shared
// namespaces and compiled filters in /run/wbtool; see sandbox.h).
#include "cmd/common.h"
#include "core/error.h"
#include "core/sandbox_command.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

namespace wb::cmd {
namespace {

struct SandboxArgs {
    std::string profile = "run";
    double time_limit = 3;
    double wall_limit = 0;
    std::uint64_t memory_mib = 512;
    std::uint32_t processes = 64;
    std::uint64_t output_kib = 64 * 1024;
    std::vector<std::string> binds;
    std::string workdir;
    bool json = false;
    bool no_isolation = false;
    std::string min_isolation = "rlimits";
    bool release_prepared = false;
    bool audit_syscalls = false;
    std::vector<std::string> command;
};

// ---- stopping on a signal ----

int cancel_pipe[2] = {-1, -1};
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int sig) {
    if (stop_signal == 0) stop_signal = sig;
    const int saved = errno;
    const char byte = static_cast<char>(sig);
    (void)!write(cancel_pipe[1], &byte, 1);
    errno = saved;
}

// Installs the handlers; returns the read end for Policy::cancel_fd.
int catch_stop_signals() {
    if (pipe2(cancel_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        throw InternalError("cannot create a pipe for signals: " +
                            std::string(std::strerror(errno)));
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int sig : {SIGTERM, SIGINT, SIGHUP})
        sigaction(sig, &sa, nullptr);
    return cancel_pipe[0];
}

int run_sandbox(const SandboxArgs& a) {
    if (a.release_prepared) {
        if (!a.command.empty()) throw InputError("--release-prepared takes no command");
        core::release_sandbox_prepared();
        return exit_ok;
    }
    if (a.command.empty())
        throw InputError("no command to run: wbtool sandbox [OPTIONS] -- PROGRAM [ARGS...]");
    core::SandboxRequest req;
    req.profile = a.profile;
    req.time_limit = a.time_limit;
    req.wall_limit = a.wall_limit;
    req.memory_mib = a.memory_mib;
    req.processes = a.processes;
    req.output_kib = a.output_kib;
    req.binds = a.binds;
    req.workdir = a.workdir;
    req.no_isolation = a.no_isolation;
    req.min_isolation = a.min_isolation;
    req.command = a.command;
    req.audit_syscalls = a.audit_syscalls;
    // The program's stdout and stderr are counted through wbtool's pipe
    // and copied to our stderr (the result goes to stdout). The program
    // never gets our stderr itself: it may be a terminal or a log file.
    req.forward_fd = STDERR_FILENO;
    req.cancel_fd = catch_stop_signals();
    const auto report = core::run_sandbox_command(req);
    const int stopped_by = stop_signal;

    if (!report.warning.empty()) fmt::print(stderr, "wbtool: warning: {}\n", report.warning);
    const auto& r = report.result;
    if (a.json) {
        fmt::print("{}\n", r.dump());
    } else {
        // The labels padded by the format, as in every other table of wbtool.
        const auto row = [](std::string_view label, const auto& value) {
            fmt::print("{:<13} {}\n", label, value);
        };
        row("status", r["status"].get<std::string>());
        row("exit code", r["exit_code"].get<int>());
        row("signal", r["signal"].get<int>());
        row("cpu user", fmt::format("{:.3f} s", r["cpu_user_s"].get<double>()));
        row("cpu system", fmt::format("{:.3f} s", r["cpu_sys_s"].get<double>()));
        row("wall", fmt::format("{:.3f} s", r["wall_s"].get<double>()));
        row("max rss", fmt::format("{} KiB", r["max_rss_kib"].get<std::uint64_t>()));
        row("ctx switches",
            fmt::format("{} voluntary, {} involuntary", r["voluntary_ctxsw"].get<std::int64_t>(),
                        r["involuntary_ctxsw"].get<std::int64_t>()));
        row("bytes written", r["bytes_written"].get<std::uint64_t>());
        row("isolation", r["isolation"].get<std::string>());
        row("message", r["message"].get<std::string>());
        if (r.contains("audited_syscalls")) {
            std::string calls;
            for (const auto& c : r["audited_syscalls"])
                calls += (calls.empty() ? "" : " ") + c.get<std::string>();
            row("audited", calls.empty() ? "(none outside the profile)" : calls);
        }
    }
    if (stopped_by != 0) {
        fmt::print(stderr, "wbtool: stopped by {}\n",
                   sigabbrev_np(stopped_by) ? std::string("SIG") + sigabbrev_np(stopped_by)
                                            : "signal " + std::to_string(stopped_by));
        return 128 + stopped_by;
    }
    if (report.internal_error) return exit_internal;
    return report.ok ? exit_ok : exit_not_correct;
}

// The run is over and everything it made is removed; what is left is
// libraries' own teardown at exit (OpenSSL's cleanup, every static
// destructor), about a millisecond that a result nobody waits for does not
// need: flush what was printed and end here.
[[noreturn]] void finish(int code) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr, "wbtool: error: cannot write the result: %s\n", std::strerror(errno));
        if (code == exit_ok) code = exit_internal;
    }
    std::fflush(stderr);
    std::_Exit(code);
}

} // namespace

void add_sandbox(CLI::App& app, Globals&, Action& action) {
    auto a = std::make_shared<SandboxArgs>();
    auto* sub =
        app.add_subcommand("sandbox", "Run one command in the sandbox and print its result");
    sub->add_option("--profile", a->profile,
                    "System-call profile: run, compile, or cuda (run with the GPU's devices and "
                    "driver)")
        ->check(CLI::IsMember({"run", "compile", "cuda"}));
    sub->add_flag("--audit-syscalls", a->audit_syscalls,
                  "Let system calls outside the profile through and list them (to find what a "
                  "toolchain needs; never for untrusted code)");
    sub->add_option("--time-limit", a->time_limit, "CPU time limit in seconds (0: none)");
    sub->add_option("--wall-limit", a->wall_limit, "Wall-clock limit in seconds (0: 2 x CPU + 1)");
    sub->add_option("--memory-limit", a->memory_mib, "Memory limit in MiB (0: none)");
    sub->add_option("--processes", a->processes, "Processes and threads (0: none)");
    sub->add_option("--output-limit", a->output_kib, "stdout + stderr limit in KiB");
    sub->add_option("--bind", a->binds,
                    "Make SRC visible at DST (default: the same path), read-only unless :rw")
        ->type_name("SRC[:DST][:rw]");
    sub->add_option("--workdir", a->workdir,
                    "Work directory (writable; default: a private one that ends with the run)")
        ->type_name("DIR");
    sub->add_flag("--json", a->json, "Print the result as JSON");
    sub->add_flag("--no-isolation", a->no_isolation,
                  "rlimits and the seccomp filter only: no namespaces or cgroup");
    add_min_isolation(sub, a->min_isolation, "run");
    sub->add_flag("--release-prepared", a->release_prepared,
                  "Remove what runs prepare ahead and keep (/run/wbtool) and exit");
    sub->add_option("command", a->command, "PROGRAM ARGS...")->type_name("COMMAND");
    sub->positionals_at_end();
    sub->callback([a, &action] { action = [a]() -> int { finish(run_sandbox(*a)); }; });
}

} // namespace wb::cmd
