// `wbtool mp import|list|show|verify`: publish MP bundles into the store and
// read them back; verify a bundle's example submissions (core/verify.h). A bundle is validated
// completely before the store is opened, so a bad bundle changes nothing. When a server is
// configured (--server, WBTOOL_SERVER, config.toml, a login) and no --data is given, they act on
// the server through its API instead (core/client/staff.cpp).
#include "core/mp.h"

#include "cmd/client.h"
#include "cmd/common.h"
#include "core/catalog.h"
#include "core/client/settings.h"
#include "core/course.h"
#include "core/error.h"
#include "core/generate.h"
#include "core/grade.h"
#include "core/program.h"
#include "core/report.h"
#include "core/score.h"
#include "core/table.h"
#include "core/verify.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>

namespace wb::cmd {
namespace {

struct ImportArgs {
    std::string dir;
    bool verify = false;
    bool recursive = false; // every bundle under dir
    bool generate = false;  // run dataset_generator.cpp first
    bool json = false;
    client::ConnectionFlags connection;
};

struct ListArgs {
    bool json = false;
    client::ConnectionFlags connection;
};

struct VerifyArgs {
    std::string dir;
    bool json = false;
};

struct ShowArgs {
    std::string id;
    int version = 0;
    bool json = false;
    client::ConnectionFlags connection;
};

// On the server when one is configured and the store was not named.
bool on_server(const Globals& g, const client::ConnectionFlags& flags) {
    return !g.data_given && client::configured_server(flags).has_value();
}

int run_on_server(client::Command command, const client::ConnectionFlags& flags, bool json,
                  const Globals& g, std::string mp = {}, std::string file = {}, int version = 0) {
    client::ClientCall call;
    call.command = command;
    call.connection = flags;
    call.json = json;
    call.mp = std::move(mp);
    call.file = std::move(file);
    call.version = version;
    return run_client(call, g);
}

// --verify: the reference solution graded first; an Error unless correct.
void verify_solution(const core::Mp& mp, const std::filesystem::path& dir, const Globals& g,
                     Progress& progress) {
    if (mp.solution.empty())
        throw InputError(
            fmt::format("{}: --verify needs a solution file in the bundle", dir.string()));
    progress.update(fmt::format("{}: grading the reference solution", mp.id));
    core::GradeOptions options;
    options.cache_dir = g.cache_dir;
    options.work_parent = std::filesystem::temp_directory_path();
    const auto report = core::grade(mp, core::read_program(mp.solution), options);
    progress.done();
    if (report.verdict != core::Verdict::correct) {
        fmt::print(stderr, "{}", core::report_table(report, {use_colour(stderr)}));
        throw Error(
            exit_not_correct,
            fmt::format("{}: the reference solution is not correct; nothing was imported", mp.id));
    }
}

void print_warnings(const core::Mp& mp, Progress& progress) {
    for (const auto& w : mp.warnings) {
        progress.done();
        fmt::print(stderr, "wbtool: warning: {}\n", w);
    }
}

// The bundle as loaded, or with --generate its generated copy.
core::Mp load_bundle(const ImportArgs& args, const std::filesystem::path& dir, const Globals& g,
                     Progress& progress) {
    if (!args.generate) {
        progress.update(fmt::format("checking {}", dir.string()));
        return core::load_mp(dir);
    }
    progress.update(fmt::format("{}: generating the datasets", dir.string()));
    core::GenerateOptions options;
    options.cache_dir = g.cache_dir;
    return core::load_generated(dir, options);
}

int run_import(const ImportArgs& args, const Globals& g) {
    Progress progress(g.quiet);
    const auto mp = load_bundle(args, args.dir, g, progress);
    print_warnings(mp, progress);
    if (args.verify) verify_solution(mp, args.dir, g, progress);
    if (on_server(g, args.connection)) {
        progress.done();
        // The bundle as loaded: with --generate, the copy that holds the datasets.
        return run_on_server(client::Command::mp_import, args.connection, args.json, g, mp.id,
                             mp.root.string());
    }
    progress.update(fmt::format("{}: storing {} files", mp.id, mp.files.size()));
    core::LocalCatalog local(g.data_dir);
    const auto r = core::import_mp(local.catalog(), mp);
    progress.done();
    if (args.json) {
        fmt::print("{}\n", nlohmann::json(r).dump(2));
    } else {
        fmt::print("{}\n", core::describe(r));
    }
    return exit_ok;
}

// One bundle of a course stored on the server: the client module uploads
// it and hands the answer back instead of printing it.
core::ImportResult import_on_server(const ImportArgs& args, const Globals& g, const core::Mp& mp) {
    std::string answer;
    client::ClientCall call;
    call.command = client::Command::mp_import;
    call.connection = args.connection;
    call.mp = mp.id;
    call.file = mp.root.string();
    call.answer = &answer;
    run_client(call, g);
    return nlohmann::json::parse(answer).get<core::ImportResult>();
}

// --recursive: every bundle under the directory, one summary at the end.
int run_import_course(const ImportArgs& args, const Globals& g) {
    Progress progress(g.quiet);
    const std::filesystem::path course = args.dir;
    const auto dirs = core::find_mp_dirs(course);
    const bool server = on_server(g, args.connection);
    std::unique_ptr<core::LocalCatalog> local; // opened at the first MP that loads
    core::CourseSteps steps;
    steps.load = [&](const std::filesystem::path& dir) {
        return load_bundle(args, dir, g, progress);
    };
    steps.warn = [&](const std::string& w) {
        progress.done();
        fmt::print(stderr, "wbtool: warning: {}\n", w);
    };
    steps.store = [&](const core::Mp& mp, const std::filesystem::path& dir) {
        if (args.verify) verify_solution(mp, dir, g, progress);
        progress.update(fmt::format("{}: storing {} files", mp.id, mp.files.size()));
        if (server) return import_on_server(args, g, mp);
        if (!local) local = std::make_unique<core::LocalCatalog>(g.data_dir);
        return core::import_mp(local->catalog(), mp);
    };
    const auto rows = core::import_course(course, dirs, steps);
    progress.done();
    if (args.json)
        fmt::print("{}\n", nlohmann::json(rows).dump(2));
    else
        fmt::print("{}", core::course_table(rows, is_terminal(stdout)));
    return core::all_imported(rows) ? exit_ok : exit_not_correct;
}

int run_list(const ListArgs& args, const Globals& g) {
    if (on_server(g, args.connection))
        return run_on_server(client::Command::mp_list, args.connection, args.json, g);
    const bool json = args.json;
    core::LocalCatalog local(g.data_dir);
    const auto mps = core::list_mps(local.catalog());
    if (json) {
        fmt::print("{}\n", nlohmann::json(mps).dump(2));
        return exit_ok;
    }
    if (mps.empty()) {
        fmt::print("no MPs in {} (import one with `wbtool mp import DIR`)\n",
                   local.db_path().string());
        return exit_ok;
    }
    fmt::print("{}", core::listings_table(mps, is_terminal(stdout)));
    return exit_ok;
}

// questions.json's questions, numbered from 1 as `wbtool answer` asks them.
void print_questions(const std::vector<std::string>& questions) {
    if (questions.empty()) return;
    fmt::print("  questions:\n");
    for (std::size_t i = 0; i < questions.size(); ++i)
        fmt::print("    {}. {}\n", i + 1, questions[i]);
}

int run_show(const ShowArgs& args, const Globals& g) {
    if (on_server(g, args.connection)) {
        return run_on_server(client::Command::mp_show, args.connection, args.json, g, args.id, {},
                             args.version);
    }
    core::LocalCatalog local(g.data_dir);
    const auto details = [&] {
        try {
            return core::mp_details(local.catalog(), args.id, args.version);
        } catch (const NotFoundError& e) {
            // Core says what is missing; the command says where to look.
            const bool no_mp = std::string_view(e.what()).starts_with("no MP");
            throw NotFoundError(
                no_mp ? fmt::format("{} in the store (see `wbtool mp list`)", e.what())
                      : fmt::format("{} (see `wbtool mp show {}`)", e.what(), args.id));
        }
    }();
    if (args.json) {
        fmt::print("{}\n", nlohmann::json(details).dump(2));
        return exit_ok;
    }
    const auto& m = details.mp;
    const auto& c = m.config;
    fmt::print("{} (version {} of {}, imported {})\n", m.id, m.version, details.versions.size(),
               m.created_at);
    fmt::print("  title:      {}\n", m.title);
    fmt::print("  toolchain:  {}\n", core::to_string(c.toolchain));
    fmt::print("  check:      {} (abs {:g}, rel {:g})\n", core::to_string(c.check.mode),
               c.check.tolerance.abs, c.check.tolerance.rel);
    fmt::print(
        "  limits:     compile {:g} s, run {:g} s, memory {} MiB, output {} KiB, {} processes\n",
        c.limits.compile_s, c.limits.run_s, c.limits.memory_mib, c.limits.output_kib,
        c.limits.processes);
    fmt::print("  forbidden:  {}\n",
               c.forbidden.empty() ? "(none)" : fmt::format("{}", fmt::join(c.forbidden, ", ")));
    fmt::print("  datasets:   {}\n", c.datasets.size());
    std::vector<double> shares;
    for (const auto& d : c.datasets)
        shares.push_back(d.score);
    fmt::print("  scores:     {}\n", core::describe_scores(c.scoring, shares));
    if (const auto d = core::describe_deadlines(c.scoring); !d.empty())
        fmt::print("  deadlines:  {}\n", d);
    if (!c.language.empty()) fmt::print("  language:   {}\n", c.language);
    fmt::print("  files:\n");
    for (const auto& f : m.files)
        fmt::print("    {:>10}  {}\n", f.size, f.path);
    print_questions(c.questions);
    return exit_ok;
}

std::string verdict_list(const std::vector<core::Verdict>& verdicts) {
    std::string out;
    for (auto v : verdicts)
        out += (out.empty() ? "" : ",") + std::string(core::to_string(v));
    return out;
}

nlohmann::json verify_json(const core::VerifyReport& r) {
    auto results = nlohmann::json::array();
    for (const auto& s : r.results) {
        auto expected = nlohmann::json::array();
        for (auto v : s.submission.expected)
            expected.push_back(core::to_string(v));
        results.push_back({{"submission", s.submission.name},
                           {"expected", expected},
                           {"expected_from", s.submission.expected_from},
                           {"verdict", core::to_string(s.got)},
                           {"matches", s.matches},
                           {"message", s.message},
                           {"seconds", std::round(s.seconds * 1000) / 1000}});
    }
    return {{"mp", r.mp_id},
            {"all_match", r.all_match()},
            {"results", results},
            {"warnings", r.warnings}};
}

int run_verify(const VerifyArgs& args, const Globals& g) {
    Progress progress(g.quiet);
    progress.update(fmt::format("checking {}", args.dir));
    const auto mp = core::load_mp(args.dir);
    core::GradeOptions options;
    options.cache_dir = g.cache_dir;
    options.work_parent = std::filesystem::temp_directory_path();
    const auto report =
        core::verify_mp(mp, options, [&](const core::Submission& s, int done, int total) {
            progress.update(fmt::format("{}: [{}/{}] {}", mp.id, done + 1, total, s.name));
        });
    progress.done();
    for (const auto& w : report.warnings)
        fmt::print(stderr, "wbtool: warning: {}\n", w);
    if (args.json) {
        fmt::print("{}\n", verify_json(report).dump(2));
    } else {
        core::Table table({"SUBMISSION", "EXPECTED", "GOT", "", "MESSAGE"});
        int matching = 0;
        for (const auto& r : report.results) {
            matching += r.matches ? 1 : 0;
            table.add({r.submission.name, verdict_list(r.submission.expected),
                       std::string(core::to_string(r.got)), r.matches ? "ok" : "MISMATCH",
                       r.matches && r.got == core::Verdict::correct ? "" : r.message});
        }
        fmt::print("{}", table.render(is_terminal(stdout)));
        fmt::print("{}: {} of {} submissions got the verdict expected of them\n", mp.id, matching,
                   report.results.size());
    }
    return report.all_match() ? exit_ok : exit_not_correct;
}

} // namespace

void add_mp(CLI::App& app, Globals& g, Action& action) {
    auto* mp = app.add_subcommand(
        "mp", "Import, list and show MP bundles in the store; verify their example submissions");
    mp->require_subcommand(1);
    mp->fallthrough(); // `wbtool mp import DIR --data D` as well as `wbtool --data D mp ...`

    auto imp = std::make_shared<ImportArgs>();
    auto* import_cmd =
        mp->add_subcommand("import", "Validate an MP bundle and store it as a new version");
    import_cmd->add_option("dir", imp->dir, "The bundle directory")->required()->type_name("DIR");
    import_cmd->add_flag("--verify", imp->verify,
                         "Grade the bundle's reference solution first; import only if all correct");
    import_cmd->add_flag("--recursive,-r", imp->recursive,
                         "Import every MP bundle under DIR (a course), one after another, and "
                         "print one summary; exit 1 if any failed");
    import_cmd->add_flag("--generate", imp->generate,
                         "Compile and run the lab's dataset_generator.cpp (sandboxed) and import "
                         "the bundle with the Dataset/ it writes");
    import_cmd->fallthrough();
    import_cmd->add_flag("--json", imp->json, "Print the result as JSON");
    add_server_flag(import_cmd, imp->connection);
    import_cmd->callback([imp, &g, &action] {
        g.needs_shared_binary = [imp, &g] { return on_server(g, imp->connection); };
        action = [imp, &g] {
            return imp->recursive ? run_import_course(*imp, g) : run_import(*imp, g);
        };
    });

    auto list = std::make_shared<ListArgs>();
    auto* list_cmd = mp->add_subcommand("list", "List the MPs in the store (latest versions)");
    list_cmd->fallthrough();
    list_cmd->add_flag("--json", list->json, "Print the list as JSON");
    add_server_flag(list_cmd, list->connection);
    list_cmd->callback([list, &g, &action] {
        g.needs_shared_binary = [list, &g] { return on_server(g, list->connection); };
        action = [list, &g] { return run_list(*list, g); };
    });

    auto verify = std::make_shared<VerifyArgs>();
    auto* verify_cmd = mp->add_subcommand(
        "verify", "Grade the bundle's example submissions against their expected verdicts");
    verify_cmd->add_option("dir", verify->dir, "The bundle or problem package directory")
        ->required()
        ->type_name("DIR");
    verify_cmd->fallthrough();
    verify_cmd->add_flag("--json", verify->json, "Print the results as JSON");
    verify_cmd->callback(
        [verify, &g, &action] { action = [verify, &g] { return run_verify(*verify, g); }; });

    auto show = std::make_shared<ShowArgs>();
    auto* show_cmd = mp->add_subcommand("show", "Show one MP from the store");
    show_cmd->add_option("id", show->id, "The MP's id")->required()->type_name("ID");
    show_cmd->add_option("--version", show->version, "Show this version (default: the latest)")
        ->type_name("N")
        ->check(CLI::PositiveNumber);
    show_cmd->fallthrough();
    show_cmd->add_flag("--json", show->json, "Print the MP as JSON");
    add_server_flag(show_cmd, show->connection);
    show_cmd->callback([show, &g, &action] {
        g.needs_shared_binary = [show, &g] { return on_server(g, show->connection); };
        action = [show, &g] { return run_show(*show, g); };
    });
}

} // namespace wb::cmd
