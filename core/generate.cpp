// Generating a lab's datasets (see generate.h). The generator is compiled
// through the grader's own compile step (compile.h: sandboxed, cached,
// linked with libwb.o) under a stand-in MP of the cpp toolchain, and run as
// a program is run (grade.cpp's run_policy): its work directory is the
// bundle copy, the only place it may write (its program, stdout and
// stderr files are removed from it after).
#include "core/generate.h"

#include "core/compile.h"
#include "core/error.h"
#include "core/files.h"
#include "core/grade.h"
#include "core/program.h"
#include "core/toolchain.h"

#include <fmt/format.h>

namespace wb::core {
namespace {

namespace fs = std::filesystem;

// What the generator is compiled and run as.
Mp generator_mp(const fs::path& dir, const GenerateOptions& o) {
    Mp mp;
    mp.id = "dataset-generator";
    mp.root = dir;
    mp.toolchain = Toolchain::cpp;
    mp.run_command = "{exe} {args}";
    mp.limits.compile_s = o.cpu_s;
    mp.limits.run_s = o.cpu_s;
    mp.limits.memory_mib = o.memory_mib;
    return mp;
}

// A copy of the bundle's regular files (a bundle holds no links; the
// loader says so of the original).
void copy_bundle(const fs::path& from, const fs::path& to) {
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::skip_symlinks);
}

std::string last_words(const fs::path& dir) {
    std::string out;
    for (const char* name : {"stdout", "stderr"})
        out += read_file_ends(dir / name, 1024);
    return out;
}

void run_generator(const fs::path& exe, const fs::path& work, const Mp& mp,
                   const GenerateOptions& o, const fs::path& shown) {
    const auto program = program_copy(exe, work);
    // Run as a program on a dataset without inputs is run (grade.h).
    const auto p = run_policy(mp, work, Dataset{}, o.min_isolation);
    const auto run = sandbox::run(p, run_command(mp, program, {}));
    const auto said = last_words(work);
    for (const char* name : {"program", "stdout", "stderr"})
        fs::remove(work / name);
    if (run.status != sandbox::Status::ok) {
        throw InputError(fmt::format("{}: the dataset generator failed: {}{}{}", shown.string(),
                                     run.message, said.empty() ? "" : "\n", said));
    }
}

} // namespace

Mp load_generated(const fs::path& dir, const GenerateOptions& options) {
    const auto source = dir / generator_file;
    std::error_code ec;
    if (!fs::is_regular_file(source, ec)) {
        throw InputError(fmt::format("{}: no such file; --generate runs a lab's {}",
                                     source.string(), generator_file));
    }
    const fs::path tmp = make_temp_dir(fs::temp_directory_path(), "wbtool-generate");
    std::shared_ptr<const fs::path> keep(new fs::path(tmp), [](const fs::path* p) {
        remove_tree(*p);
        delete p;
    });
    // The sandbox's user runs in the copy (its work directory, which the
    // sandbox makes its own) and must be able to reach it.
    fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    // The copy keeps the directory's name: it is the MP's id.
    const auto work = tmp / directory_name(dir);
    copy_bundle(dir, work);

    const auto mp = generator_mp(work, options);
    const auto compiled =
        compile_program(mp, read_program(source), options.cache_dir, options.min_isolation);
    if (compiled.verdict != Verdict::correct) {
        throw InputError(fmt::format("{}: the dataset generator does not compile: {}\n{}",
                                     source.string(), compiled.message, compiled.output));
    }
    run_generator(compiled.executable, work, mp, options, source);
    auto loaded = load_mp(work);
    loaded.generated = std::move(keep);
    return loaded;
}

} // namespace wb::core
