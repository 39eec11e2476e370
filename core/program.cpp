// Program intake (see program.h).
#include "core/program.h"

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace wb::core {
namespace {

// Length of the UTF-8 sequence at s[i], or 0 if it is not valid UTF-8.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned min = 0;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0)
        n = 2, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        n = 3, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        n = 4, min = 0x10000;
    else
        return 0;
    if (i + n > s.size()) return 0;
    unsigned cp = c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

// Why `text` is not source text, "NAME:LINE: ..."; empty when it is.
std::string not_text(const std::string& name, std::string_view text) {
    int line = 1;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\0')
            return fmt::format(
                "{}:{}: a NUL byte: this is a binary file, not a program's source text", name,
                line);
        const std::size_t n = utf8_sequence(text, i);
        if (n == 0)
            return fmt::format(
                "{}:{}: invalid UTF-8: save the program as UTF-8 text (is this a binary file?)",
                name, line);
        if (text[i] == '\n') ++line;
        i += n;
    }
    return {};
}

// The checks of make_program but text: size and emptiness.
void check_size(const std::string& name, const std::string& text) {
    if (text.size() > max_program_bytes) {
        throw InputError(fmt::format("{}: {} bytes is over the limit of {} bytes for a program",
                                     name, text.size(), max_program_bytes));
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InputError(fmt::format("{}: the program is empty", name));
    }
}

// The file's text, after the checks that need no reading.
std::string read_checked(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        throw InputError(fmt::format("{}: no such file", path.string()));
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw InputError(fmt::format("{}: not a regular file", path.string()));
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_program_bytes) {
        throw InputError(fmt::format("{}: {} bytes is over the limit of {} bytes for a program",
                                     path.string(), size, max_program_bytes));
    }
    return read_file(path);
}

// The checks every file of several passes: a plain, short name.
void check_file_name(const std::string& name) {
    const bool control = std::any_of(name.begin(), name.end(), [](char ch) {
        return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f;
    });
    if (name.empty() || name.size() > 128 || name == "." || name == ".." || control ||
        name.find_first_of("/\\") != std::string::npos || name.find("..") != std::string::npos) {
        throw InputError(fmt::format("'{}': a program's file must have a plain file name (1 to "
                                     "128 characters, no '/', no '..', no control characters)",
                                     name));
    }
}

// Several files, checked but for not_text (the caller decides what that is).
Program several(std::vector<SourceFile> files, bool allow_not_text) {
    if (files.empty()) throw InputError("no program: name at least one file");
    if (files.size() > max_program_files) {
        throw InputError(fmt::format("{} files is over the limit of {} files for a program",
                                     files.size(), max_program_files));
    }
    std::sort(files.begin(), files.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.name < b.name; });
    std::size_t total = 0;
    Program p;
    Hasher h;
    h.add("wbtool-files-v1");
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& f = files[i];
        check_file_name(f.name);
        if (i > 0 && files[i - 1].name == f.name)
            throw InputError(
                fmt::format("{}: named twice: a program's files need distinct names", f.name));
        check_size(f.name, f.text);
        total += f.text.size();
        if (std::string why = not_text(f.name, f.text); !why.empty()) {
            if (!allow_not_text) throw InputError(why);
            if (p.not_text.empty()) p.not_text = std::move(why);
        }
        h.add(f.name).add(f.text);
        p.name += (i ? ", " : "") + f.name;
        p.text += (i ? "\n" : "") + f.text;
    }
    if (total > max_program_bytes) {
        throw InputError(fmt::format("the program's {} files are {} bytes together, over the "
                                     "limit of {} bytes for a program",
                                     files.size(), total, max_program_bytes));
    }
    p.hash = h.hex();
    p.files = std::move(files);
    return p;
}

// The files the paths name: a directory's regular files directly in it.
std::vector<SourceFile> read_files(const std::vector<std::filesystem::path>& paths) {
    std::vector<std::filesystem::path> all;
    for (const auto& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            all.push_back(path);
            continue;
        }
        std::vector<std::filesystem::path> in;
        for (const auto& e : std::filesystem::directory_iterator(path))
            if (e.is_regular_file()) in.push_back(e.path());
        if (in.empty())
            throw InputError(fmt::format("{}: the directory holds no files", path.string()));
        std::sort(in.begin(), in.end());
        all.insert(all.end(), in.begin(), in.end());
    }
    if (all.size() > max_program_files) {
        throw InputError(fmt::format("{} files is over the limit of {} files for a program",
                                     all.size(), max_program_files));
    }
    std::vector<SourceFile> files;
    for (const auto& path : all)
        files.push_back({path.filename().string(), read_checked(path)});
    return files;
}

bool one_file(const std::vector<std::filesystem::path>& paths) {
    std::error_code ec;
    return paths.size() == 1 && !std::filesystem::is_directory(paths[0], ec);
}

} // namespace

Program make_program_files(std::vector<SourceFile> files) {
    if (files.size() == 1) {
        check_file_name(files[0].name);
        return make_program(std::move(files[0].name), std::move(files[0].text));
    }
    return several(std::move(files), false);
}

Program read_sources(const std::vector<std::filesystem::path>& paths) {
    if (one_file(paths)) return read_source(paths[0]);
    auto files = read_files(paths);
    if (files.size() == 1) return read_source(paths[0] / files[0].name);
    return several(std::move(files), true);
}

Program read_programs(const std::vector<std::filesystem::path>& paths) {
    if (one_file(paths)) return read_program(paths[0]);
    return make_program_files(read_files(paths));
}

std::string encode_program(const Program& program) {
    if (!program.several()) return program.text;
    nlohmann::ordered_json files = nlohmann::ordered_json::object();
    for (const auto& f : program.files)
        files[f.name] = f.text;
    return nlohmann::ordered_json{{"files", files}}.dump();
}

std::vector<SourceFile> stored_files(const std::string& name, const std::string& stored) {
    if (stored.rfind("{\"files\":", 0) == 0) {
        const auto j = nlohmann::json::parse(stored, nullptr, false);
        if (j.is_object() && j.size() == 1 && j["files"].is_object() && j["files"].size() > 1) {
            std::vector<SourceFile> files;
            bool strings = true;
            for (const auto& [n, t] : j["files"].items()) {
                strings = strings && t.is_string();
                if (strings) files.push_back({n, t.get<std::string>()});
            }
            if (strings) return files;
        }
    }
    return {{name, stored}};
}

std::string keyword_text(const std::string& stored) {
    auto files = stored_files("program", stored);
    if (files.size() == 1) return stored;
    std::string text;
    for (const auto& f : files)
        text += (text.empty() ? "" : "\n") + f.text;
    return text;
}

Program decode_program(std::string name, std::string stored) {
    auto files = stored_files(name, stored);
    if (files.size() == 1) return make_program(std::move(name), std::move(stored));
    return make_program_files(std::move(files));
}

Program make_program(std::string name, std::string text) {
    check_size(name, text);
    if (std::string why = not_text(name, text); !why.empty()) throw InputError(why);
    std::string hash = sha256_hex(text);
    return {std::move(name), std::move(text), std::move(hash), {}, {}};
}

Program read_source(const std::filesystem::path& path) {
    std::string name = path.string();
    std::string text = read_checked(path);
    std::string why = not_text(name, text);
    if (why.empty()) return make_program(std::move(name), std::move(text));
    std::string hash = sha256_hex(text);
    return {std::move(name), std::move(text), std::move(hash), std::move(why), {}};
}

Program read_program(const std::filesystem::path& path) {
    return make_program(path.string(), read_checked(path));
}

} // namespace wb::core
