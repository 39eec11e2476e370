// `wbtool sandbox` end to end: what an admin checking a toolchain sees. The
// program's output reaches the admin's stderr only through wbtool's counting
// pipe; the program never gets that stderr (a log, a terminal) itself. Less
// than full isolation is a warning line; a wbtool stopped by a signal, or
// killed, leaves nothing behind (the next one sweeps what SIGKILL left).
#include "runner.h"
#include "skip.h"
#include "text_files.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

using wb::test::Run;
using wb::test::Wbtool;
using wb::test::write_text;

namespace {

using wb::test::slurp;

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

} // namespace

TEST_CASE("wbtool sandbox appends the program's output to a log without truncating it") {
    Wbtool wbtool;
    const auto log = wbtool.tmp() / "admin.log";
    write_text(log, "an earlier line of the admin's log\n");
    const auto run = wb::test::run_process(
        {"/bin/sh", "-c",
         quoted(WBTOOL_BINARY) + " sandbox --json -- /bin/echo hello 2>>" + quoted(log.string())});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(slurp(log) == "an earlier line of the admin's log\nhello\n");
    const auto j = run.json();
    CHECK(j["status"] == "ok");
    CHECK(j["bytes_written"] == 6);
}

TEST_CASE("wbtool sandbox counts output sent to /dev/null and stops a flood at the limit") {
    Wbtool wbtool;
    const auto run = wb::test::run_process(
        {"/bin/sh", "-c",
         quoted(WBTOOL_BINARY) +
             " sandbox --json --output-limit 64 --time-limit 5 -- /usr/bin/yes 2>/dev/null"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const auto j = run.json();
    CHECK(j["status"] == "output_limit");
    CHECK(j["bytes_written"].get<std::uint64_t>() > 64 * 1024);
    CHECK_THAT(j["message"].get<std::string>(), Catch::Contains("over the limit of 64 KiB"));
}

TEST_CASE("wbtool sandbox copies no more than the output limit to its stderr") {
    Wbtool wbtool;
    const auto err = wbtool.tmp() / "err";
    const auto run = wb::test::run_process(
        {"/bin/sh", "-c",
         quoted(WBTOOL_BINARY) + " sandbox --json --output-limit 16 -- /usr/bin/yes 2>" +
             quoted(err.string())});
    INFO(run.out << run.err);
    CHECK(run.json()["status"] == "output_limit");
    CHECK(std::filesystem::file_size(err) == 16 * 1024);
}

// ---- a wbtool sandbox that is stopped or killed leaves nothing behind ----

namespace {

// `wbtool sandbox --json --profile compile -- /bin/sh -c 'touch started;
// sleep 100'` in the background, its stdout and stderr into files; returns
// once the program runs (its work directory holds "started").
struct Background {
    pid_t pid = -1;
    std::filesystem::path out, err;
};

std::vector<std::filesystem::path> matching(const std::filesystem::path& dir,
                                            const std::string& prefix) {
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().filename().string().starts_with(prefix)) found.push_back(e.path());
    return found;
}

std::vector<std::filesystem::path> workdirs_of(pid_t pid) {
    return matching(std::filesystem::temp_directory_path(),
                    "wbtool-sandbox-" + std::to_string(pid) + "-");
}

// Run cgroups of `pid` anywhere in the cgroup trees.
std::size_t cgroups_of(pid_t pid) {
    const std::string tag = "wbtool-" + std::to_string(pid) + "-";
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(
             "/sys/fs/cgroup", std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_directory(ec) && it->path().filename().string().starts_with(tag)) ++n;
        if (it.depth() > 3) it.disable_recursion_pending();
    }
    return n;
}

// `wbtool sandbox` running a program that says "started" and sleeps;
// `no_isolation`: with --no-isolation (its work directory is then a
// temporary one on the host).
Background start_sleeper(const wb::test::TempDir& tmp, bool no_isolation = false) {
    Background b;
    b.out = tmp / "out";
    b.err = tmp / "err";
    b.pid = fork();
    REQUIRE(b.pid >= 0);
    if (b.pid == 0) {
        int out = open(b.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(b.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out, 1);
        dup2(err, 2);
        const char* isolation = no_isolation ? "--no-isolation" : "--min-isolation=rlimits";
        execl(WBTOOL_BINARY, WBTOOL_BINARY, "sandbox", "--json", "--profile", "compile", isolation,
              "--time-limit", "100", "--", "/bin/sh", "-c",
              "touch here && echo started >&2; sleep 100", static_cast<char*>(nullptr));
        _exit(127);
    }
    for (int i = 0; i < 1000; ++i) {
        if (slurp(b.err).find("started") != std::string::npos) return b;
        usleep(10000);
    }
    FAIL("the sandboxed program did not start: " << slurp(b.err));
    return b;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

} // namespace

TEST_CASE("wbtool sandbox stopped by SIGTERM prints the result and removes everything") {
    Wbtool wbtool;
    // Isolated (a private /box) and with --no-isolation (a temporary work
    // directory on the host, removed on the way out).
    const bool no_isolation = GENERATE(false, true);
    Background b = start_sleeper(wbtool.tmp(), no_isolation);
    if (no_isolation) REQUIRE(workdirs_of(b.pid).size() == 1);
    REQUIRE(kill(b.pid, SIGTERM) == 0);
    const int status = wait_for(b.pid);
    INFO(slurp(b.out) << slurp(b.err));
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + SIGTERM);
    const auto j = nlohmann::json::parse(slurp(b.out));
    CHECK(j["status"] == "wall_time_limit");
    CHECK_THAT(j["message"].get<std::string>(), Catch::Contains("cancelled after"));
    CHECK_THAT(slurp(b.err), Catch::Contains("wbtool: stopped by SIGTERM"));
    CHECK(workdirs_of(b.pid).empty());
    CHECK(cgroups_of(b.pid) == 0);
}

TEST_CASE("wbtool sandbox killed with SIGKILL: the next run removes what it left") {
    // A SIGKILL cannot clean up. An isolated run leaves its slot's cgroups
    // (its work directory is a private tmpfs, gone with its namespaces); a
    // run with --no-isolation leaves its temporary work directory on the
    // host. The next run of each kind removes them (another test's wbtool
    // may sweep them first: only the end state is checked).
    // Where no namespaces are to be had, the "isolated" one is rlimits too.
    const bool namespaces =
        wb::test::run_process({WBTOOL_BINARY, "sandbox", "--json", "--", "/bin/true"})
            .json()["isolation"] != "rlimits";
    wb::test::TempDir isolated_tmp, plain_tmp;
    Background isolated = start_sleeper(isolated_tmp);
    Background plain = start_sleeper(plain_tmp, true);
    if (namespaces) CHECK(workdirs_of(isolated.pid).empty());
    REQUIRE(workdirs_of(plain.pid).size() == 1);
    CHECK(std::filesystem::exists(workdirs_of(plain.pid)[0] / "work" / "here"));
    const bool had_cgroups = cgroups_of(isolated.pid) > 0;
    for (const Background* b : {&isolated, &plain}) {
        REQUIRE(kill(b->pid, SIGKILL) == 0);
        wait_for(b->pid);
    }
    for (const char* isolation : {"--min-isolation=rlimits", "--no-isolation"}) {
        const auto next = wb::test::run_process(
            {WBTOOL_BINARY, "sandbox", "--json", isolation, "--", "/bin/true"});
        INFO(next.out << next.err);
        CHECK(next.exit_code == 0);
    }
    CHECK(workdirs_of(plain.pid).empty());
    CHECK(workdirs_of(isolated.pid).empty());
    if (had_cgroups) CHECK(cgroups_of(isolated.pid) == 0);
}

TEST_CASE("wbtool sandbox warns on stderr when isolation is only rlimits") {
    Wbtool wbtool;
    auto run = wb::test::run_process(
        {WBTOOL_BINARY, "sandbox", "--json", "--no-isolation", "--", "/bin/true"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.json()["isolation"] == "rlimits");
    CHECK_THAT(run.err,
               Catch::StartsWith("wbtool: warning: isolation: rlimits only (--no-isolation)"));
    CHECK_THAT(run.err, Catch::Contains("the seccomp filter still applies"));

    if (geteuid() == 0) {
        // Full isolation on this machine: no warning at all.
        run = wb::test::run_process({WBTOOL_BINARY, "sandbox", "--json", "--", "/bin/true"});
        if (run.json()["isolation"] == "full" &&
            run.json()["message"].get<std::string>().find("no cgroup") == std::string::npos)
            CHECK(run.err.empty());
    }
}

TEST_CASE("wbtool sandbox as an unprivileged user: a user namespace or rlimits, and a warning") {
    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    if (access("/usr/bin/setpriv", X_OK) != 0) wb::test::skip("needs setpriv");
    Wbtool wbtool;
    const std::string as_nobody =
        "cd / && /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups ";
    // What the kernel allows nobody here, asked of unshare(1) itself.
    const bool userns =
        wb::test::run_process({"/bin/sh", "-c", as_nobody + "/usr/bin/unshare -U -p -m -f true"})
            .exit_code == 0;
    auto run = wb::test::run_process(
        {"/bin/sh", "-c", as_nobody + quoted(WBTOOL_BINARY) + " sandbox --json -- /bin/true"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.json()["status"] == "ok");
    if (userns) {
        CHECK(run.json()["isolation"] == "userns");
        CHECK_THAT(run.err, Catch::StartsWith("wbtool: warning: isolation: user namespace only "
                                              "(wbtool is not running as root): namespaces, a "
                                              "private root and the seccomp filter, but no "
                                              "cgroup"));
        CHECK_THAT(run.json()["message"].get<std::string>(),
                   Catch::Contains("(isolation: user namespace, CPU and memory limits by "
                                   "sampling only)"));
    } else {
        CHECK(run.json()["isolation"] == "rlimits");
        CHECK_THAT(run.err, Catch::Contains("wbtool: warning: isolation: rlimits only (wbtool is "
                                            "not running as root, and "));
    }
    // The filter: a second program is refused in the run profile.
    run = wb::test::run_process(
        {"/bin/sh", "-c",
         as_nobody + quoted(WBTOOL_BINARY) + " sandbox --json -- /bin/sh -c /bin/true"});
    INFO(run.out << run.err);
    CHECK(run.json()["status"] == "forbidden_syscall");
    CHECK_THAT(run.json()["message"].get<std::string>(), Catch::Contains("'execve'"));
    // In a user namespace: no capability left, and the host's files out of
    // sight (the program's own status, through its fresh /proc, says so;
    // its output is copied to wbtool's stderr).
    if (userns) {
        run = wb::test::run_process({"/bin/sh", "-c",
                                     as_nobody + quoted(WBTOOL_BINARY) +
                                         " sandbox --profile compile -- /bin/sh -c "
                                         "'grep -E \"^(CapEff|CapBnd|NoNewPrivs)\" "
                                         "/proc/self/status; ls /home /root /var 2>&1'"});
        INFO(run.out << run.err);
        CHECK_THAT(run.err, Catch::Contains("CapEff:\t0000000000000000"));
        CHECK_THAT(run.err, Catch::Contains("CapBnd:\t0000000000000000"));
        CHECK_THAT(run.err, Catch::Contains("NoNewPrivs:\t1"));
        CHECK_THAT(run.err, Catch::Contains("ls: cannot access '/var': No such file"));
    }
}

TEST_CASE(
    "wbtool sandbox --min-isolation refuses a run it cannot isolate enough, running nothing") {
    auto run = wb::test::run_process(
        {WBTOOL_BINARY, "sandbox", "--no-isolation", "--min-isolation", "full", "--", "/bin/true"});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("--no-isolation gives rlimits isolation, below "
                                        "--min-isolation full: drop one of the two"));
    run = wb::test::run_process(
        {WBTOOL_BINARY, "sandbox", "--min-isolation", "strong", "--", "/bin/true"});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("--min-isolation"));

    if (geteuid() != 0) wb::test::skip("needs root to become another user");
    if (access("/usr/bin/setpriv", X_OK) != 0) wb::test::skip("needs setpriv");
    // As root the minimum is met; as nobody it is not, and nothing runs.
    run = wb::test::run_process(
        {WBTOOL_BINARY, "sandbox", "--json", "--min-isolation", "full", "--", "/bin/true"});
    INFO(run.out << run.err);
    if (run.json()["isolation"] != "full") wb::test::skip("full isolation is not available here");
    CHECK(run.exit_code == 0);
    run = wb::test::run_process(
        {"/bin/sh", "-c",
         "cd / && /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups " +
             quoted(WBTOOL_BINARY) +
             " sandbox --json --min-isolation full --profile compile -- /bin/sh -c 'echo ran'"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 4);
    CHECK(run.json()["status"] == "internal_error");
    CHECK_THAT(run.json()["message"].get<std::string>(),
               Catch::StartsWith("refused: this run needs full isolation, and this process can "
                                 "give only ") &&
                   Catch::Contains("(wbtool is not running as root") &&
                   Catch::Contains("run wbtool as root"));
    CHECK(run.err.find("ran") == std::string::npos);
}

TEST_CASE("wbtool sandbox --release-prepared removes what runs keep, and runs make it again",
          "[release]") {
    if (geteuid() != 0) wb::test::skip("needs root");
    Wbtool wbtool;
    auto run = wb::test::run_process({WBTOOL_BINARY, "sandbox", "--release-prepared"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    run = wb::test::run_process({WBTOOL_BINARY, "sandbox", "--json", "--", "/bin/true"});
    CHECK(run.exit_code == 0);
    if (run.json()["isolation"] == "full") {
        CHECK(std::filesystem::exists("/run/wbtool/netns"));
        CHECK(!matching("/run/wbtool", "seccomp-").empty());
    }
    run =
        wb::test::run_process({WBTOOL_BINARY, "sandbox", "--release-prepared", "--", "/bin/true"});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("--release-prepared takes no command"));
    run = wb::test::run_process({WBTOOL_BINARY, "sandbox"});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("no command to run"));
}

TEST_CASE("wbtool sandbox prints its table with every value in one column") {
    const auto run = wb::test::run_process({WBTOOL_BINARY, "sandbox", "--", "/bin/true"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    std::istringstream lines(run.out);
    std::string line;
    int rows = 0;
    while (std::getline(lines, line)) {
        ++rows;
        INFO(line);
        // A label, then spaces to column 15, then the value.
        REQUIRE(line.size() > 14);
        CHECK(line[13] == ' ');
        CHECK(line[14] != ' ');
    }
    CHECK(rows == 11);
    CHECK(run.out.rfind("status        ok\n", 0) == 0);
}

TEST_CASE(
    "wbtool sandbox leaves no process behind, whether or not its run takes its early keeper") {
    // wbtool starts the run's keeper before the run is planned; a run that
    // fails after taking it ends it, as does one that never gets that far.
    // As a subreaper, this test adopts whatever wbtool left when it exited.
    const auto probe =
        wb::test::run_process({WBTOOL_BINARY, "sandbox", "--json", "--", "/bin/true"});
    if (probe.json()["isolation"] != "full")
        wb::test::skip("needs full isolation (root, namespaces)");
    REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
    wb::test::TempDir tmp;
    struct Case {
        std::vector<std::string> argv;
        int exit_code;
        std::string message;
    };
    const std::string missing = (tmp.path() / "missing").string();
    const Case cases[] = {
        {{WBTOOL_BINARY, "sandbox", "--json", "--", "/bin/true"}, 0, "exited with code 0"},
        {{WBTOOL_BINARY, "sandbox", "--json", "--", "/no/such/program"},
         4,
         "cannot execute '/no/such/program'"},
        {{WBTOOL_BINARY, "sandbox", "--json", "--bind", missing + ":/box/in", "--", "/bin/true"},
         4,
         "cannot bind '" + missing + "'"},
    };
    for (const Case& c : cases) {
        const auto r = wb::test::run_process(c.argv);
        INFO(r.out << r.err);
        CHECK(r.exit_code == c.exit_code);
        CHECK_THAT(r.json()["message"].get<std::string>(), Catch::Contains(c.message));
        errno = 0;
        CHECK(waitpid(-1, nullptr, WNOHANG) == -1);
        CHECK(errno == ECHILD);
    }
}
