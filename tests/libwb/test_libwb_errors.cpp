// Malformed and missing files: the message names the file, the line and the
// problem; a real program exits with status 2.
#include "libwb_test_util.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using libwb_test::errorOf;
using libwb_test::runHelper;
using libwb_test::writeFile;
using wb::test::TempDir;

namespace {

// The error importing `content` (written to `name`) as floats.
std::string importError(const TempDir& dir, const std::string& name, const std::string& content) {
    std::string file = (dir / name).string();
    writeFile(file, content);
    return errorOf([&] {
        int length = 0;
        free(wbImport(file.c_str(), &length));
    });
}

std::string importIntegerError(const TempDir& dir, const std::string& content) {
    std::string file = (dir / "i.raw").string();
    writeFile(file, content);
    return errorOf([&] {
        int length = 0;
        free(wbImport(file.c_str(), &length, "Integer"));
    });
}

std::string imageError(const TempDir& dir, const std::string& content) {
    std::string file = (dir / "img.ppm").string();
    writeFile(file, content);
    return errorOf([&] { wbImage_delete(wbImport(file.c_str())); });
}

} // namespace

TEST_CASE("a missing file is named with the system's reason") {
    TempDir dir;
    std::string file = (dir / "nope.raw").string();
    std::string message = errorOf([&] {
        int n;
        free(wbImport(file.c_str(), &n));
    });
    CHECK_THAT(message, StartsWith("wbImport: cannot open '" + file + "' for reading"));
    CHECK_THAT(message, Contains("No such file or directory"));
}

TEST_CASE("a directory given as a file is refused") {
    TempDir dir;
    std::string message = errorOf([&] {
        int n;
        free(wbImport(dir.path().c_str(), &n));
    });
    CHECK_THAT(message, Contains("cannot read '" + dir.path().string() + "': Is a directory"));
}

TEST_CASE("a NULL file name points at the -i argument") {
    std::string message = errorOf([] {
        int n;
        free(wbImport(nullptr, &n));
    });
    CHECK_THAT(message, Contains("no file name (NULL)"));
    CHECK_THAT(message, Contains("-i"));
}

TEST_CASE("a bad raw header is reported with its line") {
    TempDir dir;
    CHECK_THAT(importError(dir, "a.raw", ""), Contains("a.raw: the file is empty"));
    CHECK_THAT(importError(dir, "a.raw", "\n\n  \n"), Contains("the file is empty"));
    CHECK_THAT(importError(dir, "b.raw", "abc\n1\n"), Contains("b.raw:1: bad header value 'abc'") &&
                                                          Contains("'N' or the shape 'ROWS COLS'"));
    CHECK_THAT(importError(dir, "c.raw", "\n-3\n1 2 3\n"),
               Contains("c.raw:2: bad header value '-3'"));
    CHECK_THAT(importError(dir, "d.raw", "3 1.0 2.0 3.0\n"),
               Contains("d.raw:1: bad header '3 1.0 2.0 3.0'"));
    CHECK_THAT(importError(dir, "e.raw", "2.5\n1 2\n"),
               Contains("e.raw:1: bad header value '2.5'"));
    CHECK_THAT(importError(dir, "f.raw", "99999 99999\n"), Contains("more than libwb's limit"));
}

TEST_CASE("fewer values than the header says") {
    TempDir dir;
    CHECK_THAT(importError(dir, "short.raw", "5\n1\n2\n3\n"),
               Contains("short.raw:1: the header says 5 values but the file has only 3"));
    CHECK_THAT(importError(dir, "m.raw", "2 3\n1 2 3\n4 5\n"),
               Contains("m.raw:1: the header says 6 values but the file has only 5"));
    // A huge count in a tiny file fails the same way, without a huge allocation.
    CHECK_THAT(importError(dir, "h.raw", "2000000000\n1\n"),
               Contains("the header says 2000000000 values but the file has only 1"));
}

TEST_CASE("more values than the header says") {
    TempDir dir;
    CHECK_THAT(importError(dir, "long.raw", "2\n1\n2\n3\n"),
               Contains("long.raw:4: more values than the header's 2 (first extra value '3')"));
}

TEST_CASE("a value that is not a number names its line and position") {
    TempDir dir;
    CHECK_THAT(importError(dir, "n.raw", "3\n1.0\n2,5\n3\n"),
               Contains("n.raw:3: value 2 of 3 is not a number: '2,5'"));
    CHECK_THAT(importError(dir, "n.raw", "2\n1 abc\n"),
               Contains("n.raw:2: value 2 of 2 is not a number: 'abc'"));
    CHECK_THAT(importIntegerError(dir, "2\n1\n3.5\n"),
               Contains("i.raw:3: value 2 of 2 is not an integer: '3.5'"));
    CHECK_THAT(importIntegerError(dir, "1\n3000000000\n"),
               Contains("value 1 of 1 is out of range for int: '3000000000'"));
}

TEST_CASE("binary garbage in a message is shortened and made printable") {
    TempDir dir;
    std::string message = importError(dir, "bin.raw", "1\n\x01\x02" + std::string(100, 'x'));
    CHECK_THAT(message, Contains("'??xxxx"));
    CHECK_THAT(message, Contains("...'"));
    CHECK(message.size() < 200);
}

TEST_CASE("csv rows must be complete and equally long") {
    TempDir dir;
    CHECK_THAT(importError(dir, "r.csv", "1,2,3\n4,5\n"),
               Contains("r.csv:2: the row has 2 values but the first row (line 1) has 3"));
    CHECK_THAT(importError(dir, "e.csv", "1,,3\n"),
               Contains("e.csv:1: value 2 of the row is empty"));
    CHECK_THAT(importError(dir, "t.tsv", "1\t2\n3\tx\n"),
               Contains("t.tsv:2: value 2 of the row is not a number: 'x'"));
}

TEST_CASE("malformed images are refused with the reason") {
    TempDir dir;
    CHECK_THAT(imageError(dir, "P3\n1 1\n255\n0 0 0\n"),
               Contains("img.ppm: an ASCII PPM image (P3) is not supported"));
    CHECK_THAT(imageError(dir, "GIF89a"), Contains("not a binary PPM (P6) or PGM (P5) image"));
    CHECK_THAT(imageError(dir, "P6\n2 x\n255\n"),
               Contains("img.ppm:2: bad image header: the height must be a non-negative integer"));
    CHECK_THAT(imageError(dir, "P6\n2 2\n"),
               Contains("the maxval must be") && Contains("the end of the file"));
    CHECK_THAT(imageError(dir, "P6\n1 1\n65535\n\x01\x02\x03\x04\x05\x06"),
               Contains("maxval 65535 is not supported"));
    CHECK_THAT(
        imageError(dir, "P6\n2 2\n255\nabc"),
        Contains("the header says 2 x 2 x 3 = 12 bytes of pixel data but the file has only 3"));
    // The grader's rules (libwb/wb_header.h): only white space after the
    // pixels, no empty image, one white-space byte between the maxval and
    // the pixels.
    const std::pair<const char*, const char*> graderRules[] = {
        {"P5\n1 2\n255\nab\nc",
         "img.ppm: 2 bytes after the 1 x 2 x 1 = 2 bytes of pixel data; only white space may "
         "follow the pixels"},
        {"P5\n0 4\n255\n",
         "img.ppm: bad image header: the image is 0 x 4; width and height must be at least 1"},
        {"P5\n1 1\n255# c\na",
         "img.ppm:3: bad image header: the maxval must be followed by one white-space byte, "
         "found '#'"},
        {"P6\n1x 1\n255\nabc",
         "img.ppm:2: bad image header: the width must be a non-negative integer, found '1x'"},
        {"P6\n1 1\n1234567890123\nabc",
         "img.ppm:3: bad image header: the maxval '1234567890123' is too large"},
    };
    for (const auto& [content, message] : graderRules)
        CHECK_THAT(imageError(dir, content), Contains(message));
}

TEST_CASE("an image file is not read as numbers, nor numbers as an image") {
    TempDir dir;
    CHECK_THAT(importError(dir, "x.ppm", "P6\n1 1\n255\nabc"),
               Contains("is an image; import it with wbImport(file)"));
    CHECK_THAT(imageError(dir, "3\n1 2 3\n"), Contains("not a binary PPM"));
}

TEST_CASE("an unknown import type is refused") {
    TempDir dir;
    std::string file = (dir / "a.raw").string();
    writeFile(file, "1\n1\n");
    std::string message = errorOf([&] {
        int n;
        free(wbImport(file.c_str(), &n, "Complex"));
    });
    CHECK_THAT(message, Contains("unknown type 'Complex'"));
}

TEST_CASE("export refuses bad arguments") {
    TempDir dir;
    float v[2] = {1, 2};
    std::string file = (dir / "o.raw").string();
    CHECK_THAT(errorOf([&] { wbExport(nullptr, v, 2); }), Contains("no output file name (NULL)"));
    CHECK_THAT(errorOf([&] { wbExport(file.c_str(), v, -1); }), Contains("negative size"));
    CHECK_THAT(errorOf([&] { wbExport(file.c_str(), static_cast<float*>(nullptr), 2); }),
               Contains("is a NULL pointer"));
    std::string image = (dir / "o.ppm").string();
    CHECK_THAT(errorOf([&] { wbExport(image.c_str(), v, 2); }), Contains("names an image"));
    wbImage_t four = wbImage_new(1, 1, 4);
    CHECK_THAT(errorOf([&] { wbExport(image.c_str(), four); }),
               Contains("cannot write an image with 4 channels"));
    wbImage_delete(four);
}

TEST_CASE("export into a missing directory is reported") {
    TempDir dir;
    std::string file = (dir / "no" / "such" / "o.raw").string();
    float v[1] = {1};
    std::string message = errorOf([&] { wbExport(file.c_str(), v, 1); });
    CHECK_THAT(message, Contains("wbExport: cannot create '" + file + ".wbtmp' to write '" + file));
    CHECK_THAT(message, Contains("No such file or directory"));
}

TEST_CASE("a program exits with status 2 and one clear line on a fatal error") {
    TempDir dir;
    std::string missing = (dir / "missing.raw").string();
    auto r = runHelper(dir, {"import", "-i", missing});
    CHECK(r.exitCode == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "libwb: error: wbImport: cannot open '" + missing +
                       "' for reading: No such file or directory\n");

    std::string bad = (dir / "bad.raw").string();
    writeFile(bad, "3\n1\n2\n");
    r = runHelper(dir, {"import", "-i", bad});
    CHECK(r.exitCode == 2);
    CHECK(r.err == "libwb: error: wbImport: " + bad +
                       ":1: the header says 3 values but the file has only 2\n");

    // No -i at all: wbArg_getInputFile warns, wbImport fails on NULL.
    r = runHelper(dir, {"import"});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err,
               Contains("libwb: warning: wbArg_getInputFile(args, 0): only 0 input file(s)"));
    CHECK_THAT(r.err, Contains("libwb: error: wbImport: no file name (NULL)"));
}

TEST_CASE("a failed write is reported and leaves no partial file") {
    TempDir dir;
    std::string out = (dir / "big.raw").string();
    auto r = runHelper(dir, {"filelimit", "-o", out});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err,
               Contains("libwb: error: wbExport: writing '" + out + "' failed: File too large"));
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK_FALSE(std::filesystem::exists(out + ".wbtmp"));
}
