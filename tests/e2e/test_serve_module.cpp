// The HTTP server is a module that only `wbtool serve` and `worker` load
// (core/server/module.h), the HTTP client one that only the client
// commands load (core/client/module.h): the other commands must start
// without libmicrohttpd, libcurl and OpenSSL (and without libstdc++.so,
// which the binary links in), and a missing module must be a clear error.
#include "runner.h"
#include "skip.h"

#include <catch2/catch.hpp>

#include <filesystem>

namespace {

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

} // namespace

TEST_CASE("the wbtool binary loads neither libmicrohttpd nor OpenSSL, its server module does") {
    // What the dynamic loader would load, as ldd asks it.
    auto libs = wb::test::run_process(
        {"/bin/sh", "-c", "LD_TRACE_LOADED_OBJECTS=1 " + quoted(WBTOOL_BINARY)});
    INFO(libs.out << libs.err);
    REQUIRE(libs.exit_code == 0);
    CHECK_THAT(libs.out, Catch::Contains("libc.so"));
    CHECK_THAT(libs.out, !Catch::Contains("httplib"));
    CHECK_THAT(libs.out, !Catch::Contains("microhttpd"));
    CHECK_THAT(libs.out, !Catch::Contains("libssl"));
    CHECK_THAT(libs.out, !Catch::Contains("libcrypto"));
    CHECK_THAT(libs.out, !Catch::Contains("libcurl"));
#ifndef __SANITIZE_ADDRESS__
    // Start-up: no C++ library, so no libstdc++.so and its run-time symbol
    // lookups before main() (cmd/CMakeLists.txt, core/yaml.h).
    CHECK_THAT(libs.out, !Catch::Contains("libstdc++"));
    CHECK_THAT(libs.out, !Catch::Contains("yaml-cpp"));
#endif
    const auto module = std::filesystem::path(WBTOOL_BINARY).parent_path() / "wbtool-server.so";
    REQUIRE(std::filesystem::exists(module));
    libs = wb::test::run_process({"/bin/sh", "-c", "ldd " + quoted(module.string())});
    INFO(libs.out << libs.err);
    CHECK_THAT(libs.out, Catch::Contains("libmicrohttpd"));
    CHECK_THAT(libs.out, !Catch::Contains("httplib"));
    // The client commands' module: libcurl, and not the server's library.
    const auto client = std::filesystem::path(WBTOOL_BINARY).parent_path() / "wbtool-client.so";
    libs = wb::test::run_process({"/bin/sh", "-c", "ldd " + quoted(client.string())});
    INFO(libs.out << libs.err);
    CHECK_THAT(libs.out, Catch::Contains("libcurl"));
    CHECK_THAT(libs.out, !Catch::Contains("microhttpd"));
}

TEST_CASE("wbtool serve without its server module names every place it looked and exits 4") {
    if (std::filesystem::exists("/usr/local/lib/wbtool/wbtool-server.so"))
        wb::test::skip("an installed server module would be found");
    wb::test::TempDir dir;
    const auto alone = dir / "wbtool";
    std::filesystem::copy_file(WBTOOL_BINARY, alone);
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
