// The compile commands of libwb's two modes: C++ and CUDA programs are
// compiled prebuilt (-DWB_PREBUILT, linking libwb.o, which is compiled with
// the program's compiler and flags); C and custom toolchains stay
// header-only. What the commands do is tested end to end in
// tests/e2e/test_grade.cpp; this is what they are.
#include "core/libwb_object.h"
#include "core/mp.h"
#include "core/toolchain.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using wb::core::compile_command;
using wb::core::libwb_object_command;
using wb::core::libwb_object_for;
using wb::core::LibwbPaths;
using wb::core::Mp;
using wb::core::Toolchain;

namespace {

Mp mp_of(Toolchain toolchain, std::vector<std::string> flags = {}) {
    Mp mp;
    mp.id = "t";
    mp.toolchain = toolchain;
    mp.flags = std::move(flags);
    return mp;
}

bool has(const std::vector<std::string>& argv, const std::string& word) {
    return std::find(argv.begin(), argv.end(), word) != argv.end();
}

const LibwbPaths with_object{"/L", std::filesystem::path("/L/objects/k/libwb.o")};

} // namespace

TEST_CASE("a C++ program is compiled with -DWB_PREBUILT and links libwb.o") {
    const auto mp = mp_of(Toolchain::cpp, {"-DSIZE=3"});
    const auto argv = compile_command(mp, "/w/solution.cpp", "/w/program", with_object).argv;
    CHECK(has(argv, "-DWB_PREBUILT"));
    CHECK(has(argv, "-I/L"));
    CHECK(has(argv, "-DSIZE=3"));
    // The object after the source, so that the linker resolves the program's calls.
    const auto src = std::find(argv.begin(), argv.end(), "/w/solution.cpp");
    const auto obj = std::find(argv.begin(), argv.end(), "/L/objects/k/libwb.o");
    REQUIRE(obj != argv.end());
    CHECK(src < obj);

    const auto bare = compile_command(mp, "/w/solution.cpp", "/w/program", {"/L", std::nullopt});
    CHECK_FALSE(has(bare.argv, "-DWB_PREBUILT"));
    CHECK_FALSE(has(bare.argv, "/L/objects/k/libwb.o"));
}

TEST_CASE("libwb.o is compiled from libwb.cpp with the program's compiler and flags") {
    const auto mp = mp_of(Toolchain::cpp, {"-O3", "-DSIZE=3"});
    const auto object = libwb_object_command(mp, "/L", "/O/libwb.o");
    REQUIRE(object);
    const auto program = compile_command(mp, "/w/solution.cpp", "/w/program", with_object);
    CHECK(object->argv[0] == program.argv[0]);
    CHECK(object->compiler_version == program.compiler_version);
    CHECK(has(object->argv, "-O3"));
    CHECK(has(object->argv, "-DSIZE=3"));
    CHECK(has(object->argv, "-c"));
    CHECK(has(object->argv, "/O/libwb.o"));
    CHECK(has(object->argv, "/L/libwb.cpp"));
    CHECK_FALSE(has(object->argv, "-DWB_PREBUILT"));
}

TEST_CASE("a CUDA program is compiled prebuilt too") {
    if (!wb::core::find_program("nvcc")) wb::test::skip("nvcc is not installed on this machine");
    const auto mp = mp_of(Toolchain::cuda, {"-O2"});
    const auto argv = compile_command(mp, "/w/solution.cu", "/w/program", with_object).argv;
    CHECK(has(argv, "-DWB_PREBUILT"));
    CHECK(has(argv, "/L/objects/k/libwb.o"));
    const auto object = libwb_object_command(mp, "/L", "/O/libwb.o");
    REQUIRE(object);
    CHECK(object->argv[0] == argv[0]);
}

TEST_CASE("C and custom toolchains stay header-only") {
    // wb.h is C++: a C program cannot include it in either mode. A custom
    // MP names its own command, with {libwb} for the headers.
    auto custom = mp_of(Toolchain::custom);
    custom.compile_command = "g++ {flags} -I{libwb} -o {exe} {src}";
    for (const auto& mp : {mp_of(Toolchain::c), custom}) {
        CHECK_FALSE(libwb_object_command(mp, "/L", "/O/libwb.o"));
        CHECK_FALSE(libwb_object_for(mp, "/L"));
        const auto argv = compile_command(mp, "/w/p", "/w/program", with_object).argv;
        CHECK_FALSE(has(argv, "-DWB_PREBUILT"));
        CHECK_FALSE(has(argv, "/L/objects/k/libwb.o"));
        CHECK(has(argv, "-I/L"));
    }
}

TEST_CASE("libwb.o's identity follows the flags, not where the cache is") {
    const auto o1 = libwb_object_for(mp_of(Toolchain::cpp, {"-O1"}), "/cache/libwb/h");
    const auto o1_again = libwb_object_for(mp_of(Toolchain::cpp, {"-O1"}), "/elsewhere/libwb/h");
    const auto o3 = libwb_object_for(mp_of(Toolchain::cpp, {"-O3"}), "/cache/libwb/h");
    REQUIRE(o1);
    REQUIRE(o1_again);
    REQUIRE(o3);
    CHECK(o1->key == o1_again->key);
    CHECK(o1->key != o3->key);
    CHECK(o1->path.parent_path().parent_path() == "/cache/libwb/h/objects");
    CHECK(o1->path.filename() == "libwb.o");
    CHECK(o1->path != o3->path);
}
