// The HTTP server is a module that only `wbtool serve` and `worker` load
// (core/server/module.h), the HTTP client one that only the client
// commands load (core/client/module.h): the other commands must start
// without libmicrohttpd, libcurl and OpenSSL (and without libstdc++.so,
// which the binary links in), and a missing module must be a clear error.
#include "runner.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

} // namespace

TEST_CASE("the wbtool binary loads neither libmicrohttpd nor OpenSSL, its server module does") {
    const auto dir = std::filesystem::path(WBTOOL_BINARY).parent_path();
#ifndef __SANITIZE_ADDRESS__
    // Start-up: wbtool is linked statically (cmd/CMakeLists.txt), so
    // nothing at all is loaded before main().
    const auto ldd = wb::test::run_process({"/bin/sh", "-c", "ldd " + quoted(WBTOOL_BINARY)});
    INFO(ldd.out << ldd.err);
    CHECK_THAT(ldd.out, Catch::Contains("statically linked"));
#endif
    // wbtool-net, which the commands that load a module run in, loads only
    // the C library itself, as the dynamic loader would.
    auto libs = wb::test::run_process(
        {"/bin/sh", "-c", "LD_TRACE_LOADED_OBJECTS=1 " + quoted((dir / "wbtool-net").string())});
    INFO(libs.out << libs.err);
    REQUIRE(libs.exit_code == 0);
    CHECK_THAT(libs.out, Catch::Contains("libc.so"));
    CHECK_THAT(libs.out, !Catch::Contains("httplib"));
    CHECK_THAT(libs.out, !Catch::Contains("microhttpd"));
    CHECK_THAT(libs.out, !Catch::Contains("libssl"));
    CHECK_THAT(libs.out, !Catch::Contains("libcrypto"));
    CHECK_THAT(libs.out, !Catch::Contains("libcurl"));
#ifndef __SANITIZE_ADDRESS__
    // No C++ library, so no libstdc++.so and its run-time symbol lookups
    // before main() (cmd/CMakeLists.txt, core/yaml.h).
    CHECK_THAT(libs.out, !Catch::Contains("libstdc++"));
    CHECK_THAT(libs.out, !Catch::Contains("yaml-cpp"));
#endif
    const auto module = dir / "wbtool-server.so";
    REQUIRE(std::filesystem::exists(module));
    libs = wb::test::run_process({"/bin/sh", "-c", "ldd " + quoted(module.string())});
    INFO(libs.out << libs.err);
    CHECK_THAT(libs.out, Catch::Contains("libmicrohttpd"));
    CHECK_THAT(libs.out, !Catch::Contains("httplib"));
    // The client commands' module: libcurl, and not the server's library.
    const auto client = dir / "wbtool-client.so";
    libs = wb::test::run_process({"/bin/sh", "-c", "ldd " + quoted(client.string())});
    INFO(libs.out << libs.err);
    CHECK_THAT(libs.out, Catch::Contains("libcurl"));
    CHECK_THAT(libs.out, !Catch::Contains("microhttpd"));
}

TEST_CASE("wbtool serve without its server module names every place it looked and exits 4") {
    if (std::filesystem::exists(std::filesystem::path(WBTOOL_MODULE_DIR) / "wbtool-server.so"))
        wb::test::skip("an installed server module would be found");
    wb::test::TempDir dir;
    const auto alone = dir / "wbtool";
    std::filesystem::copy_file(WBTOOL_BINARY, alone);
    // The static wbtool runs wbtool-net from beside it, which looks for the
    // module beside itself.
    const auto bin = std::filesystem::path(WBTOOL_BINARY).parent_path();
    std::filesystem::copy_file(bin / "wbtool-net", dir / "wbtool-net");
    auto run = wb::test::run_process(
        {alone.string(), "--data", (dir / "data").string(), "serve", "--listen", "127.0.0.1:0"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 4);
    CHECK_THAT(run.err, Catch::StartsWith("wbtool: error: cannot load the module "
                                          "wbtool-server.so; looked at:"));
    CHECK_THAT(run.err, Catch::Contains((dir / "wbtool-server.so").string() + ": not there"));
    CHECK_THAT(run.err, Catch::Contains("Reinstall wbtool, or rebuild it"));
    // The other commands do not need it.
    run = wb::test::run_process({alone.string(), "--version"});
    CHECK(run.exit_code == 0);
}

TEST_CASE("a command that loads a module runs in wbtool-net, and without it says where it looked") {
#ifdef __SANITIZE_ADDRESS__
    wb::test::skip("a sanitizer build's wbtool is linked as wbtool-net: it loads them itself");
#endif
    if (std::filesystem::exists(std::filesystem::path(WBTOOL_MODULE_DIR) / "wbtool-net"))
        wb::test::skip("an installed wbtool-net would be found");
    wb::test::TempDir dir;
    const auto alone = dir / "wbtool";
    std::filesystem::copy_file(WBTOOL_BINARY, alone);
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"serve", "--listen", "127.0.0.1:0"},
          std::vector<std::string>{"whoami", "--server", "http://127.0.0.1:1"},
          std::vector<std::string>{"grade", "--server", "http://127.0.0.1:1", "mp", "a.cu"},
          std::vector<std::string>{"gpu-check"}}) {
        std::vector<std::string> argv{alone.string(), "--data", (dir / "data").string()};
        argv.insert(argv.end(), command.begin(), command.end());
        const auto run = wb::test::run_process(argv);
        INFO(command[0] << ": " << run.out << run.err);
        CHECK(run.exit_code == 4);
        CHECK_THAT(run.err, Catch::StartsWith("wbtool: error: this command needs wbtool-net "
                                              "(wbtool linked with the shared C library), "
                                              "which is missing; looked at:"));
        CHECK_THAT(run.err, Catch::Contains((dir / "wbtool-net").string() + ": not there"));
        CHECK_THAT(run.err, Catch::Contains("Reinstall wbtool, or rebuild it"));
    }
    // The other commands run in wbtool itself.
    auto run = wb::test::run_process({alone.string(), "sandbox", "--", "/bin/true"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("status        ok"));
    // A wbtool installed as its own wbtool-net is skipped, not run forever.
    std::filesystem::create_symlink("wbtool", dir / "wbtool-net");
    run = wb::test::run_process({alone.string(), "whoami", "--server", "http://127.0.0.1:1"});
    CHECK(run.exit_code == 4);
    CHECK_THAT(run.err, Catch::Contains((dir / "wbtool-net").string() +
                                        ": this wbtool itself, not wbtool-net"));
}

TEST_CASE("a usage error of a command that runs in wbtool-net is the static wbtool's own") {
    // No wbtool-net beside it: a grade on a server that cannot be is a
    // usage error (exit 2) before wbtool-net is needed.
    wb::test::TempDir dir;
    const auto alone = dir / "wbtool";
    std::filesystem::copy_file(WBTOOL_BINARY, alone);
    wb::test::RunOptions options;
    options.env = {
        {"HOME", (dir / "home").string()}, {"XDG_CONFIG_HOME", ""}, {"WBTOOL_SERVER", ""}};
    const auto run = wb::test::run_process({alone.string(), "grade", "mp1", "p.cu"}, options);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("no server to grade on"));
}

TEST_CASE("WBTOOL_STARTED_BY_VERSION set by hand changes nothing for the static wbtool") {
#ifdef __SANITIZE_ADDRESS__
    wb::test::skip("a sanitizer build's wbtool is linked as wbtool-net, which refuses it");
#endif
    wb::test::RunOptions options;
    options.env = {{"WBTOOL_STARTED_BY_VERSION", "0.0.0-other"}};
    const auto run = wb::test::run_process({WBTOOL_BINARY, "sandbox", "--", "/bin/true"}, options);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("status        ok"));
}

TEST_CASE("wbtool-net refuses to run for a wbtool of another version") {
    const auto net = std::filesystem::path(WBTOOL_BINARY).parent_path() / "wbtool-net";
    wb::test::RunOptions options;
    options.env = {{"WBTOOL_STARTED_BY_VERSION", "0.0.0-other"}};
    const auto run = wb::test::run_process({net.string(), "--version"}, options);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 4);
    CHECK_THAT(run.err, Catch::Contains("and was run by wbtool 0.0.0-other: reinstall wbtool so "
                                        "that the two match"));
    CHECK(run.out.empty());
}

TEST_CASE("a command that runs in wbtool-net does its work once") {
    // `mp import --generate` to a server compiles and runs the generator,
    // then uploads: all of it in wbtool-net, nothing first in wbtool. There
    // is no server: the upload fails for want of a key, after the one run.
    wb::test::TempDir dir;
    wb::test::copy_tree(wb::test::source_dir() / "tests" / "e2e" / "courses" / "generated" /
                            "vecadd-gen",
                        dir / "lab");
    wb::test::RunOptions options;
    options.env = {{"HOME", (dir / "home").string()},
                   {"XDG_CONFIG_HOME", ""},
                   {"WBTOOL_API_KEY", ""},
                   {"WBTOOL_DATA", ""},
                   {"WBTOOL_SERVER", "http://127.0.0.1:1"}};
    auto run = wb::test::run_process({WBTOOL_BINARY, "--cache", (dir / "cache").string(), "mp",
                                      "import", "--generate", (dir / "lab").string()},
                                     options);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("no API key for http://127.0.0.1:1"));
    std::size_t generated = 0;
    for (auto at = run.err.find("generating the datasets"); at != std::string::npos;
         at = run.err.find("generating the datasets", at + 1))
        ++generated;
    CHECK(generated == 1);
    // A key file read from a pipe is read once, by wbtool-net: the worker
    // gets as far as the (absent) server.
    options.input = std::string(64, 'a') + "\n";
    run = wb::test::run_process(
        {WBTOOL_BINARY, "worker", "--server", "http://127.0.0.1:1", "--secret-file", "/dev/stdin"},
        options);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Catch::Contains("cannot reach the server http://127.0.0.1:1"));
}

TEST_CASE("without HOME, the default directories are the user database's home") {
    const passwd* pw = ::getpwuid(::getuid());
    REQUIRE(pw != nullptr);
    wb::test::RunOptions options;
    options.env = {
        {"HOME", ""}, {"XDG_CONFIG_HOME", ""}, {"WBTOOL_API_KEY", ""}, {"WBTOOL_SERVER", ""}};
    const auto run =
        wb::test::run_process({WBTOOL_BINARY, "whoami", "--server", "http://127.0.0.1:1"}, options);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains(std::string(pw->pw_dir) + "/.config/wbtool/config.toml"));
    // A user in /etc/passwd: the static wbtool reads it itself, and needs
    // no wbtool-net for a command that loads nothing.
    wb::test::TempDir dir;
    const auto alone = dir / "wbtool";
    std::filesystem::copy_file(WBTOOL_BINARY, alone);
    const auto help = wb::test::run_process({alone.string(), "--help"}, options);
    INFO(help.out << help.err);
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains(std::string(pw->pw_dir) + "/.local/share/wbtool"));
}
