// Difference pictures of wrong image answers (core/image_diff.h through
// check_output): the panels, the red of pixels beyond the tolerance, the
// grey padding and blue of images of different sizes, grey against colour,
// shrinking, and no picture for an output that is not an image.
#include "core/check.h"
#include "core/png.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <fstream>
#include <string>

using wb::core::check_output;
using wb::core::CheckMode;
using wb::core::CheckResult;
using wb::core::decode_png;
using wb::core::RgbPicture;
using wb::core::Tolerance;

namespace {

using Rgb = std::array<int, 3>;

std::string ppm(const char* magic, int width, int height, const std::string& samples) {
    return std::string(magic) + "\n" + std::to_string(width) + " " + std::to_string(height) +
           "\n255\n" + samples;
}

CheckResult diff(const std::string& expected, const std::string* produced, int max_side = 64) {
    wb::test::TempDir dir;
    const auto write = [&](const char* name, const std::string& bytes) {
        std::ofstream(dir / name, std::ios::binary) << bytes;
        return dir / name;
    };
    const auto e = write("expected.pgm", expected);
    const auto g = produced ? write("produced.pgm", *produced) : dir / "missing.pgm";
    wb::core::CheckOptions options;
    options.picture_max_side = max_side;
    return check_output(CheckMode::image, Tolerance{0.0045, 0}, e, g, options);
}

Rgb at(const RgbPicture& p, int x, int y) {
    const auto i = (static_cast<std::size_t>(y) * p.width + x) * 3;
    return {p.rgb[i], p.rgb[i + 1], p.rgb[i + 2]};
}

RgbPicture picture_of(const CheckResult& r) {
    REQUIRE_FALSE(r.correct);
    REQUIRE(r.picture.size() > 8);
    CHECK(r.picture.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    const auto p = decode_png(r.picture);
    REQUIRE(p);
    return *p;
}

constexpr Rgb red = {255, 0, 0};
constexpr Rgb blue = {0, 0, 255};
constexpr Rgb grey_pad = {128, 128, 128};
constexpr Rgb black = {0, 0, 0};

} // namespace

TEST_CASE("a wrong grey image: expected | got | difference, red where beyond the tolerance") {
    // 4 x 2: pixel (2, 1) is 60 levels off, pixel (0, 0) one level (within).
    const std::string e = ppm("P5", 4, 2, std::string("\x0a\x14\x1e\x28\x32\x3c\x46\x50", 8));
    const std::string g = ppm("P5", 4, 2, std::string("\x0b\x14\x1e\x28\x32\x3c\x82\x50", 8));
    const auto r = diff(e, &g);
    CHECK_THAT(r.message, Catch::Contains("pixel x=2, y=1"));
    const auto p = picture_of(r);
    CHECK(p.width == 3 * 4 + 2 * 2);
    CHECK(p.height == 2);
    CHECK(at(p, 2, 1) == Rgb{0x46, 0x46, 0x46});         // expected panel
    CHECK(at(p, 4 + 2 + 2, 1) == Rgb{0x82, 0x82, 0x82}); // got panel
    CHECK(at(p, 4, 0) == Rgb{255, 255, 255});            // separator
    const int d = 2 * (4 + 2);
    CHECK(at(p, d + 2, 1) == red);
    CHECK(at(p, d + 1, 0) == black);
    CHECK(at(p, d, 0) == Rgb{16, 16, 16}); // one level, amplified 16 times
    CHECK(r.picture_note.empty());
}

TEST_CASE("images of different sizes are padded with grey, and the note says so") {
    const std::string e = ppm("P6", 2, 2, std::string(12, '\x10'));
    const std::string g = ppm("P6", 3, 1, std::string(9, '\x10'));
    const auto r = diff(e, &g);
    CHECK_THAT(r.message, Catch::Contains("the image is 3x1, expected 2x2"));
    CHECK_THAT(r.picture_note, Catch::Contains("pads"));
    const auto p = picture_of(r);
    CHECK(p.width == 3 * 3 + 4);
    CHECK(p.height == 2);
    CHECK(at(p, 2, 0) == grey_pad);         // the expected image has no x=2
    CHECK(at(p, 3 + 2 + 0, 1) == grey_pad); // the produced one has no y=1
    const int d = 2 * (3 + 2);
    CHECK(at(p, d, 0) == black);
    CHECK(at(p, d + 2, 0) == blue);
    CHECK(at(p, d, 1) == blue);
}

TEST_CASE("a grey answer to a colour image is drawn in colour against grey") {
    const std::string e = ppm("P6", 1, 1, std::string("\xff\x00\x00", 3));
    const std::string g = ppm("P5", 1, 1, "\x40");
    const auto r = diff(e, &g);
    CHECK_THAT(r.message, Catch::Contains("1 channel"));
    const auto p = picture_of(r);
    CHECK(at(p, 0, 0) == red);
    CHECK(at(p, 3, 0) == Rgb{0x40, 0x40, 0x40});
    CHECK(at(p, 6, 0) == red);
}

TEST_CASE("a big image is shrunk, keeping a lone wrong pixel red") {
    std::string samples(40 * 10, '\x20');
    std::string wrong = samples;
    wrong[5 * 40 + 33] = '\x70';
    const std::string produced = ppm("P5", 40, 10, wrong);
    const auto r = diff(ppm("P5", 40, 10, samples), &produced, 16);
    CHECK_THAT(r.picture_note, Catch::Contains("shrunk 3 times"));
    const auto p = picture_of(r);
    CHECK(p.width == 3 * 14 + 4);
    CHECK(p.height == 4);
    CHECK(at(p, 2 * (14 + 2) + 11, 1) == red);
}

TEST_CASE("no picture for a missing output or one that is not an image, and no picture asked") {
    const std::string e = ppm("P5", 1, 1, "\x10");
    auto r = diff(e, nullptr);
    CHECK(r.picture.empty());
    CHECK_THAT(r.picture_note, Catch::Contains("no difference picture"));
    const std::string text = "not an image";
    r = diff(e, &text);
    CHECK(r.picture.empty());
    CHECK_THAT(r.picture_note, Catch::Contains("not a readable image"));
    const std::string right = ppm("P5", 1, 1, "\x10");
    r = diff(e, &right);
    CHECK(r.correct);
    CHECK(r.picture.empty());
    const std::string wrong = ppm("P5", 1, 1, "\x90");
    r = diff(e, &wrong, 0);
    CHECK_FALSE(r.correct);
    CHECK(r.picture.empty());
    CHECK(r.picture_note.empty());
}
