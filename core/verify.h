// `wbtool mp verify`: grades every example submission of a bundle (its
// submissions/ directory) and says which got a verdict other than the one
// expected of it, so that a problem's limits, data and validator are known
// to tell right from wrong before students see them.
//
// A submission's expected verdicts come from the directory it is filed in
// (submissions/<verdict>/, wbtool's names or Kattis's: accepted,
// time_limit_exceeded, run_time_error, ...), unless the file has a line with
// `@EXPECTED_RESULTS@: V1, V2` (DOMjudge's convention), which wins.
#pragma once

#include "core/grade.h"
#include "core/mp.h"
#include "core/verdict.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wb::core {

// A verdict by any name a problem package files submissions under:
// wbtool's (time_limit), Kattis's (time_limit_exceeded, accepted,
// run_time_error) or DOMjudge's (TIMELIMIT, RUN-ERROR, WRONG-ANSWER); case
// and '-' against '_' do not matter. Nothing for a name it does not know.
std::optional<Verdict> verdict_from_any_name(std::string_view name);

struct Submission {
    std::filesystem::path path;    // absolute
    std::string name;              // relative to the bundle: submissions/wrong_answer/x.cpp
    std::vector<Verdict> expected; // any of these is right
    std::string expected_from;     // "directory" or "@EXPECTED_RESULTS@"
};

struct SubmissionResult {
    Submission submission;
    Verdict got = Verdict::internal_error;
    std::string message;
    bool matches = false;
    double seconds = 0; // the wall time its grade took
};

struct VerifyReport {
    std::string mp_id;
    std::vector<SubmissionResult> results;
    std::vector<std::string> warnings; // files and directories not graded, and why
    bool all_match() const;
};

// The submissions of `mp` in name order. Throws InputError when there are
// none, or when @EXPECTED_RESULTS@ names an unknown verdict.
std::vector<Submission> find_submissions(const Mp& mp, std::vector<std::string>& warnings);

// `mp` as it compiles `file`: a C or C++ MP compiles a .c file as C and a
// .cpp/.cc/.cxx file as C++ (a problem package's submissions are in both).
Mp mp_for_source(const Mp& mp, const std::filesystem::path& file);

// Grades each submission (options.stop_at_first_failure is set); `progress`
// hears of each before it is graded.
VerifyReport verify_mp(const Mp& mp, GradeOptions options,
                       const std::function<void(const Submission&, int, int)>& progress = {});

} // namespace wb::core
