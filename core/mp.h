// The MP ("machine problem") model and its loader.
//
// One loader reads both bundle layouts: the native one (mp.toml, see
// docs/mp-format.md) and the WebGPU / GPU Teaching Kit one (config.json) that
// course staff have years of MPs in. Both become the same Mp value, so
// nothing downstream knows which layout a bundle came from.
//
// Loading validates everything and throws InputError naming the file, the
// line or field, and the reason: a bundle that loads is a bundle that grades.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::core {

// openacc: C++ with OpenACC directives (g++ -fopenacc runs them on the CPU;
// nvc++ -acc where it is installed). opencl: C++ against the OpenCL ICD
// loader. none: a language that no toolchain of wbtool serves (a WebGPU
// MP's CPPAMP): the MP imports, and grading says so (Mp::language).
enum class Toolchain { c, cpp, cuda, custom, openacc, opencl, none };
// validator: the bundle's own output validator program decides (the Kattis
// output validator interface, docs/mp-format.md "Output validators").
enum class CheckMode {
    exact,
    tokens,
    vector,
    matrix,
    integral_vector,
    histogram,
    image,
    validator
};
// kattis: a Kattis / ICPC problem package (problem.yaml), read unchanged.
enum class BundleLayout { native, legacy, kattis };
// How a program meets a dataset: `files`, libwb's -i/-o/-t arguments and the
// -o file judged; `stdio`, the one input on standard input and standard
// output judged (classic judge problems).
enum class RunIo { files, stdio };

std::string_view to_string(Toolchain t);
std::string_view to_string(CheckMode m);
std::string_view to_string(BundleLayout l);
std::string_view to_string(RunIo io);
// The value of that name, or nothing.
std::optional<Toolchain> toolchain_from_name(std::string_view name);
std::optional<CheckMode> check_mode_from_name(std::string_view name);
std::optional<BundleLayout> layout_from_name(std::string_view name);
std::optional<RunIo> run_io_from_name(std::string_view name);

struct Tolerance {
    double abs = 1e-6; // |got - expected| <= abs ...
    double rel = 1e-6; // ... or <= rel * |expected|
};

struct MpLimits {
    double compile_s = 10.0;
    double run_s = 3.0;
    std::uint64_t memory_mib = 512;
    std::uint64_t output_kib = 1024; // stdout + stderr of one run
    std::uint32_t processes = 16;    // processes and threads of one run
    double wall_s = 0;               // wall-clock seconds per dataset; 0: wall_limit_s()
};

// The wall-clock limit of one run: wall_s, or by default 3 * run_s + 2 (room
// for a busy machine; CPU time is what a program is judged by).
double wall_limit_s(const MpLimits& limits);

// The `tokens` check's rules, as the Kattis problem package format's default
// output validator has them (docs/mp-format.md).
struct TokenRules {
    bool numeric = false;       // a tolerance was given: number tokens within Mp::tolerance
    bool case_sensitive = true; // false: letters compared ignoring ASCII case
    bool space_change_sensitive = false; // true: the white space must be the same bytes
};

struct Dataset {
    int index = 0; // its number: the directory (datasets/<index>/), or data[index] of config.json
    std::vector<std::filesystem::path> inputs; // absolute, in argument order
    std::filesystem::path expected;            // absolute
    double score = 0;                          // what a correct answer earns (Scoring)
    std::string description;                   // config.json's "description"; may be empty
};

// A word the program must contain to earn `score` (config.json's
// `keyword: [{"data": ..., "score": ...}]`): the original WebGPU grader's
// check, a plain substring of the program's text.
struct RequiredKeyword {
    std::string word;
    double score = 0;
};

// How a submission's points are counted, as the WebGPU platform counted them
// (docs/mp-format.md, "Scores"): shares of 1, shown as points of 100. The
// code points are compile + keywords + datasets earned, capped at `code`.
struct Scoring {
    double compile = 0;     // compile_score: earned when the program compiles
    double code = 1;        // code_score: the cap on the code points
    double questions = 0;   // questions_score: given by TAs for the answers
    double peer_review = 0; // peer_review_score: given for peer reviews
    std::vector<RequiredKeyword> keywords;
    // Deadlines, seconds since the epoch (UTC); a submission after
    // coding_deadline is graded and marked late.
    std::optional<std::int64_t> coding_deadline;
    std::optional<std::int64_t> peer_review_deadline;
};

struct Mp {
    std::string id; // [a-z0-9][a-z0-9_-]{0,63}
    std::string title;
    BundleLayout layout = BundleLayout::native;
    std::filesystem::path root; // absolute path of the bundle directory

    Toolchain toolchain = Toolchain::cpp;
    std::vector<std::string> flags; // added to the toolchain's own
    // Custom toolchains only; placeholders {src} {exe} {flags} {libwb}.
    std::string compile_command;
    std::string run_command; // placeholders {exe} {args}; default "{exe} {args}"

    MpLimits limits;
    std::vector<std::string> forbidden; // keywords refused by the precheck
    CheckMode check = CheckMode::vector;
    Tolerance tolerance;
    std::string type_arg; // the `-t` argument given to the program

    std::filesystem::path description;   // absolute; may be empty
    std::filesystem::path template_file; // absolute
    std::filesystem::path solution;      // absolute; may be empty
    // Sorted by index. Empty only for an MP without datasets (a WebGPU
    // "device query" lab): its program runs once with no input and is
    // correct when it exits 0 within its limits.
    std::vector<Dataset> datasets;

    Scoring scoring;
    std::vector<std::string> questions; // questions.json: asked with the description
    std::string language;               // as the bundle names it ("CUDA", "OpenCL", "CPPAMP")
    // What the loader accepted but a user should hear about (extra dataset
    // directories, a renamed id, an empty config.json): one line each.
    std::vector<std::string> warnings;

    // Every regular file of the bundle, relative to root, sorted. The store
    // keeps exactly these.
    std::vector<std::filesystem::path> files;
    // Where the datasets of a bundle that ships them as dataset.zip were
    // unpacked (a temporary directory that lives as long as the Mp): files
    // under it are part of `files`, relative to this directory instead of
    // root. Empty when nothing was unpacked.
    std::shared_ptr<const std::filesystem::path> unpacked;
    // A bundle whose datasets were generated (`mp import --generate`,
    // core/generate.h) was loaded from a temporary copy, root, that lives as
    // long as the Mp. Empty otherwise.
    std::shared_ptr<const std::filesystem::path> generated;

    // The file on disk that holds `files[i]`.
    std::filesystem::path source_of(const std::filesystem::path& rel) const;

    RunIo io = RunIo::files; // [run] io (native bundles only)
    TokenRules tokens;       // [check], mode tokens

    // Mode validator: the validator's source (absolute; a C or C++ file of
    // the bundle), compiled with `validator_toolchain`, and the arguments
    // given after its three (Kattis's validator_flags).
    std::filesystem::path validator;
    Toolchain validator_toolchain = Toolchain::cpp;
    std::vector<std::string> validator_flags;
};

// Largest single bundle file the loader accepts.
inline constexpr std::uintmax_t max_bundle_file_bytes = 256ull << 20;

// Reads and validates the bundle in `dir`. Throws InputError.
Mp load_mp(const std::filesystem::path& dir);

// The source file name a program is compiled as ("main.cu", "main.cpp", ...).
std::string source_name(const Mp& mp);

} // namespace wb::core
