// Example submissions graded against their expected verdicts (see verify.h).
#include "core/verify.h"

#include "core/error.h"
#include "core/program.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace wb::core {
namespace {

namespace fs = std::filesystem;

std::string normal(std::string_view name) {
    std::string n;
    for (char c : name)
        n += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return n;
}

const std::map<std::string, Verdict, std::less<>> other_names = {
    {"accepted", Verdict::correct},
    {"ac", Verdict::correct},
    {"wa", Verdict::wrong_answer},
    {"no_output", Verdict::wrong_answer},
    {"time_limit_exceeded", Verdict::time_limit},
    {"timelimit", Verdict::time_limit},
    {"tle", Verdict::time_limit},
    {"run_time_error", Verdict::runtime_error},
    {"run_error", Verdict::runtime_error},
    {"rte", Verdict::runtime_error},
    {"compiler_error", Verdict::compile_error},
    {"ce", Verdict::compile_error},
    {"memory_limit_exceeded", Verdict::memory_limit},
    {"output_limit_exceeded", Verdict::output_limit},
};

constexpr std::string_view expected_marker = "@EXPECTED_RESULTS@:";

bool gradable(const fs::path& f) {
    const auto ext = f.extension().string();
    return ext == ".c" || ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".cu";
}

// The verdicts of an @EXPECTED_RESULTS@ line of the file, if it has one.
std::optional<std::vector<Verdict>> expected_in_file(const fs::path& path,
                                                     const std::string& name) {
    std::ifstream in(path, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
        const auto at = line.find(expected_marker);
        if (at == std::string::npos) continue;
        std::vector<Verdict> out;
        std::string list = line.substr(at + expected_marker.size());
        for (char& c : list)
            if (c == ',') c = ' ';
        std::istringstream words(list);
        for (std::string w; words >> w;) {
            if (w == "*/") break;
            const auto v = verdict_from_any_name(w);
            if (!v)
                throw InputError(
                    fmt::format("{}: unknown verdict '{}' after {}", name, w, expected_marker));
            out.push_back(*v);
        }
        if (out.empty())
            throw InputError(fmt::format("{}: no verdict after {}", name, expected_marker));
        return out;
    }
    return std::nullopt;
}

} // namespace

std::optional<Verdict> verdict_from_any_name(std::string_view name) {
    const std::string n = normal(name);
    if (auto v = verdict_from_name(n)) return v;
    if (auto it = other_names.find(n); it != other_names.end()) return it->second;
    return std::nullopt;
}

bool VerifyReport::all_match() const {
    return std::all_of(results.begin(), results.end(),
                       [](const SubmissionResult& r) { return r.matches; });
}

std::vector<Submission> find_submissions(const Mp& mp, std::vector<std::string>& warnings) {
    std::vector<Submission> out;
    std::set<std::string> dirs_warned; // each directory is warned of once
    for (const auto& rel : mp.files) {
        auto it = rel.begin();
        if (it == rel.end() || *it != "submissions") continue;
        const auto parts = std::distance(rel.begin(), rel.end());
        const std::string dir = std::next(it)->string();
        const std::string name = rel.generic_string();
        if (parts != 3) {
            if (parts > 3 && dirs_warned.insert(name.substr(0, name.rfind('/'))).second)
                warnings.push_back(fmt::format("{}/: not graded (a submission is one file)",
                                               name.substr(0, name.rfind('/'))));
            continue;
        }
        if (!gradable(rel)) {
            warnings.push_back(fmt::format("{}: not graded (wbtool grades C, C++ and CUDA)", name));
            continue;
        }
        Submission s;
        s.path = mp.source_of(rel);
        s.name = name;
        if (auto listed = expected_in_file(s.path, name)) {
            s.expected = std::move(*listed);
            s.expected_from = std::string(expected_marker.substr(0, expected_marker.size() - 1));
        } else if (auto v = verdict_from_any_name(dir)) {
            s.expected = {*v};
            s.expected_from = "directory";
        } else if (normal(dir) == "rejected") {
            for (Verdict w : {Verdict::wrong_answer, Verdict::compile_error, Verdict::time_limit,
                              Verdict::memory_limit, Verdict::output_limit, Verdict::runtime_error,
                              Verdict::forbidden_syscall, Verdict::forbidden_keyword})
                s.expected.push_back(w);
            s.expected_from = "directory";
        } else {
            if (dirs_warned.insert("submissions/" + dir).second)
                warnings.push_back(fmt::format("submissions/{}/: not graded ('{}' names no "
                                               "verdict)",
                                               dir, dir));
            continue;
        }
        out.push_back(std::move(s));
    }
    if (out.empty())
        throw InputError(fmt::format("{}: no submissions to verify (put them in "
                                     "submissions/<verdict>/, e.g. submissions/correct/a.cpp)",
                                     mp.id));
    return out;
}

Mp mp_for_source(const Mp& mp, const fs::path& file) {
    if (mp.toolchain != Toolchain::c && mp.toolchain != Toolchain::cpp) return mp;
    const auto ext = file.extension().string();
    Mp m = mp;
    if (ext == ".c") m.toolchain = Toolchain::c;
    if (ext == ".cpp" || ext == ".cc" || ext == ".cxx") m.toolchain = Toolchain::cpp;
    return m;
}

VerifyReport verify_mp(const Mp& mp, GradeOptions options,
                       const std::function<void(const Submission&, int, int)>& progress) {
    VerifyReport report;
    report.mp_id = mp.id;
    auto subs = find_submissions(mp, report.warnings);
    options.stop_at_first_failure = true;
    const int total = static_cast<int>(subs.size());
    int done = 0;
    for (auto& s : subs) {
        if (progress) progress(s, done, total);
        SubmissionResult r;
        const auto start = std::chrono::steady_clock::now();
        try {
            const auto g = grade(mp_for_source(mp, s.path), read_source(s.path), options);
            r.got = g.verdict;
            r.message = g.message;
        } catch (const InputError& e) {
            // A file the grader will not take (empty, too large): as a compiler would.
            r.got = Verdict::compile_error;
            r.message = e.what();
        }
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.matches = std::find(s.expected.begin(), s.expected.end(), r.got) != s.expected.end();
        r.submission = std::move(s);
        report.results.push_back(std::move(r));
        ++done;
    }
    return report;
}

} // namespace wb::core
