// wbImport and wbExport: every format written and read back, exactly.
#include "libwb_test_util.h"
// WB_USE_CHARCONV, which a WB_PREBUILT compile does not otherwise see: this
// test and libwb.o are compiled in the same dialect.
#include "wb_format.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>

using libwb_test::readFile;
using libwb_test::writeFile;
using wb::test::TempDir;

namespace {

// Frees a malloc'd libwb buffer at the end of a test.
struct Freer {
    void* p;
    ~Freer() { free(p); }
};

bool sameFloat(float a, float b) {
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

TEST_CASE("a float vector round-trips bit for bit through the raw format") {
    TempDir dir;
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> dist(-1e6f, 1e6f);
    std::vector<float> values;
    for (int i = 0; i < 1000; ++i)
        values.push_back(dist(rng));
    values.push_back(1.0f / 3.0f);
    values.push_back(std::numeric_limits<float>::min());
    values.push_back(std::numeric_limits<float>::denorm_min());
    values.push_back(std::numeric_limits<float>::max());
    values.push_back(-0.0f);
    values.push_back(std::numeric_limits<float>::infinity());
    values.push_back(-std::numeric_limits<float>::infinity());
    values.push_back(std::numeric_limits<float>::quiet_NaN());

    std::string file = (dir / "v.raw").string();
    wbExport(file.c_str(), values.data(), static_cast<int>(values.size()));

    std::string text = readFile(file);
    CHECK(text.rfind(std::to_string(values.size()) + "\n", 0) == 0); // the `N` header

    int length = -1;
    float* back = wbImport(file.c_str(), &length);
    Freer f{back};
    REQUIRE(length == static_cast<int>(values.size()));
    for (size_t i = 0; i < values.size(); ++i) {
        INFO("element " << i);
        CHECK(sameFloat(back[i], values[i]));
    }
}

TEST_CASE("a vector file is read with its N header and values on any lines") {
    TempDir dir;
    writeFile(dir / "in.raw", "\n4\n1.5 2\n\n  -3e2\t4\n");
    int length = 0;
    float* v = (float*)wbImport((dir / "in.raw").c_str(), &length);
    Freer f{v};
    REQUIRE(length == 4);
    CHECK(v[0] == 1.5f);
    CHECK(v[1] == 2.0f);
    CHECK(v[2] == -300.0f);
    CHECK(v[3] == 4.0f);

    int rows = 0, cols = 0;
    float* m = wbImport((dir / "in.raw").c_str(), &rows, &cols);
    Freer g{m};
    CHECK(rows == 4); // an `N` file is N x 1
    CHECK(cols == 1);
}

TEST_CASE("a matrix round-trips through the raw format with an R C header") {
    TempDir dir;
    const int rows = 3, cols = 4;
    std::vector<float> values;
    for (int i = 0; i < rows * cols; ++i)
        values.push_back(static_cast<float>(i) * 0.1f - 0.5f);
    std::string file = (dir / "m.raw").string();
    wbExport(file.c_str(), values.data(), rows, cols);

    std::string text = readFile(file);
    CHECK(text.rfind("3 4\n", 0) == 0);
    // One row per line.
    CHECK(std::count(text.begin(), text.end(), '\n') == rows + 1);

    int r = 0, c = 0;
    float* back = wbImport(file.c_str(), &r, &c);
    Freer f{back};
    REQUIRE(r == rows);
    REQUIRE(c == cols);
    for (int i = 0; i < rows * cols; ++i)
        CHECK(sameFloat(back[i], values[static_cast<size_t>(i)]));

    int length = 0; // the one-count overload gives R * C
    float* flat = wbImport(file.c_str(), &length);
    Freer g{flat};
    CHECK(length == rows * cols);
}

TEST_CASE("an integer vector round-trips exactly, as int and as unsigned") {
    TempDir dir;
    std::vector<int> values = {
        0, 1, -1, 42, std::numeric_limits<int>::max(), std::numeric_limits<int>::min()};
    std::string file = (dir / "i.raw").string();
    wbExport(file.c_str(), values.data(), static_cast<int>(values.size()));
    CHECK(readFile(file) == "6\n0\n1\n-1\n42\n2147483647\n-2147483648\n");

    int length = 0;
    int* back = wbImport(file.c_str(), &length, "Integer");
    Freer f{back};
    REQUIRE(length == 6);
    for (size_t i = 0; i < values.size(); ++i)
        CHECK(back[i] == values[i]);

    std::vector<unsigned int> bins = {0u, 7u, 4000000000u};
    std::string binsFile = (dir / "bins.raw").string();
    wbExport(binsFile.c_str(), bins.data(), 3);
    CHECK(readFile(binsFile) == "3\n0\n7\n4000000000\n");

    // The type name is case-insensitive; the result converts to any pointer.
    unsigned int* u = (unsigned int*)wbImport(file.c_str(), &length, "integer");
    Freer g{u};
    CHECK(u[3] == 42u);
}

TEST_CASE("floats and doubles are written in a form that reads back exactly") {
    TempDir dir;
    double doubles[] = {0.1, 1.0 / 3.0, -1e300, 5e-324};
    std::string file = (dir / "d.raw").string();
    wbExport(file.c_str(), doubles, 4);
    std::istringstream in(readFile(file));
    int count = 0;
    in >> count;
    REQUIRE(count == 4);
    for (double d : doubles) {
        std::string token;
        in >> token;
        INFO(token);
        CHECK(std::strtod(token.c_str(), nullptr) == d); // exact, not approximately
    }

    float floats[] = {0.1f, 16777216.0f, 1e-45f};
    std::string ffile = (dir / "f.raw").string();
    wbExport(ffile.c_str(), floats, 3);
#ifdef WB_USE_CHARCONV
    // The shortest text that reads back as the same float.
    CHECK(readFile(ffile) == "3\n0.1\n16777216\n1e-45\n");
#else
    CHECK(readFile(ffile) == "3\n0.100000001\n16777216\n1.40129846e-45\n");
#endif
}

TEST_CASE("the C++11 build (C library conversions) reads and writes the same values") {
    TempDir dir;
    std::vector<float> values = {0.1f, -1.0f / 3.0f, 3.4028235e38f, 1e-45f, -0.0f, 123456.789f};
    std::string in = (dir / "in.raw").string();
    wbExport(in.c_str(), values.data(), static_cast<int>(values.size()));
    std::string out = (dir / "out.raw").string();
    auto r = libwb_test::runHelper(dir, {"vector", "-i", in, "-o", out, "-e", in, "-t", "vector"},
                                   {}, LIBWB_HELPER_CXX11);
    CHECK(r.exitCode == 0);
    CHECK(r.out == "The solution is correct\n");
    CHECK(readFile(out).find("0.100000001") != std::string::npos); // %.9g there
    int length = 0;
    float* back = wbImport(out.c_str(), &length);
    Freer f{back};
    REQUIRE(length == static_cast<int>(values.size()));
    for (size_t i = 0; i < values.size(); ++i)
        CHECK(sameFloat(back[i], values[i]));
}

TEST_CASE("csv and tsv round-trip matrices and vectors") {
    TempDir dir;
    std::vector<float> values = {1.5f, -2.0f, 3.25f, 4.0f, 5.0f, 6.5f};
    for (const char* name : {"m.csv", "m.tsv"}) {
        INFO(name);
        std::string file = (dir / name).string();
        wbExport(file.c_str(), values.data(), 2, 3);
        char sep = std::string(name).find(".csv") != std::string::npos ? ',' : '\t';
        std::string expected =
            "1.5" + std::string(1, sep) + "-2" + sep + "3.25\n4" + sep + "5" + sep + "6.5\n";
        CHECK(readFile(file) == expected);
        int rows = 0, cols = 0;
        float* back = wbImport(file.c_str(), &rows, &cols);
        Freer f{back};
        CHECK(rows == 2);
        CHECK(cols == 3);
        for (size_t i = 0; i < values.size(); ++i)
            CHECK(back[i] == values[i]);
    }

    // A vector is written one value per line, and read back as N x 1.
    std::string vec = (dir / "v.csv").string();
    wbExport(vec.c_str(), values.data(), 3);
    CHECK(readFile(vec) == "1.5\n-2\n3.25\n");
    int length = 0;
    float* back = wbImport(vec.c_str(), &length);
    Freer f{back};
    CHECK(length == 3);
}

TEST_CASE("csv import tolerates spaces, CRLF line ends and blank lines") {
    TempDir dir;
    writeFile(dir / "in.csv", "1, 2 ,3\r\n\r\n 4,5,6 \r\n\n");
    int rows = 0, cols = 0;
    int* v = wbImport((dir / "in.csv").c_str(), &rows, &cols, "Integer");
    Freer f{v};
    REQUIRE(rows == 2);
    REQUIRE(cols == 3);
    for (int i = 0; i < 6; ++i)
        CHECK(v[i] == i + 1);

    writeFile(dir / "in.tsv", "1.5\t2\n3\t4\n");
    float* t = wbImport((dir / "in.tsv").c_str(), &rows, &cols, "Real");
    Freer g{t};
    CHECK(rows == 2);
    CHECK(cols == 2);
    CHECK(t[0] == 1.5f);
}

TEST_CASE("text round-trips byte for byte and is NUL-terminated") {
    TempDir dir;
    std::string content = "hello, world\nline two\ttab\n";
    content.push_back('\0'); // embedded NUL survives
    content += "after";
    std::string file = (dir / "t.txt").string();
    wbExport(file.c_str(), content.data(), static_cast<int>(content.size()));
    CHECK(readFile(file) == content);

    int length = 0;
    char* text = wbImport(file.c_str(), &length, "Text");
    Freer f{text};
    REQUIRE(length == static_cast<int>(content.size()));
    CHECK(std::string(text, static_cast<size_t>(length)) == content);
    CHECK(text[length] == '\0');

    // Text does not depend on the extension: a .raw file is its bytes too.
    writeFile(dir / "x.raw", "3\n1 2 3\n");
    char* raw = wbImport((dir / "x.raw").c_str(), &length, "Text");
    Freer g{raw};
    CHECK(std::string(raw) == "3\n1 2 3\n");
}

TEST_CASE("wbExport_text writes the bytes as they are, like wbExport with char *") {
    TempDir dir;
    std::string content = "token1 token2\n3 4\n";
    std::string file = (dir / "t.raw").string(); // not a raw header, whatever the name
    wbExport_text(file.c_str(), content.data(), static_cast<int>(content.size()));
    CHECK(readFile(file) == content);
    const unsigned char bytes[3] = {'a', 0xff, 'b'};
    wbExport_text(file.c_str(), bytes, 3);
    CHECK(readFile(file) == std::string(reinterpret_cast<const char*>(bytes), 3));
    wbExport_text(file.c_str(), nullptr, 0);
    CHECK(readFile(file).empty());
}

TEST_CASE("a P6 colour image round-trips exactly") {
    TempDir dir;
    wbImage_t img = wbImage_new(5, 3, 3);
    REQUIRE(wbImage_getWidth(img) == 5);
    REQUIRE(wbImage_getHeight(img) == 3);
    REQUIRE(wbImage_getChannels(img) == 3);
    REQUIRE(wbImage_getPitch(img) == 15);
    float* data = wbImage_getData(img);
    for (int i = 0; i < 5 * 3 * 3; ++i)
        data[i] = static_cast<float>((i * 17) % 256) / 255.0f;
    std::string file = (dir / "img.ppm").string();
    wbExport(file.c_str(), img);

    std::string bytes = readFile(file);
    REQUIRE(bytes.rfind("P6\n5 3\n255\n", 0) == 0);
    REQUIRE(bytes.size() == 11 + 45);
    CHECK(static_cast<unsigned char>(bytes[11 + 1]) == 17);

    wbImage_t back = wbImport(file.c_str());
    REQUIRE(wbImage_getWidth(back) == 5);
    REQUIRE(wbImage_getHeight(back) == 3);
    REQUIRE(wbImage_getChannels(back) == 3);
    for (int i = 0; i < 45; ++i)
        CHECK(wbImage_getData(back)[i] == data[i]);
    wbImage_delete(img);
    wbImage_delete(back);
}

TEST_CASE("a P5 grey image round-trips and header comments are skipped") {
    TempDir dir;
    std::string pixels = {'\x00', '\x0a', '\x20', '\xff'}; // 0x0a and 0x20 look like space
    writeFile(dir / "g.pgm", "P5\n# made by hand\n2 # width\n2\n255\n" + pixels);
    wbImage_t img = wbImport((dir / "g.pgm").c_str());
    REQUIRE(wbImage_getChannels(img) == 1);
    REQUIRE(wbImage_getWidth(img) == 2);
    CHECK(wbImage_getData(img)[0] == 0.0f);
    CHECK(wbImage_getData(img)[1] == 10.0f / 255.0f);
    CHECK(wbImage_getData(img)[2] == 32.0f / 255.0f);
    CHECK(wbImage_getData(img)[3] == 1.0f);

    std::string out = (dir / "g2.pgm").string();
    wbExport(out.c_str(), img);
    CHECK(readFile(out) == "P5\n2 2\n255\n" + pixels);
    wbImage_delete(img);
}

TEST_CASE("images with a smaller maxval scale to [0, 1]") {
    TempDir dir;
    writeFile(dir / "s.ppm", std::string("P6 1 1 15\n") + '\x0f' + '\x00' + '\x05');
    wbImage_t img = wbImport((dir / "s.ppm").c_str());
    CHECK(wbImage_getData(img)[0] == 1.0f);
    CHECK(wbImage_getData(img)[2] == 5.0f / 15.0f);
    wbImage_delete(img);
}

TEST_CASE("image export rounds to the nearest byte and clamps") {
    TempDir dir;
    wbImage_t img = wbImage_new(6, 1, 1);
    float values[] = {-0.5f, 0.5f, 1.5f, std::nanf(""), 0.4f / 255.0f, 0.6f / 255.0f};
    std::memcpy(wbImage_getData(img), values, sizeof values);
    std::string file = (dir / "r.pgm").string();
    wbExport(file.c_str(), img);
    std::string bytes = readFile(file);
    REQUIRE(bytes.size() == 11 + 6);
    std::vector<int> got;
    for (size_t i = 11; i < bytes.size(); ++i)
        got.push_back(static_cast<unsigned char>(bytes[i]));
    CHECK(got == std::vector<int>{0, 128, 255, 0, 0, 1});
    wbImage_delete(img);
}

TEST_CASE("wbImage_new zero-fills and defaults to three channels") {
    wbImage_t img = wbImage_new(4, 2);
    CHECK(wbImage_getChannels(img) == 3);
    for (int i = 0; i < 4 * 2 * 3; ++i)
        CHECK(wbImage_getData(img)[i] == 0.0f);
    wbImage_delete(img);
    wbImage_delete(nullptr); // harmless
}

TEST_CASE("an empty vector round-trips") {
    TempDir dir;
    std::string file = (dir / "e.raw").string();
    float none[1] = {0};
    wbExport(file.c_str(), none, 0);
    CHECK(readFile(file) == "0\n");
    int length = -1;
    float* back = wbImport(file.c_str(), &length);
    Freer f{back};
    CHECK(back != nullptr); // callers may free it, and NULL reads as failure
    CHECK(length == 0);
}

TEST_CASE("export replaces the file and leaves no temporary file behind") {
    TempDir dir;
    std::string file = (dir / "o.raw").string();
    writeFile(file, "old content that is longer than the new one\n");
    int values[] = {1, 2};
    wbExport(file.c_str(), values, 2);
    CHECK(readFile(file) == "2\n1\n2\n");
    int entries = 0;
    for (auto& e : std::filesystem::directory_iterator(dir.path())) {
        (void)e;
        ++entries;
    }
    CHECK(entries == 1);
}
