// The compilers' sandbox policy (see compiler_sandbox.h).
#include "core/compiler_sandbox.h"

#include "core/files.h"
#include "core/toolchain.h"

namespace wb::core {

sandbox::Policy compiler_policy(const CompilerSandbox& box) {
    sandbox::Policy policy;
    policy.profile = sandbox::Profile::compile;
    policy.minimum_isolation = box.minimum;
    policy.limits.cpu_s = box.cpu_s;
    // CPU time is the real limit; the wall clock only catches a compiler that
    // hangs, and must not fail a compile on a busy machine.
    policy.limits.wall_s = box.cpu_s * 3 + 30;
    policy.limits.memory_kib = 4ull << 20; // compilers (cicc, cc1plus) need room
    policy.limits.processes = 128;
    policy.limits.output_bytes = 4ull << 20;
    policy.limits.file_bytes = 1ull << 30;
    policy.workdir = box.workdir; // the sources and what the compiler writes live here
    // libwb's files one by one: each is world-readable, but the directory
    // that holds them is private to wbtool (made by mkdtemp), and holds the
    // compiled objects too, which are bound one by one as well.
    for (const auto& entry : std::filesystem::directory_iterator(box.libwb_dir))
        if (entry.is_regular_file())
            policy.binds.push_back({std::filesystem::absolute(entry.path()), {}, false});
    for (const auto& file : box.read_only)
        policy.binds.push_back({std::filesystem::absolute(file), {}, false});
    policy.stdout_path = box.workdir / "compile.log";
    policy.stderr_path = box.workdir / "compile.log";
    policy.env = {"PATH=" + toolchain_path(), "HOME=" + box.workdir.string(),
                  "TMPDIR=" + box.workdir.string(), "LANG=C.UTF-8"};
    return policy;
}

std::string compiler_output(const std::filesystem::path& workdir, std::size_t max_bytes) {
    std::string text = read_file_ends(workdir / "compile.log", max_bytes);
    const std::string prefix = workdir.string() + "/";
    for (auto pos = text.find(prefix); pos != std::string::npos; pos = text.find(prefix, pos))
        text.erase(pos, prefix.size());
    return truncate_middle(text, max_compiler_output_bytes);
}

std::string first_error_line(const std::string& output) {
    std::size_t start = 0;
    while (start < output.size()) {
        auto end = output.find('\n', start);
        if (end == std::string::npos) end = output.size();
        auto line = output.substr(start, end - start);
        if (line.find("error") != std::string::npos) return line;
        start = end + 1;
    }
    return output.substr(0, output.find('\n'));
}

} // namespace wb::core
