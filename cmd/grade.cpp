// `wbtool grade`: grade a program against every dataset of an MP. With
// --local the whole pipeline runs on this machine, sandboxed.
#include "core/grade.h"

#include "cmd/common.h"
#include "core/error.h"
#include "core/mp.h"
#include "core/report.h"
#include "core/sandbox_command.h"

#include <fmt/format.h>

#include <memory>

namespace wb::cmd {
namespace {

struct GradeArgs {
    bool local = false;
    std::string bundle;
    std::string program;
    int dataset = -1;
    bool json = false;
    std::string min_isolation = "rlimits";
};

int run_grade(const GradeArgs& args, const Globals& globals) {
    if (!args.local) {
        throw InputError("grading on a server is not available in this version of wbtool; "
                         "pass --local to grade on this machine");
    }
    const auto mp = core::load_mp(args.bundle);
    const auto program = core::read_program(args.program);

    Progress progress(globals.quiet);
    core::GradeOptions options;
    options.cache_dir = globals.cache_dir;
    options.work_parent = std::filesystem::temp_directory_path();
    if (args.dataset >= 0) options.dataset = args.dataset;
    options.min_isolation = core::min_isolation_flag(args.min_isolation);
    options.progress = [&](const core::GradeProgress& p) {
        using Step = core::GradeProgress::Step;
        switch (p.step) {
        case Step::compiling:
            progress.update(fmt::format("{}: compiling {}", mp.id, program.name));
            break;
        case Step::compiled:
            break;
        case Step::running:
            progress.update(fmt::format("{}: [{}/{}] running dataset {}", mp.id, p.done + 1,
                                        p.total, p.dataset));
            break;
        case Step::ran:
            break;
        }
    };
    const auto report = core::grade(mp, program, options);
    progress.done();
    // Less than full isolation is said once, as `wbtool sandbox` says it.
    if (!report.warning.empty()) fmt::print(stderr, "wbtool: warning: {}\n", report.warning);

    if (args.json) {
        fmt::print("{}", core::report_json(report));
    } else {
        fmt::print("{}", core::report_table(report, {use_colour(stdout)}));
    }
    return core::report_exit_code(report);
}

} // namespace

void add_grade(CLI::App& app, Globals& globals, Action& action) {
    auto args = std::make_shared<GradeArgs>();
    auto* sub = app.add_subcommand("grade", "Grade a program against every dataset of an MP");
    sub->add_flag("--local", args->local, "Grade on this machine (compile and run sandboxed here)");
    sub->add_option("bundle", args->bundle, "The MP bundle directory (mp.toml or config.json)")
        ->required()
        ->type_name("BUNDLE_DIR");
    sub->add_option("program", args->program, "The program's source file")
        ->required()
        ->type_name("PROGRAM");
    sub->add_option("--dataset,-d", args->dataset, "Grade only dataset N")
        ->type_name("N")
        ->check(CLI::Validator(
            [](const std::string& v) -> std::string {
                if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos)
                    return "the dataset index must be a whole number from 0 up, not '" + v + "'";
                return {};
            },
            "N"));
    sub->add_flag("--json", args->json, "Print the report as JSON");
    add_min_isolation(sub, args->min_isolation, "compile or run the program");
    sub->footer("Exit status: 0 all correct, 1 graded but not all correct, 2 usage or input error, "
                "4 internal error.");
    sub->callback([args, &globals, &action] {
        action = [args, &globals] { return run_grade(*args, globals); };
    });
}

} // namespace wb::cmd
