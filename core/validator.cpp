// Output validators (see validator.h). The validator's limits are its own,
// not the program's: generous, since a slow validator must not turn a
// correct answer into a verdict (docs/mp-format.md, "Output validators").
#include "core/validator.h"

#include "core/compiler_sandbox.h"
#include "core/error.h"
#include "core/files.h"
#include "core/output_format.h"
#include "core/program.h"
#include "core/toolchain.h"
#include "sandbox/sandbox.h"

#include <fmt/format.h>

#include <algorithm>

namespace wb::core {
namespace {

namespace fs = std::filesystem;

constexpr double validator_cpu_s = 10;
constexpr std::uint64_t validator_memory_mib = 1024;
constexpr std::uint64_t validator_output_bytes = 1 << 20;
constexpr std::uint32_t validator_processes = 16;
// What of judgemessage.txt becomes the message: its first lines, cut.
constexpr std::size_t message_lines = 3;
constexpr std::size_t message_bytes = 300;

// The first lines of a validator's message, joined by " / ", at most
// message_bytes: a message is one line of a table.
std::string first_lines(const std::string& text) {
    std::string out;
    std::size_t lines = 0;
    std::size_t pos = 0;
    while (pos < text.size() && lines < message_lines) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        if (line.empty()) continue;
        out += (out.empty() ? "" : " / ") + line;
        ++lines;
    }
    if (out.size() > message_bytes) out = out.substr(0, message_bytes - 3) + "...";
    return out;
}

sandbox::Policy validator_policy(const Mp& mp, const fs::path& vdir, const Dataset& ds,
                                 const fs::path& produced, sandbox::Isolation minimum) {
    sandbox::Policy p;
    p.minimum_isolation = minimum;
    p.profile = sandbox::Profile::run;
    for (const auto& in : ds.inputs)
        p.binds.push_back({fs::absolute(in), {}, false});
    p.binds.push_back({fs::absolute(ds.expected), {}, false});
    p.stdin_path = produced;
    p.limits.cpu_s = std::max(validator_cpu_s, mp.limits.run_s);
    p.limits.wall_s = 3 * p.limits.cpu_s + 2;
    p.limits.memory_kib = std::max(validator_memory_mib, mp.limits.memory_mib) * 1024;
    p.limits.processes = validator_processes;
    p.limits.output_bytes = validator_output_bytes;
    p.workdir = vdir;
    p.stdout_path = vdir / "stdout";
    p.stderr_path = vdir / "stderr";
    p.env = {"PATH=" + toolchain_path(), "HOME=" + vdir.string(), "TMPDIR=" + vdir.string(),
             "LANG=C.UTF-8"};
    return p;
}

} // namespace

CompileResult compile_validator(const Mp& mp, const fs::path& cache_dir,
                                sandbox::Isolation minimum) {
    Mp v = mp;
    v.toolchain = mp.validator_toolchain;
    v.flags.clear();
    v.compile_command.clear();
    v.limits.compile_s = std::max(mp.limits.compile_s, 60.0);
    const std::string name = mp.validator.filename().string();
    auto r = compile_program(v, make_program(name, read_file(mp.validator)), cache_dir, minimum);
    if (r.verdict == Verdict::compile_error) {
        r.verdict = Verdict::internal_error;
        r.message = fmt::format("the output validator {} does not compile: {}", name,
                                first_error_line(r.output));
    }
    return r;
}

ValidatorVerdict run_validator(const Mp& mp, const fs::path& exe, const Dataset& ds,
                               const fs::path& produced, const fs::path& dir,
                               sandbox::Isolation minimum) {
    ValidatorVerdict v;
    // `produced` sits in the directory the program owned: it may have made
    // it a link to the expected output, which the validator would then
    // accept. What it wrote is read here without following a link, and the
    // validator reads a copy from a directory the program never saw (the
    // job directory, 0700, is not inside its sandbox).
    auto output = output_format::read_file(produced, mp.limits.output_kib * 1024 + 1,
                                           output_format::Links::refuse);
    switch (output.status) {
    case output_format::ReadStatus::ok:
    case output_format::ReadStatus::missing:
        break;
    case output_format::ReadStatus::symlink:
        v.verdict = Verdict::wrong_answer;
        v.message = "the output file is a symbolic link; the program must write a regular file";
        return v;
    case output_format::ReadStatus::not_regular:
        v.verdict = Verdict::wrong_answer;
        v.message = "the output file is not a regular file";
        return v;
    case output_format::ReadStatus::too_large:
        v.verdict = Verdict::wrong_answer;
        v.message = "the output is over the output limit";
        return v;
    case output_format::ReadStatus::io_error:
        v.verdict = Verdict::wrong_answer;
        v.message = "cannot read the output: " + output.detail;
        return v;
    }
    const fs::path vdir = make_temp_dir(dir.parent_path(), "validator");
    const fs::path team_output = vdir / "team_output";
    write_file_atomic(team_output, output.bytes);
    const fs::path feedback = vdir / "feedback";
    fs::create_directories(feedback);
    // The sandbox makes only the work directory the validator's own (its
    // uid may be another); the feedback directory inside it must be
    // writable too. Nobody else can reach it: the job directory is 0700,
    // and this directory was made here, fresh.
    fs::permissions(feedback, fs::perms::all);
    std::vector<std::string> argv = {copy_executable(exe, vdir, "validator").string(),
                                     ds.inputs.empty() ? std::string("/dev/null")
                                                       : fs::absolute(ds.inputs.front()).string(),
                                     fs::absolute(ds.expected).string(), feedback.string() + "/"};
    argv.insert(argv.end(), mp.validator_flags.begin(), mp.validator_flags.end());
    const auto run = sandbox::run(validator_policy(mp, vdir, ds, team_output, minimum), argv);

    const std::string said = first_lines(read_file_ends(feedback / "judgemessage.txt", 4096));
    const bool exited =
        run.status == sandbox::Status::ok || run.status == sandbox::Status::runtime_error;
    if (exited && run.exit_code == validator_accept) {
        v.verdict = Verdict::correct;
        return v;
    }
    if (exited && run.exit_code == validator_reject) {
        v.verdict = Verdict::wrong_answer;
        v.message = said.empty() ? "the output validator rejected the answer" : said;
        return v;
    }
    // The validator's failure: what it said, else the last of its stderr.
    std::string why = said;
    if (why.empty()) {
        const std::string err = read_file_ends(vdir / "stderr", 4096);
        const auto end = err.find_last_not_of(" \t\r\n");
        if (end != std::string::npos) {
            const auto start = err.rfind('\n', end);
            why = first_lines(err.substr(start == std::string::npos ? 0 : start + 1));
        }
    }
    v.verdict = Verdict::internal_error;
    v.message = fmt::format("the output validator failed ({}; it must exit {} to accept or {} to "
                            "reject){}",
                            exited ? fmt::format("exit code {}", run.exit_code) : run.message,
                            validator_accept, validator_reject, why.empty() ? "" : ": " + why);
    return v;
}

} // namespace wb::core
