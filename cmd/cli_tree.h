// The command line as data: the CLI11 tree that parses wbtool's arguments,
// read once into plain structs. Completion scripts and "did you mean" are
// generated from this, never written by hand, so that a flag added to a
// subcommand cannot be missing from them.
//
// What a value completes to is read from the value's name (CLI11's
// type_name): a name ending in DIR completes directories; one ending in FILE,
// or PROGRAM, PATH or SRC, completes files; COMMAND completes a command line;
// a check such as CLI::IsMember offers its members. Name a new option's value
// by these words and its completion follows.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace wb::cmd {

enum class Complete { nothing, file, directory, command, choices };

// An option (names such as "--data", "-q") or a positional (no names).
struct Arg {
    std::vector<std::string> names; // long names first; empty for a positional
    std::string value_name;         // "DIR", "N"; empty for a flag
    std::string description;
    bool takes_value = false;
    bool repeats = false; // a positional that takes every word left
    Complete complete = Complete::nothing;
    std::vector<std::string> choices; // for Complete::choices
};

struct Command {
    std::string name;
    std::vector<std::string> path; // from the root's subcommands: {"mp", "import"}
    std::string description;
    std::vector<Arg> options; // its own; a subcommand also takes its ancestors'
    std::vector<Arg> positionals;
    std::vector<Command> subcommands;
};

// The tree under `app` (the root: wbtool itself); hidden options are left out.
Command describe(const CLI::App& app);

// "mp import" for {"mp", "import"}; "" for the root.
std::string join_path(const std::vector<std::string>& path);

// Every command of the tree, parents before their subcommands.
std::vector<const Command*> flatten(const Command& root);

// cmd's options less those it shares with a parent (--help): a subcommand
// takes its parents' options as well, so these are what it adds.
std::vector<const Arg*> own_options(const Command& root, const Command& cmd);

// What a value completes to, in one word, as the generated scripts spell
// it: "flag" (no value), "none", "file", "dir", "command" or "choices".
const char* kind_name(const Arg& arg);

} // namespace wb::cmd
