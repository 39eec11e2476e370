// Kattis / ICPC problem packages (problem.yaml), read unchanged
// (docs/mp-format.md, "Problem packages").
//
// A package is a classic judge problem: stdio, datasets under data/sample
// and data/secret as NAME.in + NAME.ans, judged by the default validator
// (wbtool's tokens mode, which has the same rules) or by the package's own
// output validator. What a package says that changes a verdict and that
// wbtool cannot honour (an interactive or multi-pass problem, a validator
// in another language) is refused; what is only metadata (author, license,
// uuid, ...) is accepted silently; anything else is accepted with a warning,
// since packages from newer format versions carry keys wbtool never heard of
// and they must still import.
#include "core/error.h"
#include "core/mp_loader.h"
#include "core/yaml.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace wb::core::detail {

namespace {

namespace fs = std::filesystem;

// A package names no time limit (judges derive it from the accepted
// submissions' times): limits.time_limit, then .timelimit, then this.
constexpr double default_time_limit_s = 1.0;
// The format's own defaults for what problem.yaml leaves out.
constexpr std::uint64_t default_memory_mib = 2048;
constexpr std::uint64_t default_output_mib = 8;

const std::set<std::string, std::less<>> metadata_keys = {"author",
                                                          "source",
                                                          "source_url",
                                                          "license",
                                                          "rights_owner",
                                                          "uuid",
                                                          "keywords",
                                                          "languages",
                                                          "problem_format_version",
                                                          "credits",
                                                          "version",
                                                          "constants",
                                                          "embargo_until",
                                                          "name",
                                                          "type",
                                                          "validation",
                                                          "validator_flags",
                                                          "limits",
                                                          "grading",
                                                          "on_reject"};

const std::set<std::string, std::less<>> limit_keys = {"time_limit",
                                                       "time_multiplier",
                                                       "time_multipliers",
                                                       "time_safety_margin",
                                                       "time_resolution",
                                                       "memory",
                                                       "output",
                                                       "code",
                                                       "compilation_time",
                                                       "compilation_memory",
                                                       "validation_time",
                                                       "validation_memory",
                                                       "validation_output",
                                                       "validation_passes"};

class Yaml {
  public:
    explicit Yaml(const Bundle& b) : b_(b), file_(b.at("problem.yaml")) {}

    yaml::Node parse() const {
        try {
            return yaml::load(read_text(b_, "problem.yaml"));
        } catch (const yaml::ParseError& e) {
            throw InputError(fmt::format("{}:{}: {}", file_, e.line() + 1, e.what()));
        }
    }
    [[noreturn]] void fail(const yaml::Node& n, std::string_view what) const {
        if (n.line() >= 0) throw InputError(fmt::format("{}:{}: {}", file_, n.line() + 1, what));
        throw InputError(fmt::format("{}: {}", file_, what));
    }
    std::string scalar(const yaml::Node& n, std::string_view key) const {
        if (!n.is_scalar()) fail(n, fmt::format("'{}' must be a single value", key));
        return n.scalar();
    }
    double number(const yaml::Node& n, std::string_view key, double lo, double hi) const {
        const std::string text = scalar(n, key);
        double v = 0;
        std::istringstream in(text);
        if (!(in >> v) || !(in >> std::ws).eof() || !std::isfinite(v) || v <= lo || v > hi)
            fail(n,
                 fmt::format("'{}' must be a number > {} and <= {}, got '{}'", key, lo, hi, text));
        return v;
    }
    const std::string& file() const { return file_; }

  private:
    const Bundle& b_;
    std::string file_;
};

// `name`: a string, or one per language ({en: ..., sv: ...}): English first.
std::string read_name(const Yaml& y, const yaml::Node& n) {
    if (n.is_scalar()) return n.scalar();
    if (!n.is_map()) y.fail(n, "'name' must be a string or a map of languages to strings");
    if (n["en"] && n["en"].is_scalar()) return n["en"].scalar();
    for (const auto& kv : n.pairs())
        if (kv.second.is_scalar()) return kv.second.scalar();
    return {};
}

// `type` (2023-07: a word or a list) and `validation` (legacy): only
// pass-fail problems that one run of the program answers.
void refuse_unsupported(const Yaml& y, const yaml::Node& root, Mp& mp, bool& custom) {
    std::vector<std::string> words;
    if (const auto type = root["type"]) {
        if (type.is_sequence())
            for (const auto& t : type.items())
                words.push_back(y.scalar(t, "type"));
        else
            words.push_back(y.scalar(type, "type"));
        for (const auto& w : words)
            if (w == "interactive" || w == "multi-pass" || w == "submit-answer")
                y.fail(type, fmt::format("type '{}': wbtool grades programs that read standard "
                                         "input and write standard output once; this problem "
                                         "cannot be graded",
                                         w));
            else if (w == "custom")
                custom = true;
            else if (w == "scoring")
                mp.warnings.push_back(fmt::format("{}: type 'scoring': graded pass-fail, each "
                                                  "dataset correct or not",
                                                  y.file()));
    }
    if (const auto v = root["validation"]) {
        std::istringstream words_in(y.scalar(v, "validation"));
        std::string first;
        words_in >> first;
        if (first != "default" && first != "custom")
            y.fail(v, fmt::format("validation '{}' is not 'default' or 'custom'", v.scalar()));
        custom = custom || first == "custom";
        for (std::string w; words_in >> w;) {
            if (w == "interactive" || w == "multi-pass")
                y.fail(v, fmt::format("validation '{}': an interactive problem cannot be graded "
                                      "by wbtool",
                                      v.scalar()));
            if (w == "score")
                mp.warnings.push_back(fmt::format("{}: validation 'custom score': graded "
                                                  "pass-fail (the validator's score is not read)",
                                                  y.file()));
        }
    }
}

std::vector<std::string> split_words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

// The default validator's flags as the tokens mode's rules.
void default_validator(const Yaml& y, const yaml::Node& flags_node,
                       const std::vector<std::string>& flags, Mp& mp) {
    mp.check = CheckMode::tokens;
    mp.tolerance = {0, 0};
    mp.tokens.case_sensitive = false; // Kattis's default validator ignores case unless told
    for (std::size_t i = 0; i < flags.size(); ++i) {
        const std::string& f = flags[i];
        if (f == "case_sensitive") {
            mp.tokens.case_sensitive = true;
        } else if (f == "space_change_sensitive") {
            mp.tokens.space_change_sensitive = true;
        } else if (f == "float_tolerance" || f == "float_absolute_tolerance" ||
                   f == "float_relative_tolerance") {
            double v = 0;
            std::size_t used = 0;
            try {
                if (i + 1 < flags.size()) v = std::stod(flags[i + 1], &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (i + 1 >= flags.size() || used != flags[i + 1].size() || !std::isfinite(v) || v < 0)
                y.fail(flags_node,
                       fmt::format("validator_flags: '{}' needs a number >= 0 after it", f));
            ++i;
            if (f != "float_relative_tolerance") mp.tolerance.abs = v;
            if (f != "float_absolute_tolerance") mp.tolerance.rel = v;
            mp.tokens.numeric = true;
        } else {
            y.fail(flags_node, fmt::format("validator_flags: unknown flag '{}' for the default "
                                           "validator (known: case_sensitive, "
                                           "space_change_sensitive, float_tolerance E, "
                                           "float_absolute_tolerance E, float_relative_tolerance "
                                           "E)",
                                           f));
        }
    }
}

// output_validators/ (legacy) or output_validator/ (2023-07): one C or C++
// source, directly in it or in its one subdirectory.
void custom_validator(const Bundle& b, Mp& mp) {
    std::vector<fs::path> sources;
    std::vector<fs::path> others;
    fs::path dir;
    for (const char* d : {"output_validators", "output_validator"})
        if (dir.empty() && b.has_dir(d)) dir = d;
    if (dir.empty())
        throw InputError(fmt::format("{}: validation is 'custom' but the package has no "
                                     "output_validators/ directory",
                                     b.at("problem.yaml")));
    for (const auto& f : b.files) {
        if (f.begin() == f.end() || *f.begin() != dir) continue;
        const auto ext = f.extension().string();
        if (ext == ".c" || ext == ".cpp" || ext == ".cc" || ext == ".cxx")
            sources.push_back(f);
        else if (ext != ".h" && ext != ".hpp" && f.filename() != "build" && f.filename() != "run")
            others.push_back(f);
    }
    if (sources.size() != 1) {
        std::string found;
        for (const auto& f : sources.empty() ? others : sources)
            found += (found.empty() ? "" : ", ") + f.generic_string();
        throw InputError(fmt::format("{}: wbtool needs exactly one C or C++ source file as the "
                                     "output validator, found {}",
                                     b.at(dir), found.empty() ? "none" : found));
    }
    mp.check = CheckMode::validator;
    mp.validator = b.root / sources.front();
    mp.validator_toolchain = validator_toolchain(b.at(sources.front()), sources.front());
}

void read_limits(const Yaml& y, const Bundle& b, const yaml::Node& root, Mp& mp) {
    mp.limits.memory_mib = default_memory_mib;
    mp.limits.output_kib = default_output_mib * 1024;
    mp.limits.run_s = default_time_limit_s;
    if (b.has_file(".timelimit")) {
        const std::string text = read_text(b, ".timelimit");
        double v = 0;
        std::istringstream in(text);
        if (!(in >> v) || !(in >> std::ws).eof() || !std::isfinite(v) || v <= 0 || v > 600)
            throw InputError(fmt::format("{}: must hold a number of seconds > 0 and <= 600",
                                         b.at(".timelimit")));
        mp.limits.run_s = v;
    }
    const auto limits = root["limits"];
    if (!limits) return;
    if (!limits.is_map()) y.fail(limits, "'limits' must be a map");
    for (const auto& kv : limits.pairs()) {
        const std::string key = kv.first.scalar();
        if (!limit_keys.contains(key))
            mp.warnings.push_back(
                fmt::format("{}: unknown key '{}' in limits (ignored)", y.file(), key));
    }
    if (const auto n = limits["time_limit"]) mp.limits.run_s = y.number(n, "time_limit", 0, 600);
    if (const auto n = limits["memory"])
        mp.limits.memory_mib = static_cast<std::uint64_t>(y.number(n, "memory", 15, 1 << 20));
    if (const auto n = limits["output"])
        mp.limits.output_kib = static_cast<std::uint64_t>(y.number(n, "output", 0, 1 << 20) * 1024);
    if (const auto n = limits["compilation_time"])
        mp.limits.compile_s = y.number(n, "compilation_time", 0, 600);
}

// data/sample then data/secret, each sorted by path, deeper test groups
// included: NAME.in with NAME.ans beside it.
std::vector<Dataset> read_data(const Bundle& b) {
    std::vector<Dataset> out;
    for (const char* group : {"data/sample", "data/secret"}) {
        for (const auto& f : b.files) {
            const auto rel = f.lexically_relative(group);
            if (rel.empty() || *rel.begin() == "..") continue;
            if (f.extension() != ".in") continue;
            fs::path ans = f;
            ans.replace_extension(".ans");
            if (!b.has_file(ans))
                throw InputError(fmt::format("{}: no {} beside it (every input needs its answer)",
                                             b.at(f), ans.filename().string()));
            Dataset d;
            d.index = static_cast<int>(out.size());
            d.inputs = {b.root / f};
            d.expected = b.root / ans;
            d.description = f.lexically_relative("data").replace_extension().generic_string();
            out.push_back(std::move(d));
        }
    }
    if (out.empty())
        throw InputError(fmt::format("{}: no test data (data/sample/*.in and data/secret/*.in, "
                                     "each with its .ans)",
                                     b.at("data")));
    return out;
}

// What `grade --local` shows and `mp import --verify` grades: the statement
// and the first accepted submission, when there are.
void read_files(const Bundle& b, Mp& mp) {
    for (const char* s : {"problem_statement/problem.en.md", "problem_statement/problem.md",
                          "statement/problem.en.md", "problem.md"})
        if (mp.description.empty() && b.has_file(s)) mp.description = b.root / s;
    for (const auto& f : b.files) {
        const auto ext = f.extension().string();
        if (f.parent_path() == "submissions/accepted" && (ext == ".cpp" || ext == ".cc")) {
            mp.solution = b.root / f;
            break;
        }
    }
}

} // namespace

Mp load_kattis(const Bundle& b) {
    if (!b.has_file("problem.yaml"))
        throw InputError(fmt::format("{}: not a regular file", b.at("problem.yaml")));
    const Yaml y(b);
    // An empty problem.yaml is an empty map.
    const yaml::Node root = y.parse();
    if (!root.is_null() && !root.is_map())
        y.fail(root, "the top level must be a map of keys to values");

    Mp mp;
    id_from_bundle_name(b, mp);
    for (const auto& kv : root.pairs()) {
        const std::string key = kv.first.scalar();
        if (!metadata_keys.contains(key))
            mp.warnings.push_back(fmt::format("{}: unknown key '{}' (ignored)", y.file(), key));
    }
    mp.title = root["name"] ? read_name(y, root["name"]) : std::string();
    if (mp.title.find_first_not_of(" \t\r\n") == std::string::npos) mp.title = b.name;
    mp.toolchain = Toolchain::cpp; // a .c submission is compiled as C (mp_for_source)
    mp.language = "C/C++";
    mp.io = RunIo::stdio;
    mp.run_command = "{exe} {args}";

    bool custom = false;
    refuse_unsupported(y, root, mp, custom);
    std::vector<std::string> flags;
    const yaml::Node flags_node = root["validator_flags"];
    if (flags_node) flags = split_words(y.scalar(flags_node, "validator_flags"));
    if (custom) {
        custom_validator(b, mp);
        mp.validator_flags = flags;
    } else {
        default_validator(y, flags_node, flags, mp);
    }
    mp.type_arg = std::string(to_string(mp.check));
    read_limits(y, b, root, mp);
    mp.datasets = read_data(b);
    default_dataset_scores(mp);
    read_files(b, mp);
    return mp;
}

} // namespace wb::core::detail
