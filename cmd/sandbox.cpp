// `wbtool sandbox`: run one command under a sandbox policy and print how it
// ended. Admins check a toolchain under a profile with it; the benchmarks
// time it. The grading pipeline calls the same engine in process.
#include "cmd/common.h"

#include "core/error.h"
#include "sandbox/sandbox.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <memory>

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
    std::vector<std::string> command;
};

sandbox::Bind parse_bind(const std::string& spec) {
    // SRC[:DST][:rw]
    sandbox::Bind b;
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        auto colon = spec.find(':', start);
        parts.push_back(spec.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (parts.size() > 1 && (parts.back() == "rw" || parts.back() == "ro")) {
        b.writable = parts.back() == "rw";
        parts.pop_back();
    }
    if (parts.empty() || parts.size() > 2 || parts[0].empty())
        throw InputError("--bind '" + spec + "': expected SRC[:DST][:rw]");
    b.source = std::filesystem::absolute(parts[0]);
    if (parts.size() == 2) b.target = parts[1];
    return b;
}

std::string environment_path() {
    const char* path = std::getenv("PATH");
    return path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
}

int run_sandbox(const SandboxArgs& a) {
    sandbox::Policy p;
    if (a.profile == "run")
        p.profile = sandbox::Profile::run;
    else if (a.profile == "compile")
        p.profile = sandbox::Profile::compile;
    else
        throw InputError("--profile must be run or compile, not '" + a.profile + "'");
    p.limits.cpu_s = a.time_limit;
    p.limits.wall_s = a.wall_limit;
    p.limits.memory_kib = a.memory_mib * 1024;
    p.limits.processes = a.processes;
    p.limits.output_bytes = a.output_kib * 1024;
    p.isolate = !a.no_isolation;
    for (const auto& spec : a.binds) p.binds.push_back(parse_bind(spec));
    p.env = {"PATH=" + environment_path(), "LANG=C.UTF-8", "HOME=/tmp", "TMPDIR=/tmp"};

    // Without --workdir, a fresh directory that is removed afterwards.
    std::filesystem::path workdir = a.workdir;
    bool temporary = false;
    if (workdir.empty()) {
        std::string tmpl = (std::filesystem::temp_directory_path() / "wbtool-sandbox-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw InternalError("cannot create a work directory in " +
                                                       std::filesystem::temp_directory_path().string());
        workdir = tmpl;
        temporary = true;
    }
    p.workdir = std::filesystem::absolute(workdir);
    if (!std::filesystem::is_directory(p.workdir))
        throw InputError("--workdir '" + workdir.string() + "' is not a directory");
    // The program's stdout and stderr are counted through wbtool's pipe
    // and copied to our stderr (the result goes to stdout). The program
    // never gets our stderr itself: it may be a terminal or a log file.
    p.forward_fd = STDERR_FILENO;
    const auto r = sandbox::run(p, a.command);
    if (temporary) {
        std::error_code ec;
        std::filesystem::remove_all(workdir, ec);
    }

    if (a.json) {
        nlohmann::json j{{"status", sandbox::to_string(r.status)},
                         {"exit_code", r.exit_code},
                         {"signal", r.signal},
                         {"cpu_user_s", r.cpu_user_s},
                         {"cpu_sys_s", r.cpu_sys_s},
                         {"wall_s", r.wall_s},
                         {"max_rss_kib", r.max_rss_kib},
                         {"voluntary_ctxsw", r.voluntary_ctxsw},
                         {"involuntary_ctxsw", r.involuntary_ctxsw},
                         {"bytes_written", r.bytes_written},
                         {"isolation", sandbox::to_string(r.isolation)},
                         {"message", r.message}};
        fmt::print("{}\n", j.dump());
    } else {
        fmt::print(
                   "status       {}\nexit code    {}\nsignal       {}\ncpu user     {:.3f} s\n"
                   "cpu system   {:.3f} s\nwall         {:.3f} s\nmax rss      {} KiB\n"
                   "ctx switches {} voluntary, {} involuntary\nbytes written {}\n"
                   "isolation    {}\nmessage      {}\n",
                   sandbox::to_string(r.status), r.exit_code, r.signal, r.cpu_user_s, r.cpu_sys_s,
                   r.wall_s, r.max_rss_kib, r.voluntary_ctxsw, r.involuntary_ctxsw, r.bytes_written,
                   sandbox::to_string(r.isolation), r.message);
    }
    if (r.status == sandbox::Status::internal_error) return exit_internal;
    return r.status == sandbox::Status::ok ? exit_ok : exit_not_correct;
}

} // namespace

void add_sandbox(CLI::App& app, Globals&, Action& action) {
    auto a = std::make_shared<SandboxArgs>();
    auto* sub = app.add_subcommand("sandbox", "Run one command in the sandbox and print its result");
    sub->add_option("--profile", a->profile, "System-call profile: run or compile")
        ->check(CLI::IsMember({"run", "compile"}));
    sub->add_option("--time-limit", a->time_limit, "CPU time limit in seconds (0: none)");
    sub->add_option("--wall-limit", a->wall_limit, "Wall-clock limit in seconds (0: 2 x CPU + 1)");
    sub->add_option("--memory-limit", a->memory_mib, "Memory limit in MiB (0: none)");
    sub->add_option("--processes", a->processes, "Processes and threads (0: none)");
    sub->add_option("--output-limit", a->output_kib, "stdout + stderr limit in KiB");
    sub->add_option("--bind", a->binds, "Make SRC visible at DST (default: the same path), read-only unless :rw")
        ->type_name("SRC[:DST][:rw]");
    sub->add_option("--workdir", a->workdir, "Work directory (writable; default: a fresh temporary one)")
        ->type_name("DIR");
    sub->add_flag("--json", a->json, "Print the result as JSON");
    sub->add_flag("--no-isolation", a->no_isolation, "rlimits only, no namespaces, cgroups or seccomp");
    sub->add_option("command", a->command, "PROGRAM ARGS...")->required();
    sub->positionals_at_end();
    sub->callback([a, &action] { action = [a] { return run_sandbox(*a); }; });
}

} // namespace wb::cmd
