// Workers' lifecycle through the API: what a worker registers is checked and
// shown, a heartbeat is answered with the queue's length and any drain
// request, a worker that unregisters gives its jobs back at once, a drained
// worker is answered 204 without waiting, each worker's state is shown, and
// an attempt names the worker that runs it.
#include "harness.h"

#include <catch2/catch.hpp>

#include <chrono>

using wb::test::next_now;
using wb::test::Server;

namespace {

nlohmann::json worker_json(Server& s, const std::string& id) {
    const auto r = s.get("/api/v1/worker/" + id, "admin");
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json();
}

nlohmann::json attempt_json(Server& s, std::int64_t aid) {
    const auto r = s.get("/api/v1/mp/vecadd/attempt/" + std::to_string(aid), "alice");
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json();
}

} // namespace

TEST_CASE("a worker's machine and slots are registered and shown, bad slots are refused") {
    Server s;
    const nlohmann::json caps = {{"gpu", false},
                                 {"toolchains", {"c", "cpp"}},
                                 {"cores", 8},
                                 {"memory_mib", 16384},
                                 {"isolation", "rlimits"},
                                 {"compilers", {{"cpp", "g++ (Debian 12.2.0-14) 12.2.0"}}}};
    const auto r =
        s.worker_post("w1", "/api/v1/worker/register",
                      {{"capabilities", caps}, {"slots", 2}, {"max_slots", 4}, {"version", "1.2"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["id"] == "w1");
    CHECK(r.json().contains("heartbeat_s"));

    const auto shown = worker_json(s, "w1")["capabilities"];
    CHECK(shown["cores"] == 8);
    CHECK(shown["memory_mib"] == 16384);
    CHECK(shown["isolation"] == "rlimits");
    CHECK(shown["compilers"]["cpp"] == "g++ (Debian 12.2.0-14) 12.2.0");
    CHECK(shown["slots"] == 2);
    CHECK(shown["max_slots"] == 4);

    for (const auto slots : {-3, 0, 300}) {
        const auto bad = s.worker_post("w2", "/api/v1/worker/register",
                                       {{"capabilities", caps}, {"slots", slots}});
        CHECK(bad.status == 400);
        CHECK_THAT(bad.body, Catch::Contains("'slots' must be 1 to 256"));
    }
    const auto fewer =
        s.worker_post("w2", "/api/v1/worker/register", {{"slots", 4}, {"max_slots", 2}});
    CHECK(fewer.status == 400);
    CHECK_THAT(fewer.body, Catch::Contains("'max_slots'"));
    const auto isolation = s.worker_post("w2", "/api/v1/worker/register",
                                         {{"capabilities", {{"isolation", "chroot"}}}});
    CHECK(isolation.status == 400);
    CHECK_THAT(isolation.body, Catch::Contains("capabilities.isolation"));
    CHECK(s.get("/api/v1/worker/w2", "admin").status == 404);
}

TEST_CASE("a heartbeat is answered with the queue's length and whether to drain") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    s.submit("alice", 1);
    s.submit("alice", 2);
    const auto beat = s.worker_post("w1", "/api/v1/worker/heartbeat",
                                    {{"load", 0.5}, {"gpu_ok", true}, {"draining", false}});
    INFO(beat.body);
    REQUIRE(beat.status == 200);
    CHECK(beat.json() == nlohmann::json{{"ok", true}, {"queued", 2}, {"drain", false}});

    REQUIRE(s.post("/api/v1/worker/w1/drain", "admin", nlohmann::json::object()).status == 200);
    CHECK(
        s.worker_post("w1", "/api/v1/worker/heartbeat", nlohmann::json::object()).json()["drain"] ==
        true);
    CHECK(s.worker_post("w9", "/api/v1/worker/heartbeat", nlohmann::json::object()).status == 404);
}

TEST_CASE("a worker that unregisters gives its job back at once and is forgotten") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    s.register_worker("w2");
    const auto aid = s.submit("alice", 1);
    const auto got = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now);
    REQUIRE(got.status == 200);
    const auto job_id = got.json()["job"]["id"].get<std::int64_t>();
    CHECK(attempt_json(s, aid)["state"] == "running");

    const auto bye = s.worker_post("w1", "/api/v1/worker/unregister", nlohmann::json::object());
    INFO(bye.body);
    REQUIRE(bye.status == 200);
    CHECK(bye.json() == nlohmann::json{{"unregistered", "w1"}, {"requeued", {job_id}}});
    const auto back = attempt_json(s, aid);
    CHECK(back["state"] == "queued");
    CHECK(back["worker"].is_null());
    CHECK(s.get("/api/v1/worker/w1", "admin").status == 404);
    CHECK(s.worker_post("w1", "/api/v1/worker/unregister", nlohmann::json::object()).status == 404);

    const auto other = s.worker_post("w2", "/api/v1/worker/jobs/next", next_now);
    REQUIRE(other.status == 200);
    CHECK(other.json()["job"]["id"] == job_id);
    CHECK(attempt_json(s, aid)["worker"] == "w2");
}

TEST_CASE("a drained worker is answered 204 at once and shown draining until it registers") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    s.submit("alice", 1);
    CHECK(s.post("/api/v1/worker/w9/drain", "admin", nlohmann::json::object()).status == 404);
    CHECK(s.post("/api/v1/worker/w1/drain", "ta", nlohmann::json::object()).status == 403);
    const auto drain = s.post("/api/v1/worker/w1/drain", "admin", nlohmann::json::object());
    REQUIRE(drain.status == 200);
    CHECK(drain.json() == nlohmann::json{{"draining", "w1"}});

    const auto start = std::chrono::steady_clock::now();
    CHECK(s.worker_post("w1", "/api/v1/worker/jobs/next", {{"wait", 10}}).status == 204);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK(worker_json(s, "w1")["state"] == "draining");

    s.register_worker("w1"); // a restart clears the request
    CHECK(worker_json(s, "w1")["state"] == "alive");
    CHECK(s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).status == 200);
}

TEST_CASE("each worker's state and last heartbeat are shown to TAs") {
    Server s;
    s.register_worker("cpu");
    s.register_worker("gpu", true);
    s.register_worker("leaving");
    REQUIRE(s.worker_post("gpu", "/api/v1/worker/heartbeat",
                          {{"gpu_ok", false}, {"gpu_reason", "nvidia-smi: no devices"}})
                .status == 200);
    REQUIRE(s.worker_post("leaving", "/api/v1/worker/heartbeat", {{"draining", true}}).status ==
            200);
    const auto r = s.get("/api/v1/workers", "ta");
    INFO(r.body);
    REQUIRE(r.status == 200);
    std::map<std::string, nlohmann::json> by_id;
    const auto listed = r.json(); // not a temporary: the loop reads inside it
    for (const auto& w : listed["workers"])
        by_id[w["id"].get<std::string>()] = w;
    CHECK(by_id.at("cpu")["state"] == "alive");
    CHECK(by_id.at("gpu")["state"] == "gpu_unhealthy");
    CHECK(by_id.at("gpu")["status"]["gpu_reason"] == "nvidia-smi: no devices");
    CHECK(by_id.at("leaving")["state"] == "draining");
    CHECK_THAT(by_id.at("cpu")["last_heartbeat_at"].get<std::string>(),
               Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"));
    CHECK(by_id.at("cpu")["stale"] == false);
    // Stale needs 90 s of silence (serve has no flag for the window); the rule
    // is checked with a fake clock in tests/core/test_domain.cpp.
}

TEST_CASE("an attempt names its worker while it runs and after its verdict") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    const auto aid = s.submit("alice", 1);
    CHECK(attempt_json(s, aid)["worker"].is_null());
    const auto job = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).json()["job"];
    const auto listed = s.get("/api/v1/mp/vecadd/attempts", "alice").json()["attempts"][0];
    CHECK(listed["state"] == "running");
    CHECK(listed["worker"] == "w1");

    const auto n = static_cast<int>(s.get("/api/v1/mp/vecadd", "alice").json()["datasets"].size());
    const auto done = s.worker_post(
        "w1", "/api/v1/worker/jobs/" + std::to_string(job["id"].get<std::int64_t>()) + "/result",
        {{"lease_token", job["lease_token"]}, {"report", wb::test::fake_report("vecadd", n, n)}});
    REQUIRE(done.status == 200);
    const auto after = attempt_json(s, aid);
    CHECK(after["state"] == "done");
    CHECK(after["worker"] == "w1");
}
