// The compile step (see compile.h). A compile happens in a private temporary
// directory inside the cache and is renamed into place whole, so a crash or
// a concurrent grader never leaves or sees a half-written entry. C++ and
// CUDA programs are compiled prebuilt, linking libwb.o (libwb_object.h),
// which is compiled first if the cache does not hold it yet.
#include "core/compile.h"

#include "core/compiler_sandbox.h"
#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/libwb.h"
#include "core/libwb_object.h"
#include "core/toolchain.h"

#include <fmt/format.h>

#include <cstdio>
#include <future>

namespace wb::core {
namespace {

constexpr const char* status_ok = "ok";
constexpr const char* status_error = "compile_error";

CompileResult from_cache(const std::filesystem::path& entry, const std::string& key) {
    CompileResult r;
    r.cached = true;
    r.key = key;
    const std::string status = read_file(entry / "status");
    r.output = read_file(entry / "compile.log");
    if (status == status_ok) {
        r.verdict = Verdict::correct;
        r.executable = entry / "program";
        r.message = "compiled (cached)";
    } else {
        r.verdict = Verdict::compile_error;
        r.message = "compile error: " + first_error_line(r.output);
    }
    return r;
}

// The cache key, computed over a command with placeholder paths so that it
// does not depend on where the temporary build directory happens to be.
// libwb.o's key stands for the object the program links.
std::string cache_key(const Mp& mp, const Program& program,
                      const std::optional<LibwbObject>& object) {
    LibwbPaths placeholders{"LIBWB", std::nullopt};
    if (object) placeholders.object = "LIBWB/libwb.o";
    std::vector<std::filesystem::path> sources;
    for (const auto& name : program_sources(mp, program))
        sources.push_back("SRC/" + name);
    const auto probe = program.several() ? compile_command(mp, sources, "OUT/program", placeholders)
                                         : compile_command(mp, "SRC/" + source_name(mp),
                                                           "OUT/program", placeholders);
    Hasher h;
    h.add("wbtool-compile-v2").add(to_string(mp.toolchain)).add(probe.compiler_version);
    for (const auto& a : probe.argv)
        h.add(a);
    h.add(libwb_hash()).add(object ? object->key : "header-only").add(program.hash);
    return h.hex();
}

// The compile's verdict and message from the sandbox's result (r.output
// already read). False when the result must not be cached: a time-out may
// pass on a quieter machine, and a compiler that could not run says
// nothing about the program.
bool judge(CompileResult& r, const sandbox::Result& run, const sandbox::Policy& policy,
           const Mp& mp) {
    switch (run.status) {
    case sandbox::Status::ok:
        r.verdict = Verdict::correct;
        r.message = fmt::format("compiled in {:.2f} s", run.wall_s);
        return true;
    case sandbox::Status::runtime_error:
        r.verdict = Verdict::compile_error;
        r.message = "compile error: " + first_error_line(r.output);
        return true;
    case sandbox::Status::time_limit:
        r.verdict = Verdict::compile_error;
        r.message = fmt::format("compile error: the compiler used more than the {:g} s of CPU "
                                "time allowed for compiling",
                                mp.limits.compile_s);
        return false;
    case sandbox::Status::wall_time_limit:
        r.verdict = Verdict::compile_error;
        r.message = fmt::format("compile error: the compiler ran for more than {:g} s of wall "
                                "time (the machine may be overloaded; try again)",
                                policy.limits.wall_s);
        return false;
    // The program made the compiler blow up (`#include </dev/zero>`, a
    // template explosion, an internal compiler error): its verdict.
    case sandbox::Status::memory_limit:
        r.verdict = Verdict::compile_error;
        r.message = fmt::format("compile error: the compiler needed more than the {} MiB of "
                                "memory allowed for compiling",
                                policy.limits.memory_kib / 1024);
        return true;
    case sandbox::Status::output_limit:
        r.verdict = Verdict::compile_error;
        r.message = fmt::format("compile error: the compiler wrote more than the {} MiB of "
                                "output allowed for compiling",
                                policy.limits.output_bytes >> 20);
        return true;
    case sandbox::Status::signaled:
        r.verdict = Verdict::compile_error;
        r.message = "compile error: the compiler crashed: " + run.message;
        return true;
    default:
        r.verdict = Verdict::internal_error;
        // A refusal for too little isolation is said as it is (grade.h).
        r.message = sandbox::is_refusal(run.message)
                        ? run.message
                        : "the compiler could not be run: " + run.message;
        return false;
    }
}

// Keeps only what later runs need, then publishes the entry in one rename.
void publish(const std::filesystem::path& tmp, const std::filesystem::path& entry,
             const CompileResult& r) {
    write_file_atomic(tmp / "compile.log", r.output);
    write_file_atomic(tmp / "status", r.verdict == Verdict::correct ? status_ok : status_error);
    std::error_code ec;
    std::filesystem::create_directories(entry.parent_path(), ec);
    if (std::rename(tmp.c_str(), entry.c_str()) != 0) {
        remove_tree(tmp); // a concurrent compile of the same program won
        if (!std::filesystem::exists(entry / "status"))
            throw InternalError(
                fmt::format("cannot store the compiled program in {}", entry.string()));
    }
}

// Makes sure the object the program links is there; an internal error when
// it cannot be built (never the program's fault, never cached).
bool libwb_ready(CompileResult& r, const Mp& mp, const std::optional<LibwbObject>& object,
                 const std::filesystem::path& libwb, sandbox::Isolation minimum) {
    if (!object) return true;
    auto built = ensure_libwb_object(mp, *object, libwb, minimum);
    if (built.ok) return true;
    r.verdict = Verdict::internal_error;
    r.message = std::move(built.message);
    r.output = std::move(built.output);
    return false;
}

// One sandboxed compiler run into `r` (its time added, its output kept
// before what an earlier step said). False when it must not be cached.
bool compile_step(CompileResult& r, const Mp& mp, const CompileCommand& cmd,
                  const CompilerSandbox& box) {
    const auto policy = compiler_policy(box);
    const auto run = sandbox::run(policy, cmd.argv);
    r.wall_s += run.wall_s;
    // The directory was the sandbox's: read its log as one would a program's.
    const std::string earlier = std::move(r.output);
    r.output = compiler_output(box.workdir, policy.limits.output_bytes);
    if (!earlier.empty()) r.output = earlier + r.output;
    return judge(r, run, policy, mp);
}

// The program compiled and linked in one step (libwb.o already there):
// one source, or several (`sources` not empty) in the directory of `src`.
bool compile_and_link(CompileResult& r, const Mp& mp, const std::filesystem::path& src,
                      const std::optional<LibwbObject>& object, const std::filesystem::path& libwb,
                      CompilerSandbox box, const std::vector<std::filesystem::path>& sources = {}) {
    LibwbPaths paths{libwb, std::nullopt};
    if (object) {
        paths.object = object->path;
        box.read_only.push_back(object->path);
    }
    const auto exe = src.parent_path() / "program";
    return compile_step(r, mp,
                        sources.empty() ? compile_command(mp, src, exe, paths)
                                        : compile_command(mp, sources, exe, paths),
                        box);
}

// The cold cache: the program compiled to an object while libwb.o is built
// in a second sandbox, then the two linked.
bool compile_beside_libwb(CompileResult& r, const Mp& mp, const std::filesystem::path& src,
                          const LibwbObject& object, const std::filesystem::path& libwb,
                          const CompilerSandbox& box) {
    auto building = std::async(std::launch::async,
                               [&] { return ensure_libwb_object(mp, object, libwb, box.minimum); });
    const auto dir = src.parent_path();
    const auto step = program_object_command(mp, src, dir / "program.o", libwb);
    const bool compiled = step && compile_step(r, mp, *step, box);
    auto built = building.get();
    if (!compiled || r.verdict != Verdict::correct) return compiled;
    if (!built.ok) {
        r.verdict = Verdict::internal_error;
        r.message = std::move(built.message);
        r.output = std::move(built.output);
        return false;
    }
    CompilerSandbox link = box;
    link.read_only.push_back(object.path);
    LibwbPaths paths{libwb, object.path};
    const bool linked =
        compile_step(r, mp, compile_command(mp, dir / "program.o", dir / "program", paths), link);
    if (linked && r.verdict == Verdict::correct)
        r.message = fmt::format("compiled in {:.2f} s", r.wall_s);
    return linked;
}

} // namespace

namespace {
// "cpp" of main.cpp; nothing for a custom template without an extension.
std::string source_extension(const Mp& mp) {
    const std::string ext = std::filesystem::path(source_name(mp)).extension().string();
    return ext.empty() ? ext : ext.substr(1);
}
} // namespace

std::vector<std::string> program_sources(const Mp& mp, const Program& program) {
    std::vector<std::string> sources;
    for (const auto& f : program.files) {
        const auto source = is_source_file(mp, f.name);
        if (!source) {
            throw InputError(fmt::format("{}: neither a source nor a header file that MP {} "
                                         "compiles (name sources .{} and headers .h)",
                                         f.name, mp.id, source_extension(mp)));
        }
        if (*source) sources.push_back(f.name);
    }
    if (program.several() && sources.empty()) {
        throw InputError(fmt::format("{}: no source file among them (MP {} compiles .{} files)",
                                     program.name, mp.id, source_extension(mp)));
    }
    return sources;
}

CompileResult compile_program(const Mp& mp, const Program& program,
                              const std::filesystem::path& cache_dir, sandbox::Isolation minimum) {
    keep_compiler_versions_in(cache_dir / "compilers");
    const auto libwb = libwb_include_dir(cache_dir);
    const auto object = libwb_object_for(mp, libwb);
    const std::string key = cache_key(mp, program, object);
    const auto entry = cache_dir / "programs" / key.substr(0, 2) / key;
    if (std::filesystem::exists(entry / "status")) return from_cache(entry, key);

    CompileResult r;
    r.key = key;
    const auto tmp = make_temp_dir(cache_dir / "programs", ".build");
    const auto src = tmp / source_name(mp);
    // Several files lie in the build directory under their own names (each
    // a source or a header by its extension, so none can be "program" or
    // "status"), and the compiler names them as the student does.
    std::vector<std::filesystem::path> sources;
    if (program.several()) {
        for (const auto& f : program.files)
            write_file_atomic(tmp / f.name, f.text);
        for (const auto& name : program_sources(mp, program))
            sources.push_back(tmp / name);
    } else {
        write_file_atomic(src, program.text);
    }
    CompilerSandbox box;
    box.workdir = tmp;
    box.libwb_dir = libwb;
    box.cpu_s = mp.limits.compile_s;
    box.minimum = minimum;
    // No libwb.o in this cache yet: it is built while the program compiles
    // on its own, and the two are linked after, so that the first grade
    // waits for the longer of the two rather than for both.
    // Several files wait for libwb.o, then compile and link in one step.
    const bool cold = object && !std::filesystem::exists(object->path) && !program.several();
    const bool ok = cold ? compile_beside_libwb(r, mp, src, *object, libwb, box)
                         : libwb_ready(r, mp, object, libwb, minimum) &&
                               compile_and_link(r, mp, src, object, libwb, box, sources);
    if (!ok) {
        remove_tree(tmp);
        return r;
    }
    std::filesystem::remove(src);
    for (const auto& f : program.files)
        std::filesystem::remove(tmp / f.name);
    std::filesystem::remove(tmp / "program.o");
    publish(tmp, entry, r);
    if (r.verdict == Verdict::correct) r.executable = entry / "program";
    return r;
}

} // namespace wb::core
