// The bundle on disk: the walk, and the datasets.
//
// The walk is the loader's safety net and runs before any configuration is
// read. It looks at every entry with symlink_status, so it never follows a
// symbolic link (one to a directory included), refuses fifos, sockets and
// devices, and refuses a file over max_bundle_file_bytes. Entries are visited
// in name order so that, of several problems, the same one is always reported.
//
// Datasets live here because both layouts share the native rules: a
// directory per dataset named by its number, holding input<i>.<ext> (no gaps)
// and one output.<ext>, and nothing else.
#include "core/error.h"
#include "core/mp_loader.h"

#include <fmt/format.h>

#include <system_error>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace wb::core::detail {

namespace fs = std::filesystem;

std::string Bundle::at(const fs::path& rel) const {
    return rel.empty() ? name : name + "/" + rel.generic_string();
}

bool Bundle::has_file(const fs::path& rel) const {
    return std::binary_search(files.begin(), files.end(), rel);
}

bool Bundle::has_dir(const fs::path& rel) const {
    return std::binary_search(dirs.begin(), dirs.end(), rel);
}

const std::vector<Entry>& Bundle::entries(const fs::path& dir) const {
    static const std::vector<Entry> none;
    auto it = listing.find(dir);
    return it == listing.end() ? none : it->second;
}

namespace {

std::string_view special_kind(fs::file_type t) {
    switch (t) {
    case fs::file_type::fifo:
        return "a fifo";
    case fs::file_type::socket:
        return "a socket";
    case fs::file_type::block:
        return "a block device";
    case fs::file_type::character:
        return "a character device";
    default:
        return "a special file";
    }
}

std::string size_text(std::uintmax_t bytes) {
    constexpr std::uintmax_t mib = 1u << 20;
    if (bytes % mib == 0) return fmt::format("{} MiB", bytes / mib);
    return fmt::format("{:.1f} MiB ({} bytes)", static_cast<double>(bytes) / mib, bytes);
}

void walk(Bundle& b, const fs::path& rel) {
    const fs::path abs = rel.empty() ? b.root : b.root / rel;
    std::error_code ec;
    std::vector<fs::path> names;
    for (fs::directory_iterator it(abs, ec), end; !ec && it != end; it.increment(ec))
        names.push_back(it->path().filename());
    if (ec)
        throw InputError(fmt::format("{}: cannot read the directory: {}", b.at(rel), ec.message()));
    std::sort(names.begin(), names.end());

    // std::map keeps references valid while the recursion inserts.
    std::vector<Entry>& listing = b.listing[rel];
    for (const fs::path& name : names) {
        const fs::path child = rel / name;
        const fs::file_status st = fs::symlink_status(b.root / child, ec);
        if (ec) throw InputError(fmt::format("{}: cannot read: {}", b.at(child), ec.message()));
        switch (st.type()) {
        case fs::file_type::symlink:
            throw InputError(
                fmt::format("{}: symbolic links are not allowed in a bundle", b.at(child)));
        case fs::file_type::directory:
            listing.push_back({name, true});
            b.dirs.push_back(child);
            walk(b, child);
            break;
        case fs::file_type::regular: {
            const std::uintmax_t size = fs::file_size(b.root / child, ec);
            if (ec) throw InputError(fmt::format("{}: cannot read: {}", b.at(child), ec.message()));
            if (size > max_bundle_file_bytes)
                throw InputError(fmt::format("{}: {} is over the {} limit for a bundle file",
                                             b.at(child), size_text(size),
                                             size_text(max_bundle_file_bytes)));
            listing.push_back({name, false});
            b.files.push_back(child);
            break;
        }
        default:
            throw InputError(fmt::format("{}: {} is not allowed in a bundle (only directories "
                                         "and regular files)",
                                         b.at(child), special_kind(st.type())));
        }
    }
}

std::string gap_name(const std::map<int, fs::path>& inputs, int missing) {
    // The first input after the gap, to show the user what is there.
    auto after = inputs.upper_bound(missing);
    return after == inputs.end() ? std::string() : after->second.string();
}

Dataset read_dataset(const Bundle& b, const fs::path& dir, int index, RunIo io) {
    const bool stdio = io == RunIo::stdio;
    std::map<int, fs::path> inputs;
    fs::path output;
    for (const Entry& e : b.entries(dir)) {
        const fs::path rel = dir / e.name;
        if (e.is_dir)
            throw InputError(fmt::format("{}: unexpected directory in a dataset directory "
                                         "(expected input0.<ext>, input1.<ext>, ... and "
                                         "output.<ext>)",
                                         b.at(rel)));
        const std::string name = e.name.string();
        const auto dot = name.find('.');
        const std::string_view stem = std::string_view(name).substr(0, dot);
        const bool has_ext = dot != std::string::npos && dot + 1 < name.size();
        if (has_ext && stem == "output") {
            if (!output.empty())
                throw InputError(fmt::format("{}: two expected outputs, {} and {}; keep one",
                                             b.at(dir), output.filename().string(), name));
            output = rel;
            continue;
        }
        std::optional<int> i;
        if (has_ext && stem.starts_with("input")) i = parse_index(stem.substr(5));
        if (has_ext && stdio && stem == "input") i = 0; // input.txt: the one input
        if (!i)
            throw InputError(fmt::format("{}: unexpected file in a dataset directory (expected {})",
                                         b.at(rel),
                                         stdio ? "one input.<ext> and output.<ext>"
                                               : "input0.<ext>, input1.<ext>, ... and "
                                                 "output.<ext>"));
        if (stdio && !inputs.empty() && inputs.begin()->first != *i)
            throw InputError(fmt::format("{}: two inputs, {} and {}: with [run] io = \"stdio\" "
                                         "a dataset has one input, given on standard input",
                                         b.at(dir), inputs.begin()->second.string(), name));
        auto [it, fresh] = inputs.emplace(*i, e.name);
        if (!fresh)
            throw InputError(fmt::format("{}: two files for input {}, {} and {}; keep one",
                                         b.at(dir), *i, it->second.string(), name));
    }
    if (output.empty())
        throw InputError(fmt::format("{}: no expected output (output.*)", b.at(dir)));

    Dataset d;
    d.index = index;
    d.expected = b.root / output;
    int next = 0;
    for (const auto& [i, name] : inputs) {
        if (i != next)
            throw InputError(fmt::format("{}: {} but no input{}.* (inputs are numbered input0, "
                                         "input1, ... without gaps)",
                                         b.at(dir), gap_name(inputs, next), next));
        d.inputs.push_back(b.root / dir / name);
        ++next;
    }
    return d;
}

// The flat datasets of a stdio MP, `<k>.in` and `<k>.ans` directly under
// the datasets directory (the Kattis and Codeforces way): both files each.
class FlatDatasets {
  public:
    // Takes `e` if it is named <k>.in or <k>.ans.
    bool add(const Bundle& b, const fs::path& dir, const Entry& e) {
        const fs::path ext = e.name.extension();
        const bool in = ext == ".in";
        if (!in && ext != ".ans") return false;
        const auto index = parse_index(e.name.stem().string());
        if (!index) return false;
        (in ? inputs_ : answers_)[*index] = b.root / dir / e.name;
        return true;
    }

    void append_to(const Bundle& b, const fs::path& dir, std::vector<Dataset>& out) const {
        for (const auto& [k, in] : inputs_)
            if (!answers_.count(k))
                throw InputError(fmt::format("{}: no {}.ans beside it (the expected output)",
                                             b.at(dir / in.filename()), k));
        for (const auto& [k, ans] : answers_) {
            if (!inputs_.count(k))
                throw InputError(fmt::format("{}: no {}.in beside it (the input)",
                                             b.at(dir / ans.filename()), k));
            if (b.has_dir(dir / std::to_string(k)))
                throw InputError(fmt::format("{}: dataset {} is both {}.in/{}.ans and a "
                                             "directory; keep one",
                                             b.at(dir / std::to_string(k)), k, k, k));
            out.push_back({k, {inputs_.at(k)}, ans, 0, {}});
        }
    }

  private:
    std::map<int, fs::path> inputs_;
    std::map<int, fs::path> answers_;
};

} // namespace

Bundle walk_bundle(const fs::path& root, std::string name) {
    Bundle b;
    b.root = root;
    b.name = std::move(name);
    walk(b, fs::path());
    std::sort(b.files.begin(), b.files.end());
    std::sort(b.dirs.begin(), b.dirs.end());
    return b;
}

std::string read_text(const Bundle& b, const fs::path& rel) {
    std::ifstream in(b.root / rel, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot open the file", b.at(rel)));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(fmt::format("{}: cannot read the file", b.at(rel)));
    return std::move(text).str();
}

std::optional<fs::path> stays_inside(std::string_view text) {
    const fs::path p{std::string(text)};
    if (p.has_root_path()) return std::nullopt;
    fs::path normal = p.lexically_normal();
    if (!normal.empty() && *normal.begin() == "..") return std::nullopt;
    return normal;
}

std::optional<int> parse_index(std::string_view text) {
    if (text.empty() || text.size() > 6 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

void check_dataset_entry(const Bundle& b, const fs::path& dir, const Entry& e) {
    const fs::path rel = dir / e.name;
    const std::string d = dir.generic_string();
    if (!e.is_dir)
        throw InputError(fmt::format("{}: expected only dataset directories here ({}/0/, {}/1/, "
                                     "...), found a file",
                                     b.at(rel), d, d));
    if (!parse_index(e.name.string()))
        throw InputError(fmt::format("{}: a dataset directory is named by its number (0, 1, 2, "
                                     "... without leading zeros)",
                                     b.at(rel)));
}

std::vector<Dataset> discover_datasets(const Bundle& b, const fs::path& dir, RunIo io) {
    const std::string d = dir.generic_string();
    if (b.has_file(dir))
        throw InputError(fmt::format("{}: expected a directory of datasets ({}/0/, {}/1/, ...), "
                                     "found a file",
                                     b.at(dir), d, d));
    std::vector<Dataset> out;
    FlatDatasets flat;
    for (const Entry& e : b.entries(dir)) {
        if (io == RunIo::stdio && !e.is_dir && flat.add(b, dir, e)) continue;
        check_dataset_entry(b, dir, e);
        out.push_back(read_dataset(b, dir / e.name, *parse_index(e.name.string()), io));
    }
    flat.append_to(b, dir, out);
    if (out.empty())
        throw InputError(fmt::format("{}: no datasets (expected {}/0/, {}/1/, ...)", b.name, d, d));
    std::sort(out.begin(), out.end(),
              [](const Dataset& x, const Dataset& y) { return x.index < y.index; });
    return out;
}

} // namespace wb::core::detail
