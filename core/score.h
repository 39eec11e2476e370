// A submission's points, counted as the WebGPU platform counted them
// (its models/grade.go): each share of the MP's scoring (core/mp.h,
// Scoring) is worth floor(100 * share + 0.5) points; the program earns the
// compile share when it compiles, a keyword's share when its text contains
// the word, and a dataset's share when the dataset is correct; the code
// points are the sum, rounded up and capped at 100 * code_score. The same
// function counts a local grade and, on the server, a worker's report, so
// that the points never depend on what a worker claims.
#pragma once

#include "core/mp.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wb::core {

struct ScoreItem {
    std::string what; // "compile", "keyword atomicAdd", "dataset 3"
    double points = 0;
    double max = 0;
    std::string lost; // why the points were not earned; empty when they were
};

struct Score {
    double points = 0; // the code points earned
    double max = 0;    // the most this attempt could earn
    std::vector<ScoreItem> items;
};

struct ScoreInput {
    const Scoring* scoring = nullptr;
    std::map<int, double> dataset_shares; // index -> share, for the datasets graded
    bool compiled = false;
    const std::string* program_text = nullptr;
    std::map<int, bool> dataset_correct; // index -> correct, for the datasets that ran
};

Score count_points(const ScoreInput& in);

// The points of a graded Mp (grade()'s report).
Score count_points(const Mp& mp, const std::vector<int>& graded, bool compiled,
                   const std::string& program_text, const std::map<int, bool>& correct);

void to_json(nlohmann::json& j, const Score& s);
void to_json(nlohmann::json& j, const Scoring& s);
// Reads what to_json wrote; a missing key keeps its default.
void from_json(const nlohmann::json& j, Scoring& s);

// "2015-02-11T23:00:00Z".
std::string utc_text(std::int64_t unix_s);

// The default shares of n datasets: whole points that add up to 100
// (3 datasets: 0.34, 0.33, 0.33), since a share counts floor(100 x share + 0.5).
std::vector<double> equal_shares(std::size_t n);

// For people (`mp show`): "compile 20, datasets 20+20+10, keyword atomicAdd
// 30; at most 100 points", and the deadlines, one line each; nothing for a
// line with nothing to say.
std::string describe_scores(const Scoring& s, const std::vector<double>& dataset_shares);
std::string describe_deadlines(const Scoring& s);

} // namespace wb::core
