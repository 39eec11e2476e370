// What the subcommands share: global options, the action a parsed
// subcommand leaves behind for main() to run, and terminal handling.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

namespace wb::cmd {

struct Globals {
    std::filesystem::path data_dir;  // --data
    std::filesystem::path cache_dir; // --cache
    bool quiet = false;              // --quiet: no progress lines
};

// A subcommand's callback stores what to run here; main() runs it inside the
// one error boundary and exits with what it returns.
using Action = std::function<int()>;

void add_grade(CLI::App& app, Globals& globals, Action& action);
void add_mp(CLI::App& app, Globals& globals, Action& action);
void add_libwb(CLI::App& app, Globals& globals, Action& action);
void add_serve(CLI::App& app, Globals& globals, Action& action);
void add_user(CLI::App& app, Globals& globals, Action& action);
void add_sandbox(CLI::App& app, Globals& globals, Action& action);
void add_worker(CLI::App& app, Globals& globals, Action& action);
void add_gpu_check(CLI::App& app, Globals& globals, Action& action);
// Reads the whole tree under `app`: add it after every other subcommand.
void add_completion(CLI::App& app, Globals& globals, Action& action);

// --min-isolation LEVEL (full, userns or rlimits, the default) on `sub`,
// into `level`; `refused` says what is refused below it.
void add_min_isolation(CLI::App* sub, std::string& level, const std::string& refused);

// True when `stream` is a terminal.
bool is_terminal(std::FILE* stream);
// Colour only on a terminal, and never when NO_COLOR is set.
bool use_colour(std::FILE* stream);

// Progress for long work: a line rewritten in place on a terminal, plain
// lines otherwise, nothing with --quiet. Always on stderr.
class Progress {
  public:
    explicit Progress(bool quiet);
    ~Progress();
    void update(const std::string& text); // transient on a terminal
    void line(const std::string& text);   // kept
    void done();

  private:
    bool quiet_;
    bool tty_;
    bool dirty_ = false;
};

} // namespace wb::cmd
