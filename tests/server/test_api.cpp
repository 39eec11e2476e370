// The HTTP API end to end: accounts, roles on every route, MPs, saved
// programs, submissions, attempts, grades, import, the log, and bad input.
#include "harness.h"
#include "text_files.h"

#include <catch2/catch.hpp>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using wb::test::Server;

namespace {

std::string base64(const std::string& raw) {
    std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                      raw.size(), sodium_base64_VARIANT_ORIGINAL);
    out.pop_back();
    return out;
}

using wb::test::slurp;

nlohmann::json bundle_upload(const std::filesystem::path& dir) {
    nlohmann::json files = nlohmann::json::object();
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        files[e.path().lexically_relative(dir).generic_string()] = base64(slurp(e.path()));
    }
    return {{"files", files}};
}

std::string session_cookie(const wb::test::Reply& r) {
    const auto set = r.header("Set-Cookie");
    const auto end = set.find(';');
    return set.substr(0, end);
}

} // namespace

TEST_CASE(
    "serve prints its port, logs each request, and stops on SIGTERM with the WAL checkpointed") {
    Server s;
    const auto health = s.get("/healthz");
    CHECK(health.status == 200);
    CHECK(health.body == "ok\n");
    const auto who = s.get("/api/v1/whoami", "alice");
    REQUIRE(who.status == 200);
    CHECK(who.json()["name"] == "alice");
    CHECK(who.json()["role"] == "student");
    CHECK(who.json()["auth"] == "api_key");
    const auto missing = s.get("/api/v1/nope", "alice");
    CHECK(missing.status == 404);
    CHECK(missing.error_code() == "not_found");

    CHECK(s.stop(SIGTERM) == 0);
    const auto log = s.log();
    CHECK_THAT(log, Catch::Contains("GET /api/v1/whoami 200") && Catch::Contains("alice"));
    CHECK_THAT(log, Catch::Contains("SIGTERM") && Catch::Contains("checkpointed"));
    const auto wal = s.wbtool().data_dir() / "wbtool.db-wal";
    CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));
}

TEST_CASE("signup, login with a session cookie, Origin check, logout, API key rotation") {
    Server s;
    const auto up = s.post("/api/v1/signup", "",
                           nlohmann::json{{"name", "carol"}, {"password", "correct horse"}});
    REQUIRE(up.status == 201);
    const auto carol_key = up.json()["api_key"].get<std::string>();
    CHECK(up.json()["user"]["role"] == "student");
    CHECK_THAT(up.header("Set-Cookie"),
               Catch::Contains("HttpOnly") && Catch::Contains("SameSite=Strict"));

    CHECK(
        s.post("/api/v1/signup", "", nlohmann::json{{"name", "carol"}, {"password", "another one"}})
            .status == 409);
    CHECK(s.post("/api/v1/signup", "", nlohmann::json{{"name", "dave"}, {"password", "short"}})
              .status == 400);
    CHECK(s.post("/api/v1/signup", "",
                 nlohmann::json{{"name", "Dave/.."}, {"password", "long enough"}})
              .status == 400);

    const auto bad = s.post("/api/v1/login", "",
                            nlohmann::json{{"name", "carol"}, {"password", "wrong password"}});
    CHECK(bad.status == 401);
    const auto nobody = s.post("/api/v1/login", "",
                               nlohmann::json{{"name", "nobody"}, {"password", "wrong password"}});
    CHECK(nobody.status == 401);
    CHECK(nobody.json()["error"]["message"] == bad.json()["error"]["message"]);

    const auto in = s.post("/api/v1/login", "",
                           nlohmann::json{{"name", "carol"}, {"password", "correct horse"}});
    REQUIRE(in.status == 200);
    const auto cookie = session_cookie(in);
    REQUIRE_THAT(cookie, Catch::StartsWith("wb_session="));
    const auto host = "127.0.0.1:" + std::to_string(s.port());
    const auto who = s.get("/api/v1/whoami", "", {{"Cookie", cookie}});
    REQUIRE(who.status == 200);
    CHECK(who.json()["auth"] == "session");

    // A cookie-authenticated change needs this server's Origin.
    const nlohmann::json prog = {{"program", wb::test::program_text()}};
    CHECK(s.post("/api/v1/mp/vecadd/save", "", prog.dump(), {{"Cookie", cookie}}).status == 403);
    CHECK(s.post("/api/v1/mp/vecadd/save", "", prog.dump(),
                 {{"Cookie", cookie}, {"Origin", "http://evil.example"}})
              .status == 403);
    CHECK(s.post("/api/v1/mp/vecadd/save", "", prog.dump(),
                 {{"Cookie", cookie}, {"Origin", "http://" + host}})
              .status == 200);

    const auto out =
        s.post("/api/v1/logout", "", "", {{"Cookie", cookie}, {"Origin", "http://" + host}});
    CHECK(out.status == 200);
    CHECK(s.get("/api/v1/whoami", "", {{"Cookie", cookie}}).status == 401);

    // Rotation: the new key works, the old one does not.
    const auto rot = s.post("/api/v1/apikey", "", "{}", {{"Authorization", "Bearer " + carol_key}});
    REQUIRE(rot.status == 200);
    const auto new_key = rot.json()["api_key"].get<std::string>();
    CHECK(s.get("/api/v1/whoami", "", {{"Authorization", "Bearer " + carol_key}}).status == 401);
    CHECK(s.get("/api/v1/whoami", "", {{"Authorization", "Bearer " + new_key}}).status == 200);
    CHECK(s.get("/api/v1/whoami", "", {{"Authorization", "Basic abc"}}).status == 401);
}

TEST_CASE("signup can be closed, admins create users") {
    Server s({"--no-signup"});
    CHECK(s.post("/api/v1/signup", "",
                 nlohmann::json{{"name", "carol"}, {"password", "correct horse"}})
              .status == 403);
    CHECK(s.post("/api/v1/users", "ta", nlohmann::json{{"name", "carol"}, {"role", "student"}})
              .status == 403);
    const auto made =
        s.post("/api/v1/users", "admin", nlohmann::json{{"name", "carol"}, {"role", "ta"}});
    REQUIRE(made.status == 201);
    CHECK(made.json()["password"].get<std::string>().size() >= 16);
    CHECK(s.post("/api/v1/users", "admin", nlohmann::json{{"name", "eve"}, {"role", "root"}})
              .status == 400);
    const auto list = s.get("/api/v1/users", "admin");
    REQUIRE(list.status == 200);
    CHECK(list.json()["users"].size() == 5);
    CHECK(s.get("/api/v1/users", "alice").status == 403);
}

TEST_CASE("each route: no credentials is 401, each role gets what it may") {
    Server s({"--rate-limit", "0"});
    s.register_worker("w1");
    // route -> expected status for: none, alice (student), ta, admin
    struct Case {
        std::string method, path;
        int none, student, ta, admin;
    };
    const std::vector<Case> cases = {
        {"GET", "/api/v1/whoami", 401, 200, 200, 200},
        {"GET", "/api/v1/mps", 401, 200, 200, 200},
        {"GET", "/api/v1/mp/vecadd", 401, 200, 200, 200},
        {"GET", "/api/v1/mp/vecadd/description", 401, 200, 200, 200},
        {"GET", "/api/v1/mp/vecadd/program", 401, 200, 200, 200},
        {"GET", "/api/v1/mp/vecadd/program?user=bob", 401, 403, 200, 200},
        {"GET", "/api/v1/mp/vecadd/attempts", 401, 200, 200, 200},
        {"GET", "/api/v1/mp/vecadd/attempts?user=bob", 401, 403, 200, 200},
        {"GET", "/api/v1/grades", 401, 200, 200, 200},
        {"GET", "/api/v1/grades?user=bob", 401, 403, 200, 200},
        {"GET", "/api/v1/grade/vecadd", 401, 200, 200, 200},
        {"GET", "/api/v1/grades.csv", 401, 403, 200, 200},
        {"GET", "/api/v1/workers", 401, 403, 200, 200},
        {"GET", "/api/v1/worker/w1", 401, 403, 403, 200},
        {"GET", "/api/v1/users", 401, 403, 403, 200},
        {"GET", "/api/v1/log", 401, 403, 403, 200},
        {"POST", "/api/v1/mps/import", 401, 403, 403, 400},
        {"POST", "/api/v1/mp/vecadd/save", 401, 200, 200, 200},
        {"POST", "/api/v1/mp/vecadd/submit", 401, 202, 202, 202},
        {"POST", "/api/v1/mp/vecadd/grade", 401, 202, 202, 202},
        {"GET", "/api/v1/mp/vecadd/attempt/1", 401, 200, 200, 200}, // alice's first submission
        {"POST", "/api/v1/users", 401, 403, 403, 400}, // admins only (the body is wrong)
        {"POST", "/api/v1/logout", 401, 200, 200, 200},
    };
    for (const auto& c : cases) {
        INFO(c.method << " " << c.path);
        const std::vector<std::pair<std::string, int>> who = {
            {"", c.none}, {"alice", c.student}, {"ta", c.ta}, {"admin", c.admin}};
        for (const auto& [user, want] : who) {
            INFO("as " << (user.empty() ? "nobody" : user));
            wb::test::Reply r;
            if (c.method == "GET")
                r = s.get(c.path, user);
            else
                r = s.post(c.path, user,
                           nlohmann::json{{"program", wb::test::program_text()}}.dump());
            CHECK(r.status == want);
            if (want >= 400) CHECK(r.json().contains("error"));
        }
    }
    // Another student's attempt does not exist for bob.
    CHECK(s.get("/api/v1/mp/vecadd/attempt/1", "bob").status == 404);
    // Rotating an API key: one's own only, every role; without credentials 401.
    CHECK(s.post("/api/v1/apikey", "", nlohmann::json::object()).status == 401);
    // Grading someone else's work: TAs and admins only.
    CHECK(s.post("/api/v1/mp/vecadd/grade", "alice", nlohmann::json{{"user", "bob"}}).status ==
          403);
    const auto ta = s.post("/api/v1/mp/vecadd/grade", "ta",
                           nlohmann::json{{"user", "bob"}, {"program", wb::test::program_text(7)}});
    CHECK(ta.status == 202);
    CHECK(ta.json()["user"] == "bob");
    // Worker routes refuse users, and users' routes refuse unsigned requests.
    CHECK(s.post("/api/v1/worker/jobs/next", "admin", nlohmann::json::object()).status == 401);
    CHECK(s.post("/api/v1/worker/register", "", nlohmann::json::object()).status == 401);
    CHECK(s.del("/api/v1/worker/w1", "ta").status == 403);
    CHECK(s.del("/api/v1/worker/w1", "admin").status == 200);
    CHECK(s.get("/api/v1/worker/w1", "admin").status == 404);
}

TEST_CASE("MPs, the template, saved programs") {
    Server s;
    const auto list = s.get("/api/v1/mps", "alice");
    REQUIRE(list.status == 200);
    REQUIRE(list.json()["mps"].size() == 1);
    CHECK(list.json()["mps"][0]["id"] == "vecadd");

    const auto mp = s.get("/api/v1/mp/vecadd", "alice");
    REQUIRE(mp.status == 200);
    CHECK(mp.json()["title"] == "Vector addition (C++)");
    CHECK_FALSE(mp.json()["template"].get<std::string>().empty());
    CHECK_FALSE(mp.json()["description"].get<std::string>().empty());
    CHECK(mp.json()["datasets"].size() >= 2);

    const auto before = s.get("/api/v1/mp/vecadd/program", "alice");
    REQUIRE(before.status == 200);
    CHECK(before.json()["source"] == "template");
    CHECK(before.json()["text"] == mp.json()["template"]);

    const auto text = wb::test::program_text(1);
    REQUIRE(s.post("/api/v1/mp/vecadd/save", "alice", nlohmann::json{{"program", text}}).status ==
            200);
    const auto after = s.get("/api/v1/mp/vecadd/program", "alice");
    CHECK(after.json()["source"] == "saved");
    CHECK(after.json()["text"] == text);
    // Bob still sees the template; the TA sees Alice's program.
    CHECK(s.get("/api/v1/mp/vecadd/program", "bob").json()["source"] == "template");
    CHECK(s.get("/api/v1/mp/vecadd/program?user=alice", "ta").json()["text"] == text);

    CHECK(s.get("/api/v1/mp/nosuch", "alice").status == 404);
    CHECK(s.get("/api/v1/mp/nosuch/program", "alice").status == 404);
    CHECK(s.post("/api/v1/mp/nosuch/save", "alice", nlohmann::json{{"program", text}}).status ==
          404);
}

TEST_CASE("a program of several files in 'files' is saved and read back as stored") {
    Server s({"--max-program-bytes", "4096"});
    const auto save = [&](const nlohmann::json& body) {
        return s.post("/api/v1/mp/vecadd/save", "alice", body.dump());
    };
    const nlohmann::json files = {{"main.cpp", "#include \"u.h\"\nint main() { return f(); }\n"},
                                  {"u.h", "int f();\n"},
                                  {"u.cpp", "int f() { return 0; }\n"}};
    const auto ok = save({{"files", files}});
    INFO(ok.body);
    REQUIRE(ok.status == 200);
    const auto got = s.get("/api/v1/mp/vecadd/program", "alice").json()["text"].get<std::string>();
    CHECK(nlohmann::json::parse(got) == nlohmann::json{{"files", files}});
    // One file in "files" is stored as one program's text.
    REQUIRE(save({{"files", {{"main.cpp", "int main() {}\n"}}}}).status == 200);
    CHECK(s.get("/api/v1/mp/vecadd/program", "alice").json()["text"] == "int main() {}\n");

    // Refused: both forms, names that are not plain, a binary file, no files,
    // a text that is not a string, and a total over the program limit (413).
    CHECK_THAT(save({{"program", "int main() {}"}, {"files", files}}).body,
               Catch::Contains("not both"));
    CHECK(save({{"files", {{"../a.cpp", "int x;"}, {"b.cpp", "int y;"}}}}).status == 400);
    CHECK(save({{"files", {{"a\tb.cpp", "int x;"}, {"b.cpp", "int y;"}}}}).status == 400);
    const auto binary =
        save({{"files", {{"a.cpp", "int x;"}, {"b.cpp", std::string("\0ELF", 4)}}}});
    CHECK(binary.status == 400);
    CHECK_THAT(binary.body, Catch::Contains("b.cpp:1: a NUL byte"));
    CHECK(save({{"files", nlohmann::json::object()}}).status == 400);
    CHECK(save({{"files", {{"a.cpp", 1}, {"b.cpp", "int y;"}}}}).status == 400);
    const auto big =
        save({{"files", {{"a.cpp", std::string(3000, 'x')}, {"b.cpp", std::string(3000, 'y')}}}});
    CHECK(big.status == 413);
    CHECK(big.error_code() == "too_large");
    CHECK(s.get("/api/v1/mp/vecadd/program", "alice").json()["text"] == "int main() {}\n");
    // A submission of a file the MP does not compile is refused before it is queued.
    const auto notes = s.post(
        "/api/v1/mp/vecadd/submit", "alice",
        nlohmann::json{{"files", {{"main.cpp", "int main() {}\n"}, {"notes.txt", "my notes\n"}}}}
            .dump());
    CHECK(notes.status == 400);
    CHECK_THAT(notes.body, Catch::Contains("notes.txt: neither a source nor a header"));
}

TEST_CASE("bad input is a 4xx and changes nothing") {
    Server s({"--max-program-bytes", "4096"});
    const auto save = [&](const std::string& body) {
        return s.post("/api/v1/mp/vecadd/save", "alice", body);
    };
    // Malformed, wrong types, unknown fields, deep nesting, invalid UTF-8.
    CHECK(save("{\"program\": ").status == 400);
    CHECK(save("[1,2]").status == 400);
    CHECK(save(nlohmann::json{{"program", 5}}.dump()).status == 400);
    CHECK(save(nlohmann::json{{"program", "int main(){}"}, {"extra", 1}}.dump()).status == 400);
    CHECK_THAT(save(nlohmann::json{{"program", "x"}, {"extra", 1}}.dump()).body,
               Catch::Contains("unknown field 'extra'"));
    CHECK(save(std::string(1000, '[') + std::string(1000, ']')).status == 400);
    CHECK(save(std::string("{\"program\": \"int main() {} \xff\xfe\"}")).status == 400);
    CHECK(save(nlohmann::json{{"program", std::string("int\0main", 8)}}.dump()).status == 400);
    CHECK(save(nlohmann::json{{"program", "   \n"}}.dump()).status == 400);
    // Over the program limit: 413.
    const auto big = save(nlohmann::json{{"program", std::string(5000, 'x')}}.dump());
    CHECK(big.status == 413);
    CHECK(big.error_code() == "too_large");
    // Ids with path separators or SQL metacharacters.
    CHECK(s.get("/api/v1/mp/vecadd'%3B--", "alice").status == 400);
    CHECK(s.get("/api/v1/mp/Vecadd", "alice").status == 400);
    CHECK(s.get("/api/v1/mp/..%2F..%2Fetc", "alice").status == 404);
    CHECK(s.get("/api/v1/mp/vecadd/attempt/1%20OR%201=1", "alice").status == 400);
    CHECK(s.get("/api/v1/mp/vecadd/attempt/-1", "alice").status == 400);
    CHECK(s.get("/api/v1/mp/vecadd/attempts?limit=abc", "alice").status == 400);
    // Dataset index out of range.
    const auto range =
        s.post("/api/v1/mp/vecadd/submit", "alice",
               nlohmann::json{{"program", wb::test::program_text()}, {"dataset", 99}});
    CHECK(range.status == 400);
    CHECK_THAT(range.body, Catch::Contains("out of range"));
    CHECK(s.post("/api/v1/mp/vecadd/submit", "bob",
                 nlohmann::json{{"program", wb::test::program_text()}, {"dataset", "0"}})
              .status == 400);
    CHECK(s.post("/api/v1/mp/vecadd/submit", "bob",
                 nlohmann::json{{"program", "x"}, {"name", "../../etc/passwd"}})
              .status == 400);
    // Nothing was saved or queued.
    CHECK(s.get("/api/v1/mp/vecadd/program", "alice").json()["source"] == "template");
    CHECK(s.get("/api/v1/mp/vecadd/attempts", "alice").json()["attempts"].empty());
    CHECK(s.get("/api/v1/mp/vecadd/attempts", "bob").json()["attempts"].empty());
    CHECK(s.get("/api/v1/workers", "admin").json()["queue"]["queued"] == 0);
}

TEST_CASE("submissions are rate limited per user with 429 and Retry-After") {
    Server s({"--rate-limit", "3"});
    const nlohmann::json body = {{"program", wb::test::program_text()}};
    const auto first = s.post("/api/v1/mp/vecadd/submit", "alice", body);
    REQUIRE(first.status == 202);
    const auto second = s.post("/api/v1/mp/vecadd/grade", "alice", body);
    CHECK(second.status == 429);
    CHECK(second.error_code() == "rate_limited");
    const auto retry = std::stoi(second.header("Retry-After"));
    CHECK(retry >= 1);
    CHECK(retry <= 3);
    // Another user is not limited by Alice; a refused request does not count.
    CHECK(s.post("/api/v1/mp/vecadd/submit", "bob", nlohmann::json{{"program", "  "}}).status ==
          400);
    CHECK(s.post("/api/v1/mp/vecadd/submit", "bob", body).status == 202);
}

TEST_CASE("attempts: summaries, details, and only one's own") {
    Server s({"--rate-limit", "0"});
    const auto text = wb::test::program_text(3);
    const auto sub = s.post("/api/v1/mp/vecadd/submit", "alice",
                            nlohmann::json{{"program", text}, {"dataset", 1}});
    REQUIRE(sub.status == 202);
    const auto id = sub.json()["attempt_id"].get<std::int64_t>();
    // Without a program: the saved one.
    CHECK(s.post("/api/v1/mp/vecadd/submit", "alice", nlohmann::json::object()).status == 400);
    s.post("/api/v1/mp/vecadd/save", "alice", nlohmann::json{{"program", text}});
    CHECK(s.post("/api/v1/mp/vecadd/grade", "alice", nlohmann::json::object()).status == 202);

    const auto list = s.get("/api/v1/mp/vecadd/attempts", "alice");
    REQUIRE(list.status == 200);
    const auto attempts = list.json()["attempts"];
    REQUIRE(attempts.size() == 2);
    CHECK(attempts[0]["kind"] == "grade");
    CHECK(attempts[0]["dataset"].is_null());
    CHECK(attempts[1]["id"] == id);
    CHECK(attempts[1]["dataset"] == 1);
    CHECK(attempts[1]["state"] == "queued");
    CHECK(attempts[1]["verdict"].is_null());

    const auto path = "/api/v1/mp/vecadd/attempt/" + std::to_string(id);
    const auto detail = s.get(path, "alice");
    REQUIRE(detail.status == 200);
    CHECK(detail.json()["program"] == text);
    CHECK(detail.json()["report"].is_null());
    CHECK(s.get(path, "bob").status == 404);
    CHECK(s.get(path, "ta").status == 200);
    CHECK(s.get("/api/v1/mp/vecadd/attempt/999999", "alice").status == 404);
    CHECK(s.get("/api/v1/mp/vecadd/attempts", "bob").json()["attempts"].empty());
}

TEST_CASE("mps/import: an admin uploads a bundle, bad bundles and bad paths are refused") {
    Server s({}, false);
    s.add_user("admin", "admin");
    s.add_user("alice", "student");
    const auto upload = bundle_upload(wb::test::example("histogram"));
    CHECK(s.post("/api/v1/mps/import", "alice", upload).status == 403);
    const auto ok = s.post("/api/v1/mps/import", "admin", upload);
    INFO(ok.body);
    REQUIRE(ok.status == 201);
    CHECK(ok.json()["id"] == "histogram");
    CHECK(ok.json()["version"] == 1);
    const auto again = s.post("/api/v1/mps/import", "admin", upload);
    CHECK(again.status == 200);
    CHECK(again.json()["created"] == false);
    CHECK(s.get("/api/v1/mp/histogram", "alice").status == 200);

    auto broken = upload;
    broken["files"]["mp.toml"] = base64("id = \"histogram\"\n[check\n");
    const auto bad = s.post("/api/v1/mps/import", "admin", broken);
    CHECK(bad.status == 422);
    CHECK_THAT(bad.body, Catch::Contains("mp.toml:"));
    CHECK_THAT(bad.body, !Catch::Contains("/tmp/"));

    auto escape = upload;
    escape["files"]["../../evil"] = base64("x");
    CHECK(s.post("/api/v1/mps/import", "admin", escape).status == 400);
    auto absolute = upload;
    absolute["files"]["/etc/evil"] = base64("x");
    CHECK(s.post("/api/v1/mps/import", "admin", absolute).status == 400);
    auto notb64 = upload;
    notb64["files"]["extra.txt"] = "***";
    CHECK(s.post("/api/v1/mps/import", "admin", notb64).status == 400);
    CHECK(s.get("/api/v1/mps", "alice").json()["mps"].size() == 1);
    CHECK_FALSE(std::filesystem::exists(s.wbtool().tmp() / "evil"));
}

TEST_CASE("the log route shows the last request lines to admins") {
    Server s;
    s.get("/api/v1/whoami", "bob");
    // A request's line is written just after its answer: allow a moment.
    bool seen = false;
    for (int i = 0; i < 50 && !seen; ++i) {
        const auto log = s.get("/api/v1/log?lines=50", "admin");
        REQUIRE(log.status == 200);
        const auto lines = log.json()["lines"];
        for (const auto& line : lines) {
            seen |= line.get<std::string>().find("GET /api/v1/whoami 200") != std::string::npos &&
                    line.get<std::string>().find("bob") != std::string::npos;
        }
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(seen);
    CHECK(s.get("/api/v1/log?lines=x", "admin").status == 400);
}

TEST_CASE("wbtool user: add prints the key once, names are unique, list") {
    Server s({}, false);
    auto& w = s.wbtool();
    const auto add = w({"user", "add", "zed", "--role", "ta"});
    REQUIRE(add.exit_code == 0);
    CHECK_THAT(add.out, Catch::Contains("API key:  wbk_") && Catch::Contains("password: "));
    const auto dup = w({"user", "add", "zed"});
    CHECK(dup.exit_code == 2);
    CHECK_THAT(dup.err, Catch::Contains("already exists"));
    const auto bad = w({"user", "add", "Zed!"});
    CHECK(bad.exit_code == 2);
    const auto list = w({"user", "list", "--json"});
    REQUIRE(list.exit_code == 0);
    CHECK(list.json()[0]["role"] == "ta");
    const auto key = w({"user", "key", "zed", "--json"});
    REQUIRE(key.exit_code == 0);
    const auto k = key.json()["api_key"].get<std::string>();
    CHECK(s.get("/api/v1/whoami", "", {{"Authorization", "Bearer " + k}}).json()["name"] == "zed");
}

TEST_CASE("a request path cannot forge a log line or put control bytes in the log") {
    Server s;
    const auto forged = "2026-12-02T00:00:00.000Z POST /api/v1/users 201 1.00ms admin";
    httplib::Client cli("127.0.0.1", s.port());
    cli.set_url_encode(false); // send the escapes as they are, for the server to decode
    auto r = cli.Get("/api/v1/mp/x%0A2026-12-02T00:00:00.000Z%20POST%20/api/v1/"
                     "users%20201%201.00ms%20admin%1b[31m");
    REQUIRE(r);
    CHECK(r->status == 404);
    bool seen = false;
    for (int i = 0; i < 50 && !seen; ++i) {
        const auto log = s.get("/api/v1/log?lines=50", "admin");
        REQUIRE(log.status == 200);
        const auto lines = log.json()["lines"]; // a copy: json() returns a temporary
        for (const auto& line : lines) {
            const auto text = line.get<std::string>();
            CHECK(text.find('\n') == std::string::npos);
            CHECK(text.find('\x1b') == std::string::npos);
            CHECK(text.rfind(forged, 0) != 0);
            seen |= text.find("/api/v1/mp/x\\x0a2026") != std::string::npos;
        }
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(seen);
    CHECK(s.log().find(std::string("\n") + forged) == std::string::npos);
}

TEST_CASE("a flood of logins is turned away with 503 and does not hold up API-key requests") {
    // Without the wrong-password throttle (test_hostile.cpp), which would
    // turn most of the flood away before it reaches argon2id.
    Server s({"--login-max-delay", "0"});
    constexpr int flood = 40;
    std::vector<int> statuses(flood);
    std::vector<std::string> retry(flood);
    std::vector<std::thread> threads;
    for (int i = 0; i < flood; ++i) {
        threads.emplace_back([&, i] {
            httplib::Client cli("127.0.0.1", s.port());
            cli.set_read_timeout(
                60); // a loaded machine: the answer is tested, not the client's 5 s
            auto r = cli.Post("/api/v1/login", R"({"name":"alice","password":"wrong-password"})",
                              "application/json");
            statuses[i] = r ? r->status : 0;
            retry[i] = r ? r->get_header_value("Retry-After") : "";
        });
    }
    const auto who = s.get("/api/v1/whoami", "bob");
    for (auto& t : threads)
        t.join();
    CHECK(who.status == 200);
    int refused = 0, wrong = 0;
    for (int i = 0; i < flood; ++i) {
        INFO("login " << i << ": " << statuses[i]);
        CHECK((statuses[i] == 401 || statuses[i] == 503));
        if (statuses[i] == 503) {
            ++refused;
            CHECK(retry[i] == "1");
        }
        wrong += statuses[i] == 401;
    }
    // At most a few slots' worth wait their turn; the rest are told to come back.
    CHECK(refused > 0);
    CHECK(wrong > 0);
    // And a real login still works once the flood is over.
    CHECK(s.post("/api/v1/login", "",
                 nlohmann::json{{"name", "alice"}, {"password", s.password("alice")}})
              .status == 200);
}

TEST_CASE("a route under the wrong method is 405 with Allow, an unknown path 404") {
    Server s;
    httplib::Client cli("127.0.0.1", s.port());
    auto put = cli.Put("/api/v1/whoami", "{}", "application/json");
    REQUIRE(put);
    CHECK(put->status == 405);
    CHECK(put->get_header_value("Allow") == "GET");
    CHECK_THAT(put->body,
               Catch::Contains("method_not_allowed") && Catch::Contains("takes GET, not PUT"));
    auto get_submit = cli.Get("/api/v1/mp/vecadd/submit");
    REQUIRE(get_submit);
    CHECK(get_submit->status == 405);
    CHECK(get_submit->get_header_value("Allow") == "POST");
    // curl -d without a type sends a form: a body that is not JSON says so.
    auto form = cli.Post("/api/v1/mp/vecadd/save",
                         httplib::Headers{{"Authorization", "Bearer " + s.key("alice")}},
                         std::string(20000, 'x'), "application/x-www-form-urlencoded");
    REQUIRE(form);
    CHECK(form->status == 400);
    CHECK_THAT(form->body, Catch::Contains("Content-Type: application/json"));
    // A form that holds JSON is still read as JSON.
    auto form_json =
        cli.Post("/api/v1/login", R"({"name": "alice"})", "application/x-www-form-urlencoded");
    REQUIRE(form_json);
    CHECK(form_json->status == 400);
    CHECK_THAT(form_json->body, Catch::Contains("'password'"));
    auto nowhere = cli.Get("/api/v1/nowhere");
    REQUIRE(nowhere);
    CHECK(nowhere->status == 404);
    CHECK_THAT(nowhere->body, Catch::Contains("no route GET /api/v1/nowhere"));
}

TEST_CASE("a program under the limit is taken however its JSON escapes it, and huge numbers are "
          "out of range") {
    Server s;
    // 1,000,000 bytes of UTF-8 text (under 1 MiB), every character sent as
    // \u00e9 the way some encoders write non-ASCII: a 3 MB body.
    std::string body = "{\"program\": \"int main() {}\\n//";
    for (int i = 0; i < 500000 - 16; ++i)
        body += "\\u00e9";
    body += "\"}";
    const auto saved = s.post("/api/v1/mp/vecadd/save", "alice", body);
    INFO(saved.body.substr(0, 300));
    CHECK(saved.status == 200);
    const auto huge =
        s.post("/api/v1/mp/vecadd/submit", "alice",
               std::string(R"({"program": "int main() {}", "dataset": 9999999999999999999})"));
    CHECK(huge.status == 400);
    CHECK_THAT(huge.body,
               Catch::Contains("out of range") && Catch::Contains("9999999999999999999"));
}
