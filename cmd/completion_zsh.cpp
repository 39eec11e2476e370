// The zsh completion script: one function per command of the tree, each an
// _arguments call with the command's options, its parents' options (they
// fall through to the parents) and its positionals or subcommands.
#include "cmd/completion.h"

#include <fmt/format.h>

namespace wb::cmd {
namespace {

// Autoloaded from fpath, the file is _wbtool's body: it defines the
// functions and completes. Sourced, it registers _wbtool instead.
constexpr const char* footer = R"sh(
if [ "$funcstack[1]" = "_wbtool" ]; then
    _wbtool "$@"
else
    compdef _wbtool wbtool
fi
)sh";

std::string function_name(const Command& cmd) {
    std::string name = "_wbtool";
    for (const auto& word : cmd.path)
        name += "__" + word;
    return name;
}

// An explanation inside _arguments' [...]: its brackets would end it.
std::string explanation(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '[' || c == ']' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// A message or a name between _arguments' or _describe's colons.
std::string field(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == ':' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string action(const Arg& arg) {
    switch (arg.complete) {
    case Complete::file:
        return "_files";
    case Complete::directory:
        return "_files -/";
    case Complete::command:
        return "_command_names -e";
    case Complete::choices: {
        std::string words;
        for (const auto& c : arg.choices)
            words += (words.empty() ? "" : " ") + c;
        return "(" + words + ")";
    }
    case Complete::nothing:
        break;
    }
    return " ";
}

std::string option_spec(const Arg& opt) {
    std::string names;
    for (const auto& n : opt.names)
        names += (names.empty() ? "" : " ") + n;
    const std::string exclusive = opt.repeats ? "*" : "(" + names + ")";
    std::string rest = "[" + explanation(opt.description) + "]";
    if (opt.takes_value) rest += ":" + field(opt.value_name) + ":" + action(opt);
    if (opt.names.size() == 1) return single_quoted(exclusive + opt.names.front() + rest);
    std::string spec = single_quoted(exclusive) + "{";
    for (std::size_t i = 0; i < opt.names.size(); ++i)
        spec += (i ? "," : "") + opt.names[i];
    spec += "}";
    return spec + single_quoted(rest);
}

std::string positional_specs(const Command& cmd) {
    std::string out;
    int n = 1;
    for (const auto& pos : cmd.positionals) {
        const auto value = field(pos.value_name);
        const auto spec = pos.complete == Complete::command ? "*::" + value + ":_normal"
                          : pos.repeats                     ? "*:" + value + ":" + action(pos)
                                        : std::to_string(n++) + ":" + value + ":" + action(pos);
        out += " \\\n        " + single_quoted(spec);
    }
    return out;
}

std::string subcommand_cases(const Command& cmd) {
    std::string items, cases;
    for (const auto& sub : cmd.subcommands) {
        items += " " + single_quoted(field(sub.name) + ":" + sub.description);
        cases += fmt::format("                {}) {} && ret=0 ;;\n", sub.name, function_name(sub));
    }
    return fmt::format("    case $state in\n"
                       "        command)\n"
                       "            local -a commands=({})\n"
                       "            _describe -t commands {} commands && ret=0 ;;\n"
                       "        argument)\n"
                       "            case $words[1] in\n{}"
                       "            esac ;;\n"
                       "    esac\n",
                       items,
                       single_quoted(join_path(cmd.path).empty()
                                         ? "wbtool command"
                                         : join_path(cmd.path) + " command"),
                       cases);
}

std::string zsh_function(const Command& root, const Command& cmd) {
    std::vector<const Arg*> options;
    // The parents' options first, then this command's own.
    const Command* at = &root;
    for (const auto& word : cmd.path) {
        for (const auto* o : own_options(root, *at))
            options.push_back(o);
        for (const auto& sub : at->subcommands)
            if (sub.name == word) at = &sub;
    }
    for (const auto* o : own_options(root, cmd))
        options.push_back(o);
    std::string specs;
    for (const auto* o : options)
        specs += " \\\n        " + option_spec(*o);
    const bool has_subs = !cmd.subcommands.empty();
    specs += has_subs ? " \\\n        '1: :->command' \\\n        '*:: :->argument'"
                      : positional_specs(cmd);
    return fmt::format("\n{}() {{\n"
                       "    local curcontext=\"$curcontext\" state state_descr line ret=1\n"
                       "    typeset -A opt_args\n"
                       "    _arguments -C -S{} && ret=0\n"
                       "{}"
                       "    return ret\n"
                       "}}\n",
                       function_name(cmd), specs, has_subs ? subcommand_cases(cmd) : "");
}

} // namespace

std::string zsh_completion(const Command& root) {
    std::string out = "#compdef wbtool\n" + generated_note("zsh");
    for (const auto* cmd : flatten(root))
        out += zsh_function(root, *cmd);
    return out + footer;
}

} // namespace wb::cmd
