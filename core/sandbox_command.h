// `wbtool sandbox` behind its command line: a policy from the admin's
// flags (without --workdir, the sandbox's private work directory:
// sandbox/workdir.h), the run, and its result as the JSON the command prints. cmd/sandbox.cpp
// parses flags, catches the stop signals and prints; this decides. Less than
// full isolation is a warning line, besides the result.
#pragma once

#include "sandbox/sandbox.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace wb::core {

struct SandboxRequest {
    std::string profile = "run"; // run | compile | cuda (core/gpu_access.h)
    bool audit_syscalls = false; // let calls outside the profile through, and list them
    double time_limit = 3;
    double wall_limit = 0;
    std::uint64_t memory_mib = 512;
    std::uint32_t processes = 64;
    std::uint64_t output_kib = 64 * 1024;
    std::vector<std::string> binds; // SRC[:DST][:rw]
    std::string workdir;            // empty: a private one, gone after (sandbox/workdir.h)
    bool no_isolation = false;
    std::string min_isolation = "rlimits"; // full | userns | rlimits: less is refused
    std::vector<std::string> command;
    int cancel_fd = -1;  // readable: stop the run (a stop signal arrived)
    int forward_fd = -1; // the program's output is copied here, up to the limit
};

struct SandboxReport {
    // status, exit_code, signal, cpu_user_s, cpu_sys_s, wall_s, max_rss_kib,
    // voluntary_ctxsw, involuntary_ctxsw, bytes_written, isolation, message;
    // audited_syscalls with SandboxRequest::audit_syscalls
    nlohmann::json result;
    std::string warning;         // why isolation is less than full; empty if it is not
    bool ok = false;             // status ok
    bool internal_error = false; // the sandbox failed, not the program
};

// The value of --min-isolation (here and on `wbtool grade`); throws
// wb::InputError for anything but full, userns or rlimits.
sandbox::Isolation min_isolation_flag(const std::string& level);

// Throws wb::InputError for bad flags (a bind, the profile, the workdir,
// --no-isolation with a --min-isolation above rlimits). A run refused for
// less isolation than --min-isolation is a result: internal_error, "refused: ...".
SandboxReport run_sandbox_command(const SandboxRequest& request);

// Removes what runs prepare ahead and keep between processes (/run/wbtool);
// throws wb::InternalError with the reason when it cannot.
void release_sandbox_prepared();

} // namespace wb::core
