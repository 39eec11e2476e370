// The completion scripts: the committed ones are exactly what `wbtool
// completion SHELL` prints (so they hold every flag of the CLI11 tree), and
// the bash one, driven as bash drives it (COMP_WORDS, COMP_CWORD, then the
// function), offers what a user expects at each point of a command line.
#include "runner.h"
#include "skip.h"
#include "text_files.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

using wb::test::run_process;

struct Committed {
    const char* shell;
    const char* file;
};

constexpr Committed committed[] = {
    {"bash", "completions/wbtool.bash"},
    {"zsh", "completions/_wbtool"},
    {"fish", "completions/wbtool.fish"},
};

// What the completion function offers for `line`, the last word being the
// one completed; sorted, one per line.
std::string bash_complete(const std::vector<std::string>& words,
                          const std::filesystem::path& cwd = {}) {
    std::string array;
    for (const auto& w : words)
        array += " '" + w + "'";
    const auto script = "source '" + (wb::test::source_dir() / "completions/wbtool.bash").string() +
                        "'\nCOMP_WORDS=(" + array +
                        ")\nCOMP_CWORD=" + std::to_string(words.size() - 1) +
                        "\n_wbtool\nfor w in \"${COMPREPLY[@]}\"; do echo \"$w\"; done | sort\n";
    const auto run = run_process({"/bin/bash", "--norc", "-c", script}, cwd);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.err.empty());
    return run.out;
}

} // namespace

TEST_CASE("the committed completion scripts are what `wbtool completion` prints") {
    for (const auto& c : committed) {
        const auto run = run_process({WBTOOL_BINARY, "completion", c.shell});
        REQUIRE(run.exit_code == 0);
        INFO(c.file << " differs from `wbtool completion " << c.shell << "`: regenerate it with `"
                    << WBTOOL_BINARY << " completion " << c.shell << " > " << c.file
                    << "` and commit it");
        CHECK(wb::test::slurp(wb::test::source_dir() / c.file) == run.out);
    }
}

TEST_CASE("bash completes subcommands, flags and their values from the tree") {
    CHECK(bash_complete({"wbtool", "mp", "im"}) == "import\n");
    CHECK(bash_complete({"wbtool", "grade", "--lo"}) == "--local\n");
    CHECK(bash_complete({"wbtool", "gr"}) == "grade\ngrades\n");
    CHECK(bash_complete({"wbtool", "gpu"}) == "gpu-check\n");
    CHECK(bash_complete({"wbtool", "--data", "/tmp", "mp", ""}) == "import\nlist\nshow\nverify\n");
    // Global options after a subcommand, as the parser takes them.
    CHECK(bash_complete({"wbtool", "mp", "import", "x", "--da"}) == "--data\n");
    CHECK(bash_complete({"wbtool", "user", "add", "bob", "-"}).find("--quiet\n") !=
          std::string::npos);
    // An option's value is skipped, not taken for a positional or command.
    CHECK(bash_complete({"wbtool", "mp", "show", "--version", "2", "--j"}) == "--json\n");
    CHECK(bash_complete({"wbtool", "grade", "--min-isolation", ""}) == "full\nrlimits\nuserns\n");
    CHECK(bash_complete({"wbtool", "completion", ""}) == "bash\nfish\nzsh\n");
    CHECK(bash_complete({"wbtool", "mp", "show", "--version", ""}).empty());
}

TEST_CASE("bash completes files and directories where they are taken") {
    wb::test::TempDir tmp;
    std::filesystem::create_directory(tmp / "bundle");
    std::ofstream(tmp / "bundle.cpp") << "int main() {}\n";
    // A directory for the bundle, any file for the program and --bind.
    CHECK(bash_complete({"wbtool", "mp", "import", "bun"}, tmp.path()) == "bundle\n");
    CHECK(bash_complete({"wbtool", "grade", "--local", "bundle", "bun"}, tmp.path()) ==
          "bundle\nbundle.cpp\n");
    CHECK(bash_complete({"wbtool", "--cache", "bun"}, tmp.path()) == "bundle\n");
    // After `--`, the sandboxed command's words are its own, not wbtool's.
    CHECK(bash_complete({"wbtool", "sandbox", "--", "--da"}, tmp.path()).empty());
}

TEST_CASE("the zsh and fish scripts parse, and fish completes from the tree") {
    if (access("/usr/bin/zsh", X_OK) != 0 && access("/usr/bin/fish", X_OK) != 0)
        wb::test::skip("neither zsh nor fish is installed");
    const auto root = wb::test::source_dir();
    if (access("/usr/bin/zsh", X_OK) == 0) {
        const auto run =
            run_process({"/usr/bin/zsh", "-n", (root / "completions/_wbtool").string()});
        INFO(run.err);
        CHECK(run.exit_code == 0);
    }
    if (access("/usr/bin/fish", X_OK) == 0) {
        const auto source = "source '" + (root / "completions/wbtool.fish").string() + "'; ";
        const auto run = run_process({"/usr/bin/fish", "--no-config", "-c",
                                      source + "complete -C 'wbtool mp import x --ver'"});
        INFO(run.err);
        CHECK(run.exit_code == 0);
        CHECK_THAT(run.out, Catch::StartsWith("--verify\t"));
    }
}
