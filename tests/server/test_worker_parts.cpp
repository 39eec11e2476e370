// The worker's parts that keep its promises without a server: a bundle is
// made only from blobs that match their hashes and a file list that matches
// the bundle's hash; a report stays in the outbox until delivered, and two
// slots never deliver the same one at once.
#include "core/error.h"
#include "core/hash.h"
#include "core/worker/bundles.h"
#include "core/worker/outbox.h"
#include "text_files.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>

#include <map>

using nlohmann::json;
using wb::worker::BundleCache;
using wb::worker::Outbox;

namespace {

struct FakeServer {
    std::map<std::string, std::string> blobs; // hash -> what the server sends
    std::map<std::string, int> fetched;
    wb::net::HttpResponse operator()(const std::string& hash) {
        fetched[hash]++;
        auto it = blobs.find(hash);
        if (it == blobs.end()) return {404, "", -1};
        return {200, it->second, -1};
    }
};

json mp_of(const std::vector<std::pair<std::string, std::string>>& files) {
    json list = json::array();
    for (const auto& [path, content] : files)
        list.push_back({{"path", path}, {"sha256", wb::core::sha256_hex(content)}, {"size", 1}});
    std::vector<std::pair<std::string, std::string>> listed;
    for (const auto& f : list)
        listed.emplace_back(f["path"], f["sha256"]);
    return {{"bundle_hash", wb::core::bundle_hash(listed)}, {"files", list}};
}

} // namespace

TEST_CASE("a bundle is fetched once by content hash, and made whole") {
    wb::test::TempDir tmp;
    BundleCache cache(tmp.path());
    FakeServer server;
    const auto mp = mp_of({{"mp.toml", "id = \"x\"\n"}, {"datasets/0/input0.raw", "1\n1\n"}});
    for (const auto& f : mp["files"])
        server.blobs[f["sha256"]] = f["path"] == "mp.toml" ? "id = \"x\"\n" : "1\n1\n";
    const auto dir = cache.ensure(mp, std::ref(server));
    CHECK(wb::test::slurp(dir / "mp.toml") == "id = \"x\"\n");
    CHECK(wb::test::slurp(dir / "datasets/0/input0.raw") == "1\n1\n");
    CHECK(cache.ensure(mp, std::ref(server)) == dir);
    for (const auto& [hash, n] : server.fetched)
        CHECK(n == 1); // the second ensure fetched nothing
}

TEST_CASE("a blob that does not match its hash is fetched again, then refused") {
    wb::test::TempDir tmp;
    BundleCache cache(tmp.path());
    FakeServer server;
    const auto mp = mp_of({{"mp.toml", "id = \"x\"\n"}});
    const std::string hash = mp["files"][0]["sha256"];
    server.blobs[hash] = "id = \"y\"\n"; // corrupted on the way
    CHECK_THROWS_WITH(
        cache.ensure(mp, std::ref(server)),
        Catch::Contains("blob " + hash + ": the server sent content whose sha-256 is"));
    CHECK(server.fetched[hash] == 2);
    CHECK_FALSE(std::filesystem::exists(tmp / ("bundles/" + mp["bundle_hash"].get<std::string>())));
}

TEST_CASE("a file list that does not match the bundle's hash, or leaves it, is refused") {
    wb::test::TempDir tmp;
    BundleCache cache(tmp.path());
    FakeServer server;
    auto mp = mp_of({{"mp.toml", "a"}, {"template.cpp", "b"}});
    mp["files"].erase(1); // a file left out
    CHECK_THROWS_WITH(cache.ensure(mp, std::ref(server)),
                      Catch::Contains("does not match its hash"));
    const auto escaping = mp_of({{"../outside", "a"}});
    CHECK_THROWS_WITH(cache.ensure(escaping, std::ref(server)),
                      Catch::Contains("the server named a bundle file '../outside'"));
    CHECK(server.fetched.empty());
}

TEST_CASE("the outbox keeps a report until it is removed, and lends it to one slot at a time") {
    wb::test::TempDir tmp;
    Outbox out(tmp / "outbox");
    CHECK(out.pending().empty());
    out.save(12, "{\"a\":1}");
    out.save(3, "{\"b\":2}");
    CHECK(out.pending() == std::vector<std::int64_t>{3, 12});
    const auto claimed = out.load(12);
    REQUIRE(claimed);
    CHECK(*claimed == "{\"a\":1}");
    CHECK_FALSE(out.load(12)); // another slot is delivering it
    out.release(12);           // not delivered: kept
    CHECK(out.load(12));
    out.remove(12); // delivered
    CHECK(out.pending() == std::vector<std::int64_t>{3});
    // A new worker on the same cache finds what is left.
    Outbox again(tmp / "outbox");
    CHECK(again.pending() == std::vector<std::int64_t>{3});
}
