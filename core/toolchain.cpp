// Toolchain command lines (see toolchain.h). A compiler's version is part of
// the compile cache's key, so it is asked once per process and remembered.
#include "core/toolchain.h"

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "sandbox/sandbox.h"

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <sstream>

namespace wb::core {
namespace {

std::vector<std::string> split_words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

// Replaces {name} placeholders in a template of words. A word that is
// exactly a list placeholder ({flags}, {args}) expands to several words.
std::vector<std::string> expand(const std::string& tmpl,
                                const std::map<std::string, std::string>& scalars,
                                const std::map<std::string, std::vector<std::string>>& lists) {
    std::vector<std::string> out;
    for (auto word : split_words(tmpl)) {
        if (auto it = lists.find(word); it != lists.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            continue;
        }
        for (const auto& [key, value] : scalars) {
            for (auto pos = word.find(key); pos != std::string::npos;
                 pos = word.find(key, pos + value.size()))
                word.replace(pos, key.size(), value);
        }
        out.push_back(word);
    }
    return out;
}

std::mutex versions_mu;
std::filesystem::path versions_dir; // keep_compiler_versions_in

// Where the compiler's version is kept across processes; nothing when no
// directory is set or the compiler cannot be looked at.
std::optional<std::filesystem::path> kept_version_file(const std::filesystem::path& compiler) {
    if (versions_dir.empty()) return std::nullopt;
    std::error_code ec;
    const auto real = std::filesystem::canonical(compiler, ec);
    struct stat st {};
    if (ec || ::stat(real.c_str(), &st) != 0) return std::nullopt;
    Hasher h;
    h.add("wbtool-compiler-v1").add(real.string());
    for (const auto n :
         {static_cast<long long>(st.st_dev), static_cast<long long>(st.st_ino),
          static_cast<long long>(st.st_size), static_cast<long long>(st.st_mtim.tv_sec),
          static_cast<long long>(st.st_mtim.tv_nsec), static_cast<long long>(st.st_ctim.tv_sec),
          static_cast<long long>(st.st_ctim.tv_nsec)})
        h.add(std::to_string(n));
    return versions_dir / h.hex();
}

std::string version_of(const std::filesystem::path& compiler) {
    static std::map<std::string, std::string> known;
    std::lock_guard lock(versions_mu);
    if (auto it = known.find(compiler.string()); it != known.end()) return it->second;
    const auto kept = kept_version_file(compiler);
    if (kept) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(*kept, ec)) {
            auto line = read_file(*kept);
            if (!line.empty() && line.find('\n') == std::string::npos) {
                known.emplace(compiler.string(), line);
                return line;
            }
        }
    }

    const auto dir = make_temp_dir(std::filesystem::temp_directory_path(), "wbtool-version");
    sandbox::Policy policy;
    policy.profile = sandbox::Profile::compile;
    policy.limits.cpu_s = 10;
    policy.limits.memory_kib = 0;
    policy.workdir = dir;
    policy.stdout_path = dir / "out";
    policy.env = {"PATH=" + toolchain_path(), "LANG=C"};
    const auto r = sandbox::run(policy, {compiler.string(), "--version"});
    std::string first_line;
    if (r.status == sandbox::Status::ok) {
        const std::string out = read_file(dir / "out");
        first_line = out.substr(0, out.find('\n'));
    }
    remove_tree(dir);
    if (first_line.empty()) {
        first_line = "unknown version of " + compiler.string();
    } else if (kept) {
        // Best effort: a cache that cannot be written is asked again next time.
        try {
            std::filesystem::create_directories(kept->parent_path());
            write_file_atomic(*kept, first_line);
        } catch (const std::exception&) {
        }
    }
    known.emplace(compiler.string(), first_line);
    return first_line;
}

} // namespace

void keep_compiler_versions_in(const std::filesystem::path& dir) {
    std::lock_guard lock(versions_mu);
    versions_dir = dir;
}

namespace {

std::filesystem::path require(const std::string& name, const Mp& mp) {
    if (auto p = find_program(name)) return *p;
    throw InputError(fmt::format("{}: toolchain '{}' needs '{}', which is not installed here "
                                 "(searched {})",
                                 mp.id, to_string(mp.toolchain), name, toolchain_path()));
}

// The command lines of the built-in toolchains. A prebuilt program gets
// -DWB_PREBUILT and links libwb.o; the object is compiled with the same
// compiler and flags as the program, so that nothing differs between them
// but what libwb.o holds.
struct Templates {
    const char* program;          // header-only
    const char* program_prebuilt; // empty: the toolchain stays header-only
    const char* libwb_object;
    const char* program_object = ""; // prebuilt, compiled only (-c); linked by program_prebuilt
};

Templates templates_of(const Mp& mp) {
    switch (mp.toolchain) {
    case Toolchain::c:
        return {"gcc -std=gnu11 -O2 {flags} -I{libwb} -o {exe} {src} -lm", "", ""};
    case Toolchain::cpp:
        return {"g++ -std=c++17 -O2 {flags} -I{libwb} -o {exe} {src} -lm",
                "g++ -std=c++17 -O2 {flags} -DWB_PREBUILT -I{libwb} -o {exe} {src} {object} -lm",
                "g++ -std=c++17 -O2 {flags} -I{libwb} -c -o {object} {libwb}/libwb.cpp",
                "g++ -std=c++17 -O2 {flags} -DWB_PREBUILT -I{libwb} -c -o {exe} {src}"};
    case Toolchain::cuda:
        return {"nvcc -std=c++17 -O2 {flags} -I{libwb} -o {exe} {src}",
                "nvcc -std=c++17 -O2 {flags} -DWB_PREBUILT -I{libwb} -o {exe} {src} {object}",
                "nvcc -std=c++17 -O2 {flags} -I{libwb} -c -o {object} {libwb}/libwb.cpp",
                "nvcc -std=c++17 -O2 {flags} -DWB_PREBUILT -I{libwb} -c -o {exe} {src}"};
    case Toolchain::openacc:
        // nvc++ runs the directives on a GPU; g++ runs them on the CPU.
        if (find_program("nvc++"))
            return {"nvc++ -std=c++17 -O2 -acc {flags} -I{libwb} -o {exe} {src} -lm", "", ""};
        return {"g++ -std=c++17 -O2 -fopenacc {flags} -I{libwb} -o {exe} {src} -lm",
                "g++ -std=c++17 -O2 -fopenacc {flags} -DWB_PREBUILT -I{libwb} -o {exe} {src} "
                "{object} -lm",
                "g++ -std=c++17 -O2 -fopenacc {flags} -I{libwb} -c -o {object} {libwb}/libwb.cpp",
                "g++ -std=c++17 -O2 -fopenacc {flags} -DWB_PREBUILT -I{libwb} -c -o {exe} {src}"};
    case Toolchain::opencl:
        // wb.h includes <CL/cl.h> under WB_USE_OPENCL, as the original did.
        return {"g++ -std=c++17 -O2 -DWB_USE_OPENCL {flags} -I{libwb} -o {exe} {src} -lOpenCL -lm",
                "g++ -std=c++17 -O2 -DWB_USE_OPENCL {flags} -DWB_PREBUILT -I{libwb} -o {exe} {src} "
                "{object} -lOpenCL -lm",
                "g++ -std=c++17 -O2 -DWB_USE_OPENCL {flags} -I{libwb} -c -o {object} "
                "{libwb}/libwb.cpp",
                "g++ -std=c++17 -O2 -DWB_USE_OPENCL {flags} -DWB_PREBUILT -I{libwb} -c -o {exe} "
                "{src}"};
    case Toolchain::none:
        throw InputError(fmt::format("{}: no installed toolchain compiles {} (wbtool compiles "
                                     "CUDA, C, C++, OpenACC and OpenCL)",
                                     mp.id, mp.language.empty() ? "this language" : mp.language));
    case Toolchain::custom:
        break;
    }
    return {mp.compile_command.c_str(), "", ""};
}

CompileCommand command_from(const Mp& mp, const std::string& tmpl,
                            const std::map<std::string, std::string>& scalars,
                            const std::vector<std::string>* sources = nullptr) {
    std::map<std::string, std::vector<std::string>> lists = {{"{flags}", mp.flags}};
    if (sources) lists.emplace("{src}", *sources);
    CompileCommand cmd;
    cmd.argv = expand(tmpl, scalars, lists);
    if (cmd.argv.empty()) throw InputError(fmt::format("{}: the compile command is empty", mp.id));
    const auto compiler = cmd.argv[0].find('/') == std::string::npos
                              ? require(cmd.argv[0], mp)
                              : std::filesystem::path(cmd.argv[0]);
    cmd.argv[0] = compiler.string();
    cmd.compiler_version = version_of(compiler);
    return cmd;
}

bool present(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::exists(p, ec);
}

// The header and library a program is compiled against, and an installable
// client driver (PoCL's, a vendor's) registered for the ICD loader to find.
bool has_opencl() {
    bool icd = false;
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/etc/OpenCL/vendors", ec), end; !ec && it != end;
         it.increment(ec))
        icd = icd || it->path().extension() == ".icd";
    return icd && present("/usr/include/CL/cl.h") &&
           (present("/usr/lib/x86_64-linux-gnu/libOpenCL.so") ||
            present("/usr/lib/aarch64-linux-gnu/libOpenCL.so") || present("/usr/lib/libOpenCL.so"));
}

bool has_openacc_runtime() {
    for (const char* dir : {"/usr/lib/gcc/x86_64-linux-gnu", "/usr/lib/gcc/aarch64-linux-gnu"}) {
        std::error_code ec;
        for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
             it.increment(ec))
            if (present(it->path() / "include" / "openacc.h")) return true;
    }
    return false;
}

} // namespace

const std::string& toolchain_path() {
    static const std::string path = "/usr/local/cuda/bin:/usr/local/bin:/usr/bin:/bin";
    return path;
}

std::optional<std::filesystem::path> find_program(const std::string& name) {
    std::istringstream dirs(toolchain_path());
    for (std::string dir; std::getline(dirs, dir, ':');) {
        auto candidate = std::filesystem::path(dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

CompileCommand compile_command(const Mp& mp, const std::filesystem::path& src,
                               const std::filesystem::path& exe, const LibwbPaths& libwb) {
    const Templates t = templates_of(mp);
    const bool prebuilt = libwb.object && *t.program_prebuilt;
    std::map<std::string, std::string> scalars = {
        {"{src}", src.string()}, {"{exe}", exe.string()}, {"{libwb}", libwb.include_dir.string()}};
    if (prebuilt) scalars.emplace("{object}", libwb.object->string());
    return command_from(mp, prebuilt ? t.program_prebuilt : t.program, scalars);
}

CompileCommand compile_command(const Mp& mp, const std::vector<std::filesystem::path>& sources,
                               const std::filesystem::path& exe, const LibwbPaths& libwb) {
    const Templates t = templates_of(mp);
    const bool prebuilt = libwb.object && *t.program_prebuilt;
    std::map<std::string, std::string> scalars = {{"{exe}", exe.string()},
                                                  {"{libwb}", libwb.include_dir.string()}};
    if (prebuilt) scalars.emplace("{object}", libwb.object->string());
    std::vector<std::string> words;
    for (const auto& s : sources)
        words.push_back(s.string());
    return command_from(mp, prebuilt ? t.program_prebuilt : t.program, scalars, &words);
}

std::optional<bool> is_source_file(const Mp& mp, const std::string& name) {
    const std::string ext = std::filesystem::path(name).extension().string();
    for (const char* h : {".h", ".hpp", ".hh", ".cuh", ".inl"})
        if (ext == h) return false;
    switch (mp.toolchain) {
    case Toolchain::c:
        if (ext == ".c") return true;
        break;
    case Toolchain::cuda:
        if (ext == ".cu") return true;
        [[fallthrough]];
    case Toolchain::cpp:
    case Toolchain::openacc:
    case Toolchain::opencl:
        if (ext == ".cpp" || ext == ".cc" || ext == ".cxx") return true;
        break;
    case Toolchain::custom:
        if (!ext.empty() && ext == mp.template_file.extension().string()) return true;
        break;
    case Toolchain::none:
        break;
    }
    return std::nullopt;
}

std::optional<CompileCommand> libwb_object_command(const Mp& mp,
                                                   const std::filesystem::path& libwb_dir,
                                                   const std::filesystem::path& object) {
    const Templates t = templates_of(mp);
    if (!*t.libwb_object) return std::nullopt;
    return command_from(mp, t.libwb_object,
                        {{"{libwb}", libwb_dir.string()}, {"{object}", object.string()}});
}

std::optional<CompileCommand> program_object_command(const Mp& mp, const std::filesystem::path& src,
                                                     const std::filesystem::path& obj,
                                                     const std::filesystem::path& libwb_dir) {
    const Templates t = templates_of(mp);
    if (!*t.program_object) return std::nullopt;
    return command_from(
        mp, t.program_object,
        {{"{src}", src.string()}, {"{exe}", obj.string()}, {"{libwb}", libwb_dir.string()}});
}

std::vector<InstalledToolchain> installed_toolchains() {
    std::vector<InstalledToolchain> out;
    for (const auto& [toolchain, compiler] :
         {std::pair{Toolchain::c, "gcc"}, std::pair{Toolchain::cpp, "g++"},
          std::pair{Toolchain::cuda, "nvcc"}}) {
        if (auto path = find_program(compiler))
            out.push_back({toolchain, path->string(), version_of(*path)});
    }
    // OpenACC: nvc++, or g++ with libgomp's OpenACC runtime (gcc's own).
    if (auto path = find_program("nvc++"))
        out.push_back({Toolchain::openacc, path->string(), version_of(*path)});
    else if (auto gxx = find_program("g++"); gxx && has_openacc_runtime())
        out.push_back({Toolchain::openacc, gxx->string(), version_of(*gxx)});
    // OpenCL: g++ with the ICD loader to link against and a platform to run on.
    if (auto gxx = find_program("g++"); gxx && has_opencl())
        out.push_back({Toolchain::opencl, gxx->string(), version_of(*gxx)});
    out.push_back({Toolchain::custom, "", ""});
    return out;
}

std::vector<std::string> run_command(const Mp& mp, const std::filesystem::path& exe,
                                     const std::vector<std::string>& args) {
    const std::string tmpl = mp.run_command.empty() ? "{exe} {args}" : mp.run_command;
    return expand(tmpl, {{"{exe}", exe.string()}}, {{"{args}", args}});
}

} // namespace wb::core
