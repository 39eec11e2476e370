// Nothing is left behind: no process of the tree (even one in a session of
// its own), no zombie, no descriptor in wbtool; several runs at once from
// several threads do not disturb each other.
#include "sandbox_test.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

using namespace wb::sandbox;
using wb::test::program;

namespace {

pid_t read_pid(const std::filesystem::path& file) {
    std::string text = wb::test::slurp(file);
    return text.empty() ? -1 : static_cast<pid_t>(std::stol(text));
}

bool gone(pid_t pid) {
    return kill(pid, 0) == -1 && errno == ESRCH;
}

} // namespace

TEST_CASE("a daemon left in the process group is killed and reaped", "[sandbox][cleanup]") {
    wb::test::TempDir dir;
    Result r = run(wb::test::test_policy(dir), {program("daemon"), (dir / "pid").string()});
    CHECK(r.status == Status::ok);
    pid_t pid = read_pid(dir / "pid");
    REQUIRE(pid > 0);
    CHECK(gone(pid));
}

TEST_CASE("a daemon in a session of its own is killed and reaped", "[sandbox][cleanup]") {
    wb::test::TempDir dir;
    Result r =
        run(wb::test::test_policy(dir), {program("daemon"), (dir / "pid").string(), "setsid"});
    CHECK(r.status == Status::ok);
    pid_t pid = read_pid(dir / "pid");
    REQUIRE(pid > 0);
    CHECK(gone(pid));
}

TEST_CASE("a daemon holding discarded output does not hold up the run", "[sandbox][cleanup]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.stdout_path.clear();
    p.stderr_path.clear();
    Result r = run(p, {program("daemon"), (dir / "pid").string()});
    CHECK(r.status == Status::ok);
    CHECK(r.wall_s < 3);
    pid_t pid = read_pid(dir / "pid");
    REQUIRE(pid > 0);
    CHECK(gone(pid));
}

TEST_CASE("a program that kills the keeper is stopped and reported", "[sandbox][cleanup]") {
    wb::test::TempDir dir;
    Result r = run(wb::test::test_policy(dir), {program("kill_keeper")});
    CHECK(r.status == Status::internal_error);
    CHECK(r.message == "the sandbox keeper ended without a report (it was killed by signal 9)");
    CHECK(waitpid(-1, nullptr, WNOHANG) == -1);
}

TEST_CASE("no zombie and no descriptor is left in the caller", "[sandbox][cleanup]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    run(p, {program("exit_code"), "0"}); // warm-up: libraries open what they keep
    const int before = wb::test::open_fd_count();

    run(p, {program("exit_code"), "1"});
    run(p, {"/nonexistent/prog"});
    run(p, {});
    auto bad_stdin = p;
    bad_stdin.stdin_path = dir / "absent";
    run(bad_stdin, {program("exit_code")});
    auto discard = p;
    discard.stdout_path.clear();
    discard.stderr_path.clear();
    run(discard, {program("flood"), "both", "100000"});
    run(discard, {program("daemon"), (dir / "pid").string()});
    auto short_wall = p;
    short_wall.limits.wall_s = 0.2;
    run(short_wall, {program("sleeper")});

    CHECK(wb::test::open_fd_count() == before);
    CHECK(waitpid(-1, nullptr, WNOHANG) == -1);
    CHECK(errno == ECHILD);
}

TEST_CASE("runs on several threads at once each get their own result", "[sandbox][cleanup]") {
    wb::test::TempDir dir;
    const int before = wb::test::open_fd_count();
    constexpr int threads = 4, runs = 5;
    std::vector<std::vector<Result>> results(threads);
    std::vector<std::unique_ptr<wb::test::TempDir>> dirs;
    for (int t = 0; t < threads; ++t)
        dirs.push_back(std::make_unique<wb::test::TempDir>());
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                auto p = wb::test::test_policy(*dirs[t]);
                for (int i = 0; i < runs; ++i)
                    results[t].push_back(
                        run(p, {program("exit_code"), std::to_string(10 * t + i)}));
            });
    }
    for (int t = 0; t < threads; ++t)
        for (int i = 0; i < runs; ++i) {
            INFO("thread " << t << " run " << i << ": " << results[t][i].message);
            CHECK(results[t][i].exit_code == 10 * t + i);
            CHECK(results[t][i].status == (10 * t + i == 0 ? Status::ok : Status::runtime_error));
        }
    CHECK(wb::test::open_fd_count() == before);
}
