// Output checking: every mode against well-formed, wrong and malformed files,
// and the messages a student would read.
#include "core/check.h"
#include "core/error.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>

using wb::core::check_output;
using wb::core::CheckMode;
using wb::core::CheckOptions;
using wb::core::CheckResult;
using wb::core::TokenRules;
using wb::core::Tolerance;
using wb::core::values_match;

namespace {

std::filesystem::path write(const wb::test::TempDir& dir, const std::string& name,
                            const std::string& bytes) {
    auto path = dir / name;
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

// Checks `produced` against `expected` in `mode`, both given as file contents.
CheckResult check(CheckMode mode, const std::string& expected, const std::string& produced,
                  Tolerance tol = {}) {
    wb::test::TempDir dir;
    return check_output(mode, tol, write(dir, "expected", expected),
                        write(dir, "produced", produced));
}

// The tokens mode with its rules; a tolerance makes numbers numeric.
CheckResult tokens(const std::string& expected, const std::string& produced, TokenRules rules,
                   Tolerance tol = {0, 0}) {
    wb::test::TempDir dir;
    CheckOptions options;
    options.tokens = rules;
    return check_output(CheckMode::tokens, tol, write(dir, "expected", expected),
                        write(dir, "produced", produced), options);
}

TokenRules numeric() {
    TokenRules r;
    r.numeric = true;
    return r;
}

std::string ppm(char kind, int width, int height, const std::string& samples,
                const std::string& header_extra = "") {
    return fmt::format("P{}\n{}{} {}\n255\n", kind, header_extra, width, height) + samples;
}

constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

} // namespace

TEST_CASE("values_match: absolute tolerance edges", "[check]") {
    Tolerance tol{0.5, 0.0};
    CHECK(values_match(1.0, 1.5, tol)); // exactly at abs
    CHECK(values_match(1.0, 0.5, tol));
    CHECK_FALSE(values_match(1.0, std::nextafter(1.5, 2.0), tol)); // just over
    CHECK_FALSE(values_match(1.0, 1.75, tol));
    Tolerance zero{0.0, 0.0};
    CHECK(values_match(2.0, 2.0, zero));
    CHECK_FALSE(values_match(2.0, std::nextafter(2.0, 3.0), zero));
}

TEST_CASE("values_match: relative tolerance for large values", "[check]") {
    Tolerance tol{0.0, 0.25};
    CHECK(values_match(1024.0, 1280.0, tol)); // exactly rel * |expected|
    CHECK(values_match(-1024.0, -768.0, tol));
    CHECK_FALSE(values_match(1024.0, 1281.0, tol));
    Tolerance defaults;
    CHECK(values_match(1e9, 1e9 + 500, defaults)); // 500 <= 1e-6 * 1e9
    CHECK_FALSE(values_match(1e9, 1e9 + 2000, defaults));
    CHECK_FALSE(values_match(1e-9, 1e-5, defaults)); // small values: abs applies
}

TEST_CASE("values_match: signed zero, NaN and infinities", "[check]") {
    Tolerance zero{0.0, 0.0};
    CHECK(values_match(0.0, -0.0, zero));
    CHECK(values_match(-0.0, 0.0, zero));
    CHECK(values_match(qnan, qnan, zero));
    CHECK(values_match(qnan, -qnan, zero));
    CHECK_FALSE(values_match(qnan, 0.0, Tolerance{inf, inf}));
    CHECK_FALSE(values_match(1.0, qnan, Tolerance{inf, inf}));
    CHECK(values_match(inf, inf, zero));
    CHECK(values_match(-inf, -inf, zero));
    CHECK_FALSE(values_match(inf, -inf, Tolerance{inf, inf}));
    CHECK_FALSE(values_match(inf, 1e308, Tolerance{1e300, 1.0}));
    CHECK_FALSE(values_match(1e308, inf, Tolerance{1e300, 1.0}));
    CHECK_FALSE(values_match(1e308, -1e308, Tolerance{1e300, 1.0})); // the difference overflows
}

TEST_CASE("vector: equal within tolerance is correct", "[check]") {
    auto r = check(CheckMode::vector, "3\n1.0 2.0 3.0\n", "3\n1.0000001\n2\n3.0\n");
    CHECK(r.correct);
    CHECK(r.message.empty());
    CHECK(r.position == -1);
}

TEST_CASE("vector: number spellings parse", "[check]") {
    auto r = check(CheckMode::vector, "7\n1e-5 -0 nan inf -inf 0.5 +2\n",
                   "7\n0.00001 0 NaN Inf -INF .5 2e0\n", Tolerance{0, 0});
    INFO(r.message);
    CHECK(r.correct);
}

TEST_CASE("vector: the first mismatch is reported with both values", "[check]") {
    auto r = check(CheckMode::vector, "4\n1 2 3.5 4\n", "4\n1 2 3.25 5\n");
    CHECK_FALSE(r.correct);
    CHECK(r.message == "element 2: expected 3.5, got 3.25");
    CHECK(r.position == 2);
    CHECK(r.expected == "3.5");
    CHECK(r.got == "3.25");
}

TEST_CASE("vector: values that agree to 9 digits are shown in full", "[check]") {
    auto r = check(CheckMode::vector, "1\n1.0000000001\n", "1\n1.0000000002\n", Tolerance{0, 0});
    CHECK_FALSE(r.correct);
    CHECK(r.message == "element 0: expected 1.0000000001, got 1.0000000002");
}

TEST_CASE("vector: NaN matches only NaN", "[check]") {
    CHECK(check(CheckMode::vector, "2\n1 nan\n", "2\n1 nan\n").correct);
    auto r = check(CheckMode::vector, "2\n1 nan\n", "2\n1 0\n");
    CHECK_FALSE(r.correct);
    CHECK(r.message == "element 1: expected nan, got 0");
    r = check(CheckMode::vector, "2\n1 2\n", "2\n1 nan\n");
    CHECK(r.message == "element 1: expected 2, got nan");
}

TEST_CASE("vector: infinity matches only the same infinity", "[check]") {
    CHECK(check(CheckMode::vector, "1\ninf\n", "1\ninf\n").correct);
    auto r = check(CheckMode::vector, "1\ninf\n", "1\n-inf\n");
    CHECK(r.message == "element 0: expected inf, got -inf");
    r = check(CheckMode::vector, "1\n1e308\n", "1\n1e999\n"); // out of range reads as inf
    CHECK(r.message == "element 0: expected 1e+308, got inf");
}

TEST_CASE("vector: negative zero equals zero", "[check]") {
    CHECK(check(CheckMode::vector, "2\n0 -0\n", "2\n-0 0.0\n", Tolerance{0, 0}).correct);
}

TEST_CASE("vector: the header count must match the expected count", "[check]") {
    std::string expected = "4\n1 2 3 4\n";
    auto r = check(CheckMode::vector, expected, "3\n1 2 3\n");
    CHECK(r.message == "the output has 3 elements, expected 4");
    r = check(CheckMode::vector, expected, "5\n1 2 3 4 5\n");
    CHECK(r.message == "the output has 5 elements, expected 4");
}

TEST_CASE("vector: fewer or more values than the header says", "[check]") {
    std::string expected = "4\n1 2 3 4\n";
    auto r = check(CheckMode::vector, expected, "4\n1 2 3\n");
    CHECK_FALSE(r.correct);
    CHECK(r.message == "the output has 3 values, the header says 4");
    r = check(CheckMode::vector, expected, "4\n1 2 3 4\n5 6\n");
    CHECK(r.message ==
          "the output has 6 values, the header says 4 (the first extra one, '5', is on line 3)");
}

TEST_CASE("vector: a huge header is refused without allocating by it", "[check]") {
    auto r = check(CheckMode::vector, "2\n1 2\n", "1000000000000\n1 2\n");
    CHECK(r.message == "the output has 1000000000000 elements, expected 2");
    r = check(CheckMode::vector, "2\n1 2\n", "99999999999999999999999\n1 2\n");
    CHECK(r.message == "line 1: expected the element count, found '99999999999999999999999'");
}

TEST_CASE("vector: malformed produced files are wrong answers", "[check]") {
    std::string expected = "3\n1 2 3\n";
    CHECK(check(CheckMode::vector, expected, "").message == "the output file is empty");
    CHECK(check(CheckMode::vector, expected, " \n\n").message == "the output file is empty");
    CHECK(check(CheckMode::vector, expected, "abc\n1 2 3\n").message ==
          "line 1: expected the element count, found 'abc'");
    CHECK(check(CheckMode::vector, expected, "-3\n1 2 3\n").message ==
          "line 1: expected the element count, found '-3'");
    CHECK(check(CheckMode::vector, expected, "3.0\n1 2 3\n").message ==
          "line 1: expected the element count, found '3.0'");
    CHECK(check(CheckMode::vector, expected, "3\n1\n2x\n3\n").message ==
          "line 3: expected a number (element 1), found '2x'");
    CHECK(check(CheckMode::vector, expected, "3\n1 , 3\n").message ==
          "line 2: expected a number (element 1), found ','");
    CHECK(check(CheckMode::vector, expected, std::string("3\n1 \x01\xff 3\n")).message ==
          "line 2: expected a number (element 1), found '\\x01\\xff'");
}

TEST_CASE("vector: no output file, or not a regular one", "[check]") {
    wb::test::TempDir dir;
    auto expected = write(dir, "expected", "1\n1\n");
    auto r = check_output(CheckMode::vector, {}, expected, dir / "missing.raw");
    CHECK_FALSE(r.correct);
    CHECK(r.message == "the program wrote no output file (expected it at -o)");

    std::filesystem::create_directory(dir / "adir");
    r = check_output(CheckMode::vector, {}, expected, dir / "adir");
    CHECK(r.message == "the output file is not a regular file");

    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    r = check_output(CheckMode::vector, {}, expected, dir / "fifo"); // must not block
    CHECK(r.message == "the output file is not a regular file");

    // A link to the expected output must not make a program correct.
    std::filesystem::create_symlink(expected, dir / "link");
    r = check_output(CheckMode::vector, {}, expected, dir / "link");
    CHECK_FALSE(r.correct);
    CHECK(r.message == "the output file is a symbolic link; the program must write a regular file");
}

TEST_CASE("vector: a malformed expected file throws InputError naming it", "[check]") {
    wb::test::TempDir dir;
    auto produced = write(dir, "produced", "2\n1 2\n");
    auto expect_error = [&](const std::string& content, const std::string& what) {
        auto expected = write(dir, "output.raw", content);
        try {
            check_output(CheckMode::vector, {}, expected, produced);
            FAIL("no InputError for " << content);
        } catch (const wb::InputError& e) {
            std::string message = e.what();
            CHECK(message.find(expected.string()) != std::string::npos);
            CHECK_THAT(message, Catch::Contains(what));
        }
    };
    expect_error("", "the file is empty");
    expect_error("two\n1 2\n", "line 1: expected the element count, found 'two'");
    expect_error("2\n1\n", "the file has 1 values, the header says 2");
    expect_error("2\n1 x\n", "line 2: expected a number (element 1), found 'x'");
    expect_error("2\n1 2 3\n", "the file has 3 values, the header says 2");
    expect_error("1000000000000\n1 2\n", "the file has 2 values, the header says 1000000000000");

    CHECK_THROWS_AS(check_output(CheckMode::vector, {}, dir / "none.raw", produced),
                    wb::InputError);
    // The expected file is judged before the produced one, even a missing one.
    write(dir, "bad.raw", "x\n");
    CHECK_THROWS_AS(check_output(CheckMode::vector, {}, dir / "bad.raw", dir / "missing"),
                    wb::InputError);
}

TEST_CASE("vector: a large vector checks correctly", "[check]") {
    constexpr int n = 1'000'000;
    std::string expected = fmt::format("{}\n", n);
    std::string produced = expected;
    expected.reserve(n * 12);
    produced.reserve(n * 12);
    for (int i = 0; i < n; ++i) {
        double v = i * 0.001 - 17.5;
        expected += fmt::format("{:.6f}\n", v);
        produced += fmt::format("{:.9g} ", v + 1e-7);
    }
    CHECK(check(CheckMode::vector, expected, produced).correct);

    std::string wrong_last = produced.substr(0, produced.rfind(' ', produced.size() - 2)) + " 0\n";
    auto r = check(CheckMode::vector, expected, wrong_last);
    CHECK(r.position == n - 1);
    CHECK(r.message == "element 999999: expected 982.499, got 0");
}

TEST_CASE("matrix: row and column in the message", "[check]") {
    // 4 rows, 64 columns; element 199 is row 3, column 7.
    std::string expected = "4 64\n";
    for (int i = 0; i < 256; ++i)
        expected += "1.5 ";
    std::string produced = "4 64\n";
    for (int i = 0; i < 256; ++i)
        produced += i == 199 ? "1.75 " : "1.5 ";
    auto r = check(CheckMode::matrix, expected, produced);
    CHECK_FALSE(r.correct);
    CHECK(r.message == "row 3, column 7 (element 199): expected 1.5, got 1.75");
    CHECK(r.position == 199);
    CHECK(check(CheckMode::matrix, expected, expected).correct);
}

TEST_CASE("matrix: shape mismatches and bad headers", "[check]") {
    std::string expected = "2 3\n1 2 3\n4 5 6\n";
    CHECK(check(CheckMode::matrix, expected, "3 2\n1 2\n3 4\n5 6\n").message ==
          "the output has 3 rows and 2 columns, expected 2 rows and 3 columns");
    CHECK(check(CheckMode::matrix, expected, "6\n1 2 3 4 5 6\n").message ==
          "line 1: expected the column count after the row count, found the end of the line");
    CHECK(check(CheckMode::matrix, expected, "2\n").message ==
          "line 1: expected the column count after the row count, found the end of the line");
    CHECK(check(CheckMode::matrix, expected, "2 x\n").message ==
          "line 1: expected the column count, found 'x'");
    CHECK(check(CheckMode::matrix, expected, "2 3\n1 2 3\n4 5\n").message ==
          "the output has 5 values, the header says 6");
}

TEST_CASE("integral_vector and histogram compare integers exactly", "[check]") {
    for (auto mode : {CheckMode::integral_vector, CheckMode::histogram}) {
        CHECK(
            check(mode, "3\n1 -2 9223372036854775807\n", "3\n1 -2 +9223372036854775807\n").correct);
        auto r = check(mode, "3\n10 20 30\n", "3\n10 21 30\n", Tolerance{100, 100});
        CHECK(r.message == "element 1: expected 20, got 21");
        CHECK(r.expected == "20");
        CHECK(r.got == "21");
        CHECK(check(mode, "2\n3 4\n", "2\n3.0 4\n").message ==
              "line 2: expected an integer (element 0), found '3.0' (write integers without a "
              "decimal point or exponent)");
        CHECK(check(mode, "2\n3 4\n", "2\n3 4e0\n").message ==
              "line 2: expected an integer (element 1), found '4e0' (write integers without a "
              "decimal point or exponent)");
        CHECK(check(mode, "1\n1\n", "1\n99999999999999999999\n").message ==
              "line 2: expected an integer (element 0), found '99999999999999999999' (out of "
              "the range of a 64-bit integer)");
        CHECK_THROWS_AS(check(mode, "1\n1.5\n", "1\n1\n"), wb::InputError);
    }
}

TEST_CASE("exact: bytes must be equal", "[check]") {
    CHECK(check(CheckMode::exact, "hello\nworld\n", "hello\nworld\n").correct);
    CHECK(check(CheckMode::exact, "", "").correct);

    auto r = check(CheckMode::exact, "hello\nworld\n", "hello\nwordl\n");
    CHECK(r.message == "byte 9 (line 2) differs: expected line 'world\\n', got line 'wordl\\n'");
    CHECK(r.position == 9);
    CHECK(r.expected == "world\\n");
    CHECK(r.got == "wordl\\n");

    r = check(CheckMode::exact, "hello\nworld\n", "hello\nworld");
    CHECK(r.message == "the output ends at byte 11 (line 2), expected 12 bytes: expected line "
                       "'world\\n', got line 'world'");

    r = check(CheckMode::exact, "a\n", "a\nb\n");
    CHECK(r.message == "the output has 4 bytes, expected 2; the extra ones start at byte 2 "
                       "(line 2): expected line '', got line 'b\\n'");

    r = check(CheckMode::exact, "a\tb\n", "a b\r\n");
    CHECK(r.message == "byte 1 (line 1) differs: expected line 'a\\tb\\n', got line 'a b\\r\\n'");

    CHECK(check(CheckMode::exact, "x", "").message == "the output file is empty");
}

TEST_CASE("exact: long lines are cut around the difference", "[check]") {
    std::string expected = std::string(200, 'a') + "\n";
    std::string produced = expected;
    produced[150] = 'b';
    auto r = check(CheckMode::exact, expected, produced);
    CHECK(r.position == 150);
    CHECK(r.got == "..." + std::string(40, 'a') + "b" + std::string(39, 'a') + "...");
    CHECK(r.expected.size() == 86);
    CHECK_THAT(r.message, Catch::StartsWith("byte 150 (line 1) differs: expected line '...aaa"));
}

TEST_CASE("tokens: white space does not matter, tokens do", "[check]") {
    CHECK(check(CheckMode::tokens, "foo bar\nbaz\n", "  foo\tbar baz").correct);
    CHECK(check(CheckMode::tokens, "\n", "").correct);

    std::string expected = "a b c d\ne f g h\ni j k foo\n";
    auto r = check(CheckMode::tokens, expected, "a b c d e f g h\n\ni j k bar\n");
    CHECK(r.message == "token 12 (line 3): expected 'foo', got 'bar'");
    CHECK(r.position == 11);
    CHECK(r.expected == "foo");
    CHECK(r.got == "bar");
}

TEST_CASE("tokens: counts that differ", "[check]") {
    std::string expected = "1 2 3\n4 5 6\n7 8 9 10 11 12\n";
    auto r = check(CheckMode::tokens, expected, "1 2 3 4 5 6 7 8 9 10\n");
    CHECK(r.message == "the output has 10 tokens, expected 12: it ends where token 11, '11' "
                       "(expected line 3), should be");
    r = check(CheckMode::tokens, "1 2\n", "1 2\n3\n4\n");
    CHECK(r.message == "the output has 4 tokens, expected 2: token 3 (line 2), '3', is extra");
    CHECK(check(CheckMode::tokens, "x\n", "").message == "the output file is empty");
}

TEST_CASE("image: equal images and tolerance on the 0..1 scale", "[check]") {
    std::string pixels = {char(0), char(128), char(255), char(10), char(20), char(30)};
    std::string expected = ppm('6', 2, 1, pixels);
    CHECK(check(CheckMode::image, expected, expected).correct);
    // A comment in the header is allowed.
    CHECK(check(CheckMode::image, expected, ppm('6', 2, 1, pixels, "# made by libwb\n")).correct);

    std::string off_by_one = pixels;
    off_by_one[4] = char(21);
    CHECK(check(CheckMode::image, expected, ppm('6', 2, 1, off_by_one), Tolerance{0.005, 0})
              .correct); // 1/255 < 0.005
    auto r = check(CheckMode::image, expected, ppm('6', 2, 1, off_by_one), Tolerance{0.001, 0});
    CHECK_FALSE(r.correct);
    CHECK_THAT(r.message,
               Catch::StartsWith("pixel x=1, y=0, channel 1 (green): expected 20, got 21"));
    CHECK(r.position == 4);
    CHECK(r.expected == "20");
    CHECK(r.got == "21");
}

TEST_CASE("image: grey images name the pixel", "[check]") {
    std::string pixels(12, char(100));
    std::string expected = ppm('5', 4, 3, pixels);
    std::string produced = pixels;
    produced[4 * 2 + 1] = char(0); // x=1, y=2
    auto r = check(CheckMode::image, expected, ppm('5', 4, 3, produced));
    CHECK_THAT(r.message,
               Catch::StartsWith("pixel x=1, y=2, channel 0 (grey): expected 100, got 0"));
}

TEST_CASE("image: dimensions and channels must match", "[check]") {
    std::string expected = ppm('6', 64, 64, std::string(64 * 64 * 3, char(1)));
    auto r = check(CheckMode::image, expected, ppm('6', 64, 32, std::string(64 * 32 * 3, char(1))));
    CHECK(r.message == "the image is 64x32, expected 64x64");
    r = check(CheckMode::image, expected, ppm('5', 64, 64, std::string(64 * 64, char(1))));
    CHECK(r.message == "the image has 1 channel (P5, grey), expected 3 channels (P6, colour)");
}

TEST_CASE("image: malformed produced images", "[check]") {
    std::string expected = ppm('5', 2, 2, "abcd");
    CHECK(check(CheckMode::image, expected, "").message == "the output file is empty");
    CHECK(check(CheckMode::image, expected, "P3\n2 2\n255\n1 2 3 4\n").message ==
          "the output is not a binary PPM image (P5 or P6): it starts with 'P3'");
    CHECK(check(CheckMode::image, expected, "P5\nx 2\n255\nabcd").message ==
          "the PPM header: expected the width, found 'x'");
    CHECK(check(CheckMode::image, expected, "P5\n2 2\n65535\nabcdabcd").message ==
          "the PPM header: maximum value 65535 is not supported; write 8-bit samples (255)");
    CHECK(check(CheckMode::image, expected, "P5\n2 2\n255\nabc").message ==
          "the output has 3 bytes of pixel data, a 2x2 grey image needs 4");
    CHECK(check(CheckMode::image, expected, "P5\n2 2\n255\nabcd\nx").message ==
          "the output has 2 bytes after the pixel data of its 2x2 image, not all white space");
    // A closing newline, as many writers add, in either file: the published
    // WebGPU MPs' PPMs are written so, with a comment in the header.
    CHECK(check(CheckMode::image, expected, "P5\n2 2\n255\nabcd\n").correct);
    CHECK(check(CheckMode::image, "P5\n#Created by Mathematica\n2 2\n255\nabcd\n",
                "P5\n2 2\n255\nabcd")
              .correct);
    CHECK(check(CheckMode::image, expected, "P5\n0 2\n255\n").message ==
          "the PPM header: the image is 0x2; both must be at least 1");
    CHECK(check(CheckMode::image, expected, "P5\n2 2\n255#\nabcd").message ==
          "the PPM header: expected one white-space byte after the maximum value");
    CHECK(check(CheckMode::image, expected, "P5\n2 2\n2555555555555\nabcd").message ==
          "the PPM header: the maximum value is too large");
    CHECK(check(CheckMode::image, expected, "P5\n99999999 99999999\n255\nabcd").message ==
          "the output has 4 bytes of pixel data, a 99999999x99999999 grey image needs "
          "9999999800000001");
    CHECK_THROWS_AS(check(CheckMode::image, "P6\n2 2\n255\nab", expected), wb::InputError);
}

TEST_CASE("tokens with a tolerance: numbers within it, words exactly", "[check]") {
    const Tolerance tol{1e-6, 1e-6};
    CHECK(tokens("3.141592654\n", "3.1415927", numeric(), tol).correct);
    CHECK(tokens("3\n", "3.0000000001\n", numeric(), tol).correct); // an integer is a number too
    CHECK(tokens("1e12\n", "1000000000500\n", numeric(), tol).correct); // relative
    CHECK(tokens("-0.5 area\n", "-5e-1 area\n", numeric(), tol).correct);
    CHECK(tokens("+2\n", "2\n", numeric(), tol).correct);
    auto r = tokens("x 3.14159\n", "x 3.15\n", numeric(), tol);
    CHECK_FALSE(r.correct);
    CHECK(r.message == "token 2 (line 1): expected '3.14159', got '3.15'");
    CHECK(r.position == 1);
    // A number's place wants a number; a word's place the same word.
    CHECK_FALSE(tokens("2\n", "two\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("area 2\n", "Area 2\n", numeric(), tol).correct);
    // Without a tolerance numbers are text, as before.
    CHECK_FALSE(tokens("3\n", "3.0\n", TokenRules{}).correct);
    // Only the tolerances given apply: abs alone is not relative.
    CHECK_FALSE(tokens("1e12\n", "1000000000500\n", numeric(), {1e-6, 0}).correct);
    CHECK(tokens("1e12\n", "1000000000500\n", numeric(), {0, 1e-6}).correct);
}

TEST_CASE("tokens with a tolerance: nan, inf and hex are words, not numbers", "[check]") {
    const Tolerance tol{1e-6, 1e-6};
    CHECK(tokens("nan\n", "nan\n", numeric(), tol).correct);
    CHECK(tokens("inf -inf\n", "inf -inf\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("nan\n", "NaN\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("1\n", "nan\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("1\n", "inf\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("16\n", "0x10\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("1\n", "1.\n", TokenRules{}, tol).correct);
    CHECK(tokens("1\n", "1.\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("1\n", ".\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("1\n", "1e\n", numeric(), tol).correct);
    // Too large for a double: an infinity, equal only to the same one.
    CHECK(tokens("1e999\n", "2e999\n", numeric(), tol).correct);
    CHECK_FALSE(tokens("1e999\n", "-1e999\n", numeric(), tol).correct);
}

TEST_CASE("tokens: case_sensitive false ignores ASCII case only", "[check]") {
    TokenRules rules;
    rules.case_sensitive = false;
    CHECK(tokens("Hello, World!\n", "HELLO, world!\n", rules).correct);
    CHECK_FALSE(tokens("Hello\n", "Hello!\n", rules).correct);
    CHECK_FALSE(tokens("Hello\n", "HELLO\n", TokenRules{}).correct);
    CHECK_FALSE(tokens("\xc3\xa9\n", "\xc3\x89\n", rules).correct); // not beyond ASCII
}

TEST_CASE("tokens: space_change_sensitive wants the same white space", "[check]") {
    TokenRules rules;
    rules.space_change_sensitive = true;
    CHECK(tokens("a b\nc\n", "a b\nc\n", rules).correct);
    auto r = tokens("a b\nc\n", "a  b\nc\n", rules);
    CHECK_FALSE(r.correct);
    CHECK(r.message == "the white space before token 2 (line 1) differs: expected ' ', got '  ' "
                       "(white space must match exactly in this MP)");
    r = tokens("a b\n", "a b", rules);
    CHECK_FALSE(r.correct);
    CHECK_THAT(r.message, Catch::StartsWith("the white space after the last token differs"));
    CHECK_FALSE(tokens("a\n", "a\r\n", rules).correct);
    CHECK_FALSE(tokens("a\n", " a\n", rules).correct);
    CHECK_FALSE(tokens("", "\n", rules).correct);
    CHECK(tokens("", "", rules).correct);
    // Lenient by default: any run of white space is one, at the ends none.
    CHECK(tokens("a b\n", "\ta\r\n\n b", TokenRules{}).correct);
}
