// The command line's conventions, as a user meets them: global options
// before or after the subcommand, a sandboxed command's own arguments left
// alone, and a mistyped command or flag answered with the nearest name.
#include "runner.h"

#include <catch2/catch.hpp>

using wb::test::example;
using wb::test::run_process;
using wb::test::TempDir;

TEST_CASE("global options work before and after the subcommand") {
    TempDir tmp;
    const auto before = (tmp / "before").string();
    const auto after = (tmp / "after").string();
    const auto bundle = example("vecadd").string();
    const auto first = run_process(
        {WBTOOL_BINARY, "--data", before, "--cache", before, "-q", "mp", "import", bundle});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    const auto second = run_process(
        {WBTOOL_BINARY, "mp", "import", bundle, "--data", after, "--cache", after, "--quiet"});
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(second.err.empty()); // --quiet after the subcommand took effect
    for (const auto& dir : {before, after}) {
        const auto list = run_process({WBTOOL_BINARY, "mp", "list", "--json", "--data=" + dir});
        REQUIRE(list.exit_code == 0);
        CHECK(list.json()[0]["id"] == "vecadd");
    }
}

TEST_CASE("a sandboxed command's own arguments are not taken as wbtool's options") {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"sandbox", "--no-isolation", "--", "/bin/echo", "--data", "x",
                                   "-q"},
          std::vector<std::string>{"sandbox", "--no-isolation", "/bin/echo", "--data", "x",
                                   "-q"}}) {
        std::vector<std::string> argv{WBTOOL_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto run = run_process(argv);
        INFO(run.out << run.err);
        CHECK(run.exit_code == 0);
        CHECK_THAT(run.err, Catch::StartsWith("--data x -q\n"));
    }
}

TEST_CASE("a mistyped command or flag gets the nearest name, exit 2") {
    struct Case {
        std::vector<std::string> args;
        std::string error;
        std::string hint;
    };
    const std::vector<Case> cases = {
        {{"grdae"}, "unknown command 'grdae' for `wbtool`", "did you mean 'grade'?"},
        {{"mp", "imprt", "x"}, "unknown command 'imprt' for `wbtool mp`", "did you mean 'import'?"},
        {{"grade", "--lcoal", "a", "b"},
         "unknown option '--lcoal' for `wbtool grade`",
         "did you mean '--local'?"},
        {{"mp", "import", "x", "--dat", "d"},
         "unknown option '--dat' for `wbtool mp import`",
         "did you mean '--data'?"},
        {{"frobnicate"}, "unknown command 'frobnicate' for `wbtool`", "see `wbtool --help`"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv{WBTOOL_BINARY};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        const auto run = run_process(argv);
        INFO(run.err);
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.err, Catch::StartsWith("wbtool: error: " + c.error + "\n") &&
                                Catch::Contains(c.hint));
    }
}
