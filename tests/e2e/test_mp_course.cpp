// `wbtool mp import --recursive`: a course directory of WebGPU-form MPs
// (tests/e2e/courses/mini: two that import, at two depths, and one without
// a template), imported one after another with one summary at the end.
#include "runner.h"

#include <catch2/catch.hpp>

#include <algorithm>

using wb::test::source_dir;
using wb::test::Wbtool;

namespace {

std::filesystem::path course(const std::string& name) {
    return source_dir() / "tests" / "e2e" / "courses" / name;
}

} // namespace

TEST_CASE("mp import --recursive imports every MP of a course and reports the broken one") {
    Wbtool wbtool;
    const auto run = wbtool({"-q", "mp", "import", "--recursive", course("mini").string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    // One row per MP, tab-separated when piped: dir, id, result, warnings.
    CHECK_THAT(run.out, Catch::Contains("01-vecadd\t01-vecadd\timported v1\t0"));
    CHECK_THAT(run.out, Catch::Contains("week2/02-device-query\t02-device-query\timported v1\t1"));
    CHECK_THAT(run.out,
               Catch::Contains("week2/03-broken\t-\tfailed: ") && Catch::Contains("no template"));
    // The device query's warning, said as a single import says it.
    CHECK_THAT(run.err, Catch::Contains("wbtool: warning: 02-device-query: no datasets"));

    const auto list = wbtool({"mp", "list", "--json"});
    REQUIRE(list.exit_code == 0);
    CHECK(list.json().size() == 2);

    // questions.json, after the other fields.
    const auto show = wbtool({"mp", "show", "01-vecadd"});
    CHECK_THAT(show.out, Catch::Contains("  questions:\n    1. How many floating operations") &&
                             Catch::Contains("    2. Name one application of vector addition."));

    // Again: nothing changed, the broken one still fails, as JSON.
    const auto again = wbtool({"-q", "mp", "import", "-r", course("mini").string(), "--json"});
    CHECK(again.exit_code == 1);
    const auto j = again.json();
    REQUIRE(j.size() == 3);
    CHECK(j[0]["dir"] == "01-vecadd");
    CHECK(j[0]["result"] == "unchanged");
    CHECK(j[0]["version"] == 1);
    CHECK(j[1]["warnings"] == 1);
    CHECK(j[2]["result"] == "failed");
    CHECK(j[2]["id"].is_null());
    CHECK_THAT(j[2]["error"].get<std::string>(), Catch::Contains("no template"));
}

TEST_CASE("mp import --recursive exits 0 when every MP imports, and refuses a course of none") {
    Wbtool wbtool;
    const auto one = course("mini") / "01-vecadd";
    const auto run = wbtool({"-q", "mp", "import", "--recursive", one.string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("imported v1"));

    std::filesystem::create_directories(wbtool.tmp() / "empty" / "sub");
    const auto none =
        wbtool({"-q", "mp", "import", "--recursive", (wbtool.tmp() / "empty").string()});
    CHECK(none.exit_code == 2);
    CHECK_THAT(none.err, Catch::Contains("no MP bundle under it"));
}

TEST_CASE("mp import --generate runs the lab's dataset generator and grades its solution") {
    Wbtool wbtool;
    // The lab with the course fixture's solution of the same problem.
    const auto lab = wbtool.tmp() / "vecadd-gen";
    wb::test::copy_tree(course("generated") / "vecadd-gen", lab);
    std::filesystem::copy_file(course("mini") / "01-vecadd" / "solution.cpp", lab / "solution.cpp");
    const auto run =
        wbtool({"-q", "mp", "import", "--generate", "--verify", lab.string(), "--json"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.json()["id"] == "vecadd-gen");
    CHECK(run.json()["datasets"] == 3);
    // The course's directory is not written: the generator ran in a copy.
    CHECK_FALSE(std::filesystem::exists(lab / "Dataset"));

    const auto show = wbtool({"mp", "show", "vecadd-gen", "--json"});
    REQUIRE(show.exit_code == 0);
    const auto shown = show.json();
    std::vector<std::string> paths;
    for (const auto& f : shown["files"])
        paths.push_back(f["path"]);
    CHECK(std::count(paths.begin(), paths.end(), "Dataset/2/output.raw") == 1);
    CHECK(std::count(paths.begin(), paths.end(), "dataset_generator.cpp") == 1);

    // Without --generate the lab has no datasets to load.
    const auto plain = wbtool({"-q", "mp", "import", lab.string()});
    CHECK(plain.exit_code == 2);
    CHECK_THAT(plain.err, Catch::Contains("no data/"));
}

TEST_CASE("mp import --generate says why a generator that fails fails") {
    Wbtool wbtool;
    const auto lab = wbtool.tmp() / "bad-gen";
    wb::test::copy_tree(course("generated") / "vecadd-gen", lab);
    wb::test::write_text(
        lab / "dataset_generator.cpp",
        "#include <wb.h>\nint main() { wbLog(ERROR, \"out of ideas\"); return 3; }\n");
    const auto run = wbtool({"-q", "mp", "import", "--generate", lab.string()});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err,
               Catch::Contains("the dataset generator failed") && Catch::Contains("out of ideas"));

    wb::test::write_text(lab / "dataset_generator.cpp", "int main() { return x; }\n");
    const auto broken = wbtool({"-q", "mp", "import", "--generate", lab.string()});
    CHECK(broken.exit_code == 2);
    CHECK_THAT(broken.err, Catch::Contains("does not compile"));
}

TEST_CASE("mp import --recursive refuses a second MP with an id already imported") {
    Wbtool wbtool;
    const auto years = wbtool.tmp() / "years";
    std::filesystem::create_directories(years / "2015");
    std::filesystem::create_directories(years / "2016");
    wb::test::copy_tree(course("mini") / "01-vecadd", years / "2015" / "01-vecadd");
    wb::test::copy_tree(course("mini") / "01-vecadd", years / "2016" / "01-vecadd");
    const auto run = wbtool({"-q", "mp", "import", "--recursive", years.string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.out, Catch::Contains("2015/01-vecadd") && Catch::Contains("imported v1"));
    CHECK_THAT(run.out, Catch::Contains("its id '01-vecadd' is also the id of 2015/01-vecadd"));
}
