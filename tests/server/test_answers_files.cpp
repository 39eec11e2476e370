// Answers to an MP's questions (POST/GET /api/v1/mp/{id}/answers, the TAs'
// /api/v1/answers.csv, `wbtool answer` and `wbtool answers`) and the
// bundle files a description references (/api/v1/mp/{id}/files/{path}),
// which never include datasets or the solution. The MP is the course
// fixture tests/e2e/courses/mini/01-vecadd (two questions, imgs/fig.png).
#include "harness.h"

#include <catch2/catch.hpp>

using wb::test::Server;

namespace {

std::filesystem::path vecadd_course_mp() {
    return wb::test::source_dir() / "tests/e2e/courses/mini/01-vecadd";
}

void import_course_mp(Server& s) {
    const auto r = s.wbtool()({"-q", "mp", "import", vecadd_course_mp().string()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

} // namespace

TEST_CASE("students answer an MP's questions, read theirs back, and TAs export them as CSV") {
    Server s;
    import_course_mp(s);
    const auto mp = s.get("/api/v1/mp/01-vecadd", "alice");
    REQUIRE(mp.status == 200);
    REQUIRE(mp.json()["questions"].size() == 2);

    const auto none = s.get("/api/v1/mp/01-vecadd/answers", "alice");
    REQUIRE(none.status == 200);
    CHECK(none.json()["answers"].empty());
    CHECK(none.json()["answered_at"].is_null());

    const nlohmann::json first = {{"answers", {"n flops", "graphics"}}};
    REQUIRE(s.post("/api/v1/mp/01-vecadd/answers", "alice", first).status == 200);
    const nlohmann::json latest = {{"answers", {"one per element", "=physics, \"and\" more"}}};
    const auto saved = s.post("/api/v1/mp/01-vecadd/answers", "alice", latest);
    REQUIRE(saved.status == 200);
    CHECK(saved.json()["answered_at"].is_string());
    REQUIRE(s.post("/api/v1/mp/01-vecadd/answers", "bob", nlohmann::json{{"answers", {"b1", "b2"}}})
                .status == 200);

    // The latest set is kept, and each user reads only their own.
    const auto mine = s.get("/api/v1/mp/01-vecadd/answers", "alice");
    REQUIRE(mine.status == 200);
    CHECK(mine.json()["answers"] == latest["answers"]);
    CHECK(mine.json()["questions"].size() == 2);
    CHECK(s.get("/api/v1/mp/01-vecadd/answers", "bob").json()["answers"][0] == "b1");

    // One answer per question, strings only; an MP without questions refuses.
    const auto short_set =
        s.post("/api/v1/mp/01-vecadd/answers", "alice", nlohmann::json{{"answers", {"x"}}});
    CHECK(short_set.status == 400);
    CHECK_THAT(short_set.body, Catch::Contains("an array of 2 strings"));
    CHECK(s.post("/api/v1/mp/01-vecadd/answers", "alice", nlohmann::json{{"answers", {1, 2}}})
              .status == 400);
    CHECK(s.post("/api/v1/mp/vecadd/answers", "alice", nlohmann::json{{"answers", {"a"}}}).status ==
          400);
    CHECK(s.post("/api/v1/mp/nope/answers", "alice", first).status == 404);

    // The export: TAs and admins only, one line per answer, spreadsheet-safe.
    CHECK(s.get("/api/v1/answers.csv?mp=01-vecadd", "alice").status == 403);
    CHECK(s.get("/api/v1/answers.csv", "ta").status == 400);
    const auto csv = s.get("/api/v1/answers.csv?mp=01-vecadd", "ta");
    REQUIRE(csv.status == 200);
    CHECK_THAT(csv.header("Content-Type"), Catch::StartsWith("text/csv"));
    CHECK_THAT(csv.body,
               Catch::StartsWith("user,mp,question,question_text,answer,answered_at\r\n"));
    CHECK_THAT(csv.body, Catch::Contains("alice,01-vecadd,2,Name one application of vector "
                                         "addition.,\"'=physics, \"\"and\"\" more\","));
    CHECK_THAT(csv.body, Catch::Contains("bob,01-vecadd,1,"));
    CHECK_THAT(csv.body, !Catch::Contains("graphics"));
}

TEST_CASE("wbtool answer sends answers from a file or a pipe, and answers exports them") {
    Server s;
    import_course_mp(s);
    const auto url = "http://127.0.0.1:" + std::to_string(s.port());
    const auto as = [&](const std::string& user, std::vector<std::string> args,
                        const std::string& input = "") {
        args.insert(args.begin(), WBTOOL_BINARY);
        const auto home = s.wbtool().tmp() / "home";
        wb::test::RunOptions o;
        o.env = {{"HOME", home.string()}, {"XDG_CONFIG_HOME", (home / ".config").string()},
                 {"WBTOOL_SERVER", url},  {"WBTOOL_API_KEY", s.key(user)},
                 {"WBTOOL_DATA", ""},     {"NO_COLOR", "1"}};
        o.input = input;
        return wb::test::run_process(args, o);
    };
    const auto file = s.wbtool().tmp() / "answers.txt";
    wb::test::write_text(file, "Two per element,\nas each\n---\nimage blending\n");
    const auto sent = as("alice", {"answer", "01-vecadd", "--file", file.string()});
    INFO(sent.out << sent.err);
    REQUIRE(sent.exit_code == 0);
    CHECK_THAT(sent.out, Catch::Contains("saved 2 answers to MP '01-vecadd'"));

    const auto shown = as("alice", {"answer", "01-vecadd", "--show"});
    REQUIRE(shown.exit_code == 0);
    CHECK_THAT(shown.out, Catch::Contains("2. Name one application of vector addition.") &&
                              Catch::Contains("image blending"));

    const auto piped = as("bob", {"answer", "01-vecadd"}, "first\nsecond\n");
    CHECK(piped.exit_code == 0);
    const auto wrong = as("bob", {"answer", "01-vecadd"}, "only one\n");
    CHECK(wrong.exit_code == 2);
    CHECK_THAT(wrong.err, Catch::Contains("asks 2 questions, and 1 answers were given"));

    const auto csv = as("ta", {"answers", "01-vecadd", "--csv"});
    REQUIRE(csv.exit_code == 0);
    CHECK_THAT(csv.out, Catch::Contains("alice,01-vecadd,1,") &&
                            Catch::Contains("\"Two per element,\nas each\"") &&
                            Catch::Contains("bob,01-vecadd,2,") && Catch::Contains("second"));
    CHECK(as("alice", {"answers", "01-vecadd", "--csv"}).exit_code == 3); // HTTP 403
}

TEST_CASE("an MP's description files are served, its datasets and solution are not") {
    Server s;
    import_course_mp(s);
    const auto fig = s.get("/api/v1/mp/01-vecadd/files/imgs/fig.png", "alice");
    REQUIRE(fig.status == 200);
    CHECK(fig.header("Content-Type") == "image/png");
    CHECK(fig.body.substr(1, 3) == "PNG");
    // The slash may be sent encoded, too.
    CHECK(s.get("/api/v1/mp/01-vecadd/files/imgs%2Ffig.png", "alice").status == 200);
    const auto desc = s.get("/api/v1/mp/01-vecadd/files/description.markdown", "alice");
    REQUIRE(desc.status == 200);
    CHECK_THAT(desc.header("Content-Type"), Catch::StartsWith("text/markdown"));
    CHECK_THAT(desc.body, Catch::Contains("imgs/fig.png"));

    CHECK(s.get("/api/v1/mp/01-vecadd/files/imgs/fig.png").status == 401);
    CHECK(fig.header("X-Content-Type-Options") == "nosniff");
    CHECK_THAT(fig.header("Content-Security-Policy"), Catch::Contains("sandbox"));
    for (const char* path : {"data/0/output.raw", "data/0/input0.raw", "solution.cpp",
                             "DATA/0/output.raw", "template.cu", "config.json"}) {
        INFO(path);
        const auto r = s.get(std::string("/api/v1/mp/01-vecadd/files/") + path, "alice");
        CHECK(r.status == 403);
        CHECK(r.error_code() == "forbidden");
    }
    CHECK(s.get("/api/v1/mp/vecadd/files/datasets/0/output.raw", "ta").status == 403);
    CHECK(s.get("/api/v1/mp/01-vecadd/files/imgs/nope.png", "alice").status == 404);
    CHECK(s.get("/api/v1/mp/01-vecadd/files/imgs/../solution.cpp", "alice").status >= 400);
    CHECK(s.get("/api/v1/mp/01-vecadd/files/imgs%2F..%2Fsolution.cpp", "alice").status == 400);
}
