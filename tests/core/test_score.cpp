// Points as the WebGPU platform counted them (core/score.h), and the
// unpacking of dataset.zip (core/dataset_zip.h) against hostile archives.
#include "core/dataset_zip.h"
#include "core/error.h"
#include "core/score.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>
#include <zip.h> // minizip

using Catch::Matchers::Contains;
using namespace wb::core;
namespace fs = std::filesystem;

namespace {

Scoring histogram_scoring() { // the published Histogram lab's shares
    Scoring s;
    s.compile = 0;
    s.code = 1;
    s.keywords = {{"atomicAdd", 0.3}};
    return s;
}

ScoreInput input(const Scoring& s, const std::string& text, std::map<int, double> shares,
                 std::map<int, bool> correct, bool compiled = true) {
    static std::string keep;
    keep = text;
    ScoreInput in;
    in.scoring = &s;
    in.program_text = &keep;
    in.dataset_shares = std::move(shares);
    in.dataset_correct = std::move(correct);
    in.compiled = compiled;
    return in;
}

} // namespace

TEST_CASE("points: keywords, datasets and the compile share, each with why it was lost",
          "[score]") {
    const Scoring s = histogram_scoring();
    const std::map<int, double> shares = {{0, 0.2}, {1, 0.1}, {2, 0.1},
                                          {3, 0.1}, {4, 0.1}, {5, 0.1}};
    std::map<int, bool> all;
    for (int i = 0; i < 6; ++i)
        all[i] = true;
    auto full = count_points(input(s, "atomicAdd(&h[b], 1);", shares, all));
    CHECK(full.points == 100);
    CHECK(full.max == 100);
    auto no_atomics = count_points(input(s, "h[b]++;", shares, all));
    CHECK(no_atomics.points == 70);
    REQUIRE(no_atomics.items.front().what == "keyword atomicAdd");
    CHECK(no_atomics.items.front().lost == "the program did not use atomic operations");
    auto some = all;
    some[0] = false;
    some.erase(5); // did not run
    auto partial = count_points(input(s, "atomicAdd", shares, some));
    CHECK(partial.points == 100 - 20 - 10);
    CHECK(partial.items.back().lost == "dataset 5 did not run");
}

TEST_CASE("points: shares round to whole points and the code score caps them", "[score]") {
    Scoring s;
    s.compile = 0.2;
    s.code = 1;
    // The published sparse matrix lab gives one dataset 9.1: capped at 100.
    auto capped = count_points(input(s, "", {{0, 0.1}, {1, 9.1}}, {{0, true}, {1, true}}));
    CHECK(capped.points == 100);
    CHECK(capped.max == 100);
    // floor(100 x 0.333 + 0.5) = 33 each; the compile share is lost when it does not compile.
    auto thirds = count_points(input(s, "", {{0, 0.333}, {1, 0.333}}, {}, false));
    CHECK(thirds.points == 0);
    CHECK(thirds.max == 20 + 33 + 33);
    CHECK(thirds.items.front().lost == "the program did not compile");
    s.code = 0.5;
    auto half = count_points(input(s, "", {{0, 0.4}}, {{0, true}}));
    CHECK(half.points == 50);
    CHECK(half.max == 50);
}

TEST_CASE("deadlines print as RFC 3339 in UTC", "[score]") {
    CHECK(utc_text(1423695600) == "2015-02-11T23:00:00Z");
}

namespace {

// A zip of (name, content) members; a content of "->target" makes a link.
fs::path make_zip(const wb::test::TempDir& t,
                  const std::vector<std::pair<std::string, std::string>>& members) {
    const fs::path path = t / "dataset.zip";
    zipFile z = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
    REQUIRE(z != nullptr);
    for (const auto& [name, content] : members) {
        const bool link = content.starts_with("->");
        const std::string body = link ? content.substr(2) : content;
        zip_fileinfo info{};
        info.external_fa = static_cast<uLong>((link ? S_IFLNK | 0777 : S_IFREG | 0644)) << 16;
        // Made by Unix (3), so that the mode in external_fa counts.
        REQUIRE(zipOpenNewFileInZip4_64(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                        Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS,
                                        DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, nullptr, 0,
                                        (3 << 8) | 20, 0, 0) == ZIP_OK);
        REQUIRE(zipWriteInFileInZip(z, body.data(), static_cast<unsigned>(body.size())) == ZIP_OK);
        REQUIRE(zipCloseFileInZip(z) == ZIP_OK);
    }
    REQUIRE(zipClose(z, nullptr) == ZIP_OK);
    return path;
}

} // namespace

TEST_CASE("dataset.zip: members land under data/, and hostile archives are refused", "[zip]") {
    wb::test::TempDir t;
    const fs::path out = t / "out";
    fs::create_directory(out);
    unpack_dataset_zip(make_zip(t, {{"0/input0.raw", "1\n1\n"},
                                    {"0/output.raw", "1\n2\n"},
                                    {"__MACOSX/0/._x", "junk"}}),
                       "lab/dataset.zip", out);
    CHECK(fs::exists(out / "data/0/input0.raw"));
    CHECK(fs::exists(out / "data/0/output.raw"));
    CHECK_FALSE(fs::exists(out / "data/__MACOSX"));

    auto refused = [&](std::vector<std::pair<std::string, std::string>> members,
                       UnpackLimits limits = {}) {
        const fs::path dest = t / "refused";
        fs::remove_all(dest);
        fs::create_directory(dest);
        try {
            unpack_dataset_zip(make_zip(t, members), "lab/dataset.zip", dest, limits);
        } catch (const wb::InputError& e) {
            return std::string(e.what());
        }
        return std::string("not refused");
    };
    CHECK_THAT(refused({{"data/../../evil", "x"}}),
               Contains("lab/dataset.zip: 'data/../../evil' leaves the directory"));
    CHECK_THAT(refused({{"/etc/evil", "x"}}), Contains("'/etc/evil' leaves the directory"));
    CHECK_THAT(refused({{"data/0/input0.raw", "->/etc/passwd"}}),
               Contains("'data/0/input0.raw' is a link or a special file"));
    UnpackLimits small;
    small.file_bytes = 1000;
    CHECK_THAT(refused({{"data/0/big.raw", std::string(5000, '7')}}, small),
               Contains("'data/0/big.raw' unpacks to 5000 bytes, over the"));
    small.file_bytes = 4000;
    small.total_bytes = 5000;
    CHECK_THAT(refused({{"data/0/a.raw", std::string(3000, '1')},
                        {"data/1/a.raw", std::string(3000, '1')}},
                       small),
               Contains("unpacks to more than"));
    const fs::path junk = t / "junk.zip";
    wb::test::TempDir u;
    {
        std::FILE* f = std::fopen(junk.c_str(), "w");
        std::fputs("not a zip", f);
        std::fclose(f);
    }
    CHECK_THROWS_WITH(unpack_dataset_zip(junk, "lab/dataset.zip", u.path()),
                      Contains("lab/dataset.zip: not a readable zip archive"));
}
