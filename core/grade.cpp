// The grading pipeline (see grade.h). Each grading gets its own job
// directory, removed at the end whatever happens; each dataset runs in its
// own subdirectory of it, so one run cannot leave files for the next.
#include "core/grade.h"

#include "core/check.h"
#include "core/error.h"
#include "core/files.h"
#include "core/gpu_access.h"
#include "core/precheck.h"
#include "core/toolchain.h"
#include "core/validator.h"
#include "gpu/probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace wb::core {
namespace {

// The compiler saw the program as source_name(mp) (main.cpp); a reader
// knows it by its own name. Rewrites the name where a diagnostic starts.
std::string rename_source(std::string text, const std::string& from, const std::string& to) {
    if (from == to) return text;
    const std::string needle = from + ":";
    for (std::size_t pos = 0; (pos = text.find(needle, pos)) != std::string::npos;) {
        if (pos == 0 || text[pos - 1] == '\n') {
            text.replace(pos, from.size(), to);
            pos += to.size();
        } else {
            pos += needle.size();
        }
    }
    return text;
}

class JobDir {
  public:
    explicit JobDir(const std::filesystem::path& parent)
        : path_(make_temp_dir(parent, "wbtool-job")) {}
    ~JobDir() { remove_tree(path_); }
    JobDir(const JobDir&) = delete;
    JobDir& operator=(const JobDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

std::string last_line(const std::string& text) {
    auto end = text.find_last_not_of(" \t\r\n");
    if (end == std::string::npos) return "";
    auto start = text.rfind('\n', end);
    start = start == std::string::npos ? 0 : start + 1;
    return text.substr(start, std::min<std::size_t>(end - start + 1, 200));
}

// Keepers made ahead for as long as a grade runs; as they were after it.
class KeepersAhead {
  public:
    KeepersAhead() : before_(sandbox::prepared_ahead()) {
        if (before_ < 1) sandbox::prepare_ahead(1);
    }
    ~KeepersAhead() {
        if (before_ < 1) sandbox::prepare_ahead(before_);
    }
    // The grade has at most `runs` sandboxed runs left: none is made ahead
    // past them (made after the last, one would compete with the last
    // output's check, and then be waited for here). Keepers that were
    // made ahead before this grade (a worker's) are left as they are.
    void runs_left(int runs) const {
        if (before_ < 1) sandbox::limit_ahead(runs);
    }
    KeepersAhead(const KeepersAhead&) = delete;
    KeepersAhead& operator=(const KeepersAhead&) = delete;

  private:
    int before_;
};

// The program's arguments: libwb's -i/-o/-t in files mode, none in stdio.
std::vector<std::string> program_args(const Mp& mp, const Dataset& ds,
                                      const std::filesystem::path& produced) {
    std::vector<std::string> args;
    if (mp.io == RunIo::stdio) return args;
    if (!ds.inputs.empty()) {
        std::string inputs;
        for (const auto& in : ds.inputs)
            inputs += (inputs.empty() ? "" : ",") + in.string();
        args = {"-i", inputs};
    }
    args.insert(args.end(), {"-o", produced.string(), "-t", mp.type_arg});
    return args;
}

// Its stdout and stderr, each cut to `per_stream` bytes.
std::string program_output(const std::filesystem::path& dir, std::size_t per_stream) {
    std::string out;
    for (const char* name : {"stdout", "stderr"})
        out += read_file_ends(dir / name, per_stream);
    return out;
}

// The executables of a grade: the program's, and the output validator's
// (empty unless the check mode is validator).
struct Executables {
    std::filesystem::path program;
    std::filesystem::path validator;
};

DatasetResult run_dataset(const Mp& mp, const Dataset& ds, const Executables& exe,
                          const std::filesystem::path& job, const GradeOptions& options,
                          std::string& isolation, std::string& warning) {
    const sandbox::Isolation minimum = options.min_isolation;
    DatasetResult r;
    r.index = ds.index;
    const auto dir = job / fmt::format("dataset-{}", ds.index);
    std::filesystem::create_directory(dir);
    const bool lone = ds.expected.empty(); // the one run of an MP without datasets
    const auto produced = mp.io == RunIo::stdio
                              ? dir / "stdout"
                              : dir / ("output" + ds.expected.extension().string());
    const auto command =
        run_command(mp, program_copy(exe.program, dir),
                    lone ? std::vector<std::string>{} : program_args(mp, ds, produced));
    const auto run = sandbox::run(run_policy(mp, dir, ds, minimum), command);
    r.cpu_s = run.cpu_s();
    r.wall_s = run.wall_s;
    r.max_rss_kib = run.max_rss_kib;
    r.exit_code = run.exit_code;
    r.signal = run.signal;
    // The lone run of an MP without datasets: what it printed is the answer,
    // shown whole (up to the output limit); otherwise an excerpt.
    r.output =
        program_output(dir, lone ? mp.limits.output_kib * 1024 : max_program_output_bytes / 2);
    r.timers_ms = read_timers(dir / "stderr");
    isolation = sandbox::to_string(run.isolation);
    if (warning.empty()) warning = run.warning;

    if (run.status != sandbox::Status::ok) {
        r.verdict = verdict_for(run.status);
        r.message = run.message;
        if (r.verdict == Verdict::runtime_error) {
            if (auto line = last_line(r.output); !line.empty()) r.message += ": " + line;
        }
        return r;
    }
    if (lone) {
        r.verdict = Verdict::correct; // nothing to compare
        return r;
    }
    if (mp.check == CheckMode::validator) {
        auto judged = run_validator(mp, exe.validator, ds, produced, dir, minimum);
        r.verdict = judged.verdict;
        r.message = std::move(judged.message);
        return r;
    }
    CheckOptions check_options;
    check_options.picture_max_side = options.picture_max_side;
    check_options.tokens = mp.tokens;
    check_options.stdout_output = mp.io == RunIo::stdio;
    auto check = check_output(mp.check, mp.tolerance, ds.expected, produced, check_options);
    r.verdict = check.correct ? Verdict::correct : Verdict::wrong_answer;
    r.message = std::move(check.message);
    r.picture = std::move(check.picture);
    r.picture_note = std::move(check.picture_note);
    return r;
}

} // namespace

// (grade.h) The program sees the toolchain, its own copy of the executable and, in
// files mode, the dataset's inputs (read-only, each at its own path) in its
// work directory; never the expected output, nor anything else of the MP
// bundle or the cache. In stdio mode the input is its standard input, opened
// by the sandbox, and its standard output is the answer.
sandbox::Policy run_policy(const Mp& mp, const std::filesystem::path& dir, const Dataset& ds,
                           sandbox::Isolation minimum) {
    sandbox::Policy p;
    p.minimum_isolation = minimum;
    if (mp.io == RunIo::files) {
        for (const auto& in : ds.inputs)
            p.binds.push_back({std::filesystem::absolute(in), {}, false});
    } else if (!ds.inputs.empty()) {
        p.stdin_path = ds.inputs.front();
    }
    p.profile = sandbox::Profile::run;
    p.limits.cpu_s = mp.limits.run_s;
    // CPU time is the limit a program is judged by; the wall clock catches
    // one that sleeps or blocks (docs/mp-format.md, "Limits and verdicts").
    p.limits.wall_s = wall_limit_s(mp.limits);
    p.limits.memory_kib = mp.limits.memory_mib * 1024;
    p.limits.processes = mp.limits.processes;
    p.limits.output_bytes = mp.limits.output_kib * 1024;
    p.workdir = dir;
    p.stdout_path = dir / "stdout";
    p.stderr_path = dir / "stderr";
    p.env = {"PATH=" + toolchain_path(), "HOME=" + dir.string(), "TMPDIR=" + dir.string(),
             "LANG=C.UTF-8"};
    if (mp.toolchain == Toolchain::cuda) allow_gpu(p);
    if (mp.toolchain == Toolchain::opencl) allow_opencl(p);
    return p;
}

// (grade.h) A copy, not a link: a program that may write its own file
// must not reach the cache's.
std::filesystem::path program_copy(const std::filesystem::path& exe,
                                   const std::filesystem::path& dir) {
    return copy_executable(exe, dir, "program");
}

std::map<std::string, double> read_timers(const std::filesystem::path& stderr_file) {
    std::map<std::string, double> sums;
    std::ifstream in(stderr_file);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("[TIME] ", 0) != 0) continue;
        std::istringstream words(line.substr(7));
        std::string kind, where, unit;
        double ms = 0;
        if (words >> kind >> where >> ms >> unit && unit == "ms" && std::isfinite(ms) && ms >= 0)
            sums[kind] += ms;
    }
    for (auto& [kind, ms] : sums)
        ms = std::round(ms * 1000) / 1000;
    return sums;
}

namespace {

std::vector<const Dataset*> select(const Mp& mp, std::optional<int> dataset) {
    static const Dataset lone_run; // no inputs, no expected output
    if (mp.datasets.empty()) {
        if (dataset && *dataset != 0)
            throw InputError(fmt::format("{}: no dataset {} (this MP has no datasets: its "
                                         "program runs once, as dataset 0)",
                                         mp.id, *dataset));
        return {&lone_run};
    }
    std::vector<const Dataset*> selected;
    for (const auto& ds : mp.datasets) {
        if (!dataset || ds.index == *dataset) selected.push_back(&ds);
    }
    if (selected.empty()) {
        std::string have;
        for (const auto& ds : mp.datasets)
            have += (have.empty() ? "" : ", ") + std::to_string(ds.index);
        throw InputError(fmt::format("{}: no dataset {} (this MP has datasets {})", mp.id,
                                     dataset.value_or(-1), have));
    }
    return selected;
}

// What stops a grade before anything runs: less isolation than the caller
// accepts, or a forbidden keyword. False when the grade may go on.
bool refused_before_running(GradeReport& report, const Mp& mp, const Program& program,
                            sandbox::Isolation minimum) {
    if (std::string refusal = sandbox::isolation_refusal(minimum); !refusal.empty()) {
        report.verdict = Verdict::internal_error;
        report.message = std::move(refusal);
        report.isolation = sandbox::to_string(sandbox::available_isolation());
        return true;
    }
    if (!program.not_text.empty()) {
        // Nothing a compiler could read: judged as the compiler would.
        report.verdict = Verdict::compile_error;
        report.message = "compile error: " + program.not_text;
        report.compiled = true;
        report.compile.verdict = Verdict::compile_error;
        report.compile.message = report.message;
        report.compile.output = program.not_text + "\n";
        return true;
    }
    // Several files: each searched, the hit named by its own file.
    std::vector<SourceFile> files = program.files;
    if (files.empty()) files.push_back({program.name, program.text});
    for (const auto& f : files) {
        if (auto hit = find_forbidden(f.text, mp.forbidden)) {
            report.verdict = Verdict::forbidden_keyword;
            report.message = fmt::format("{}:{}:{}: forbidden keyword '{}' (not allowed in MP {})",
                                         f.name, hit->line, hit->column, hit->keyword, mp.id);
            return true;
        }
    }
    return false;
}

// Compiles into report.compile, with the messages naming the student's
// file rather than the source name it was compiled as. False when there is
// no program to run.
bool compile_into(GradeReport& report, const Mp& mp, const Program& program,
                  const GradeOptions& options) {
    report.compile = compile_program(mp, program, options.cache_dir, options.min_isolation);
    report.compiled = true;
    // Several files were compiled under their own names already.
    if (program.several()) {
        if (report.compile.verdict == Verdict::correct) return true;
        report.verdict = report.compile.verdict;
        report.message = report.compile.message;
        return false;
    }
    report.compile.output =
        rename_source(std::move(report.compile.output), source_name(mp), program.name);
    report.compile.message =
        rename_source(std::move(report.compile.message), "compile error: " + source_name(mp),
                      "compile error: " + program.name);
    report.compiled = true;
    if (report.compile.verdict == Verdict::correct) return true;
    report.verdict = report.compile.verdict;
    report.message = report.compile.message;
    return false;
}

// A CUDA program can only run where a GPU is. Without one every dataset
// would fail with cudaErrorInsufficientDriver and blame the student: this
// is the grader's machine's problem, and says so. False when there is none.
bool gpu_ready(GradeReport& report, const Mp& mp, const std::vector<const Dataset*>& selected) {
    if (mp.toolchain != Toolchain::cuda) return true;
    const auto gpu = gpu::probe();
    if (gpu.usable()) return true;
    for (const Dataset* ds : selected) {
        DatasetResult r;
        r.index = ds->index;
        r.verdict = Verdict::internal_error;
        r.message = "not run: " + gpu.problem();
        report.datasets.push_back(std::move(r));
    }
    report.verdict = Verdict::internal_error;
    report.message = "the program compiled, but " + gpu.problem();
    return false;
}

// The output validator, compiled (or from the cache), when the check mode
// is validator; empty otherwise. One that does not compile stops the grade
// as internal_error: the bundle is at fault, not the program.
std::filesystem::path validator_ready(GradeReport& report, const Mp& mp,
                                      const GradeOptions& options) {
    if (mp.check != CheckMode::validator) return {};
    auto built = compile_validator(mp, options.cache_dir, options.min_isolation);
    if (built.verdict == Verdict::correct) return built.executable;
    report.verdict = Verdict::internal_error;
    report.message = built.message.empty() ? "the output validator could not be built"
                                           : std::move(built.message);
    return {};
}

// The overall verdict: the first dataset's that is not correct.
void conclude(GradeReport& report) {
    report.verdict = Verdict::correct;
    for (const auto& d : report.datasets) {
        if (d.verdict != Verdict::correct) {
            report.verdict = d.verdict;
            report.message = fmt::format("dataset {}: {}", d.index, d.message);
            break;
        }
    }
}

// The points of what was graded, counted as the WebGPU platform counted
// them (core/score.h).
// A grade that failed on the grader's side has no points to give.
void score_report(GradeReport& report, const Mp& mp, const Program& program,
                  const std::vector<const Dataset*>& selected) {
    if (report.verdict == Verdict::internal_error) return;
    std::vector<int> graded;
    for (const Dataset* ds : selected)
        graded.push_back(ds->index);
    std::map<int, bool> correct;
    for (const auto& d : report.datasets)
        correct[d.index] = d.verdict == Verdict::correct;
    const bool compiled = report.compiled && report.compile.verdict == Verdict::correct;
    report.score = count_points(mp, report.lone_run ? std::vector<int>{} : graded, compiled,
                                program.text, correct);
}

GradeReport grade_unscored(const Mp& mp, const Program& program, const GradeOptions& options,
                           const std::vector<const Dataset*>& selected);

} // namespace

GradeReport grade(const Mp& mp, const Program& program, const GradeOptions& options) {
    const auto selected = select(mp, options.dataset);
    GradeReport report = grade_unscored(mp, program, options, selected);
    score_report(report, mp, program, selected);
    return report;
}

namespace {

GradeReport grade_unscored(const Mp& mp, const Program& program, const GradeOptions& options,
                           const std::vector<const Dataset*>& selected) {
    GradeReport report;
    report.mp_id = mp.id;
    report.program = program.name;
    report.lone_run = mp.datasets.empty();
    if (mp.toolchain == Toolchain::none) {
        report.verdict = Verdict::internal_error;
        report.message =
            fmt::format("no installed toolchain compiles {} (wbtool compiles CUDA, "
                        "C, C++, OpenACC and OpenCL); MP {} cannot be graded here",
                        mp.language.empty() ? "this MP's language" : mp.language, mp.id);
        return report;
    }
    const int total = static_cast<int>(selected.size());
    auto progress = [&](GradeProgress p) {
        if (options.progress) options.progress(p);
    };
    if (refused_before_running(report, mp, program, options.min_isolation)) return report;

    // One run after another: each finds its sandbox keeper made ahead,
    // while this process compares the last one's output (sandbox.h).
    const KeepersAhead ahead;

    progress({GradeProgress::Step::compiling, -1, 0, total});
    const bool compiled = compile_into(report, mp, program, options);
    progress({GradeProgress::Step::compiled, -1, 0, total});
    if (!compiled || !gpu_ready(report, mp, selected)) return report;
    const Executables exe{report.compile.executable, validator_ready(report, mp, options)};
    if (mp.check == CheckMode::validator && exe.validator.empty()) return report;

    JobDir job(options.work_parent);
    // Each dataset's run, and its validator's.
    ahead.runs_left(total * (mp.check == CheckMode::validator ? 2 : 1));
    int done = 0;
    for (const Dataset* ds : selected) {
        progress({GradeProgress::Step::running, ds->index, done, total});
        report.datasets.push_back(
            run_dataset(mp, *ds, exe, job.path(), options, report.isolation, report.warning));
        ++done;
        progress({GradeProgress::Step::ran, ds->index, done, total, &report.datasets.back()});
        // Refused for too little isolation (found only now, when the kernel
        // refused the namespaces): so would every later dataset be.
        if (const auto& m = report.datasets.back().message; sandbox::is_refusal(m)) {
            report.verdict = Verdict::internal_error;
            report.message = m;
            return report;
        }
        if (options.stop_at_first_failure && report.datasets.back().verdict != Verdict::correct)
            break;
    }
    conclude(report);
    return report;
}

} // namespace

} // namespace wb::core
