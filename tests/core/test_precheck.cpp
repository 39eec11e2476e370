// The precheck: forbidden keywords in code are found at the right place;
// the same words in comments and literals are not.
#include "core/precheck.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using wb::core::find_forbidden;

namespace {

bool found(const std::string& source, const std::vector<std::string>& keywords) {
    return find_forbidden(source, keywords).has_value();
}

} // namespace

TEST_CASE("precheck: a keyword in code is found at its line and column", "[precheck]") {
    std::string source = "#include <stdio.h>\n"
                         "int main() {\n"
                         "    if (bad) exit(1);\n"
                         "}\n";
    auto hit = find_forbidden(source, {"exit"});
    REQUIRE(hit);
    CHECK(hit->keyword == "exit");
    CHECK(hit->line == 3);
    CHECK(hit->column == 14);

    hit = find_forbidden("exit", {"exit"});
    REQUIRE(hit);
    CHECK(hit->line == 1);
    CHECK(hit->column == 1);
}

TEST_CASE("precheck: no keywords, no hit", "[precheck]") {
    CHECK_FALSE(found("int main() { exit(0); }", {}));
    CHECK_FALSE(found("int main() { return 0; }", {"exit", "system"}));
    CHECK_FALSE(found("", {"exit"}));
}

TEST_CASE("precheck: comments do not count", "[precheck]") {
    CHECK_FALSE(found("int x; // call exit here\n", {"exit"}));
    CHECK_FALSE(found("int x; /* exit\n exit */ int y;\n", {"exit"}));
    CHECK_FALSE(found("int x; // a comment that goes on \\\n exit(0);\n", {"exit"}));
    CHECK_FALSE(found("/**/ /* * / exit */", {"exit"}));
    auto hit = find_forbidden("/* exit */ exit(0);", {"exit"});
    REQUIRE(hit);
    CHECK(hit->column == 12);
    CHECK(found("int a = b //**/ c;\nexit", {"exit"}));
}

TEST_CASE("precheck: string and character literals do not count", "[precheck]") {
    CHECK_FALSE(found(R"(puts("exit");)", {"exit"}));
    CHECK_FALSE(found(R"(puts("say \"exit\" now");)", {"exit"}));
    CHECK_FALSE(found(R"(puts("back\\"); puts("exit");)", {"exit"}));
    CHECK_FALSE(found(R"(auto s = u8"exit"; auto t = L"exit"; auto u = U"exit";)", {"exit"}));
    CHECK_FALSE(found("char c = 'e'; char d = '\\''; int exit_code = 0;", {"exit"}));
    CHECK_FALSE(found("int c = 'exit';", {"exit"}));
    CHECK(found(R"(puts("a"); exit(1);)", {"exit"}));
    CHECK(found("char c = '\\''; exit(1);", {"exit"}));
}

TEST_CASE("precheck: raw string literals do not count", "[precheck]") {
    CHECK_FALSE(found("auto s = R\"(exit \" still inside)\";", {"exit"}));
    CHECK_FALSE(found("auto s = R\"xy(a )\" exit )xy\";", {"exit"}));
    CHECK_FALSE(found("auto s = u8R\"(\nexit\n)\";", {"exit"}));
    auto hit = find_forbidden("auto s = R\"x(exit)x\"; exit(2);", {"exit"});
    REQUIRE(hit);
    CHECK(hit->column == 23);
    // Splices are undone inside a raw string: the text ends at the real )x".
    CHECK_FALSE(found("auto s = R\"x( )\\\nx\" exit )x\";", {"exit"}));
}

TEST_CASE("precheck: identifiers match whole", "[precheck]") {
    CHECK_FALSE(found("int exit_code = 0; int my_exit; int exit2;", {"exit"}));
    CHECK_FALSE(found("int x = 0x1exit;", {"exit"})); // one pp-number
    CHECK(found("x=exit;", {"exit"}));
    CHECK(found("a.exit()", {"exit"}));
}

TEST_CASE("precheck: multi-token keywords", "[precheck]") {
    std::string source = "#include <thread>\n"
                         "int main() {\n"
                         "  std :: thread t(f);\n"
                         "}\n";
    auto hit = find_forbidden(source, {"std::thread"});
    REQUIRE(hit);
    CHECK(hit->keyword == "std::thread");
    CHECK(hit->line == 3);
    CHECK(hit->column == 3);
    CHECK_FALSE(found("std::threads t; std::this_thread::yield();", {"std::thread"}));
    CHECK_FALSE(found("std:thread", {"std::thread"}));
    CHECK(found("::std::thread t;", {"std::thread"}));
    CHECK(found("kernel<<<grid, block>>>(a);", {"<<<"}));
    CHECK(found("cudaMemcpyAsync(d, h, n, cudaMemcpyHostToDevice);", {"cudaMemcpyAsync"}));
}

TEST_CASE("precheck: #include and directives", "[precheck]") {
    std::string source = "#include <stdio.h>\n"
                         "  #  include \"pthread.h\"\n";
    auto hit = find_forbidden(source, {"#include"});
    REQUIRE(hit);
    CHECK(hit->line == 1);
    CHECK(hit->column == 1);

    hit = find_forbidden(source, {"pthread.h"});
    REQUIRE(hit);
    CHECK(hit->line == 2);
    CHECK(hit->column == 15);

    CHECK(found("#include <pthread.h>\n", {"pthread.h"}));
    CHECK(found("#include <pthread.h>\n", {"<pthread.h>"}));
    CHECK(found("#include <thread>\n", {"include"}));
    CHECK(found("%:include <thread>\n", {"#include"})); // a digraph is the same token
    CHECK_FALSE(found("#define X \"#include\"\n", {"#include"}));
    CHECK_FALSE(found("puts(\"pthread.h\");\n", {"pthread.h"}));
}

TEST_CASE("precheck: the earliest hit wins", "[precheck]") {
    std::string source = "int a = system(\"x\");\nint b = exit(1);\n";
    auto hit = find_forbidden(source, {"exit", "system"});
    REQUIRE(hit);
    CHECK(hit->keyword == "system");
    CHECK(hit->line == 1);
    CHECK(hit->column == 9);

    // At the same place, the first keyword listed wins.
    hit = find_forbidden("std::thread t;", {"std::thread", "std"});
    REQUIRE(hit);
    CHECK(hit->keyword == "std::thread");
}

TEST_CASE("precheck: line splices are removed, positions are the written ones", "[precheck]") {
    auto hit = find_forbidden("int a;\nex\\\nit(0);\n", {"exit"});
    REQUIRE(hit);
    CHECK(hit->line == 2);
    CHECK(hit->column == 1);

    hit = find_forbidden("/* x */ \\\r\n  system(\"ls\");\r\n", {"system"});
    REQUIRE(hit);
    CHECK(hit->line == 2);
    CHECK(hit->column == 3);
}

TEST_CASE("precheck: unterminated comments and literals end safely", "[precheck]") {
    CHECK_FALSE(found("int x; /* exit(0);", {"exit"}));
    CHECK_FALSE(found("int x; /", {"exit"}));
    CHECK_FALSE(found("puts(\"exit", {"exit"}));
    CHECK_FALSE(found("auto s = R\"x(exit", {"exit"}));
    CHECK_FALSE(found("char c = '\\", {"exit"}));
    CHECK_FALSE(found("x \\", {"exit"}));
    // A stray quote ends with its line (as in a block the compiler skips).
    CHECK(found("#if 0\ndon't\n#endif\nexit(0);\n", {"exit"}));
    CHECK(found("auto s = R\"bad delimiter(x)\"\nexit(0);\n", {"exit"}));
}

TEST_CASE("precheck: empty and blank keywords are ignored", "[precheck]") {
    CHECK_FALSE(found("int main() { return 0; }", {"", "  ", "\t\n", "// just a comment"}));
    auto hit = find_forbidden("int main() { exit(0); }", {"", " exit "});
    REQUIRE(hit);
    CHECK(hit->keyword == " exit ");
}

TEST_CASE("precheck: numbers and unusual bytes", "[precheck]") {
    CHECK_FALSE(found("int n = 1'000'000; double d = 1e+10;", {"000", "+"}));
    CHECK(found("double d = 1.5e10 + x;", {"+"}));
    CHECK(found("int main() { return 0; } @ exit", {"exit"}));
    CHECK_FALSE(found("int caf\xc3\xa9xit;", {"exit"}));
    CHECK(found("\xEF\xBB\xBF#include <x>\n", {"#include"}));
}
