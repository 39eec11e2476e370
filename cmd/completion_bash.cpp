// The bash completion script: four tables made from the command tree, and
// one fixed function that reads them. The function walks the words typed so
// far the way CLI11 parses them: a known subcommand name moves down the
// tree, an option that takes a value skips it (looked up from the
// subcommand up to the root, since options fall through to parents), a
// `--` ends the options, anything else is the next positional.
#include "cmd/completion.h"

#include <fmt/format.h>

namespace wb::cmd {
namespace {

constexpr const char* bash_function = R"sh(
# Prints the value kind of option $2 at command $1 (see _wbtool_values).
_wbtool_value() {
    local path=$1
    while :; do
        if [[ -n ${_wbtool_values["$path|$2"]+set} ]]; then
            printf '%s\n' "${_wbtool_values["$path|$2"]}"
            return
        fi
        [[ $path == *" "* ]] || return
        path=${path% *}
    done
}

# The options taken at command $1: its own and its parents'.
_wbtool_options() {
    local path=$1 out=""
    while :; do
        out+=" ${_wbtool_opts[$path]}"
        [[ $path == *" "* ]] || break
        path=${path% *}
    done
    printf '%s\n' "$out"
}

# The kind of positional $2 (from 0) of command $1; the last one may repeat.
_wbtool_kind() {
    local -a kinds=(${_wbtool_args[$1]})
    local n=${#kinds[@]}
    if (($2 < n)); then
        printf '%s\n' "${kinds[$2]}"
    elif ((n > 0)) && [[ ${kinds[n - 1]} == *... ]]; then
        printf '%s\n' "${kinds[n - 1]}"
    fi
}

_wbtool_reply() {
    local kind=$1 cur=$2
    case $kind in
        file) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
        dir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
        command) mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u) ;;
        choices\ *) mapfile -t COMPREPLY < <(compgen -W "${kind#choices }" -- "$cur") ;;
        *) COMPREPLY=() ;;
    esac
}

_wbtool() {
    local cur=${COMP_WORDS[COMP_CWORD]} path=wbtool npos=0 options=1 i word kind
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if ((options)) && [[ $word == -- ]]; then
            options=0
        elif ((options)) && [[ $word == -* ]]; then
            kind=$(_wbtool_value "$path" "${word%%=*}")
            if [[ -n $kind && $kind != flag && $word != *=* ]]; then
                if ((i + 1 == COMP_CWORD)); then
                    _wbtool_reply "$kind" "$cur"
                    return
                fi
                ((i++))
            fi
        elif ((npos == 0)) && [[ " ${_wbtool_subs[$path]} " == *" $word "* ]]; then
            path+=" $word"
        else
            # A command to run: complete its words as bash would complete it.
            if [[ $(_wbtool_kind "$path" "$npos") == command... ]]; then
                if declare -F _command_offset >/dev/null; then
                    _command_offset "$i"
                else
                    _wbtool_reply file "$cur"
                fi
                return
            fi
            ((npos++))
        fi
    done
    if ((options)) && [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_wbtool_options "$path")" -- "$cur")
    elif ((npos == 0)) && [[ -n ${_wbtool_subs[$path]} ]]; then
        mapfile -t COMPREPLY < <(compgen -W "${_wbtool_subs[$path]}" -- "$cur")
    else
        kind=$(_wbtool_kind "$path" "$npos")
        kind=${kind%...}
        _wbtool_reply "${kind//,/ }" "$cur"
    fi
}
complete -F _wbtool wbtool
)sh";

// A command's key in the tables: "wbtool mp import" (bash has no empty key).
std::string key(const Command& cmd, const std::string& option = "") {
    auto path = join_path(cmd.path);
    return single_quoted("wbtool" + (path.empty() ? "" : " " + path) + option);
}

// A value's kind as one word for _wbtool_args (choices joined by commas).
std::string kind_word(const Arg& arg) {
    std::string word = kind_name(arg);
    for (const auto& c : arg.choices)
        word += "," + c;
    return word + (arg.repeats ? "..." : "");
}

std::string kind_value(const Arg& arg) {
    std::string value = kind_name(arg);
    for (const auto& c : arg.choices)
        value += " " + c;
    return value;
}

std::string bash_tables(const Command& root) {
    std::string subs, opts, values, args;
    for (const auto* cmd : flatten(root)) {
        std::string names;
        for (const auto& sub : cmd->subcommands)
            names += (names.empty() ? "" : " ") + sub.name;
        if (!names.empty()) subs += fmt::format("    [{}]={}\n", key(*cmd), single_quoted(names));
        names.clear();
        for (const auto* opt : own_options(root, *cmd)) {
            for (const auto& name : opt->names) {
                names += (names.empty() ? "" : " ") + name;
                values += fmt::format("    [{}]={}\n", key(*cmd, "|" + name),
                                      single_quoted(kind_value(*opt)));
            }
        }
        if (!names.empty()) opts += fmt::format("    [{}]={}\n", key(*cmd), single_quoted(names));
        names.clear();
        for (const auto& pos : cmd->positionals)
            names += (names.empty() ? "" : " ") + kind_word(pos);
        if (!names.empty()) args += fmt::format("    [{}]={}\n", key(*cmd), single_quoted(names));
    }
    return fmt::format("\n# The subcommands of each command.\ndeclare -gA _wbtool_subs=(\n{})\n"
                       "# The options each command adds to its parents'.\n"
                       "declare -gA _wbtool_opts=(\n{})\n"
                       "# \"COMMAND|OPTION\": flag, or what its value completes to.\n"
                       "declare -gA _wbtool_values=(\n{})\n"
                       "# The positionals' kinds in order (\"...\": takes every word left).\n"
                       "declare -gA _wbtool_args=(\n{})\n",
                       subs, opts, values, args);
}

} // namespace

std::string bash_completion(const Command& root) {
    return generated_note("bash") + bash_tables(root) + bash_function;
}

} // namespace wb::cmd
