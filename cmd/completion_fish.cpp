// The fish completion script: a helper that finds the subcommand typed so
// far (skipping options and their values, as CLI11 does), then one
// `complete` line per subcommand, option and positional of the tree. An
// option is offered under its command and every subcommand of it, since
// options fall through to the parents.
#include "cmd/completion.h"

#include <fmt/format.h>

#include <algorithm>

namespace wb::cmd {
namespace {

constexpr const char* helpers = R"sh(
# True when option $argv[2] takes a value at command $argv[1] or a parent.
function __wbtool_takes_value
    set -l path $argv[1]
    while true
        contains -- "$path|$argv[2]" $__wbtool_valued; and return 0
        contains -- "$path|$argv[2]" $__wbtool_flags; and return 1
        test -z "$path"; and return 1
        set path (string replace -r ' ?[^ ]*$' '' -- $path)
    end
end

# The subcommand typed so far: "" for wbtool itself, "mp import".
function __wbtool_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path ""
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
        else if test "$w" = --
            break
        else if string match -q -- '-*' $w
            __wbtool_takes_value "$path" (string split -m 1 = -- $w)[1]; and set skip 1
        else if contains -- (string trim -- "$path $w") $__wbtool_commands
            set path (string trim -- "$path $w")
        end
    end
    echo $path
end

function __wbtool_at
    test (__wbtool_path) = "$argv[1]"
end

function __wbtool_under
    set -l path (__wbtool_path)
    test "$path" = "$argv[1]"; or string match -q -- "$argv[1] *" $path
end
)sh";

// Inside fish's single quotes only \ and ' are special.
std::string fish_quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

// An option's value needs -r (required); a positional is the word itself.
// -f: no file names besides these.
std::string value_flags(const Arg& arg, bool option) {
    const std::string no_files = option ? " -x" : " -f";
    std::string words;
    for (const auto& c : arg.choices)
        words += (words.empty() ? "" : " ") + c;
    switch (arg.complete) {
    case Complete::file:
        return option ? " -r -F" : " -F";
    case Complete::directory:
        return no_files + " -a '(__fish_complete_directories)'";
    case Complete::command:
        return no_files + " -a '(__fish_complete_subcommand)'";
    case Complete::choices:
        return no_files + " -a " + fish_quoted(words);
    case Complete::nothing:
        break;
    }
    return no_files;
}

std::string condition(const char* test, const Command& cmd) {
    return fmt::format(" -n {}", fish_quoted(fmt::format("{} \"{}\"", test, join_path(cmd.path))));
}

std::string option_line(const Command& cmd, const Arg& opt) {
    std::string line = "complete -c wbtool";
    if (!cmd.path.empty()) line += condition("__wbtool_under", cmd);
    for (const auto& name : opt.names)
        line += (name.starts_with("--") ? " -l " + name.substr(2) : " -s " + name.substr(1));
    if (opt.takes_value) line += value_flags(opt, true);
    return line + " -d " + fish_quoted(opt.description) + "\n";
}

// What a word that is no option completes to: a subcommand, the first
// positional's values, or nothing (no file names where none are taken).
std::string word_lines(const Command& cmd) {
    std::string out;
    for (const auto& sub : cmd.subcommands) {
        out += fmt::format("complete -c wbtool -f{} -a {} -d {}\n", condition("__wbtool_at", cmd),
                           sub.name, fish_quoted(sub.description));
    }
    if (!cmd.subcommands.empty() || cmd.positionals.empty())
        return out + fmt::format("complete -c wbtool -f{}\n", condition("__wbtool_at", cmd));
    // fish does not count positionals: file names if any takes one.
    const auto& ps = cmd.positionals;
    const auto file = std::find_if(ps.begin(), ps.end(),
                                   [](const Arg& p) { return p.complete == Complete::file; });
    return out + fmt::format("complete -c wbtool{}{}\n", condition("__wbtool_at", cmd),
                             value_flags(file != ps.end() ? *file : ps.front(), false));
}

std::string fish_tables(const Command& root) {
    std::string commands, valued, flags;
    for (const auto* cmd : flatten(root)) {
        if (!cmd->path.empty()) commands += " " + fish_quoted(join_path(cmd->path));
        for (const auto* opt : own_options(root, *cmd))
            for (const auto& name : opt->names)
                (opt->takes_value ? valued : flags) +=
                    " " + fish_quoted(join_path(cmd->path) + "|" + name);
    }
    return fmt::format("\nset -g __wbtool_commands{}\n# \"COMMAND|OPTION\"\n"
                       "set -g __wbtool_valued{}\nset -g __wbtool_flags{}\n",
                       commands, valued, flags);
}

} // namespace

std::string fish_completion(const Command& root) {
    std::string out = generated_note("fish") + fish_tables(root) + helpers;
    for (const auto* cmd : flatten(root)) {
        out +=
            fmt::format("\n# {}\n", join_path(cmd->path).empty() ? "wbtool" : join_path(cmd->path));
        out += word_lines(*cmd);
        for (const auto* opt : own_options(root, *cmd))
            out += option_line(*cmd, *opt);
    }
    return out;
}

} // namespace wb::cmd
