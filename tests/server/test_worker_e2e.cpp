// Workers close the loop: a submission to a real `wbtool serve` is graded
// by a real worker (the one inside the server, or `wbtool worker` on a
// second data directory) and the verdict arrives, through faults: a worker
// killed in the middle of a job, a server killed and restarted, a worker
// that cannot reach its server or has the wrong key.
#include "harness.h"
#include "skip.h"
#include "text_files.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

using nlohmann::json;
using wb::test::Server;
using namespace std::chrono_literals;

namespace {

std::string solution() {
    return wb::test::slurp(wb::test::example("vecadd") / "solution.cpp");
}

// The vecadd solution, slowed down so that a test can act while it runs.
std::string slow_solution() {
    std::string s = solution();
    const auto main_at = s.find("int main(");
    REQUIRE(main_at != std::string::npos);
    const auto body = s.find('{', main_at);
    s.insert(body + 1, "\n    { volatile unsigned long spin = 0; for (unsigned long i = 0; i < "
                       "400000000ul; ++i) spin += i; }\n");
    return s;
}

// `wbtool worker` as a child process with its own data and cache, its
// stderr in a file.
class WorkerProcess {
  public:
    // `env`: NAME=value words for the worker's environment (through env(1)).
    WorkerProcess(Server& server, const std::string& name, std::vector<std::string> extra = {},
                  std::vector<std::string> env = {})
        : server_(server), name_(name), env_(std::move(env)) {
        log_ = tmp_.path() / "worker.log";
        start(std::move(extra));
    }
    ~WorkerProcess() {
        if (pid_ > 0) signal(SIGKILL), wait(10s);
    }

    void start(std::vector<std::string> extra = {}) {
        std::vector<std::string> argv = {
            WBTOOL_BINARY,
            "--data",
            (tmp_.path() / "data").string(),
            "--cache",
            (tmp_.path() / "cache").string(),
            "worker",
            "--server",
            "http://127.0.0.1:" + std::to_string(server_.port()),
            "--secret-file",
            (server_.wbtool().data_dir() / "worker.key").string(),
            "--name",
            name_,
        };
        if (std::find(extra.begin(), extra.end(), "--heartbeat") == extra.end())
            argv.insert(argv.end(), {"--heartbeat", "1"});
        argv.insert(argv.end(), extra.begin(), extra.end());
        if (!env_.empty()) {
            argv.insert(argv.begin(), env_.begin(), env_.end());
            argv.insert(argv.begin(), "/usr/bin/env");
        }
        pid_ = wb::test::spawn(std::move(argv), -1, log_, SIGKILL);
    }
    void signal(int sig) {
        if (pid_ > 0) ::kill(pid_, sig);
    }
    // The exit status, or -1 if it is still running after `limit`.
    int wait(std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        int status = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(20ms);
        }
        return -1;
    }
    std::string log() const { return wb::test::slurp(log_); }
    const std::filesystem::path& dir() const { return tmp_.path(); }

  private:
    Server& server_;
    std::string name_;
    std::vector<std::string> env_;
    wb::test::TempDir tmp_;
    std::filesystem::path log_;
    pid_t pid_ = -1;
};

std::int64_t submit(Server& s, const std::string& user, const std::string& program) {
    const auto r = s.post("/api/v1/mp/vecadd/submit", user, json{{"program", program}});
    INFO(r.body);
    REQUIRE(r.status == 202);
    return r.json()["attempt_id"].get<std::int64_t>();
}

json attempt(Server& s, std::int64_t id) {
    return s.get("/api/v1/mp/vecadd/attempt/" + std::to_string(id), "ta").json();
}

// Waits until the attempt is done; its JSON.
json wait_done(Server& s, std::int64_t id, std::chrono::seconds limit = 120s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    json a;
    while (std::chrono::steady_clock::now() < deadline) {
        a = attempt(s, id);
        if (a["state"] == "done") return a;
        std::this_thread::sleep_for(100ms);
    }
    FAIL("attempt " << id << " is still " << a.dump() << "\nserver log:\n" << s.log());
    return a;
}

void wait_state(Server& s, std::int64_t id, const std::string& state) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (attempt(s, id)["state"] == state) return;
        std::this_thread::sleep_for(50ms);
    }
    FAIL("attempt " << id << " never became " << state);
}

void check_correct(const json& a) {
    INFO(a.dump(2));
    CHECK(a["verdict"] == "correct");
    CHECK(a["correct"] == 5);
    CHECK(a["total"] == 5);
    REQUIRE(a["datasets"].size() == 5);
    for (const auto& d : a["datasets"]) {
        CHECK(d["verdict"] == "correct");
        CHECK(d.contains("cpu_s"));
        CHECK(d.contains("max_rss_kib"));
    }
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("wbtool serve alone grades a submission: its own worker closes the loop", "[worker]") {
    Server s({"--worker-slots", "1", "--rate-limit", "0"});
    const auto id = submit(s, "alice", solution());
    const auto a = wait_done(s, id);
    check_correct(a);
    CHECK_THAT(s.log(), Catch::Contains("worker: registered with http://127.0.0.1:"));

    // A wrong program is told which dataset failed, as grade --local says it.
    auto wrong = solution();
    const auto plus = wrong.find("hostInput1[i] + ");
    REQUIRE(plus != std::string::npos);
    wrong.replace(plus + 13, 3, " - ");
    const auto w = wait_done(s, submit(s, "alice", wrong));
    CHECK(w["verdict"] == "wrong_answer");
    CHECK_THAT(w["message"].get<std::string>(), Catch::StartsWith("dataset 0: "));

    // SIGTERM: the worker leaves, the server stops cleanly.
    CHECK(s.stop() == 0);
    CHECK_THAT(s.log(), Catch::Contains("worker: drained and unregistered"));
}

TEST_CASE("a remote wbtool worker on its own data directory grades, and drains on SIGTERM",
          "[worker]") {
    Server s({"--rate-limit", "0"});
    WorkerProcess w(s, "remote-1");
    const auto id = submit(s, "alice", solution());
    check_correct(wait_done(s, id));
    const auto workers = s.get("/api/v1/workers", "admin").json()["workers"];
    REQUIRE(workers.size() == 1);
    CHECK(workers[0]["id"] == "remote-1");
    const auto caps = workers[0]["capabilities"];
    CHECK_THAT(caps["toolchains"].dump(), Catch::Contains("\"cpp\""));

    w.signal(SIGTERM);
    CHECK(w.wait(30s) == 0);
    INFO(w.log());
    CHECK_THAT(w.log(), Catch::Contains("drained and unregistered"));
    CHECK(s.get("/api/v1/workers", "admin").json()["workers"].empty());
}

TEST_CASE("a worker that cannot reach its server, or has the wrong key, says so and exits 3",
          "[worker]") {
    Server s;
    {
        auto r = s.wbtool()({"worker", "--server", "http://127.0.0.1:1", "--secret-file",
                             (s.wbtool().data_dir() / "worker.key").string()});
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("cannot reach the server http://127.0.0.1:1"));
    }
    {
        const auto key = s.wbtool().tmp() / "wrong.key";
        wb::test::write_text(key, std::string(64, 'a') + "\n");
        auto r = s.wbtool()({"worker", "--server", "http://127.0.0.1:" + std::to_string(s.port()),
                             "--secret-file", key.string(), "--name", "intruder"});
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("registering worker 'intruder' was refused (401)"));
        CHECK_THAT(s.log(), Catch::Contains("worker/register 401"));
    }
}

TEST_CASE("a worker killed in the middle of a job: another one grades it, recorded once",
          "[worker]") {
    // Long enough for the second worker to grade it within one lease on a
    // loaded machine; short enough that the test does not wait long.
    Server s({"--rate-limit", "0", "--lease-seconds", "12"});
    const auto id = submit(s, "alice", slow_solution());
    WorkerProcess first(s, "first");
    wait_state(s, id, "running");
    first.signal(SIGKILL);
    CHECK(first.wait(10s) == 128 + SIGKILL);

    WorkerProcess second(s, "second");
    const auto a = wait_done(s, id);
    check_correct(a);
    // The first worker's lease ran out; only the second delivered.
    CHECK(count(second.log(), "report delivered") == 1);
    CHECK(count(first.log(), "report delivered") == 0);
}

TEST_CASE("the server killed and restarted while a worker grades: the report arrives once",
          "[worker]") {
    Server s({"--rate-limit", "0"});
    const int port = s.port();
    WorkerProcess w(s, "steady");
    const auto id = submit(s, "alice", slow_solution());
    // Killed once the worker has the MP and runs the program.
    const auto deadline_run = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline_run &&
           !std::filesystem::exists(w.dir() / "cache/programs"))
        std::this_thread::sleep_for(50ms);
    std::this_thread::sleep_for(300ms);
    s.kill9();
    // The worker finishes, cannot deliver, and keeps the report.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline &&
           w.log().find("kept to deliver later") == std::string::npos)
        std::this_thread::sleep_for(100ms);
    INFO(w.log());
    REQUIRE_THAT(w.log(), Catch::Contains("kept to deliver later"));
    CHECK_FALSE(std::filesystem::is_empty(w.dir() / "cache/outbox"));

    // Down long enough for the worker's own retries to give up (the issue's
    // network cut): it keeps the report and delivers it after.
    std::this_thread::sleep_for(20s);
    s.start(port);
    const auto a = wait_done(s, id);
    check_correct(a);
    std::this_thread::sleep_for(1500ms); // a heartbeat or two: nothing more to deliver
    CHECK(count(w.log(), "report delivered") == 1);
    CHECK(std::filesystem::is_empty(w.dir() / "cache/outbox"));
}

namespace {

json worker_state(Server& s, const std::string& id) {
    const auto all = s.get("/api/v1/workers", "admin").json();
    for (const auto& w : all["workers"])
        if (w["id"] == id) return w;
    return nullptr;
}

void wait_worker_state(Server& s, const WorkerProcess& process, const std::string& id,
                       const std::string& state, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    json w;
    while (std::chrono::steady_clock::now() < deadline) {
        w = worker_state(s, id);
        if (w.is_object() && w["state"] == state) return;
        std::this_thread::sleep_for(100ms);
    }
    FAIL("worker " << id << " never became " << state << ": " << w.dump() << "\nits log:\n"
                   << process.log() << "\nthe server's:\n"
                   << s.log());
}

} // namespace

TEST_CASE("a stopped worker turns stale and gets no jobs, continued, it is alive again",
          "[worker]") {
    Server s({"--rate-limit", "0", "--worker-stale", "3"});
    WorkerProcess w(s, "sleepy");
    wait_worker_state(s, w, "sleepy", "alive", 30s);
    w.signal(SIGSTOP);
    wait_worker_state(s, w, "sleepy", "stale", 10s);
    // Its parked poll may still hold a lease for a submission made now; the
    // lease runs out and the job waits for a live worker either way.
    w.signal(SIGCONT);
    wait_worker_state(s, w, "sleepy", "alive", 10s);
    check_correct(wait_done(s, submit(s, "alice", solution())));
}

TEST_CASE("two workers and 100 submissions: each graded exactly once, both workers used",
          "[worker]") {
    Server s({"--rate-limit", "0"});
    WorkerProcess one(s, "one");
    WorkerProcess two(s, "two");
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 100; ++i)
        ids.push_back(submit(s, i % 2 ? "alice" : "bob",
                             solution() + "// submission " + std::to_string(i % 10) + "\n"));
    std::map<std::string, int> by_worker;
    for (const auto id : ids) {
        const auto a = wait_done(s, id, 300s);
        CHECK(a["verdict"] == "correct");
        by_worker[a["worker"].get<std::string>()]++;
    }
    CHECK(by_worker["one"] + by_worker["two"] == 100);
    CHECK(by_worker["one"] > 0);
    CHECK(by_worker["two"] > 0);
    // Each report was delivered once, and none was a duplicate.
    CHECK(count(one.log(), "report delivered") + count(two.log(), "report delivered") == 100);
    CHECK(count(one.log() + two.log(), "already recorded") == 0);
}

TEST_CASE("an admin drains a worker through the API: it finishes, leaves and exits 0", "[worker]") {
    Server s({"--rate-limit", "0"});
    WorkerProcess w(s, "leaving");
    wait_worker_state(s, w, "leaving", "alive", 30s);
    const auto r = s.post("/api/v1/worker/leaving/drain", "admin", json::object());
    REQUIRE(r.status == 200);
    CHECK(w.wait(30s) == 0);
    INFO(w.log());
    CHECK_THAT(w.log(), Catch::Contains("the server asks this worker to drain") &&
                            Catch::Contains("drained and unregistered"));
    CHECK(worker_state(s, "leaving").is_null());
}

TEST_CASE("a worker that requires more isolation than it can give refuses to start", "[worker]") {
    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    if (access("/usr/bin/setpriv", X_OK) != 0) wb::test::skip("needs setpriv");
    Server s;
    wb::test::TempDir tmp;
    const auto key = tmp / "worker.key";
    wb::test::write_text(key, wb::test::slurp(s.wbtool().data_dir() / "worker.key"));
    REQUIRE(
        wb::test::run_process({"/bin/chown", "-R", "65534:65534", tmp.path().string()}).exit_code ==
        0);
    const auto run = wb::test::run_process(
        {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", WBTOOL_BINARY,
         "--cache", (tmp / "cache").string(), "worker", "--server",
         "http://127.0.0.1:" + std::to_string(s.port()), "--secret-file", key.string()},
        tmp.path());
    INFO(run.err);
    CHECK(run.exit_code == 4);
    CHECK_THAT(run.err, Catch::Contains("refused: this run needs full isolation"));
    CHECK(worker_state(s, "nobody").is_null());
}

TEST_CASE("a worker opens another slot when five jobs wait per busy slot", "[worker]") {
    Server s({"--rate-limit", "0"});
    for (int i = 0; i < 12; ++i)
        submit(s, "alice", slow_solution() + "// " + std::to_string(i) + "\n");
    WorkerProcess w(s, "elastic", {"--slots", "1", "--max-slots", "2"});
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline &&
           w.log().find("opening another slot") == std::string::npos)
        std::this_thread::sleep_for(100ms);
    INFO(w.log());
    CHECK_THAT(w.log(), Catch::Contains("jobs queued: opening another slot"));
    // Both slots grade at once: two attempts running together.
    bool two = false;
    while (std::chrono::steady_clock::now() < deadline && !two) {
        const auto list = s.get("/api/v1/mp/vecadd/attempts?user=alice", "ta").json();
        int running = 0;
        for (const auto& a : list["attempts"])
            running += a["state"] == "running";
        two = running == 2;
        std::this_thread::sleep_for(50ms);
    }
    CHECK(two);
}

TEST_CASE("a worker heartbeats as often as its server asks, whatever its own interval",
          "[worker]") {
    Server s({"--rate-limit", "0", "--worker-stale", "3"});
    WorkerProcess w(s, "patient", {"--heartbeat", "60"});
    wait_worker_state(s, w, "patient", "alive", 30s);
    // Past the 3 s window several times over: it is still heard from.
    for (int i = 0; i < 6; ++i) {
        std::this_thread::sleep_for(1s);
        CHECK(worker_state(s, "patient")["state"] == "alive");
    }
}

TEST_CASE("a worker whose GPU fails its check is gpu_unhealthy, says why, and gets no CUDA job",
          "[worker][gpu]") {
    Server s({"--rate-limit", "0"});
    const auto import = s.wbtool()({"mp", "import", wb::test::example("vecadd-cuda").string()});
    REQUIRE(import.exit_code == 0);
    WorkerProcess w(
        s, "gpu-1", {},
        {std::string("LD_LIBRARY_PATH=") + FAKE_LIBCUDA_DIR, "WBTOOL_FAKE_CUDA=launch_error"});
    json worker;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto list = s.get("/api/v1/workers", "admin").json()["workers"];
        if (!list.empty() && list[0]["state"] == "gpu_unhealthy") {
            worker = list[0];
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    INFO(w.log());
    REQUIRE(worker.is_object());
    CHECK(worker["capabilities"]["gpu"] == true);
    CHECK(worker["gpu_ok"] == false);
    CHECK(worker["gpu_reason"] ==
          "device 0 (Fake GPU): launch: CUDA_ERROR_LAUNCH_FAILED: unspecified launch failure");
    CHECK_THAT(w.log(), Catch::Contains("GPU check failed, no CUDA jobs until it passes"));

    // The CUDA attempt waits; a C++ one is graded by the same worker.
    const auto cuda = s.post(
        "/api/v1/mp/vecadd-cuda/submit", "alice",
        json{{"program", wb::test::slurp(wb::test::example("vecadd-cuda") / "solution.cu")}});
    REQUIRE(cuda.status == 202);
    const auto cuda_id = cuda.json()["attempt_id"].get<std::int64_t>();
    check_correct(wait_done(s, submit(s, "bob", solution())));
    const auto waiting =
        s.get("/api/v1/mp/vecadd-cuda/attempt/" + std::to_string(cuda_id), "ta").json();
    CHECK(waiting["state"] == "queued");
}
