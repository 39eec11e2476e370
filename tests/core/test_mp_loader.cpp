// Tests of load_mp: both layouts load to the right Mp, and every refusal names
// the file, the line (when there is one) and the key, as a user would see it.
//
// Each test builds its bundle in a fresh temporary directory from a few small
// helpers, so what a test changes is visible in the test itself. The mp.toml
// texts are written so that their line numbers can be counted by eye.
#include "core/error.h"
#include "core/mp.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;
using Catch::Contains;
using wb::core::BundleLayout;
using wb::core::CheckMode;
using wb::core::load_mp;
using wb::core::Mp;
using wb::core::source_name;
using wb::core::Toolchain;
using wb::test::TempDir;

namespace {

void write(const fs::path& p, std::string_view text) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

// dir/<k>/input0.raw ... input<n-1>.raw and output.raw
void dataset(const fs::path& root, const std::string& dir, int k, int inputs) {
    const fs::path d = root / dir / std::to_string(k);
    fs::create_directories(d);
    for (int i = 0; i < inputs; ++i)
        write(d / ("input" + std::to_string(i) + ".raw"), "1\n" + std::to_string(i) + "\n");
    write(d / "output.raw", "1\n" + std::to_string(k) + "\n");
}

// The smallest valid mp.toml. Line numbers the tests rely on are on the right.
const std::string minimal_toml = "id = \"vecadd\"\n"             // 1
                                 "title = \"Vector addition\"\n" // 2
                                 "\n"                            // 3
                                 "[build]\n"                     // 4
                                 "toolchain = \"cpp\"\n"         // 5
                                 "\n"                            // 6
                                 "[check]\n"                     // 7
                                 "mode = \"vector\"\n";          // 8

// A native bundle "vecadd" with `toml`, template.cpp and datasets 0 and 1.
fs::path native(const TempDir& t, const std::string& toml = minimal_toml) {
    const fs::path root = t.path() / "vecadd";
    write(root / "mp.toml", toml);
    write(root / "template.cpp", "int main() { return 0; }\n");
    dataset(root, "datasets", 0, 2);
    dataset(root, "datasets", 1, 2);
    return root;
}

std::string replace(std::string s, std::string_view from, std::string_view to) {
    const auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    s.replace(pos, from.size(), to);
    return s;
}

// Loads a native bundle whose mp.toml is `toml`; for REQUIRE_THROWS_WITH.
Mp load_toml(const std::string& toml) {
    TempDir t;
    return load_mp(native(t, toml));
}

const std::string legacy_config = R"({
  "name": "Vector Addition",
  "language": "cuda",
  "data": [
    {"input": ["input0.raw", "input1.raw"], "output": "output.raw"},
    {"input": ["input0.raw", "input1.raw"], "output": "output.raw"}
  ],
  "input_type": "vector",
  "output_type": "vector",
  "keyword": ["cudaMemcpyAsync", "exit"],
  "bin": "ignored",
  "path": "ignored too"
}
)";

// A legacy bundle "mp1" with `config`, template.cu and data/0, data/1.
fs::path legacy(const TempDir& t, const std::string& config = legacy_config,
                const std::string& data_dir = "data") {
    const fs::path root = t.path() / "mp1";
    write(root / "config.json", config);
    write(root / "template.cu", "__global__ void add() {}\n");
    dataset(root, data_dir, 0, 2);
    dataset(root, data_dir, 1, 2);
    return root;
}

Mp load_config(const std::string& config) {
    TempDir t;
    return load_mp(legacy(t, config));
}

std::vector<std::string> relative_files(const Mp& mp) {
    std::vector<std::string> out;
    for (const auto& f : mp.files)
        out.push_back(f.generic_string());
    return out;
}

} // namespace

// ---------------------------------------------------------------------------
// Native layout: what loads

TEST_CASE("a complete native bundle loads with every field", "[mp]") {
    TempDir t;
    const fs::path root = t.path() / "vecadd";
    write(root / "mp.toml", R"(id = "vecadd-2"
title = "Vector addition, again"

[build]
toolchain = "cuda"
flags = ["-O2", "-lineinfo"]
run = "{exe} {args} --quiet"

[limits]
compile_time_s = 20
run_time_s = 1.5
memory_mib = 1024
output_kib = 64
processes = 4

[precheck]
forbidden = ["exit", "std::thread"]

[check]
mode = "matrix"
abs_tolerance = 1e-3
rel_tolerance = 0
type = "matrix2"

[files]
description = "docs/README.md"
template = "start/vecadd.cu"
solution = "./ref/../ref/solution.cu"
)");
    write(root / "docs/README.md", "# Add two vectors\n");
    write(root / "start/vecadd.cu", "int main() {}\n");
    write(root / "ref/solution.cu", "int main() {}\n");
    write(root / "notes.txt", "extra files are kept\n");
    dataset(root, "datasets", 0, 2);
    dataset(root, "datasets", 1, 0);
    dataset(root, "datasets", 2, 3);
    dataset(root, "datasets", 10, 1);

    const Mp mp = load_mp(root);
    const fs::path abs = fs::canonical(root);
    CHECK(mp.id == "vecadd-2");
    CHECK(mp.title == "Vector addition, again");
    CHECK(mp.layout == BundleLayout::native);
    CHECK(mp.root == abs);
    CHECK(mp.toolchain == Toolchain::cuda);
    CHECK(mp.flags == std::vector<std::string>{"-O2", "-lineinfo"});
    CHECK(mp.compile_command.empty());
    CHECK(mp.run_command == "{exe} {args} --quiet");
    CHECK(mp.limits.compile_s == 20.0);
    CHECK(mp.limits.run_s == 1.5);
    CHECK(mp.limits.memory_mib == 1024);
    CHECK(mp.limits.output_kib == 64);
    CHECK(mp.limits.processes == 4);
    CHECK(mp.forbidden == std::vector<std::string>{"exit", "std::thread"});
    CHECK(mp.check == CheckMode::matrix);
    CHECK(mp.tolerance.abs == 1e-3);
    CHECK(mp.tolerance.rel == 0.0);
    CHECK(mp.type_arg == "matrix2");
    CHECK(mp.description == abs / "docs/README.md");
    CHECK(mp.template_file == abs / "start/vecadd.cu");
    CHECK(mp.solution == abs / "ref/solution.cu");
    CHECK(source_name(mp) == "main.cu");

    REQUIRE(mp.datasets.size() == 4);
    CHECK(mp.datasets[0].index == 0);
    CHECK(mp.datasets[1].index == 1);
    CHECK(mp.datasets[2].index == 2);
    CHECK(mp.datasets[3].index == 10); // numeric order, not "10" < "2"
    CHECK(mp.datasets[0].inputs ==
          std::vector<fs::path>{abs / "datasets/0/input0.raw", abs / "datasets/0/input1.raw"});
    CHECK(mp.datasets[0].expected == abs / "datasets/0/output.raw");
    CHECK(mp.datasets[1].inputs.empty());
    CHECK(mp.datasets[2].inputs.size() == 3);
    CHECK(mp.datasets[2].inputs[2] == abs / "datasets/2/input2.raw");
    CHECK(mp.datasets[3].expected == abs / "datasets/10/output.raw");

    const std::vector<std::string> files = relative_files(mp);
    CHECK(std::is_sorted(mp.files.begin(), mp.files.end()));
    CHECK(files.size() == 15);
    for (const char* f : {"mp.toml", "notes.txt", "docs/README.md", "start/vecadd.cu",
                          "ref/solution.cu", "datasets/0/input1.raw", "datasets/10/output.raw"})
        CHECK(std::find(files.begin(), files.end(), f) != files.end());
    for (const auto& f : mp.files)
        CHECK(f.is_relative());
}

TEST_CASE("a minimal native bundle gets the documented defaults", "[mp]") {
    TempDir t;
    const Mp mp = load_mp(native(t));
    const fs::path abs = fs::canonical(t.path() / "vecadd");
    CHECK(mp.id == "vecadd");
    CHECK(mp.toolchain == Toolchain::cpp);
    CHECK(mp.flags.empty());
    CHECK(mp.run_command == "{exe} {args}");
    CHECK(mp.limits.compile_s == 10.0);
    CHECK(mp.limits.run_s == 3.0);
    CHECK(mp.limits.memory_mib == 512);
    CHECK(mp.limits.output_kib == 1024);
    CHECK(mp.limits.processes == 16);
    CHECK(mp.forbidden.empty());
    CHECK(mp.check == CheckMode::vector);
    CHECK(mp.tolerance.abs == 1e-6);
    CHECK(mp.tolerance.rel == 1e-6);
    CHECK(mp.type_arg == "vector");
    CHECK(mp.template_file == abs / "template.cpp");
    CHECK(mp.description.empty()); // description.md is absent: allowed
    CHECK(mp.solution.empty());    // solution.cpp is absent: allowed
    CHECK(mp.datasets.size() == 2);
    CHECK(source_name(mp) == "main.cpp");
    CHECK(relative_files(mp) ==
          std::vector<std::string>{"datasets/0/input0.raw", "datasets/0/input1.raw",
                                   "datasets/0/output.raw", "datasets/1/input0.raw",
                                   "datasets/1/input1.raw", "datasets/1/output.raw", "mp.toml",
                                   "template.cpp"});
}

TEST_CASE("default description and solution are found by name", "[mp]") {
    TempDir t;
    const fs::path root = native(t);
    write(root / "description.md", "Add.\n");
    write(root / "solution.cpp", "int main() {}\n");
    const Mp mp = load_mp(root);
    CHECK(mp.description == fs::canonical(root) / "description.md");
    CHECK(mp.solution == fs::canonical(root) / "solution.cpp");
}

TEST_CASE("the -t argument defaults to the check mode's name", "[mp]") {
    const Mp mp = load_toml(replace(minimal_toml, "mode = \"vector\"", "mode = \"histogram\""));
    CHECK(mp.check == CheckMode::histogram);
    CHECK(mp.type_arg == "histogram");
    const Mp tokens = load_toml(replace(minimal_toml, "mode = \"vector\"", "mode = \"tokens\""));
    CHECK(tokens.type_arg == "tokens");
}

TEST_CASE("c and cuda toolchains default to template.c and template.cu", "[mp]") {
    TempDir t;
    const fs::path root = native(t, replace(minimal_toml, "\"cpp\"", "\"c\""));
    fs::rename(root / "template.cpp", root / "template.c");
    const Mp c = load_mp(root);
    CHECK(c.toolchain == Toolchain::c);
    CHECK(c.template_file.filename() == "template.c");
    CHECK(source_name(c) == "main.c");

    write(root / "mp.toml", replace(minimal_toml, "\"cpp\"", "\"cuda\""));
    fs::rename(root / "template.c", root / "template.cu");
    write(root / "solution.cu", "int main() {}\n");
    const Mp cu = load_mp(root);
    CHECK(cu.template_file.filename() == "template.cu");
    CHECK(cu.solution.filename() == "solution.cu");
    CHECK(source_name(cu) == "main.cu");
}

TEST_CASE("a custom toolchain takes its commands and its source name from mp.toml", "[mp]") {
    TempDir t;
    const fs::path root = native(t, replace(minimal_toml, "toolchain = \"cpp\"",
                                            "toolchain = \"custom\"\n"
                                            "compile = \"rustc {flags} -o {exe} {src}\"\n"
                                            "run = \"{exe} --fast {args}\"") +
                                        "\n[files]\ntemplate = \"template.rs\"\n");
    write(root / "template.rs", "fn main() {}\n");
    write(root / "solution.rs", "fn main() {}\n");
    const Mp mp = load_mp(root);
    CHECK(mp.toolchain == Toolchain::custom);
    CHECK(mp.compile_command == "rustc {flags} -o {exe} {src}");
    CHECK(mp.run_command == "{exe} --fast {args}");
    CHECK(mp.solution.filename() == "solution.rs");
    CHECK(source_name(mp) == "main.rs");
}

TEST_CASE("with both mp.toml and config.json the native layout wins", "[mp]") {
    TempDir t;
    const fs::path root = native(t);
    write(root / "config.json", "this is not even JSON");
    const Mp mp = load_mp(root);
    CHECK(mp.layout == BundleLayout::native);
    CHECK(mp.id == "vecadd");
}

TEST_CASE("to_string names every enum value as the formats spell it", "[mp]") {
    using wb::core::to_string;
    CHECK(to_string(Toolchain::custom) == "custom");
    CHECK(to_string(CheckMode::integral_vector) == "integral_vector");
    CHECK(to_string(CheckMode::exact) == "exact");
    CHECK(to_string(BundleLayout::legacy) == "legacy");
}

// ---------------------------------------------------------------------------
// Legacy layout: what loads

TEST_CASE("a legacy bundle with data/<k>/ and data[] loads", "[mp][legacy]") {
    TempDir t;
    const fs::path root = t.path() / "MP 1";
    write(root / "config.json", R"({
  "name": "Vector Addition",
  "data": [
    {"input": ["a.raw", "b.raw"], "output": "expected.raw"},
    {"output": "expected.raw"}
  ],
  "input_type": "vector",
  "output_type": "vector",
  "keyword": ["cudaMemcpyAsync"],
  "bin": "ignored",
  "path": "/ignored/too"
})");
    write(root / "description.markdown", "---\ntitle: Vector Addition\nauthor: staff\n---\n\n"
                                         "Add two vectors.\n");
    write(root / "template.cu", "__global__ void add() {}\n");
    write(root / "solution.cpp", "int main() {}\n");
    write(root / "data/0/a.raw", "1\n1\n");
    write(root / "data/0/b.raw", "1\n2\n");
    write(root / "data/0/expected.raw", "1\n3\n");
    write(root / "data/0/generator.py", "# extra files in a described dataset are kept\n");
    write(root / "data/1/expected.raw", "1\n0\n");

    const Mp mp = load_mp(root);
    const fs::path abs = fs::canonical(root);
    CHECK(mp.layout == BundleLayout::legacy);
    CHECK(mp.id == "mp-1");
    CHECK(mp.title == "Vector Addition");
    CHECK(mp.root == abs);
    CHECK(mp.toolchain == Toolchain::cuda);
    CHECK(source_name(mp) == "main.cu");
    CHECK(mp.check == CheckMode::vector);
    CHECK(mp.type_arg == "vector");
    CHECK(mp.forbidden == std::vector<std::string>{"cudaMemcpyAsync"});
    CHECK(mp.description == abs / "description.markdown");
    CHECK(mp.template_file == abs / "template.cu");
    CHECK(mp.solution == abs / "solution.cpp");
    CHECK(mp.run_command == "{exe} {args}");
    CHECK(mp.limits.run_s == 3.0);
    REQUIRE(mp.datasets.size() == 2);
    CHECK(mp.datasets[0].inputs ==
          std::vector<fs::path>{abs / "data/0/a.raw", abs / "data/0/b.raw"});
    CHECK(mp.datasets[0].expected == abs / "data/0/expected.raw");
    CHECK(mp.datasets[1].index == 1);
    CHECK(mp.datasets[1].inputs.empty());
    CHECK(mp.files.size() == 9);
}

TEST_CASE("a legacy bundle with Dataset/<k>/ and no data[] discovers its datasets",
          "[mp][legacy]") {
    TempDir t;
    const fs::path root = legacy(t, R"({"name": "Text", "language": "c++",
                                        "output_type": "text"})",
                                 "Dataset");
    const Mp mp = load_mp(root);
    CHECK(mp.toolchain == Toolchain::cpp);
    CHECK(source_name(mp) == "main.cpp");
    CHECK(mp.check == CheckMode::tokens);
    CHECK(mp.type_arg == "text");
    CHECK(mp.description.empty());
    CHECK(mp.solution.empty());
    CHECK(mp.template_file.filename() == "template.cu");
    REQUIRE(mp.datasets.size() == 2);
    CHECK(mp.datasets[1].expected == fs::canonical(root) / "Dataset/1/output.raw");
    CHECK(mp.datasets[1].inputs.size() == 2);
}

TEST_CASE("a legacy bundle without output_type checks vectors, without name uses the "
          "directory's name",
          "[mp][legacy]") {
    const Mp mp = load_config(R"({"language": "C"})");
    CHECK(mp.toolchain == Toolchain::c);
    CHECK(mp.check == CheckMode::vector);
    CHECK(mp.type_arg == "vector");
    CHECK(mp.title == "mp1");
    CHECK(mp.forbidden.empty());
}

TEST_CASE("a native bundle and its legacy twin load to the same grading", "[mp][legacy]") {
    TempDir t;
    const fs::path n = t.path() / "vecadd";
    write(n / "mp.toml", R"(id = "vecadd"
title = "Vector Addition"
[build]
toolchain = "cuda"
[precheck]
forbidden = ["cudaMemcpyAsync", "exit"]
[check]
mode = "vector"
abs_tolerance = 0.2  # the original libwb's (config.json bundles get it)
rel_tolerance = 0
)");
    write(n / "template.cu", "int main() {}\n");
    dataset(n, "datasets", 0, 2);
    dataset(n, "datasets", 1, 2);
    const fs::path l = legacy(t); // the same datasets, under data/ with data[]

    const Mp a = load_mp(n);
    const Mp b = load_mp(l);
    CHECK(a.layout == BundleLayout::native);
    CHECK(b.layout == BundleLayout::legacy);
    CHECK(a.title == b.title);
    CHECK(a.toolchain == b.toolchain);
    CHECK(a.forbidden == b.forbidden);
    CHECK(a.check == b.check);
    CHECK(a.type_arg == b.type_arg);
    CHECK(a.tolerance.abs == b.tolerance.abs);
    CHECK(a.tolerance.rel == b.tolerance.rel);
    CHECK(a.limits.run_s == b.limits.run_s);
    CHECK(a.limits.memory_mib == b.limits.memory_mib);
    CHECK(a.run_command == b.run_command);
    CHECK(source_name(a) == source_name(b));
    REQUIRE(a.datasets.size() == b.datasets.size());
    for (std::size_t k = 0; k < a.datasets.size(); ++k) {
        const auto& x = a.datasets[k];
        const auto& y = b.datasets[k];
        CHECK(x.index == y.index);
        REQUIRE(x.inputs.size() == y.inputs.size());
        for (std::size_t i = 0; i < x.inputs.size(); ++i) {
            CHECK(x.inputs[i].filename() == y.inputs[i].filename());
            CHECK(x.inputs[i].parent_path().filename() == y.inputs[i].parent_path().filename());
        }
        CHECK(x.expected.filename() == y.expected.filename());
    }
}

// ---------------------------------------------------------------------------
// Refusals: the directory

TEST_CASE("a directory with neither mp.toml nor config.json is not a bundle", "[mp][error]") {
    TempDir t;
    const fs::path dir = t.path() / "stuff";
    write(dir / "readme.txt", "hello\n");
    REQUIRE_THROWS_AS(load_mp(dir), wb::InputError);
    REQUIRE_THROWS_WITH(
        load_mp(dir), Contains("stuff: no mp.toml, config.json or problem.yaml: not an MP bundle"));
    REQUIRE_THROWS_WITH(load_mp(t.path() / "absent"), Contains("absent: no such directory"));
    REQUIRE_THROWS_WITH(load_mp(dir / "readme.txt"), Contains("readme.txt: not a directory"));
}

TEST_CASE("errors are InputError, exit code 2", "[mp][error]") {
    try {
        load_toml(minimal_toml + "tolerence = 1\n");
        FAIL("no error");
    } catch (const wb::InputError& e) {
        CHECK(e.exit_code() == 2);
    }
}

// ---------------------------------------------------------------------------
// Refusals: mp.toml

TEST_CASE("malformed TOML is refused with the line and the parser's reason", "[mp][error]") {
    REQUIRE_THROWS_WITH(
        load_toml(replace(minimal_toml, "\"Vector addition\"", "\"Vector addition")),
        Contains("vecadd/mp.toml:2: ") && Contains("string"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "mode = \"exact\"\n"),
                        Contains("vecadd/mp.toml:9: ") && Contains("mode"));
}

TEST_CASE("unknown keys and tables are refused with line and key", "[mp][error]") {
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "tolerence = 1e-3\n"),
                        Contains("vecadd/mp.toml:9: unknown key 'tolerence' in [check]") &&
                            Contains("abs_tolerance"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "[build]\n", "[build]\nflag = []\n")),
                        Contains("vecadd/mp.toml:5: unknown key 'flag' in [build]"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\n[build]", "author = \"me\"\n[build]")),
                        Contains("vecadd/mp.toml:3: unknown key 'author'"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[limit]\nmemory_mib = 64\n"),
                        Contains("vecadd/mp.toml:10: unknown table [limit]"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[limits]\nmemory = 64\n"),
                        Contains("vecadd/mp.toml:11: unknown key 'memory' in [limits]"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[files]\ntemplates = \"t.cpp\"\n"),
                        Contains("vecadd/mp.toml:11: unknown key 'templates' in [files]"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[precheck]\nforbid = [\"exit\"]\n"),
                        Contains("vecadd/mp.toml:11: unknown key 'forbid' in [precheck]"));
}

TEST_CASE("values of the wrong type are refused with line, key and both types", "[mp][error]") {
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"Vector addition\"", "42")),
                        Contains("vecadd/mp.toml:2: 'title' must be a string, got integer"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"vecadd\"", "true")),
                        Contains("vecadd/mp.toml:1: 'id' must be a string, got boolean"));
    REQUIRE_THROWS_WITH(
        load_toml(replace(minimal_toml, "[build]\n", "[build]\nflags = \"-O2\"\n")),
        Contains("vecadd/mp.toml:5: 'flags' in [build] must be an array of strings, got string"));
    REQUIRE_THROWS_WITH(
        load_toml(replace(minimal_toml, "[build]\n", "[build]\nflags = [\"-O2\",\n  3]\n")),
        Contains("vecadd/mp.toml:6: 'flags' in [build] must be an array of strings") &&
            Contains("integer"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[precheck]\nforbidden = \"exit\"\n"),
                        Contains("vecadd/mp.toml:11: 'forbidden' in [precheck] must be an "
                                 "array of strings, got string"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"vector\"", "[\"vector\"]")),
                        Contains("vecadd/mp.toml:8: 'mode' in [check] must be a string, got "
                                 "array"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[limits]\nrun_time_s = \"3\"\n"),
                        Contains("vecadd/mp.toml:11: 'run_time_s' in [limits] must be a "
                                 "number, got string"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[limits]\nmemory_mib = 1.5\n"),
                        Contains("vecadd/mp.toml:11: 'memory_mib' in [limits] must be an "
                                 "integer, got float"));
    REQUIRE_THROWS_WITH(load_toml("files = 3\n" + minimal_toml),
                        Contains("vecadd/mp.toml:1: 'files' must be a table, got integer"));
}

TEST_CASE("missing required keys and tables are refused", "[mp][error]") {
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "id = \"vecadd\"\n", "")),
                        Contains("vecadd/mp.toml: missing required key 'id'"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "title = \"Vector addition\"\n", "")),
                        Contains("vecadd/mp.toml: missing required key 'title'"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "[build]\ntoolchain = \"cpp\"\n", "")),
                        Contains("vecadd/mp.toml: missing required table [build]") &&
                            Contains("c, cpp, cuda, openacc, opencl, custom"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "toolchain = \"cpp\"", "flags = []")),
                        Contains("vecadd/mp.toml:4: missing required key 'toolchain' in [build]"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "[check]\nmode = \"vector\"\n", "")),
                        Contains("vecadd/mp.toml: missing required table [check]"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "mode = \"vector\"", "type = \"v\"")),
                        Contains("vecadd/mp.toml:7: missing required key 'mode' in [check]"));
}

TEST_CASE("bad ids and empty strings are refused", "[mp][error]") {
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"vecadd\"", "\"Vec Add\"")),
                        Contains("vecadd/mp.toml:1: id 'Vec Add' must match "
                                 "[a-z0-9][a-z0-9_-]{0,63}"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"vecadd\"", "\"-vecadd\"")),
                        Contains("vecadd/mp.toml:1: id '-vecadd' must match"));
    REQUIRE_THROWS_WITH(
        load_toml(replace(minimal_toml, "\"vecadd\"", "\"" + std::string(65, 'a') + "\"")),
        Contains("vecadd/mp.toml:1: id 'aaaa") && Contains("at most 64"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"Vector addition\"", "\"  \"")),
                        Contains("vecadd/mp.toml:2: 'title' must not be empty"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "type = \"\"\n"),
                        Contains("vecadd/mp.toml:9: 'type' in [check] must not be empty"));
}

TEST_CASE("unknown toolchains and check modes are refused with the valid ones", "[mp][error]") {
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"cpp\"", "\"rust\"")),
                        Contains("vecadd/mp.toml:5: unknown toolchain 'rust' in [build] (valid: "
                                 "c, cpp, cuda, openacc, opencl, custom)"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"vector\"", "\"fuzzy\"")),
                        Contains("vecadd/mp.toml:8: unknown check mode 'fuzzy' in [check] "
                                 "(valid: exact, tokens, vector, matrix, integral_vector, "
                                 "histogram, image, validator)"));
}

TEST_CASE("compile commands belong to custom toolchains, and custom needs one", "[mp][error]") {
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "\"cpp\"", "\"custom\"")),
                        Contains("vecadd/mp.toml:5: toolchain 'custom' needs a compile command "
                                 "in [build]"));
    REQUIRE_THROWS_WITH(
        load_toml(replace(minimal_toml, "toolchain = \"cpp\"\n",
                          "toolchain = \"cpp\"\ncompile = \"g++ -o {exe} {src}\"\n")),
        Contains("vecadd/mp.toml:6: 'compile' in [build] is only for toolchain 'custom'"));
    REQUIRE_THROWS_WITH(load_toml(replace(minimal_toml, "toolchain = \"cpp\"\n",
                                          "toolchain = \"custom\"\ncompile = \"cc {src}\"\n")),
                        Contains("vecadd/mp.toml:5: toolchain 'custom' needs [files] template"));
}

TEST_CASE("limits out of range are refused with the range", "[mp][error]") {
    const std::string limits = minimal_toml + "\n[limits]\n"; // the next line is 11
    REQUIRE_THROWS_WITH(load_toml(limits + "run_time_s = 0\n"),
                        Contains("vecadd/mp.toml:11: 'run_time_s' in [limits] must be > 0 and "
                                 "<= 600, got 0"));
    REQUIRE_THROWS_WITH(load_toml(limits + "run_time_s = -2.5\n"),
                        Contains("vecadd/mp.toml:11: 'run_time_s' in [limits] must be > 0") &&
                            Contains("got -2.5"));
    REQUIRE_THROWS_WITH(load_toml(limits + "run_time_s = nan\n"),
                        Contains("vecadd/mp.toml:11: 'run_time_s' in [limits] must be a finite "
                                 "number, got nan"));
    REQUIRE_THROWS_WITH(load_toml(limits + "compile_time_s = 600.5\n"),
                        Contains("vecadd/mp.toml:11: 'compile_time_s' in [limits] must be > 0 "
                                 "and <= 600, got 600.5"));
    REQUIRE_THROWS_WITH(load_toml(limits + "memory_mib = 8\n"),
                        Contains("vecadd/mp.toml:11: 'memory_mib' in [limits] must be between "
                                 "16 and") &&
                            Contains("got 8"));
    REQUIRE_THROWS_WITH(load_toml(limits + "output_kib = 0\n"),
                        Contains("vecadd/mp.toml:11: 'output_kib' in [limits] must be between 1 "
                                 "and") &&
                            Contains("got 0"));
    REQUIRE_THROWS_WITH(load_toml(limits + "processes = -1\n"),
                        Contains("vecadd/mp.toml:11: 'processes' in [limits] must be between 1 "
                                 "and"));
    REQUIRE_THROWS_WITH(load_toml(limits + "memory_mib = 9223372036854775807\n"),
                        Contains("vecadd/mp.toml:11: 'memory_mib' in [limits] must be between"));
    const Mp edge = load_toml(limits + "run_time_s = 600\nmemory_mib = 16\nprocesses = 1\n");
    CHECK(edge.limits.run_s == 600.0);
    CHECK(edge.limits.memory_mib == 16);
    CHECK(edge.limits.processes == 1);
}

TEST_CASE("tolerances must be >= 0 and only go with float modes", "[mp][error]") {
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "abs_tolerance = -1\n"),
                        Contains("vecadd/mp.toml:9: 'abs_tolerance' in [check] must be >= 0, "
                                 "got -1"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "rel_tolerance = inf\n"),
                        Contains("vecadd/mp.toml:9: 'rel_tolerance' in [check] must be a finite "
                                 "number, got inf"));
    REQUIRE_THROWS_WITH(
        load_toml(replace(minimal_toml, "\"vector\"", "\"exact\"") + "abs_tolerance = 0.1\n"),
        Contains("vecadd/mp.toml:9: 'abs_tolerance' in [check] applies only to the float "
                 "modes") &&
            Contains("not to 'exact'"));
    const Mp mp = load_toml(minimal_toml + "abs_tolerance = 0\nrel_tolerance = 1\n");
    CHECK(mp.tolerance.abs == 0.0);
    CHECK(mp.tolerance.rel == 1.0);
}

TEST_CASE("files named in [files] must stay inside the bundle and exist", "[mp][error]") {
    const std::string files = minimal_toml + "\n[files]\n"; // the next line is 11
    REQUIRE_THROWS_WITH(load_toml(files + "template = \"../x.cpp\"\n"),
                        Contains("vecadd/mp.toml:11: [files] template '../x.cpp' leaves the "
                                 "bundle"));
    REQUIRE_THROWS_WITH(load_toml(files + "solution = \"sub/../../x.cpp\"\n"),
                        Contains("vecadd/mp.toml:11: [files] solution 'sub/../../x.cpp' leaves "
                                 "the bundle"));
    REQUIRE_THROWS_WITH(load_toml(files + "description = \"/etc/passwd\"\n"),
                        Contains("vecadd/mp.toml:11: [files] description '/etc/passwd' leaves "
                                 "the bundle"));
    REQUIRE_THROWS_WITH(load_toml(files + "template = \"start.cpp\"\n"),
                        Contains("vecadd/mp.toml:11: [files] template 'start.cpp' does not "
                                 "exist in the bundle"));
    REQUIRE_THROWS_WITH(load_toml(files + "description = \"README.md\"\n"),
                        Contains("vecadd/mp.toml:11: [files] description 'README.md' does not "
                                 "exist"));
    REQUIRE_THROWS_WITH(load_toml(files + "solution = \"datasets\"\n"),
                        Contains("vecadd/mp.toml:11: [files] solution 'datasets' is a "
                                 "directory, not a file"));
}

TEST_CASE("the default template must exist", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    fs::remove(root / "template.cpp");
    write(root / "template.cu", "int main() {}\n"); // the wrong one for toolchain cpp
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/template.cpp: no template") &&
                                           Contains("[files] template"));
}

// ---------------------------------------------------------------------------
// Refusals: datasets

TEST_CASE("a bundle without datasets is refused", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    fs::remove_all(root / "datasets");
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("vecadd: no datasets (expected datasets/0/, datasets/1/, ...)"));
    fs::create_directory(root / "datasets");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd: no datasets"));
    fs::remove(root / "datasets");
    write(root / "datasets", "not a directory\n");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets: expected a directory of "
                                                "datasets"));
}

TEST_CASE("a dataset without an expected output is refused", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    dataset(root, "datasets", 2, 1);
    fs::remove(root / "datasets/2/output.raw");
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("vecadd/datasets/2: no expected output (output.*)"));
}

TEST_CASE("inputs must be numbered without gaps", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    write(root / "datasets/1/input3.raw", "1\n1\n");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/1: input3.raw but no input2.*"));
    fs::remove(root / "datasets/1/input3.raw");
    fs::remove(root / "datasets/0/input0.raw");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/0: input1.raw but no input0.*"));
}

TEST_CASE("unexpected files and directories in a dataset directory are refused", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    write(root / "datasets/1/notes.txt", "hi\n");
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("vecadd/datasets/1/notes.txt: unexpected file in a dataset "
                                 "directory"));
    fs::remove(root / "datasets/1/notes.txt");
    for (const char* bad : {"input01.raw", "input0", "output", "inputx.raw"}) {
        write(root / "datasets/1" / bad, "1\n1\n");
        REQUIRE_THROWS_WITH(
            load_mp(root), Contains(std::string("vecadd/datasets/1/") + bad + ": unexpected file"));
        fs::remove(root / "datasets/1" / bad);
    }
    fs::create_directory(root / "datasets/1/more");
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("vecadd/datasets/1/more: unexpected directory in a dataset "
                                 "directory"));
    fs::remove(root / "datasets/1/more");
    write(root / "datasets/1/output.txt", "1\n1\n");
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("vecadd/datasets/1: two expected outputs, output.raw and "
                                 "output.txt"));
    fs::remove(root / "datasets/1/output.txt");
    write(root / "datasets/1/input1.txt", "1\n1\n");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/1: two files for input 1"));
}

TEST_CASE("only numbered dataset directories may be under datasets/", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    write(root / "datasets/README", "hi\n");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/README: expected only dataset "
                                                "directories here") &&
                                           Contains("found a file"));
    fs::remove(root / "datasets/README");
    fs::create_directory(root / "datasets/first");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/first: a dataset directory is "
                                                "named by its number"));
    fs::remove(root / "datasets/first");
    dataset(root, "datasets", 7, 1);
    fs::rename(root / "datasets/7", root / "datasets/07");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/07: a dataset directory is "
                                                "named by its number"));
    fs::rename(root / "datasets/07", root / "datasets/7");
    CHECK(load_mp(root).datasets.back().index == 7); // gaps between datasets are allowed
}

// ---------------------------------------------------------------------------
// Refusals: what the walk finds

TEST_CASE("symbolic links are refused, also to directories, and never followed", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    fs::remove(root / "datasets/1/input0.raw");
    fs::create_symlink("../0/input0.raw", root / "datasets/1/input0.raw");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/1/input0.raw: symbolic links "
                                                "are not allowed in a bundle"));
    fs::remove(root / "datasets/1/input0.raw");
    write(root / "datasets/1/input0.raw", "1\n0\n");

    fs::create_directory_symlink(root / "datasets/0", root / "datasets/2");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/2: symbolic links are not "
                                                "allowed in a bundle"));
    fs::remove(root / "datasets/2");

    // A link to a directory outside the bundle is not followed either.
    fs::create_directory_symlink("/etc", root / "etc");
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("vecadd/etc: symbolic links are not allowed in a bundle"));
    fs::remove(root / "etc");

    fs::create_symlink("/nonexistent", root / "dangling");
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("vecadd/dangling: symbolic links are not allowed in a bundle"));
    fs::remove(root / "dangling");
    CHECK_NOTHROW(load_mp(root));
}

TEST_CASE("the bundle directory itself may be reached through a link", "[mp]") {
    TempDir t;
    const fs::path root = native(t);
    fs::create_directory_symlink(root, t.path() / "link");
    const Mp mp = load_mp(t.path() / "link");
    CHECK(mp.root == fs::canonical(root));
}

TEST_CASE("fifos and sockets are refused", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    REQUIRE(mkfifo((root / "pipe").c_str(), 0600) == 0);
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/pipe: a fifo is not allowed in a bundle"));
    fs::remove(root / "pipe");

    const fs::path sock = root / "sock";
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(sock.string().size() < sizeof addr.sun_path);
    std::strcpy(addr.sun_path, sock.c_str());
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    const int rc = bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    close(fd);
    REQUIRE(rc == 0);
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("vecadd/sock: a socket is not allowed in a bundle"));
}

TEST_CASE("a file over 256 MiB is refused", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    const fs::path big = root / "datasets/0/input1.raw";
    fs::resize_file(big, 300ull << 20); // sparse: costs no disk
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/0/input1.raw: 300 MiB is over "
                                                "the 256 MiB limit for a bundle file"));
    fs::resize_file(big, (256ull << 20) + 1);
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/datasets/0/input1.raw: 256.0 MiB "
                                                "(268435457 bytes) is over the 256 MiB limit"));
    fs::resize_file(big, 256ull << 20);
    CHECK_NOTHROW(load_mp(root)); // exactly the limit is allowed
}

TEST_CASE("mp.toml must be a regular file", "[mp][error]") {
    TempDir t;
    const fs::path root = native(t);
    fs::remove(root / "mp.toml");
    fs::create_directory(root / "mp.toml");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("vecadd/mp.toml: not a regular file"));
}

// ---------------------------------------------------------------------------
// Refusals: config.json

TEST_CASE("malformed JSON is refused with the line and the parser's reason",
          "[mp][legacy][error]") {
    REQUIRE_THROWS_WITH(load_config("{\n  \"name\": \"x\",\n  \"language\": cuda\n}\n"),
                        Contains("mp1/config.json:3: syntax error") && !Contains("json.exception"));
    REQUIRE_THROWS_WITH(load_config("{\n  \"name\": \"x\",\n"), Contains("mp1/config.json:3: "));
    REQUIRE_THROWS_WITH(load_config("[1, 2]"),
                        Contains("mp1/config.json: the top level must be an object") &&
                            Contains("got array"));
}

TEST_CASE("a data[k] naming a missing file is refused", "[mp][legacy][error]") {
    REQUIRE_THROWS_WITH(
        load_config(replace(legacy_config, "\"input1.raw\"], \"output\": \"output.raw\"}\n",
                            "\"input9.raw\"], \"output\": \"output.raw\"}\n")),
        Contains("mp1/config.json: 'data[1].input[1]' names 'input9.raw', but neither "
                 "mp1/data/input9.raw nor mp1/data/1/input9.raw exists"));
    REQUIRE_THROWS_WITH(load_config(replace(legacy_config, "\"output\": \"output.raw\"}\n",
                                            "\"output\": \"out.raw\"}\n")),
                        Contains("mp1/config.json: 'data[1].output' names 'out.raw', but neither "
                                 "mp1/data/out.raw nor mp1/data/1/out.raw exists"));
    REQUIRE_THROWS_WITH(
        load_config(replace(legacy_config, "\"input1.raw\"], \"output\": \"output.raw\"}\n",
                            "\"../mp.toml\"], \"output\": \"output.raw\"}\n")),
        Contains("mp1/config.json: 'data[1].input[1]' names '../mp.toml', which leaves "
                 "mp1/data/"));
    REQUIRE_THROWS_WITH(
        load_config(replace(legacy_config, "\"input1.raw\"], \"output\": \"output.raw\"}\n",
                            "\"1\"], \"output\": \"output.raw\"}\n")),
        Contains("mp1/config.json: 'data[1].input[1]' names '1', but mp1/data/1 is a directory"));
    REQUIRE_THROWS_WITH(load_config(replace(legacy_config, "\"output\": \"output.raw\"}\n",
                                            "\"output\": \" \"}\n")),
                        Contains("mp1/config.json: 'data[1].output' must not be empty"));
    REQUIRE_THROWS_WITH(
        load_config(replace(legacy_config, ", \"output\": \"output.raw\"}\n", "}\n")),
        Contains("mp1/config.json: 'data[1]' has no 'output'"));
}

TEST_CASE("what data[] does not name is not graded, with a warning", "[mp][legacy]") {
    TempDir t;
    const fs::path root = legacy(t);
    dataset(root, "data", 2, 2);
    write(root / "data/notes.txt", "hi\n");
    const Mp mp = load_mp(root);
    CHECK(mp.datasets.size() == 2);
    REQUIRE(mp.warnings.size() == 1);
    CHECK(mp.warnings[0] == "mp1/data: 2/, notes.txt not named by config.json's data[]; not "
                            "graded");
    fs::remove_all(root / "data/1");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("mp1/config.json: 'data[1].input[0]' names "
                                                "'input0.raw', but neither mp1/data/input0.raw "
                                                "nor mp1/data/1/input0.raw exists"));
    dataset(root, "data", 1, 2);
    dataset(root, "Dataset", 0, 1);
    REQUIRE_THROWS_WITH(load_mp(root),
                        Contains("mp1: both data/ and Dataset/ are present; keep one"));
    fs::remove_all(root / "Dataset");
    fs::remove_all(root / "data");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("mp1: config.json describes datasets, but "
                                                "there is no data/ (nor Dataset/, nor "
                                                "dataset.zip)"));
}

TEST_CASE("a legacy bundle without datasets runs its program once", "[mp][legacy]") {
    TempDir t;
    const fs::path root = t.path() / "devicequery";
    write(root / "config.json", R"({"name": "Device Query", "output_type": "text",
                                    "compile_score": 1, "code_score": 1})");
    write(root / "template.cu", "int main() {}\n");
    const Mp mp = load_mp(root);
    CHECK(mp.datasets.empty());
    CHECK(mp.warnings.empty());
    CHECK(mp.scoring.compile == 1);

    write(root / "config.json", R"({"data": []})");
    const Mp vec = load_mp(root);
    CHECK(vec.datasets.empty());
    REQUIRE(vec.warnings.size() == 1);
    CHECK_THAT(vec.warnings[0], Contains("devicequery: no datasets; the program is run once"));
}

TEST_CASE("a legacy bundle without data[] follows the native dataset rules",
          "[mp][legacy][error]") {
    TempDir t;
    const fs::path root = legacy(t, R"({"name": "x"})", "Dataset");
    write(root / "Dataset/1/input3.raw", "1\n1\n");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("mp1/Dataset/1: input3.raw but no input2.*"));
}

TEST_CASE("a language no toolchain compiles imports, and unknown output types are refused",
          "[mp][legacy][error]") {
    TempDir t;
    const fs::path root = legacy(t, replace(legacy_config, "\"cuda\"", "\"CPPAMP\""));
    const Mp mp = load_mp(root);
    CHECK(mp.toolchain == Toolchain::none);
    CHECK(mp.language == "CPPAMP");
    REQUIRE(mp.warnings.size() == 1);
    CHECK_THAT(mp.warnings[0], Contains("mp1/config.json: no toolchain of wbtool compiles "
                                        "language 'CPPAMP'"));
    for (const auto& [name, toolchain] :
         {std::pair{"CUDA", Toolchain::cuda}, std::pair{"OpenACC", Toolchain::openacc},
          std::pair{"OpenCL", Toolchain::opencl}, std::pair{"c++", Toolchain::cpp}}) {
        write(root / "config.json",
              replace(legacy_config, "\"cuda\"", fmt::format("\"{}\"", name)));
        const Mp m = load_mp(root);
        CHECK(m.toolchain == toolchain);
        CHECK(m.warnings.empty());
    }
    REQUIRE_THROWS_WITH(
        load_config(
            replace(legacy_config, "\"output_type\": \"vector\"", "\"output_type\": \"float\"")),
        Contains("mp1/config.json: unknown output_type 'float' (valid: vector, matrix, "
                 "integral_vector, histogram, image, text)"));
}

TEST_CASE("config.json values of the wrong type are refused with the field",
          "[mp][legacy][error]") {
    REQUIRE_THROWS_WITH(load_config(replace(legacy_config, "\"Vector Addition\"", "3")),
                        Contains("mp1/config.json: 'name' must be a string, got number"));
    REQUIRE_THROWS_WITH(
        load_config(replace(legacy_config, "[\"cudaMemcpyAsync\", \"exit\"]", "\"exit\"")),
        Contains("mp1/config.json: 'keyword' must be an array, got string"));
    REQUIRE_THROWS_WITH(
        load_config(replace(legacy_config, "[\"cudaMemcpyAsync\", \"exit\"]", "[\"exit\", 1]")),
        Contains("mp1/config.json: 'keyword[1]' must be an object {\"data\": \"word\", "
                 "\"score\": 0.1} or a string, got number"));
    REQUIRE_THROWS_WITH(load_config(replace(legacy_config, "[\"cudaMemcpyAsync\", \"exit\"]",
                                            "[{\"score\": 0.1}]")),
                        Contains("mp1/config.json: 'keyword[0].data' must be the word"));
    REQUIRE_THROWS_WITH(
        load_config(replace(legacy_config, "\"name\"", "\"compile_score\": -1, \"name\"")),
        Contains("mp1/config.json: 'compile_score' must be a number >= 0, got -1"));
    REQUIRE_THROWS_WITH(
        load_config(
            replace(legacy_config, "\"name\"", "\"coding_deadline\": \"friday\", \"name\"")),
        Contains("mp1/config.json: 'coding_deadline' is 'friday', not a date and time like "
                 "2015-02-11T23:00:00Z (RFC 3339)"));
    REQUIRE_THROWS_WITH(load_config(R"({"data": {"0": {"output": "output.raw"}}})"),
                        Contains("mp1/config.json: 'data' must be an array of datasets, got "
                                 "object"));
    REQUIRE_THROWS_WITH(load_config(replace(legacy_config,
                                            "{\"input\": [\"input0.raw\", \"input1.raw\"], "
                                            "\"output\": \"output.raw\"},",
                                            "\"input0.raw\",")),
                        Contains("mp1/config.json: 'data[0]' must be an object") &&
                            Contains("got string"));
    REQUIRE_THROWS_WITH(
        load_config(replace(legacy_config, "[\"input0.raw\", \"input1.raw\"]", "\"input0.raw\"")),
        Contains("mp1/config.json: 'data[0].input' must be an array of "
                 "strings, got string"));
}

TEST_CASE("a legacy bundle needs template.cu and a usable directory name", "[mp][legacy][error]") {
    TempDir t;
    const fs::path root = legacy(t);
    fs::remove(root / "template.cu");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("mp1/template.cu: no template"));

    TempDir u;
    const fs::path odd = u.path() / "_25";
    write(odd / "config.json", "");
    write(odd / "template.cu", "int main() {}\n");
    const Mp mp = load_mp(odd);
    CHECK(mp.id == "25");
    REQUIRE(mp.warnings.size() == 3); // the third: no datasets
    CHECK(mp.warnings[0] == "_25/config.json: empty; read as {}");
    CHECK(mp.warnings[1] == "_25: the id is '25' (an id matches [a-z0-9][a-z0-9_-]{0,63}; the "
                            "directory's name does not)");
}

// ---- classic judge problems: [run] io, wall_time_s, the tokens rules ----

namespace {

const std::string stdio_toml =
    "id = \"hello\"\ntitle = \"Hello\"\n\n[build]\ntoolchain = \"cpp\"\n\n"
    "[check]\nmode = \"tokens\"\n\n[run]\nio = \"stdio\"\n";

// A stdio bundle "hello" with `toml` and no datasets yet.
fs::path stdio_bundle(const TempDir& t, const std::string& toml = stdio_toml) {
    const fs::path root = t.path() / "hello";
    write(root / "mp.toml", toml);
    write(root / "template.cpp", "int main() { return 0; }\n");
    return root;
}

} // namespace

TEST_CASE("stdio datasets: input.txt, input0.raw and flat k.in and k.ans", "[mp]") {
    TempDir t;
    const fs::path root = stdio_bundle(t);
    write(root / "datasets/0/input.txt", "World\n");
    write(root / "datasets/0/output.txt", "Hello, World!\n");
    write(root / "datasets/1.in", "Ada\n");
    write(root / "datasets/1.ans", "Hello, Ada!\n");
    write(root / "datasets/2/input0.raw", "x\n");
    write(root / "datasets/2/output.raw", "Hello, x!\n");
    write(root / "datasets/3/output.txt", "Hello, nobody!\n"); // no input: stdin is empty
    const Mp mp = load_mp(root);
    CHECK(mp.io == wb::core::RunIo::stdio);
    REQUIRE(mp.datasets.size() == 4);
    CHECK(mp.datasets[0].inputs.at(0).filename() == "input.txt");
    CHECK(mp.datasets[1].inputs.at(0).filename() == "1.in");
    CHECK(mp.datasets[1].expected.filename() == "1.ans");
    CHECK(mp.datasets[2].inputs.size() == 1);
    CHECK(mp.datasets[3].inputs.empty());
    CHECK(wb::core::wall_limit_s(mp.limits) == 3 * 3.0 + 2); // the default
}

TEST_CASE("stdio datasets: refusals name the file and the fix", "[mp]") {
    TempDir t;
    const fs::path root = stdio_bundle(t);
    write(root / "datasets/0/input0.txt", "a\n");
    write(root / "datasets/0/input1.txt", "b\n");
    write(root / "datasets/0/output.txt", "c\n");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("hello/datasets/0: two inputs") &&
                                           Contains("a dataset has one input"));
    fs::remove_all(root / "datasets");
    write(root / "datasets/1.in", "a\n");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("hello/datasets/1.in: no 1.ans beside it"));
    fs::remove_all(root / "datasets");
    write(root / "datasets/1.ans", "a\n");
    REQUIRE_THROWS_WITH(load_mp(root), Contains("hello/datasets/1.ans: no 1.in beside it"));
    // Files mode knows none of these names.
    TempDir t2;
    const fs::path files = stdio_bundle(t2, replace(stdio_toml, "\"stdio\"", "\"files\""));
    write(files / "datasets/0/input.txt", "a\n");
    write(files / "datasets/0/output.txt", "a\n");
    REQUIRE_THROWS_WITH(load_mp(files), Contains("hello/datasets/0/input.txt: unexpected file"));
}

TEST_CASE("run io, wall_time_s and the tokens keys are checked", "[mp]") {
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[run]\nio = \"pipes\"\n"),
                        Contains("vecadd/mp.toml:11: unknown io 'pipes' in [run] (valid: files, "
                                 "stdio)"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[run]\nargs = 1\n"),
                        Contains("unknown key 'args' in [run]"));
    const Mp wall = load_toml(minimal_toml + "\n[limits]\nwall_time_s = 1.5\n");
    CHECK(wall.limits.wall_s == 1.5);
    CHECK(wb::core::wall_limit_s(wall.limits) == 1.5);
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "\n[limits]\nwall_time_s = 0\n"),
                        Contains("'wall_time_s' in [limits] must be > 0"));
    REQUIRE_THROWS_WITH(load_toml(minimal_toml + "case_sensitive = false\n"),
                        Contains("vecadd/mp.toml:9: 'case_sensitive' in [check] applies only to "
                                 "mode 'tokens', not to 'vector'"));
    const std::string tokens = replace(minimal_toml, "\"vector\"", "\"tokens\"");
    REQUIRE_THROWS_WITH(load_toml(tokens + "space_change_sensitive = 1\n"),
                        Contains("'space_change_sensitive' in [check] must be true or false"));
    const Mp plain = load_toml(tokens);
    CHECK_FALSE(plain.tokens.numeric);
    CHECK(plain.tokens.case_sensitive);
    CHECK_FALSE(plain.tokens.space_change_sensitive);
    const Mp rules =
        load_toml(tokens + "abs_tolerance = 1e-9\ncase_sensitive = false\nspace_change_sensitive = "
                           "true\n");
    CHECK(rules.tokens.numeric);
    CHECK(rules.tolerance.abs == 1e-9);
    CHECK(rules.tolerance.rel == 0.0); // only the tolerances given apply
    CHECK_FALSE(rules.tokens.case_sensitive);
    CHECK(rules.tokens.space_change_sensitive);
}

TEST_CASE("mp.toml [scores] sets the WebGPU grading scheme, with equal dataset shares by default",
          "[mp][scores]") {
    const Mp plain = load_toml(minimal_toml);
    REQUIRE(plain.datasets.size() == 2);
    CHECK(plain.datasets[0].score == Approx(0.5));
    CHECK(plain.scoring.code == 1);
    CHECK_FALSE(plain.scoring.coding_deadline);

    const Mp mp = load_toml("questions = [\"Why?\"]\n" + minimal_toml +
                            "[scores]\ncompile = 0.2\ndatasets = [0.3, 0.5]\n"
                            "keywords = [{ word = \"__shared__\", score = 0.1 }]\n"
                            "questions = 0.1\n"
                            "coding_deadline = 2015-02-11T23:00:00Z\n"
                            "peer_review_deadline = \"2015-02-12T00:00:00+01:00\"\n");
    CHECK(mp.scoring.compile == Approx(0.2));
    CHECK(mp.datasets[1].score == Approx(0.5));
    REQUIRE(mp.scoring.keywords.size() == 1);
    CHECK(mp.scoring.keywords[0].word == "__shared__");
    CHECK(mp.scoring.coding_deadline == 1423695600);
    CHECK(mp.scoring.peer_review_deadline == 1423695600);
    CHECK(mp.questions == std::vector<std::string>{"Why?"});

    const std::string scores = minimal_toml + "[scores]\n"; // the next line is 10
    REQUIRE_THROWS_WITH(load_toml(scores + "datasets = [1.0]\n"),
                        Contains("vecadd/mp.toml:10: 'datasets' in [scores] must be an array of 2 "
                                 "numbers"));
    REQUIRE_THROWS_WITH(load_toml(scores + "coding_deadline = 2015-02-11T23:00:00\n"),
                        Contains("vecadd/mp.toml:10: 'coding_deadline' in [scores] needs a time "
                                 "zone"));
    REQUIRE_THROWS_WITH(load_toml(scores + "compile = -1\n"),
                        Contains("vecadd/mp.toml:10: 'compile' in [scores] must be >= 0"));
    REQUIRE_THROWS_WITH(load_toml(scores + "keywords = [{ word = \"x\", points = 1 }]\n"),
                        Contains("unknown key 'points' in [scores.keywords]"));
}
