// `wbtool grade --local` of a program of several files: sources compiled
// and linked together, headers beside them, messages naming the student's
// own files, and the refusals of what cannot be one program.
#include "grade_helpers.h"
#include "runner.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

using wb::test::grade_json;
using wb::test::make_double_mp;
using wb::test::Wbtool;
using wb::test::write_text;

namespace {

const char* const header = "#pragma once\nfloat twice(float x);\n";
const char* const util = "#include \"util.h\"\nfloat twice(float x) { return 2 * x; }\n";

// The doubling program, its work done by util.cpp's function.
std::string main_program() {
    return wb::test::double_program("out[i] = twice(in[i])");
}

std::string main_with_header() {
    return "#include \"util.h\"\n" + main_program();
}

} // namespace

TEST_CASE("two sources and a header are compiled together and graded correct") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    const auto dir = wbtool.tmp() / "prog";
    write_text(dir / "main.cpp", main_with_header());
    write_text(dir / "util.cpp", util);
    write_text(dir / "util.h", header);
    const auto run =
        wbtool({"--quiet", "grade", "--local", mp.string(), (dir / "main.cpp").string(),
                (dir / "util.cpp").string(), (dir / "util.h").string(), "--json"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.json()["verdict"] == "correct");

    SECTION("a directory stands for its files") {
        const auto d = grade_json(wbtool, mp, dir);
        INFO(d.out << d.err);
        CHECK(d.exit_code == 0);
        CHECK(d.json()["verdict"] == "correct");
        CHECK(d.json()["compile"]["cached"] == true);
    }
}

TEST_CASE("a compile error in the second file names that file") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    const auto dir = wbtool.tmp() / "prog";
    write_text(dir / "main.cpp", main_with_header());
    write_text(dir / "util.cpp", "#include \"util.h\"\nfloat twice(float x) { return 2 * y; }\n");
    write_text(dir / "util.h", header);
    const auto run = grade_json(wbtool, mp, dir);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "compile_error");
    CHECK(j["message"].get<std::string>().rfind("compile error: util.cpp:2:", 0) == 0);
    CHECK(j["compile"]["output"].get<std::string>().find("util.cpp:2:") != std::string::npos);
}

TEST_CASE("two files of the same name are refused") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "a/main.cpp", main_program());
    write_text(wbtool.tmp() / "b/main.cpp", main_program());
    const auto run =
        wbtool({"grade", "--local", mp.string(), (wbtool.tmp() / "a/main.cpp").string(),
                (wbtool.tmp() / "b/main.cpp").string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("main.cpp: named twice") != std::string::npos);
}

TEST_CASE("a binary second file is not a program") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    const auto dir = wbtool.tmp() / "prog";
    write_text(dir / "main.cpp", main_with_header());
    write_text(dir / "util.cpp", std::string("\x7f"
                                             "ELF\x02\x01\x01\0\0\0",
                                             10));
    write_text(dir / "util.h", header);
    const auto run = grade_json(wbtool, mp, dir);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "compile_error");
    CHECK(j["message"].get<std::string>().find("util.cpp:1: a NUL byte") != std::string::npos);
}

TEST_CASE("a forbidden keyword in any file is refused naming that file") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    const auto dir = wbtool.tmp() / "prog";
    write_text(dir / "main.cpp", main_with_header());
    write_text(dir / "util.cpp",
               "#include \"util.h\"\n#include <cstdlib>\nfloat twice(float x) { system(\"\"); "
               "return 2 * x; }\n");
    write_text(dir / "util.h", header);
    const auto run = grade_json(wbtool, mp, dir);
    INFO(run.out << run.err);
    CHECK(run.json()["verdict"] == "forbidden_keyword");
    CHECK(run.json()["message"].get<std::string>().rfind("util.cpp:3:", 0) == 0);
}

TEST_CASE("a file that is neither a source nor a header is refused naming it") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    const auto dir = wbtool.tmp() / "prog";
    write_text(dir / "main.cpp", main_program());
    write_text(dir / "notes.txt", "my notes\n");
    const auto run = wbtool({"grade", "--local", mp.string(), dir.string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("notes.txt: neither a source nor a header") != std::string::npos);
}

TEST_CASE("a name that is not a plain file name is refused") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "main.cpp", main_program());
    write_text(wbtool.tmp() / "a..b.h", "int x;\n");
    const auto run = wbtool({"grade", "--local", mp.string(), (wbtool.tmp() / "main.cpp").string(),
                             (wbtool.tmp() / "a..b.h").string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("plain file name") != std::string::npos);
}
