// A student's commands: save and fetch a program, submit it (and wait for
// the verdict), ask the server for a graded preview, list and show
// attempts. A program file is read and checked exactly as `grade --local`
// reads it (core::read_program) before anything is sent.
#include "core/client/api.h"
#include "core/client/commands.h"
#include "core/client/wait.h"
#include "core/error.h"
#include "core/files.h"
#include "core/program.h"
#include "core/report.h"
#include "core/table.h"
#include "core/terminal.h"

#include <fmt/format.h>

namespace wb::client {
namespace {

std::string mp_path(const ClientCall& call) {
    return "/api/v1/mp/" + path_name(call.mp, "MP id");
}

std::vector<std::filesystem::path> program_paths(const ClientCall& call) {
    if (call.files.empty()) return {call.file};
    return {call.files.begin(), call.files.end()};
}

// The program's files as the user named them, for messages.
std::string files_label(const ClientCall& call) {
    if (call.files.empty()) return call.file;
    std::string out;
    for (const auto& f : call.files)
        out += (out.empty() ? "" : " ") + f;
    return out;
}

// One file in "program" (and its "name"), several in "files".
nlohmann::json program_body(const ClientCall& call) {
    const auto p = core::read_programs(program_paths(call));
    if (p.several()) {
        nlohmann::json files = nlohmann::json::object();
        for (const auto& f : p.files)
            files[f.name] = f.text;
        return {{"files", files}};
    }
    // The server shows the file's name, not where it lay on this machine.
    return {{"program", p.text}, {"name", std::filesystem::path(p.name).filename().string()}};
}

// A stored program: one file's text as it is, several each headed by its name.
std::string program_listing(const std::string& stored) {
    const auto files = core::stored_files("program", stored);
    if (files.size() == 1) return stored;
    std::string out;
    for (const auto& f : files) {
        out += fmt::format("{}==> {} <==\n{}", out.empty() ? "" : "\n", f.name, f.text);
        if (!f.text.empty() && f.text.back() != '\n') out += '\n';
    }
    return out;
}

void say(const ClientCall& call, const std::string& line) {
    if (!call.quiet) fmt::print(stderr, "{}\n", line);
}

// Fetches the attempt's difference pictures (image MPs) into the
// directory, named as `grade --local --diff-dir` names its own.
void fetch_pictures(Api& api, const ClientCall& call, const nlohmann::json& a) {
    int written = 0;
    for (const auto& d : a.value("datasets", nlohmann::json::array())) {
        const auto route = text(d, "diff_png");
        if (route.empty()) continue;
        std::filesystem::create_directories(call.diff_dir);
        const auto path = std::filesystem::path(call.diff_dir) /
                          fmt::format("{}-attempt-{}-dataset-{}.png", text(a, "mp"), call.attempt,
                                      d.value("index", 0));
        core::write_file_atomic(path, api.get_text(route));
        say(call, fmt::format("wrote {}", path.string()));
        ++written;
    }
    if (written == 0)
        say(call, fmt::format("attempt {} has no difference pictures (only wrong answers of "
                              "image MPs have them)",
                              call.attempt));
}

std::string correct_of(const nlohmann::json& a) {
    if (text(a, "state") != "done") return "";
    return fmt::format("{}/{}", a.value("correct", 0), a.value("total", 0));
}

} // namespace

int save(const ClientCall& call) {
    Api api(call.connection, true);
    const auto body = program_body(call);
    auto sent = body;
    sent.erase("name");
    const auto answer = api.post(mp_path(call) + "/save", sent);
    if (call.json) {
        print_json(answer);
    } else {
        fmt::print("saved {} for {} ({} bytes, {})\n", files_label(call), call.mp,
                   answer.value("bytes", 0), text(answer, "saved_at"));
    }
    return exit_ok;
}

int program(const ClientCall& call) {
    Api api(call.connection, true);
    const auto answer = api.get(mp_path(call) + "/program");
    if (call.json) {
        print_json(answer);
        return exit_ok;
    }
    const auto source = text(answer, "source");
    const auto stored = text(answer, "text");
    if (call.output.empty()) {
        fmt::print("{}", program_listing(stored));
        return exit_ok;
    }
    // Several files go into the directory -o names, each under its name.
    if (const auto files = core::stored_files("program", stored); files.size() > 1) {
        std::filesystem::create_directories(call.output);
        for (const auto& f : files)
            core::write_file_atomic(std::filesystem::path(call.output) / f.name, f.text);
    } else {
        core::write_file_atomic(call.output, stored);
    }
    say(call, fmt::format("wrote {}: {} ({})", call.output,
                          source == "saved" ? "the program saved " + text(answer, "saved_at")
                                            : std::string("the template"),
                          call.mp));
    return exit_ok;
}

int submit(const ClientCall& call) {
    Api api(call.connection, true);
    api.on_wait([&](const std::string& line) { say(call, line); });
    auto body = program_body(call);
    if (call.dataset) body["dataset"] = *call.dataset;
    const auto answer = api.post(mp_path(call) + "/submit", body);
    const auto id = answer.at("attempt_id").get<std::int64_t>();
    if (!call.wait) {
        if (call.json) {
            print_json(answer);
        } else {
            fmt::print("{}\n", id);
            say(call, fmt::format("submitted {} to {} as attempt {}: `wbtool attempt show {}`",
                                  files_label(call), call.mp, id, id));
        }
        return exit_ok;
    }
    say(call, fmt::format("submitted {} to {} as attempt {}", files_label(call), call.mp, id));
    return print_attempt_report(wait_for_attempt(api, id, call.quiet), call.json);
}

int grade(const ClientCall& call) {
    Api api(call.connection, true);
    api.on_wait([&](const std::string& line) { say(call, line); });
    const auto answer = api.post(mp_path(call) + "/grade", program_body(call));
    const auto id = answer.at("attempt_id").get<std::int64_t>();
    return print_attempt_report(wait_for_attempt(api, id, call.quiet), call.json);
}

int attempts(const ClientCall& call) {
    Api api(call.connection, true);
    const auto answer = api.get(mp_path(call) + "/attempts");
    if (call.json) {
        print_json(answer);
        return exit_ok;
    }
    core::Table t({"id", "kind", "dataset", "state", "verdict", "correct", "created", "program"});
    for (const auto& a : answer.value("attempts", nlohmann::json::array())) {
        const auto dataset = a.find("dataset");
        t.add({std::to_string(a.value("id", 0)), text(a, "kind"),
               dataset != a.end() && dataset->is_number() ? std::to_string(dataset->get<int>())
                                                          : "all",
               text(a, "state"), text(a, "verdict"), correct_of(a), text(a, "created_at"),
               text(a, "program_name")});
    }
    if (t.empty())
        say(call, fmt::format("no attempts at {} yet (`wbtool submit {} FILE`)", call.mp, call.mp));
    fmt::print("{}", t.render(core::is_terminal(stdout)));
    return exit_ok;
}

int attempt_show(const ClientCall& call) {
    Api api(call.connection, true);
    const auto a = api.get(fmt::format("/api/v1/attempt/{}", call.attempt));
    if (!call.diff_dir.empty()) fetch_pictures(api, call, a);
    if (call.json) {
        print_json(a);
        return exit_ok;
    }
    const auto dataset = a.find("dataset");
    fmt::print("attempt {}: {} version {}, {} by {}, {}\n", a.value("id", 0), text(a, "mp"),
               a.value("mp_version", 0), text(a, "kind"), text(a, "user"),
               dataset != a.end() && dataset->is_number()
                   ? fmt::format("dataset {}", dataset->get<int>())
                   : std::string("every dataset"));
    fmt::print("state {}, created {}{}{}\n\n", text(a, "state"), text(a, "created_at"),
               text(a, "finished_at").empty() ? "" : ", finished " + text(a, "finished_at"),
               text(a, "worker").empty() ? "" : ", worker " + text(a, "worker"));
    // Showing succeeds whatever the verdict: exit 0 (submit --wait and
    // grade are the commands whose status is the verdict).
    if (text(a, "state") == "done") {
        const auto report = attempt_report(a);
        fmt::print("{}", core::report_table(report, {core::use_colour(stdout)}));
        const auto compiler = text(a, "compile_output");
        if (report.compile.verdict != core::Verdict::compile_error && !compiler.empty())
            fmt::print("\ncompiler output:\n{}\n", compiler);
    }
    fmt::print("\nprogram {} ({}):\n{}", text(a, "program_name"), text(a, "program_sha256"),
               program_listing(text(a, "program")));
    return exit_ok;
}

} // namespace wb::client
