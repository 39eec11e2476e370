// The grading pipeline: precheck -> compile -> run each dataset -> check ->
// verdict. Every step that touches the student's program goes through the
// sandbox; the check happens here, outside it, on the file the program
// wrote. The program's own claim of success is never read.
#pragma once

#include "core/compile.h"
#include "core/mp.h"
#include "core/program.h"
#include "core/score.h"
#include "core/verdict.h"
#include "sandbox/sandbox.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wb::core {

struct DatasetResult {
    int index = 0;
    Verdict verdict = Verdict::internal_error;
    double cpu_s = 0;
    double wall_s = 0;
    std::uint64_t max_rss_kib = 0;
    int exit_code = -1;
    int signal = 0;
    std::string message; // empty when correct
    std::string output;  // the program's stdout and stderr, truncated
    // The libwb timers the program stopped (wbTime_stop), in milliseconds
    // summed by kind ("GPU", "Copy", "Compute", "Generic", ...), as read
    // from the `[TIME]` lines of its stderr: statistics, never a verdict.
    std::map<std::string, double> timers_ms;
    // An image MP's wrong answer, when GradeOptions asked for pictures: its
    // difference picture as PNG bytes (core/image_diff.h), what to say with
    // it or why there is none, and where it was written (write_pictures).
    std::string picture;
    std::string picture_note;
    std::string picture_path;
};

// The timers of a program's stderr (libwb's `[TIME] KIND file:line 1.234 ms
// message` lines), summed by kind.
std::map<std::string, double> read_timers(const std::filesystem::path& stderr_file);

struct GradeReport {
    std::string mp_id;
    std::string program; // its name
    Verdict verdict = Verdict::internal_error;
    std::string message; // one line: why, when not all correct
    CompileResult compile;
    bool compiled = false; // false when the precheck refused the program
    std::vector<DatasetResult> datasets;
    std::string isolation; // how the runs were isolated ("full", "userns", "rlimits")
    std::string warning;   // why the isolation was less than full; empty if it was not
    // An MP without datasets runs its program once, with no input, reported
    // as dataset 0 with its whole output (up to the output limit).
    bool lone_run = false;
    Score score; // the points (core/score.h)
};

struct GradeProgress {
    enum class Step { compiling, compiled, running, ran } step;
    int dataset = -1; // for running / ran
    int done = 0;
    int total = 0;
    const DatasetResult* result = nullptr; // for ran
};

struct GradeOptions {
    std::filesystem::path cache_dir;
    std::filesystem::path work_parent; // where job directories are made
    std::optional<int> dataset;        // grade only this one
    // The weakest isolation the compile and the runs accept. Less is refused
    // before anything runs: verdict internal_error, message "refused: ...".
    // (Found only at a run, when the kernel refuses the namespaces: that run
    // is refused, the grade stops there, and its message is the same.)
    sandbox::Isolation min_isolation = sandbox::Isolation::rlimits;
    std::function<void(const GradeProgress&)> progress;
    // Image MPs: draw each wrong answer's difference picture, panels at
    // most this many pixels a side (0: none).
    int picture_max_side = 0;
    // Stop at the first dataset that is not correct (`mp verify`: the
    // verdict is all it needs, and a program that times out would pay the
    // wall limit on every dataset).
    bool stop_at_first_failure = false;
};

// How a program is run on dataset `ds` in its work directory `dir`: the
// MP's limits, the toolchain on PATH, the inputs bound read-only, stdout
// and stderr written to dir/stdout and dir/stderr.
sandbox::Policy run_policy(const Mp& mp, const std::filesystem::path& dir, const Dataset& ds,
                           sandbox::Isolation minimum);

// The program runs as ./program from its work directory `dir`: its argv[0]
// and the messages about it name no path of the grader's (the cache). Copies
// `exe` there, readable and runnable by the sandbox's user; "./program".
std::filesystem::path program_copy(const std::filesystem::path& exe,
                                   const std::filesystem::path& dir);

inline constexpr std::size_t max_program_output_bytes = 4 * 1024;

GradeReport grade(const Mp& mp, const Program& program, const GradeOptions& options);

} // namespace wb::core
