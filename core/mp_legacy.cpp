// The WebGPU / GPU Teaching Kit layout: config.json (docs/mp-format.md).
//
// Course staff have years of MPs in this layout, and the MPs that the WebGPU
// course published (src/wb/mp of abduld/WebGPU) are its specification: they
// import unchanged and are scored as that platform scored them. Keys the
// format does not use (course tools add many) are ignored, and the id comes
// from the directory's name. What the format does use is checked as strictly
// as mp.toml: a wrong type, a dataset file that is not there. What is odd but
// harmless (dataset directories config.json does not list, an empty
// config.json, a directory name that is not a valid id) is accepted with a
// warning (Mp::warnings). JSON values carry no position in nlohmann-json, so
// only a syntax error has a line; the others name the field
// ('data[1].input[0]').
#include "core/dataset_zip.h"
#include "core/error.h"
#include "core/files.h"
#include "core/mp_loader.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <set>

namespace wb::core::detail {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The WebGPU platform's languages (its compile_*.go) and wbtool's own names.
// A language no toolchain serves imports as Toolchain::none.
Toolchain toolchain_from_language(std::string_view language) {
    const std::string l = ascii_lower(language);
    if (l == "cuda") return Toolchain::cuda;
    if (l == "c") return Toolchain::c;
    if (l == "cpp" || l == "c++") return Toolchain::cpp;
    if (l == "openacc") return Toolchain::openacc;
    if (l == "opencl") return Toolchain::opencl;
    return Toolchain::none;
}

constexpr std::string_view output_type_names =
    "vector, matrix, integral_vector, histogram, image, text";

std::optional<CheckMode> check_mode_from_output_type(std::string_view type) {
    if (type == "text") return CheckMode::tokens;
    if (type == "exact" || type == "tokens" || type == "validator")
        return std::nullopt; // native names, not WebGPU's
    return check_mode_from_name(type);
}

std::string parse_reason(const json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
    std::string s = e.what();
    if (auto p = s.find("] "); p != std::string::npos) s.erase(0, p + 2);
    if (s.starts_with("parse error"))
        if (auto p = s.find(": "); p != std::string::npos) s.erase(0, p + 2);
    return s;
}

std::size_t line_of_byte(std::string_view text, std::size_t byte) {
    // parse_error::byte counts from 1: the position of the last character read.
    const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + end, '\n'));
}

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// A JSON file of the bundle, parsed; a syntax error names its line.
json parse_json(const Bundle& b, const fs::path& rel, const std::string& text) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        throw InputError(
            fmt::format("{}:{}: {}", b.at(rel), line_of_byte(text, e.byte), parse_reason(e)));
    }
}

class Config {
  public:
    Config(const Bundle& b, const json& j) : b_(b), j_(j), file_(b.at("config.json")) {}

    [[noreturn]] void fail(std::string_view what) const {
        throw InputError(fmt::format("{}: {}", file_, what));
    }
    [[noreturn]] void wrong_type(std::string_view field, std::string_view want,
                                 const json& got) const {
        fail(fmt::format("'{}' must be {}, got {}", field, want, got.type_name()));
    }

    const json* find(std::string_view key) const {
        auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }

    std::optional<std::string> string(std::string_view key) const {
        const json* v = find(key);
        if (!v || v->is_null()) return std::nullopt;
        if (!v->is_string()) wrong_type(key, "a string", *v);
        return v->get<std::string>();
    }

    // A share of the grade: a number >= 0 (the platform's float32/float64).
    double score(const json& v, const std::string& field) const {
        if (!v.is_number()) wrong_type(field, "a number", v);
        const double x = v.get<double>();
        if (!std::isfinite(x) || x < 0)
            fail(fmt::format("'{}' must be a number >= 0, got {}", field, v.dump()));
        return x;
    }
    std::optional<double> score(std::string_view key) const {
        const json* v = find(key);
        if (!v || v->is_null()) return std::nullopt;
        return score(*v, std::string(key));
    }

    std::optional<std::int64_t> deadline(std::string_view key) const {
        auto text = string(key);
        if (!text || blank(*text)) return std::nullopt;
        auto t = parse_rfc3339(*text);
        if (!t)
            fail(fmt::format("'{}' is '{}', not a date and time like 2015-02-11T23:00:00Z "
                             "(RFC 3339)",
                             key, *text));
        return t;
    }

    std::vector<std::string> strings(const json& v, std::string_view field) const {
        if (!v.is_array()) wrong_type(field, "an array of strings", v);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string()) wrong_type(fmt::format("{}[{}]", field, i), "a string", v[i]);
            out.push_back(v[i].get<std::string>());
            if (blank(out.back())) fail(fmt::format("'{}[{}]' must not be empty", field, i));
        }
        return out;
    }

    // keyword: objects {"data": word, "score": s} are words the program must
    // contain (the platform's scoring); plain strings are wbtool's forbidden
    // words (the precheck).
    void keywords(Mp& mp) const {
        const json* v = find("keyword");
        if (!v || v->is_null()) return;
        if (!v->is_array()) wrong_type("keyword", "an array", *v);
        for (std::size_t i = 0; i < v->size(); ++i) {
            const std::string field = fmt::format("keyword[{}]", i);
            const json& k = (*v)[i];
            if (k.is_string()) {
                if (blank(k.get<std::string>())) fail(fmt::format("'{}' must not be empty", field));
                mp.forbidden.push_back(k.get<std::string>());
                continue;
            }
            if (!k.is_object())
                wrong_type(field, R"(an object {"data": "word", "score": 0.1} or a string)", k);
            auto data = k.find("data");
            if (data == k.end() || !data->is_string() || blank(data->get<std::string>()))
                fail(fmt::format("'{}.data' must be the word the program must contain", field));
            RequiredKeyword r;
            r.word = data->get<std::string>();
            if (auto s = k.find("score"); s != k.end() && !s->is_null())
                r.score = score(*s, field + ".score");
            mp.scoring.keywords.push_back(std::move(r));
        }
    }

    // A file named by data[k]: relative to the datasets directory (the
    // platform's "0/input0.raw"), or else to the dataset's own directory
    // (wbtool's earlier reading, "input0.raw" in data/0/).
    fs::path dataset_file(const Bundle& db, const fs::path& dir, std::size_t k,
                          const std::string& name, const std::string& field,
                          std::set<fs::path>& used) const {
        if (blank(name)) fail(fmt::format("'{}' must not be empty", field));
        const auto inner = stays_inside(name);
        if (!inner) fail(fmt::format("'{}' names '{}', which leaves {}/", field, name, db.at(dir)));
        fs::path rel = dir / *inner;
        const fs::path own = dir / std::to_string(k) / *inner;
        if (!db.has_file(rel) && db.has_file(own)) rel = own;
        if (db.has_dir(rel))
            fail(fmt::format("'{}' names '{}', but {} is a directory", field, name, db.at(rel)));
        if (!db.has_file(rel))
            fail(fmt::format("'{}' names '{}', but neither {} nor {} exists", field, name,
                             db.at(rel), db.at(own)));
        used.insert(*rel.lexically_relative(dir).begin());
        return db.root / rel;
    }

    std::vector<Dataset> described_datasets(const Bundle& db, const fs::path& dir,
                                            std::vector<std::string>& warnings) const {
        const json& data = *find("data");
        if (!data.is_array()) wrong_type("data", "an array of datasets", data);
        std::vector<Dataset> out;
        std::set<fs::path> used; // the entries of `dir` that data[] names
        for (std::size_t k = 0; k < data.size(); ++k) {
            const std::string field = fmt::format("data[{}]", k);
            const json& entry = data[k];
            if (!entry.is_object())
                wrong_type(field, R"(an object {"input": [...], "output": "..."})", entry);
            Dataset d;
            d.index = static_cast<int>(k);
            if (auto it = entry.find("input"); it != entry.end() && !it->is_null()) {
                const auto names = strings(*it, field + ".input");
                for (std::size_t i = 0; i < names.size(); ++i)
                    d.inputs.push_back(dataset_file(db, dir, k, names[i],
                                                    fmt::format("{}.input[{}]", field, i), used));
            }
            auto out_it = entry.find("output");
            if (out_it == entry.end())
                fail(fmt::format("'{}' has no 'output' (the expected output file)", field));
            if (!out_it->is_string()) wrong_type(field + ".output", "a string", *out_it);
            d.expected =
                dataset_file(db, dir, k, out_it->get<std::string>(), field + ".output", used);
            if (auto s = entry.find("score"); s != entry.end() && !s->is_null())
                d.score = score(*s, field + ".score");
            if (auto s = entry.find("description"); s != entry.end() && s->is_string())
                d.description = s->get<std::string>();
            out.push_back(std::move(d));
        }
        // Generators often write more datasets than a course lists: what
        // data[] does not name is not graded, and the user hears so.
        std::vector<std::string> unused;
        for (const Entry& e : db.entries(dir))
            if (!used.contains(e.name)) unused.push_back(e.name.string() + (e.is_dir ? "/" : ""));
        if (!unused.empty()) {
            std::string list;
            for (std::size_t i = 0; i < unused.size() && i < 8; ++i)
                list += (i ? ", " : "") + unused[i];
            if (unused.size() > 8) list += fmt::format(" and {} more", unused.size() - 8);
            warnings.push_back(fmt::format("{}: {} not named by config.json's data[]; not graded",
                                           db.at(dir), list));
        }
        return out;
    }

  private:
    const Bundle& b_;
    const json& j_;
    std::string file_;
};

// The first of `names` that the bundle has as a regular file; empty if none.
fs::path first_file(const Bundle& b, std::initializer_list<std::string> names) {
    for (const std::string& n : names) {
        if (b.has_dir(n)) throw InputError(fmt::format("{}: is a directory, not a file", b.at(n)));
        if (b.has_file(n)) return b.root / n;
    }
    return {};
}

// questions.json: {"questions": ["...", ...]}; an empty file or an empty
// list asks nothing.
std::vector<std::string> read_questions(const Bundle& b) {
    const fs::path rel = "questions.json";
    if (!b.has_file(rel)) return {};
    const std::string text = read_text(b, rel);
    if (blank(text)) return {};
    const json j = parse_json(b, rel, text);
    if (j.is_array() && j.empty()) return {};
    if (!j.is_object())
        throw InputError(fmt::format("{}: must be an object {{\"questions\": [...]}}, got {}",
                                     b.at(rel), j.type_name()));
    auto it = j.find("questions");
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_array())
        throw InputError(fmt::format("{}: 'questions' must be an array of strings, got {}",
                                     b.at(rel), it->type_name()));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_string())
            throw InputError(fmt::format("{}: 'questions[{}]' must be a string, got {}", b.at(rel),
                                         i, (*it)[i].type_name()));
        out.push_back((*it)[i].get<std::string>());
    }
    return out;
}

// The datasets of a bundle that has no data/ (nor Dataset/) but a
// dataset.zip: unpacked into a temporary directory that lives as long as the
// Mp, and walked like a bundle of its own.
struct Unpacked {
    std::shared_ptr<const fs::path> dir;
    Bundle bundle;
};

Unpacked unpack(const Bundle& b) {
    const fs::path tmp = make_temp_dir(fs::temp_directory_path(), "wbtool-dataset-zip");
    std::shared_ptr<const fs::path> dir(new fs::path(tmp), [](const fs::path* p) {
        remove_tree(*p);
        delete p;
    });
    unpack_dataset_zip(b.root / "dataset.zip", b.at("dataset.zip"), *dir);
    return {dir, walk_bundle(*dir, b.at("dataset.zip"))};
}

} // namespace

// "vecadd 2" -> "vecadd-2", "_25" -> "25": lower-cased, anything outside
// [a-z0-9_-] turned into '-', what cannot begin an id dropped from the
// front, cut to the longest id.
std::string id_from_directory(std::string_view name) {
    std::string id = ascii_lower(name);
    for (char& c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) c = '-';
    const auto first = id.find_first_not_of("_-");
    id = first == std::string::npos ? std::string() : id.substr(first);
    if (id.size() > 64) id.resize(64);
    return id.empty() ? std::string("mp") : id;
}

// The id of a bundle that names none (config.json, problem.yaml): its
// directory's name, with a warning when that had to change.
void id_from_bundle_name(const Bundle& b, Mp& mp) {
    mp.id = id_from_directory(b.name);
    if (mp.id != b.name)
        mp.warnings.push_back(fmt::format("{}: the id is '{}' (an id matches {}; the directory's "
                                          "name does not)",
                                          b.name, mp.id, name_pattern));
}

Mp load_legacy(const Bundle& b) {
    const fs::path rel = "config.json";
    if (!b.has_file(rel)) throw InputError(fmt::format("{}: not a regular file", b.at(rel)));
    const std::string text = read_text(b, rel);
    Mp mp;
    json j = json::object();
    if (blank(text))
        mp.warnings.push_back(fmt::format("{}: empty; read as {{}}", b.at(rel)));
    else
        j = parse_json(b, rel, text);
    if (!j.is_object())
        throw InputError(fmt::format("{}: the top level must be an object {{...}}, got {}",
                                     b.at(rel), j.type_name()));
    const Config cfg(b, j);

    id_from_bundle_name(b, mp);
    mp.title = cfg.string("name").value_or("");
    if (blank(mp.title)) mp.title = b.name;

    mp.language = cfg.string("language").value_or("cuda");
    mp.toolchain = toolchain_from_language(mp.language);
    if (mp.toolchain == Toolchain::none)
        mp.warnings.push_back(fmt::format("{}: no toolchain of wbtool compiles language '{}' "
                                          "(it compiles cuda, c, cpp, OpenACC and OpenCL); the "
                                          "MP imports, and grading says so",
                                          b.at(rel), mp.language));
    mp.run_command = "{exe} {args}";

    if (auto type = cfg.string("output_type")) {
        const auto m = check_mode_from_output_type(*type);
        if (!m)
            cfg.fail(fmt::format("unknown output_type '{}' (valid: {})", *type, output_type_names));
        mp.check = *m;
        mp.type_arg = *type;
    } else {
        mp.check = CheckMode::vector;
        mp.type_arg = "vector";
    }
    // The original libwb's wbSolution judged the answer, comparing each value
    // with an absolute tolerance of 0.2 (wbComparator.h, _almostEqual; an
    // image's values scaled to [0, 1] first), and that is how these MPs'
    // expected outputs were made to be met.
    mp.tolerance = {0.2, 0.0};
    cfg.keywords(mp);
    if (auto v = cfg.score("compile_score")) mp.scoring.compile = *v;
    if (auto v = cfg.score("code_score")) mp.scoring.code = *v;
    if (auto v = cfg.score("questions_score")) mp.scoring.questions = *v;
    if (auto v = cfg.score("peer_review_score")) mp.scoring.peer_review = *v;
    mp.scoring.coding_deadline = cfg.deadline("coding_deadline");
    mp.scoring.peer_review_deadline = cfg.deadline("peer_review_deadline");

    // The platform read template.cu whatever the language.
    const std::string ext(source_extension(mp.toolchain));
    mp.template_file = first_file(b, {"template." + ext, "template.cu"});
    if (mp.template_file.empty())
        throw InputError(fmt::format("{}: no template (the starting program of a config.json "
                                     "bundle is template.cu)",
                                     b.at("template.cu")));
    mp.solution = first_file(b, {"solution." + ext, "solution.cu", "solution.cpp"});
    mp.description = first_file(b, {"description.markdown", "description.md"});
    mp.questions = read_questions(b);

    const bool data = b.has_dir("data");
    const bool dataset = b.has_dir("Dataset");
    if (data && dataset)
        throw InputError(fmt::format("{}: both data/ and Dataset/ are present; keep one", b.name));
    const json* described = cfg.find("data");
    if (described && described->is_null()) described = nullptr;

    std::optional<Unpacked> zip;
    const Bundle* db = &b;
    if (!data && !dataset && !b.has_file("data") && !b.has_file("Dataset") &&
        b.has_file("dataset.zip")) {
        zip = unpack(b);
        db = &zip->bundle;
    }
    const fs::path dir = db->has_dir("Dataset") || db->has_file("Dataset") ? "Dataset" : "data";
    if (!db->has_dir(dir) && !db->has_file(dir) &&
        (!described || (described->is_array() && described->empty()))) {
        // A lab without datasets (a device query): run once, no input.
        if (mp.check != CheckMode::tokens)
            mp.warnings.push_back(fmt::format("{}: no datasets; the program is run once with no "
                                              "input and is correct when it exits 0",
                                              b.name));
    } else if (!db->has_dir(dir) && !db->has_file(dir) && zip) {
        throw InputError(fmt::format("{}: holds no data/ directory and no dataset directories",
                                     b.at("dataset.zip")));
    } else if (!db->has_dir(dir) && !db->has_file(dir)) {
        throw InputError(fmt::format("{}: config.json describes datasets, but there is no data/ "
                                     "(nor Dataset/, nor dataset.zip)",
                                     b.name));
    } else {
        mp.datasets = described && !db->has_file(dir)
                          ? cfg.described_datasets(*db, dir, mp.warnings)
                          : discover_datasets(*db, dir);
    }
    // A bundle that sets no score at all is scored by its datasets, in equal
    // shares (as mp.toml's defaults).
    const bool any_score = cfg.find("compile_score") || !mp.scoring.keywords.empty() ||
                           std::any_of(mp.datasets.begin(), mp.datasets.end(),
                                       [](const Dataset& d) { return d.score > 0; });
    if (!any_score) default_dataset_scores(mp);
    if (zip) {
        mp.unpacked = zip->dir;
        mp.files.insert(mp.files.end(), zip->bundle.files.begin(), zip->bundle.files.end());
    }
    return mp;
}

} // namespace wb::core::detail
