// `wbtool sandbox` end to end: what an admin checking a toolchain sees. The
// program's output reaches the admin's stderr only through wbtool's counting
// pipe; the program never gets that stderr (a log, a terminal) itself.
#include "runner.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using wb::test::Run;
using wb::test::Wbtool;
using wb::test::write_text;

namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

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
         quoted(WBTOOL_BINARY) + " sandbox --json --output-limit 64 --time-limit 5 -- /usr/bin/yes 2>/dev/null"});
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
         quoted(WBTOOL_BINARY) + " sandbox --json --output-limit 16 -- /usr/bin/yes 2>" + quoted(err.string())});
    INFO(run.out << run.err);
    CHECK(run.json()["status"] == "output_limit");
    CHECK(std::filesystem::file_size(err) == 16 * 1024);
}
