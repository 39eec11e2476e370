// `wbtool grade`: grade a program against every dataset of an MP. With
// --local the whole pipeline runs on this machine, sandboxed; without it
// the server grades a preview (a grade request, which does not count as a
// submission) and the report is printed the same way (core/report.h).
#include "core/grade.h"

#include "cmd/client.h"
#include "cmd/common.h"
#include "core/client/settings.h"
#include "core/error.h"
#include "core/image_diff.h"
#include "core/mp.h"
#include "core/report.h"
#include "core/sandbox_command.h"
#include "core/verify.h"

#include <fmt/format.h>

#include <memory>
#include <vector>

namespace wb::cmd {
namespace {

struct GradeArgs {
    bool local = false;
    std::string bundle;
    std::vector<std::string> programs;
    int dataset = -1;
    bool json = false;
    std::string min_isolation = "rlimits";
    std::string diff_dir; // image MPs: where the difference pictures go ("": none)
    client::ConnectionFlags connection;
};

// What a grade on a server cannot do, as the usage error it is: checked
// before wbtool-net is run for it (Globals::needs_shared_binary).
void check_remote(const GradeArgs& args) {
    if (args.dataset >= 0) {
        throw InputError("--dataset grades one dataset locally only; on a server, `wbtool "
                         "submit MP FILE --dataset N --wait`");
    }
    if (!args.diff_dir.empty()) {
        throw InputError("--diff-dir writes pictures of a local grade only; for a server's, "
                         "`wbtool attempt show ID --diff-dir DIR`");
    }
    if (!client::configured_server(args.connection)) {
        throw InputError("no server to grade on: pass --local to grade on this machine, or "
                         "--server URL (or set WBTOOL_SERVER, or `wbtool login`)");
    }
}

int run_remote(const GradeArgs& args, const Globals& globals) {
    check_remote(args);
    client::ClientCall call;
    call.command = client::Command::grade;
    call.connection = args.connection;
    call.mp = args.bundle;
    call.files = args.programs;
    call.json = args.json;
    return run_client(call, globals);
}

int run_grade(const GradeArgs& args, const Globals& globals) {
    if (!args.local) return run_remote(args, globals);
    auto mp = core::load_mp(args.bundle);
    // A problem package's submissions are C or C++: each compiled as its name says.
    if (mp.layout == core::BundleLayout::kattis) mp = core::mp_for_source(mp, args.programs[0]);
    const auto program = core::read_sources({args.programs.begin(), args.programs.end()});

    Progress progress(globals.quiet);
    core::GradeOptions options;
    options.cache_dir = globals.cache_dir;
    options.work_parent = std::filesystem::temp_directory_path();
    if (args.dataset >= 0) options.dataset = args.dataset;
    options.min_isolation = core::min_isolation_flag(args.min_isolation);
    if (!args.diff_dir.empty()) options.picture_max_side = core::local_picture_max_side;
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
    auto report = core::grade(mp, program, options);
    progress.done();
    if (!args.diff_dir.empty()) core::write_pictures(report, args.diff_dir, mp.id);
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
    sub->add_option("bundle", args->bundle,
                    "With --local the MP bundle directory (mp.toml or config.json), else the MP's "
                    "id on the server")
        ->required()
        ->type_name("MP|BUNDLE_DIR");
    sub->add_option("program", args->programs,
                    "The program's files (sources and headers, compiled together), or a "
                    "directory of them")
        ->required()
        ->type_name("FILE");
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
    sub->add_option("--diff-dir", args->diff_dir,
                    "With --local, for an image MP: write each wrong dataset's difference "
                    "picture (expected | got | difference) to DIR/MP-dataset-N.png")
        ->type_name("DIR");
    add_min_isolation(sub, args->min_isolation, "compile or run the program");
    add_server_flag(sub, args->connection);
    sub->footer("Without --local the server grades it (a preview, not a submission): see `wbtool "
                "login`. Exit status: 0 all correct, 1 graded but not all correct, 2 usage or "
                "input error, 3 server or network error, 4 internal error.");
    sub->callback([args, &globals, &action] {
        globals.needs_shared_binary = [args] {
            if (args->local) return false;
            check_remote(*args);
            return true;
        };
        action = [args, &globals] { return run_grade(*args, globals); };
    });
}

} // namespace wb::cmd
