// `wbtool sandbox`'s decisions (see sandbox_command.h).
#include "core/sandbox_command.h"

#include "core/error.h"
#include "core/gpu_access.h"
#include "sandbox/sandbox.h"

#include <cstdlib>
#include <filesystem>

namespace wb::core {
namespace {

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

} // namespace

sandbox::Isolation min_isolation_flag(const std::string& level) {
    sandbox::Isolation i = sandbox::Isolation::rlimits;
    if (!sandbox::parse_isolation(level, i))
        throw InputError("--min-isolation must be full, userns or rlimits, not '" + level + "'");
    return i;
}

SandboxReport run_sandbox_command(const SandboxRequest& a) {
    sandbox::Policy p;
    if (a.profile == "run")
        p.profile = sandbox::Profile::run;
    else if (a.profile == "compile")
        p.profile = sandbox::Profile::compile;
    else if (a.profile == "cuda")
        allow_gpu(p);
    else
        throw InputError("--profile must be run, compile or cuda, not '" + a.profile + "'");
    p.audit_syscalls = a.audit_syscalls;
    p.limits.cpu_s = a.time_limit;
    p.limits.wall_s = a.wall_limit;
    p.limits.memory_kib = a.memory_mib * 1024;
    p.limits.processes = a.processes;
    p.limits.output_bytes = a.output_kib * 1024;
    p.isolate = !a.no_isolation;
    p.minimum_isolation = min_isolation_flag(a.min_isolation);
    if (!p.isolate && p.minimum_isolation != sandbox::Isolation::rlimits)
        throw InputError("--no-isolation gives rlimits isolation, below --min-isolation " +
                         a.min_isolation + ": drop one of the two");
    for (const auto& spec : a.binds)
        p.binds.push_back(parse_bind(spec));
    p.env = {"PATH=" + environment_path(), "LANG=C.UTF-8", "HOME=/tmp", "TMPDIR=/tmp"};

    // Without --workdir, the sandbox's private one (sandbox/workdir.h).
    if (!a.workdir.empty()) {
        p.workdir = std::filesystem::absolute(a.workdir);
        if (!std::filesystem::is_directory(p.workdir))
            throw InputError("--workdir '" + a.workdir + "' is not a directory");
    }
    p.forward_fd = a.forward_fd;
    p.cancel_fd = a.cancel_fd;
    // One run, timed by whoever called wbtool: its keeper starts now and
    // mounts the base of its root while run() plans the rest.
    sandbox::start_next_keeper(p);
    const auto r = sandbox::run(p, a.command);

    SandboxReport report;
    report.warning = r.warning;
    if (a.no_isolation && !report.warning.empty()) {
        const std::string asked = "isolation was not asked for";
        if (auto at = report.warning.find(asked); at != std::string::npos)
            report.warning.replace(at, asked.size(), "--no-isolation");
    }
    report.result = {{"status", sandbox::to_string(r.status)},
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
    if (a.audit_syscalls) report.result["audited_syscalls"] = r.audited_syscalls;
    report.ok = r.status == sandbox::Status::ok;
    report.internal_error = r.status == sandbox::Status::internal_error;
    return report;
}

void release_sandbox_prepared() {
    const std::string problem = sandbox::release_prepared();
    if (!problem.empty()) throw InternalError(problem);
}

} // namespace wb::core
