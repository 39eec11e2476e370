// `wbtool grade --local` end to end: the real binary compiles and runs
// programs in the sandbox and reports verdicts a TA can act on.
#include "grade_helpers.h"
#include "runner.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using wb::test::double_program;
using wb::test::example;
using wb::test::grade_json;
using wb::test::make_double_mp;
using wb::test::Run;
using wb::test::Wbtool;
using wb::test::write_text;

TEST_CASE("every example MP's reference solution is all correct") {
    Wbtool wbtool;
    for (const char* name : {"vecadd", "matmul", "histogram", "grayscale"}) {
        const auto mp = example(name);
        const auto run = grade_json(wbtool, mp, mp / "solution.cpp");
        INFO(name << "\nstdout: " << run.out << "\nstderr: " << run.err);
        CHECK(run.exit_code == 0);
        const auto j = run.json();
        CHECK(j["verdict"] == "correct");
        CHECK(j["mp"] == name);
        REQUIRE(j["datasets"].size() >= 4);
        for (const auto& d : j["datasets"]) {
            CHECK(d["verdict"] == "correct");
            CHECK(d["cpu_s"].get<double>() >= 0.0);
            CHECK(d["wall_s"].get<double>() > 0.0);
            CHECK(d["max_rss_kib"].get<std::uint64_t>() > 0);
            CHECK(d["message"] == "");
        }
    }
}

TEST_CASE("an example's template compiles but is not correct") {
    Wbtool wbtool;
    const auto mp = example("vecadd");
    const auto run = grade_json(wbtool, mp, mp / "template.cpp");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK(run.json()["compile"]["verdict"] == "correct");
    CHECK(run.json()["verdict"] != "correct");
}

TEST_CASE("a correct program gets a table of correct datasets and exit 0") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "good.cpp", double_program("out[i] = 2 * in[i]"));
    const auto run =
        wbtool({"grade", "--local", mp.string(), (wbtool.tmp() / "good.cpp").string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("dataset") && Catch::Contains("verdict") &&
                            Catch::Contains("cpu s") && Catch::Contains("memory"));
    CHECK_THAT(run.out, Catch::Contains("double: correct (2/2 datasets correct)"));
    CHECK_THAT(run.out, !Catch::Contains("\033[")); // no colour when not a terminal
}

TEST_CASE("a wrong program is told which dataset failed, where, expected what, got what") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    // Correct except for the last element of dataset 1 (index 3: 7 -> 15 instead of 14).
    write_text(wbtool.tmp() / "wrong.cpp",
               double_program("out[i] = in[i] == 7.0f ? 15.0f : 2 * in[i]"));
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "wrong.cpp");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "wrong_answer");
    CHECK(j["datasets"][0]["verdict"] == "correct");
    CHECK(j["datasets"][1]["verdict"] == "wrong_answer");
    const auto msg = j["datasets"][1]["message"].get<std::string>();
    CHECK_THAT(msg,
               Catch::Contains("3") && Catch::Contains("expected 14") && Catch::Contains("got 15"));
    CHECK_THAT(j["message"].get<std::string>(), Catch::StartsWith("dataset 1:"));

    const auto table =
        wbtool({"--quiet", "grade", "--local", mp.string(), (wbtool.tmp() / "wrong.cpp").string()});
    CHECK_THAT(table.out, Catch::Contains("wrong_answer") && Catch::Contains("expected 14"));
}

TEST_CASE("the program's claim of success is not believed") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(
        wbtool.tmp() / "liar.cpp",
        "#include <cstdio>\nint main() { std::puts(\"The solution is correct\"); return 0; }\n");
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "liar.cpp");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK(run.json()["datasets"][0]["verdict"] == "wrong_answer");
    CHECK_THAT(run.json()["datasets"][0]["message"].get<std::string>(),
               Catch::Contains("no output file"));
}

TEST_CASE("a syntax error is a compile_error with the compiler's message") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "broken.cpp", "#include <wb.h>\nint main() {\n    int x = ;\n}\n");
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "broken.cpp");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "compile_error");
    CHECK(j["datasets"].empty());
    const auto output = j["compile"]["output"].get<std::string>();
    // Diagnostics name the student's file, not the name it was compiled as.
    CHECK_THAT(output, Catch::Contains("broken.cpp:3:") && Catch::Contains("error"));
    CHECK_THAT(output, !Catch::Contains("main.cpp"));
    CHECK_THAT(j["message"].get<std::string>(),
               Catch::Contains("compile error") && Catch::Contains("broken.cpp:3:"));
}

TEST_CASE("an endless loop gets time_limit within about the limit") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp()); // run_time_s = 1
    write_text(wbtool.tmp() / "loop.cpp",
               "int main() { volatile unsigned long x = 0; for (;;) ++x; }\n");
    const auto start = std::chrono::steady_clock::now();
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "loop.cpp", {"--dataset", "0"});
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "time_limit");
    REQUIRE(j["datasets"].size() == 1);
    const auto& d = j["datasets"][0];
    CHECK(d["verdict"] == "time_limit");
    CHECK(d["cpu_s"].get<double>() >= 0.9);
    CHECK(d["wall_s"].get<double>() <
          5.0);            // stopped by CPU time, before the wall clock (3 x 1 s + 2)
    CHECK(elapsed < 20.0); // compile + one run, generous for a loaded machine
}

TEST_CASE("a forbidden keyword is refused before compiling, naming the keyword and line") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "sneaky.cpp",
               "#include <cstdlib>\n// system is fine in a comment\nint main() {\n"
               "    const char* s = \"system\";\n    return std::system(s);\n}\n");
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "sneaky.cpp");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "forbidden_keyword");
    CHECK(j["compile"].is_null());
    CHECK_THAT(j["message"].get<std::string>(),
               Catch::Contains("sneaky.cpp:5:") && Catch::Contains("'system'"));
    CHECK_FALSE(std::filesystem::exists(wbtool.cache_dir() / "programs"));
}

TEST_CASE("a compiler's version is kept in the cache for later processes, part of the key") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "good.cpp", double_program("out[i] = 2 * in[i]"));
    REQUIRE(grade_json(wbtool, mp, wbtool.tmp() / "good.cpp").json()["compile"]["cached"] == false);
    const auto kept_dir = wbtool.cache_dir() / "compilers";
    std::vector<std::filesystem::path> kept;
    for (const auto& e : std::filesystem::directory_iterator(kept_dir))
        kept.push_back(e.path());
    REQUIRE(kept.size() == 1);
    std::ifstream in(kept[0]);
    std::string line;
    std::getline(in, line);
    CHECK_THAT(line, Catch::StartsWith("g++"));
    // A later process reads the version kept (no `g++ --version` run): a
    // different one there makes a different key, so the program compiles
    // again.
    write_text(kept[0], "g++ (a version kept by an earlier process) 0.0");
    CHECK(grade_json(wbtool, mp, wbtool.tmp() / "good.cpp").json()["compile"]["cached"] == false);
    // Gone, it is asked again, and the first key is found.
    std::filesystem::remove(kept[0]);
    CHECK(grade_json(wbtool, mp, wbtool.tmp() / "good.cpp").json()["compile"]["cached"] == true);
    CHECK(std::filesystem::exists(kept[0]));
}

TEST_CASE("grading the same program twice compiles once") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "good.cpp", double_program("out[i] = 2 * in[i]"));
    const auto first = grade_json(wbtool, mp, wbtool.tmp() / "good.cpp");
    const auto second = grade_json(wbtool, mp, wbtool.tmp() / "good.cpp");
    INFO(first.out << second.out);
    CHECK(first.json()["compile"]["cached"] == false);
    CHECK(second.json()["compile"]["cached"] == true);
    CHECK(second.json()["verdict"] == "correct");
}

TEST_CASE("grading one dataset with --dataset, and an unknown one is a usage error") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "good.cpp", double_program("out[i] = 2 * in[i]"));
    const auto one = grade_json(wbtool, mp, wbtool.tmp() / "good.cpp", {"--dataset", "1"});
    REQUIRE(one.json()["datasets"].size() == 1);
    CHECK(one.json()["datasets"][0]["index"] == 1);

    const auto bad = grade_json(wbtool, mp, wbtool.tmp() / "good.cpp", {"--dataset", "9"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("no dataset 9") && Catch::Contains("0, 1"));
}

TEST_CASE("a crash is a runtime_error with the signal") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "crash.cpp",
               "int main() { volatile int* p = nullptr; return *p; }\n");
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "crash.cpp", {"--dataset", "0"});
    INFO(run.out << run.err);
    const auto j = run.json();
    const auto& d = j["datasets"][0];
    CHECK(d["verdict"] == "runtime_error");
    CHECK(d["signal"] == 11);
    CHECK_THAT(d["message"].get<std::string>(), Catch::Contains("SIGSEGV"));
}

TEST_CASE("a legacy config.json MP grades the same as its mp.toml twin") {
    Wbtool wbtool;
    const auto native = make_double_mp(wbtool.tmp());
    const auto legacy = wbtool.tmp() / "legacy-double";
    write_text(legacy / "config.json",
               R"({"name": "Double a vector", "language": "cpp",
                   "data": [{"input": ["input0.raw"], "output": "output.raw"},
                            {"input": ["input0.raw"], "output": "output.raw"}],
                   "input_type": "vector", "output_type": "vector", "keyword": ["system", "fork"]})");
    write_text(legacy / "description.markdown", "---\ntitle: Double\n---\nDouble every element.\n");
    write_text(legacy / "template.cu", "int main() { return 0; }\n");
    for (const char* k : {"0", "1"}) {
        std::filesystem::create_directories(legacy / "data" / k);
        for (const char* f : {"input0.raw", "output.raw"})
            std::filesystem::copy_file(native / "datasets" / k / f, legacy / "data" / k / f);
    }
    write_text(wbtool.tmp() / "wrong.cpp",
               double_program("out[i] = in[i] == 7.0f ? 15.0f : 2 * in[i]"));
    write_text(wbtool.tmp() / "good.cpp", double_program("out[i] = 2 * in[i]"));
    for (const char* prog : {"good.cpp", "wrong.cpp"}) {
        const auto a = grade_json(wbtool, native, wbtool.tmp() / prog).json();
        const auto b = grade_json(wbtool, legacy, wbtool.tmp() / prog).json();
        INFO(prog << "\n" << a.dump(2) << "\n" << b.dump(2));
        CHECK(a["verdict"] == b["verdict"]);
        REQUIRE(a["datasets"].size() == b["datasets"].size());
        for (std::size_t i = 0; i < a["datasets"].size(); ++i) {
            CHECK(a["datasets"][i]["verdict"] == b["datasets"][i]["verdict"]);
            CHECK(a["datasets"][i]["message"] == b["datasets"][i]["message"]);
        }
    }
}

TEST_CASE("the CUDA example's reference solution compiles with nvcc") {
    const bool have_nvcc =
        std::filesystem::exists("/usr/local/cuda/bin/nvcc") ||
        wb::test::run_process({"/bin/sh", "-c", "command -v nvcc"}).exit_code == 0;
    if (!have_nvcc) wb::test::skip("nvcc is not installed on this machine");
    Wbtool wbtool;
    const auto mp = example("vecadd-cuda");
    const auto run = grade_json(wbtool, mp, mp / "solution.cu", {"--dataset", "0"});
    INFO(run.out << run.err);
    const auto j = run.json();
    CHECK(j["compile"]["verdict"] == "correct");
    if (std::filesystem::exists("/dev/nvidia0") &&
        std::filesystem::exists("/proc/driver/nvidia/version")) {
        CHECK(j["verdict"] == "correct");
        CHECK(run.exit_code == 0);
    } else {
        // No GPU: the grader's machine is at fault, not the program, and says so.
        CHECK(j["verdict"] == "internal_error");
        CHECK(run.exit_code == 4);
        CHECK_THAT(j["message"].get<std::string>(), Catch::Contains("the program compiled, but") &&
                                                        Catch::Contains("no NVIDIA driver"));
    }
}

// Where a GPU is: a kernel that writes out of bounds is the student's
// runtime_error, carrying the CUDA error; an endless kernel is stopped at the
// time limit. Without one, both compile and the machine is blamed.
TEST_CASE("CUDA programs that fail on the GPU are the student's, and say why") {
    const bool have_nvcc =
        std::filesystem::exists("/usr/local/cuda/bin/nvcc") ||
        wb::test::run_process({"/bin/sh", "-c", "command -v nvcc"}).exit_code == 0;
    if (!have_nvcc) wb::test::skip("nvcc is not installed on this machine");
    const bool gpu = std::filesystem::exists("/dev/nvidia0") &&
                     std::filesystem::exists("/proc/driver/nvidia/version");
    Wbtool wbtool;
    const auto mp = example("vecadd-cuda");
    const auto programs = wb::test::source_dir() / "tests/e2e/programs";
    SECTION("out of bounds") {
        const auto run =
            grade_json(wbtool, mp, programs / "cuda_out_of_bounds.cu", {"--dataset", "1"});
        INFO(run.out << run.err);
        const auto j = run.json();
        CHECK(j["compile"]["verdict"] == "correct");
        if (gpu) {
            CHECK(j["datasets"][0]["verdict"] == "runtime_error");
            CHECK_THAT(j["datasets"][0]["message"].get<std::string>(),
                       Catch::Contains("cudaErrorIllegalAddress"));
        } else {
            CHECK(j["verdict"] == "internal_error");
        }
    }
    SECTION("endless kernel") {
        const auto run = grade_json(wbtool, mp, programs / "cuda_endless.cu", {"--dataset", "0"});
        INFO(run.out << run.err);
        const auto j = run.json();
        CHECK(j["compile"]["verdict"] == "correct");
        if (gpu) {
            CHECK(j["datasets"][0]["verdict"] == "time_limit");
        } else {
            CHECK(j["verdict"] == "internal_error");
        }
    }
}

TEST_CASE("a program's libwb timers are in its statistics, summed by kind") {
    Wbtool wbtool;
    write_text(wbtool.tmp() / "timed.cpp", R"(#include <wb.h>
#include <chrono>
#include <thread>
int main(int argc, char** argv) {
    wbArg_t args = wbArg_read(argc, argv);
    int n = 0, n2 = 0;
    float* a = (float*)wbImport(wbArg_getInputFile(args, 0), &n);
    float* b = (float*)wbImport(wbArg_getInputFile(args, 1), &n2);
    for (int k = 0; k < 2; ++k) {
        wbTime_start(Copy, "copy ", k);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        wbTime_stop(Copy, "copy ", k);
    }
    wbTime_start(Compute, "add");
    for (int i = 0; i < n; ++i) a[i] += b[i];
    wbTime_stop(Compute, "add");
    wbSolution(args, a, n);
    return 0;
}
)");
    const auto mp = example("vecadd");
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "timed.cpp", {"--dataset", "1"});
    INFO(run.out << run.err);
    const auto d = run.json()["datasets"][0];
    CHECK(d["verdict"] == "correct");
    CHECK(d["timers_ms"]["Copy"].get<double>() >= 40.0);
    CHECK(d["timers_ms"]["Copy"].get<double>() < 1000.0);
    CHECK(d["timers_ms"].contains("Compute"));
    CHECK_FALSE(d["timers_ms"].contains("GPU"));
    const auto table = wbtool(
        {"grade", "--local", mp.string(), (wbtool.tmp() / "timed.cpp").string(), "--dataset", "1"});
    CHECK_THAT(table.out, Catch::Contains("kernel ms"));
}

TEST_CASE(
    "a program cannot make the grader read a host file through a link in its work directory") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "secret", "the-secret-text\n");
    // The grader reads the program's stdout and its output file after the
    // run, as the grader's user; both are replaced with links here.
    write_text(
        wbtool.tmp() / "steal.cpp",
        "#include <unistd.h>\n#include <cstring>\n"
        "int main(int argc, char** argv) {\n"
        "    const char* out = nullptr;\n"
        "    for (int i = 1; i + 1 < argc; ++i) if (!strcmp(argv[i], \"-o\")) out = argv[i + 1];\n"
        "    unlink(\"stdout\"); symlink(\"" +
            (wbtool.tmp() / "secret").string() +
            "\", \"stdout\");\n"
            "    if (out) symlink(\"" +
            (wbtool.tmp() / "secret").string() +
            "\", out);\n"
            "    return 1;\n}\n");
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "steal.cpp", {"--dataset", "0"});
    INFO(run.out << run.err);
    CHECK(run.out.find("the-secret-text") == std::string::npos);
    CHECK(run.json()["datasets"][0]["verdict"] == "runtime_error");
    CHECK_THAT(run.out, Catch::Contains("symbolic link"));
}

TEST_CASE("a program that makes the compiler run out of memory is a compile_error, not an internal "
          "error") {
    Wbtool wbtool;
    const auto mp = make_double_mp(wbtool.tmp());
    write_text(wbtool.tmp() / "zero.cpp", "#include </dev/zero>\nint main() {}\n");
    const auto run = grade_json(wbtool, mp, wbtool.tmp() / "zero.cpp");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "compile_error");
    // Memory or CPU time, whichever the compiler exhausts first on this machine.
    CHECK_THAT(j["message"].get<std::string>(),
               Catch::Contains("memory allowed for compiling") ||
                   Catch::Contains("CPU time allowed for compiling"));
}

TEST_CASE("grading as a user who is not root is correct, and says once how it was isolated") {
    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    if (access("/usr/bin/setpriv", X_OK) != 0) wb::test::skip("needs setpriv");
    wb::test::TempDir tmp;
    const auto mp = make_double_mp(tmp);
    write_text(tmp / "good.cpp", double_program("out[i] = 2 * in[i]"));
    REQUIRE(
        wb::test::run_process({"/bin/chown", "-R", "65534:65534", tmp.path().string()}).exit_code ==
        0);
    const auto run = wb::test::run_process(
        {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", WBTOOL_BINARY,
         "--data", (tmp / "data").string(), "--cache", (tmp / "cache").string(), "--quiet", "grade",
         "--local", mp.string(), (tmp / "good.cpp").string(), "--json"},
        tmp.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const auto isolation = run.json()["isolation"].get<std::string>();
    CHECK((isolation == "userns" || isolation == "rlimits"));
    const std::string said = isolation == "userns"
                                 ? "wbtool: warning: isolation: user namespace only (wbtool is "
                                   "not running as root)"
                                 : "wbtool: warning: isolation: rlimits only (wbtool is not "
                                   "running as root";
    CHECK_THAT(run.err, Catch::StartsWith(said));
    // Once for the whole grade, not once per dataset.
    CHECK(run.err.find("wbtool: warning:", 1) == std::string::npos);
}

TEST_CASE("grade --min-isolation full refuses, before compiling, where wbtool is not root") {
    Wbtool wbtool;
    const auto mp = example("vecadd");
    auto run = grade_json(wbtool, mp, mp / "solution.cpp", {"--min-isolation", "weak"});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("--min-isolation"));

    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    if (access("/usr/bin/setpriv", X_OK) != 0) wb::test::skip("needs setpriv");
    run = grade_json(wbtool, mp, mp / "solution.cpp", {"--min-isolation", "full"});
    INFO(run.out << run.err);
    if (run.json()["isolation"] != "full") wb::test::skip("full isolation is not available here");
    CHECK(run.exit_code == 0);
    CHECK(run.json()["verdict"] == "correct");

    // nobody, with data and cache directories of its own.
    const auto home = wbtool.tmp() / "nobody";
    std::filesystem::create_directory(home);
    REQUIRE(chown(home.c_str(), 65534, 65534) == 0);
    run = wb::test::run_process(
        {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", WBTOOL_BINARY,
         "--data", (home / "data").string(), "--cache", (home / "cache").string(), "--quiet",
         "grade", "--local", mp.string(), (mp / "solution.cpp").string(), "--json",
         "--min-isolation", "full"},
        "/");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 4);
    const auto j = run.json();
    CHECK(j["verdict"] == "internal_error");
    CHECK_THAT(j["message"].get<std::string>(),
               Catch::StartsWith("refused: this run needs full isolation") &&
                   Catch::Contains("(wbtool is not running as root"));
    CHECK(j["compile"].is_null());
    CHECK(j["datasets"].empty());
    // Nothing was compiled: no cache entry of a compiled program.
    CHECK_FALSE(std::filesystem::exists(home / "cache" / "programs"));
}

TEST_CASE(
    "grade --min-isolation userns: namespaces refused at a run stop the grade there, refused") {
    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    if (access("/usr/bin/setpriv", X_OK) != 0) wb::test::skip("needs setpriv");
    Wbtool wbtool;
    const auto home = wbtool.tmp() / "nobody";
    std::filesystem::create_directory(home);
    REQUIRE(wb::test::run_process({"/bin/chown", "-R", "65534:65534", wbtool.tmp().path().string()})
                .exit_code == 0);
    const auto mp = example("vecadd");
    const std::vector<std::string> as_nobody = {"/usr/bin/setpriv", "--reuid=65534",
                                                "--regid=65534", "--clear-groups"};
    // The kernel gives nobody user namespaces here, or this shows nothing.
    if (wb::test::run_process({"/bin/sh", "-c",
                               "cd / && /usr/bin/setpriv --reuid=65534 --regid=65534 "
                               "--clear-groups /usr/bin/unshare -U -p -m -f true"})
            .exit_code != 0)
        wb::test::skip("the kernel gives nobody no user namespace here");
    std::vector<std::string> argv = as_nobody;
    argv.insert(argv.end(),
                {REFUSE_USERNS, WBTOOL_BINARY, "--data", (home / "data").string(), "--cache",
                 (home / "cache").string(), "--quiet", "grade", "--local", mp.string(),
                 (mp / "solution.cpp").string(), "--json", "--min-isolation", "userns"});
    // Before any run, a user namespace looks available: the compile's run
    // finds the clone refused, and is refused itself, as it is.
    const auto run = wb::test::run_process(argv, "/");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 4);
    const auto j = run.json();
    REQUIRE(j.contains("verdict"));
    CHECK(j["verdict"] == "internal_error");
    CHECK_THAT(j["message"].get<std::string>(),
               Catch::StartsWith("refused: this run needs userns isolation, and this process can "
                                 "give only rlimits (wbtool is not running as root, and the "
                                 "kernel refused a user namespace (clone: Operation not "
                                 "permitted))"));
    CHECK(j["datasets"].empty());

    // Compiled and cached first (without the filter): then the first
    // dataset's run is the one refused, and the grade stops there.
    std::vector<std::string> plain = argv;
    plain.erase(plain.begin() + static_cast<long>(as_nobody.size()));
    REQUIRE(wb::test::run_process(plain, "/").exit_code == 0);
    const auto again = wb::test::run_process(argv, "/");
    INFO(again.out << again.err);
    CHECK(again.exit_code == 4);
    const auto k = again.json();
    REQUIRE(k.contains("datasets"));
    CHECK(k["compile"]["cached"] == true);
    CHECK_THAT(k["message"].get<std::string>(),
               Catch::StartsWith("refused: this run needs userns isolation"));
    REQUIRE(k["datasets"].size() == 1);
    CHECK(k["datasets"][0]["verdict"] == "internal_error");
    CHECK(k["datasets"][0]["message"] == k["message"]);
}

TEST_CASE("relative --data and --cache work, as they do for any command") {
    wb::test::TempDir tmp;
    const auto run = wb::test::run_process(
        {WBTOOL_BINARY, "--data", "data", "--cache", "cache", "--quiet", "grade", "--local",
         example("vecadd").string(), (example("vecadd") / "solution.cpp").string()},
        tmp.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("vecadd: correct (5/5 datasets correct)"));
    CHECK(std::filesystem::exists(tmp / "cache/programs"));
}
