// Every subcommand has a man page, every flag that its `--help` shows is in
// that page, and every page renders without a warning: adding a command or
// a flag without its docs fails here. The subcommands are found by walking
// `--help` from the top, so a new one is checked without editing this file.
// (The completion scripts are generated from the same tree and compared in
// test_completion.cpp.)
#include "runner.h"
#include "skip.h"
#include "text_files.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <map>
#include <regex>
#include <set>

namespace {

using wb::test::slurp;

std::set<std::string> long_flags(const std::string& help) {
    std::set<std::string> flags;
    const std::regex re("(--[a-z][a-z-]*)");
    for (auto it = std::sregex_iterator(help.begin(), help.end(), re); it != std::sregex_iterator();
         ++it)
        flags.insert((*it)[1]);
    flags.erase("--help");
    return flags;
}

// The names listed under "Subcommands:" in a CLI11 help text.
std::vector<std::string> subcommands(const std::string& help) {
    std::vector<std::string> names;
    bool in_list = false;
    for (const auto& line : wb::test::lines_of(help)) {
        if (line == "Subcommands:") {
            in_list = true;
        } else if (in_list && line.starts_with("  ") && line.size() > 2 && line[2] != ' ') {
            names.push_back(line.substr(2, line.find(' ', 2) - 2));
        } else if (in_list && line.empty()) {
            in_list = false;
        }
    }
    return names;
}

// Every command path under the root: {}, {"grade"}, {"mp"}, {"mp", "import"}, ...
void walk(const wb::test::Wbtool& wbtool, std::vector<std::string> path,
          std::vector<std::vector<std::string>>& out) {
    auto args = path;
    args.push_back("--help");
    const auto help = wbtool(args);
    REQUIRE(help.exit_code == 0);
    out.push_back(path);
    for (const auto& sub : subcommands(help.out)) {
        auto deeper = path;
        deeper.push_back(sub);
        walk(wbtool, deeper, out);
    }
}

// In man pages, '-' is written '\-'.
std::string man_form(const std::string& flag) {
    std::string out;
    for (char c : flag)
        out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}

// wbtool.1 for wbtool itself; a subcommand's subcommands are in its page,
// and the client's commands share a page by what they are for.
std::string page_of(const std::vector<std::string>& path) {
    if (path.empty()) return "wbtool.1";
    static const std::map<std::string, std::string> shared = {
        {"signup", "login"},   {"logout", "login"},    {"whoami", "login"},   {"save", "submit"},
        {"program", "submit"}, {"attempts", "submit"}, {"attempt", "submit"}, {"workers", "grades"},
        {"answer", "submit"},  {"answers", "grades"}};
    const auto it = shared.find(path.front());
    return "wbtool-" + (it == shared.end() ? path.front() : it->second) + ".1";
}

} // namespace

TEST_CASE("every flag in each subcommand's --help is in its man page") {
    wb::test::Wbtool wbtool;
    std::vector<std::vector<std::string>> paths;
    walk(wbtool, {}, paths);
    CHECK(paths.size() > 10);
    for (const auto& path : paths) {
        auto args = path;
        args.push_back("--help");
        const auto help = wbtool(args);
        const auto page = page_of(path);
        const std::string man = slurp(wb::test::source_dir() / "man" / page);
        std::string command = "wbtool";
        for (const auto& word : path)
            command += " " + word;
        INFO(command << " -> man/" << page);
        REQUIRE_FALSE(man.empty());
        for (const auto& flag : long_flags(help.out)) {
            INFO(flag);
            CHECK(man.find(man_form(flag)) != std::string::npos);
        }
    }
}

TEST_CASE("every man page renders without a warning") {
    if (access("/usr/bin/groff", X_OK) != 0)
        wb::test::skip("groff is not installed (Debian: groff-base, see scripts/setup-deps.sh)");
    for (const auto& entry : std::filesystem::directory_iterator(wb::test::source_dir() / "man")) {
        if (entry.path().extension() != ".1") continue;
        const auto run = wb::test::run_process(
            {"/usr/bin/groff", "-ww", "-man", "-Tutf8", "-z", entry.path().string()});
        INFO(entry.path().filename().string() << ":\n" << run.err);
        CHECK(run.exit_code == 0);
        CHECK(run.err.empty());
    }
}
