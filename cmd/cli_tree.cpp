// Reads the CLI11 tree into cli_tree.h's structs; the one place that knows
// how CLI11 spells a flag, a value and a choice.
#include "cmd/cli_tree.h"

#include <string_view>

namespace wb::cmd {
namespace {

bool ends_with_any(std::string_view name, std::initializer_list<std::string_view> words) {
    for (const auto word : words)
        if (name.ends_with(word)) return true;
    return false;
}

// CLI11 reports a value's type name with each check's description appended
// after a ':'; IsMember's is "{a,b,c}".
std::vector<std::string> choices_of(const std::string& type_name) {
    const auto open = type_name.find(":{");
    if (open == std::string::npos) return {};
    const auto close = type_name.find('}', open);
    std::vector<std::string> out;
    std::string item;
    for (const char c : type_name.substr(open + 2, close - open - 2)) {
        if (c == ',') {
            out.push_back(item);
            item.clear();
        } else {
            item += c;
        }
    }
    if (!item.empty()) out.push_back(item);
    return out;
}

// The name before the checks' descriptions: "N" of "N:POSITIVE"; a colon
// inside brackets is the name's own ("SRC[:DST][:rw]").
std::string value_name_of(const std::string& type_name) {
    int depth = 0;
    for (std::size_t i = 0; i < type_name.size(); ++i) {
        const char c = type_name[i];
        depth += c == '[' ? 1 : c == ']' ? -1 : 0;
        if (c == ':' && depth == 0) return type_name.substr(0, i);
    }
    return type_name;
}

Complete completion_of(const std::string& value_name, const std::vector<std::string>& choices) {
    if (!choices.empty()) return Complete::choices;
    const std::string_view name = value_name;
    if (name == "COMMAND") return Complete::command;
    if (name.ends_with("DIR")) return Complete::directory;
    if (ends_with_any(name, {"FILE", "PROGRAM", "PATH"}) || name.starts_with("SRC"))
        return Complete::file;
    return Complete::nothing;
}

Arg describe(const CLI::Option& opt) {
    Arg arg;
    for (const auto& l : opt.get_lnames())
        arg.names.push_back("--" + l);
    for (const auto& s : opt.get_snames())
        arg.names.push_back("-" + s);
    arg.description = opt.get_description();
    arg.takes_value = opt.get_items_expected_max() > 0; // a flag expects none
    if (!arg.takes_value) return arg;
    const auto type_name = opt.get_type_name();
    arg.choices = choices_of(type_name);
    arg.value_name = value_name_of(type_name);
    arg.complete = completion_of(arg.value_name, arg.choices);
    arg.repeats = opt.get_items_expected_max() >= CLI::detail::expected_max_vector_size;
    return arg;
}

Command describe(const CLI::App& app, std::vector<std::string> path) {
    Command cmd;
    cmd.name = app.get_name();
    cmd.path = std::move(path);
    cmd.description = app.get_description();
    for (const auto* opt : app.get_options()) {
        if (opt->get_group().empty()) continue; // hidden
        (opt->nonpositional() ? cmd.options : cmd.positionals).push_back(describe(*opt));
    }
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->get_group().empty() || sub->get_name().empty()) continue; // hidden, option group
        auto sub_path = cmd.path;
        sub_path.push_back(sub->get_name());
        cmd.subcommands.push_back(describe(*sub, std::move(sub_path)));
    }
    return cmd;
}

void flatten(const Command& cmd, std::vector<const Command*>& out) {
    out.push_back(&cmd);
    for (const auto& sub : cmd.subcommands)
        flatten(sub, out);
}

} // namespace

Command describe(const CLI::App& app) {
    return describe(app, {});
}

std::string join_path(const std::vector<std::string>& path) {
    std::string out;
    for (const auto& word : path)
        out += (out.empty() ? "" : " ") + word;
    return out;
}

std::vector<const Command*> flatten(const Command& root) {
    std::vector<const Command*> out;
    flatten(root, out);
    return out;
}

std::vector<const Arg*> own_options(const Command& root, const Command& cmd) {
    std::vector<const Command*> parents{&root};
    for (std::size_t depth = 0; depth + 1 < cmd.path.size(); ++depth) {
        for (const auto& sub : parents.back()->subcommands)
            if (sub.name == cmd.path[depth]) parents.push_back(&sub);
    }
    if (cmd.path.empty()) parents.clear();
    const auto inherited = [&](const Arg& arg) {
        for (const auto* parent : parents)
            for (const auto& o : parent->options)
                if (o.names == arg.names && o.takes_value == arg.takes_value) return true;
        return false;
    };
    std::vector<const Arg*> out;
    for (const auto& arg : cmd.options)
        if (!inherited(arg)) out.push_back(&arg);
    return out;
}

const char* kind_name(const Arg& arg) {
    if (!arg.takes_value) return "flag";
    switch (arg.complete) {
    case Complete::nothing:
        return "none";
    case Complete::file:
        return "file";
    case Complete::directory:
        return "dir";
    case Complete::command:
        return "command";
    case Complete::choices:
        return "choices";
    }
    return "none";
}

} // namespace wb::cmd
