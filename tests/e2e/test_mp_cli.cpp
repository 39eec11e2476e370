// `wbtool mp import|list|show` and bad input end to end: a bad bundle or a
// bad program gives a clear error, exit 2, and nothing in the store.
#include "runner.h"

#include <catch2/catch.hpp>

#include <fstream>

using wb::test::copy_tree;
using wb::test::example;
using wb::test::Wbtool;
using wb::test::write_text;

TEST_CASE("mp import stores a bundle, and list and show read it back") {
    Wbtool wbtool;
    const auto imp = wbtool({"--quiet", "mp", "import", example("vecadd").string()});
    INFO(imp.out << imp.err);
    REQUIRE(imp.exit_code == 0);
    CHECK_THAT(imp.out, Catch::Contains("imported vecadd version 1"));

    const auto list = wbtool({"mp", "list", "--json"});
    REQUIRE(list.exit_code == 0);
    const auto j = list.json();
    REQUIRE(j.size() == 1);
    CHECK(j[0]["id"] == "vecadd");
    CHECK(j[0]["version"] == 1);
    CHECK(j[0]["datasets"].get<int>() >= 5);

    const auto show = wbtool({"mp", "show", "vecadd", "--json"});
    REQUIRE(show.exit_code == 0);
    const auto s = show.json();
    CHECK(s["toolchain"] == "cpp");
    CHECK(s["check"]["mode"] == "vector");
    bool has_toml = false;
    for (const auto& f : s["files"])
        has_toml |= f["path"] == "mp.toml";
    CHECK(has_toml);

    const auto human = wbtool({"mp", "show", "vecadd"});
    CHECK_THAT(human.out,
               Catch::Contains("toolchain:  cpp") && Catch::Contains("datasets/0/output.raw"));
}

TEST_CASE("re-importing an identical bundle is a no-op, and a changed one is a new version") {
    Wbtool wbtool;
    const auto copy = wbtool.tmp() / "vecadd";
    copy_tree(example("vecadd"), copy);
    REQUIRE(wbtool({"-q", "mp", "import", copy.string()}).exit_code == 0);

    const auto again = wbtool({"-q", "mp", "import", copy.string(), "--json"});
    REQUIRE(again.exit_code == 0);
    CHECK(again.json()["created"] == false);
    CHECK(again.json()["version"] == 1);

    write_text(copy / "description.md", "A changed description.\n");
    const auto changed = wbtool({"-q", "mp", "import", copy.string(), "--json"});
    REQUIRE(changed.exit_code == 0);
    CHECK(changed.json()["created"] == true);
    CHECK(changed.json()["version"] == 2);

    const auto v1 = wbtool({"mp", "show", "vecadd", "--version", "1", "--json"});
    CHECK(v1.json()["version"] == 1);
    CHECK(v1.json()["versions"] == nlohmann::json::array({1, 2}));
    const auto v9 = wbtool({"mp", "show", "vecadd", "--version", "9"});
    CHECK(v9.exit_code == 2);
    CHECK_THAT(v9.err, Catch::Contains("no version 9"));
}

TEST_CASE("mp import --verify grades the reference solution first") {
    Wbtool wbtool;
    const auto ok = wbtool({"-q", "mp", "import", "--verify", example("histogram").string()});
    INFO(ok.out << ok.err);
    CHECK(ok.exit_code == 0);

    const auto copy = wbtool.tmp() / "broken-vecadd";
    copy_tree(example("vecadd"), copy);
    std::filesystem::copy_file(copy / "template.cpp", copy / "solution.cpp",
                               std::filesystem::copy_options::overwrite_existing);
    const auto bad = wbtool({"-q", "mp", "import", "--verify", copy.string()});
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.err, Catch::Contains("reference solution is not correct") &&
                            Catch::Contains("nothing was imported"));
    const auto list = wbtool({"mp", "list", "--json"});
    CHECK(list.json().size() == 1);
}

TEST_CASE("a malformed mp.toml is refused with file and line, and nothing is stored") {
    Wbtool wbtool;
    const auto copy = wbtool.tmp() / "vecadd";
    copy_tree(example("vecadd"), copy);
    std::ofstream(copy / "mp.toml", std::ios::app) << "\n[check\nmode = \n";
    const auto run = wbtool({"-q", "mp", "import", copy.string()});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::StartsWith("wbtool: error: ") && Catch::Contains("mp.toml:"));
    CHECK_FALSE(std::filesystem::exists(wbtool.data_dir()));

    const auto graded =
        wbtool({"-q", "grade", "--local", copy.string(), (copy / "solution.cpp").string()});
    CHECK(graded.exit_code == 2);
    CHECK_THAT(graded.err, Catch::Contains("mp.toml:"));
}

TEST_CASE("a malformed config.json is refused with its line") {
    Wbtool wbtool;
    const auto dir = wbtool.tmp() / "legacy";
    write_text(dir / "config.json", "{\n  \"name\": \"x\",\n  \"data\": [\n}\n");
    write_text(dir / "template.cu", "int main() {}\n");
    const auto run = wbtool({"-q", "mp", "import", dir.string()});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("config.json:4"));
    CHECK_FALSE(std::filesystem::exists(wbtool.data_dir()));
}

TEST_CASE("a directory that is not a bundle is refused") {
    Wbtool wbtool;
    std::filesystem::create_directories(wbtool.tmp() / "empty");
    const auto run = wbtool({"-q", "mp", "import", (wbtool.tmp() / "empty").string()});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("not an MP bundle"));
    const auto missing = wbtool({"-q", "mp", "import", (wbtool.tmp() / "nope").string()});
    CHECK(missing.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(wbtool.data_dir()));
}

TEST_CASE("bad programs are refused before anything runs: missing, huge, empty, and a binary is a "
          "compile error") {
    Wbtool wbtool;
    const auto mp = example("vecadd").string();
    const auto grade = [&](const std::filesystem::path& p) {
        return wbtool({"-q", "grade", "--local", mp, p.string()});
    };

    const auto missing = grade(wbtool.tmp() / "nope.cpp");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("nope.cpp: no such file"));

    {
        std::ofstream bin(wbtool.tmp() / "a.out", std::ios::binary);
        bin << std::string("\x7f"
                           "ELF\x02\x01\x01\0\0\0",
                           10);
    }
    // A binary submitted as the program is the student's mistake, graded as
    // such (issue 19), not the caller's.
    const auto binary = grade(wbtool.tmp() / "a.out");
    CHECK(binary.exit_code == 1);
    CHECK_THAT(binary.out, Catch::Contains("compile_error") && Catch::Contains("a.out:1:") &&
                               Catch::Contains("binary file"));
    CHECK_THAT(binary.out,
               Catch::Contains("lost 100 points: the program did not compile, so no dataset ran"));

    {
        std::ofstream big(wbtool.tmp() / "big.cpp", std::ios::binary);
        const std::string line(1023, '/');
        for (int i = 0; i < 50 * 1024; ++i)
            big << line << '\n'; // 50 MiB
    }
    const auto huge = grade(wbtool.tmp() / "big.cpp");
    CHECK(huge.exit_code == 2);
    CHECK_THAT(huge.err, Catch::Contains("big.cpp") && Catch::Contains("over the limit"));

    write_text(wbtool.tmp() / "empty.cpp", "\n\n");
    const auto empty = grade(wbtool.tmp() / "empty.cpp");
    CHECK(empty.exit_code == 2);
    CHECK_THAT(empty.err, Catch::Contains("empty"));

    CHECK_FALSE(std::filesystem::exists(wbtool.data_dir()));
    CHECK_FALSE(std::filesystem::exists(wbtool.cache_dir() / "programs"));
}

TEST_CASE("usage errors exit 2 with CLI11's message, and --help and --version work") {
    Wbtool wbtool;
    const auto none = wbtool({});
    CHECK(none.exit_code == 2);
    const auto unknown = wbtool({"grade", "--local", "--frobnicate", "a", "b"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("frobnicate"));
    const auto remote = wbtool({"grade", example("vecadd").string(), "x.cpp"});
    CHECK(remote.exit_code == 2);
    CHECK_THAT(remote.err, Catch::Contains("--local"));

    const auto help = wbtool({"grade", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("--dataset") && Catch::Contains("--json") &&
                             Catch::Contains("--local"));
    const auto version = wbtool({"--version"});
    CHECK(version.exit_code == 0);
    CHECK_THAT(version.out, Catch::StartsWith("wbtool "));
}

TEST_CASE("libwb --export gives a student the grader's headers") {
    Wbtool wbtool;
    const auto dir = wbtool.tmp() / "libwb";
    const auto run = wbtool({"libwb", "--export", dir.string()});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(std::filesystem::exists(dir / "wb.h"));
    // The exported headers compile a program (compiled only; never run bare).
    const auto compiled =
        wb::test::run_process({"/usr/bin/g++", "-std=c++17", "-fsyntax-only", "-I" + dir.string(),
                               (example("vecadd") / "solution.cpp").string()});
    INFO(compiled.err);
    CHECK(compiled.exit_code == 0);

    const auto flags = wbtool({"libwb", "--cflags"});
    CHECK(flags.exit_code == 0);
    CHECK_THAT(flags.out, Catch::StartsWith("-I") && Catch::Contains("libwb"));
}

TEST_CASE("with --json an error is a JSON object on stdout as well as a line on stderr") {
    Wbtool wbtool;
    const auto missing =
        wbtool({"grade", "--local", (wbtool.tmp() / "nowhere").string(), "x.cpp", "--json"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("wbtool: error:") && Catch::Contains("nowhere"));
    const auto j = missing.json();
    CHECK(j["error"]["code"] == "usage");
    CHECK(j["error"]["exit_code"] == 2);
    CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::Contains("nowhere"));
    // Without --json, stdout stays empty.
    const auto plain = wbtool({"grade", "--local", (wbtool.tmp() / "nowhere").string(), "x.cpp"});
    CHECK(plain.exit_code == 2);
    CHECK(plain.out.empty());
}

// A data directory the user must fix is a usage error (2); a damaged
// database is internal (4), with what to do about it: neither is a crash,
// and both name the file.
TEST_CASE("a store that cannot be used says why, with the exit code of its kind") {
    Wbtool wbtool;
    write_text(wbtool.data_dir(), "x"); // a file where the data directory should be
    const auto file = wbtool({"mp", "list"});
    CHECK(file.exit_code == 2);
    CHECK_THAT(file.err, Catch::StartsWith("wbtool: error: cannot create data directory"));

    std::filesystem::remove(wbtool.data_dir());
    std::filesystem::create_directories(wbtool.data_dir());
    write_text(wbtool.data_dir() / "wbtool.db", std::string(4096, 'x'));
    for (const char* command : {"list", "show"}) {
        std::vector<std::string> args = {"mp", command, "--json"};
        if (std::string(command) == "show") args.insert(args.begin() + 2, "vecadd");
        const auto damaged = wbtool(args);
        INFO(command << ": " << damaged.err);
        CHECK(damaged.exit_code == 4);
        CHECK_THAT(damaged.err, Catch::Contains("wbtool.db: file is not a database") &&
                                    Catch::Contains("restore it from a backup"));
        CHECK(damaged.json()["error"]["exit_code"] == 4);
    }
    const auto mp = wbtool({"-q", "mp", "import", example("vecadd").string()});
    CHECK(mp.exit_code == 4);
}
