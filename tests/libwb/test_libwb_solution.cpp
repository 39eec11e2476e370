// wbSolution: -o writes the output the grader reads; -e prints a verdict.
//
// Run through libwb_helper, which imports input 0 and hands it straight to
// wbSolution, so the "program output" is the input file's data.
#include "libwb_test_util.h"

using Catch::Matchers::Contains;
using libwb_test::readFile;
using libwb_test::runHelper;
using libwb_test::writeFile;
using wb::test::TempDir;

namespace {

std::string path(const TempDir& dir, const char* name) {
    return (dir / name).string();
}

} // namespace

TEST_CASE("with -o only, wbSolution writes the file and prints no verdict") {
    TempDir dir;
    writeFile(dir / "in.raw", "3\n1.5 2.25\n3\n");
    auto r = runHelper(
        dir, {"vector", "-i", path(dir, "in.raw"), "-o", path(dir, "out.raw"), "-t", "vector"});
    CHECK(r.exitCode == 0);
    CHECK(r.out.empty());
    CHECK(readFile(dir / "out.raw") == "3\n1.5\n2.25\n3\n");
}

TEST_CASE("with neither -o nor -e, wbSolution does nothing") {
    TempDir dir;
    writeFile(dir / "in.raw", "1\n1\n");
    auto r = runHelper(dir, {"vector", "-i", path(dir, "in.raw")});
    CHECK(r.exitCode == 0);
    CHECK(r.out.empty());
}

TEST_CASE("with -e, a matching output is correct") {
    TempDir dir;
    writeFile(dir / "in.raw", "3\n1.5 2.25 3\n");
    // Written differently, equal as numbers.
    writeFile(dir / "expected.raw", "3\n1.50\n2.25\n3.0000001\n");
    auto r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw"),
                             "-t", "vector"});
    CHECK(r.exitCode == 0);
    CHECK(r.out == "The solution is correct\n");
    CHECK_FALSE(std::filesystem::exists(dir / "out.raw"));
}

TEST_CASE("with -e, a wrong element is named with both values") {
    TempDir dir;
    writeFile(dir / "in.raw", "3\n1.5 2.25 3.25\n");
    writeFile(dir / "expected.raw", "3\n1.5 2.25 3.5\n");
    auto r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw"),
                             "-t", "vector"});
    CHECK(r.exitCode == 0); // the verdict is the program's output, not its status
    CHECK(r.out == "The solution is NOT correct\nelement 2: expected 3.5, got 3.25\n");
}

TEST_CASE("with -e, a length mismatch is reported") {
    TempDir dir;
    writeFile(dir / "in.raw", "2\n1 2\n");
    writeFile(dir / "expected.raw", "3\n1 2 3\n");
    auto r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw")});
    CHECK(r.out == "The solution is NOT correct\nlength mismatch: expected 3 values, got 2\n");
}

TEST_CASE("the float tolerance is 1e-6 absolute or relative, and can be overridden") {
    TempDir dir;
    writeFile(dir / "in.raw", "2\n1000 0.5\n");
    writeFile(dir / "close.raw", "2\n1000.0009 0.5000009\n"); // rel 9e-7, abs 9e-7
    writeFile(dir / "far.raw", "2\n1000.01 0.5\n");           // rel 1e-5
    std::vector<std::string> base = {"vector", "-i", path(dir, "in.raw"), "-t", "vector", "-e"};
    auto args = [&](const char* expected) {
        auto a = base;
        a.push_back(path(dir, expected));
        return a;
    };
    CHECK(runHelper(dir, args("close.raw")).out == "The solution is correct\n");
    CHECK(runHelper(dir, args("far.raw")).out ==
          "The solution is NOT correct\nelement 0: expected 1000.01, got 1000\n");
    CHECK(runHelper(dir, args("far.raw"), {"WBTOOL_REL_TOLERANCE=1e-4"}).out ==
          "The solution is correct\n");
    CHECK(runHelper(dir, args("far.raw"), {"WBTOOL_ABS_TOLERANCE=0.1"}).out ==
          "The solution is correct\n");
    auto bad = runHelper(dir, args("close.raw"), {"WBTOOL_ABS_TOLERANCE=lots"});
    CHECK(bad.out == "The solution is correct\n");
    CHECK_THAT(bad.err, Contains("ignoring WBTOOL_ABS_TOLERANCE='lots'"));
}

TEST_CASE("NaN matches only NaN and an infinity only itself") {
    TempDir dir;
    writeFile(dir / "in.raw", "3\nnan inf -inf\n");
    writeFile(dir / "same.raw", "3\nNaN Infinity -INF\n");
    writeFile(dir / "diff.raw", "3\nnan inf inf\n");
    auto r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "same.raw")});
    CHECK(r.out == "The solution is correct\n");
    r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "diff.raw")});
    CHECK(r.out == "The solution is NOT correct\nelement 2: expected inf, got -inf\n");
}

TEST_CASE("with -o and -e, the written file is what gets compared") {
    TempDir dir;
    writeFile(dir / "in.raw", "2 2\n1 2\n3 4\n");
    writeFile(dir / "expected.raw", "2 2\n1 2\n3 5\n");
    auto r = runHelper(dir, {"matrix", "-i", path(dir, "in.raw"), "-o", path(dir, "out.raw"), "-e",
                             path(dir, "expected.raw"), "-t", "matrix"});
    CHECK(readFile(dir / "out.raw") == "2 2\n1 2\n3 4\n");
    CHECK(r.out == "The solution is NOT correct\nelement 3 (row 1, column 1): expected 5, got 4\n");
}

TEST_CASE("a matrix of the wrong shape is reported as such") {
    TempDir dir;
    writeFile(dir / "in.raw", "2 3\n1 2 3\n4 5 6\n");
    writeFile(dir / "expected.raw", "3 2\n1 2\n3 4\n5 6\n");
    auto r = runHelper(dir, {"matrix", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw"),
                             "-t", "matrix"});
    CHECK(r.out == "The solution is NOT correct\nshape mismatch: expected 3 x 2 (rows x columns), "
                   "got 2 x 3\n");
}

TEST_CASE("with -t matrix, a vector output does not match a matrix") {
    TempDir dir;
    writeFile(dir / "in.raw", "4\n1 2 3 4\n");
    writeFile(dir / "expected.raw", "2 2\n1 2\n3 4\n");
    auto r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw"),
                             "-t", "matrix"});
    CHECK(r.out == "The solution is NOT correct\nlayout mismatch: expected a 2 x 2 matrix ('R C' "
                   "header), got a vector of 4 values ('N' header)\n");
    // Without -t only the values count.
    r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw")});
    CHECK(r.out == "The solution is correct\n");
}

TEST_CASE("-t reads headers as the grader's check mode does") {
    TempDir dir;
    writeFile(dir / "in.raw", "3\n1 2 3\n");
    auto against = [&](const char* expected, const char* type) {
        writeFile(dir / "expected.raw", expected);
        return runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw"),
                               "-t", type});
    };
    // A vector type: the header is the line's first number; values may
    // follow on its line.
    CHECK(against("3 1 2 3\n", "vector").out == "The solution is correct\n");
    // matrix: the expected file must state rows and columns.
    auto r = against("3\n1 2 3\n", "matrix");
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Contains("the expected output is malformed: " + path(dir, "expected.raw") +
                               ":1: bad header '3': a matrix needs the shape 'ROWS COLS' on the "
                               "first line"));
}

TEST_CASE("a matrix with a vector type is written as a vector") {
    TempDir dir;
    writeFile(dir / "in.raw", "2 2\n1 2\n3 4\n");
    auto r = runHelper(
        dir, {"matrix", "-i", path(dir, "in.raw"), "-o", path(dir, "out.raw"), "-t", "vector"});
    CHECK(r.exitCode == 0);
    CHECK(readFile(dir / "out.raw") == "4\n1\n2\n3\n4\n");
}

TEST_CASE("the csv layout follows the output file's extension") {
    TempDir dir;
    writeFile(dir / "in.raw", "2 2\n1 2\n3 4\n");
    writeFile(dir / "expected.csv", "1,2\n3,4\n");
    auto r = runHelper(dir, {"matrix", "-i", path(dir, "in.raw"), "-o", path(dir, "out.csv"), "-e",
                             path(dir, "expected.csv"), "-t", "matrix"});
    CHECK(readFile(dir / "out.csv") == "1,2\n3,4\n");
    CHECK(r.out == "The solution is correct\n");
    // Without -o, the output is rendered like the expected file.
    r = runHelper(dir, {"matrix", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.csv")});
    CHECK(r.out == "The solution is correct\n");
}

TEST_CASE("integer outputs are compared exactly") {
    TempDir dir;
    writeFile(dir / "bins.raw", "4\n0 3 4000000000 1\n");
    writeFile(dir / "expected.raw", "4\n0 3 4000000000 1\n");
    writeFile(dir / "off.raw", "4\n0 3 4000000000 2\n");
    auto r = runHelper(dir, {"integer", "-i", path(dir, "bins.raw"), "-o", path(dir, "out.raw"),
                             "-e", path(dir, "expected.raw"), "-t", "histogram"});
    // 4000000000 does not fit the int that "Integer" imports: a fatal error.
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Contains("out of range for int"));

    writeFile(dir / "bins.raw", "4\n0 3 7 1\n");
    writeFile(dir / "expected.raw", "4\n0 3 7 1\n");
    writeFile(dir / "off.raw", "4\n0 3 7 2\n");
    r = runHelper(dir, {"integer", "-i", path(dir, "bins.raw"), "-o", path(dir, "out.raw"), "-e",
                        path(dir, "expected.raw"), "-t", "histogram"});
    CHECK(r.out == "The solution is correct\n");
    CHECK(readFile(dir / "out.raw") == "4\n0\n3\n7\n1\n");
    r = runHelper(dir, {"integer", "-i", path(dir, "bins.raw"), "-e", path(dir, "off.raw"), "-t",
                        "integral_vector"});
    CHECK(r.out == "The solution is NOT correct\nelement 3: expected 2, got 1\n");
}

TEST_CASE("an integer type rejects a float output") {
    TempDir dir;
    writeFile(dir / "in.raw", "2\n1 2.5\n");
    writeFile(dir / "expected.raw", "2\n1 2\n");
    auto r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw"),
                             "-t", "histogram"});
    CHECK_THAT(r.out, Contains("The solution is NOT correct\nthe output cannot be read: "));
    CHECK_THAT(r.out, Contains("(output):3: value 2 of 2 is not an integer: '2.5'"));
}

TEST_CASE("void data takes its element type from -t") {
    TempDir dir;
    writeFile(dir / "in.raw", "3\n5 -6 7\n");
    auto r = runHelper(dir, {"void", "-i", path(dir, "in.raw"), "-o", path(dir, "out.raw"), "-t",
                             "integral_vector"});
    CHECK(r.exitCode == 0);
    CHECK(readFile(dir / "out.raw") == "3\n5\n-6\n7\n");
}

TEST_CASE("images are compared per channel value") {
    TempDir dir;
    std::string header = "P6\n2 1\n255\n";
    writeFile(dir / "in.ppm", header + "\x10\x20\x30\x40\x50\x60");
    writeFile(dir / "same.ppm", "P6\n# comment\n2 1\n255\n\x10\x20\x30\x40\x50\x60");
    writeFile(dir / "diff.ppm", header + "\x10\x20\x30\x40\x51\x60");
    writeFile(dir / "small.ppm", "P6\n1 1\n255\n\x10\x20\x30");
    auto r = runHelper(dir, {"image", "-i", path(dir, "in.ppm"), "-o", path(dir, "out.ppm"), "-e",
                             path(dir, "same.ppm"), "-t", "image"});
    CHECK(r.out == "The solution is correct\n");
    CHECK(readFile(dir / "out.ppm") == header + "\x10\x20\x30\x40\x50\x60");

    r = runHelper(dir, {"image", "-i", path(dir, "in.ppm"), "-e", path(dir, "diff.ppm")});
    CHECK(r.out == "The solution is NOT correct\nelement 4 (x 1, y 0, channel 1): expected "
                   "0.317647059, got 0.31372549\n");

    r = runHelper(dir, {"image", "-i", path(dir, "in.ppm"), "-e", path(dir, "small.ppm")});
    CHECK(r.out == "The solution is NOT correct\nimage size mismatch: expected 1 x 1 x 3 (width x "
                   "height x channels), got 2 x 1 x 3\n");
}

TEST_CASE("text outputs compare as tokens or as exact bytes") {
    TempDir dir;
    writeFile(dir / "in.txt", "hello  world\n");
    writeFile(dir / "tokens.txt", "hello\nworld");
    auto r = runHelper(
        dir, {"text", "-i", path(dir, "in.txt"), "-e", path(dir, "tokens.txt"), "-t", "text"});
    CHECK(r.out == "The solution is correct\n");
    r = runHelper(
        dir, {"text", "-i", path(dir, "in.txt"), "-e", path(dir, "tokens.txt"), "-t", "exact"});
    CHECK(r.out == "The solution is NOT correct\nbyte 5 (line 1): expected '?', got ' '\n");
    writeFile(dir / "other.txt", "hello there\n");
    r = runHelper(
        dir, {"text", "-i", path(dir, "in.txt"), "-e", path(dir, "other.txt"), "-t", "tokens"});
    CHECK(r.out == "The solution is NOT correct\ntoken 1: expected 'there', got 'world'\n");
}

TEST_CASE("a malformed expected file is an error, not a verdict") {
    TempDir dir;
    writeFile(dir / "in.raw", "1\n1\n");
    writeFile(dir / "expected.raw", "2\n1\n");
    auto r = runHelper(dir, {"vector", "-i", path(dir, "in.raw"), "-e", path(dir, "expected.raw")});
    CHECK(r.exitCode == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Contains("libwb: error: wbSolution: the expected output is malformed: " +
                               path(dir, "expected.raw") +
                               ":1: the header says 2 values but the file has only 1"));
}
