// The typed domain layer: an MP version survives the store's summary JSON
// unchanged, and the rules that the routes used to apply by reading keys
// (dataset selection, lease length, what a job needs, what a worker's
// report must hold, a grade's score) give what users rely on.
#include "core/attempt.h"
#include "core/catalog.h"
#include "core/error.h"
#include "core/job.h"
#include "core/mp_version.h"
#include "store/store.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using Catch::Contains;
using namespace wb::core;

namespace {

std::filesystem::path example(const std::string& name) {
    return std::filesystem::path(WBTOOL_SOURCE_DIR) / "examples/mps" / name;
}

// The MP as `mp import` stores it and every reader gets it back.
MpVersion imported(const std::string& name, wb::store::Store& store) {
    const auto r = import_mp(store, load_mp(example(name)));
    return find_mp(store, r.id);
}

} // namespace

TEST_CASE("an MP's configuration survives the store's summary unchanged") {
    for (const char* name : {"vecadd", "vecadd-cuda", "matmul", "histogram"}) {
        INFO(name);
        const Mp mp = load_mp(example(name));
        const MpConfig config = mp_config(mp);
        const nlohmann::json j = config;
        const auto back = j.get<MpConfig>();
        CHECK(nlohmann::json(back) == j);
        CHECK(back.toolchain == mp.toolchain);
        CHECK(back.check.mode == mp.check);
        CHECK(back.check.tolerance.abs == mp.tolerance.abs);
        CHECK(back.limits.memory_mib == mp.limits.memory_mib);
        CHECK(back.datasets.size() == mp.datasets.size());
        CHECK(back.template_file == mp.template_file.filename().string());
    }
}

TEST_CASE("the catalog lists, finds and reads back imported MPs") {
    wb::test::TempDir tmp;
    wb::store::Store store(tmp / "data");
    const auto v = imported("vecadd", store);
    CHECK(v.version == 1);
    CHECK(v.config.datasets.size() == 5);
    CHECK(v.dataset_indices() == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(bundle_text(store, v, v.config.template_file).find("wb.h") != std::string::npos);
    CHECK(bundle_text(store, v, "no/such/file").empty());
    const auto all = list_mps(store);
    REQUIRE(all.size() == 1);
    CHECK(nlohmann::json(all[0]) == nlohmann::json{{"id", "vecadd"},
                                                   {"version", 1},
                                                   {"title", v.title},
                                                   {"toolchain", "cpp"},
                                                   {"datasets", 5},
                                                   {"created_at", v.created_at}});
    CHECK_THROWS_MATCHES(find_mp(store, "nosuch"), wb::NotFoundError,
                         Catch::Matchers::Message("no MP 'nosuch'"));
    CHECK_THROWS_MATCHES(find_mp(store, "vecadd", 7), wb::NotFoundError,
                         Catch::Matchers::Message("MP 'vecadd' has no version 7"));
    const auto details = mp_details(store, "vecadd");
    CHECK(details.versions == std::vector<int>{1});
}

TEST_CASE("a new attempt selects its datasets, sizes its lease and says what its job needs") {
    wb::test::TempDir tmp;
    wb::store::Store store(tmp / "data");
    const auto cpu = imported("vecadd", store);
    const auto gpu = imported("vecadd-cuda", store);
    const auto& limits = cpu.config.limits;

    const auto all = new_attempt(cpu, {7, "submit", std::nullopt, "a.cpp", "int main(){}", 0});
    CHECK(all.dataset == std::nullopt);
    CHECK(all.lease_seconds == 2.0 * (limits.compile_s + 5 * limits.run_s) + 30.0);
    CHECK(all.toolchain == "cpp");
    CHECK_FALSE(all.needs_gpu);
    CHECK(all.program_hash.size() == 64);

    const auto one = new_attempt(cpu, {7, "submit", 3, "a.cpp", "int main(){}", 0});
    CHECK(one.dataset == 3);
    CHECK(one.lease_seconds == 2.0 * (limits.compile_s + limits.run_s) + 30.0);
    CHECK(new_attempt(cpu, {7, "grade", std::nullopt, "a.cpp", "x", 45}).lease_seconds == 45);

    CHECK_THROWS_MATCHES(
        new_attempt(cpu, {7, "submit", 9, "a.cpp", "x", 0}), wb::InputError,
        Catch::Matchers::Message("dataset 9 is out of range: MP 'vecadd' has datasets 0..4"));
    const auto cuda = new_attempt(gpu, {7, "submit", std::nullopt, "a.cu", "x", 0});
    CHECK(cuda.toolchain == "cuda");
    CHECK(cuda.needs_gpu);
}

TEST_CASE("a worker's report is accepted only when it covers what its attempt asked for") {
    const std::set<int> expected = {0, 1, 2};
    const auto ds = [](int i, const char* v) {
        return nlohmann::json{{"index", i}, {"verdict", v}};
    };
    const auto report = [](const char* verdict, nlohmann::json datasets) {
        return nlohmann::json{{"verdict", verdict}, {"message", "m"}, {"datasets", datasets}};
    };

    const auto ok = accept_report(
        4, report("wrong_answer", {ds(0, "correct"), ds(1, "wrong_answer"), ds(2, "correct")}),
        expected);
    CHECK(ok.correct == 2);
    CHECK(ok.total == 3);
    CHECK(ok.verdict == "wrong_answer");
    CHECK(nlohmann::json::parse(ok.report)["message"] == "m");

    // Nothing ran: only a verdict that stops before the runs may list none.
    CHECK(accept_report(4, report("compile_error", nlohmann::json::array()), expected).total == 3);
    CHECK_THROWS_WITH(accept_report(4, report("correct", nlohmann::json::array()), expected),
                      "job 4: a 'correct' report must list the datasets it ran");
    CHECK_THROWS_WITH(accept_report(4, report("correct", {ds(0, "correct")}), expected),
                      "job 4: the report has 1 of the 3 datasets asked for");
    CHECK_THROWS_WITH(
        accept_report(4, report("correct", {ds(0, "correct"), ds(0, "correct"), ds(1, "correct")}),
                      expected),
        "job 4: dataset 0 was not asked for, or is reported twice");
    CHECK_THROWS_WITH(accept_report(4, report("correct", {ds(5, "correct")}), expected),
                      "job 4: dataset 5 was not asked for, or is reported twice");
    CHECK_THROWS_WITH(accept_report(4, report("great", nlohmann::json::array()), expected),
                      "'great' is not a verdict");
    CHECK_THROWS_AS(accept_report(4, {{"datasets", nlohmann::json::array()}}, expected),
                    wb::InputError);
}

TEST_CASE("a worker's capabilities round-trip, and a request's are checked field by field") {
    Capabilities c;
    c.gpu = true;
    c.toolchains = {"cpp", "cuda"};
    c.slots = 4;
    const nlohmann::json j = c;
    CHECK(j == nlohmann::json{{"gpu", true}, {"toolchains", {"cpp", "cuda"}}, {"slots", 4}});
    const auto back = j.get<Capabilities>();
    CHECK(back.toolchains == c.toolchains);
    CHECK(back.slots == 4);
    CHECK_FALSE(back.version.has_value());

    CHECK_THROWS_WITH(read_capabilities({{"gpu", true}, {"disk", 1}}),
                      Contains("unknown field 'disk'"));
    CHECK_THROWS_WITH(read_capabilities({{"toolchains", {"../x"}}}),
                      Contains("names like \"cpp\""));
    CHECK_THROWS_WITH(read_capabilities(nlohmann::json::array()), Contains("must be an object"));
}

TEST_CASE("a registration's machine figures and slots are checked, naming the field") {
    const nlohmann::json caps = {
        {"gpu", true},           {"toolchains", {"cpp", "cuda"}},
        {"cores", 16},           {"memory_mib", 128000},
        {"isolation", "userns"}, {"compilers", {{"cpp", "g++ (Debian 12.2.0-14) 12.2.0"}}}};
    const auto c = read_registration({{"capabilities", caps}, {"slots", 2}, {"max_slots", 4}});
    CHECK(c.cores == 16);
    CHECK(c.isolation == "userns");
    CHECK(c.compilers.at("cpp") == "g++ (Debian 12.2.0-14) 12.2.0");
    const nlohmann::json j = c;
    CHECK(j["max_slots"] == 4);
    CHECK(j.get<Capabilities>().compilers == c.compilers);

    for (const auto slots : {-3, 0, 300}) {
        CHECK_THROWS_WITH(read_registration({{"slots", slots}}),
                          Contains("field 'slots' must be 1 to 256"));
    }
    CHECK_THROWS_WITH(read_registration({{"slots", 4}, {"max_slots", 2}}),
                      Contains("field 'max_slots' (2) must be at least 'slots' (4)"));
    CHECK_THROWS_WITH(read_capabilities({{"isolation", "none"}}),
                      Contains("'capabilities.isolation' must be full, userns or rlimits"));
    CHECK_THROWS_WITH(read_capabilities({{"cores", -1}}),
                      Contains("field 'capabilities.cores' must be 0 to"));
    CHECK_THROWS_WITH(read_capabilities({{"compilers", {{"cpp", std::string(201, 'x')}}}}),
                      Contains("at most 200 characters"));
    CHECK_THROWS_WITH(read_capabilities({{"compilers", {{"cpp", 12}}}}),
                      Contains("'capabilities.compilers'"));
}

TEST_CASE("a worker's state: stale first, then draining, then an unhealthy GPU, else alive") {
    wb::store::WorkerRow w;
    w.id = "w1";
    w.capabilities = R"({"gpu":true,"toolchains":["cuda"]})";
    w.status = R"({"gpu_ok":true,"draining":false})";
    w.last_seen_ms = 1'000'000;
    const auto state = [&](std::int64_t now_ms) {
        return worker_state_name(worker_info(w, now_ms, 90).state);
    };
    CHECK(state(1'000'000 + 89'000) == "alive");
    CHECK(state(1'000'000 + 91'000) == "stale");
    w.gpu_ok = false;
    CHECK(state(1'000'500) == "gpu_unhealthy");
    w.status = R"({"gpu_ok":false,"draining":true})";
    CHECK(state(1'000'500) == "draining");
    CHECK(state(1'000'000 + 91'000) == "stale");
    w.status = "{}";
    w.drain = true;
    CHECK(state(1'000'500) == "draining");
    // A worker without a GPU is not unhealthy for want of one.
    w.drain = false;
    w.capabilities = R"({"gpu":false})";
    CHECK(state(1'000'500) == "alive");

    const nlohmann::json j = worker_info(w, 1'000'500, 90);
    CHECK(j["state"] == "alive");
    CHECK(j["last_heartbeat_at"] == "1970-01-01T00:16:40.000Z");
    CHECK(j["stale"] == false);
}

TEST_CASE("a heartbeat's status: draining and the GPU's trouble, the reason cut to 500") {
    const auto s =
        read_status({{"gpu_ok", false}, {"gpu_reason", std::string(600, 'x')}, {"draining", true}});
    CHECK_FALSE(s.gpu_ok);
    CHECK(s.gpu_reason->size() == 500);
    const nlohmann::json j = s;
    CHECK(j["draining"] == true);
    CHECK_THROWS_WITH(read_status({{"draining", "yes"}}), Contains("field 'draining'"));
}

TEST_CASE("a grade's score and its CSV line") {
    wb::store::GradeRow g{"=cmd", "vecadd", 12,   "wrong_answer", 3, 5, 2, "2026-01-01T00:00:00Z",
                          {},     {},       false};
    CHECK(score(g) == Approx(0.6));
    CHECK(nlohmann::json(g)["score"] == Approx(0.6));
    CHECK(grades_csv({g}) ==
          "user,mp,correct,total,score,verdict,attempts,attempt_id,finished_at,points,max_points,"
          "late\r\n"
          "'=cmd,vecadd,3,5,0.6000,wrong_answer,2,12,2026-01-01T00:00:00Z,,,no\r\n");
    g.points = 45;
    g.max_points = 100;
    g.late = true;
    CHECK(grades_csv({g}).ends_with(",45,100,yes\r\n"));
    CHECK(nlohmann::json(g)["points"] == 45);
    wb::store::GradeRow none;
    CHECK(score(none) == 0.0);
}
