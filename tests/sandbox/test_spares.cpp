// Keepers made ahead (sandbox.h: prepare_ahead; spares.h): runs take them,
// each sees its own job in a root of its own as without them, a keeper made
// for other system binds or one that died is not used, a plan too large
// for a keeper's arena gets a keeper of its own, and prepare_ahead(0) leaves
// no process behind. Needs root and namespaces; skips without them.
#include "sandbox/spares.h"
#include "sandbox_test.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace wb::sandbox;
using wb::sandbox::detail::spares_taken;
using wb::sandbox::detail::wait_for_spares;
using wb::test::contains;
using wb::test::lines_of;
using wb::test::slurp;

namespace {

// prepare_ahead(count) for the test's scope; 0 again at its end.
struct Ahead {
    explicit Ahead(int count) { prepare_ahead(count); }
    ~Ahead() { prepare_ahead(0); }
};

// The children of every thread of this process.
std::vector<pid_t> children() {
    std::vector<pid_t> out;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
        std::ifstream in(task.path() / "children");
        for (long pid; in >> pid;)
            out.push_back(static_cast<pid_t>(pid));
    }
    return out;
}

// Full isolation (or the test skips), keepers made ahead, a policy, and one
// made for it, ready.
struct Prepared {
    Prepared() : ahead((wb::test::need_full_isolation(), 1)), p(wb::test::isolated_policy(dir)) {
        run(p, {wb::test::program("exit_code"), "0"});
        REQUIRE(wait_for_spares(5));
    }
    Ahead ahead;
    wb::test::TempDir dir;
    Policy p;
};

bool no_children_left() {
    return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

// SIGKILL to a keeper, and back once it is dead (a zombie, not yet reaped).
void kill_until_dead(pid_t keeper) {
    REQUIRE(kill(keeper, SIGKILL) == 0);
    for (int i = 0; i < 500; ++i) {
        const std::string stat = slurp("/proc/" + std::to_string(keeper) + "/stat");
        if (stat.empty() || contains(stat.substr(stat.rfind(')')), ") Z")) break;
        usleep(2000);
    }
}

// The capability lines of /proc/self/status, as the program sees them.
constexpr const char* caps = "grep ^Cap /proc/self/status";

} // namespace

TEST_CASE("ahead: runs take keepers made ahead, each with its own job in a clean root",
          "[sandbox][isolation][spares]") {
    wb::test::need_full_isolation();
    Ahead ahead(1);
    wb::test::TempDir first;
    run(wb::test::isolated_policy(first), {wb::test::program("exit_code"), "0"});
    const std::uint64_t before = spares_taken();
    for (int i = 0; i < 4; ++i) {
        REQUIRE(wait_for_spares(5));
        wb::test::TempDir dir;
        { std::ofstream(dir / "input") << "job " << i << "\n"; }
        Policy p = wb::test::isolated_policy(dir);
        p.binds.push_back({dir / "input", "/input", false});
        Result r = run(p, {"/bin/sh", "-c",
                           std::string("cat /input; test -e /tmp/left && echo left || echo clean; "
                                       "touch /tmp/left; id -u; "
                                       "hostname; touch here; ") +
                               caps});
        INFO(r.message << "\n" << slurp(dir / "stderr"));
        REQUIRE(r.status == Status::ok);
        CHECK(r.isolation == Isolation::full);
        auto lines = lines_of(slurp(dir / "stdout"));
        REQUIRE(lines.size() >= 4);
        CHECK(lines[0] == "job " + std::to_string(i));
        CHECK(lines[1] == "clean"); // nothing of the run before in /tmp
        CHECK(std::stol(lines[2]) >= 60000);
        CHECK(lines[3] == "wbtool-sandbox");
        CHECK(std::filesystem::exists(dir / "here"));
        int cap_lines = 0;
        for (const auto& line : lines)
            if (line.rfind("Cap", 0) == 0) {
                ++cap_lines;
                CHECK(line.substr(line.find_first_of("0123456789abcdef", 7)) == "0000000000000000");
            }
        CHECK(cap_lines == 5); // CapInh, CapPrm, CapEff, CapBnd, CapAmb
    }
    CHECK(spares_taken() - before == 4);
}

TEST_CASE("ahead: a keeper made for other system binds is not used",
          "[sandbox][isolation][spares]") {
    Prepared ready;
    const Policy& usual = ready.p;
    const wb::test::TempDir& dir = ready.dir;

    // Without /sbin: a keeper made with the usual binds has it mounted.
    Policy other = usual;
    std::erase_if(other.system_binds, [](const Bind& b) { return b.source == "/sbin"; });
    REQUIRE(other.system_binds.size() + 1 == usual.system_binds.size());
    for (int i = 0; i < 2; ++i) {
        const std::uint64_t before = spares_taken();
        Result r = run(other, {"/bin/sh", "-c", "ls /"});
        INFO(r.message << "\n" << slurp(dir / "stderr"));
        REQUIRE(r.status == Status::ok);
        auto lines = lines_of(slurp(dir / "stdout"));
        CHECK(std::find(lines.begin(), lines.end(), "usr") != lines.end());
        CHECK(std::find(lines.begin(), lines.end(), "sbin") == lines.end());
        // The first finds none for its binds; the second one made for them.
        CHECK(spares_taken() - before == (i == 0 ? 0u : 1u));
        REQUIRE(wait_for_spares(5));
    }
}

TEST_CASE("ahead: a keeper made ahead that died is not used", "[sandbox][isolation][spares]") {
    Prepared ready;
    const std::vector<pid_t> spares = children();
    REQUIRE(spares.size() == 1);
    kill_until_dead(spares[0]);
    const std::uint64_t before = spares_taken();
    Result r = run(ready.p, {wb::test::program("exit_code"), "3"});
    CHECK(r.status == Status::runtime_error);
    CHECK(r.exit_code == 3);
    CHECK(r.isolation == Isolation::full);
    CHECK(spares_taken() == before);
}

TEST_CASE("ahead: a plan too large for a keeper's arena gets a keeper of its own",
          "[sandbox][isolation][spares]") {
    Prepared ready;
    const Policy& p = ready.p;
    const wb::test::TempDir& dir = ready.dir;
    // 1.2 MiB of arguments; the arena holds 1 MiB.
    std::vector<std::string> argv = {"/bin/sh", "-c", "echo $#", "sh"};
    for (int i = 0; i < 10; ++i)
        argv.push_back(std::string(120 * 1024, static_cast<char>('a' + i)));
    Result r = run(p, argv);
    INFO(r.message << "\n" << slurp(dir / "stderr"));
    REQUIRE(r.status == Status::ok);
    CHECK(slurp(dir / "stdout") == "10\n");
    // And the next run finds a keeper made ahead again.
    REQUIRE(wait_for_spares(5));
    const std::uint64_t before = spares_taken();
    CHECK(run(p, {wb::test::program("exit_code"), "0"}).status == Status::ok);
    CHECK(spares_taken() - before == 1);
}

TEST_CASE("ahead: prepare_ahead(0) leaves no process behind", "[sandbox][isolation][spares]") {
    wb::test::need_full_isolation();
    {
        Ahead ahead(2);
        wb::test::TempDir dir;
        Policy p = wb::test::isolated_policy(dir);
        for (int i = 0; i < 3; ++i)
            CHECK(run(p, {wb::test::program("exit_code"), "0"}).status == Status::ok);
        REQUIRE(wait_for_spares(5));
        CHECK(children().size() == 2);
        CHECK(prepared_ahead() == 2);
    }
    CHECK(prepared_ahead() == 0);
    CHECK(children().empty());
    CHECK(no_children_left());
}

// ---- start_next_keeper: the keeper of one run, started before it ----

TEST_CASE("next keeper: the run takes the keeper started for it, with its job in a clean root",
          "[sandbox][isolation][spares]") {
    wb::test::need_full_isolation();
    wb::test::TempDir dir;
    { std::ofstream(dir / "input") << "the job's input\n"; }
    Policy p = wb::test::isolated_policy(dir);
    p.binds.push_back({dir / "input", "/box/input", false});
    const std::uint64_t before = spares_taken();
    start_next_keeper(p);
    REQUIRE(children().size() == 1);
    Result r =
        run(p, {"/bin/sh", "-c", "cat /box/input; ls /; id -u; grep ^CapBnd /proc/self/status"});
    INFO(r.message << "\n" << slurp(dir / "stderr"));
    REQUIRE(r.status == Status::ok);
    CHECK(r.isolation == Isolation::full);
    const auto lines = lines_of(slurp(dir / "stdout"));
    CHECK(std::find(lines.begin(), lines.end(), "the job's input") != lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "usr") != lines.end());
    // Nothing of the host's but its binds.
    CHECK(std::find(lines.begin(), lines.end(), "home") == lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "root") == lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "0") == lines.end()); // not root
    CHECK(contains(slurp(dir / "stdout"), "CapBnd:\t0000000000000000"));
    CHECK(spares_taken() - before == 1);
    // Its keeper reaped before run() returned: nothing is left.
    CHECK(children().empty());
    CHECK(no_children_left());
}

TEST_CASE("next keeper: a run with other system binds ends it and makes its own",
          "[sandbox][isolation][spares]") {
    wb::test::need_full_isolation();
    wb::test::TempDir dir;
    Policy usual = wb::test::isolated_policy(dir);
    Policy other = usual;
    std::erase_if(other.system_binds, [](const Bind& b) { return b.source == "/sbin"; });
    REQUIRE(other.system_binds.size() + 1 == usual.system_binds.size());
    const std::uint64_t before = spares_taken();
    start_next_keeper(usual);
    REQUIRE(children().size() == 1);
    Result r = run(other, {"/bin/sh", "-c", "ls /"});
    INFO(r.message << "\n" << slurp(dir / "stderr"));
    REQUIRE(r.status == Status::ok);
    const auto lines = lines_of(slurp(dir / "stdout"));
    CHECK(std::find(lines.begin(), lines.end(), "sbin") == lines.end());
    CHECK(spares_taken() == before);
    CHECK(children().empty());
    CHECK(no_children_left());
}

TEST_CASE(
    "next keeper: a run that fails, before or after taking its keeper, leaves no process behind",
    "[sandbox][isolation][spares]") {
    wb::test::need_full_isolation();
    wb::test::TempDir dir;
    Policy p = wb::test::isolated_policy(dir);
    SECTION("no such program") {
        start_next_keeper(p);
        REQUIRE(children().size() == 1);
        Result r = run(p, {"/no/such/program"});
        CHECK(r.status == Status::internal_error);
        CHECK(contains(r.message, "/no/such/program"));
    }
    SECTION("an output file that cannot be opened (before the engine is chosen)") {
        p.stdout_path = dir / "no-such-directory" / "stdout";
        start_next_keeper(p);
        REQUIRE(children().size() == 1);
        Result r = run(p, {wb::test::program("exit_code"), "0"});
        CHECK(r.status == Status::internal_error);
        CHECK(contains(r.message, "no-such-directory"));
    }
    SECTION("a bind whose source is missing (the keeper taken, then the plan fails)") {
        p.binds.push_back({dir / "missing", "/box/missing", false});
        start_next_keeper(p);
        REQUIRE(children().size() == 1);
        Result r = run(p, {wb::test::program("exit_code"), "0"});
        CHECK(r.status == Status::internal_error);
        CHECK(contains(r.message, "missing"));
    }
    SECTION("the keeper died before the run") {
        start_next_keeper(p);
        const std::vector<pid_t> started = children();
        REQUIRE(started.size() == 1);
        kill_until_dead(started[0]);
        const std::uint64_t before = spares_taken();
        Result r = run(p, {wb::test::program("exit_code"), "3"});
        CHECK(r.status == Status::runtime_error);
        CHECK(r.exit_code == 3);
        CHECK(spares_taken() == before);
    }
    CHECK(children().empty());
    CHECK(no_children_left());
}

TEST_CASE("next keeper: only a run of the thread that started it takes it, or ends it",
          "[sandbox][isolation][spares]") {
    wb::test::need_full_isolation();
    wb::test::TempDir dir;
    const Policy p = wb::test::isolated_policy(dir);
    const std::uint64_t before = spares_taken();
    start_next_keeper(p);
    REQUIRE(children().size() == 1);
    // Another thread's run, with the same system binds: its keeper dies
    // with the thread that cloned it, so it is not that run's to take.
    Result theirs;
    std::thread other([&] {
        wb::test::TempDir their_dir;
        theirs = run(wb::test::isolated_policy(their_dir), {wb::test::program("exit_code"), "0"});
    });
    other.join();
    CHECK(theirs.status == Status::ok);
    CHECK(spares_taken() == before);
    CHECK(children().size() == 1); // not ended either
    Result mine = run(p, {wb::test::program("exit_code"), "0"});
    CHECK(mine.status == Status::ok);
    CHECK(spares_taken() - before == 1);
    CHECK(children().empty());
    CHECK(no_children_left());
}

TEST_CASE("next keeper: a thread that ends without a run ends its keeper with it",
          "[sandbox][isolation][spares]") {
    wb::test::need_full_isolation();
    wb::test::TempDir dir;
    const Policy p = wb::test::isolated_policy(dir);
    std::size_t started = 0;
    std::thread([&] {
        start_next_keeper(p);
        started = children().size();
    }).join();
    CHECK(started == 1);
    CHECK(children().empty());
    CHECK(no_children_left());
}

TEST_CASE("next keeper: nothing is started for a run without isolation",
          "[sandbox][isolation][spares]") {
    wb::test::need_full_isolation();
    wb::test::TempDir dir;
    Policy p = wb::test::isolated_policy(dir);
    p.isolate = false;
    start_next_keeper(p);
    CHECK(children().empty());
    CHECK(run(p, {wb::test::program("exit_code"), "0"}).status == Status::ok);
    CHECK(no_children_left());
}
