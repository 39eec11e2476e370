// Counting points (see score.h).
#include "core/score.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace wb::core {
namespace {

// The platform's fromPercentage: a share as whole points of 100.
double points_of(double share) {
    return std::floor(100.0 * share + 0.5);
}

// Its keywordToDescription, for the reason a keyword's points were lost.
std::string keyword_use(const std::string& word) {
    if (word == "__shared__") return "use shared memory";
    if (word == "__syncthreads" || word == "syncthreads") return "synchronize the threads";
    if (word == "atomicAdd") return "use atomic operations";
    return "use the " + word + " keyword";
}

} // namespace

Score count_points(const ScoreInput& in) {
    const Scoring& s = *in.scoring;
    Score out;
    double sum = 0;
    auto add = [&](std::string what, double share, bool earned, std::string lost) {
        const double p = points_of(share);
        out.items.push_back({std::move(what), earned ? p : 0, p, earned ? "" : std::move(lost)});
        sum += earned ? p : 0;
        out.max += p;
    };
    if (s.compile > 0) add("compile", s.compile, in.compiled, "the program did not compile");
    for (const auto& k : s.keywords) {
        const bool has = in.program_text && in.program_text->find(k.word) != std::string::npos;
        add("keyword " + k.word, k.score, has, "the program did not " + keyword_use(k.word));
    }
    for (const auto& [index, share] : in.dataset_shares) {
        const auto it = in.dataset_correct.find(index);
        const bool correct = it != in.dataset_correct.end() && it->second;
        std::string why =
            !in.compiled ? std::string("the program did not compile, so no dataset ran")
            : it == in.dataset_correct.end()
                ? fmt::format("dataset {} did not run", index)
                : fmt::format("the program did not produce the correct answer for dataset {}",
                              index);
        add(fmt::format("dataset {}", index), share, correct, std::move(why));
    }
    const double cap = 100.0 * s.code;
    out.points = std::ceil(std::min(sum, cap));
    out.max = std::ceil(std::min(out.max, cap));
    return out;
}

Score count_points(const Mp& mp, const std::vector<int>& graded, bool compiled,
                   const std::string& program_text, const std::map<int, bool>& correct) {
    ScoreInput in;
    in.scoring = &mp.scoring;
    for (const auto& d : mp.datasets)
        if (std::find(graded.begin(), graded.end(), d.index) != graded.end())
            in.dataset_shares[d.index] = d.score;
    in.compiled = compiled;
    in.program_text = &program_text;
    in.dataset_correct = correct;
    return count_points(in);
}

std::vector<double> equal_shares(std::size_t n) {
    std::vector<double> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(static_cast<double>(100 / n + (i < 100 % n ? 1 : 0)) / 100.0);
    return out;
}

std::string utc_text(std::int64_t unix_s) {
    const std::time_t t = static_cast<std::time_t>(unix_s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string describe_scores(const Scoring& s, const std::vector<double>& dataset_shares) {
    std::vector<std::string> parts;
    double sum = 0;
    if (s.compile > 0) parts.push_back(fmt::format("compile {:g}", points_of(s.compile)));
    sum += points_of(s.compile);
    std::string datasets;
    for (double d : dataset_shares) {
        datasets += (datasets.empty() ? "" : "+") + fmt::format("{:g}", points_of(d));
        sum += points_of(d);
    }
    if (!datasets.empty()) parts.push_back("datasets " + datasets);
    for (const auto& k : s.keywords) {
        parts.push_back(fmt::format("keyword {} {:g}", k.word, points_of(k.score)));
        sum += points_of(k.score);
    }
    std::string out =
        parts.empty() ? std::string("none") : fmt::format("{}", fmt::join(parts, ", "));
    out += fmt::format("; at most {:g} points", std::ceil(std::min(sum, 100.0 * s.code)));
    if (s.questions > 0) out += fmt::format(", questions {:g}", points_of(s.questions));
    if (s.peer_review > 0) out += fmt::format(", peer review {:g}", points_of(s.peer_review));
    return out;
}

std::string describe_deadlines(const Scoring& s) {
    std::string out;
    if (s.coding_deadline) out = "coding " + utc_text(*s.coding_deadline);
    if (s.peer_review_deadline)
        out += (out.empty() ? "" : ", ") + std::string("peer review ") +
               utc_text(*s.peer_review_deadline);
    return out;
}

void to_json(nlohmann::json& j, const Score& s) {
    j = {{"points", s.points}, {"max", s.max}, {"items", nlohmann::json::array()}};
    for (const auto& i : s.items) {
        nlohmann::json item = {{"what", i.what}, {"points", i.points}, {"max", i.max}};
        if (!i.lost.empty()) item["lost"] = i.lost;
        j["items"].push_back(std::move(item));
    }
}

void to_json(nlohmann::json& j, const Scoring& s) {
    auto deadline = [](const std::optional<std::int64_t>& t) {
        return t ? nlohmann::json(utc_text(*t)) : nlohmann::json(nullptr);
    };
    j = {{"compile", s.compile},
         {"code", s.code},
         {"questions", s.questions},
         {"peer_review", s.peer_review},
         {"keywords", nlohmann::json::array()},
         {"coding_deadline", deadline(s.coding_deadline)},
         {"coding_deadline_unix",
          s.coding_deadline ? nlohmann::json(*s.coding_deadline) : nlohmann::json(nullptr)},
         {"peer_review_deadline", deadline(s.peer_review_deadline)},
         {"peer_review_deadline_unix", s.peer_review_deadline
                                           ? nlohmann::json(*s.peer_review_deadline)
                                           : nlohmann::json(nullptr)}};
    for (const auto& k : s.keywords)
        j["keywords"].push_back({{"word", k.word}, {"score", k.score}});
}

void from_json(const nlohmann::json& j, Scoring& s) {
    s.compile = j.value("compile", 0.0);
    s.code = j.value("code", 1.0);
    s.questions = j.value("questions", 0.0);
    s.peer_review = j.value("peer_review", 0.0);
    s.keywords.clear();
    if (auto it = j.find("keywords"); it != j.end() && it->is_array())
        for (const auto& k : *it)
            s.keywords.push_back({k.value("word", std::string()), k.value("score", 0.0)});
    auto unix_time = [&](const char* key) -> std::optional<std::int64_t> {
        auto it = j.find(key);
        if (it == j.end() || !it->is_number_integer()) return std::nullopt;
        return it->get<std::int64_t>();
    };
    s.coding_deadline = unix_time("coding_deadline_unix");
    s.peer_review_deadline = unix_time("peer_review_deadline_unix");
}

} // namespace wb::core
