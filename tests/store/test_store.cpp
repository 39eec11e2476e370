// The store keeps MP versions and their blobs, migrates at open, and treats
// an identical re-import as a no-op.
#include "store/error.h"
#include "store/schema.h"
#include "store/store.h"
#include "store_fixtures.h"
#include "tmpdir.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <fstream>

using wb::store::Blob;
using wb::store::MpRecord;
using wb::store::Store;

namespace {

MpRecord record(const std::string& id, const std::string& bundle_hash) {
    MpRecord r;
    r.id = id;
    r.title = "Title of " + id;
    r.bundle_hash = bundle_hash;
    r.summary_json = R"({"id":")" + id + R"("})";
    r.files = {{"mp.toml", "h-toml", 10}, {"datasets/0/output.raw", "h-out", 4}};
    return r;
}

std::vector<Blob> blobs() {
    return {{"h-toml", "id = \"x\"\n"}, {"h-out", "1\n2\n"}};
}

} // namespace

TEST_CASE("opening a new store creates it at the current schema, private to its owner") {
    wb::test::TempDir tmp;
    Store s(tmp / "data");
    CHECK(s.schema_version() == Store::current_schema_version());
    CHECK(std::filesystem::exists(tmp / "data/wbtool.db"));
    struct stat st {};
    REQUIRE(::stat((tmp / "data").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("the store runs in WAL mode") {
    wb::test::TempDir tmp;
    Store s(tmp / "data");
    SQLite::Database db((tmp / "data/wbtool.db").string());
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("put_mp stores versions, and an identical bundle is a no-op") {
    wb::test::TempDir tmp;
    Store s(tmp / "data");
    auto first = s.put_mp(record("vecadd", "b1"), blobs());
    CHECK(first.created);
    CHECK(first.version == 1);

    auto again = s.put_mp(record("vecadd", "b1"), blobs());
    CHECK_FALSE(again.created);
    CHECK(again.version == 1);

    auto changed = s.put_mp(record("vecadd", "b2"), blobs());
    CHECK(changed.created);
    CHECK(changed.version == 2);
    CHECK(s.mp_versions("vecadd") == std::vector<int>{1, 2});

    auto latest = s.get_mp("vecadd");
    REQUIRE(latest);
    CHECK(latest->version == 2);
    CHECK(latest->bundle_hash == "b2");
    REQUIRE(latest->files.size() == 2);
    CHECK(latest->files[0].path == "datasets/0/output.raw");

    auto v1 = s.get_mp("vecadd", 1);
    REQUIRE(v1);
    CHECK(v1->bundle_hash == "b1");
    CHECK_FALSE(s.get_mp("vecadd", 3));
    CHECK_FALSE(s.get_mp("nope"));
}

TEST_CASE("blobs are content-addressed and read back byte for byte") {
    wb::test::TempDir tmp;
    Store s(tmp / "data");
    std::string binary("a\0b\xff", 4);
    auto r = record("bin", "b1");
    r.files = {{"x.raw", "h-bin", 4}};
    s.put_mp(r, {{"h-bin", binary}});
    auto back = s.get_blob("h-bin");
    REQUIRE(back);
    CHECK(*back == binary);
    CHECK_FALSE(s.get_blob("missing"));
}

TEST_CASE("list_mps shows the latest version of each MP, by id") {
    wb::test::TempDir tmp;
    Store s(tmp / "data");
    s.put_mp(record("zeta", "z1"), blobs());
    s.put_mp(record("alpha", "a1"), blobs());
    s.put_mp(record("alpha", "a2"), blobs());
    auto all = s.list_mps();
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == "alpha");
    CHECK(all[0].version == 2);
    CHECK(all[1].id == "zeta");
}

TEST_CASE("data survives closing and reopening the store") {
    wb::test::TempDir tmp;
    {
        Store s(tmp / "data");
        s.put_mp(record("vecadd", "b1"), blobs());
    }
    Store s(tmp / "data");
    CHECK(s.get_mp("vecadd"));
    CHECK(s.get_blob("h-toml").value() == "id = \"x\"\n");
}

TEST_CASE("a store from a newer wbtool is refused with a clear message") {
    wb::test::TempDir tmp;
    { Store s(tmp / "data"); }
    {
        SQLite::Database db((tmp / "data/wbtool.db").string(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 999");
    }
    REQUIRE_THROWS_WITH(Store(tmp / "data"),
                        Catch::Contains("schema version 999") && Catch::Contains("newer wbtool"));
}

TEST_CASE("a store at an older schema version is migrated forward at open, keeping its data") {
    wb::test::TempDir tmp;
    {
        // What a wbtool that knew only migration 1 left behind.
        auto db = wb::test::old_store(tmp / "data", 1);
        db.exec("INSERT INTO blobs (hash, size, data) VALUES ('h-old', 3, 'old')");
        db.exec("INSERT INTO mps (id, version, title, bundle_hash, summary, created_at) "
                "VALUES ('old', 1, 'Old', 'b-old', '{}', '2024-01-01T00:00:00Z')");
    }
    Store s(tmp / "data");
    CHECK(s.schema_version() == Store::current_schema_version());
    CHECK(s.get_mp("old").value().bundle_hash == "b-old");
    CHECK(s.get_blob("h-old").value() == "old");
    SQLite::Database db((tmp / "data/wbtool.db").string());
    CHECK(db.tableExists("users"));
    CHECK(db.tableExists("jobs"));
    // Opening again finds nothing to do.
    Store again(tmp / "data");
    CHECK(again.schema_version() == Store::current_schema_version());
}

// Every failure of the store reaches its callers as store::Error, whose kind
// says what the user can do: a store this wbtool cannot use as it is
// (unusable), a damaged file (corrupt), a database held too long by another
// writer (busy).
TEST_CASE("the store's failures are store::Error with the kind the user acts on") {
    using Kind = wb::store::Error::Kind;
    wb::test::TempDir tmp;
    SECTION("a schema from a newer wbtool is unusable") {
        { Store s(tmp / "data"); }
        SQLite::Database((tmp / "data/wbtool.db").string(), SQLite::OPEN_READWRITE)
            .exec("PRAGMA user_version = 999");
        try {
            Store s(tmp / "data");
            FAIL("a newer schema was opened");
        } catch (const wb::store::Error& e) {
            CHECK(e.kind() == Kind::unusable);
        }
    }
    SECTION("a file that is not a database is corrupt, and says what to do") {
        std::filesystem::create_directories(tmp / "data");
        std::ofstream(tmp / "data/wbtool.db") << std::string(4096, 'x');
        try {
            Store s(tmp / "data");
            FAIL("garbage was opened as a store");
        } catch (const wb::store::Error& e) {
            CHECK(e.kind() == Kind::corrupt);
            CHECK_THAT(e.what(), Catch::Contains("not a database") &&
                                     Catch::Contains("restore it from a backup"));
        }
    }
    SECTION("a data directory that is a file is unusable") {
        std::ofstream(tmp / "file") << "x";
        try {
            Store s(tmp / "file");
            FAIL("a file was opened as a data directory");
        } catch (const wb::store::Error& e) {
            CHECK(e.kind() == Kind::unusable);
        }
    }
    SECTION("a query on a database another writer holds is busy, named by the operation") {
        Store s(tmp / "data");
        SQLite::Database other((tmp / "data/wbtool.db").string(), SQLite::OPEN_READWRITE);
        other.exec("BEGIN EXCLUSIVE");
        const auto started = std::chrono::steady_clock::now();
        try {
            s.put_mp(record("vecadd", "h1"), blobs());
            FAIL("a write went through another writer's exclusive lock");
        } catch (const wb::store::Error& e) {
            CHECK(e.kind() == Kind::busy);
            CHECK_THAT(e.what(), Catch::StartsWith("store: put mp: "));
        }
        // It waited for the busy timeout first, rather than failing at once.
        CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(500));
        other.exec("ROLLBACK");
        CHECK(s.put_mp(record("vecadd", "h1"), blobs()).created);
    }
}
