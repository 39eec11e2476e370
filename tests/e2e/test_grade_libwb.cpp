// The grader compiles C++ and CUDA programs against libwb.o (libwb's bodies
// compiled once per cache, compiler and flags) with -DWB_PREBUILT: the
// object is built once and shared, graders that race for it agree, and an
// object that cannot be built is the grader's internal error, never the
// program's compile error.
#include "grade_helpers.h"
#include "runner.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

using wb::test::double_program;
using wb::test::grade_json;
using wb::test::make_double_mp;
using wb::test::Wbtool;
using wb::test::write_text;

namespace {

// Every libwb.o in the cache.
std::vector<std::filesystem::path> libwb_objects(const std::filesystem::path& cache) {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(cache / "libwb")) return out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(cache / "libwb"))
        if (e.path().filename() == "libwb.o") out.push_back(e.path());
    return out;
}

// A program that compiles only the way the grader compiles it.
std::string prebuilt_only(const std::string& op) {
    return "#ifndef WB_PREBUILT\n#error compiled header-only\n#endif\n" + double_program(op);
}

} // namespace

TEST_CASE("libwb: a C++ program is compiled prebuilt, and libwb.o is built once for MPs alike") {
    Wbtool wbtool;
    const auto first_mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "a.cpp", prebuilt_only("out[i] = 2 * in[i]"));
    const auto first = grade_json(wbtool, first_mp, wbtool.tmp() / "a.cpp");
    INFO(first.out << first.err);
    CHECK(first.json()["verdict"] == "correct");
    const auto objects = libwb_objects(wbtool.cache_dir());
    REQUIRE(objects.size() == 1);
    const auto built_at = std::filesystem::last_write_time(objects[0]);

    // Another program of another MP with the same toolchain and flags: the
    // same object, not compiled again.
    const auto second_mp = make_double_mp(wbtool.tmp(), "", "double-again");
    write_text(wbtool.tmp() / "b.cpp", prebuilt_only("out[i] = in[i] + in[i]"));
    const auto second = grade_json(wbtool, second_mp, wbtool.tmp() / "b.cpp");
    INFO(second.out << second.err);
    CHECK(second.json()["verdict"] == "correct");
    CHECK(second.json()["compile"]["cached"] == false);
    CHECK(libwb_objects(wbtool.cache_dir()) == objects);
    CHECK(std::filesystem::last_write_time(objects[0]) == built_at);

    // Other flags: an object of their own.
    const auto flagged_mp =
        make_double_mp(wbtool.tmp(), "", "double-flagged", "flags = [\"-DDOUBLE_FLAGGED\"]\n");
    const auto third = grade_json(wbtool, flagged_mp, wbtool.tmp() / "a.cpp");
    INFO(third.out << third.err);
    CHECK(third.json()["verdict"] == "correct");
    CHECK(libwb_objects(wbtool.cache_dir()).size() == 2);
}

TEST_CASE("libwb: two graders that race on a cold cache build one libwb.o and both grade") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    std::string script;
    for (const char* name : {"a", "b"}) {
        write_text(wbtool.tmp() / (std::string(name) + ".cpp"),
                   double_program(std::string("out[i] = 2 * in[i] /* ") + name + " */"));
        script += std::string("'") + WBTOOL_BINARY + "' --quiet --data '" +
                  wbtool.data_dir().string() + "' --cache '" + wbtool.cache_dir().string() +
                  "' grade --local '" + mp.string() + "' '" + (wbtool.tmp() / name).string() +
                  ".cpp' --json > '" + (wbtool.tmp() / name).string() + ".json' & ";
    }
    const auto run = wb::test::run_process({"/bin/sh", "-c", script + "wait"});
    REQUIRE(run.exit_code == 0);
    for (const char* name : {"a.json", "b.json"}) {
        const auto report = wb::test::run_process({"/bin/cat", (wbtool.tmp() / name).string()});
        INFO(name << ": " << report.out);
        CHECK(report.json()["verdict"] == "correct");
    }
    CHECK(libwb_objects(wbtool.cache_dir()).size() == 1);
    // The loser's temporary directory is gone.
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(wbtool.cache_dir() / "libwb"))
        CHECK(e.path().filename().string().rfind(".build", 0) != 0);
}

TEST_CASE("libwb: a libwb.o that cannot be compiled is an internal error, not a compile error") {
    Wbtool wbtool;
    // Breaks libwb's bodies only: the declarations a program sees never
    // name baseName.
    const auto mp =
        make_double_mp(wbtool.tmp(), "", "double-broken", "flags = [\"-DbaseName=1+\"]\n");
    write_text(wbtool.tmp() / "good.cpp", double_program("out[i] = 2 * in[i]"));
    for (int attempt = 0; attempt < 2; ++attempt) { // and it is not cached
        const auto run = grade_json(wbtool, mp, wbtool.tmp() / "good.cpp");
        INFO(run.out << run.err);
        CHECK(run.exit_code == 4);
        const auto j = run.json();
        CHECK(j["verdict"] == "internal_error");
        CHECK(j["compile"]["verdict"] == "internal_error");
        CHECK(j["compile"]["cached"] == false);
        CHECK_THAT(j["message"].get<std::string>(),
                   Catch::Contains("libwb could not be compiled for MP double-broken") &&
                       Catch::Contains("libwb.cpp") && Catch::Contains("error") &&
                       Catch::Contains("not the program's"));
    }
    CHECK(libwb_objects(wbtool.cache_dir()).empty());
}
