// The native layout: mp.toml (docs/mp-format.md).
//
// toml++ keeps the source position of every key and value, so every refusal
// here names the line: "vecadd/mp.toml:12: unknown key 'tolerence' in
// [check]". Unknown keys are errors, not warnings: a misspelt key that is
// silently ignored is a limit or a tolerance that silently does not apply.
// Keys are read by small typed getters that know the table they are in, so a
// message names the key the way the user wrote it ("'mode' in [check]").
#include "core/error.h"
#include "core/mp_loader.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <cstdint>
#include <ctime>
#include <initializer_list>

namespace wb::core::detail {

namespace {

namespace fs = std::filesystem;

template <class T> struct Value {
    T value;
    toml::source_region source;
};

std::string_view type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::string:
        return "string";
    case toml::node_type::integer:
        return "integer";
    case toml::node_type::floating_point:
        return "float";
    case toml::node_type::boolean:
        return "boolean";
    case toml::node_type::date:
        return "date";
    case toml::node_type::time:
        return "time";
    case toml::node_type::date_time:
        return "date-time";
    case toml::node_type::array:
        return "array";
    case toml::node_type::table:
        return "table";
    default:
        return "nothing";
    }
}

// 'title' or 'mode' in [check]
std::string key_name(std::string_view table, std::string_view key) {
    return table.empty() ? fmt::format("'{}'", key) : fmt::format("'{}' in [{}]", key, table);
}

std::string join(std::initializer_list<std::string_view> words) {
    std::string out;
    for (std::string_view w : words)
        out += (out.empty() ? "" : ", ") + std::string(w);
    return out;
}

// Where messages point: "vecadd/mp.toml:LINE" (no line when toml++ has none).
class Doc {
  public:
    explicit Doc(std::string file) : file_(std::move(file)) {}
    const std::string& file() const { return file_; }
    std::string at(const toml::source_region& s) const {
        return s.begin.line > 0 ? fmt::format("{}:{}", file_, s.begin.line) : file_;
    }
    [[noreturn]] void fail(const toml::source_region& s, std::string_view what) const {
        throw InputError(fmt::format("{}: {}", at(s), what));
    }
    // Where a missing key of `table` is reported: the table's header, or the
    // file for the top level.
    std::string at_table(const toml::table& t, std::string_view table) const {
        return table.empty() ? file_ : at(t.source());
    }

  private:
    std::string file_;
};

void reject_unknown(const Doc& doc, const toml::table& t, std::string_view table,
                    std::initializer_list<std::string_view> known) {
    for (auto&& [key, node] : t) {
        bool ok = false;
        for (std::string_view k : known)
            ok = ok || key.str() == k;
        if (ok) continue;
        if (table.empty())
            doc.fail(key.source(),
                     fmt::format("unknown {} (the top level has: {})",
                                 node.is_table() ? fmt::format("table [{}]", key.str())
                                                 : fmt::format("key '{}'", key.str()),
                                 join(known)));
        doc.fail(key.source(), fmt::format("unknown key '{}' in [{}] (known: {})", key.str(), table,
                                           join(known)));
    }
}

// The table under `key` of the top level; nullptr when absent.
const toml::table* sub_table(const Doc& doc, const toml::table& root, std::string_view key) {
    const toml::node* n = root.get(key);
    if (!n) return nullptr;
    if (!n->is_table())
        doc.fail(n->source(), fmt::format("'{}' must be a table, got {}", key, type_name(*n)));
    return n->as_table();
}

std::optional<Value<std::string>> opt_string(const Doc& doc, const toml::table& t,
                                             std::string_view table, std::string_view key) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_string())
        doc.fail(n->source(),
                 fmt::format("{} must be a string, got {}", key_name(table, key), type_name(*n)));
    const std::string& s = n->as_string()->get();
    if (s.find_first_not_of(" \t\r\n") == std::string::npos)
        doc.fail(n->source(), fmt::format("{} must not be empty", key_name(table, key)));
    return Value<std::string>{s, n->source()};
}

Value<std::string> req_string(const Doc& doc, const toml::table& t, std::string_view table,
                              std::string_view key) {
    auto v = opt_string(doc, t, table, key);
    if (!v)
        throw InputError(fmt::format("{}: missing required key {}", doc.at_table(t, table),
                                     key_name(table, key)));
    return *v;
}

std::optional<std::vector<std::string>> opt_strings(const Doc& doc, const toml::table& t,
                                                    std::string_view table, std::string_view key) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_array())
        doc.fail(n->source(), fmt::format("{} must be an array of strings, got {}",
                                          key_name(table, key), type_name(*n)));
    std::vector<std::string> out;
    for (const toml::node& item : *n->as_array()) {
        if (!item.is_string())
            doc.fail(item.source(), fmt::format("{} must be an array of strings, got an element "
                                                "of type {}",
                                                key_name(table, key), type_name(item)));
        const std::string& s = item.as_string()->get();
        if (s.find_first_not_of(" \t\r\n") == std::string::npos)
            doc.fail(item.source(),
                     fmt::format("{} must not hold an empty string", key_name(table, key)));
        out.push_back(s);
    }
    return out;
}

// A number (integer or float) that must lie in [lo, hi], or (lo, hi] when
// `open_lo`.
std::optional<double> opt_number(const Doc& doc, const toml::table& t, std::string_view table,
                                 std::string_view key, double lo, bool open_lo, double hi) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    double v = 0;
    if (const auto* i = n->as_integer())
        v = static_cast<double>(i->get());
    else if (const auto* f = n->as_floating_point())
        v = f->get();
    else
        doc.fail(n->source(),
                 fmt::format("{} must be a number, got {}", key_name(table, key), type_name(*n)));
    if (!std::isfinite(v))
        doc.fail(n->source(),
                 fmt::format("{} must be a finite number, got {}", key_name(table, key), v));
    const bool in_range = (open_lo ? v > lo : v >= lo) && v <= hi;
    if (!in_range) {
        const std::string range =
            std::isinf(hi) ? fmt::format("{} {}", open_lo ? ">" : ">=", lo)
                           : fmt::format("{} {} and <= {}", open_lo ? ">" : ">=", lo, hi);
        const std::string got =
            n->as_integer() ? fmt::format("{}", n->as_integer()->get()) : fmt::format("{}", v);
        doc.fail(n->source(),
                 fmt::format("{} must be {}, got {}", key_name(table, key), range, got));
    }
    return v;
}

std::optional<std::int64_t> opt_integer(const Doc& doc, const toml::table& t,
                                        std::string_view table, std::string_view key,
                                        std::int64_t lo, std::int64_t hi) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_integer())
        doc.fail(n->source(),
                 fmt::format("{} must be an integer, got {}", key_name(table, key), type_name(*n)));
    const std::int64_t v = n->as_integer()->get();
    if (v < lo || v > hi)
        doc.fail(n->source(), fmt::format("{} must be between {} and {}, got {}",
                                          key_name(table, key), lo, hi, v));
    return v;
}

// A file named in [files] (or [check] validator): inside the bundle,
// existing, a regular file.
fs::path named_file(const Doc& doc, const Bundle& b, const Value<std::string>& v,
                    std::string_view key) {
    const std::string table = key == "validator" ? "[check]" : "[files]";
    const auto rel = stays_inside(v.value);
    if (!rel) doc.fail(v.source, fmt::format("{} {} '{}' leaves the bundle", table, key, v.value));
    if (b.has_dir(*rel))
        doc.fail(v.source,
                 fmt::format("{} {} '{}' is a directory, not a file", table, key, v.value));
    if (!b.has_file(*rel))
        doc.fail(v.source,
                 fmt::format("{} {} '{}' does not exist in the bundle", table, key, v.value));
    return b.root / *rel;
}

// A file that the format names by default and that may be absent.
fs::path default_file(const Bundle& b, const fs::path& rel) {
    if (b.has_dir(rel)) throw InputError(fmt::format("{}: is a directory, not a file", b.at(rel)));
    return b.has_file(rel) ? b.root / rel : fs::path();
}

constexpr double max_seconds = 600;
constexpr double max_wall_seconds = 3 * max_seconds + 2;       // the default's largest
constexpr std::int64_t max_memory_mib = std::int64_t{1} << 30; // 1 PiB: bytes fit in 64 bits
constexpr std::int64_t max_output_kib = std::int64_t{1} << 30; // 1 TiB
constexpr std::int64_t max_processes = std::int64_t{1} << 22;  // Linux's largest pid_max

void read_build(const Doc& doc, const toml::table& root, Mp& mp) {
    const toml::table* build = sub_table(doc, root, "build");
    if (!build)
        throw InputError(fmt::format("{}: missing required table [build] (toolchain = one of {})",
                                     doc.file(), toolchain_names));
    reject_unknown(doc, *build, "build", {"toolchain", "flags", "compile", "run"});
    const auto tc = req_string(doc, *build, "build", "toolchain");
    const auto t = toolchain_from_name(tc.value);
    if (!t || *t == Toolchain::none)
        doc.fail(tc.source, fmt::format("unknown toolchain '{}' in [build] (valid: {})", tc.value,
                                        toolchain_names));
    mp.toolchain = *t;
    if (auto flags = opt_strings(doc, *build, "build", "flags")) mp.flags = std::move(*flags);
    const auto compile = opt_string(doc, *build, "build", "compile");
    if (mp.toolchain == Toolchain::custom && !compile)
        doc.fail(tc.source, "toolchain 'custom' needs a compile command in [build] "
                            "(compile = \"... {src} ... {exe} ...\")");
    if (mp.toolchain != Toolchain::custom && compile)
        doc.fail(compile->source,
                 fmt::format("'compile' in [build] is only for toolchain 'custom' (this MP's "
                             "toolchain is '{}', which has its own)",
                             tc.value));
    if (compile) mp.compile_command = compile->value;
    if (auto run = opt_string(doc, *build, "build", "run")) mp.run_command = run->value;
}

void read_limits(const Doc& doc, const toml::table& root, MpLimits& lim) {
    const toml::table* t = sub_table(doc, root, "limits");
    if (!t) return;
    reject_unknown(
        doc, *t, "limits",
        {"compile_time_s", "run_time_s", "wall_time_s", "memory_mib", "output_kib", "processes"});
    if (auto v = opt_number(doc, *t, "limits", "compile_time_s", 0, true, max_seconds))
        lim.compile_s = *v;
    if (auto v = opt_number(doc, *t, "limits", "run_time_s", 0, true, max_seconds)) lim.run_s = *v;
    if (auto v = opt_number(doc, *t, "limits", "wall_time_s", 0, true, max_wall_seconds))
        lim.wall_s = *v;
    if (auto v = opt_integer(doc, *t, "limits", "memory_mib", 16, max_memory_mib))
        lim.memory_mib = static_cast<std::uint64_t>(*v);
    if (auto v = opt_integer(doc, *t, "limits", "output_kib", 1, max_output_kib))
        lim.output_kib = static_cast<std::uint64_t>(*v);
    if (auto v = opt_integer(doc, *t, "limits", "processes", 1, max_processes))
        lim.processes = static_cast<std::uint32_t>(*v);
}

// A boolean key of [check] that only the tokens mode reads.
std::optional<bool> opt_token_flag(const Doc& doc, const toml::table& check, std::string_view key,
                                   const Mp& mp) {
    const toml::node* n = check.get(key);
    if (!n) return std::nullopt;
    if (!n->is_boolean())
        doc.fail(n->source(), fmt::format("{} must be true or false, got {}",
                                          key_name("check", key), type_name(*n)));
    if (mp.check != CheckMode::tokens)
        doc.fail(n->source(), fmt::format("'{}' in [check] applies only to mode 'tokens', not to "
                                          "'{}'",
                                          key, to_string(mp.check)));
    return n->as_boolean()->get();
}

void read_check(const Doc& doc, const toml::table& root, Mp& mp) {
    const toml::table* check = sub_table(doc, root, "check");
    if (!check)
        throw InputError(fmt::format("{}: missing required table [check] (mode = one of {})",
                                     doc.file(), check_mode_names));
    reject_unknown(doc, *check, "check",
                   {"mode", "abs_tolerance", "rel_tolerance", "type", "case_sensitive",
                    "space_change_sensitive", "validator", "validator_flags"});
    const auto mode = req_string(doc, *check, "check", "mode");
    const auto m = check_mode_from_name(mode.value);
    if (!m)
        doc.fail(mode.source, fmt::format("unknown check mode '{}' in [check] (valid: {})",
                                          mode.value, check_mode_names));
    mp.check = *m;
    // Tokens compare numbers within a tolerance only when one is given, and
    // then only within the ones given (as Kattis's float_*_tolerance).
    if (mp.check == CheckMode::tokens) mp.tolerance = {0, 0};
    const double inf = INFINITY;
    for (std::string_view key : {"abs_tolerance", "rel_tolerance"}) {
        const auto v = opt_number(doc, *check, "check", key, 0, false, inf);
        if (!v) continue;
        if (!is_float_mode(mp.check) && mp.check != CheckMode::tokens)
            doc.fail(check->get(key)->source(),
                     fmt::format("'{}' in [check] applies only to the float modes (vector, "
                                 "matrix, image) and to tokens, not to '{}'",
                                 key, mode.value));
        (key == "abs_tolerance" ? mp.tolerance.abs : mp.tolerance.rel) = *v;
        mp.tokens.numeric = mp.check == CheckMode::tokens;
    }
    if (auto v = opt_token_flag(doc, *check, "case_sensitive", mp)) mp.tokens.case_sensitive = *v;
    if (auto v = opt_token_flag(doc, *check, "space_change_sensitive", mp))
        mp.tokens.space_change_sensitive = *v;
    const auto type = opt_string(doc, *check, "check", "type");
    mp.type_arg = type ? type->value : std::string(to_string(mp.check));
}

// [check] validator and validator_flags: only mode validator reads them,
// and it needs its program (validator.cpp or validator.c by default).
void read_validator(const Doc& doc, const Bundle& b, const toml::table& root, Mp& mp) {
    const toml::table& check = *root["check"].as_table();
    const auto named = opt_string(doc, check, "check", "validator");
    const auto flags = opt_strings(doc, check, "check", "validator_flags");
    if (mp.check != CheckMode::validator) {
        if (named || flags)
            doc.fail(check.get(named ? "validator" : "validator_flags")->source(),
                     fmt::format("'{}' in [check] applies only to mode 'validator', not to '{}'",
                                 named ? "validator" : "validator_flags", to_string(mp.check)));
        return;
    }
    if (flags) mp.validator_flags = std::move(*flags);
    fs::path rel;
    if (named) {
        rel = named_file(doc, b, *named, "validator").lexically_relative(b.root);
    } else {
        for (const char* name : {"validator.cpp", "validator.c"})
            if (rel.empty() && b.has_file(name)) rel = name;
        if (rel.empty())
            doc.fail(check.source(), "mode 'validator' needs its program: validator.cpp or "
                                     "validator.c in the bundle, or another named by "
                                     "[check] validator");
    }
    mp.validator = b.root / rel;
    mp.validator_toolchain = validator_toolchain(b.at(rel), rel);
}

// [run]: how the program meets a dataset.
void read_run(const Doc& doc, const toml::table& root, Mp& mp) {
    const toml::table* run = sub_table(doc, root, "run");
    if (!run) return;
    reject_unknown(doc, *run, "run", {"io"});
    if (auto io = opt_string(doc, *run, "run", "io")) {
        const auto v = run_io_from_name(io->value);
        if (!v)
            doc.fail(io->source,
                     fmt::format("unknown io '{}' in [run] (valid: files, stdio)", io->value));
        mp.io = *v;
    }
}

void read_files(const Doc& doc, const Bundle& b, const toml::table& root,
                const toml::source_region& toolchain_at, Mp& mp) {
    static const toml::table empty;
    const toml::table* files = sub_table(doc, root, "files");
    if (files) reject_unknown(doc, *files, "files", {"description", "template", "solution"});
    const toml::table& f = files ? *files : empty;

    const std::string ext(source_extension(mp.toolchain));
    if (auto v = opt_string(doc, f, "files", "template")) {
        mp.template_file = named_file(doc, b, *v, "template");
    } else if (mp.toolchain == Toolchain::custom) {
        doc.fail(toolchain_at, "toolchain 'custom' needs [files] template (the starting "
                               "program; its extension names the source file)");
    } else {
        const fs::path rel = "template." + ext;
        if (!b.has_file(rel))
            throw InputError(fmt::format("{}: no template: toolchain '{}' expects template.{} "
                                         "(or name another with [files] template in mp.toml)",
                                         b.at(rel), to_string(mp.toolchain), ext));
        mp.template_file = b.root / rel;
    }

    if (auto v = opt_string(doc, f, "files", "description"))
        mp.description = named_file(doc, b, *v, "description");
    else
        mp.description = default_file(b, "description.md");

    if (auto v = opt_string(doc, f, "files", "solution"))
        mp.solution = named_file(doc, b, *v, "solution");
    else if (mp.toolchain == Toolchain::custom)
        mp.solution = default_file(b, "solution" + mp.template_file.extension().string());
    else
        mp.solution = default_file(b, "solution." + ext);
}

// A deadline: a TOML date-time with its offset (2026-03-01T23:00:00Z) or
// the same as an RFC 3339 string.
std::optional<std::int64_t> opt_deadline(const Doc& doc, const toml::table& t,
                                         std::string_view key) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    const std::string name = key_name("scores", key);
    if (const auto* s = n->as_string()) {
        if (auto v = parse_rfc3339(s->get())) return v;
        doc.fail(n->source(), fmt::format("{} '{}' is not a date and time like "
                                          "2026-03-01T23:00:00Z",
                                          name, s->get()));
    }
    const auto* dt = n->as_date_time();
    if (!dt)
        doc.fail(n->source(), fmt::format("{} must be a date and time like 2026-03-01T23:00:00Z, "
                                          "got {}",
                                          name, type_name(*n)));
    const toml::date_time& v = dt->get();
    if (!v.offset)
        doc.fail(n->source(), fmt::format("{} needs a time zone (Z or +01:00): a deadline without "
                                          "one means a different moment on every machine",
                                          name));
    std::tm tm{};
    tm.tm_year = v.date.year - 1900;
    tm.tm_mon = v.date.month - 1;
    tm.tm_mday = v.date.day;
    tm.tm_hour = v.time.hour;
    tm.tm_min = v.time.minute;
    tm.tm_sec = v.time.second;
    return static_cast<std::int64_t>(timegm(&tm)) - v.offset->minutes * 60;
}

// [scores]: the WebGPU platform's grading scheme (docs/mp-format.md,
// Scores). Shares are numbers >= 0; a bundle without [scores] is scored by
// its datasets in equal shares.
void read_scores(const Doc& doc, const toml::table& root, Mp& mp) {
    const toml::table* t = sub_table(doc, root, "scores");
    if (!t) {
        default_dataset_scores(mp);
        return;
    }
    reject_unknown(doc, *t, "scores",
                   {"compile", "code", "datasets", "keywords", "questions", "peer_review",
                    "coding_deadline", "peer_review_deadline"});
    const double inf = INFINITY;
    Scoring& s = mp.scoring;
    if (auto v = opt_number(doc, *t, "scores", "compile", 0, false, inf)) s.compile = *v;
    if (auto v = opt_number(doc, *t, "scores", "code", 0, false, inf)) s.code = *v;
    if (auto v = opt_number(doc, *t, "scores", "questions", 0, false, inf)) s.questions = *v;
    if (auto v = opt_number(doc, *t, "scores", "peer_review", 0, false, inf)) s.peer_review = *v;
    s.coding_deadline = opt_deadline(doc, *t, "coding_deadline");
    s.peer_review_deadline = opt_deadline(doc, *t, "peer_review_deadline");
    if (const toml::node* n = t->get("keywords")) {
        const auto* list = n->as_array();
        if (!list)
            doc.fail(n->source(), fmt::format("'keywords' in [scores] must be an array of "
                                              "{{ word = \"...\", score = 0.1 }}, got {}",
                                              type_name(*n)));
        for (const toml::node& item : *list) {
            const auto* k = item.as_table();
            if (!k)
                doc.fail(item.source(), "each of 'keywords' in [scores] must be a table "
                                        "{ word = \"...\", score = 0.1 }");
            reject_unknown(doc, *k, "scores.keywords", {"word", "score"});
            RequiredKeyword r;
            r.word = req_string(doc, *k, "scores.keywords", "word").value;
            r.score = opt_number(doc, *k, "scores.keywords", "score", 0, false, inf).value_or(0);
            s.keywords.push_back(std::move(r));
        }
    }
    const toml::node* shares = t->get("datasets");
    if (!shares) {
        default_dataset_scores(mp);
        return;
    }
    const auto* list = shares->as_array();
    if (!list || list->size() != mp.datasets.size())
        doc.fail(shares->source(),
                 fmt::format("'datasets' in [scores] must be an array of {} numbers, one share "
                             "per dataset in index order",
                             mp.datasets.size()));
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::node& item = *list->get(i);
        double v = -1;
        if (const auto* x = item.as_integer()) v = static_cast<double>(x->get());
        if (const auto* x = item.as_floating_point()) v = x->get();
        if (!(v >= 0) || !std::isfinite(v))
            doc.fail(item.source(), "each of 'datasets' in [scores] must be a number >= 0");
        mp.datasets[i].score = v;
    }
}

// questions: what the students are asked with the description.
void read_questions(const Doc& doc, const toml::table& root, Mp& mp) {
    if (auto q = opt_strings(doc, root, "", "questions")) mp.questions = std::move(*q);
}

} // namespace

Mp load_native(const Bundle& b) {
    const fs::path rel = "mp.toml";
    if (!b.has_file(rel)) throw InputError(fmt::format("{}: not a regular file", b.at(rel)));
    const Doc doc(b.at(rel));
    const std::string text = read_text(b, rel);
    toml::table root;
    try {
        root = toml::parse(text, doc.file());
    } catch (const toml::parse_error& e) {
        throw InputError(fmt::format("{}: {}", doc.at(e.source()), e.description()));
    }
    reject_unknown(doc, root, "",
                   {"id", "title", "build", "limits", "precheck", "check", "files", "run", "scores",
                    "questions"});

    Mp mp;
    const auto id = req_string(doc, root, "", "id");
    if (!valid_name(id.value))
        doc.fail(id.source, fmt::format("id '{}' must match {} (lower-case letters, digits, '_' "
                                        "and '-', at most 64 characters)",
                                        id.value, name_pattern));
    mp.id = id.value;
    mp.title = req_string(doc, root, "", "title").value;

    read_build(doc, root, mp);
    read_limits(doc, root, mp.limits);
    if (const toml::table* pre = sub_table(doc, root, "precheck")) {
        reject_unknown(doc, *pre, "precheck", {"forbidden"});
        if (auto words = opt_strings(doc, *pre, "precheck", "forbidden"))
            mp.forbidden = std::move(*words);
    }
    read_check(doc, root, mp);
    read_validator(doc, b, root, mp);
    read_run(doc, root, mp);
    read_files(doc, b, root, root["build"]["toolchain"].node()->source(), mp);
    if (mp.run_command.empty()) mp.run_command = "{exe} {args}";
    mp.datasets = discover_datasets(b, "datasets", mp.io);
    read_scores(doc, root, mp);
    read_questions(doc, root, mp);
    return mp;
}

} // namespace wb::core::detail
