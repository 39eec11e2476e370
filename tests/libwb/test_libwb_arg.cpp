// wbArg_read: the command line the grader and students use.
#include "libwb_test_util.h"

#include <initializer_list>

using Catch::Matchers::Contains;
using libwb_test::errorOf;
using libwb_test::runHelper;
using wb::test::TempDir;

namespace {

// argv storage for wbArg_read, with a program name in front.
struct Argv {
    std::vector<std::string> text;
    std::vector<char*> ptrs;
    Argv(std::initializer_list<const char*> args) {
        text.push_back("program");
        for (const char* a : args)
            text.push_back(a);
        for (auto& t : text)
            ptrs.push_back(t.data());
        ptrs.push_back(nullptr);
    }
    int argc() const { return static_cast<int>(text.size()); }
    char** argv() { return ptrs.data(); }
};

} // namespace

TEST_CASE("wbArg_read reads inputs, output, expected output and type") {
    Argv a{"-i",    "in0.raw,in1.raw,dir/in2.raw", "-o", "out.raw", "-e", "expected.raw", "-t",
           "vector"};
    wbArg_t args = wbArg_read(a.argc(), a.argv());
    REQUIRE(wbArg_getInputCount(args) == 3);
    CHECK(std::string(wbArg_getInputFile(args, 0)) == "in0.raw");
    CHECK(std::string(wbArg_getInputFile(args, 1)) == "in1.raw");
    CHECK(std::string(wbArg_getInputFile(args, 2)) == "dir/in2.raw");
    CHECK(std::string(wbArg_getOutputFile(args)) == "out.raw");
    CHECK(std::string(wbArg_getExpectedOutputFile(args)) == "expected.raw");
    CHECK(std::string(wbArg_getType(args)) == "vector");
    // The strings are copies: argv may change afterwards.
    a.text[2][0] = 'X';
    CHECK(std::string(wbArg_getInputFile(args, 0)) == "in0.raw");
    wbArg_delete(args);
}

TEST_CASE("absent arguments read as NULL and no inputs") {
    Argv a{};
    wbArg_t args = wbArg_read(a.argc(), a.argv());
    CHECK(wbArg_getInputCount(args) == 0);
    CHECK(wbArg_getOutputFile(args) == nullptr);
    CHECK(wbArg_getExpectedOutputFile(args) == nullptr);
    CHECK(wbArg_getType(args) == nullptr);
    CHECK(wbArg_getInputFile(args, 0) == nullptr); // out of range: NULL and a warning
    CHECK(wbArg_getInputFile(args, -1) == nullptr);
    wbArg_delete(args);
}

TEST_CASE("an empty -i list means no inputs, repeated -i appends, the last -o wins") {
    Argv a{"-i", "", "-i", "a.raw", "-i", "b.raw,c.raw", "-o", "first", "-o", "second"};
    wbArg_t args = wbArg_read(a.argc(), a.argv());
    REQUIRE(wbArg_getInputCount(args) == 3);
    CHECK(std::string(wbArg_getInputFile(args, 0)) == "a.raw");
    CHECK(std::string(wbArg_getInputFile(args, 2)) == "c.raw");
    CHECK(std::string(wbArg_getOutputFile(args)) == "second");
    wbArg_delete(args);
}

TEST_CASE("unknown arguments are ignored with a warning") {
    TempDir dir;
    auto r = runHelper(dir, {"args", "--verbose", "-i", "x.raw", "extra", "-t", "matrix"});
    CHECK(r.exitCode == 0);
    CHECK(r.out == "count=1\ninput0=x.raw\noutput=(none)\nexpected=(none)\ntype=matrix\n");
    CHECK_THAT(r.err, Contains("libwb: warning: ignoring unknown argument '--verbose'"));
    CHECK_THAT(r.err, Contains("libwb: warning: ignoring unknown argument 'extra'"));
}

TEST_CASE("a flag without its value is an error") {
    for (const char* flag : {"-i", "-o", "-e", "-t"}) {
        INFO(flag);
        Argv a{"-i", "x.raw", flag};
        std::string message = errorOf([&] { wbArg_read(a.argc(), a.argv()); });
        CHECK_THAT(message, Contains(std::string("option ") + flag + " needs a value"));
        CHECK_THAT(message, Contains("usage: program -i input0[,input1,...]"));
    }
}

TEST_CASE("an empty name inside an -i list is an error") {
    for (const char* list : {"a.raw,,b.raw", ",a.raw", "a.raw,"}) {
        INFO(list);
        Argv a{"-i", list};
        CHECK_THAT(errorOf([&] { wbArg_read(a.argc(), a.argv()); }),
                   Contains("empty file name in the list"));
    }
}

TEST_CASE("a bad command line exits with status 2") {
    TempDir dir;
    auto r = runHelper(dir, {"args", "-i", "a,,b"});
    CHECK(r.exitCode == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Contains("libwb: error: -i 'a,,b': empty file name in the list"));
}
