// docs/api/openapi.yaml documents exactly the routes the server registers:
// a route added without its documentation (or the other way) fails here.
#include "core/server/server.h"
#include "runner.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>

TEST_CASE("openapi.yaml lists exactly the registered routes") {
    std::ifstream in(wb::test::source_dir() / "docs/api/openapi.yaml");
    REQUIRE(in);
    std::set<std::string> documented;
    const std::regex path_re(R"(^  (/[^:\s]*):\s*$)");
    const std::regex method_re(R"(^    (get|post|delete|put|patch):\s*$)");
    std::string line, current;
    bool in_paths = false;
    while (std::getline(in, line)) {
        if (line.rfind("paths:", 0) == 0) {
            in_paths = true;
            continue;
        }
        if (in_paths && !line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
        if (!in_paths) continue;
        std::smatch m;
        if (std::regex_match(line, m, path_re))
            current = m[1];
        else if (std::regex_match(line, m, method_re) && !current.empty()) {
            std::string method = m[1];
            for (auto& ch : method)
                ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            documented.insert(method + " " + current);
        }
    }
    std::set<std::string> registered;
    for (const auto& [method, path] : wb::server::api_routes())
        registered.insert(method + " " + path);
    for (const auto& r : registered) {
        INFO("registered but not in openapi.yaml: " << r);
        CHECK(documented.count(r) == 1);
    }
    for (const auto& d : documented) {
        INFO("in openapi.yaml but not registered: " << d);
        CHECK(registered.count(d) == 1);
    }
}
