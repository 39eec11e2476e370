// The sandbox runs a program and says how it ended: statuses, messages, exit
// codes, signals, argv/env/cwd/stdin as given, setup errors as messages.
#include "sandbox_test.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <pthread.h>
#include <thread>

using namespace wb::sandbox;
using wb::test::contains;
using wb::test::program;

TEST_CASE("exit code 0 is ok, with statistics and the isolation note", "[sandbox]") {
    wb::test::TempDir dir;
    Result r = run(wb::test::test_policy(dir), {program("exit_code"), "0"});
    CHECK(r.status == Status::ok);
    CHECK(r.exit_code == 0);
    CHECK(r.signal == 0);
    CHECK(r.isolation == Isolation::rlimits);
    CHECK(r.message == "exited with code 0 (isolation: rlimits only)");
    CHECK(r.wall_s > 0);
    CHECK(r.wall_s < 2);
    CHECK(r.max_rss_kib > 0);
}

TEST_CASE("a non-zero exit is a runtime error with its code", "[sandbox]") {
    wb::test::TempDir dir;
    Result r = run(wb::test::test_policy(dir), {program("exit_code"), "3"});
    CHECK(r.status == Status::runtime_error);
    CHECK(r.exit_code == 3);
    CHECK(r.signal == 0);
    CHECK(r.message == "exited with code 3 (isolation: rlimits only)");
}

TEST_CASE("a crash is reported with the signal's number and name", "[sandbox]") {
    wb::test::TempDir dir;
    Result r = run(wb::test::test_policy(dir), {program("segfault")});
    CHECK(r.status == Status::signaled);
    CHECK(r.signal == SIGSEGV);
    CHECK(r.exit_code == -1);
    CHECK(contains(r.message, "killed by signal 11 (SIGSEGV"));
    CHECK(contains(r.message, "rlimits only"));
}

TEST_CASE("CPU time of a short busy loop is measured", "[sandbox]") {
    wb::test::TempDir dir;
    Result r = run(wb::test::test_policy(dir), {program("busy"), "200"});
    REQUIRE(r.status == Status::ok);
    CHECK(r.cpu_s() >= 0.15);
    CHECK(r.cpu_s() <= 0.40);
    CHECK(r.wall_s >= r.cpu_s() * 0.9);
    CHECK(r.voluntary_ctxsw + r.involuntary_ctxsw >= 0);
}

TEST_CASE("argv and the environment are exactly what was given", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.env = {"A=1", "EMPTY=", "SPACES=x y  z"};
    Result r = run(p, {program("print_env"), "first", "two words", ""});
    REQUIRE(r.status == Status::ok);
    auto lines = wb::test::lines_of(wb::test::slurp(dir / "stdout"));
    std::vector<std::string> expected = {
        "argv=" + program("print_env"), "argv=first", "argv=two words", "argv=",
        "cwd=" + dir.path().string(),   "env=A=1",    "env=EMPTY=",     "env=SPACES=x y  z"};
    CHECK(lines == expected);
}

TEST_CASE("an empty environment stays empty", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.env = {};
    Result r = run(p, {program("print_env")});
    REQUIRE(r.status == Status::ok);
    for (const auto& line : wb::test::lines_of(wb::test::slurp(dir / "stdout")))
        CHECK_FALSE(line.starts_with("env="));
}

TEST_CASE("a name without a slash is looked up in the policy's PATH", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.env = {"PATH=/nonexistent:" + std::string(SANDBOX_PROG_DIR)};
    Result r = run(p, {"exit_code", "5"});
    CHECK(r.status == Status::runtime_error);
    CHECK(r.exit_code == 5);

    SECTION("without PATH the default is /usr/local/bin:/usr/bin:/bin") {
        p.env = {};
        Result t = run(p, {"true"});
        CHECK(t.status == Status::ok);
    }
}

TEST_CASE("stdin comes from the given file, or /dev/null", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    { std::ofstream(dir / "input") << "hello\nworld\n"; }
    p.stdin_path = dir / "input";
    Result r = run(p, {program("cat_stdin")});
    REQUIRE(r.status == Status::ok);
    CHECK(wb::test::slurp(dir / "stdout") == "hello\nworld\n");
    CHECK(wb::test::slurp(dir / "stderr") == "read 12\n");
    CHECK(r.bytes_written == 12 + 8);

    p.stdin_path.clear();
    r = run(p, {program("cat_stdin")});
    REQUIRE(r.status == Status::ok);
    CHECK(wb::test::slurp(dir / "stdout").empty());
    CHECK(wb::test::slurp(dir / "stderr") == "read 0\n");
}

TEST_CASE("output files are created private and truncated", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    { std::ofstream(dir / "stdout") << std::string(10000, 'o'); }
    Result r = run(p, {program("flood"), "out", "10"});
    REQUIRE(r.status == Status::ok);
    CHECK(wb::test::slurp(dir / "stdout") == std::string(10, 'x'));
    struct stat st {};
    REQUIRE(stat((dir / "stderr").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a missing program is an internal error that names it", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    Result r = run(p, {"/nonexistent/prog", "x"});
    CHECK(r.status == Status::internal_error);
    CHECK(r.message == "cannot execute '/nonexistent/prog': No such file or directory");

    r = run(p, {"no-such-program-wbtool"});
    CHECK(r.status == Status::internal_error);
    CHECK(r.message == "cannot execute 'no-such-program-wbtool': No such file or directory");
}

TEST_CASE("a file without execute permission is refused with its reason", "[sandbox]") {
    wb::test::TempDir dir;
    { std::ofstream(dir / "script.sh") << "#!/bin/sh\nexit 0\n"; }
    Result r = run(wb::test::test_policy(dir), {(dir / "script.sh").string()});
    CHECK(r.status == Status::internal_error);
    CHECK(contains(r.message, "cannot execute '"));
    CHECK(contains(r.message, "Permission denied"));
}

TEST_CASE("setup problems are internal errors with a message", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);

    SECTION("missing work directory") {
        p.workdir = dir / "nope";
        Result r = run(p, {program("exit_code")});
        CHECK(r.status == Status::internal_error);
        CHECK(r.message == "cannot enter work directory '" + (dir / "nope").string() +
                               "': No such file or directory");
    }
    SECTION("missing stdin file") {
        p.stdin_path = dir / "absent";
        Result r = run(p, {program("exit_code")});
        CHECK(r.status == Status::internal_error);
        CHECK(contains(r.message, "cannot open stdin file"));
        CHECK(contains(r.message, "No such file or directory"));
    }
    SECTION("stdout in a missing directory") {
        p.stdout_path = dir / "no" / "out";
        Result r = run(p, {program("exit_code")});
        CHECK(r.status == Status::internal_error);
        CHECK(contains(r.message, "cannot create stdout file"));
    }
    SECTION("an output file that is a symbolic link is refused") {
        REQUIRE(symlink((dir / "elsewhere").c_str(), (dir / "stdout").c_str()) == 0);
        Result r = run(p, {program("exit_code")});
        CHECK(r.status == Status::internal_error);
        CHECK(contains(r.message, "symbolic link"));
        CHECK_FALSE(std::filesystem::exists(dir / "elsewhere"));
    }
    SECTION("empty argv") {
        Result r = run(p, {});
        CHECK(r.status == Status::internal_error);
        CHECK(contains(r.message, "argv is empty"));
    }
    SECTION("bad limits") {
        p.limits.cpu_s = -1;
        Result r = run(p, {program("exit_code")});
        CHECK(r.status == Status::internal_error);
        CHECK(contains(r.message, "bad sandbox policy"));
    }
}

TEST_CASE("without a work directory the rlimits engine makes a temporary one and removes it",
          "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.workdir.clear();
    p.profile = Profile::compile; // a shell and what it starts
    Result r = run(p, {"/bin/sh", "-c", "pwd; echo kept > f && cat f"});
    INFO(r.message << "\n" << wb::test::slurp(dir / "stderr"));
    REQUIRE(r.status == Status::ok);
    const auto lines = wb::test::lines_of(wb::test::slurp(dir / "stdout"));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "kept");
    const std::filesystem::path work = lines[0];
    const auto top = work.parent_path();
    CHECK(work.filename() == "work");
    CHECK(std::filesystem::equivalent(top.parent_path(), std::filesystem::temp_directory_path()));
    CHECK(top.filename().string().starts_with("wbtool-sandbox-" + std::to_string(getpid()) + "-"));
    CHECK_FALSE(std::filesystem::exists(top)); // removed with the run
}

TEST_CASE("the sandbox works for a caller with stdin, stdout and stderr closed", "[sandbox]") {
    // A daemonised wbtool may have 0, 1 and 2 closed; then every descriptor
    // the sandbox opens lands there unless it is moved. Done in a forked copy
    // of this process so that the test's own output stays.
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    int report[2];
    REQUIRE(pipe(report) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(0);
        close(1);
        close(2);
        Result r = run(p, {program("flood"), "both", "5"});
        auto q = p;
        q.stdout_path = dir / "stdout2";
        q.stderr_path = dir / "stderr2";
        Result missing = run(q, {"/nonexistent/prog"}); // the failure report needs its pipe
        int ok = r.status == Status::ok && r.bytes_written == 10 &&
                         missing.status == Status::internal_error &&
                         missing.message.starts_with("cannot execute")
                     ? 1
                     : 0;
        (void)!write(report[1], &ok, sizeof ok);
        _exit(0);
    }
    close(report[1]);
    int ok = 0;
    CHECK(read(report[0], &ok, sizeof ok) == static_cast<ssize_t>(sizeof ok));
    close(report[0]);
    waitpid(pid, nullptr, 0);
    CHECK(ok == 1);
    CHECK(wb::test::slurp(dir / "stdout") == "xxxxx");
    CHECK(wb::test::slurp(dir / "stderr") == "xxxxx");
}

namespace {

// Runs `inspect` with what the calling thread has open, blocked and ignored
// made as bad as possible, and returns its report.
std::vector<std::string> inspect(wb::sandbox::Policy p, const wb::test::TempDir& dir) {
    int leaky = open("/dev/null", O_RDONLY); // no O_CLOEXEC on purpose
    REQUIRE(leaky >= 0);
    sigset_t block, old_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old_mask);
    struct sigaction ignore {
    }, old_pipe{}, old_chld{};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_pipe);
    sigaction(SIGCHLD, &ignore, &old_chld); // children reaped by the kernel, unless reset

    Result r = run(p, {program("inspect")});

    sigaction(SIGCHLD, &old_chld, nullptr);
    sigaction(SIGPIPE, &old_pipe, nullptr);
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    close(leaky);
    REQUIRE(r.status == Status::ok);
    return wb::test::lines_of(wb::test::slurp(dir / "stdout"));
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

} // namespace

TEST_CASE("the program starts clean: no descriptors, signals or group of wbtool", "[sandbox]") {
    wb::test::TempDir dir;
    auto lines = inspect(wb::test::test_policy(dir), dir);
    for (const auto& line : lines) {
        INFO(line);
        CHECK_FALSE(line.starts_with("fd "));
        CHECK_FALSE(line.starts_with("blocked "));
        CHECK_FALSE(line.starts_with("ignored "));
    }
    CHECK(has(lines, "own_group 1"));
}

TEST_CASE("the program may run on the CPUs wbtool may run on, though it starts on the keeper's",
          "[sandbox]") {
    cpu_set_t mine;
    REQUIRE(sched_getaffinity(0, sizeof mine, &mine) == 0);
    wb::test::TempDir dir;
    CHECK(
        has(inspect(wb::test::test_policy(dir), dir), "cpus " + std::to_string(CPU_COUNT(&mine))));
    if (geteuid() == 0) {
        CHECK(has(inspect(wb::test::isolated_policy(dir), dir),
                  "cpus " + std::to_string(CPU_COUNT(&mine))));
    }
    // A caller held to one CPU keeps its program there.
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &mine)) {
            CPU_SET(cpu, &one);
            break;
        }
    REQUIRE(sched_setaffinity(0, sizeof one, &one) == 0);
    const auto lines = inspect(wb::test::test_policy(dir), dir);
    REQUIRE(sched_setaffinity(0, sizeof mine, &mine) == 0);
    CHECK(has(lines, "cpus 1"));
}

TEST_CASE("the program runs under the planned rlimits", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    p.limits.cpu_s = 1.5;
    p.limits.memory_kib = 100 * 1024;
    p.limits.stack_kib = 8 * 1024;
    p.limits.processes = 20;
    p.limits.output_bytes = 1 << 20;
    p.limits.file_bytes = 4 << 20;
    p.limits.open_files = 50;
    auto lines = inspect(p, dir);
    CHECK(has(lines, "rlimit CPU 3 4"));
    const long long data = (100LL + 1024) * 1024 * 1024;
    CHECK(has(lines, "rlimit DATA " + std::to_string(data) + " " + std::to_string(data)));
    CHECK(has(lines, "rlimit AS -1 -1")); // never: it would break CUDA
    CHECK(has(lines, "rlimit STACK 8388608 8388608"));
    CHECK(has(lines, "rlimit FSIZE 4194304 4194304"));
    CHECK(has(lines, "rlimit NOFILE 50 50"));
    CHECK(has(lines, "rlimit CORE 0 0"));
    if (geteuid() == 0) CHECK(has(lines, "rlimit NPROC 20 20"));
}

TEST_CASE("to_string names every value", "[sandbox]") {
    CHECK(to_string(Status::ok) == "ok");
    CHECK(to_string(Status::runtime_error) == "runtime_error");
    CHECK(to_string(Status::signaled) == "signaled");
    CHECK(to_string(Status::time_limit) == "time_limit");
    CHECK(to_string(Status::wall_time_limit) == "wall_time_limit");
    CHECK(to_string(Status::memory_limit) == "memory_limit");
    CHECK(to_string(Status::output_limit) == "output_limit");
    CHECK(to_string(Status::forbidden_syscall) == "forbidden_syscall");
    CHECK(to_string(Status::internal_error) == "internal_error");
    CHECK(to_string(Isolation::full) == "full");
    CHECK(to_string(Isolation::rlimits) == "rlimits");
    CHECK(to_string(Profile::compile) == "compile");
    CHECK(to_string(Profile::run) == "run");
}

TEST_CASE("a run is stopped through its cancel descriptor", "[sandbox]") {
    wb::test::TempDir dir;
    auto p = wb::test::test_policy(dir);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    p.cancel_fd = fds[0];
    std::thread later([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CHECK(write(fds[1], "x", 1) == 1);
    });
    Result r = run(p, {program("sleeper")});
    later.join();
    INFO(r.message);
    CHECK(r.status == Status::wall_time_limit);
    CHECK(contains(r.message, "cancelled after"));
    CHECK(contains(r.message, "stopped by its caller"));
    CHECK(r.wall_s < 2); // the sleeper's wall-clock limit is 5 s

    // Already readable when the run starts: stopped at once.
    r = run(p, {program("sleeper")});
    CHECK(r.status == Status::wall_time_limit);
    CHECK(r.wall_s < 1);
    close(fds[0]);
    close(fds[1]);
}
