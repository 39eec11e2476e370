// Compiling libwb.o into the cache (see libwb_object.h).
#include "core/libwb_object.h"

#include "core/compiler_sandbox.h"
#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/libwb.h"
#include "core/toolchain.h"
#include "sandbox/sandbox.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wb::core {
namespace {

// libwb's CPU time is the grader's, not the MP's: generous, since its
// failure is an internal error. nvcc takes about 2.5 s here.
constexpr double libwb_compile_cpu_s = 120;

std::filesystem::path objects_dir(const std::filesystem::path& libwb_dir) {
    return libwb_dir / "objects";
}

// The command as a TA would run it again: with the object's final path
// rather than the temporary directory, which is gone by then.
std::string shown_command(const Mp& mp, const std::filesystem::path& libwb_dir,
                          const LibwbObject& object) {
    const auto cmd = libwb_object_command(mp, libwb_dir, object.path);
    std::string out;
    for (const auto& a : cmd->argv)
        out += (out.empty() ? "" : " ") + a;
    return out;
}

// Why a compile of libwb.o that did not succeed failed, in one line.
std::string failure(const sandbox::Result& run, const std::string& output) {
    switch (run.status) {
    case sandbox::Status::runtime_error:
        return first_error_line(output);
    case sandbox::Status::time_limit:
    case sandbox::Status::wall_time_limit:
        return "the compiler ran out of time (" + run.message + ")";
    default:
        return run.message;
    }
}

} // namespace

std::optional<LibwbObject> libwb_object_for(const Mp& mp, const std::filesystem::path& libwb_dir) {
    // The key is computed over placeholder paths, as a program's is, so
    // that it does not depend on where the cache is.
    const auto probe = libwb_object_command(mp, "LIBWB", "OUT/libwb.o");
    if (!probe) return std::nullopt;
    Hasher h;
    h.add("wbtool-libwb-object-v1").add(libwb_hash()).add(probe->compiler_version);
    for (const auto& a : probe->argv)
        h.add(a);
    LibwbObject object;
    object.key = h.hex();
    object.path = objects_dir(libwb_dir) / object.key.substr(0, 16) / "libwb.o";
    return object;
}

LibwbObjectBuild ensure_libwb_object(const Mp& mp, const LibwbObject& object,
                                     const std::filesystem::path& libwb_dir,
                                     sandbox::Isolation minimum) {
    LibwbObjectBuild b;
    if (std::filesystem::exists(object.path)) {
        b.ok = true;
        return b;
    }
    std::error_code ec;
    std::filesystem::create_directories(objects_dir(libwb_dir), ec);
    const auto tmp = make_temp_dir(objects_dir(libwb_dir), ".build");
    const auto cmd = libwb_object_command(mp, libwb_dir, tmp / "libwb.o");
    if (!cmd) throw InternalError(fmt::format("{}: no libwb object for this toolchain", mp.id));
    CompilerSandbox box;
    box.workdir = tmp;
    box.libwb_dir = libwb_dir;
    box.cpu_s = libwb_compile_cpu_s;
    box.minimum = minimum;
    const auto policy = compiler_policy(box);
    const auto run = sandbox::run(policy, cmd->argv);
    if (run.status != sandbox::Status::ok || !std::filesystem::exists(tmp / "libwb.o")) {
        b.output = compiler_output(tmp, policy.limits.output_bytes);
        remove_tree(tmp);
        // A refusal for too little isolation is said as it is (grade.h).
        b.message =
            sandbox::is_refusal(run.message)
                ? run.message
                : fmt::format("libwb could not be compiled for MP {} with `{}`: {}. The "
                              "program was not compiled; this is the grader's problem or "
                              "the MP's [build] flags', not the program's",
                              mp.id, shown_command(mp, libwb_dir, object), failure(run, b.output));
        return b;
    }
    std::filesystem::remove(tmp / "compile.log", ec);
    if (std::rename(tmp.c_str(), object.path.parent_path().c_str()) != 0) {
        const int err = errno;
        remove_tree(tmp);
        // Another grader put the same object in place first: use it.
        if (!std::filesystem::exists(object.path)) {
            b.message = fmt::format("cannot install libwb.o into {}: {}",
                                    object.path.parent_path().string(), std::strerror(err));
            return b;
        }
        b.ok = true;
        return b;
    }
    b.ok = true;
    b.built = true;
    return b;
}

} // namespace wb::core
