// Answers to an MP's questions: a student sends theirs (`wbtool answer`),
// from a file, from a pipe, or typed at the terminal one question at a
// time, and reads them back (--show); a TA exports everyone's
// (`wbtool answers MP --csv`).
//
// A file or a pipe holds the answers in question order: separated by lines
// that hold only `---` when there is such a line (answers of several
// lines), else one answer per line.
#include "core/client/api.h"
#include "core/client/commands.h"
#include "core/client/password.h"
#include "core/error.h"
#include "core/files.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <sstream>

namespace wb::client {
namespace {

std::string answers_path(const ClientCall& call) {
    return "/api/v1/mp/" + path_name(call.mp, "MP id") + "/answers";
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

// The answers of a file's text (see the top of this file).
std::vector<std::string> split_answers(const std::string& text) {
    auto lines = lines_of(text);
    const bool blocks = std::find(lines.begin(), lines.end(), "---") != lines.end();
    if (!blocks) {
        while (!lines.empty() && lines.back().empty())
            lines.pop_back();
        return lines;
    }
    std::vector<std::string> out(1);
    for (const auto& line : lines) {
        if (line == "---") {
            out.emplace_back();
            continue;
        }
        out.back() += (out.back().empty() ? "" : "\n") + line;
    }
    while (!out.empty() && out.back().empty())
        out.pop_back();
    return out;
}

// Each question shown, its answer typed on one line.
std::vector<std::string> ask(const nlohmann::json& questions) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        fmt::print(stderr, "Question {} of {}: {}\n", i + 1, questions.size(),
                   questions[i].get<std::string>());
        out.push_back(read_line("> "));
    }
    return out;
}

int show(const ClientCall& call, const nlohmann::json& mine) {
    if (call.json) {
        print_json(mine);
        return exit_ok;
    }
    const auto questions = mine.value("questions", nlohmann::json::array());
    const auto answers = mine.value("answers", nlohmann::json::array());
    if (answers.empty())
        fmt::print("no answers to MP '{}' yet\n", call.mp);
    else
        fmt::print("answered {}\n", text(mine, "answered_at"));
    for (std::size_t i = 0; i < questions.size(); ++i) {
        fmt::print("\n{}. {}\n", i + 1, questions[i].get<std::string>());
        if (i < answers.size()) fmt::print("   {}\n", answers[i].get<std::string>());
    }
    return exit_ok;
}

} // namespace

int answer(const ClientCall& call) {
    Api api(call.connection, true);
    const auto mine = api.get(answers_path(call));
    if (call.show) return show(call, mine);
    const auto questions = mine.value("questions", nlohmann::json::array());
    if (questions.empty()) throw InputError(fmt::format("MP '{}' asks no questions", call.mp));
    std::vector<std::string> answers;
    if (!call.file.empty())
        answers = split_answers(core::read_file(call.file));
    else if (isatty(STDIN_FILENO))
        answers = ask(questions);
    else
        answers = split_answers(std::string(std::istreambuf_iterator<char>(std::cin), {}));
    if (answers.size() != questions.size()) {
        throw InputError(fmt::format("MP '{}' asks {} questions, and {} answers were given (one "
                                     "per line, or separated by lines of ---)",
                                     call.mp, questions.size(), answers.size()));
    }
    const auto saved = api.post(answers_path(call), {{"answers", answers}});
    if (call.json)
        print_json(saved);
    else
        fmt::print("saved {} answers to MP '{}' at {}\n", answers.size(), call.mp,
                   text(saved, "answered_at"));
    return exit_ok;
}

// The CSV export, with --csv or without: one line per answer, which is
// what a TA reads answers in (a spreadsheet).
int answers(const ClientCall& call) {
    Api api(call.connection, true);
    fmt::print("{}", api.get_text("/api/v1/answers.csv?mp=" + path_name(call.mp, "MP id")));
    return exit_ok;
}

} // namespace wb::client
