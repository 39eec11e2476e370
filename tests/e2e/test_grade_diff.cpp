// `wbtool grade --local --diff-dir` end to end on the grayscale example: a
// wrong program gets one PNG per wrong dataset, named in its message and
// in the JSON, that libpng reads back with the three panels; a correct
// program gets none, and without --diff-dir nothing is written.
#include "grade_helpers.h"
#include "png_read.h"
#include "runner.h"
#include "text_files.h"

#include <catch2/catch.hpp>

#include <filesystem>

using wb::test::example;
using wb::test::grade_json;
using wb::test::Wbtool;

TEST_CASE("a wrong grayscale program graded with --diff-dir writes its difference pictures") {
    Wbtool wbtool;
    const auto program = wbtool.tmp() / "wrong.cpp";
    wb::test::write_text(program, wb::test::grayscale_wrong_program());
    const auto dir = wbtool.tmp() / "diffs";
    const auto run =
        grade_json(wbtool, example("grayscale"), program, {"--diff-dir", dir.string()});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["verdict"] == "wrong_answer");

    // Dataset 1 is 16 x 8: eight bands red, green, blue, yellow, cyan,
    // magenta, black, white, two pixels wide each.
    const auto& d1 = j["datasets"][1];
    REQUIRE(d1["verdict"] == "wrong_answer");
    const auto path = (dir / "grayscale-dataset-1.png").string();
    CHECK(d1["diff_png"] == path);
    CHECK_THAT(d1["message"].get<std::string>(), Catch::Contains("difference picture: " + path));
    const auto bytes = wb::test::slurp(path);
    CHECK(wb::test::has_png_signature(bytes));
    const auto png = wb::test::read_png(bytes);
    REQUIRE(png);
    CHECK(png->width == 3 * 16 + 2 * 2);
    CHECK(png->height == 8);
    const int diff_x = 2 * (16 + 2);
    using Px = std::vector<std::uint8_t>;
    CHECK(png->pixel(diff_x + 0, 3) == Px{255, 0, 0}); // red input: wrong
    CHECK(png->pixel(diff_x + 12, 3) == Px{0, 0, 0});  // black: right
    CHECK(png->pixel(diff_x + 15, 3) == Px{0, 0, 0});  // white: right
    CHECK(png->pixel(15, 3) == Px{255, 255, 255});     // expected white

    // One file per wrong dataset, none for the right ones.
    for (const auto& d : j["datasets"]) {
        const auto file =
            dir / ("grayscale-dataset-" + std::to_string(d["index"].get<int>()) + ".png");
        CHECK(std::filesystem::exists(file) == (d["verdict"] == "wrong_answer"));
        CHECK(d["diff_png"].is_null() == (d["verdict"] != "wrong_answer"));
    }
}

TEST_CASE("the grayscale solution is correct and writes no picture, no --diff-dir, no files") {
    Wbtool wbtool;
    const auto mp = example("grayscale");
    const auto dir = wbtool.tmp() / "diffs";
    auto run = grade_json(wbtool, mp, mp / "solution.cpp", {"--diff-dir", dir.string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const auto report = run.json(); // the loop below must not walk a temporary
    CHECK(report["verdict"] == "correct");
    for (const auto& d : report["datasets"])
        CHECK(d["diff_png"].is_null());
    CHECK_FALSE(std::filesystem::exists(dir));

    run = grade_json(wbtool, mp, mp / "template.cpp");
    CHECK(run.exit_code == 1);
    const auto wrong = run.json();
    for (const auto& d : wrong["datasets"]) {
        CHECK(d["diff_png"].is_null());
        CHECK_THAT(d["message"].get<std::string>(), !Catch::Contains("picture"));
    }
}

TEST_CASE("grade refuses --diff-dir without --local") {
    Wbtool wbtool;
    const auto mp = example("grayscale");
    const auto run = wbtool({"grade", "grayscale", (mp / "solution.cpp").string(), "--server",
                             "http://127.0.0.1:9", "--diff-dir", "x"});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("attempt show ID --diff-dir"));
}
