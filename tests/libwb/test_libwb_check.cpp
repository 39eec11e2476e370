// The grader and wbSolution agree: the same expected and produced files get
// the same verdict from core's check_output and from libwb.
//
// A student trusts `The solution is correct` from a local run only if the
// grader will say so too. Both share libwb/wb_format.h (tokens, numbers, the
// tolerance) and libwb/wb_header.h (raw headers, PPM images), but each still
// has its own comparison and shape checks, so this test holds them to one
// verdict on the edges:
// NaN, infinities, values exactly at the absolute and relative tolerance and
// the next one past it, lengths and shapes, and malformed files. Messages are
// not compared: each side words its own, and their own tests check them.
//
// Well-formed outputs go through libwb_helper, a real program whose output is
// its input file, so wbSolution runs as a student's would, built both as
// C++11 (the C library converts numbers) and as the default dialect
// (<charconv>). Every case is also judged in process on the very bytes, by
// wbInternal::judge, the function wbSolution ends in: that covers malformed
// outputs too, which would stop the helper at wbImport.
#include "core/check.h"
#include "core/error.h"
#include "libwb_test_util.h"

#include <fmt/format.h>

#include <string>
#include <vector>

using libwb_test::runHelper;
using libwb_test::writeFile;
using wb::core::check_output;
using wb::core::CheckMode;
using wb::test::TempDir;

namespace {

// One pair of files and the verdict both sides must give.
struct Case {
    const char* what;
    CheckMode mode;
    std::string expected;
    std::string produced;
    bool correct;
    wb::core::Tolerance tol = {0.5, 0.0};
};

// The -t type that stands for a grader check mode is the mode's own name;
// the libwb_helper mode is the one that imports and hands over such data.
std::string typeOf(CheckMode mode) {
    return std::string(wb::core::to_string(mode));
}

const char* helperModeOf(CheckMode mode) {
    switch (mode) {
    case CheckMode::matrix:
        return "matrix";
    case CheckMode::integral_vector:
    case CheckMode::histogram:
        return "integer";
    case CheckMode::image:
        return "image";
    case CheckMode::exact:
    case CheckMode::tokens:
    case CheckMode::validator:
        return "text";
    case CheckMode::vector:
        break;
    }
    return "vector";
}

std::string extensionOf(CheckMode mode) {
    return mode == CheckMode::image ? ".ppm" : ".raw";
}

// How a side answered: a verdict, or "the expected file is the author's error".
enum class Answer { correct, wrong, bad_expected };

const char* nameOf(Answer a) {
    return a == Answer::correct ? "correct" : a == Answer::wrong ? "wrong" : "bad expected file";
}

struct Files {
    std::filesystem::path expected;
    std::filesystem::path produced;
};

Files write(const TempDir& dir, const Case& c) {
    Files f{dir / ("expected" + extensionOf(c.mode)), dir / ("produced" + extensionOf(c.mode))};
    writeFile(f.expected, c.expected);
    writeFile(f.produced, c.produced);
    return f;
}

Answer grader(const Case& c, const Files& f) {
    try {
        return check_output(c.mode, c.tol, f.expected, f.produced).correct ? Answer::correct
                                                                           : Answer::wrong;
    } catch (const wb::InputError&) {
        return Answer::bad_expected;
    }
}

std::vector<std::string> toleranceEnv(const wb::core::Tolerance& tol) {
    return {fmt::format("WBTOOL_ABS_TOLERANCE={:.17g}", tol.abs),
            fmt::format("WBTOOL_REL_TOLERANCE={:.17g}", tol.rel)};
}

// wbSolution in a real program: `libwb_helper MODE -i produced -e expected -t TYPE`.
Answer program(const TempDir& dir, const Case& c, const Files& f, const char* helper) {
    auto r = runHelper(dir,
                       {helperModeOf(c.mode), "-i", f.produced.string(), "-e", f.expected.string(),
                        "-t", typeOf(c.mode)},
                       toleranceEnv(c.tol), helper);
    INFO("libwb_helper stdout: " << r.out << "stderr: " << r.err);
    REQUIRE(r.exitCode == 0);
    REQUIRE(r.out.rfind("The solution is ", 0) == 0);
    return r.out.rfind("The solution is correct\n", 0) == 0 ? Answer::correct : Answer::wrong;
}

// wbSolution's comparison of the produced file's bytes as they are.
Answer judged(const Case& c, const Files& f) {
    // judge reads the tolerance where a program does, in the environment.
    setenv("WBTOOL_ABS_TOLERANCE", fmt::format("{:.17g}", c.tol.abs).c_str(), 1);
    setenv("WBTOOL_REL_TOLERANCE", fmt::format("{:.17g}", c.tol.rel).c_str(), 1);
    std::string expectedPath = f.expected.string();
    std::string producedPath = f.produced.string();
    wbInternal::Produced produced;
    produced.text = libwb_test::readFile(f.produced);
    produced.name = producedPath.c_str();
    produced.kind = wbInternal::fileKindOf(producedPath.c_str());
    std::string typeName = typeOf(c.mode);
    const char* type = typeName.c_str();
    Answer answer = Answer::wrong;
    {
        libwb_test::ThrowOnFail guard;
        try {
            answer =
                wbInternal::judge(wbInternal::compareModeOf(type, wbInternal::compareFloat),
                                  wbInternal::headerRankOf(type), expectedPath.c_str(), produced)
                    ? Answer::correct
                    : Answer::wrong;
        } catch (const libwb_test::LibwbError&) {
            answer = Answer::bad_expected;
        }
    }
    unsetenv("WBTOOL_ABS_TOLERANCE");
    unsetenv("WBTOOL_REL_TOLERANCE");
    return answer;
}

std::string ppm(char kind, int width, int height, const std::string& samples) {
    return fmt::format("P{}\n{} {}\n255\n", kind, width, height) + samples;
}

// Tolerances: absolute 0.5 (relative 0) unless a case says otherwise. Every
// value is a float exactly, since libwb_helper reads its input as floats, and
// every file is in the layout the helper writes back.
const wb::core::Tolerance rel_half = {0.0, 0.5};

std::vector<Case> wellFormed() {
    using M = CheckMode;
    return {
        {"equal values", M::vector, "3\n1 2 3\n", "3\n1 2 3\n", true},
        {"exactly at the absolute tolerance, above", M::vector, "1\n1\n", "1\n1.5\n", true},
        {"exactly at the absolute tolerance, below", M::vector, "1\n1\n", "1\n0.5\n", true},
        {"just past the absolute tolerance, above", M::vector, "1\n1\n", "1\n1.5000001\n", false},
        {"just past the absolute tolerance, below", M::vector, "1\n1\n", "1\n0.49999997\n", false},
        {"exactly at the relative tolerance", M::vector, "1\n2\n", "1\n3\n", true, rel_half},
        {"exactly at the relative tolerance, negative", M::vector, "1\n-2\n", "1\n-1\n", true,
         rel_half},
        {"just past the relative tolerance", M::vector, "1\n2\n", "1\n3.0000002\n", false,
         rel_half},
        {"relative tolerance of zero expected", M::vector, "1\n0\n", "1\n0.25\n", false, rel_half},
        {"zero tolerance, equal", M::vector, "1\n0.25\n", "1\n0.25\n", true, {0.0, 0.0}},
        {"zero tolerance, one float apart",
         M::vector,
         "1\n0.25\n",
         "1\n0.25000003\n",
         false,
         {0.0, 0.0}},
        {"both NaN", M::vector, "2\n1 nan\n", "2\n1 nan\n", true},
        {"NaN expected, a number produced", M::vector, "1\nnan\n", "1\n1\n", false},
        {"a number expected, NaN produced", M::vector, "1\n1\n", "1\nnan\n", false},
        {"NaN with a huge tolerance", M::vector, "1\n1\n", "1\nnan\n", false, {1e30, 1e30}},
        {"+inf both", M::vector, "1\ninf\n", "1\ninf\n", true},
        {"-inf both", M::vector, "1\n-inf\n", "1\n-inf\n", true},
        {"+inf expected, -inf produced", M::vector, "1\ninf\n", "1\n-inf\n", false},
        {"+inf expected, the largest float produced",
         M::vector,
         "1\ninf\n",
         "1\n3.4028235e+38\n",
         false,
         {1e30, 1e30}},
        {"a number expected, inf produced", M::vector, "1\n1\n", "1\ninf\n", false, {1e30, 1e30}},
        {"fewer values", M::vector, "3\n1 2 3\n", "2\n1 2\n", false},
        {"more values", M::vector, "2\n1 2\n", "3\n1 2 3\n", false},
        {"no values, both", M::vector, "0\n", "0\n", true},
        {"matrix, equal", M::matrix, "2 3\n1 2 3\n4 5 6\n", "2 3\n1 2 3\n4 5 6\n", true},
        {"matrix, one value past", M::matrix, "2 2\n1 2\n3 4\n", "2 2\n1 2\n3 4.75\n", false},
        {"matrix, transposed shape", M::matrix, "2 3\n1 2 3\n4 5 6\n", "3 2\n1 2\n3 4\n5 6\n",
         false},
        {"integers, equal", M::integral_vector, "3\n1 2 3\n", "3\n1 2 3\n", true},
        {"integers, one apart under a tolerance",
         M::histogram,
         "3\n1 2 3\n",
         "3\n1 2 4\n",
         false,
         {10.0, 10.0}},
        {"integers, fewer", M::histogram, "3\n1 2 3\n", "2\n1 2\n", false},
        {"image, equal", M::image, ppm('6', 2, 1, "\x01\x02\x03\x04\x05\x06"),
         ppm('6', 2, 1, "\x01\x02\x03\x04\x05\x06"), true},
        {"image, within the tolerance",
         M::image,
         ppm('6', 2, 1, "\x01\x02\x03\x04\x05\x06"),
         ppm('6', 2, 1, "\x01\x02\x03\x04\x05\x08"),
         true,
         {0.01, 0.0}},
        {"image, past the tolerance",
         M::image,
         ppm('6', 2, 1, "\x01\x02\x03\x04\x05\x06"),
         ppm('6', 2, 1, "\x01\x02\x03\x04\x05\x09"),
         false,
         {0.01, 0.0}},
        {"image, other size", M::image, ppm('6', 2, 1, "\x01\x02\x03\x04\x05\x06"),
         ppm('6', 1, 2, "\x01\x02\x03\x04\x05\x06"), false},
        {"image, grey for colour", M::image, ppm('6', 1, 1, "\x01\x02\x03"),
         ppm('5', 3, 1, "\x01\x02\x03"), false},
    };
}

// Files the helper program would not hand to wbSolution as they are: it
// stops at wbImport on a malformed one, and it writes what it read in the
// layout its wbSolution call implies (a vector for wbSolution(args, data,
// n)), whatever the header said.
std::vector<Case> byBytes() {
    using M = CheckMode;
    return {
        {"empty output", M::vector, "1\n1\n", "", false},
        {"vector, a matrix header", M::vector, "4\n1 2 3 4\n", "2 2\n1 2\n3 4\n", false},
        {"matrix, a vector header", M::matrix, "2 2\n1 2\n3 4\n", "4\n1 2 3 4\n", false},
        {"blank output", M::vector, "1\n1\n", " \n\n", false},
        {"a word for the header", M::vector, "1\n1\n", "one\n1\n", false},
        {"a negative count", M::vector, "1\n1\n", "-1\n1\n", false},
        {"a fractional count", M::vector, "1\n1\n", "1.0\n1\n", false},
        {"the header short of values", M::vector, "3\n1 2 3\n", "3\n1 2\n", false},
        {"values past the header", M::vector, "2\n1 2\n", "2\n1 2 3\n", false},
        {"a word for a value", M::vector, "2\n1 2\n", "2\n1 two\n", false},
        {"a decimal comma", M::vector, "2\n1 1.5\n", "2\n1 1,5\n", false},
        {"a hex float", M::vector, "2\n1 8\n", "2\n1 0x1p3\n", false},
        {"a plus sign", M::vector, "2\n1 8\n", "2\n+1 +8\n", true},
        {"two signs", M::vector, "1\n1\n", "1\n+-1\n", false},
        {"matrix, one header number", M::matrix, "1 2\n1 2\n", "2\n1 2\n", false},
        {"matrix, three header numbers", M::matrix, "1 2\n1 2\n", "1 2 3\n1 2\n", false},
        {"matrix, header split over two lines", M::matrix, "1 2\n1 2\n", "1\n2\n1 2\n", false},
        {"values on the header line, short", M::vector, "3\n1 2 3\n", "3 1 2\n", false},
        {"values on the expected file's header line", M::vector, "2 1 2\n", "2\n1 2\n", true},
        {"a blank line before the header", M::vector, "1\n1\n", "\n  \n1\n1\n", true},
        {"integers, a decimal point", M::integral_vector, "2\n1 2\n", "2\n1 2.0\n", false},
        {"integers, an exponent", M::histogram, "2\n1 2\n", "2\n1 2e0\n", false},
        {"integers, past 64 bits", M::histogram, "1\n1\n", "1\n99999999999999999999\n", false},
        {"integers, a plus sign", M::histogram, "1\n7\n", "1\n+7\n", true},
        {"image, ASCII P3", M::image, ppm('6', 1, 1, "abc"), "P3\n1 1\n255\n1 2 3\n", false},
        {"image, not an image", M::image, ppm('6', 1, 1, "abc"), "hello", false},
        {"image, short of pixels", M::image, ppm('6', 2, 1, "abcdef"), ppm('6', 2, 1, "abcde"),
         false},
        {"image, 16-bit", M::image, ppm('6', 1, 1, "abc"), "P6\n1 1\n65535\nabcdef", false},
        {"image, a word for the width", M::image, ppm('6', 1, 1, "abc"), "P6\nw 1\n255\nabc",
         false},
        {"image, a comment in the header", M::image, ppm('6', 1, 1, "abc"),
         "P6\n# made by hand\n1 1\n255\nabc", true},
        {"tokens, other spacing", M::tokens, "a b\nc\n", "a  b c", true},
        {"tokens, one more", M::tokens, "a b\n", "a b c\n", false},
        {"exact, other spacing", M::exact, "a b\n", "a  b\n", false},
        {"exact, equal", M::exact, "a b\n", "a b\n", true},
        {"expected: a word for the header", M::vector, "one\n1\n", "1\n1\n", false},
        {"expected: short of values", M::vector, "3\n1 2\n", "3\n1 2 3\n", false},
        {"expected: a word for a value", M::vector, "2\n1 x\n", "2\n1 2\n", false},
        {"expected: not an image", M::image, "hello", ppm('6', 1, 1, "abc"), false},
        {"expected: a vector header for a matrix", M::matrix, "4\n1 2 3 4\n", "4\n1 2 3 4\n",
         false},
        {"expected: a matrix header for a vector", M::vector, "2 2\n1 2\n3 4\n", "4\n1 2 3 4\n",
         false},
    };
}

void requireAgreement(const char* side, Answer grade, Answer libwb, const Case& c) {
    INFO(c.what << " (" << typeOf(c.mode) << "): the grader says " << nameOf(grade) << ", " << side
                << " says " << nameOf(libwb));
    CHECK(grade == libwb);
    bool badExpected = std::string(c.what).rfind("expected:", 0) == 0;
    Answer want = badExpected ? Answer::bad_expected : c.correct ? Answer::correct : Answer::wrong;
    CHECK(grade == want);
}

} // namespace

TEST_CASE("grader and wbSolution agree on well-formed outputs, edges included") {
    for (const Case& c : wellFormed()) {
        TempDir dir;
        Files f = write(dir, c);
        requireAgreement("wbSolution", grader(c, f), program(dir, c, f, LIBWB_HELPER), c);
        requireAgreement("wbSolution (C++11)", grader(c, f), program(dir, c, f, LIBWB_HELPER_CXX11),
                         c);
    }
}

TEST_CASE("grader and wbSolution's comparison agree on the same bytes") {
    for (const auto& list : {wellFormed(), byBytes()}) {
        for (const Case& c : list) {
            TempDir dir;
            Files f = write(dir, c);
            requireAgreement("wbSolution's judge", grader(c, f), judged(c, f), c);
        }
    }
}

// The two framings the grader and libwb once read differently, one scan
// each now (libwb/wb_header.h): values after a raw header on its line are
// values when the check mode fixes the header, and bytes after a PPM's pixels
// other than white space make a wrong answer (and, in the expected file, a
// malformed one).
TEST_CASE("grader and wbSolution frame raw headers and images alike") {
    using M = CheckMode;
    const std::string abc = ppm('6', 1, 1, "abc");
    const std::vector<Case> cases = {
        {"values on the header line", M::vector, "3\n1 2 3\n", "3 1 2 3\n", true},
        {"matrix, values on the header line", M::matrix, "2 2\n1 2\n3 4\n", "2 2 1 2\n3 4\n", true},
        {"a byte after the pixels", M::image, abc, abc + "d", false},
        {"a closing newline after the pixels", M::image, abc, abc + "\n", true},
        {"a byte after a grey image's pixels", M::image, ppm('5', 1, 1, "a"), ppm('5', 1, 1, "ab"),
         false},
        {"expected: a byte after the pixels", M::image, abc + "d", abc, false},
        {"a closing newline in the expected file", M::image, abc + "\n", abc, true},
        {"pixels that start with white space", M::image, ppm('5', 2, 1, " \n"),
         ppm('5', 2, 1, " \n"), true},
        {"a zero-width image", M::image, abc, "P6\n0 1\n255\n", false},
        {"expected: a zero-height image", M::image, "P6\n1 0\n255\n", abc, false},
        {"a comment after the maxval", M::image, abc, "P6\n1 1\n255#c\nabc", false},
        {"a comment after the width", M::image, abc, "P6\n1#c\n1\n255\nabc", true},
        {"letters after the height", M::image, abc, "P6\n1 1x\n255\nabc", false},
        {"no white space after the magic number", M::image, abc, "P61 1\n255\nabc", false},
        {"a width of 13 digits", M::image, abc, "P6\n1000000000000 1\n255\nabc", false},
        {"a header past int's samples", M::image, abc, "P5\n65536 65536\n255\nabc", false},
    };
    for (const Case& c : cases) {
        TempDir dir;
        Files f = write(dir, c);
        requireAgreement("wbSolution's judge", grader(c, f), judged(c, f), c);
    }
}

// A lab's dataset_generator.cpp writes its inputs and expected outputs with
// wbDataset_generate and wbExport; the grader must read every one of them,
// and agree, with no tolerance, that what a program imports and writes back
// is the same data.
TEST_CASE("the grader reads what wbDataset_generate writes and what a program writes back") {
    TempDir dir;
    const std::string base = (dir.path() / "Dataset").string();
    char* root = wbPath_join(base, 0);
    const wb::core::Tolerance exact = {0.0, 0.0};
    struct Generated {
        const char* file;
        wbExportKind_t kind;
        CheckMode mode;
        wbGenerateParams_t params;
    };
    std::vector<Generated> generated(5);
    generated[0] = {"vector.raw", wbExportKind_raw, CheckMode::vector, {}};
    generated[0].params.raw = {7, 1, -100, 100, wbType_float};
    generated[1] = {"matrix.raw", wbExportKind_raw, CheckMode::matrix, {}};
    generated[1].params.raw = {3, 5, 0, 1, wbType_float};
    generated[2] = {"ints.raw", wbExportKind_raw, CheckMode::integral_vector, {}};
    generated[2].params.raw = {9, 1, 0, 255, wbType_integer};
    generated[3] = {"image.ppm", wbExportKind_ppm, CheckMode::image, {}};
    generated[3].params.ppm = {5, 4, 3, 0, 1};
    generated[4] = {"text.txt", wbExportKind_text, CheckMode::exact, {}};
    generated[4].params.text = {64};
    for (const auto& g : generated) {
        INFO(g.file);
        char* path = wbPath_join(root, g.file);
        wbDataset_generate(path, g.kind, g.params);
        const std::string copy =
            std::string(path) + ".copy" + (g.mode == CheckMode::image ? ".ppm" : "");
        if (g.mode == CheckMode::image) {
            wbImage_t img = wbImport(path);
            wbExport(copy.c_str(), img);
            wbImage_delete(img);
        } else {
            int rows = 0, cols = 0;
            const bool integer = g.mode == CheckMode::integral_vector;
            const bool text = g.mode == CheckMode::exact;
            void* data = wbImport(path, &rows, &cols, text ? "Text" : integer ? "Integer" : "Real");
            wbExport(copy.c_str(), g.kind, data, rows, cols,
                     text      ? wbType_ascii
                     : integer ? wbType_integer
                               : wbType_float);
            std::free(data);
        }
        CHECK(check_output(g.mode, exact, path, path).correct);
        CHECK(check_output(g.mode, exact, path, copy).correct);
        std::free(path);
    }
    std::free(root);
}
