// The client commands end to end: a student and a TA drive a real `wbtool
// serve`, with its own worker, through the `wbtool` binary alone (signup,
// login, program, save, submit, attempts, grades), each with a config
// directory of their own (XDG_CONFIG_HOME in a temporary directory, never
// the real home). Plus every exit code, the precedence of flags,
// environment and config file, the --json fields, and the credentials
// file's mode.
#include "grade_helpers.h"
#include "harness.h"
#include "png_read.h"
#include "text_files.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <netinet/in.h>
#include <string>
#include <thread>
#include <vector>

using nlohmann::json;
using wb::test::Run;
using wb::test::Server;

namespace {

// One user's command line: its own HOME and XDG_CONFIG_HOME, and nothing
// of the test's environment that would point it elsewhere.
class Cli {
  public:
    explicit Cli(std::string server) : server_(std::move(server)) {}

    Run operator()(std::vector<std::string> args, const std::string& input = {},
                   std::vector<std::pair<std::string, std::string>> env = {}) const {
        args.insert(args.begin(), WBTOOL_BINARY);
        std::vector<std::pair<std::string, std::string>> all = {
            {"HOME", home_.path().string()},
            {"XDG_CONFIG_HOME", config_dir().string()},
            {"WBTOOL_SERVER", ""},
            {"WBTOOL_API_KEY", ""},
            {"WBTOOL_DATA", ""},
            {"NO_COLOR", "1"}};
        all.insert(all.end(), env.begin(), env.end());
        return wb::test::run_process(args, wb::test::RunOptions{{}, all, input});
    }
    // `wbtool ARGS --server URL`
    Run at(std::vector<std::string> args, const std::string& input = {}) const {
        args.insert(args.end(), {"--server", server_});
        return (*this)(args, input);
    }
    std::filesystem::path config_dir() const { return home_ / "config"; }
    std::filesystem::path credentials() const { return config_dir() / "wbtool/credentials.toml"; }
    const std::string& server() const { return server_; }
    std::filesystem::path file(const std::string& name, const std::string& text) const {
        const auto p = home_ / name;
        wb::test::write_text(p, text);
        return p;
    }

  private:
    std::string server_;
    wb::test::TempDir home_;
};

std::string url(const Server& s) {
    return "http://127.0.0.1:" + std::to_string(s.port());
}

std::string solution() {
    return wb::test::slurp(wb::test::example("vecadd") / "solution.cpp");
}

std::string wrong_solution() {
    auto wrong = solution();
    const auto plus = wrong.find("hostInput1[i] + ");
    REQUIRE(plus != std::string::npos);
    wrong.replace(plus + 13, 3, " - ");
    return wrong;
}

// A port on which nothing listens.
int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

void require_ok(const Run& r) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
}

} // namespace

TEST_CASE("a student and a TA use a server through the command line alone", "[client]") {
    Server s({"--worker-slots", "1"});
    Cli student(url(s));

    // signup: an account and a key, stored 0600.
    auto r = student.at({"signup", "--user", "carol", "--password-stdin"}, "a long password\n");
    require_ok(r);
    CHECK_THAT(r.out, Catch::Contains("signed up on " + url(s) + " as carol"));
    struct stat st {};
    REQUIRE(::stat(student.credentials().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_THAT(wb::test::slurp(student.credentials()), Catch::Contains("api_key"));

    // login (a new key), then every command finds the server by itself.
    r = student.at({"login", "--user", "carol", "--password-stdin", "--json"}, "a long password\n");
    require_ok(r);
    CHECK(r.json()["user"]["name"] == "carol");
    CHECK(r.json()["server"] == url(s));
    r = student({"whoami", "--json"});
    require_ok(r);
    const auto me = r.json();
    CHECK(me["name"] == "carol");
    CHECK(me["role"] == "student");
    CHECK(me["auth"] == "api_key");
    CHECK(me["server"] == url(s));

    // program: the template until a program is saved.
    const auto templ = wb::test::slurp(wb::test::example("vecadd") / "template.cpp");
    r = student({"program", "vecadd"});
    require_ok(r);
    CHECK(r.out == templ);
    const auto wrong = student.file("wrong.cpp", wrong_solution());
    const auto right = student.file("solution.cpp", solution());
    require_ok(student({"save", "vecadd", wrong.string()}));
    const auto fetched = student.file("fetched.cpp", "");
    require_ok(student({"program", "vecadd", "-o", fetched.string()}));
    CHECK(wb::test::slurp(fetched) == wrong_solution());

    // A wrong program: wrong_answer with the mismatch, exit 1.
    r = student({"submit", "vecadd", wrong.string(), "--wait"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("wrong_answer"));
    CHECK_THAT(r.out, Catch::Contains("expected"));
    // The right one, past the server's rate limit (waited out): exit 0,
    // the table `grade --local` prints.
    r = student({"submit", "vecadd", right.string(), "--wait"});
    require_ok(r);
    CHECK_THAT(r.out, Catch::Contains("dataset  verdict"));
    CHECK_THAT(r.out, Catch::Contains("vecadd: correct ("));
    const auto local = wb::test::run_process(
        {WBTOOL_BINARY, "--cache", (s.wbtool().tmp() / "local-cache").string(), "grade", "--local",
         wb::test::example("vecadd").string(), right.string()});
    CHECK(local.out.substr(0, local.out.find('\n')) == r.out.substr(0, r.out.find('\n')));

    // attempts: newest first, as JSON and as tab-separated lines when piped.
    r = student({"attempts", "vecadd", "--json"});
    require_ok(r);
    const auto list = r.json()["attempts"];
    REQUIRE(list.size() == 2);
    CHECK(list[0]["verdict"] == "correct");
    CHECK(list[1]["verdict"] == "wrong_answer");
    CHECK(list[0]["user"] == "carol");
    CHECK(list[0]["state"] == "done");
    const auto correct_id = list[0]["id"].get<std::int64_t>();
    r = student({"attempts", "vecadd"});
    require_ok(r);
    CHECK_THAT(r.out,
               Catch::StartsWith(std::to_string(correct_id) + "\tsubmit\tall\tdone\tcorrect"));

    // attempt show: verdicts, statistics, program.
    r = student({"attempt", "show", std::to_string(correct_id), "--json"});
    require_ok(r);
    const auto shown = r.json();
    CHECK(shown["id"] == correct_id);
    CHECK(shown["mp"] == "vecadd");
    CHECK(shown["kind"] == "submit");
    CHECK(shown["verdict"] == "correct");
    CHECK(shown["program"] == solution());
    CHECK(shown["program_name"] == "solution.cpp");
    CHECK(shown["correct"] == shown["total"]);
    REQUIRE(shown["datasets"].size() == shown["total"].get<std::size_t>());
    CHECK(shown["datasets"][0]["verdict"] == "correct");
    CHECK(shown["datasets"][0].contains("cpu_s"));
    CHECK(shown["report"]["verdict"] == "correct");
    r = student({"attempt", "show", std::to_string(list[1]["id"].get<std::int64_t>())});
    require_ok(r);
    CHECK_THAT(r.out, Catch::Contains("wrong_answer"));
    CHECK_THAT(r.out, Catch::Contains("program wrong.cpp"));

    // submit without --wait prints the id alone.
    r = student({"submit", "vecadd", right.string(), "--dataset", "1"});
    require_ok(r);
    CHECK(std::stoll(r.out) > correct_id);

    // grade: a server-side preview, reported as `grade --local --json` does.
    r = student({"grade", "vecadd", right.string(), "--json"});
    require_ok(r);
    const auto graded = r.json();
    CHECK(graded["verdict"] == "correct");
    CHECK(graded["mp"] == "vecadd");
    CHECK(graded["program"] == "solution.cpp");
    CHECK(graded["attempt_id"].get<std::int64_t>() > correct_id);
    CHECK(graded["datasets"].size() == shown["datasets"].size());

    // The TA: logged in with the account `wbtool user add` made.
    Cli ta(url(s));
    require_ok(ta.at({"login", "-u", "ta", "--password-stdin"}, s.password("ta") + "\n"));
    r = ta({"grades", "--csv"});
    require_ok(r);
    CHECK_THAT(r.out, Catch::StartsWith("user,mp,correct,total,score,verdict,attempts"));
    CHECK_THAT(r.out, Catch::Contains("carol,vecadd,"));
    r = ta({"grades", "--mp", "vecadd", "--json"});
    require_ok(r);
    const auto grades = r.json()["grades"];
    REQUIRE(grades.size() == 1);
    CHECK(grades[0]["user"] == "carol");
    CHECK(grades[0]["verdict"] == "correct");
    CHECK(grades[0]["score"] == 1.0);
    CHECK(grades[0]["attempts"] == 2);
    r = ta({"workers", "--json"});
    require_ok(r);
    REQUIRE(r.json()["workers"].size() == 1);
    CHECK(r.json()["workers"][0]["state"] == "alive");
    r = ta({"mp", "list", "--json"});
    require_ok(r);
    CHECK(r.json()[0]["id"] == "vecadd");

    // A student may not export grades: the server's 403 is exit 3.
    r = student({"grades", "--csv"});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("HTTP 403"));

    // logout: the key is revoked and forgotten.
    require_ok(student({"logout"}));
    r = student({"whoami"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("wbtool login"));
}

TEST_CASE("client exit codes: usage 2, no server 2, unreachable 3, refused key 3", "[client]") {
    Cli cli("");
    auto r = cli({"submit", "vecadd"});
    CHECK(r.exit_code == 2);
    r = cli({"whoami"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("wbtool: error: no server: pass --server URL, set "
                                        "WBTOOL_SERVER, put `server = \"URL\"` in " +
                                        (cli.config_dir() / "wbtool/config.toml").string()));
    r = cli({"whoami", "--server", "http://127.0.0.1:1"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("no API key for http://127.0.0.1:1"));

    const auto closed = "http://127.0.0.1:" + std::to_string(closed_port());
    r = cli({"whoami", "--server", closed, "--json"}, {}, {{"WBTOOL_API_KEY", "k"}});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::StartsWith("wbtool: error: GET " + closed + "/api/v1/whoami: "));
    CHECK(r.json()["error"]["code"] == "network");
    CHECK(r.json()["error"]["exit_code"] == 3);

    Server s;
    r = cli({"whoami", "--server", url(s)}, {}, {{"WBTOOL_API_KEY", "not-a-key"}});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("GET " + url(s) + "/api/v1/whoami: HTTP 401"));
    CHECK_THAT(r.err, Catch::Contains("from WBTOOL_API_KEY is not accepted"));
    r = cli({"program", "nosuchmp", "--server", url(s)}, {}, {{"WBTOOL_API_KEY", s.key("alice")}});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("HTTP 404"));
}

TEST_CASE("the server and key: flag, then environment, then config.toml, then the login",
          "[client]") {
    Server s;
    Cli cli(url(s));
    const auto closed = "http://127.0.0.1:" + std::to_string(closed_port());
    const std::vector<std::pair<std::string, std::string>> env_key = {
        {"WBTOOL_API_KEY", s.key("alice")}};
    const auto config = cli.config_dir() / "wbtool/config.toml";

    // config.toml alone.
    wb::test::write_text(config,
                         "server = \"" + url(s) + "\"\napi_key = \"" + s.key("bob") + "\"\n");
    auto r = cli({"whoami", "--json"});
    require_ok(r);
    CHECK(r.json()["name"] == "bob");
    // The environment beats the file, for the key and the server.
    r = cli({"whoami", "--json"}, {}, env_key);
    require_ok(r);
    CHECK(r.json()["name"] == "alice");
    wb::test::write_text(config, "server = \"" + closed + "\"\n");
    r = cli({"whoami", "--json"}, {}, {{"WBTOOL_SERVER", url(s)}, env_key[0]});
    require_ok(r);
    CHECK(r.json()["server"] == url(s));
    // The flag beats the environment.
    r = cli({"whoami", "--server", closed}, {}, {{"WBTOOL_SERVER", url(s)}, env_key[0]});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains(closed));

    // The login's key is the last resort: config.toml's api_key beats it.
    std::filesystem::remove(config);
    require_ok(
        cli.at({"login", "--user", "alice", "--password-stdin"}, s.password("alice") + "\n"));
    r = cli({"whoami", "--json"});
    require_ok(r);
    CHECK(r.json()["name"] == "alice");
    wb::test::write_text(config, "api_key = \"" + s.key("bob") + "\"\n");
    r = cli({"whoami", "--json"});
    require_ok(r);
    CHECK(r.json()["name"] == "bob");
    // A broken config file is named with its line, not ignored.
    wb::test::write_text(config, "server = \n");
    r = cli({"whoami"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(config.string() + ":1:"));
}

TEST_CASE("submit --wait says which dataset of how many is running", "[client]") {
    Server s({"--worker-slots", "1", "--rate-limit", "0"});
    Cli student(url(s));
    require_ok(student.at({"signup", "--user", "dave", "--password-stdin"}, "a long password\n"));
    // The vecadd solution, each run slowed down by a busy loop: about 0.8 s
    // a dataset here, so that the polls (0.2, 0.6, 1.4, 3 s, then every 2 s)
    // land on a running dataset however long the compile took. At 0.4 s,
    // all five once ran between two polls.
    auto slow = solution();
    const auto body = slow.find('{', slow.find("int main("));
    REQUIRE(body != std::string::npos);
    slow.insert(body + 1, "\n    { volatile unsigned long spin = 0; for (unsigned long i = 0; i < "
                          "1800000000ul; ++i) spin += i; }\n");
    const auto r = student({"submit", "vecadd", student.file("slow.cpp", slow).string(), "--wait"});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    // Graded, whatever the verdict: on a loaded machine the busy loop may
    // pass the CPU limit (time_limit, exit 1); what is checked is the progress.
    CHECK((r.exit_code == 0 || r.exit_code == 1));
    CHECK_THAT(r.out, Catch::Contains("vecadd: "));
    // Polled, it sees some of the datasets start; each line names one of five.
    CHECK_THAT(r.err,
               Catch::Contains("running on embedded (dataset ") && Catch::Contains(" of 5)"));
}

TEST_CASE("a wrong image answer's picture goes from the worker to `attempt show --diff-dir`",
          "[client]") {
    Server s({"--worker-slots", "1"});
    Cli cli(url(s));
    const auto as = [&](const std::string& user) {
        return std::vector<std::pair<std::string, std::string>>{{"WBTOOL_SERVER", url(s)},
                                                                {"WBTOOL_API_KEY", s.key(user)}};
    };
    require_ok(
        cli({"-q", "mp", "import", wb::test::example("grayscale").string()}, {}, as("admin")));

    // A wrong program: its message names the command that fetches the picture.
    const auto wrong = cli.file("wrong.cpp", wb::test::grayscale_wrong_program());
    auto r = cli({"submit", "grayscale", wrong.string(), "--wait"}, {}, as("alice"));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("difference picture: `wbtool attempt show"));
    r = cli({"attempts", "grayscale", "--json"}, {}, as("alice"));
    require_ok(r);
    const auto id = r.json()["attempts"][0]["id"].get<std::int64_t>();

    // The attempt names the route of each picture and does not inline it.
    r = cli({"attempt", "show", std::to_string(id), "--json"}, {}, as("alice"));
    require_ok(r);
    const auto shown = r.json();
    const auto route = "/api/v1/attempt/" + std::to_string(id) + "/diff/1";
    CHECK(shown["datasets"][1]["diff_png"] == route);
    CHECK_FALSE(shown["datasets"][1].contains("diff_png_base64"));
    CHECK_FALSE(shown["report"]["datasets"][1].contains("diff_png_base64"));

    // attempt show --diff-dir writes the PNG the worker drew.
    const auto dir = cli.config_dir().parent_path() / "diffs";
    r = cli({"attempt", "show", std::to_string(id), "--diff-dir", dir.string()}, {}, as("alice"));
    require_ok(r);
    const auto file = dir / ("grayscale-attempt-" + std::to_string(id) + "-dataset-1.png");
    CHECK_THAT(r.err, Catch::Contains("wrote " + file.string()));
    const auto bytes = wb::test::slurp(file);
    CHECK(wb::test::has_png_signature(bytes));
    const auto png = wb::test::read_png(bytes);
    REQUIRE(png);
    CHECK(png->width == 3 * 16 + 2 * 2);
    CHECK(png->height == 8);
    CHECK(png->pixel(2 * (16 + 2), 0) == std::vector<std::uint8_t>{255, 0, 0});

    // The route: the owner and staff get image/png; another student, 404.
    auto reply = s.get(route, "alice");
    CHECK(reply.status == 200);
    CHECK(reply.body == bytes);
    CHECK(s.get(route, "ta").status == 200);
    CHECK(s.get(route, "bob").status == 404);
    CHECK(s.get("/api/v1/attempt/" + std::to_string(id) + "/diff/0", "alice").status ==
          (shown["datasets"][0]["verdict"] == "wrong_answer" ? 200 : 404));
}

// Reaps `pid` within `limit`; its exit status, or -1 (then it is killed).
static int wait_exit(pid_t pid, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return -1;
}

TEST_CASE("submit --wait waits through a server killed and restarted", "[client]") {
    Server s({"--rate-limit", "0"}); // no worker yet: the attempt waits in the queue
    const int port = s.port();
    Cli student(url(s));
    require_ok(student.at({"signup", "--user", "erin", "--password-stdin"}, "a long password\n"));
    const auto program = student.file("solution.cpp", solution());
    wb::test::TempDir tmp;
    const auto log = tmp / "submit.log";
    const pid_t waiting = wb::test::spawn(
        {"/usr/bin/env", "XDG_CONFIG_HOME=" + student.config_dir().string(), "NO_COLOR=1",
         WBTOOL_BINARY, "submit", "vecadd", program.string(), "--wait"},
        -1, log, SIGKILL);
    const auto queued = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < queued &&
           wb::test::slurp(log).find("queued") == std::string::npos)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE_THAT(wb::test::slurp(log), Catch::Contains("queued"));

    s.kill9();
    std::this_thread::sleep_for(std::chrono::seconds(3)); // --wait finds nobody there
    s.start(port);
    const pid_t worker = wb::test::spawn(
        {WBTOOL_BINARY, "--data", (tmp / "data").string(), "--cache", (tmp / "cache").string(),
         "worker", "--server", url(s), "--secret-file",
         (s.wbtool().data_dir() / "worker.key").string(), "--name", "after", "--heartbeat", "1"},
        -1, tmp / "worker.log", SIGKILL);
    const int code = wait_exit(waiting, std::chrono::seconds(180));
    ::kill(worker, SIGTERM);
    wait_exit(worker, std::chrono::seconds(30));
    INFO(wb::test::slurp(log) << "\nworker:\n" << wb::test::slurp(tmp / "worker.log"));
    CHECK(code == 0);
    CHECK_THAT(wb::test::slurp(log), Catch::Contains("vecadd: correct (5/5 datasets correct)"));
}

TEST_CASE("a WebGPU lab's points and lateness reach the grades a TA exports", "[client]") {
    Server s({"--worker-slots", "1", "--rate-limit", "0"});
    Cli admin(url(s));
    require_ok(admin.at({"login", "-u", "admin", "--password-stdin"}, s.password("admin") + "\n"));
    const auto lab = wb::test::source_dir() / "tests/e2e/webgpu/vecadd-acc";
    auto r = admin({"mp", "import", lab.string()});
    require_ok(r);
    INFO(r.out << r.err);
    CHECK_THAT(r.out, Catch::Contains("imported vecadd-acc version 1"));

    Cli student(url(s));
    require_ok(student.at({"signup", "--user", "erin", "--password-stdin"}, "a long password\n"));
    // Its coding deadline passed in 2015: graded, and marked late.
    r = student({"submit", "vecadd-acc", (lab / "template.cu").string(), "--wait"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("20 of 100 points"));
    r = student({"submit", "vecadd-acc", (lab / "solution.cpp").string(), "--wait"});
    require_ok(r);
    CHECK_THAT(r.out, Catch::Contains("100 of 100 points"));
    r = student({"attempts", "vecadd-acc", "--json"});
    require_ok(r);
    const auto list = r.json()["attempts"];
    REQUIRE(list.size() == 2);
    CHECK(list[0]["points"] == 100); // counted by the server, not taken from the worker
    CHECK(list[1]["points"] == 20);
    CHECK(list[0]["max_points"] == 100);
    CHECK(list[0]["late"] == true);

    Cli ta(url(s));
    require_ok(ta.at({"login", "-u", "ta", "--password-stdin"}, s.password("ta") + "\n"));
    r = ta({"grades", "--csv"});
    require_ok(r);
    CHECK_THAT(r.out, Catch::Contains(",points,max_points,late\r\n"));
    CHECK_THAT(r.out, Catch::Contains("erin,vecadd-acc,2,2,1.0000,correct,2,") &&
                          Catch::Contains(",100,100,yes\r\n"));
    r = ta({"grades", "--mp", "vecadd-acc"});
    require_ok(r);
    CHECK_THAT(r.out, Catch::Contains("100/100 late"));
}

TEST_CASE("a program of two files and a header is saved then submitted and graded correct",
          "[client]") {
    Server s({"--worker-slots", "1", "--rate-limit", "0"});
    Cli student(url(s));
    require_ok(student.at({"signup", "--user", "erin", "--password-stdin"}, "a long password\n"));
    // The vecadd solution that also calls a function of a second file.
    const auto main = student.file(
        "main.cpp", "#include \"extra.h\"\nstatic int unused = extra_value();\n" + solution());
    const auto extra =
        student.file("extra.cpp", "#include \"extra.h\"\nint extra_value() { return 42; }\n");
    const auto header = student.file("extra.h", "#pragma once\nint extra_value();\n");
    require_ok(student({"save", "vecadd", main.string(), extra.string(), header.string()}));
    auto r = student({"program", "vecadd"});
    require_ok(r);
    CHECK_THAT(r.out, Catch::Contains("==> extra.cpp <==\n#include \"extra.h\"") &&
                          Catch::Contains("==> main.cpp <==\n"));
    const auto out = s.wbtool().tmp() / "fetched";
    require_ok(student({"program", "vecadd", "-o", out.string()}));
    CHECK(wb::test::slurp(out / "extra.h") == "#pragma once\nint extra_value();\n");

    r = student({"submit", "vecadd", main.string(), extra.string(), header.string(), "--wait"});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("vecadd: correct ("));
    // A compile error names the file it is in.
    const auto broken = student.file("extra.cpp", "#include \"extra.h\"\nint extra_value() { "
                                                  "return y; }\n");
    r = student({"submit", "vecadd", main.string(), broken.string(), header.string(), "--wait"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("extra.cpp:2:"));
}
