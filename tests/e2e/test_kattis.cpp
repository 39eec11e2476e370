// Kattis / ICPC problem packages end to end: a package built in a temporary
// directory as problem authors write them (problem.yaml, data/sample,
// data/secret, an output validator, submissions/accepted and wrong_answer),
// imported with `wbtool mp import` and checked with `wbtool mp verify`.
#include "runner.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

using wb::test::Wbtool;
using wb::test::write_text;

namespace {

// "Print N doubled" with `validation` and `validator_flags` as given.
std::filesystem::path make_package(const Wbtool& wbtool, const std::string& name,
                                   const std::string& yaml) {
    const auto dir = wbtool.tmp() / name;
    write_text(dir / "problem.yaml", yaml);
    write_text(dir / "data/sample/1.in", "3\n");
    write_text(dir / "data/sample/1.ans", "6\n");
    write_text(dir / "data/secret/big.in", "1000000\n");
    write_text(dir / "data/secret/big.ans", "2000000\n");
    write_text(dir / "submissions/accepted/double.cpp",
               "#include <cstdio>\nint main() { long n; std::scanf(\"%ld\", &n); "
               "std::printf(\"%ld\\n\", 2 * n); }\n");
    write_text(dir / "submissions/accepted/double.c",
               "#include <stdio.h>\nint main(void) { long n; scanf(\"%ld\", &n); "
               "printf(\"%ld.0\\n\", 2 * n); return 0; }\n");
    write_text(dir / "submissions/wrong_answer/triple.c",
               "#include <stdio.h>\nint main(void) { long n; scanf(\"%ld\", &n); "
               "printf(\"%ld\\n\", 3 * n); return 0; }\n");
    write_text(dir / "submissions/time_limit_exceeded/spin.c", "int main(void) { for (;;) {} }\n");
    write_text(dir / "submissions/run_time_error/crash.c",
               "/* @EXPECTED_RESULTS@: RUN-ERROR, WRONG-ANSWER */\n#include <stdlib.h>\n"
               "int main(void) { abort(); }\n");
    write_text(dir / ".timelimit", "0.5\n");
    return dir;
}

// Accepts any number equal to twice N, as a number ("6.0" too).
constexpr const char* validator = R"(#include <fstream>
#include <iostream>
#include <string>
int main(int argc, char** argv) {
    long n = 0;
    std::ifstream(argv[1]) >> n;
    double got = 0;
    if (!(std::cin >> got) || got != 2.0 * n) {
        std::ofstream(std::string(argv[3]) + "judgemessage.txt") << "not twice " << n << "\n";
        return 43;
    }
    return argc > 4 && std::string(argv[4]) == "strict" ? 42 : 1;
}
)";

} // namespace

TEST_CASE("a Kattis package with an output validator imports and verifies") {
    Wbtool wbtool;
    const auto dir = make_package(wbtool, "Double It",
                                  "name: Double it\nvalidation: custom\n"
                                  "validator_flags: strict\nlimits:\n  memory: 256\n"
                                  "author: Someone\n");
    write_text(dir / "output_validators/twice/twice.cpp", validator);

    const auto imported = wbtool({"--quiet", "mp", "import", "--json", dir.string()});
    INFO(imported.out << imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK_THAT(imported.err, Catch::Contains("the id is 'double-it'"));
    const auto shown = wbtool({"mp", "show", "--json", "double-it"});
    INFO(shown.out << shown.err);
    const auto j = nlohmann::json::parse(shown.out);
    CHECK(j["title"] == "Double it");
    CHECK(j["layout"] == "kattis");
    CHECK(j["check"]["mode"] == "validator");
    CHECK(j["datasets"].size() == 2);

    const auto verified = wbtool({"--quiet", "mp", "verify", "--json", dir.string()});
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    const auto v = nlohmann::json::parse(verified.out);
    CHECK(v["all_match"] == true);
    CHECK(v["results"].size() == 5);
    for (const auto& r : v["results"]) {
        INFO(r.dump());
        CHECK(r["matches"] == true);
    }
    CHECK(v["results"][2]["expected_from"] == "@EXPECTED_RESULTS@");
}

TEST_CASE("a Kattis validator that fails is an internal_error, not the student's") {
    Wbtool wbtool;
    // Without the `strict` flag the validator exits 1 for a right answer.
    const auto dir = make_package(wbtool, "broken", "validation: custom\n");
    write_text(dir / "output_validators/twice.cpp", validator);
    const auto verified = wbtool({"--quiet", "mp", "verify", dir.string()});
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 1);
    CHECK_THAT(verified.out, Catch::Contains("internal_error") &&
                                 Catch::Contains("the output validator failed (exit code 1") &&
                                 Catch::Contains("MISMATCH"));
    // A rejection shows the validator's judgemessage.txt.
    CHECK_THAT(verified.out, Catch::Contains("not twice 3"));
}

TEST_CASE("a Kattis package with the default validator reads its validator_flags") {
    Wbtool wbtool;
    const auto dir = make_package(wbtool, "tolerant",
                                  "name: {en: Double it, sv: Dubbla}\n"
                                  "validator_flags: float_tolerance 1e-6\n");
    const auto verified = wbtool({"--quiet", "mp", "verify", dir.string()});
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    CHECK_THAT(verified.out, Catch::Contains("tolerant: 5 of 5 submissions got the verdict "
                                             "expected of them"));
    // Without a tolerance "12.0" is not the token "12".
    write_text(dir / "problem.yaml", "name: Double it\n");
    const auto exact = wbtool({"--quiet", "mp", "verify", dir.string()});
    CHECK(exact.exit_code == 1);
    CHECK_THAT(exact.out,
               Catch::Contains("submissions/accepted/double.c") && Catch::Contains("MISMATCH"));
    // grade --local compiles a .c file of a package as C.
    const auto graded = wbtool({"--quiet", "grade", "--local", dir.string(),
                                (dir / "submissions/accepted/double.cpp").string()});
    CHECK(graded.exit_code == 0);
}

TEST_CASE("a Kattis package that wbtool cannot grade is refused with the reason") {
    Wbtool wbtool;
    const auto dir = make_package(wbtool, "interactive", "validation: custom interactive\n");
    const auto run = wbtool({"--quiet", "mp", "import", dir.string()});
    CHECK(run.exit_code != 0);
    CHECK_THAT(run.err, Catch::Contains("interactive/problem.yaml:1: validation 'custom "
                                        "interactive': an interactive problem cannot be graded"));
    write_text(dir / "problem.yaml", "validator_flags: float_tolerence 1\n");
    const auto flags = wbtool({"--quiet", "mp", "import", dir.string()});
    CHECK_THAT(flags.err, Catch::Contains("unknown flag 'float_tolerence'"));
}
