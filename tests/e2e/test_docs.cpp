// Every flag that `--help` shows is documented in the man page and offered by
// each completion script: adding a flag without its docs fails here.
#include "runner.h"
#include "text_files.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

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

// In man pages, '-' is written '\-'.
std::string man_form(const std::string& flag) {
    std::string out;
    for (char c : flag)
        out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}

} // namespace

TEST_CASE("every flag in --help is in the man page and the completions") {
    wb::test::Wbtool wbtool;
    struct Page {
        std::vector<std::string> command;
        std::string man;
    };
    const std::vector<Page> pages = {
        {{"--help"}, "wbtool.1"},
        {{"grade", "--help"}, "wbtool-grade.1"},
        {{"mp", "import", "--help"}, "wbtool-mp.1"},
        {{"mp", "list", "--help"}, "wbtool-mp.1"},
        {{"mp", "show", "--help"}, "wbtool-mp.1"},
        {{"libwb", "--help"}, "wbtool-libwb.1"},
        {{"serve", "--help"}, "wbtool-serve.1"},
        {{"worker", "--help"}, "wbtool-worker.1"},
        {{"user", "add", "--help"}, "wbtool-user.1"},
        {{"user", "list", "--help"}, "wbtool-user.1"},
        {{"user", "key", "--help"}, "wbtool-user.1"},
        {{"sandbox", "--help"}, "wbtool-sandbox.1"},
        {{"login", "--help"}, "wbtool-login.1"},
        {{"signup", "--help"}, "wbtool-login.1"},
        {{"logout", "--help"}, "wbtool-login.1"},
        {{"whoami", "--help"}, "wbtool-login.1"},
        {{"save", "--help"}, "wbtool-submit.1"},
        {{"program", "--help"}, "wbtool-submit.1"},
        {{"submit", "--help"}, "wbtool-submit.1"},
        {{"attempts", "--help"}, "wbtool-submit.1"},
        {{"attempt", "show", "--help"}, "wbtool-submit.1"},
        {{"grades", "--help"}, "wbtool-grades.1"},
        {{"workers", "--help"}, "wbtool-grades.1"},
    };
    const auto root = wb::test::source_dir();
    const std::string bash = slurp(root / "completions/wbtool.bash");
    const std::string zsh = slurp(root / "completions/_wbtool");
    const std::string fish = slurp(root / "completions/wbtool.fish");
    for (const auto& page : pages) {
        const auto help = wbtool(page.command);
        REQUIRE(help.exit_code == 0);
        const std::string man = slurp(root / "man" / page.man);
        REQUIRE_FALSE(man.empty());
        for (const auto& flag : long_flags(help.out)) {
            INFO(page.man << ": " << flag);
            CHECK(man.find(man_form(flag)) != std::string::npos);
            CHECK(bash.find(flag) != std::string::npos);
            CHECK(zsh.find(flag) != std::string::npos);
            CHECK(fish.find("-l " + flag.substr(2)) != std::string::npos);
        }
    }
}
