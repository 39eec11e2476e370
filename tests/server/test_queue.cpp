// The job queue end to end: workers lease jobs by long-polling, results
// count once and only from the current lease, expired leases requeue and
// then fail, concurrent submissions are each stored once, and a SIGKILLed
// server loses nothing.
#include "harness.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

using wb::test::next_now;
using wb::test::Server;

namespace {

// A worker's report that every dataset of vecadd is correct.
nlohmann::json all_correct(Server& s) {
    const auto n = static_cast<int>(s.get("/api/v1/mp/vecadd", "alice").json()["datasets"].size());
    return wb::test::fake_report("vecadd", n, n);
}

} // namespace

TEST_CASE("a worker leases a job, fetches the bundle, and its result is recorded once") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    const auto aid = s.submit("alice", 1);

    const auto got = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now);
    REQUIRE(got.status == 200);
    const auto job = got.json()["job"];
    CHECK(job["attempt_id"] == aid);
    CHECK(job["program"]["text"] == wb::test::program_text(1));
    CHECK(job["mp"]["id"] == "vecadd");
    CHECK(job["mp"]["version"] == 1);
    CHECK(job["dataset"].is_null());
    CHECK(job["try"] == 1);
    REQUIRE_FALSE(job["mp"]["files"].empty());
    const auto& file = job["mp"]["files"][0];
    const auto blob =
        s.worker_get("w1", "/api/v1/worker/blob/" + file["sha256"].get<std::string>());
    CHECK(blob.status == 200);
    CHECK(blob.body.size() == file["size"].get<std::size_t>());
    CHECK(s.get("/api/v1/mp/vecadd/attempts", "alice").json()["attempts"][0]["state"] == "running");

    // Nothing else is queued.
    CHECK(s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).status == 204);

    const auto ndatasets =
        static_cast<int>(s.get("/api/v1/mp/vecadd", "alice").json()["datasets"].size());
    const auto result_path =
        "/api/v1/worker/jobs/" + std::to_string(job["id"].get<std::int64_t>()) + "/result";
    const nlohmann::json result = {
        {"lease_token", job["lease_token"]},
        {"report", wb::test::fake_report("vecadd", ndatasets, ndatasets - 1)}};
    CHECK(s.worker_post("w1", result_path,
                        {{"lease_token", job["lease_token"]}, {"report", {{"verdict", "great"}}}})
              .status == 400);
    const auto first = s.worker_post("w1", result_path, result);
    REQUIRE(first.status == 200);
    CHECK(first.json()["duplicate"] == false);
    const auto again = s.worker_post("w1", result_path, result);
    CHECK(again.status == 200);
    CHECK(again.json()["duplicate"] == true);
    CHECK(
        s.worker_post("w1", result_path, {{"lease_token", "forged"}, {"report", result["report"]}})
            .status == 409);

    const auto detail = s.get("/api/v1/mp/vecadd/attempt/" + std::to_string(aid), "alice");
    REQUIRE(detail.status == 200);
    CHECK(detail.json()["state"] == "done");
    CHECK(detail.json()["verdict"] == "wrong_answer");
    CHECK(detail.json()["correct"] == ndatasets - 1);
    CHECK(detail.json()["datasets"].size() == static_cast<std::size_t>(ndatasets));
    CHECK(detail.json()["compile_output"] == "ok");

    // Grades: the best all-dataset attempt per user and MP; CSV for TAs.
    const auto g = s.get("/api/v1/grades", "alice").json()["grades"];
    REQUIRE(g.size() == 1);
    CHECK(g[0]["correct"] == ndatasets - 1);
    CHECK(g[0]["attempt_id"] == aid);
    CHECK(s.get("/api/v1/grades", "bob").json()["grades"].empty());
    CHECK(s.get("/api/v1/grade/vecadd", "ta").json()["grades"].size() == 1);
    const auto csv = s.get("/api/v1/grades.csv", "ta");
    REQUIRE(csv.status == 200);
    CHECK_THAT(csv.body,
               Catch::StartsWith("user,mp,correct,total") && Catch::Contains("alice,vecadd,"));
    CHECK_THAT(csv.header("Content-Type"), Catch::Contains("text/csv"));

    const auto workers = s.get("/api/v1/workers", "ta").json();
    CHECK(workers["workers"][0]["id"] == "w1");
    CHECK(workers["queue"]["done"] == 1);
    const auto w1 = s.get("/api/v1/worker/w1", "admin").json();
    CHECK_FALSE(w1["log"].empty());
}

TEST_CASE("worker requests must be signed, fresh and not replayed") {
    Server s;
    const std::string path = "/api/v1/worker/register";
    const std::string body = R"({"capabilities":{"gpu":false,"toolchains":["cpp"]}})";
    auto headers = wb::server::sign_worker_request(s.worker_key(), "POST", path, "w1", body);
    httplib::Headers h(headers.begin(), headers.end());
    httplib::Client cli("127.0.0.1", s.port());
    auto first = cli.Post(path.c_str(), h, body, "application/json");
    REQUIRE(first);
    CHECK(first->status == 200);
    auto replay = cli.Post(path.c_str(), h, body, "application/json");
    REQUIRE(replay);
    CHECK(replay->status == 401);
    CHECK_THAT(replay->body, Catch::Contains("replayed"));

    // A changed body breaks the MAC.
    auto h2v = wb::server::sign_worker_request(s.worker_key(), "POST", path, "w1", body);
    httplib::Headers h2(h2v.begin(), h2v.end());
    auto tampered = cli.Post(path.c_str(), h2, body + " ", "application/json");
    REQUIRE(tampered);
    CHECK(tampered->status == 401);

    // A wrong key.
    wb::server::Key wrong{};
    auto h3v = wb::server::sign_worker_request(wrong, "POST", path, "w1", body);
    auto wrong_key =
        cli.Post(path.c_str(), httplib::Headers(h3v.begin(), h3v.end()), body, "application/json");
    REQUIRE(wrong_key);
    CHECK(wrong_key->status == 401);

    // A timestamp outside the window, correctly signed.
    const std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count() -
                                          600);
    const std::string nonce = wb::server::random_hex(16);
    httplib::Headers old = {
        {"X-Wb-Worker", "w1"},
        {"X-Wb-Timestamp", ts},
        {"X-Wb-Nonce", nonce},
        {"X-Wb-Mac", wb::server::worker_mac(s.worker_key(), "POST", path, "w1", ts, nonce, body)}};
    auto stale = cli.Post(path.c_str(), old, body, "application/json");
    REQUIRE(stale);
    CHECK(stale->status == 401);
    CHECK_THAT(stale->body, Catch::Contains("stale_request"));

    // An unregistered worker cannot poll.
    CHECK(s.worker_post("w9", "/api/v1/worker/jobs/next", next_now).status == 404);

    // The nonces seen live in memory: a request captured before a restart,
    // still inside the time window, must not be accepted after it.
    auto captured_v = wb::server::sign_worker_request(s.worker_key(), "POST", path, "w1", body);
    httplib::Headers captured(captured_v.begin(), captured_v.end());
    s.stop();
    std::this_thread::sleep_for(
        std::chrono::milliseconds(1100)); // a new second on the server's clock
    s.start();
    httplib::Client after("127.0.0.1", s.port());
    auto replayed = after.Post(path.c_str(), captured, body, "application/json");
    REQUIRE(replayed);
    CHECK(replayed->status == 401);
    CHECK_THAT(replayed->body, Catch::Contains("signed before this server started"));
    CHECK(s.worker_post("w1", path, nlohmann::json::parse(body)).status == 200);
}

TEST_CASE("a long-poll is woken by a submission") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    std::atomic<int> status{0};
    nlohmann::json job;
    const auto start = std::chrono::steady_clock::now();
    std::thread poller([&] {
        const auto r = s.worker_post("w1", "/api/v1/worker/jobs/next", {{"wait", 10}});
        // Not r.json(): Catch's macros are for the test's own thread only.
        if (r.status == 200) job = nlohmann::json::parse(r.body)["job"];
        status = r.status;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // Users are still served while the worker waits.
    CHECK(s.get("/api/v1/whoami", "alice").status == 200);
    const auto aid = s.submit("alice", 1);
    poller.join();
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(status == 200);
    CHECK(job["attempt_id"] == aid);
    CHECK(waited < std::chrono::seconds(5));
}

TEST_CASE("long-polls beyond the bound are answered at once, users are not starved") {
    Server s({"--max-long-polls", "2", "--threads", "2"});
    s.register_worker("w1");
    std::vector<std::thread> polls;
    std::atomic<int> busy{0};
    for (int i = 0; i < 4; ++i) {
        polls.emplace_back([&] {
            const auto r = s.worker_post("w1", "/api/v1/worker/jobs/next", {{"wait", 3}});
            if (r.status == 503) busy++;
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(s.get("/api/v1/whoami", "alice").status == 200);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    for (auto& t : polls)
        t.join();
    CHECK(busy >= 1);
}

TEST_CASE("an expired lease requeues the job, a late result from it is refused, retries run out") {
    Server s({"--rate-limit", "0", "--lease-seconds", "1", "--max-tries", "2"});
    s.register_worker("w1");
    s.register_worker("w2");
    const auto aid = s.submit("alice", 1);

    const auto first = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now);
    REQUIRE(first.status == 200);
    const auto job1 = first.json()["job"];
    CHECK(s.worker_post("w2", "/api/v1/worker/jobs/next", next_now).status == 204);

    // After the lease runs out the job is back and another worker gets it.
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    const auto second = s.worker_post("w2", "/api/v1/worker/jobs/next", {{"wait", 3}});
    REQUIRE(second.status == 200);
    const auto job2 = second.json()["job"];
    CHECK(job2["id"] == job1["id"]);
    CHECK(job2["try"] == 2);
    CHECK(job2["lease_token"] != job1["lease_token"]);

    // The first worker's late result is refused and changes nothing.
    const auto path =
        "/api/v1/worker/jobs/" + std::to_string(job1["id"].get<std::int64_t>()) + "/result";
    const auto late = s.worker_post(
        "w1", path, {{"lease_token", job1["lease_token"]}, {"report", all_correct(s)}});
    CHECK(late.status == 409);
    CHECK(late.error_code() == "lease_lost");
    CHECK(s.get("/api/v1/mp/vecadd/attempt/" + std::to_string(aid), "alice").json()["state"] ==
          "running");

    // The second lease runs out too: that was the last try.
    std::this_thread::sleep_for(std::chrono::milliseconds(1600));
    const auto detail = s.get("/api/v1/mp/vecadd/attempt/" + std::to_string(aid), "alice").json();
    CHECK(detail["state"] == "done");
    CHECK(detail["verdict"] == "internal_error");
    CHECK_THAT(detail["message"].get<std::string>(), Catch::Contains("after 2 leases"));
    CHECK(s.worker_post("w2", path,
                        {{"lease_token", job2["lease_token"]}, {"report", all_correct(s)}})
              .status == 409);
    CHECK(s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).status == 204);
}

TEST_CASE("fifty clients submitting at once: every submission is stored once") {
    Server s({"--rate-limit", "0"});
    constexpr int clients = 50;
    std::vector<std::thread> threads;
    std::atomic<int> accepted{0};
    std::vector<std::int64_t> ids(clients, 0);
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    for (int i = 0; i < clients; ++i) {
        threads.emplace_back([&, i] {
            const auto r = s.post("/api/v1/mp/vecadd/submit", i % 2 ? "alice" : "bob",
                                  nlohmann::json{{"program", wb::test::program_text(1000 + i)}});
            if (r.status != 202) {
                std::lock_guard lock(failures_mutex);
                failures.push_back(std::to_string(r.status) + " " + r.body);
            }
            if (r.status == 202) {
                accepted++;
                ids[static_cast<std::size_t>(i)] =
                    nlohmann::json::parse(r.body)["attempt_id"].get<std::int64_t>();
            }
        });
    }
    for (auto& t : threads)
        t.join();
    for (const auto& f : failures)
        INFO(f);
    CAPTURE(failures);
    CHECK(accepted == clients);
    CHECK(std::set<std::int64_t>(ids.begin(), ids.end()).size() == clients);

    std::multiset<std::string> texts;
    for (const auto& user : {"alice", "bob"}) {
        const auto attempts =
            s.get(std::string("/api/v1/mp/vecadd/attempts?user=") + user, "ta").json()["attempts"];
        for (const auto& a : attempts) {
            const auto d = s.get(
                "/api/v1/mp/vecadd/attempt/" + std::to_string(a["id"].get<std::int64_t>()), "ta");
            texts.insert(d.json()["program"].get<std::string>());
        }
    }
    CHECK(texts.size() == clients);
    for (int i = 0; i < clients; ++i)
        CHECK(texts.count(wb::test::program_text(1000 + i)) == 1);
    CHECK(s.get("/api/v1/workers", "admin").json()["queue"]["queued"] == clients);
}

TEST_CASE(
    "SIGKILL between submit and lease: after a restart the job is still there and is leased") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    const auto aid = s.submit("alice", 5);
    s.kill9();
    s.start();
    const auto got = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now);
    REQUIRE(got.status == 200);
    CHECK(got.json()["job"]["attempt_id"] == aid);
    CHECK(got.json()["job"]["program"]["text"] == wb::test::program_text(5));

    // A leased job survives a SIGKILL as well, with its lease.
    s.kill9();
    s.start();
    CHECK(s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).status == 204);
    const auto job = got.json()["job"];
    const auto path =
        "/api/v1/worker/jobs/" + std::to_string(job["id"].get<std::int64_t>()) + "/result";
    const auto done = s.worker_post(
        "w1", path, {{"lease_token", job["lease_token"]}, {"report", all_correct(s)}});
    CHECK(done.status == 200);
    CHECK(s.get("/api/v1/mp/vecadd/attempt/" + std::to_string(aid), "alice").json()["verdict"] ==
          "correct");
}

TEST_CASE("a result counts only from the lease's worker and only with every dataset asked for") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    s.register_worker("w2");
    const auto aid = s.submit("alice", 7);
    const auto job = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).json()["job"];
    const auto path =
        "/api/v1/worker/jobs/" + std::to_string(job["id"].get<std::int64_t>()) + "/result";
    const auto full = all_correct(s);
    const auto n = static_cast<int>(full["datasets"].size());

    // Another worker that learnt the token is not the lease holder.
    const auto stolen =
        s.worker_post("w2", path, {{"lease_token", job["lease_token"]}, {"report", full}});
    CHECK(stolen.status == 409);
    CHECK(stolen.error_code() == "lease_lost");

    // Fewer datasets than asked for, one twice, or one never asked for.
    auto fewer = wb::test::fake_report("vecadd", 1, 1);
    CHECK(s.worker_post("w1", path, {{"lease_token", job["lease_token"]}, {"report", fewer}})
              .status == 400);
    auto twice = full;
    twice["datasets"][1]["index"] = 0;
    CHECK(s.worker_post("w1", path, {{"lease_token", job["lease_token"]}, {"report", twice}})
              .status == 400);
    auto unknown = full;
    unknown["datasets"][0]["index"] = 99;
    CHECK(s.worker_post("w1", path, {{"lease_token", job["lease_token"]}, {"report", unknown}})
              .status == 400);
    auto none = full;
    none["datasets"] = nlohmann::json::array();
    CHECK(
        s.worker_post("w1", path, {{"lease_token", job["lease_token"]}, {"report", none}}).status ==
        400);
    CHECK(s.get("/api/v1/mp/vecadd/attempt/" + std::to_string(aid), "alice").json()["state"] ==
          "running");

    // A compile error runs no dataset and counts as 0 of all of them.
    auto compile_error = none;
    compile_error["verdict"] = "compile_error";
    compile_error["message"] = "compile error: main.cpp:1: error";
    REQUIRE(
        s.worker_post("w1", path, {{"lease_token", job["lease_token"]}, {"report", compile_error}})
            .status == 200);
    const auto detail = s.get("/api/v1/mp/vecadd/attempt/" + std::to_string(aid), "alice").json();
    CHECK(detail["verdict"] == "compile_error");
    CHECK(detail["correct"] == 0);
    CHECK(detail["total"] == n);
}

TEST_CASE("a grade request is a preview: it does not count in the grades") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    const auto r = s.post("/api/v1/mp/vecadd/grade", "alice",
                          nlohmann::json{{"program", wb::test::program_text(8)}});
    REQUIRE(r.status == 202);
    const auto job = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).json()["job"];
    const auto path =
        "/api/v1/worker/jobs/" + std::to_string(job["id"].get<std::int64_t>()) + "/result";
    REQUIRE(
        s.worker_post("w1", path, {{"lease_token", job["lease_token"]}, {"report", all_correct(s)}})
            .status == 200);
    CHECK(s.get("/api/v1/mp/vecadd/attempts", "alice").json()["attempts"][0]["verdict"] ==
          "correct");
    CHECK(s.get("/api/v1/grades", "alice").json()["grades"].empty());

    s.submit("alice", 9);
    const auto sub = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).json()["job"];
    const auto sub_path =
        "/api/v1/worker/jobs/" + std::to_string(sub["id"].get<std::int64_t>()) + "/result";
    REQUIRE(s.worker_post("w1", sub_path,
                          {{"lease_token", sub["lease_token"]}, {"report", all_correct(s)}})
                .status == 200);
    CHECK(s.get("/api/v1/grades", "alice").json()["grades"].size() == 1);
}

TEST_CASE("SIGTERM answers the requests in flight (a parked long-poll gets 503) before the server "
          "exits") {
    Server s;
    s.register_worker("w1");
    wb::test::Reply parked;
    std::thread poll([&] {
        parked = s.worker_post("w1", "/api/v1/worker/jobs/next", {{"wait", 20}});
    });
    // Let the poll park (the server logs nothing until it is answered).
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto start = std::chrono::steady_clock::now();
    CHECK(s.stop(SIGTERM) == 0);
    poll.join();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(15));
    CHECK(parked.status == 503);
    CHECK(parked.error_code() == "stopping");
    CHECK_FALSE(parked.header("Retry-After").empty());
    CHECK_THAT(s.log(), Catch::Contains("/api/v1/worker/jobs/next 503"));
}

TEST_CASE("a worker's progress is shown with the running attempt, from its current lease only") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    s.register_worker("w2");
    const auto aid = s.submit("alice", 1);
    const auto job = s.worker_post("w1", "/api/v1/worker/jobs/next", next_now).json()["job"];
    const auto path =
        "/api/v1/worker/jobs/" + std::to_string(job["id"].get<std::int64_t>()) + "/progress";
    const auto attempt = [&] { return s.get("/api/v1/attempt/" + std::to_string(aid), "alice"); };
    CHECK_FALSE(attempt().json().contains("progress")); // nothing said yet

    CHECK(
        s.worker_post("w1", path, {{"lease_token", job["lease_token"]}, {"done", 2}, {"total", 5}})
            .status == 200);
    const auto shown = attempt().json();
    CHECK(shown["state"] == "running");
    CHECK(shown["progress"] == nlohmann::json{{"done", 2}, {"total", 5}});

    // Another worker, a wrong token, a count out of range: refused, nothing changed.
    CHECK(
        s.worker_post("w2", path, {{"lease_token", job["lease_token"]}, {"done", 3}, {"total", 5}})
            .status == 409);
    CHECK(s.worker_post("w1", path, {{"lease_token", "not-the-token"}, {"done", 3}, {"total", 5}})
              .status == 409);
    CHECK(
        s.worker_post("w1", path, {{"lease_token", job["lease_token"]}, {"done", 6}, {"total", 5}})
            .status == 400);
    CHECK(s.worker_post("w1", "/api/v1/worker/jobs/999999/progress",
                        {{"lease_token", job["lease_token"]}, {"done", 1}, {"total", 5}})
              .status == 404);
    CHECK(attempt().json()["progress"]["done"] == 2);

    // Once the result is in, the attempt is done and shows no progress.
    const auto n = static_cast<int>(s.get("/api/v1/mp/vecadd", "alice").json()["datasets"].size());
    CHECK(s.worker_post("w1",
                        "/api/v1/worker/jobs/" + std::to_string(job["id"].get<std::int64_t>()) +
                            "/result",
                        {{"lease_token", job["lease_token"]},
                         {"report", wb::test::fake_report("vecadd", n, n)}})
              .status == 200);
    const auto done = attempt().json();
    CHECK(done["state"] == "done");
    CHECK_FALSE(done.contains("progress"));
}
