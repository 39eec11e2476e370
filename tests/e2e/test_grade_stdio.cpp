// Classic judge problems end to end: `[run] io = "stdio"` bundles of our
// own (tests/e2e/problems/) graded by the real `wbtool grade --local`, with
// programs that print what students print: no final newline, CRLF, blank
// lines, tabs, another case, a float to fewer digits; and programs that
// sleep, start threads, flood stderr or close stdout.
#include "grade_helpers.h"
#include "runner.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

using wb::test::grade_json;
using wb::test::Run;
using wb::test::Wbtool;
using wb::test::write_text;

namespace {

std::filesystem::path problem(const std::string& name) {
    return wb::test::source_dir() / "tests" / "e2e" / "problems" / name;
}

// A hello-stdio program that reads the name and prints `body` with it:
// `out` is the expression written to std::cout.
std::string hello(const std::string& out, const std::string& before = "") {
    return "#include <iostream>\n#include <string>\n#include <algorithm>\n"
           "int main(int argc, char** argv) {\n    (void)argc;\n    (void)argv;\n"
           "    std::string name;\n    std::getline(std::cin, name);\n" +
           before + "    std::cout << " + out + ";\n    return 0;\n}\n";
}

Run grade_text(const Wbtool& wbtool, const std::string& mp, const std::string& file,
               const std::string& text) {
    write_text(wbtool.tmp() / file, text);
    return grade_json(wbtool, problem(mp), wbtool.tmp() / file);
}

} // namespace

TEST_CASE("stdio: the bundles' own solutions are correct and their templates are not") {
    Wbtool wbtool;
    for (const char* name : {"hello-stdio", "circle-area"}) {
        const auto good = grade_json(wbtool, problem(name), problem(name) / "solution.cpp");
        INFO(name << "\n" << good.out << good.err);
        CHECK(good.exit_code == 0);
        CHECK(good.json()["verdict"] == "correct");
        const auto bad = grade_json(wbtool, problem(name), problem(name) / "template.cpp");
        CHECK(bad.json()["verdict"] == "wrong_answer");
        CHECK_THAT(bad.json()["message"].get<std::string>(),
                   Catch::Contains("the program wrote nothing on its standard output"));
    }
}

TEST_CASE("stdio: the way a line ends, blank lines, tabs and case do not matter") {
    Wbtool wbtool;
    const std::vector<std::pair<std::string, std::string>> programs = {
        {"no-newline.cpp", hello("\"Hello, \" << name << \"!\"")},
        {"crlf.cpp", hello("\"Hello, \" << name << \"!\\r\\n\"")},
        {"blank-lines.cpp", hello("\"\\n\\nHello, \" << name << \"!\\n\\n\\n\"")},
        {"tabs.cpp", hello("\"\\tHello,\\t\" << name << \"!\\t\\n\"")},
        {"upper.cpp", hello("\"HELLO, \" << name << \"!\\n\"",
                            "    std::transform(name.begin(), name.end(), name.begin(),\n"
                            "                   [](unsigned char c) { return std::toupper(c); "
                            "});\n")},
    };
    for (const auto& [file, text] : programs) {
        const auto run = grade_text(wbtool, "hello-stdio", file, text);
        INFO(file << "\n" << run.out << run.err);
        CHECK(run.exit_code == 0);
        CHECK(run.json()["verdict"] == "correct");
    }
}

TEST_CASE("stdio: a wrong greeting is a wrong_answer naming the token") {
    Wbtool wbtool;
    const auto run =
        grade_text(wbtool, "hello-stdio", "hi.cpp", hello("\"Hi, \" << name << \"!\\n\""));
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "wrong_answer");
    CHECK(j["datasets"][0]["message"] == "token 1 (line 1): expected 'Hello,', got 'Hi,'");
}

TEST_CASE("stdio: the program is ./program with no arguments, its input on stdin") {
    Wbtool wbtool;
    const auto run = grade_text(
        wbtool, "hello-stdio", "argv.cpp",
        hello("\"Hello, \" << name << \"!\\n\"",
              "    std::cerr << \"argv0=\" << argv[0] << \" argc=\" << argc << \"\\n\";\n"));
    INFO(run.out << run.err);
    const auto j = run.json();
    CHECK(j["verdict"] == "correct");
    const auto output = j["datasets"][0]["output"].get<std::string>();
    CHECK_THAT(output, Catch::Contains("argv0=./program argc=1"));
    CHECK_THAT(output, !Catch::Contains(wbtool.cache_dir().string()));
}

TEST_CASE("stdio: a program that closes stdout is judged on what it wrote") {
    Wbtool wbtool;
    const auto run = grade_text(wbtool, "hello-stdio", "close.cpp",
                                "#include <cstdio>\n#include <unistd.h>\n#include <string>\n"
                                "#include <iostream>\n"
                                "int main() {\n    std::string name;\n"
                                "    std::getline(std::cin, name);\n"
                                "    std::printf(\"Hello, %s!\\n\", name.c_str());\n"
                                "    std::fclose(stdout);\n    close(1);\n"
                                "    std::fprintf(stderr, \"stdout closed\\n\");\n"
                                "    return 0;\n}\n");
    INFO(run.out << run.err);
    CHECK(run.json()["verdict"] == "correct");
}

TEST_CASE("stdio: sleeping past wall_time_s is a time_limit with little CPU time") {
    Wbtool wbtool;
    const auto run = grade_text(wbtool, "hello-stdio", "sleep.cpp",
                                "#include <unistd.h>\nint main() { sleep(30); return 0; }\n");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "time_limit");
    const auto& d = j["datasets"][0];
    CHECK(d["verdict"] == "time_limit");
    CHECK(d["cpu_s"].get<double>() < 0.5);
    CHECK(d["wall_s"].get<double>() >= 1.9); // wall_time_s = 2
    CHECK(d["wall_s"].get<double>() < 10.0);
    CHECK_THAT(d["message"].get<std::string>(), Catch::Contains("wall"));
}

TEST_CASE("stdio: 16 threads with default stacks under 256 MiB are correct") {
    Wbtool wbtool;
    const auto run =
        grade_text(wbtool, "hello-stdio", "threads.cpp",
                   "#include <atomic>\n#include <iostream>\n#include <string>\n#include <thread>\n"
                   "#include <vector>\n"
                   "int main() {\n    std::string name;\n    std::getline(std::cin, name);\n"
                   "    std::atomic<long> sum{0};\n    std::vector<std::thread> threads;\n"
                   "    for (int i = 0; i < 16; ++i)\n"
                   "        threads.emplace_back([&sum, i] { std::vector<long> v(100000, i);\n"
                   "            for (long x : v) sum += x; });\n"
                   "    for (auto& t : threads) t.join();\n"
                   "    std::cerr << sum << \"\\n\";\n"
                   "    std::cout << \"Hello, \" << name << \"!\\n\";\n}\n");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.json()["verdict"] == "correct");
}

TEST_CASE("stdio: a flood on stderr alone is an output_limit") {
    Wbtool wbtool;
    const auto run = grade_text(wbtool, "hello-stdio", "flood.cpp",
                                "#include <cstdio>\n"
                                "int main() { for (long i = 0; i < 10000000; ++i)\n"
                                "    std::fputs(\"diagnostic line\\n\", stderr);\n}\n");
    INFO(run.out << run.err);
    const auto j = run.json();
    CHECK(j["verdict"] == "output_limit");
    CHECK_THAT(j["datasets"][0]["message"].get<std::string>(),
               Catch::Contains("over the limit of 64 KiB"));
}

TEST_CASE("stdio: a flood on stdout is an output_limit too") {
    Wbtool wbtool;
    const auto run = grade_text(wbtool, "hello-stdio", "flood-out.cpp",
                                "#include <cstdio>\n"
                                "int main() { for (;;) std::fputs(\"Hello, World!\\n\", stdout); "
                                "}\n");
    INFO(run.out << run.err);
    CHECK(run.json()["verdict"] == "output_limit");
}

TEST_CASE("a source with NUL bytes is a compile_error that says why") {
    Wbtool wbtool;
    std::string binary = "\x7f"
                         "ELF";
    binary += std::string(3, '\0') + "int main() {}\n";
    const auto run = grade_text(wbtool, "hello-stdio", "a.out.cpp", binary);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "compile_error");
    CHECK_THAT(j["message"].get<std::string>(),
               Catch::Contains("a.out.cpp:1: a NUL byte: this is a binary file"));
    CHECK(j["compile"]["verdict"] == "compile_error");
    CHECK(j["datasets"].empty());
    // The table says the same.
    const auto table = wbtool({"--quiet", "grade", "--local", problem("hello-stdio").string(),
                               (wbtool.tmp() / "a.out.cpp").string()});
    CHECK(table.exit_code == 1);
    CHECK_THAT(table.out, Catch::Contains("compile_error") && Catch::Contains("a NUL byte"));
}

TEST_CASE("tokens with a tolerance grade a float answer with no count line") {
    Wbtool wbtool;
    const std::string head = "#include <cmath>\n#include <cstdio>\nint main() {\n"
                             "    int n = 0;\n    if (std::scanf(\"%d\", &n) != 1) return 1;\n"
                             "    for (int i = 0; i < n; ++i) {\n        double r = 0;\n"
                             "        if (std::scanf(\"%lf\", &r) != 1) return 1;\n";
    const auto area = [&](const std::string& print) {
        return head + "        " + print + ";\n    }\n}\n";
    };
    // Fewer digits, in exponent form: within 1e-6 absolute or relative.
    auto run = grade_text(wbtool, "circle-area", "short.cpp",
                          area("std::printf(\"%.8g\\n\", M_PI * r * r)"));
    INFO(run.out << run.err);
    CHECK(run.json()["verdict"] == "correct");
    run = grade_text(wbtool, "circle-area", "rough.cpp",
                     area("std::printf(\"%.4f\\n\", 3.14 * r * r)"));
    CHECK(run.json()["verdict"] == "wrong_answer");
    CHECK(run.json()["datasets"][0]["message"] ==
          "token 1 (line 1): expected '3.141592653590', got '3.1400'");
    run = grade_text(wbtool, "circle-area", "nan.cpp", area("std::printf(\"nan\\n\")"));
    CHECK(run.json()["verdict"] == "wrong_answer");
}

TEST_CASE("a stdio problem grades with a relative --cache") {
    wb::test::TempDir tmp;
    const auto run = wb::test::run_process(
        {WBTOOL_BINARY, "--data", "data", "--cache", "cache", "--quiet", "grade", "--local",
         problem("hello-stdio").string(), (problem("hello-stdio") / "solution.cpp").string()},
        tmp.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("hello-stdio: correct (3/3 datasets correct)"));
}

TEST_CASE("a program cannot hand the output validator the expected answer through a link") {
    // It learns where its input is (its standard input, opened for it),
    // and replaces its standard output file with a link to the answer
    // beside it: the validator must never read through that link.
    Wbtool wbtool;
    const auto r = grade_text(wbtool, "sum-pair", "link.c", R"(#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    char in[4096] = {0};
    if (readlink("/proc/self/fd/0", in, sizeof in - 1) <= 0) return 1;
    char *dot = strrchr(in, '.');
    if (!dot) return 1;
    strcpy(dot, ".ans");
    fflush(stdout);
    unlink("stdout");
    if (symlink(in, "stdout") != 0) return 1;
    fprintf(stderr, "linked to %s\n", in);
    return 0;
}
)");
    const auto j = r.json();
    INFO(j.dump(2));
    CHECK(j["verdict"] == "wrong_answer");
    CHECK_THAT(j["datasets"][0]["message"].get<std::string>(), Catch::Contains("symbolic link"));
}
