// Labs in the WebGPU course's own layout (config.json), written for these
// tests in the form of the MPs that course published: dataset paths
// relative to data/, inputs named anything, required keywords with scores,
// compile and dataset scores, deadlines, questions, datasets shipped only as
// dataset.zip, OpenACC and OpenCL labs (graded on the CPU: g++ -fopenacc,
// PoCL), a lab without datasets, a language no toolchain compiles, and a
// directory name that is not an id. Each is imported and graded through the
// real binary.
#include "grade_helpers.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <filesystem>

using Catch::Matchers::Contains;
using wb::test::Run;
using wb::test::Wbtool;

namespace {

std::filesystem::path lab(const std::string& name) {
    return wb::test::source_dir() / "tests/e2e/webgpu" / name;
}

void require_ok(const Run& r) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
}

bool has_opencl() {
    return std::filesystem::exists("/usr/include/CL/cl.h") &&
           std::filesystem::exists("/etc/OpenCL/vendors/pocl.icd");
}

} // namespace

TEST_CASE("an OpenACC lab imports with data-relative paths and is scored as the course scored it",
          "[webgpu][e2e]") {
    Wbtool wbtool;
    auto r = wbtool({"mp", "import", lab("vecadd-acc").string(), "--json"});
    require_ok(r);
    CHECK(r.json()["id"] == "vecadd-acc");
    CHECK(r.json()["datasets"] == 2);
    // data/2/ is not in data[]: imported, not graded, and the user hears so.
    CHECK_THAT(r.err, Contains("wbtool: warning: vecadd-acc/data: 2/ not named by config.json's "
                               "data[]; not graded"));

    r = wbtool({"mp", "show", "vecadd-acc", "--json"});
    require_ok(r);
    const auto shown = r.json();
    CHECK(shown["toolchain"] == "openacc");
    CHECK(shown["language"] == "OpenACC");
    CHECK(shown["scoring"]["compile"] == Approx(0.2));
    CHECK(shown["scoring"]["keywords"][0]["word"] == "#pragma acc");
    CHECK(shown["scoring"]["coding_deadline"] == "2015-02-11T23:00:00Z");
    CHECK(shown["questions"].size() == 2);
    CHECK(shown["datasets"][1]["inputs"][0] == "data/1/a.raw");
    CHECK(shown["datasets"][1]["score"] == Approx(0.3));

    // The solution: compile 20 + keyword 20 + two datasets of 30.
    r = wb::test::grade_json(wbtool, lab("vecadd-acc"), lab("vecadd-acc") / "solution.cpp");
    require_ok(r);
    auto report = r.json();
    CHECK(report["verdict"] == "correct");
    CHECK(report["score"]["points"] == 100);
    CHECK(report["score"]["max"] == 100);

    // The template compiles, has no directive and adds nothing: 20 points,
    // each lost share named.
    r = wbtool({"--quiet", "grade", "--local", lab("vecadd-acc").string(),
                (lab("vecadd-acc") / "template.cu").string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out,
               Contains("vecadd-acc: wrong_answer (0/2 datasets correct), 20 of 100 points"));
    CHECK_THAT(r.out, Contains("lost 20 points: the program did not use the #pragma acc keyword"));
    CHECK_THAT(r.out, Contains("lost 30 points: the program did not produce the correct answer "
                               "for dataset 1"));
}

TEST_CASE("an OpenCL lab whose datasets come only as dataset.zip grades correct on PoCL",
          "[webgpu][e2e]") {
    if (!has_opencl()) wb::test::skip("no OpenCL headers or PoCL here (scripts/setup-deps.sh)");
    Wbtool wbtool;
    const auto dir = lab("_VecAdd_OCL");
    auto r = wbtool({"mp", "import", dir.string()});
    require_ok(r);
    // The id comes from the directory's name, mapped to a valid one, said aloud.
    CHECK_THAT(r.out, Contains("imported vecadd_ocl version 1"));
    CHECK_THAT(r.err, Contains("_VecAdd_OCL: the id is 'vecadd_ocl'"));
    // The store keeps the unpacked datasets, so that workers need no zip reader.
    r = wbtool({"mp", "show", "vecadd_ocl"});
    require_ok(r);
    CHECK_THAT(r.out, Contains("data/1/output.raw"));
    CHECK_THAT(r.out, Contains("dataset.zip"));
    CHECK_THAT(r.out, !Contains("__MACOSX"));

    r = wb::test::grade_json(wbtool, dir, dir / "solution.cpp");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.json()["verdict"] == "correct");
    CHECK(r.json()["score"]["points"] == 100);
}

TEST_CASE("a lab without datasets runs once and shows its whole output", "[webgpu][e2e]") {
    Wbtool wbtool;
    const auto dir = lab("devicequery");
    auto r = wbtool({"mp", "import", dir.string()});
    require_ok(r);
    CHECK_THAT(r.out, Contains("0 datasets"));
    CHECK(r.err.find("warning") == std::string::npos);
    r = wbtool({"--quiet", "grade", "--local", dir.string(), (dir / "template.cu").string()});
    require_ok(r);
    CHECK_THAT(r.out, Contains("run      correct"));
    CHECK_THAT(r.out, Contains("devicequery: correct, 100 of 100 points"));
    CHECK_THAT(r.out, Contains("program output:\n"));
    CHECK_THAT(r.out, Contains("The lab tour is done"));
    // A program that fails is told so, with what it printed.
    wb::test::write_text(wbtool.tmp() / "fail.cpp",
                         "#include <wb.h>\nint main() { printf(\"no device\\n\"); return 3; }\n");
    r = wbtool({"--quiet", "grade", "--local", dir.string(), (wbtool.tmp() / "fail.cpp").string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("runtime_error"));
    CHECK_THAT(r.out, Contains("exited with code 3"));
}

TEST_CASE("a lab in a language no toolchain compiles imports, and grading says so",
          "[webgpu][e2e]") {
    Wbtool wbtool;
    const auto dir = lab("amp");
    auto r = wbtool({"mp", "import", dir.string()});
    require_ok(r);
    CHECK_THAT(r.err, Contains("no toolchain of wbtool compiles language 'CPPAMP'"));
    r = wbtool({"--quiet", "grade", "--local", dir.string(), (dir / "template.cu").string()});
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.out, Contains("no installed toolchain compiles CPPAMP"));
}
