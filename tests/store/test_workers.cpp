// Workers in the store: a worker that unregisters gives its jobs back in the
// same transaction that forgets it, a drained worker is leased nothing, an
// attempt names the worker of its job, and a store from before the drain
// column is migrated with every worker undrained.
#include "store/server_store.h"
#include "store/store.h"
#include "store_fixtures.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>

using wb::store::ServerStore;
using wb::store::Store;

namespace {

// One MP and one queued attempt of alice's; its id.
std::int64_t one_queued_attempt(Store& s, ServerStore& ss) {
    wb::store::MpRecord r;
    r.id = "vecadd";
    r.title = "Vecadd";
    r.bundle_hash = "b1";
    r.summary_json = "{}";
    r.files = {{"mp.toml", "h-toml", 3}};
    s.put_mp(r, {{"h-toml", "x=1"}});
    const auto user = ss.add_user("alice", "student", "pw", "key");
    return ss.enqueue(wb::test::vecadd_attempt(user.value().id), 1000);
}

} // namespace

TEST_CASE("an unregistered worker's jobs go back to the queue, a drained one is leased none") {
    wb::test::TempDir tmp;
    Store s(tmp / "data");
    ServerStore ss(s);
    const auto aid = one_queued_attempt(s, ss);
    ss.register_worker("w1", "{}", 1000);
    ss.register_worker("w2", "{}", 1000);
    CHECK(ss.attempt(aid)->worker.empty());

    const auto lease = ss.lease_next("w1", false, R"(["cuda"])", "t1", 2000);
    REQUIRE(lease);
    CHECK(ss.attempt(aid)->worker == "w1");
    CHECK(ss.attempts(0, "", 10).at(0).worker == "w1");

    CHECK_FALSE(ss.unregister_worker("nobody").has_value());
    const auto requeued = ss.unregister_worker("w1");
    REQUIRE(requeued);
    CHECK(*requeued == std::vector<std::int64_t>{lease->job.id});
    CHECK_FALSE(ss.worker("w1").has_value());
    const auto back = ss.attempt(aid).value();
    CHECK(back.state == "queued");
    CHECK(back.worker.empty());
    CHECK(ss.job(lease->job.id)->state == "queued");

    REQUIRE(ss.drain_worker("w2"));
    CHECK(ss.worker("w2")->drain);
    CHECK_FALSE(ss.drain_worker("w1"));
    CHECK_FALSE(ss.lease_next("w2", false, R"(["cuda"])", "t2", 3000).has_value());
    // Registering again clears the request.
    ss.register_worker("w2", "{}", 3000);
    CHECK_FALSE(ss.worker("w2")->drain);
    const auto again = ss.lease_next("w2", false, R"(["cuda"])", "t3", 3000);
    REQUIRE(again);
    CHECK(again->job.tries == 2);
}

TEST_CASE("a store from before the drain column keeps its workers, none drained") {
    wb::test::TempDir tmp;
    {
        auto db = wb::test::old_store(tmp / "data", 2);
        db.exec("INSERT INTO workers (id, capabilities, registered_at, last_seen_ms) "
                "VALUES ('old', '{}', '2024-01-01T00:00:00Z', 5)");
    }
    Store s(tmp / "data");
    CHECK(s.schema_version() == Store::current_schema_version());
    ServerStore ss(s);
    const auto w = ss.worker("old");
    REQUIRE(w);
    CHECK_FALSE(w->drain);
    CHECK(w->last_seen_ms == 5);
}
