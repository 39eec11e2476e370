// libwb solution: wbSolution, handing the program's answer over.
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). Two jobs:
//   - with -o FILE (how the grader runs a program) the data is exported to
//     FILE; the grader compares that file with the expected output itself
//     and never reads anything the program prints;
//   - with -e FILE (a student checking locally) the output is compared with
//     FILE and the verdict printed on stdout: `The solution is correct`, or
//     `The solution is NOT correct` and on the next line the first mismatch
//     (`element 17: expected 3.5, got 3.25`, a length or shape mismatch).
// With both, the file written to -o is read back and compared, so the local
// verdict is about exactly the bytes the grader would see.
//
// The comparison follows docs/mp-format.md, with the -t type as the check
// mode: vector/matrix (floats), integral_vector/histogram (integers,
// exact), image (per channel value v / maxval), exact (bytes), tokens or
// text (white-space separated tokens). Without -t, the data decides. Floats
// match when |got - expected| <= abs or <= rel * |expected| (NaN only NaN,
// an infinity only itself), with abs = rel = 1e-6, the grader's defaults;
// the environment variables WBTOOL_ABS_TOLERANCE and WBTOOL_REL_TOLERANCE
// override them, for MPs whose mp.toml sets other tolerances.
//
// Shape: wbSolution(args, data, n) writes a vector (`N` header);
// wbSolution(args, data, rows, cols) writes a matrix (`R C` header), except
// when -t names a vector type (vector, integral_vector, histogram), where
// the rows * cols values are written as a vector, since that is what the
// grader will expect. When -t names a numeric type, both files are read
// with the header the type implies, as the grader reads them (values may
// follow `N` or `R C` on its line), and a vector never matches a matrix;
// without -t only the values and, where both files state one, the shape
// are compared.
#pragma once

#include "wb_arg.h"
#include "wb_base.h"
#include "wb_export.h"
#include "wb_image.h"

namespace wbInternal {

// Exports and/or judges rows x cols values (see above); what wbSolution<T>
// calls. `shaped`: the data is a matrix (`R C`) rather than a vector.
wbBool solveNumbers(wbArg_t args, ElementView view, int rows, int cols, bool shaped);

} // namespace wbInternal

template <typename T> inline wbBool wbSolution(wbArg_t args, T* data, int length) {
    return wbInternal::solveNumbers(args, wbInternal::makeView(data), length, 1, false);
}

template <typename T> inline wbBool wbSolution(wbArg_t args, T* data, int rows, int cols) {
    return wbInternal::solveNumbers(args, wbInternal::makeView(data), rows, cols, true);
}

wbBool wbSolution(wbArg_t args, wbImage_t img);

#if WB_BODIES

#include "wb_parse.h"

namespace wbInternal {

enum CompareMode { compareFloat, compareInteger, compareImage, compareExact, compareTokens };

WB_INLINE double toleranceFromEnv(const char* name, double fallback) {
    const char* text = std::getenv(name);
    if (!text || !*text) return fallback;
    double value;
    if (!parseDouble(text, text + std::strlen(text), value) || !(value >= 0)) {
        warn(std::string("ignoring ") + name + "=" + quoted(text) + ": not a non-negative number");
        return fallback;
    }
    return value;
}

WB_INLINE Tolerance solutionTolerance() {
    Tolerance t = {toleranceFromEnv("WBTOOL_ABS_TOLERANCE", 1e-6),
                   toleranceFromEnv("WBTOOL_REL_TOLERANCE", 1e-6)};
    return t;
}

WB_INLINE bool typeIs(const char* type, const char* name) {
    return equalsIgnoreCase(type, name);
}

WB_INLINE bool isVectorType(const char* type) {
    return typeIs(type, "vector") || typeIs(type, "integral_vector") || typeIs(type, "histogram");
}

// The raw header the -t type implies, as the grader's check mode does: 1
// (`N`) for the vector types, 2 (`R C`) for matrix, 0 (the file says) else.
WB_INLINE int headerRankOf(const char* type) {
    if (isVectorType(type)) return 1;
    return typeIs(type, "matrix") ? 2 : 0;
}

WB_INLINE bool isIntegerType(const char* type) {
    return typeIs(type, "integral_vector") || typeIs(type, "histogram");
}

// The check mode -t names, or `fallback` when -t is absent or unknown.
WB_INLINE CompareMode compareModeOf(const char* type, CompareMode fallback) {
    if (typeIs(type, "vector") || typeIs(type, "matrix")) return compareFloat;
    if (isIntegerType(type)) return compareInteger;
    if (typeIs(type, "image")) return compareImage;
    if (typeIs(type, "exact")) return compareExact;
    if (typeIs(type, "tokens") || typeIs(type, "text")) return compareTokens;
    return fallback;
}

WB_INLINE std::string numberText(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

WB_INLINE std::string shapeText(int rows, int cols) {
    return std::to_string(rows) + " x " + std::to_string(cols);
}

// Floats within the tolerance, integers exactly.
WB_INLINE bool sameValue(double expected, double got, const Tolerance& tol) {
    return valuesMatch(expected, got, tol);
}
WB_INLINE bool sameValue(long long expected, long long got, const Tolerance&) {
    return expected == got;
}

// Compares two parsed number files; T is double or long long.
WB_INLINE std::string layoutText(bool shaped, int rows, int cols, size_t count) {
    if (shaped) return "a " + shapeText(rows, cols) + " matrix ('R C' header)";
    return "a vector of " + std::to_string(count) + " values ('N' header)";
}

template <typename T>
std::string layoutMismatch(const Numbers<T>& expected, const Numbers<T>& got) {
    return "layout mismatch: expected " +
           layoutText(expected.shaped, expected.rows, expected.cols, expected.values.size()) +
           ", got " + layoutText(got.shaped, got.rows, got.cols, got.values.size());
}

// With `strictLayout` (the -t type names the format, as the grader's check
// mode does) a vector and a matrix never match, whatever their counts.
template <typename T>
bool compareNumbers(const Numbers<T>& expected, const Numbers<T>& got, const Tolerance& tol,
                    bool strictLayout, std::string& detail) {
    if (strictLayout && expected.shaped != got.shaped) {
        detail = layoutMismatch(expected, got);
        return false;
    }
    if (expected.shaped && got.shaped && expected.cols != got.cols) {
        detail = "shape mismatch: expected " + shapeText(expected.rows, expected.cols) +
                 " (rows x columns), got " + shapeText(got.rows, got.cols);
        return false;
    }
    if (expected.values.size() != got.values.size()) {
        if (expected.shaped && got.shaped)
            detail = "shape mismatch: expected " + shapeText(expected.rows, expected.cols) +
                     " (rows x columns), got " + shapeText(got.rows, got.cols);
        else
            detail = "length mismatch: expected " + std::to_string(expected.values.size()) +
                     " values, got " + std::to_string(got.values.size());
        return false;
    }
    for (size_t i = 0; i < expected.values.size(); ++i) {
        if (sameValue(expected.values[i], got.values[i], tol)) continue;
        double e = static_cast<double>(expected.values[i]);
        double g = static_cast<double>(got.values[i]);
        detail = "element " + std::to_string(i);
        if (expected.shaped && expected.cols > 1)
            detail += " (row " + std::to_string(i / static_cast<size_t>(expected.cols)) +
                      ", column " + std::to_string(i % static_cast<size_t>(expected.cols)) + ")";
        if (std::is_floating_point<T>::value)
            detail += ": expected " + numberText(e) + ", got " + numberText(g);
        else
            detail += ": expected " + std::to_string(static_cast<long long>(expected.values[i])) +
                      ", got " + std::to_string(static_cast<long long>(got.values[i]));
        return false;
    }
    return true;
}

WB_INLINE bool compareImages(const Ppm& expected, const Ppm& got, const Tolerance& tol,
                             std::string& detail) {
    if (expected.width != got.width || expected.height != got.height ||
        expected.channels != got.channels) {
        detail = "image size mismatch: expected " + std::to_string(expected.width) + " x " +
                 std::to_string(expected.height) + " x " + std::to_string(expected.channels) +
                 " (width x height x channels), got " + std::to_string(got.width) + " x " +
                 std::to_string(got.height) + " x " + std::to_string(got.channels);
        return false;
    }
    size_t count = static_cast<size_t>(expected.width) * static_cast<size_t>(expected.height) *
                   static_cast<size_t>(expected.channels);
    for (size_t i = 0; i < count; ++i) {
        double e = expected.pixels[i] / static_cast<double>(expected.maxval);
        double g = got.pixels[i] / static_cast<double>(got.maxval);
        if (valuesMatch(e, g, tol)) continue;
        size_t pixel = i / static_cast<size_t>(expected.channels);
        detail = "element " + std::to_string(i) + " (x " +
                 std::to_string(pixel % static_cast<size_t>(expected.width)) + ", y " +
                 std::to_string(pixel / static_cast<size_t>(expected.width)) + ", channel " +
                 std::to_string(i % static_cast<size_t>(expected.channels)) + "): expected " +
                 numberText(e) + ", got " + numberText(g);
        return false;
    }
    return true;
}

WB_INLINE std::vector<std::string> tokensOf(const std::string& text) {
    std::vector<std::string> tokens;
    Cursor c = {text.data(), text.data() + text.size(), 1};
    const char *b, *e;
    while (nextToken(c, b, e))
        tokens.push_back(std::string(b, e));
    return tokens;
}

WB_INLINE bool compareTokenLists(const std::string& expected, const std::string& got,
                                 std::string& detail) {
    std::vector<std::string> e = tokensOf(expected), g = tokensOf(got);
    for (size_t i = 0; i < e.size() && i < g.size(); ++i) {
        if (e[i] == g[i]) continue;
        detail = "token " + std::to_string(i) + ": expected " +
                 shown(e[i].data(), e[i].data() + e[i].size()) + ", got " +
                 shown(g[i].data(), g[i].data() + g[i].size());
        return false;
    }
    if (e.size() != g.size()) {
        detail = "length mismatch: expected " + std::to_string(e.size()) + " tokens, got " +
                 std::to_string(g.size());
        return false;
    }
    return true;
}

WB_INLINE bool compareBytes(const std::string& expected, const std::string& got,
                            std::string& detail) {
    size_t n = expected.size() < got.size() ? expected.size() : got.size();
    int line = 1;
    for (size_t i = 0; i < n; ++i) {
        if (expected[i] != got[i]) {
            detail = "byte " + std::to_string(i) + " (line " + std::to_string(line) +
                     "): expected " + shown(&expected[i], &expected[i] + 1) + ", got " +
                     shown(&got[i], &got[i] + 1);
            return false;
        }
        if (expected[i] == '\n') ++line;
    }
    if (expected.size() != got.size()) {
        detail = "length mismatch: expected " + std::to_string(expected.size()) + " bytes, got " +
                 std::to_string(got.size());
        return false;
    }
    return true;
}

// Both files are read with the header `rank` that -t implies (0: each file
// says), as the grader reads them, so that the verdict is the grade.
template <typename T>
bool compareNumberFiles(const char* expectedFile, const std::string& expectedText,
                        const char* gotName, FileKind gotKind, const std::string& gotText,
                        const Tolerance& tol, int rank, std::string& detail) {
    Numbers<T> expected, got;
    std::string error;
    if (!parseNumbers(expectedFile, fileKindOf(expectedFile), expectedText, rank, expected, error))
        fail("wbSolution: the expected output is malformed: " + error);
    if (!parseNumbers(gotName, gotKind, gotText, rank, got, error)) {
        // An output that cannot be read with the expected header is wrong
        // either way; when it reads as the other layout, say that, which
        // helps more than where the reading stopped.
        std::string ignored;
        if (rank != 0 && parseNumbers(gotName, gotKind, gotText, 0, got, ignored))
            detail = layoutMismatch(expected, got);
        else
            detail = "the output cannot be read: " + error;
        return false;
    }
    return compareNumbers(expected, got, tol, rank != 0, detail);
}

// The program's output as the grader would see it: the -o file read back
// when there is one, else the data rendered in the expected file's layout.
struct Produced {
    std::string text;
    const char* name; // for messages
    FileKind kind;
};

template <typename Render> Produced produce(wbArg_t args, Render render) {
    Produced out;
    if (args.outputFile) {
        out.text = readOrFail(args.outputFile, "wbSolution");
        out.name = args.outputFile;
        out.kind = fileKindOf(args.outputFile);
    } else {
        StringSink sink = {&out.text};
        render(sink);
        out.name = "(output)";
        out.kind = fileKindOf(args.expectedOutput);
    }
    return out;
}

// Compares the program's output with the expected file and prints the
// verdict. A malformed expected file is fatal; a malformed output is a
// wrong answer. `rank` is the raw header -t implies (see headerRankOf).
WB_INLINE bool judge(CompareMode mode, int rank, const char* expectedFile,
                     const Produced& produced) {
    const char* gotName = produced.name;
    const std::string& gotText = produced.text;
    std::string expectedText = readOrFail(expectedFile, "wbSolution");
    Tolerance tol = solutionTolerance();
    std::string detail;
    bool correct = false;
    switch (mode) {
    case compareFloat:
        correct = compareNumberFiles<double>(expectedFile, expectedText, gotName, produced.kind,
                                             gotText, tol, rank, detail);
        break;
    case compareInteger:
        correct = compareNumberFiles<long long>(expectedFile, expectedText, gotName, produced.kind,
                                                gotText, tol, rank, detail);
        break;
    case compareImage: {
        Ppm expected, got;
        std::string error;
        if (!parsePpm(expectedFile, expectedText, expected, error))
            fail("wbSolution: the expected output is malformed: " + error);
        if (!parsePpm(gotName, gotText, got, error))
            detail = "the output cannot be read: " + error;
        else
            correct = compareImages(expected, got, tol, detail);
        break;
    }
    case compareExact:
        correct = compareBytes(expectedText, gotText, detail);
        break;
    case compareTokens:
        correct = compareTokenLists(expectedText, gotText, detail);
        break;
    }
    std::fflush(stderr);
    if (correct)
        std::printf("The solution is correct\n");
    else
        std::printf("The solution is NOT correct\n%s\n", detail.c_str());
    std::fflush(stdout);
    return correct;
}

WB_INLINE wbBool solveNumbers(wbArg_t args, ElementView view, int rows, int cols, bool shaped) {
    const char* type = args.type;
    if (shaped && isVectorType(type)) shaped = false;
    view = resolveView(view, isIntegerType(type));
    if (args.outputFile) exportNumbers("wbSolution", args.outputFile, view, rows, cols, shaped);
    if (!args.expectedOutput) return wbTrue;
    checkNumbersArgs("wbSolution", args.expectedOutput, view.data, rows, cols);
    CompareMode fallback = view.kind == elementText      ? compareExact
                           : view.kind == elementInteger ? compareInteger
                                                         : compareFloat;
    Produced produced = produce(args, [&](StringSink& sink) {
        renderNumbers(sink, fileKindOf(args.expectedOutput), view, static_cast<size_t>(rows),
                      static_cast<size_t>(cols), shaped);
    });
    return judge(compareModeOf(type, fallback), headerRankOf(type), args.expectedOutput, produced);
}

} // namespace wbInternal

WB_INLINE wbBool wbSolution(wbArg_t args, wbImage_t img) {
    if (args.outputFile) wbExport(args.outputFile, img);
    if (!args.expectedOutput) return wbTrue;
    wbInternal::checkImage("wbSolution", args.expectedOutput, img);
    wbInternal::Produced produced = wbInternal::produce(
        args, [&](wbInternal::StringSink& sink) { wbInternal::renderPpm(sink, img); });
    return wbInternal::judge(wbInternal::compareModeOf(args.type, wbInternal::compareImage), 0,
                             args.expectedOutput, produced);
}

#endif // WB_BODIES
