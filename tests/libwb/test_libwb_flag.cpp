// wbImport_flag: a file holding one integer (an MP's mode or a size).
// Anything else is a malformed dataset, reported like wbImport's errors.
#include "libwb_test_util.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using libwb_test::errorOf;
using libwb_test::runHelper;
using libwb_test::writeFile;
using wb::test::TempDir;

namespace {

int flagOf(const TempDir& dir, const std::string& name, const std::string& content) {
    std::string file = (dir / name).string();
    writeFile(file, content);
    return wbImport_flag(file.c_str());
}

std::string flagError(const TempDir& dir, const std::string& name, const std::string& content) {
    std::string file = (dir / name).string();
    writeFile(file, content);
    return errorOf([&] { wbImport_flag(file.c_str()); });
}

} // namespace

TEST_CASE("wbImport_flag reads the integer a flag file holds") {
    TempDir dir;
    CHECK(flagOf(dir, "mode.flag", "2\n") == 2);
    CHECK(flagOf(dir, "mode.flag", "3") == 3); // no final newline
    CHECK(flagOf(dir, "zero.raw", "0\n") == 0);
    CHECK(flagOf(dir, "neg.txt", "-7\n") == -7);
    CHECK(flagOf(dir, "plus.flag", "+5\n") == 5);
    CHECK(flagOf(dir, "max.flag", "2147483647\n") == 2147483647);
    CHECK(flagOf(dir, "min.flag", "-2147483648\n") == -2147483647 - 1);
    // The extension does not matter, not even one wbImport reads as csv.
    CHECK(flagOf(dir, "grid.csv", "1024\n") == 1024);

    // The way MPs call it: cast to their mode enum.
    enum Mode { CPU = 1, GPU_GLOBAL_QUEUE, GPU_BLOCK_QUEUE };
    Mode mode = (Mode)flagOf(dir, "m.flag", "3\n");
    CHECK(mode == GPU_BLOCK_QUEUE);
}

TEST_CASE("wbImport_flag allows white space around the integer") {
    TempDir dir;
    CHECK(flagOf(dir, "a.flag", "  42  \n") == 42);
    CHECK(flagOf(dir, "b.flag", "\n\n\t 42\r\n") == 42); // leading blank lines, CRLF
    CHECK(flagOf(dir, "c.flag", "42\n\n\n   \n") == 42);
    CHECK(flagOf(dir, "d.flag", "\v\f 42 \t") == 42);
}

TEST_CASE("a malformed flag file names the file, the line and the problem") {
    TempDir dir;
    CHECK(flagError(dir, "e.flag", "") ==
          "wbImport_flag: " + (dir / "e.flag").string() +
              ": the file is empty; a flag file must hold a single integer");
    CHECK_THAT(flagError(dir, "w.flag", " \n\t\n"), Contains("w.flag: the file is empty"));
    CHECK(flagError(dir, "x.flag", "abc\n") ==
          "wbImport_flag: " + (dir / "x.flag").string() +
              ":1: the flag is not an integer: 'abc'; a flag file must hold a single integer");
    CHECK_THAT(flagError(dir, "r.flag", "\n2.5\n"),
               StartsWith("wbImport_flag: ") &&
                   Contains("r.flag:2: the flag is not an integer: '2.5'"));
    CHECK_THAT(flagError(dir, "h.flag", "0x10\n"), Contains("is not an integer: '0x10'"));
    CHECK_THAT(flagError(dir, "c.flag", "1,\n"), Contains("is not an integer: '1,'"));
    CHECK_THAT(flagError(dir, "o.flag", "3000000000\n"),
               Contains("o.flag:1: the flag is out of range for int: '3000000000'"));
    CHECK_THAT(flagError(dir, "o.flag", "99999999999999999999\n"),
               Contains("the flag is out of range"));
    // More than one value: a raw vector is not a flag (the classic libwb
    // would have returned its count and ignored the rest).
    CHECK_THAT(flagError(dir, "v.flag", "1\n3\n"),
               Contains("v.flag:2: more than one value (first extra value '3'); a flag file "
                        "must hold a single integer"));
    CHECK_THAT(flagError(dir, "t.flag", "2 # mode\n"),
               Contains("t.flag:1: more than one value (first extra value '#')"));
    // Binary garbage is shortened and made printable, as in wbImport.
    std::string message = flagError(dir, "bin.flag", "\x01\x02" + std::string(100, 'x'));
    CHECK_THAT(message, Contains("'??xxxx") && Contains("...'"));
    CHECK(message.size() < 200);
}

TEST_CASE("a missing flag file is named with the system's reason") {
    TempDir dir;
    std::string file = (dir / "nope.flag").string();
    std::string message = errorOf([&] { wbImport_flag(file.c_str()); });
    CHECK(message ==
          "wbImport_flag: cannot open '" + file + "' for reading: No such file or directory");

    CHECK_THAT(
        errorOf([&] { wbImport_flag(dir.path().c_str()); }),
        Contains("wbImport_flag: cannot read '" + dir.path().string() + "': Is a directory"));
    message = errorOf([] { wbImport_flag(nullptr); });
    CHECK_THAT(message, StartsWith("wbImport_flag: no file name (NULL)") && Contains("-i"));
}

TEST_CASE("a program reads a flag, and exits with status 2 on a bad one") {
    TempDir dir;
    std::string good = (dir / "mode.flag").string();
    writeFile(good, " +12\n");
    for (const char* helper : {LIBWB_HELPER, LIBWB_HELPER_CXX11}) {
        INFO(helper);
        auto r = runHelper(dir, {"flag", "-i", good}, {}, helper);
        CHECK(r.exitCode == 0);
        CHECK(r.out == "flag=12\n");
        CHECK(r.err.empty());
    }

    std::string missing = (dir / "missing.flag").string();
    auto r = runHelper(dir, {"flag", "-i", missing});
    CHECK(r.exitCode == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "libwb: error: wbImport_flag: cannot open '" + missing +
                       "' for reading: No such file or directory\n");

    std::string bad = (dir / "bad.flag").string();
    writeFile(bad, "fast\n");
    for (const char* helper : {LIBWB_HELPER, LIBWB_HELPER_CXX11}) {
        INFO(helper);
        r = runHelper(dir, {"flag", "-i", bad}, {}, helper);
        CHECK(r.exitCode == 2);
        CHECK(r.out.empty());
        CHECK(r.err == "libwb: error: wbImport_flag: " + bad +
                           ":1: the flag is not an integer: 'fast'; a flag file must hold a "
                           "single integer\n");
    }

    std::string big = (dir / "big.flag").string();
    writeFile(big, "-3000000000\n");
    r = runHelper(dir, {"flag", "-i", big}, {}, LIBWB_HELPER_CXX11);
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Contains("the flag is out of range for int: '-3000000000'"));
}
