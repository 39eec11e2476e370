// The WebGPU / GPU Teaching Kit layout: config.json (docs/mp-format.md).
//
// Course staff have years of MPs in this layout, so it is read unchanged:
// keys the format does not use (course tools add many) are ignored, and the
// id comes from the directory's name. What the format does use is checked as
// strictly as mp.toml: a wrong type, an unknown language or output type, a
// dataset file that is not there. JSON values carry no position in
// nlohmann-json, so only a syntax error has a line; the others name the field
// ('data[1].input[0]').
#include "core/error.h"
#include "core/mp_loader.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace wb::core::detail {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view language_names = "cuda, c, cpp, c++";
constexpr std::string_view output_type_names =
    "vector, matrix, integral_vector, histogram, image, text";

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<Toolchain> toolchain_from_language(std::string_view language) {
    const std::string l = lower(language);
    if (l == "cuda") return Toolchain::cuda;
    if (l == "c") return Toolchain::c;
    if (l == "cpp" || l == "c++") return Toolchain::cpp;
    return std::nullopt;
}

std::optional<CheckMode> check_mode_from_output_type(std::string_view type) {
    if (type == "text") return CheckMode::tokens;
    if (type == "exact" || type == "tokens") return std::nullopt; // native names, not WebGPU's
    return check_mode_from_name(type);
}

// "vecadd 2" -> "vecadd-2": lower-cased, anything outside [a-z0-9_-] -> '-'.
std::string id_from_directory(std::string_view name) {
    std::string id = lower(name);
    for (char& c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) c = '-';
    return id;
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
        if (!v) return std::nullopt;
        if (!v->is_string()) wrong_type(key, "a string", *v);
        return v->get<std::string>();
    }

    std::vector<std::string> strings(const json& v, std::string_view field) const {
        if (!v.is_array()) wrong_type(field, "an array of strings", v);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string()) wrong_type(fmt::format("{}[{}]", field, i), "a string", v[i]);
            out.push_back(v[i].get<std::string>());
            if (out.back().find_first_not_of(" \t\r\n") == std::string::npos)
                fail(fmt::format("'{}[{}]' must not be empty", field, i));
        }
        return out;
    }

    // A file named by data[k], relative to its dataset directory.
    fs::path dataset_file(const fs::path& dir, const std::string& name,
                          const std::string& field) const {
        if (name.find_first_not_of(" \t\r\n") == std::string::npos)
            fail(fmt::format("'{}' must not be empty", field));
        const auto inner = stays_inside(name);
        if (!inner) fail(fmt::format("'{}' names '{}', which leaves {}/", field, name, b_.at(dir)));
        const fs::path rel = dir / *inner;
        if (!b_.has_file(rel))
            fail(fmt::format("'{}' names '{}', but {} {}", field, name, b_.at(rel),
                             b_.has_dir(rel) ? "is a directory" : "does not exist"));
        return b_.root / rel;
    }

    std::vector<Dataset> described_datasets(const fs::path& dir) const {
        const json& data = *find("data");
        if (!data.is_array()) wrong_type("data", "an array of datasets", data);
        if (data.empty()) fail("'data' is empty: an MP needs at least one dataset");
        std::vector<Dataset> out;
        for (std::size_t k = 0; k < data.size(); ++k) {
            const std::string field = fmt::format("data[{}]", k);
            const json& entry = data[k];
            if (!entry.is_object())
                wrong_type(field, R"(an object {"input": [...], "output": "..."})", entry);
            const fs::path ddir = dir / std::to_string(k);
            if (!b_.has_dir(ddir))
                fail(fmt::format("'{}' describes dataset {}, but {}/ does not exist", field, k,
                                 b_.at(ddir)));
            Dataset d;
            d.index = static_cast<int>(k);
            if (auto it = entry.find("input"); it != entry.end()) {
                const auto names = strings(*it, field + ".input");
                for (std::size_t i = 0; i < names.size(); ++i)
                    d.inputs.push_back(
                        dataset_file(ddir, names[i], fmt::format("{}.input[{}]", field, i)));
            }
            auto out_it = entry.find("output");
            if (out_it == entry.end())
                fail(fmt::format("'{}' has no 'output' (the expected output file)", field));
            if (!out_it->is_string()) wrong_type(field + ".output", "a string", *out_it);
            d.expected = dataset_file(ddir, out_it->get<std::string>(), field + ".output");
            out.push_back(std::move(d));
        }
        // A dataset directory that data[] does not describe would silently not be graded.
        for (const Entry& e : b_.entries(dir)) {
            check_dataset_entry(b_, dir, e);
            if (static_cast<std::size_t>(*parse_index(e.name.string())) >= data.size())
                throw InputError(fmt::format("{}: not described in config.json, whose data[] "
                                             "has {} entries; add data[{}] or remove the "
                                             "directory",
                                             b_.at(dir / e.name), data.size(), e.name.string()));
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

} // namespace

Mp load_legacy(const Bundle& b) {
    const fs::path rel = "config.json";
    if (!b.has_file(rel)) throw InputError(fmt::format("{}: not a regular file", b.at(rel)));
    const std::string text = read_text(b, rel);
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        throw InputError(
            fmt::format("{}:{}: {}", b.at(rel), line_of_byte(text, e.byte), parse_reason(e)));
    }
    if (!j.is_object())
        throw InputError(fmt::format("{}: the top level must be an object {{...}}, got {}",
                                     b.at(rel), j.type_name()));
    const Config cfg(b, j);

    Mp mp;
    mp.id = id_from_directory(b.name);
    if (!valid_name(mp.id))
        throw InputError(fmt::format("{}: the id '{}' made from the directory's name must match "
                                     "{}; rename the directory",
                                     b.name, mp.id, name_pattern));
    mp.title = cfg.string("name").value_or("");
    if (mp.title.find_first_not_of(" \t\r\n") == std::string::npos) mp.title = b.name;

    if (auto language = cfg.string("language")) {
        const auto t = toolchain_from_language(*language);
        if (!t)
            cfg.fail(fmt::format("unknown language '{}' (valid: {})", *language, language_names));
        mp.toolchain = *t;
    } else {
        mp.toolchain = Toolchain::cuda;
    }
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
    if (const json* keywords = cfg.find("keyword"))
        mp.forbidden = cfg.strings(*keywords, "keyword");

    const std::string ext(source_extension(mp.toolchain));
    mp.template_file = first_file(b, {"template." + ext, "template.cu"});
    if (mp.template_file.empty())
        throw InputError(fmt::format("{}: no template (the starting program of a config.json "
                                     "bundle is template.cu)",
                                     b.at("template.cu")));
    mp.solution = first_file(b, {"solution." + ext, "solution.cu", "solution.cpp"});
    mp.description = first_file(b, {"description.markdown"});

    const bool data = b.has_dir("data");
    const bool dataset = b.has_dir("Dataset");
    if (data && dataset)
        throw InputError(fmt::format("{}: both data/ and Dataset/ are present; keep one", b.name));
    if (!data && !dataset && !b.has_file("data") && !b.has_file("Dataset"))
        throw InputError(fmt::format(
            "{}: no datasets (expected data/0/, data/1/, ... or Dataset/0/, Dataset/1/, ...)",
            b.name));
    const fs::path dir = data || b.has_file("data") ? "data" : "Dataset";
    mp.datasets = cfg.find("data") && !b.has_file(dir) ? cfg.described_datasets(dir)
                                                       : discover_datasets(b, dir);
    return mp;
}

} // namespace wb::core::detail
