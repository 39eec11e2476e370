// Toolchains: how a program in C, C++, CUDA or a custom language is compiled
// and started. The command lines live here and nowhere else.
#pragma once

#include "core/mp.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wb::core {

struct CompileCommand {
    std::vector<std::string> argv;
    std::string compiler_version; // first line of `<compiler> --version`
};

// The PATH given to compilers and programs.
const std::string& toolchain_path();

// Compiler versions (a compile cache key's part) are asked once per
// process; with a directory here (the compile cache's), also kept there for
// later processes, keyed by the compiler file's identity: its resolved
// path, device, inode, size and modification and change times, as ccache
// checks a compiler (compiler_check = mtime). A compiler replaced, updated
// or touched is asked again. The one directory of the process; "" stops.
void keep_compiler_versions_in(const std::filesystem::path& dir);

// Finds a program in toolchain_path(); nothing if absent.
std::optional<std::filesystem::path> find_program(const std::string& name);

// Where a program finds libwb: its headers, and libwb.o when the program is
// compiled prebuilt (-DWB_PREBUILT: declarations only, the bodies linked
// from the object; see libwb/wb_base.h). No object: header-only, as a
// student compiles by hand.
struct LibwbPaths {
    std::filesystem::path include_dir;
    std::optional<std::filesystem::path> object;
};

// The command that compiles `src` into `exe` for this MP's toolchain.
// Throws InputError when the toolchain is not installed on this machine.
CompileCommand compile_command(const Mp& mp, const std::filesystem::path& src,
                               const std::filesystem::path& exe, const LibwbPaths& libwb);
// The same for a program of several files: {src} stands for every source,
// in order (the headers lie beside them, found by #include "NAME").
CompileCommand compile_command(const Mp& mp, const std::vector<std::filesystem::path>& sources,
                               const std::filesystem::path& exe, const LibwbPaths& libwb);

// Whether a file of a program of several is a source this MP's toolchain
// compiles (true), a header it includes (false), or neither (nothing):
// .c for C; .cpp, .cc, .cxx for C++, OpenACC and OpenCL; those and .cu for
// CUDA; a custom toolchain's template's extension. Headers: .h, .hpp, .hh,
// .cuh, .inl.
std::optional<bool> is_source_file(const Mp& mp, const std::string& name);

// The command that compiles libwb.cpp (in `libwb_dir`) into `object` with
// this MP's compiler and flags, so that its programs can be compiled
// prebuilt. Nothing for the toolchains that stay header-only: C (wb.h is
// C++, so a C program cannot include it either way) and custom (its MP
// names its own command, with {libwb} for the headers).
// The prebuilt compile in two steps, for a cache that has no libwb.o yet:
// this compiles the program alone into `obj` while libwb.o is built beside
// it, then compile_command(mp, obj, exe, libwb) links the two. Nothing for
// the toolchains that stay header-only.
std::optional<CompileCommand> program_object_command(const Mp& mp, const std::filesystem::path& src,
                                                     const std::filesystem::path& obj,
                                                     const std::filesystem::path& libwb_dir);

std::optional<CompileCommand> libwb_object_command(const Mp& mp,
                                                   const std::filesystem::path& libwb_dir,
                                                   const std::filesystem::path& object);

// The toolchains this machine can compile with, and their compilers'
// versions: what a worker advertises. "custom" is always there (its MPs
// name their own commands).
struct InstalledToolchain {
    Toolchain toolchain;
    std::string compiler; // absolute path; empty for custom
    std::string version;  // first line of `<compiler> --version`
};
std::vector<InstalledToolchain> installed_toolchains();

// The command that runs `exe` with `args` (the MP's run template).
std::vector<std::string> run_command(const Mp& mp, const std::filesystem::path& exe,
                                     const std::vector<std::string>& args);

} // namespace wb::core
