// Terminal handling shared by every command, local or client: whether a
// stream is a terminal, whether to colour it, and the progress line of
// long work. The client commands run in a module of their own
// (core/client/module.h) and print with these as the local ones do.
#pragma once

#include <cstdio>
#include <string>

namespace wb::core {

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
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    void update(const std::string& text); // transient on a terminal
    void line(const std::string& text);   // kept
    void done();

  private:
    bool quiet_;
    bool tty_;
    bool dirty_ = false;
};

} // namespace wb::core
